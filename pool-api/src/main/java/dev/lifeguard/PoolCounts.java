package dev.lifeguard;

/**
 * The pool's occupancy at one moment, carried by every {@link PoolException}.
 *
 * @param total   connections that exist (idle + leased + being validated or created)
 * @param active  connections currently leased
 * @param idle    connections waiting in the pool to be reused
 * @param waiting callers blocked in {@code acquire} waiting for capacity
 * @param maxSize the configured maximum at that moment
 */
public record PoolCounts(int total, int active, int idle, int waiting, int maxSize) {

    @Override
    public String toString() {
        return "total=" + total + ", active=" + active + ", idle=" + idle + ", waiting=" + waiting
                + ", maxSize=" + maxSize;
    }
}
