package dev.lifeguard.impl;

import dev.lifeguard.PoolCounts;
import dev.lifeguard.PoolStats;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters and latency windows of one pool. {@link LongAdder}s so that concurrent updates do not contend on one
 * cache line; the peak of active leases is a CAS-max.
 */
final class PoolMetrics {
    final LongAdder created = new LongAdder();
    final LongAdder destroyed = new LongAdder();
    final LongAdder acquired = new LongAdder();
    final LongAdder returned = new LongAdder();
    final LongAdder invalidated = new LongAdder();
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
        waitTime = new LatencyWindow(window, clock);
        creationTime = new LatencyWindow(window, clock);
        leaseTime = new LatencyWindow(window, clock);
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
        for (LongAdder a : new LongAdder[] {created, destroyed, acquired, returned, invalidated, acquireTimeouts,
                creationFailures, validationFailures, evictedIdle, retiredLifetime, evictedByOperator,
                leaksDetected}) {
            a.reset();
        }
        maxActiveEver.set(activeNow);
        waitTime.reset();
        creationTime.reset();
        leaseTime.reset();
    }

    PoolStats snapshot(PoolCounts counts) {
        return new PoolStats(counts, maxActiveEver(), created.sum(), destroyed.sum(), acquired.sum(),
                returned.sum(), invalidated.sum(), acquireTimeouts.sum(), creationFailures.sum(),
                validationFailures.sum(), evictedIdle.sum(), retiredLifetime.sum(), evictedByOperator.sum(),
                leaksDetected.sum(), waitTime.snapshot(), creationTime.snapshot(), leaseTime.snapshot());
    }
}
