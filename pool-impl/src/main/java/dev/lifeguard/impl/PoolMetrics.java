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
 * <p>A lease that begins and ends without trouble writes none of these: each connection counts its own leases
 * (written only by its owner, see {@link LeaseTally}), and "returned" is what is neither active nor invalidated.
 * Two shared counter updates per lease were two locked instructions on the fastest path, a third of its cost.
 * Lease counts are therefore never reset; {@link #reset} moves their baselines instead.
 */
final class PoolMetrics {
    final LongAdder created = new LongAdder();
    final LongAdder destroyed = new LongAdder();
    /** Leases that had to take the shared path (a permit, the idle store, maybe a wait or a creation). */
    private final LongAdder acquiredShared = new LongAdder();
    private final LongAdder invalidated = new LongAdder();
    /** Where the lease counts come from: the connections themselves (see {@link LeaseTally}). */
    private final LeaseTally tally;
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

    PoolMetrics(Duration window, NanoClock clock, LeaseTally tally) {
        this.tally = tally;
        // Leases not counted as shared took the thread-affine path: no wait, so they count as zeros.
        waitTime = new LatencyWindow(window, clock, () -> tally.leasesBegun() - acquiredShared.sum());
        creationTime = new LatencyWindow(window, clock);
        leaseTime = new LatencyWindow(window, clock);
    }

    /** A lease began on the shared path (the thread-affine path is counted by its connection alone). */
    void sharedLeaseBegun() {
        acquiredShared.increment();
    }

    /** A lease ended by invalidation (or at a drain deadline); other ends are counted by their connection. */
    void leaseInvalidated() {
        invalidated.increment();
    }

    long acquired() {
        return tally.leasesBegun() - acquiredBaseline;
    }

    /**
     * Leases ended by a return: every lease begun is active, invalidated or returned. Read active first, then
     * begun, so that a lease beginning meanwhile is not taken for a returned one.
     */
    long returned() {
        int active = tally.leasedNow();
        return Math.max(0, returnedSince(tally.leasesBegun(), active) - returnedBaseline);
    }

    /** @return leases returned over the pool's life: every lease begun is active, invalidated or returned */
    private long returnedSince(long begun, int active) {
        return begun - active - invalidated.sum();
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
        long begun = tally.leasesBegun();
        acquiredBaseline = begun;
        returnedBaseline = Math.max(0, returnedSince(begun, activeNow));
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
