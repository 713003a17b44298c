package dev.lifeguard;

import java.time.Duration;
import java.util.List;

/**
 * A bounded pool of reusable connections. Make one with {@link Pools#create(PoolConfig, ConnectionFactory)}.
 *
 * <p>Guarantees, whatever callers do:
 * <ul>
 *   <li>No more than {@link PoolConfig#maxSize()} connections exist or are leased at once.</li>
 *   <li>A connection is leased to at most one caller at a time, and destroyed exactly once.</li>
 *   <li>A caller that gives up (timeout, interrupt, failure) holds nothing afterwards: capacity is never lost.</li>
 *   <li>Waiting callers are served in arrival order. A caller that finds a connection free may take it ahead of
 *       them only while the queue keeps moving (within half a millisecond), so no caller starves.</li>
 *   <li>No factory call (network I/O) happens while the pool holds a lock.</li>
 * </ul>
 *
 * <p>All methods are thread-safe.
 *
 * @param <C> the connection type
 */
public interface Pool<C> extends SharedPool<C>, AutoCloseable {

    /** @return the pool's name, as configured */
    @Override
    String name();

    /**
     * Leases a connection, waiting up to the configured {@link PoolConfig#acquireTimeout()}.
     *
     * @return a lease; the caller must end it with {@link Lease#close()} or {@link Lease#invalidate()}
     * @throws AcquireTimeoutException      no connection within the timeout (with the last creation failure as
     *                                      cause, if there was one)
     * @throws ConnectionCreationException  a new connection was needed and could not be made
     * @throws PoolClosedException          the pool is closed, or was closed while the caller waited
     * @throws AcquireInterruptedException  the thread was interrupted while waiting (its flag is set again)
     */
    @Override
    Lease<C> acquire();

    /**
     * Leases a connection, waiting up to {@code timeout}.
     *
     * @param timeout how long to wait; zero means "only if one can be had without waiting"
     * @return a lease, as for {@link #acquire()}
     * @throws IllegalArgumentException if {@code timeout} is null or negative
     */
    @Override
    Lease<C> acquire(Duration timeout);

    /** @return a snapshot of the pool's counts and metrics */
    @Override
    PoolStats stats();

    /** @return the pool's current occupancy, cheaper than {@link #stats()} */
    @Override
    PoolCounts counts();

    /** @return the config in force */
    @Override
    PoolConfig config();

    /**
     * Swaps in a new config as a whole. Only the settings documented as runtime-changeable may differ from the
     * current config (maxSize, minIdle, acquireTimeout, idleTimeout, maxLifetime, keepaliveInterval,
     * validationThreshold, leakDetectionThreshold); anything else is rejected and nothing changes. Growing
     * {@code maxSize} serves waiting callers at once; shrinking it retires the excess as leases are returned.
     *
     * @param newConfig the complete new config
     * @throws IllegalArgumentException naming the fixed setting that differs; the pool is unchanged
     */
    void reconfigure(PoolConfig newConfig);

    /**
     * Destroys every idle connection now (an operator's action; leased connections are untouched). The
     * maintenance task tops the pool back up to {@code minIdle}.
     *
     * @return how many connections were destroyed
     */
    int evictIdle();

    /**
     * Retires every connection that exists now: idle ones are destroyed at once, leased ones when they are
     * returned. Connections made afterwards are unaffected. Use it to roll over to a restarted backend.
     *
     * @return how many connections were marked for retirement
     */
    int retireAll();

    /** Zeroes the counters and latency histograms; live counts are unaffected. */
    void resetStatistics();

    /** @return one entry per lease held now, oldest first */
    List<LeaseInfo> leases();

    /** @return whether {@link #close()} has been called */
    boolean isClosed();

    /**
     * Closes the pool at once: waiting callers fail with {@link PoolClosedException}, idle connections are
     * destroyed, leased ones are destroyed when returned, maintenance stops. Idempotent.
     */
    @Override
    void close();

    /**
     * Closes the pool gracefully: like {@link #close()}, but then waits up to {@code drainTimeout} for leased
     * connections to be returned, and destroys any still out after that (their leases then fail on use).
     *
     * @param drainTimeout how long to wait for leases to come back
     * @return {@code true} if every lease came back in time
     */
    boolean close(Duration drainTimeout);
}
