package dev.lifeguard;

import java.time.Duration;

/**
 * No connection became available within the acquire timeout. When connection creation was failing during the
 * wait, the last creation failure is the cause, so a caller can tell "pool too small" from "backend down".
 */
public final class AcquireTimeoutException extends PoolException {
    private static final long serialVersionUID = 1L;

    private final Duration timeout;

    public AcquireTimeoutException(String poolName, Duration timeout, PoolCounts counts, Throwable cause) {
        super(poolName, "no connection available within " + timeout
                + (cause == null ? "" : "; last connection attempt failed: " + cause), counts, cause);
        this.timeout = timeout;
    }

    /** @return the timeout the caller waited */
    public Duration timeout() {
        return timeout;
    }
}
