package dev.lifeguard.impl;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The lease permits: a fair semaphore, so waiting callers are served in arrival order and a timed-out or
 * interrupted waiter leaves holding nothing (the JDK's AQS guarantees both). One permit per lease; the number
 * of permits is the pool's max size, changed at runtime by {@link #resize}.
 */
final class CapacityGate {
    /** Released on close so that every waiter wakes at once, sees the pool closed, and gives its permit back. */
    private static final int CLOSE_FLOOD = 1 << 29;

    private final ResizableSemaphore permits;

    CapacityGate(int maxSize) {
        this.permits = new ResizableSemaphore(maxSize);
    }

    /**
     * Takes a permit, waiting in FIFO order. {@code tryAcquire(timeout)} on a fair semaphore honours the queue
     * even for a zero timeout (unlike the no-argument form, which barges).
     */
    boolean tryAcquire(long timeoutNanos) throws InterruptedException {
        // With a zero timeout, AQS neither reads the clock nor parks: it tries once, behind any queued waiter.
        return permits.tryAcquire(timeoutNanos, TimeUnit.NANOSECONDS);
    }

    void release() {
        permits.release();
    }

    int waiting() {
        return permits.getQueueLength();
    }

    /** Caller serialises resizes; a shrink may leave the count negative until leases come back. */
    void resize(int oldMax, int newMax) {
        if (newMax > oldMax) {
            permits.release(newMax - oldMax);
        } else if (newMax < oldMax) {
            permits.shrink(oldMax - newMax);
        }
    }

    void openFloodgates() {
        permits.release(CLOSE_FLOOD);
    }

    private static final class ResizableSemaphore extends Semaphore {
        private static final long serialVersionUID = 1L;

        ResizableSemaphore(int permits) {
            super(permits, true);
        }

        void shrink(int by) {
            reducePermits(by);
        }
    }
}
