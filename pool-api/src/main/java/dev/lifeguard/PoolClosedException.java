package dev.lifeguard;

/** The pool was closed before or while the caller waited; it will never hand out a connection again. */
public final class PoolClosedException extends PoolException {
    private static final long serialVersionUID = 1L;

    public PoolClosedException(String poolName, PoolCounts counts) {
        super(poolName, "pool is closed", counts, null);
    }
}
