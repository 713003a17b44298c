package dev.lifeguard.impl;

import dev.lifeguard.PoolCounts;
import dev.lifeguard.PoolStats;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters and latency windows of one pool. {@link LongAdder}s so that concurrent updates do not contend on one
 * cache line; the peak of active leases is a CAS-max.
 *
 * <p>The lease counters are never reset, because the number of active leases is derived from them (there is no
 * shared "active" counter for every acquire and return to write); {@link #reset} moves their baselines instead.
 */
final class PoolMetrics {
    final LongAdder created = new LongAdder();
    final LongAdder destroyed = new LongAdder();
    /** Leases that had to take the shared path (a permit, the idle store, maybe a wait or a creation). */
    private final LongAdder acquiredShared = new LongAdder();
    /** Leases served by the thread-affine path: no wait, so they count as zero in the wait-time percentiles. */
    private final LongAdder acquiredAffine = new LongAdder();
    private final LongAdder returned = new LongAdder();
    private final LongAdder invalidated = new LongAdder();
    private volatile long acquiredBaseline;
    private volatile long returnedBaseline;
    private volatile long invalidatedBaseline;
    final LongAdder acquireTimeouts = new LongAdder();
    final LongAdder creationFailures = new LongAdder();
    final LongAdder validationFailures = new LongAdder();
    final LongAdder evictedIdle = new LongAdder();
    final LongAdder retiredLifetime = new LongAdder();
    final LongAdder evictedByOperator = new LongAdder();
    final LongAdder leaksDetected = new LongAdder();
    private final AtomicInteger maxActiveEver = new AtomicInteger();

    final LatencyWindow waitTime;
    final LatencyWindow creationTime;
    final LatencyWindow leaseTime;

    PoolMetrics(Duration window, NanoClock clock) {
        waitTime = new LatencyWindow(window, clock, acquiredAffine::sum);
        creationTime = new LatencyWindow(window, clock);
        leaseTime = new LatencyWindow(window, clock);
    }

    void leaseBegun(boolean affine) {
        (affine ? acquiredAffine : acquiredShared).increment();
    }

    void leaseEnded(boolean broken) {
        (broken ? invalidated : returned).increment();
    }

    /**
     * Leases active now. Ended leases are read before begun ones, so leases that begin and end meanwhile are counted
     * as still active (the pool caps the figure at its number of connections), never as a negative; exact whenever
     * no lease is changing hands.
     */
    int active() {
        long ended = returned.sum() + invalidated.sum();
        long begun = acquiredShared.sum() + acquiredAffine.sum();
        return (int) Math.max(0, begun - ended);
    }

    long acquired() {
        return acquiredShared.sum() + acquiredAffine.sum() - acquiredBaseline;
    }

    long returned() {
        return returned.sum() - returnedBaseline;
    }

    long invalidated() {
        return invalidated.sum() - invalidatedBaseline;
    }

    void activeNow(int active) {
        int peak;
        while (active > (peak = maxActiveEver.get())) {
            if (maxActiveEver.compareAndSet(peak, active)) {
                return;
            }
        }
    }

    int maxActiveEver() {
        return maxActiveEver.get();
    }

    void roll() {
        waitTime.roll();
        creationTime.roll();
        leaseTime.roll();
    }

    void reset(int activeNow) {
        for (LongAdder a : new LongAdder[] {created, destroyed, acquireTimeouts, creationFailures,
                validationFailures, evictedIdle, retiredLifetime, evictedByOperator, leaksDetected}) {
            a.reset();
        }
        acquiredBaseline = acquiredShared.sum() + acquiredAffine.sum();
        returnedBaseline = returned.sum();
        invalidatedBaseline = invalidated.sum();
        maxActiveEver.set(activeNow);
        waitTime.reset();
        creationTime.reset();
        leaseTime.reset();
    }

    PoolStats snapshot(PoolCounts counts) {
        return new PoolStats(counts, maxActiveEver(), created.sum(), destroyed.sum(), acquired(),
                returned(), invalidated(), acquireTimeouts.sum(), creationFailures.sum(),
                validationFailures.sum(), evictedIdle.sum(), retiredLifetime.sum(), evictedByOperator.sum(),
                leaksDetected.sum(), waitTime.snapshot(), creationTime.snapshot(), leaseTime.snapshot());
    }
}
