package dev.lifeguard.impl;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;

/**
 * The lease permits: one per lease, as many as the pool's max size (changed at runtime by {@link #resize}).
 *
 * <p>Waiters queue in arrival order and are served in that order (AQS shared mode); a timed-out or interrupted
 * waiter leaves the queue holding nothing. Callers may go ahead of the queue only while it is moving: a caller that
 * finds a permit free may take it ahead of queued waiters ("barging") until the queue has gone
 * {@link #BARGE_WINDOW_NANOS} without a queued waiter being served, and the pool's thread-affine path may skip the
 * gate altogether until it has gone {@link #AFFINE_STALL_NANOS} so ({@link #queueStalled}); from then on newcomers
 * queue too, and one affine caller a millisecond gives its connection up to the waiters and queues behind them,
 * until the queue moves again. So no waiter starves (the longest wait is bounded by the queue's length times these
 * windows and the time its threads wait for a core), and a busy pool does not pay a thread hand-off (a park, an
 * unpark, and the woken thread's wait to be scheduled) on every acquire, as a strictly fair queue would.
 */
final class CapacityGate {
    /** Released on close so that every waiter wakes at once, sees the pool closed, and gives its permit back. */
    private static final int CLOSE_FLOOD = 1 << 29;
    private static final VarHandle MAY_QUEUE;

    static {
        try {
            MAY_QUEUE = MethodHandles.lookup().findVarHandle(CapacityGate.class, "mayQueue", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    /**
     * How long the queue may go without serving a waiter while newcomers go ahead of it. Measured with 100 tasks
     * on 10 connections (2 cores, 1 million acquires): 0.5 ms gave p99 wait ~11 µs and a longest wait of 55-73
     * ms; 1 ms gave p99 3-5 µs and 74-95 ms; 2 ms gave p99 2-4 µs but 160-176 ms.
     */
    static final long BARGE_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /**
     * How long the queue may go without serving a waiter while the thread-affine path goes ahead of it: longer than
     * the barge window, because stopping the affine path stops every running caller, not one newcomer. A woken
     * waiter waits for a core, on a busy machine a scheduler time slice or more; at 1 ms such waits read as stalls,
     * and every running caller then queued behind a queue that was only waiting for cores (100 tasks on 10
     * connections, 2 cores: the gate queue stayed about 98 long with all 10 permits free, and the cores idled about
     * 14% of the time). Measured on that case, holding for ~1 µs of work: at 1 ms 2.6-3.1M acquire+release/s and a
     * longest wait of 110-150 ms; at 2 ms 3.5M and 165-182 ms; at 5 ms 3.7M and 320-363 ms, the wait-time case's
     * p99.9 falling from 60-130 ms to 1-44 µs; never (the gate ignored) 3.2-3.3M and 510-640 ms.
     */
    static final long AFFINE_STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    /** How a caller takes a permit (the argument AQS passes on to {@code tryAcquireShared}). */
    static final int MAY_GO_AHEAD = 1;
    /**
     * Behind every queued waiter. For a caller whose thread-affine connection went to waiters that stalled: had it
     * taken a permit ahead of the queue (which moves again once they are served), it would wait in the idle store
     * for a connection, holding the permit, and take the next one handed back ahead of the waiter it was meant for.
     * With work at 100 threads, such callers (up to one per permit) filled the store for seconds at a time, each
     * connection they were handed sitting idle until a woken waiter got a core: 1.8-2.9M acquire+release/s instead
     * of 4.0-4.4M, in 3 JVMs of 10; going behind the queue, in none of 10 (mean 3.87M before, 4.03M after).
     */
    static final int BEHIND_WAITERS = 2;

    private final Sync sync;
    /**
     * Callers in {@link #tryAcquire} that may queue: counted around the timed wait (the slow path only), so that
     * {@link #mayHaveQueue} is one read where AQS walks its queue.
     */
    private volatile int mayQueue;

    CapacityGate(int maxSize) {
        this.sync = new Sync(maxSize);
    }

    /**
     * Takes a permit, waiting in the queue for up to {@code timeoutNanos}. With a zero timeout it neither reads
     * the clock nor parks: it tries once.
     *
     * @param behindWaiters never go ahead of queued waiters, even while the queue moves: for a caller that has just
     *                      given its connection up to waiters that stalled
     */
    boolean tryAcquire(long timeoutNanos, boolean behindWaiters) throws InterruptedException {
        int arg = behindWaiters ? BEHIND_WAITERS : MAY_GO_AHEAD;
        if (sync.tryAcquireSharedNanos(arg, 0)) {
            return true;
        }
        if (timeoutNanos <= 0) {
            return false;
        }
        // About to queue. If nobody was queued, the queue's clock starts now (not at some older grant).
        if (!sync.hasQueuedThreads()) {
            sync.queueProgress = System.nanoTime();
        }
        // Counted from before it queues until it leaves: a fast path that reads no count passes nobody in line.
        MAY_QUEUE.getAndAdd(this, 1);
        try {
            boolean got = sync.tryAcquireSharedNanos(arg, timeoutNanos);
            if (got) {
                // A queued waiter was served: the queue moved, so newcomers may go ahead for another window.
                sync.queueProgress = System.nanoTime();
            }
            return got;
        } finally {
            MAY_QUEUE.getAndAdd(this, -1);
        }
    }

    void release() {
        sync.releaseShared(1);
    }

    /** @return whether anyone waits for a permit */
    boolean hasQueue() {
        return sync.hasQueuedThreads();
    }

    /** @return false if nobody waits for a permit; one read, for the fast path (true may also mean about to) */
    boolean mayHaveQueue() {
        return mayQueue != 0;
    }

    /**
     * @param nowNanos a System.nanoTime reading
     * @return true if a caller is queued and no queued waiter has been served for {@link #AFFINE_STALL_NANOS};
     *         cheap (two reads) when nobody is queued
     */
    boolean queueStalled(long nowNanos) {
        return sync.hasQueuedThreads() && nowNanos - sync.queueProgress > AFFINE_STALL_NANOS;
    }

    /**
     * @return when a queued waiter was last served, or the queue formed (System.nanoTime); for tests, since the
     *         pool judges the window by {@link #queueStalled}
     */
    long queueProgressNanos() {
        return sync.queueProgress;
    }

    int waiting() {
        return sync.getQueueLength();
    }

    /** @return the permits free now (negative while leases above a lowered max are still out) */
    int available() {
        return sync.permits();
    }

    /** Caller serialises resizes; a shrink may leave the count negative until leases come back. */
    void resize(int oldMax, int newMax) {
        if (newMax != oldMax) {
            sync.add(newMax - oldMax);
        }
    }

    void openFloodgates() {
        sync.add(CLOSE_FLOOD);
    }

    static final class Sync extends AbstractQueuedSynchronizer {
        private static final long serialVersionUID = 1L;

        /** When a queued waiter was last served (or the queue formed); read racily, an approximation suffices. */
        volatile long queueProgress;

        Sync(int permits) {
            setState(permits);
        }

        /** @param how {@link #MAY_GO_AHEAD} or {@link #BEHIND_WAITERS}; either way it takes one permit */
        @Override
        protected int tryAcquireShared(int how) {
            int acquires = 1;
            // No permit free: nothing to decide (and no clock to read, which matters on a saturated pool).
            if (getState() < acquires) {
                return -1;
            }
            // Once queued and first in line, a caller has no predecessors: this decides only for newcomers.
            if (hasQueuedPredecessors() && !mayGoAhead(how)) {
                return -1;
            }
            for (;;) {
                int available = getState();
                int remaining = available - acquires;
                if (remaining < 0 || compareAndSetState(available, remaining)) {
                    return remaining;
                }
            }
        }

        /**
         * Whether a newcomer may take a permit ahead of queued waiters: only while the queue keeps moving, and not
         * at all if it has just given its connection up to them.
         */
        boolean mayGoAhead(int how) {
            return how == MAY_GO_AHEAD && System.nanoTime() - queueProgress <= BARGE_WINDOW_NANOS;
        }

        @Override
        protected boolean tryReleaseShared(int releases) {
            for (;;) {
                int current = getState();
                int next = current + releases;
                if (compareAndSetState(current, next)) {
                    return true;
                }
            }
        }

        int permits() {
            return getState();
        }

        /** Adds (or, negative, removes) permits; the count may go below zero while leases above a new max end. */
        void add(int delta) {
            if (delta > 0) {
                releaseShared(delta);
                return;
            }
            for (;;) {
                int current = getState();
                if (compareAndSetState(current, current + delta)) {
                    return;
                }
            }
        }
    }
}
