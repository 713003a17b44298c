package dev.lifeguard.impl;

import dev.lifeguard.IdleOrder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The store's side of a return that goes straight from LEASED to IDLE without its lock, step by step: the
 * interleavings that a stress test would hit only by luck.
 */
class IdleStoreTest {
    private final IdleStore<Object> store = new IdleStore<>(4);

    /** A slot taken back by its thread (affinity): leased, with its reference still in the store's ring. */
    private Slot<Object> leasedByAffinity() {
        Slot<Object> slot = new Slot<>(null, new Object(), 1, 0, 0.0);
        assertTrue(store.pushHot(slot));
        assertTrue(slot.transition(SlotState.IDLE, SlotState.CHECKING), "taken back by its thread");
        slot.beginLease();
        return slot;
    }

    @Test
    void aSlotReturnedWithoutTheLockIsFoundThroughTheReferenceItLeftBehind() {
        Slot<Object> slot = leasedByAffinity();
        assertTrue(store.mayReleaseWithoutLock(slot));
        assertTrue(slot.endLease(slot.currentStamp(), SlotState.IDLE));
        assertTrue(store.settleReleasedWithoutLock(slot));
        assertEquals(1, store.size());
        assertSame(slot, store.poll(IdleOrder.LIFO));
    }

    @Test
    void aReferenceDroppedBetweenTheReturnsLookAndItsCasIsPutBack() {
        Slot<Object> slot = leasedByAffinity();
        assertTrue(store.mayReleaseWithoutLock(slot), "the return looks: its reference is in the ring");
        // Meanwhile another thread polls: it meets the reference of a slot that is out, and drops it.
        assertNull(store.poll(IdleOrder.LIFO));
        assertFalse(slot.queued);
        // The return's CAS, then the settle, which must see the dropped reference and queue the slot again:
        // otherwise it would sit IDLE where no one but its last thread could find it.
        assertTrue(slot.endLease(slot.currentStamp(), SlotState.IDLE));
        assertTrue(store.settleReleasedWithoutLock(slot));
        assertEquals(1, store.size());
        assertSame(slot, store.poll(IdleOrder.LIFO));
    }

    @Test
    void aSlotTakenByItsThreadBeforeTheSettleIsLeftToThatThread() {
        Slot<Object> slot = leasedByAffinity();
        assertTrue(store.mayReleaseWithoutLock(slot));
        assertNull(store.poll(IdleOrder.LIFO)); // the reference is dropped
        assertTrue(slot.endLease(slot.currentStamp(), SlotState.IDLE));
        // Before the settle, the slot is taken again by affinity: the settle must not queue a slot that is out.
        assertTrue(slot.transition(SlotState.IDLE, SlotState.CHECKING));
        assertTrue(store.settleReleasedWithoutLock(slot));
        assertEquals(0, store.size());
        assertEquals(SlotState.CHECKING, slot.state(), "still its taker's");
    }
}
