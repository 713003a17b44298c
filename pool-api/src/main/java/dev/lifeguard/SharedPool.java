package dev.lifeguard;

import java.time.Duration;

/**
 * The part of a pool an application may use when someone else owns the pool (a resource adapter in an
 * application server): lease connections and watch the pool. Closing and tuning belong to the owner (and to
 * operators, through the {@link PoolMXBean}), so they are not offered here.
 *
 * @param <C> the connection type
 */
public interface SharedPool<C> {

    /** @return the pool's name */
    String name();

    /**
     * Leases a connection, waiting up to the pool's acquire timeout. See {@link Pool#acquire()}.
     *
     * @return a lease; end it with {@link Lease#close()} or {@link Lease#invalidate()}
     */
    Lease<C> acquire();

    /**
     * Leases a connection, waiting up to {@code timeout}. See {@link Pool#acquire(Duration)}.
     *
     * @param timeout how long to wait; zero means "only if one can be had without waiting"
     * @return a lease
     */
    Lease<C> acquire(Duration timeout);

    /** @return a snapshot of the pool's counts and metrics */
    PoolStats stats();

    /** @return the pool's current occupancy */
    PoolCounts counts();

    /** @return the config in force */
    PoolConfig config();
}
