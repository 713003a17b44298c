package dev.lifeguard.impl;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keeps a failing backend from being hammered. While the backend is healthy any number of connections may be
 * made at once. After a failure, attempts wait out a back-off that doubles per consecutive failure (up to a
 * maximum), and then only one attempt at a time goes ahead (a probe); its success reopens the gate for all.
 */
final class CreationThrottle {
    private final NanoClock clock;
    private final AtomicBoolean probeInFlight = new AtomicBoolean();
    private volatile Duration initial;
    private volatile Duration max;

    // Written under "this" on failure/success; read racily (volatile) on the hot path.
    private volatile int consecutiveFailures;
    private volatile long nextAttemptNanos;
    private volatile Throwable lastFailure;
    /** Failures ever: lets a waiter tell whether one happened during its wait. */
    private volatile long failuresEver;

    CreationThrottle(Duration initial, Duration max, NanoClock clock) {
        this.initial = initial;
        this.max = max;
        this.clock = clock;
    }

    /**
     * Asks to make a connection now.
     *
     * @return true if the caller may call the factory; it must then report {@link #succeeded} or
     *         {@link #failed}
     */
    boolean tryBeginAttempt() {
        if (consecutiveFailures == 0) {
            return true;
        }
        if (clock.nanoTime() - nextAttemptNanos < 0) {
            return false;
        }
        return probeInFlight.compareAndSet(false, true);
    }

    /** Gives back an attempt granted by {@link #tryBeginAttempt} but not made (no room after all). */
    void abandonAttempt() {
        if (consecutiveFailures > 0) {
            probeInFlight.set(false);
        }
    }

    void configure(Duration newInitial, Duration newMax) {
        this.initial = newInitial;
        this.max = newMax;
    }

    synchronized void succeeded() {
        consecutiveFailures = 0;
        probeInFlight.set(false);
    }

    synchronized void failed(Throwable cause) {
        int n = ++consecutiveFailures;
        long backoff = initial.toNanos();
        for (int i = 1; i < n && backoff < max.toNanos(); i++) {
            backoff *= 2;
        }
        backoff = Math.min(backoff, max.toNanos());
        nextAttemptNanos = clock.nanoTime() + backoff;
        lastFailure = cause;
        failuresEver++;
        probeInFlight.set(false);
    }

    /** @return the most recent failure while the backend is still failing, else null */
    Throwable lastFailure() {
        return consecutiveFailures == 0 ? null : lastFailure;
    }

    /** @return a mark to pass to {@link #failureDuring} when a wait ends */
    long failureMark() {
        return failuresEver;
    }

    /**
     * The cause to give a caller whose wait began at {@code mark} and has timed out: the most recent failure if
     * one happened during the wait (even if the backend has recovered since: the wait was spent in the outage),
     * or if the backend is still failing; else null.
     */
    Throwable failureDuring(long mark) {
        return failuresEver != mark ? lastFailure : lastFailure();
    }

    /** @return how long until the next attempt is allowed (zero when healthy or due) */
    long nanosUntilNextAttempt() {
        if (consecutiveFailures == 0) {
            return 0;
        }
        return Math.max(0, nextAttemptNanos - clock.nanoTime());
    }

    int consecutiveFailures() {
        return consecutiveFailures;
    }
}
