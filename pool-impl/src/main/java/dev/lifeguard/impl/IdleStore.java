package dev.lifeguard.impl;

import dev.lifeguard.IdleOrder;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * The idle connections, as a deque ordered from cold (least recently returned) to hot (most recent).
 * A ring buffer under a {@link ReentrantLock}: O(1) and allocation-free on push and poll, and the lock is held
 * only for a few field writes, never across a factory call. A ReentrantLock rather than {@code synchronized}
 * so that virtual threads never pin while they wait on {@link #awaitChange}.
 *
 * <p>Slots in the store are in state IDLE and owned by the store; taking one out moves it to CHECKING under the
 * lock, so exactly one thread gets each idle slot.
 */
final class IdleStore<C> {
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when a slot is pushed or capacity to create one is freed. */
    private final Condition changed = lock.newCondition();

    private Slot<?>[] ring;
    private int head; // index of the coldest slot
    private int count;
    private int waiters;
    private boolean closed;

    IdleStore(int initialCapacity) {
        ring = new Slot<?>[Math.max(4, initialCapacity)];
    }

    /** Adds a returned slot at the hot end. @return false if the store is closed (the caller destroys it) */
    boolean pushHot(Slot<C> slot) {
        return push(slot, true);
    }

    /** Adds a slot at the cold end (after a background check, so it is not preferred over hot ones). */
    boolean pushCold(Slot<C> slot) {
        return push(slot, false);
    }

    private boolean push(Slot<C> slot, boolean hot) {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            ensureRoom();
            slot.transition(SlotState.CHECKING, SlotState.IDLE);
            if (hot) {
                ring[(head + count) % ring.length] = slot;
            } else {
                head = (head - 1 + ring.length) % ring.length;
                ring[head] = slot;
            }
            count++;
            signalIfWaiting();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Takes the slot the order prefers, now in state CHECKING, or null if none is idle. */
    Slot<C> poll(IdleOrder order) {
        lock.lock();
        try {
            while (count > 0) {
                Slot<C> s;
                if (order == IdleOrder.LIFO) {
                    count--;
                    int i = (head + count) % ring.length;
                    s = take(i);
                } else {
                    s = take(head);
                    head = (head + 1) % ring.length;
                    count--;
                }
                if (s.transition(SlotState.IDLE, SlotState.CHECKING)) {
                    return s;
                }
                // Only a forced destroy takes a slot out of IDLE behind the store's back; skip it.
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes, from the cold end towards the hot end, the slots that {@code select} picks, but leaves at least
     * {@code keep} slots in the store. Removed slots are in CHECKING state and belong to the caller.
     */
    List<Slot<C>> removeColdest(Predicate<Slot<C>> select, int keep) {
        List<Slot<C>> removed = new ArrayList<>();
        lock.lock();
        try {
            Slot<?>[] kept = new Slot<?>[ring.length];
            int keptCount = 0;
            int n = count;
            for (int k = 0; k < n; k++) {
                Slot<C> s = take((head + k) % ring.length);
                boolean room = (n - removed.size()) > keep;
                if (room && select.test(s) && s.transition(SlotState.IDLE, SlotState.CHECKING)) {
                    removed.add(s);
                } else if (s.state() == SlotState.IDLE) {
                    kept[keptCount++] = s;
                }
            }
            ring = kept;
            head = 0;
            count = keptCount;
            return removed;
        } finally {
            lock.unlock();
        }
    }

    /** Closes the store: later pushes are refused, waiters wake. @return every slot it held, now CHECKING */
    List<Slot<C>> closeAndDrain() {
        lock.lock();
        try {
            closed = true;
            List<Slot<C>> all = new ArrayList<>(count);
            while (count > 0) {
                Slot<C> s = take(head);
                head = (head + 1) % ring.length;
                count--;
                if (s.transition(SlotState.IDLE, SlotState.CHECKING)) {
                    all.add(s);
                }
            }
            changed.signalAll();
            return all;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until a slot is pushed, capacity is freed ({@link #signalChange}), the store closes, or
     * {@code deadlineNanos}. {@code ready} is checked under the lock, and every signaller changes its state
     * before taking the lock to signal, so a change made between the caller's last look and this wait is never
     * missed.
     */
    void awaitChange(long deadlineNanos, BooleanSupplier ready) throws InterruptedException {
        lock.lock();
        try {
            waiters++;
            try {
                long left;
                while (count == 0 && !closed && !ready.getAsBoolean()
                        && (left = deadlineNanos - System.nanoTime()) > 0) {
                    changed.awaitNanos(left);
                    if (count > 0 || closed || ready.getAsBoolean()) {
                        return;
                    }
                }
            } finally {
                waiters--;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Wakes waiters after capacity was freed elsewhere (a destroy, a resize). */
    void signalChange() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return count;
        } finally {
            lock.unlock();
        }
    }

    private void signalIfWaiting() {
        if (waiters > 0) {
            changed.signal();
        }
    }

    @SuppressWarnings("unchecked")
    private Slot<C> take(int i) {
        Slot<C> s = (Slot<C>) ring[i];
        ring[i] = null;
        return s;
    }

    private void ensureRoom() {
        if (count < ring.length) {
            return;
        }
        Slot<?>[] bigger = new Slot<?>[ring.length * 2];
        for (int k = 0; k < count; k++) {
            bigger[k] = ring[(head + k) % ring.length];
        }
        ring = bigger;
        head = 0;
    }
}
