package dev.lifeguard;

/**
 * The pool needed a new connection and the {@link ConnectionFactory} could not make one. The factory's exception
 * is the cause. While creation keeps failing the pool backs off, and callers that arrive during the back-off get
 * this exception with the same cause instead of each hammering the backend.
 */
public final class ConnectionCreationException extends PoolException {
    private static final long serialVersionUID = 1L;

    public ConnectionCreationException(String poolName, String message, PoolCounts counts, Throwable cause) {
        super(poolName, message, counts, cause);
    }
}
