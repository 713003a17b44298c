package dev.lifeguard;

/**
 * Base of every failure a pool reports to a caller. Unchecked so that a lease fits a plain try-with-resources.
 * Each carries the pool's name and its {@linkplain #counts() counts} at the moment of failure, which is usually
 * what an operator needs to tell an undersized pool from a broken backend or a leak.
 */
public abstract class PoolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String poolName;
    private final PoolCounts counts;

    protected PoolException(String poolName, String message, PoolCounts counts, Throwable cause) {
        super("pool '" + poolName + "': " + message + " [" + counts + "]", cause);
        this.poolName = poolName;
        this.counts = counts;
    }

    /** @return the name of the pool that failed */
    public String poolName() {
        return poolName;
    }

    /** @return the pool's counts when this exception was made */
    public PoolCounts counts() {
        return counts;
    }
}
