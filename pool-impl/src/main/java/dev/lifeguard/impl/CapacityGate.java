package dev.lifeguard.impl;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;

/**
 * The lease permits: one per lease, as many as the pool's max size (changed at runtime by {@link #resize}).
 *
 * <p>Waiters queue in arrival order and are served in that order (AQS shared mode); a timed-out or interrupted
 * waiter leaves the queue holding nothing. A caller that finds a permit free may take it ahead of the queue
 * ("barging") only while the queue is moving: once the queue has gone {@link #BARGE_WINDOW_NANOS} without a queued
 * waiter being served, newcomers must queue too, until it moves again. So no waiter starves, and a busy pool does
 * not pay a thread hand-off (a park and an unpark) on every single acquire, as a strictly fair queue would. For the
 * same reason a caller that finds no permit first yields the processor and retries a bounded number of times
 * before it queues ({@link #MAX_YIELDS}, {@link #YIELD_PHASE_NANOS}).
 */
final class CapacityGate {
    /** Released on close so that every waiter wakes at once, sees the pool closed, and gives its permit back. */
    private static final int CLOSE_FLOOD = 1 << 29;
    /** How long the queue may stall behind newcomers before newcomers must queue as well. */
    static final long BARGE_WINDOW_NANOS = TimeUnit.MICROSECONDS.toNanos(500);

    /** How many times a caller yields the processor and retries before it queues (within its timeout) ... */
    static final int MAX_YIELDS = 64;
    /**
     * ... and for at most this long, so that a caller that keeps losing soon takes its place in the queue. Shorter
     * phases (1 and 5 ms) were measured to lose the gain with work held (one yield on a loaded machine can last
     * milliseconds); 20 ms kept it, with the longest wait as short as before.
     */
    static final long YIELD_PHASE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final Sync sync;

    CapacityGate(int maxSize) {
        this.sync = new Sync(maxSize);
    }

    /**
     * Takes a permit, yielding and then waiting in the queue for up to {@code timeoutNanos} in all. With a zero
     * timeout it neither reads the clock nor parks: it tries once.
     */
    boolean tryAcquire(long timeoutNanos) throws InterruptedException {
        if (sync.tryAcquireSharedNanos(1, 0)) {
            return true;
        }
        if (timeoutNanos <= 0) {
            return false;
        }
        // Before queueing, yield the processor a few times and retry. Queueing means a park, and later an unpark
        // by whoever frees a permit, and the woken thread must then wait to be scheduled: on a busy machine
        // permits were seen to sit free while their takers were still waking (100 threads on 2 cores kept the
        // cores only two-thirds busy, a quarter of that in the kernel). A yielding caller keeps running instead, and
        // lets a holder run and give its connection back. Bounded in count and time (and by the caller's
        // timeout), and a yielding caller is a newcomer to the barging rule, so the queue is not starved. The
        // price: a yield can last a time slice on a loaded machine, and that counts as wait time (p99 wait with
        // 100 tasks on 10 connections has ranged from microseconds to milliseconds, throughput and longest wait
        // about the same).
        long start = System.nanoTime();
        long yieldFor = Math.min(timeoutNanos, YIELD_PHASE_NANOS);
        for (int i = 0; i < MAX_YIELDS && System.nanoTime() - start < yieldFor; i++) {
            Thread.yield();
            if (sync.tryAcquireSharedNanos(1, 0)) {
                return true;
            }
        }
        long left = timeoutNanos - (System.nanoTime() - start);
        if (left <= 0) {
            return false;
        }
        // About to queue. If nobody was queued, the queue's clock starts now (not at some older grant).
        if (!sync.hasQueuedThreads()) {
            sync.queueProgress = System.nanoTime();
        }
        boolean got = sync.tryAcquireSharedNanos(1, left);
        if (got) {
            // A queued waiter was served: the queue moved, so newcomers may barge for another window.
            sync.queueProgress = System.nanoTime();
        }
        return got;
    }

    void release() {
        sync.releaseShared(1);
    }

    /** @return true if a caller is queued for a permit; cheap when none is (two reads) */
    boolean hasWaiters() {
        return sync.hasQueuedThreads();
    }

    int waiting() {
        return sync.getQueueLength();
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

    private static final class Sync extends AbstractQueuedSynchronizer {
        private static final long serialVersionUID = 1L;

        /** When a queued waiter was last served (or the queue formed); read racily, an approximation suffices. */
        volatile long queueProgress;

        Sync(int permits) {
            setState(permits);
        }

        @Override
        protected int tryAcquireShared(int acquires) {
            // No permit free: nothing to decide (and no clock to read, which matters on a saturated pool).
            if (getState() < acquires) {
                return -1;
            }
            // A newcomer (one with queued predecessors) may go first only while the queue keeps moving.
            if (hasQueuedPredecessors() && System.nanoTime() - queueProgress > BARGE_WINDOW_NANOS) {
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
