package dev.lifeguard.impl;

import dev.lifeguard.LeaseInfo;
import dev.lifeguard.PoolConfig;
import dev.lifeguard.PoolMXBean;

import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * The MXBean of one pool. Reads go straight to the pool's live counters; each write derives a whole new config
 * from the current one and hands it to {@link LifeguardPool#reconfigure}, so validation is the config builder's and
 * a rejected write leaves the pool untouched.
 */
final class PoolMXBeanImpl implements PoolMXBean {
    private final LifeguardPool<?> pool;
    private final PoolMetrics m;

    PoolMXBeanImpl(LifeguardPool<?> pool) {
        this.pool = pool;
        this.m = pool.metrics();
    }

    @Override
    public String getName() {
        return pool.name();
    }

    @Override
    public int getTotalConnections() {
        return pool.counts().total();
    }

    @Override
    public int getActiveConnections() {
        return pool.counts().active();
    }

    @Override
    public int getIdleConnections() {
        return pool.counts().idle();
    }

    @Override
    public int getPendingWaiters() {
        return pool.counts().waiting();
    }

    @Override
    public int getMaxActiveEver() {
        return m.maxActiveEver();
    }

    @Override
    public long getCreatedCount() {
        return m.created.sum();
    }

    @Override
    public long getDestroyedCount() {
        return m.destroyed.sum();
    }

    @Override
    public long getAcquiredCount() {
        return m.acquired();
    }

    @Override
    public long getReturnedCount() {
        return m.returned();
    }

    @Override
    public long getInvalidatedCount() {
        return m.invalidated();
    }

    @Override
    public long getAcquireTimeoutCount() {
        return m.acquireTimeouts.sum();
    }

    @Override
    public long getCreationFailureCount() {
        return m.creationFailures.sum();
    }

    @Override
    public long getValidationFailureCount() {
        return m.validationFailures.sum();
    }

    @Override
    public long getEvictedIdleCount() {
        return m.evictedIdle.sum();
    }

    @Override
    public long getRetiredLifetimeCount() {
        return m.retiredLifetime.sum();
    }

    @Override
    public long getEvictedByOperatorCount() {
        return m.evictedByOperator.sum();
    }

    @Override
    public long getLeaksDetectedCount() {
        return m.leaksDetected.sum();
    }

    @Override
    public double getWaitTimeP50Millis() {
        return millis(m.waitTime.snapshot().p50());
    }

    @Override
    public double getWaitTimeP95Millis() {
        return millis(m.waitTime.snapshot().p95());
    }

    @Override
    public double getWaitTimeP99Millis() {
        return millis(m.waitTime.snapshot().p99());
    }

    @Override
    public double getWaitTimeMaxMillis() {
        return millis(m.waitTime.snapshot().max());
    }

    @Override
    public double getCreationTimeP50Millis() {
        return millis(m.creationTime.snapshot().p50());
    }

    @Override
    public double getCreationTimeP99Millis() {
        return millis(m.creationTime.snapshot().p99());
    }

    @Override
    public double getCreationTimeMaxMillis() {
        return millis(m.creationTime.snapshot().max());
    }

    @Override
    public double getLeaseTimeP50Millis() {
        return millis(m.leaseTime.snapshot().p50());
    }

    @Override
    public double getLeaseTimeP99Millis() {
        return millis(m.leaseTime.snapshot().p99());
    }

    @Override
    public double getLeaseTimeMaxMillis() {
        return millis(m.leaseTime.snapshot().max());
    }

    @Override
    public int getMaxSize() {
        return pool.config().maxSize();
    }

    @Override
    public void setMaxSize(int maxSize) {
        change(b -> b.maxSize(maxSize));
    }

    @Override
    public int getMinIdle() {
        return pool.config().minIdle();
    }

    @Override
    public void setMinIdle(int minIdle) {
        change(b -> b.minIdle(minIdle));
    }

    @Override
    public long getAcquireTimeoutMillis() {
        return pool.config().acquireTimeout().toMillis();
    }

    @Override
    public void setAcquireTimeoutMillis(long millis) {
        change(b -> b.acquireTimeout(Duration.ofMillis(millis)));
    }

    @Override
    public long getIdleTimeoutMillis() {
        return pool.config().idleTimeout().toMillis();
    }

    @Override
    public void setIdleTimeoutMillis(long millis) {
        change(b -> b.idleTimeout(Duration.ofMillis(millis)));
    }

    @Override
    public long getMaxLifetimeMillis() {
        return pool.config().maxLifetime().toMillis();
    }

    @Override
    public void setMaxLifetimeMillis(long millis) {
        change(b -> b.maxLifetime(Duration.ofMillis(millis)));
    }

    @Override
    public long getKeepaliveIntervalMillis() {
        return pool.config().keepaliveInterval().toMillis();
    }

    @Override
    public void setKeepaliveIntervalMillis(long millis) {
        change(b -> b.keepaliveInterval(Duration.ofMillis(millis)));
    }

    @Override
    public long getValidationThresholdMillis() {
        return pool.config().validationThreshold().toMillis();
    }

    @Override
    public void setValidationThresholdMillis(long millis) {
        change(b -> b.validationThreshold(Duration.ofMillis(millis)));
    }

    @Override
    public long getLeakDetectionThresholdMillis() {
        return pool.config().leakDetectionThreshold().toMillis();
    }

    @Override
    public void setLeakDetectionThresholdMillis(long millis) {
        change(b -> b.leakDetectionThreshold(Duration.ofMillis(millis)));
    }

    @Override
    public String getConfiguration() {
        return pool.config().toString();
    }

    @Override
    public void resize(int maxSize, int minIdle) {
        change(b -> b.maxSize(maxSize).minIdle(minIdle));
    }

    @Override
    public int evictIdle() {
        return pool.evictIdle();
    }

    @Override
    public int retireAll() {
        return pool.retireAll();
    }

    @Override
    public void resetStatistics() {
        pool.resetStatistics();
    }

    @Override
    public String dumpLeases() {
        StringBuilder out = new StringBuilder();
        for (LeaseInfo l : pool.leases()) {
            out.append("lease held by thread '").append(l.holderThread()).append("' since ").append(l.heldSince())
                    .append(" (").append(l.heldFor().toMillis()).append(" ms)\n");
            if (!l.acquiringStack().isEmpty()) {
                out.append(l.acquiringStack()).append('\n');
            }
        }
        return out.length() == 0 ? "no leases held in pool '" + pool.name() + "'" : out.toString();
    }

    /** Derives, validates and applies a whole new config; throws (and changes nothing) if it is invalid. */
    private void change(UnaryOperator<PoolConfig.Builder> edit) {
        pool.update(current -> edit.apply(current.toBuilder()).build());
    }

    private static double millis(Duration d) {
        return d.toNanos() / 1_000_000.0;
    }

}
