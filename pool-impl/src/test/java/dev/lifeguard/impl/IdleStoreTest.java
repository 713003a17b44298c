package dev.lifeguard.impl;

import dev.lifeguard.IdleOrder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

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

    /** As a maintenance pass that evicts nothing does. */
    private void dropReferencesToSlotsThatAreOut() {
        assertTrue(store.removeColdest(s -> false, 0).isEmpty());
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
        // Meanwhile maintenance meets the reference of a slot that is out, and drops it.
        dropReferencesToSlotsThatAreOut();
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
        dropReferencesToSlotsThatAreOut();
        assertTrue(slot.endLease(slot.currentStamp(), SlotState.IDLE));
        // Before the settle, the slot is taken again by affinity: the settle must not queue a slot that is out.
        assertTrue(slot.transition(SlotState.IDLE, SlotState.CHECKING));
        assertTrue(store.settleReleasedWithoutLock(slot));
        assertEquals(0, store.size());
        assertEquals(SlotState.CHECKING, slot.state(), "still its taker's");
    }

    @Test
    void aPollPassesByTheReferenceOfASlotThatIsOutAndLeavesItThere() {
        Slot<Object> out = leasedByAffinity();
        assertNull(store.poll(IdleOrder.LIFO));
        assertTrue(out.queued, "left in the ring");
        // So its holder's return stays lockless, and the slot is found through that reference.
        assertTrue(store.mayReleaseWithoutLock(out));
        assertTrue(out.endLease(out.currentStamp(), SlotState.IDLE));
        assertTrue(store.settleReleasedWithoutLock(out));
        assertSame(out, store.poll(IdleOrder.LIFO));
        assertFalse(out.queued);
    }

    @Test
    void aPollTakesTheIdleSlotItsOrderPrefersPastSlotsThatAreOut() {
        Slot<Object> coldest = idleSlot();
        Slot<Object> outCold = leasedByAffinity();
        Slot<Object> middle = idleSlot();
        Slot<Object> outHot = leasedByAffinity();
        Slot<Object> hottest = idleSlot();
        assertSame(hottest, store.poll(IdleOrder.LIFO));
        assertSame(coldest, store.poll(IdleOrder.FIFO));
        assertSame(middle, store.poll(IdleOrder.LIFO));
        assertNull(store.poll(IdleOrder.FIFO));
        assertTrue(outCold.queued && outHot.queued, "the references of slots that are out stay");
        // Returned, each is found again where its reference stood.
        for (Slot<Object> s : List.of(outCold, outHot)) {
            assertTrue(s.endLease(s.currentStamp(), SlotState.IDLE));
        }
        assertSame(outHot, store.poll(IdleOrder.LIFO));
        assertSame(outCold, store.poll(IdleOrder.LIFO));
    }

    @Test
    void forgettingADestroyedSlotRemovesItsReferenceOnly() {
        Slot<Object> kept = idleSlot();
        Slot<Object> gone = leasedByAffinity();
        assertTrue(gone.markDestroyed());
        store.forget(gone);
        assertFalse(gone.queued);
        assertEquals(1, store.size());
        assertSame(kept, store.poll(IdleOrder.LIFO));
        assertNull(store.poll(IdleOrder.LIFO));
    }

    @Test
    void aReturnWithoutTheLockWakesAWaiter() throws Exception {
        Slot<Object> slot = leasedByAffinity();
        assertFalse(store.wakeNeeded(), "nobody waits");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        AtomicReference<Slot<Object>> got = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                store.awaitChange(deadline, () -> false, System.nanoTime());
                got.set(store.poll(IdleOrder.LIFO));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waiter.start();
        Deadline.awaitTrue(store::hasWaiters, "the waiter waits");
        // The return a thread makes of a connection it took by affinity, as LifeguardPool.returnQuickly does it.
        assertTrue(slot.endLease(slot.currentStamp(), SlotState.IDLE));
        assertTrue(store.settleReleasedWithoutLock(slot));
        assertTrue(store.wakeNeeded(), "someone waits, and no wake-up is on its way");
        store.wakeOneWaiter();
        // Long before its 30 s deadline.
        waiter.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(waiter.isAlive(), "the waiter still sleeps on a slot that is idle");
        assertSame(slot, got.get());
    }

    @Test
    void aWakeUpOnItsWayMakesOthersUnneededUntilTheWaiterLooks() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        CountDownLatch woke = new CountDownLatch(1);
        Thread waiter = new Thread(() -> {
            try {
                // Nothing is ever idle: it waits until interrupted or 30 s.
                store.awaitChange(deadline, () -> woke.getCount() == 0, System.nanoTime());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waiter.start();
        try {
            Deadline.awaitTrue(store::wakeNeeded, "the waiter waits");
            store.wakeOneWaiter();
            // The waiter wakes, clears the pending wake-up and looks (nothing), then waits again: needed again.
            Deadline.awaitTrue(store::wakeNeeded, "the woken waiter looked and waits again");
        } finally {
            woke.countDown();
            store.signalChange();
            waiter.join(TimeUnit.SECONDS.toMillis(10));
        }
        assertFalse(waiter.isAlive());
        assertFalse(store.wakeNeeded(), "nobody waits");
    }

    private Slot<Object> idleSlot() {
        Slot<Object> slot = new Slot<>(null, new Object(), 1, 0, 0.0); // new: CHECKING, its creator's
        assertTrue(store.pushHot(slot));
        return slot;
    }
}
