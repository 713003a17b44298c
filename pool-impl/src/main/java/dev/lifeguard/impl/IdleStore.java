package dev.lifeguard.impl;

import dev.lifeguard.IdleOrder;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * The idle connections, as a deque ordered from cold (least recently returned) to hot (most recent).
 * A ring buffer under a {@link ReentrantLock}: allocation-free, O(1) to push, and a poll passes by at most the
 * slots that are out; the lock is held only for that, never across a factory call. A ReentrantLock rather than
 * {@code synchronized} so that virtual threads never pin while they wait on {@link #awaitChange}.
 *
 * <p>An idle slot is in state IDLE and has exactly one reference in the ring ({@link Slot#queued}). Taking one
 * moves it to CHECKING by CAS, so exactly one thread gets each idle slot, whether it comes through the ring (under
 * the lock) or straight from a thread that returned it ({@link #release}: a thread-affine reclaim leaves the
 * slot's reference in the ring, and a release puts the slot back under that same reference without the lock). So
 * the ring may hold references to slots that are out at the moment. {@link #poll} passes them by and leaves them
 * there, so that their holders keep returning without the lock; a destroy removes its slot's reference
 * ({@link #forget}), and maintenance may drop others (the slot's next release queues it again). So the ring holds
 * at most one reference per live connection. {@link #size()} counts only slots that are IDLE.
 *
 * <p>Waiters ({@link #awaitChange}) are signalled by every return through the lock, and by a return without it
 * only when no wake-up is already on its way to one ({@link #wakeNeeded}): a thread giving back the connection it
 * took by affinity most likely takes it straight back, so a waiter woken for it often finds nothing, and one
 * wake-up at a time is enough for the waiter to look. When every return went through the lock to signal while
 * anyone waited (and a poll dropped the references it passed, so that each holder's next return went through the
 * lock again), 100 threads on 10 connections, holding each for ~1 µs of work, made about 70,000 returns a second
 * through the lock, and ran at 4.14-4.20M acquire+release/s, some runs collapsing to 2.6-3.5M; now 4.14-4.30M.
 */
final class IdleStore<C> {
    private static final VarHandle WAKE_WANTED;

    static {
        try {
            WAKE_WANTED = MethodHandles.lookup().findVarHandle(IdleStore.class, "wakeWanted", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when a slot is pushed or capacity to create one is freed. */
    private final Condition changed = lock.newCondition();

    private Slot<?>[] ring;
    private int head; // index of the coldest slot
    private int count;
    /** Threads in {@link #awaitChange}; read without the lock by the thread-affine fast path, hence volatile. */
    private volatile int waiters;
    /**
     * Whether a waiter wants a wake-up for a slot returned without the lock: set by each waiter before it looks,
     * taken (cleared) by the return that signals one ({@link #wakeOneWaiter}), so that the returns after it need
     * not, since a waiter will look after them; cleared once nobody waits. One boolean: the quick return ORs it in
     * without a comparison (its compiled size is tight, see {@code LifeguardPool#returnQuickly}).
     */
    private volatile boolean wakeWanted;
    /**
     * Since when the store's waiters have gone unserved (System.nanoTime): the later of the last time a waiter was
     * served ({@link #waiterServed}) and the time the current waiters began to wait. With {@link #waiters}, it
     * tells the thread-affine path whether waiters are still being served. Written racily: an approximation
     * suffices.
     */
    private volatile long waitProgress;
    private boolean closed;

    IdleStore(int initialCapacity) {
        ring = new Slot<?>[Math.max(4, initialCapacity)];
        waitProgress = System.nanoTime();
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
            if (!slot.queued) {
                ensureRoom();
                if (hot) {
                    ring[(head + count) % ring.length] = slot;
                } else {
                    head = (head - 1 + ring.length) % ring.length;
                    ring[head] = slot;
                }
                count++;
                slot.queued = true;
            }
            // The caller owns the slot (CHECKING): nobody else moves it, so this cannot fail.
            slot.transition(SlotState.CHECKING, SlotState.IDLE);
            signalIfWaiting();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Puts back a slot its owner (in CHECKING) is done with, where possible without the lock (see
     * {@link #mayReleaseWithoutLock}); otherwise through {@link #pushHot}.
     *
     * @return false if the store is closed (the caller destroys the slot)
     */
    boolean release(Slot<C> slot) {
        if (mayReleaseWithoutLock(slot)) {
            slot.transition(SlotState.CHECKING, SlotState.IDLE);
            return settleReleasedWithoutLock(slot);
        }
        return pushHot(slot);
    }

    /**
     * @return true if a slot can be made IDLE without the lock: its reference is still in the ring (it was
     *         reclaimed by the thread-affine path) and nobody waits (to be signalled). After making it IDLE (by a
     *         CAS), the caller must call {@link #settleReleasedWithoutLock}. {@code LifeguardPool#returnQuickly}
     *         tests only the first, for returns its thread will most likely take back (see the class comment).
     */
    boolean mayReleaseWithoutLock(Slot<C> slot) {
        return slot.queued && waiters == 0;
    }

    /**
     * Completes a release without the lock, after the CAS that made the slot IDLE.
     *
     * @return false if the store is closed (the caller destroys the slot)
     */
    boolean settleReleasedWithoutLock(Slot<C> slot) {
        // Ordering: the IDLE CAS (a full fence) comes before this read of queued. A poller clears queued before its
        // own CAS on the state; if its CAS came first (and failed, seeing the slot still out), this read sees false.
        // If queued is still true here, the reference is in the ring and the slot can be found through it.
        if (slot.queued) {
            return true;
        }
        // The reference was dropped while the slot was out. If it is still free, take it back and queue it; if
        // another thread got it first, that thread's release queues it.
        if (!slot.transition(SlotState.IDLE, SlotState.CHECKING)) {
            return true;
        }
        return pushHot(slot);
    }

    /**
     * @return true if a slot just made IDLE without the lock (by a CAS before this call) must wake a waiter
     *         ({@link #wakeOneWaiter}): someone waits, and no wake-up is on its way to one. Otherwise a waiter sees
     *         the slot: every waiter looks after setting {@link #wakeWanted}, so after this read.
     */
    boolean wakeNeeded() {
        return wakeWanted;
    }

    /** Signals one waiter, unless another return has just done so (see {@link #wakeNeeded}). */
    void wakeOneWaiter() {
        if (WAKE_WANTED.compareAndSet(this, true, false)) {
            lock.lock();
            try {
                changed.signal();
            } finally {
                lock.unlock();
            }
        }
    }

    /** @return true if a thread waits in {@link #awaitChange} */
    boolean hasWaiters() {
        return waiters > 0;
    }

    /**
     * @param nowNanos a System.nanoTime reading
     * @return true if a thread waits and no waiter has been served for {@code windowNanos}; cheap (one read)
     *         when nobody waits
     */
    boolean waitersStalled(long nowNanos, long windowNanos) {
        return waiters > 0 && nowNanos - waitProgress > windowNanos;
    }

    /** Called by a thread that waited in {@link #awaitChange} and then got a slot: the waiters moved. */
    void waiterServed() {
        waitProgress = System.nanoTime();
    }

    /** @return {@link #waitProgress}; for tests, since the pool judges the window by {@link #waitersStalled} */
    long waitProgressNanos() {
        return waitProgress;
    }

    /**
     * Takes the idle slot the order prefers, now in state CHECKING, or null if none is idle. References to slots
     * that are out stay where they are (see the class comment): at most one per live connection to pass by.
     */
    Slot<C> poll(IdleOrder order) {
        lock.lock();
        try {
            boolean lifo = order == IdleOrder.LIFO;
            for (int seen = 0, k = lifo ? count - 1 : 0; seen < count; seen++, k += lifo ? -1 : 1) {
                Slot<C> s = at(k);
                if (s.isIdle() && s.transition(SlotState.IDLE, SlotState.CHECKING)) {
                    // Ours now (CHECKING): no release races this write (a lockless release needs a lease out).
                    removeAt(k);
                    s.queued = false;
                    return s;
                }
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
                // Read the state before the slot's fields: the IDLE transition published them.
                s.queued = false;
                if (s.state() != SlotState.IDLE) {
                    continue; // out: dropped, its release queues it again
                }
                if (room && select.test(s) && s.transition(SlotState.IDLE, SlotState.CHECKING)) {
                    removed.add(s);
                } else {
                    s.queued = true;
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
                s.queued = false;
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
     * Waits until a slot is idle, capacity is freed ({@link #signalChange}), the store closes, or
     * {@code deadlineNanos}. {@code ready} is checked under the lock, and every signaller changes its state
     * before taking the lock to signal, so a change made between the caller's last look and this wait is never
     * missed; nor is a slot returned without the lock (see {@link #wakeNeeded}).
     * {@code waitingSinceNanos} (System.nanoTime) is when the caller first waited here for its acquire.
     */
    void awaitChange(long deadlineNanos, BooleanSupplier ready, long waitingSinceNanos) throws InterruptedException {
        lock.lock();
        try {
            // A caller that loops (woken, then beaten to the slot) comes back with the same start, so that its
            // wait keeps counting against the thread-affine path however often it re-enters.
            if (waiters++ == 0 && waitingSinceNanos - waitProgress > 0) {
                waitProgress = waitingSinceNanos;
            }
            try {
                long left;
                for (;;) {
                    // Set before each look: a return without the lock that reads it signals (see wakeNeeded); one
                    // that read it unset made its slot IDLE before this look.
                    wakeWanted = true;
                    if (anyIdle() || closed || ready.getAsBoolean()
                            || (left = deadlineNanos - System.nanoTime()) <= 0) {
                        return;
                    }
                    changed.awaitNanos(left);
                }
            } finally {
                if (--waiters == 0) {
                    wakeWanted = false;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * After a destroy: removes the slot's reference, if the ring holds one, and wakes waiters, since capacity was
     * freed.
     */
    void forget(Slot<C> slot) {
        lock.lock();
        try {
            if (slot.queued) {
                for (int k = 0; k < count; k++) {
                    if (at(k) == slot) {
                        removeAt(k);
                        break;
                    }
                }
                slot.queued = false;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Wakes waiters after capacity was freed elsewhere (a creation ended, the max size grew). */
    void signalChange() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** @return the slots idle now (references to slots that are out are not counted) */
    int size() {
        lock.lock();
        try {
            int idle = 0;
            for (int k = 0; k < count; k++) {
                if (ring[(head + k) % ring.length].state() == SlotState.IDLE) {
                    idle++;
                }
            }
            return idle;
        } finally {
            lock.unlock();
        }
    }

    private void signalIfWaiting() {
        if (waiters > 0) {
            changed.signal();
        }
    }

    /** @return the slot at position {@code k} from the cold end (under the lock) */
    @SuppressWarnings("unchecked")
    private Slot<C> at(int k) {
        return (Slot<C>) ring[(head + k) % ring.length];
    }

    /**
     * Removes the reference at position {@code k} from the cold end, moving the shorter side over it (under the
     * lock). Those after it move one position towards the cold end; those before it keep theirs.
     */
    private void removeAt(int k) {
        int len = ring.length;
        if (k < count / 2) {
            for (int j = k; j > 0; j--) {
                ring[(head + j) % len] = ring[(head + j - 1) % len];
            }
            ring[head] = null;
            head = (head + 1) % len;
        } else {
            for (int j = k; j < count - 1; j++) {
                ring[(head + j) % len] = ring[(head + j + 1) % len];
            }
            ring[(head + count - 1) % len] = null;
        }
        count--;
    }

    /** @return true if a slot in the ring is idle (under the lock) */
    private boolean anyIdle() {
        for (int k = 0; k < count; k++) {
            if (at(k).isIdle()) {
                return true;
            }
        }
        return false;
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
