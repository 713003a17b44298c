package dev.lifeguard.impl;

/**
 * The lease counts that {@link PoolMetrics} reads from the connections themselves: each slot counts its own leases
 * (a field only its owner writes), so beginning and ending a lease updates no shared counter.
 */
interface LeaseTally {
    /**
     * @return leases begun over the pool's life; may briefly miss those of a connection being destroyed at that
     *         moment, never counts one twice
     */
    long leasesBegun();

    /** @return leases active now */
    int leasedNow();
}
