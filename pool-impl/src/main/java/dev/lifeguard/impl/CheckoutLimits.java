package dev.lifeguard.impl;

import dev.lifeguard.IdleOrder;
import dev.lifeguard.PoolConfig;

/**
 * The settings every checkout and return consult, as plain numbers: worked out once per (re)configuration rather
 * than from {@code Duration}s on every lease.
 *
 * @param lifetimeOrFarNanos        the max lifetime, or {@link #FAR_LIFETIME_NANOS} for no limit: expiry is then
 *                                  worked out with no branch for "no limit"
 * @param validationThresholdNanos  0 to validate on every checkout
 * @param affinity                  the thread-affine path is on (LIFO order only; FIFO asks for rotation)
 */
record CheckoutLimits(long lifetimeOrFarNanos, long validationThresholdNanos,
                      boolean leakDetection, boolean validateOnReturn, boolean affinity, int maxSize) {
    /** A lifetime no connection reaches (2^61 ns, 73 years), yet far from overflowing when jitter is taken off. */
    static final long FAR_LIFETIME_NANOS = 1L << 61;

    static CheckoutLimits of(PoolConfig c) {
        long lifetime = c.maxLifetime().toNanos();
        return new CheckoutLimits(lifetime > 0 ? lifetime : FAR_LIFETIME_NANOS, c.validationThreshold().toNanos(),
                !c.leakDetectionThreshold().isZero(), c.validateOnReturn(), c.idleOrder() == IdleOrder.LIFO,
                c.maxSize());
    }

    /** @return true if a connection last known good at {@code lastCheckedNanos} must be validated at {@code now} */
    boolean mustValidate(long now, long lastCheckedNanos) {
        return validationThresholdNanos == 0 || now - lastCheckedNanos > validationThresholdNanos;
    }
}
