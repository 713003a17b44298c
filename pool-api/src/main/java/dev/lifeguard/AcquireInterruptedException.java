package dev.lifeguard;

/**
 * The calling thread was interrupted while it waited in {@code acquire}. The thread's interrupt flag is set
 * again before this is thrown, and the caller holds no capacity.
 */
public final class AcquireInterruptedException extends PoolException {
    private static final long serialVersionUID = 1L;

    public AcquireInterruptedException(String poolName, PoolCounts counts, InterruptedException cause) {
        super(poolName, "interrupted while waiting for a connection", counts, cause);
    }
}
