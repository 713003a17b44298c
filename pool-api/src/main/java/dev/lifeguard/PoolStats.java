package dev.lifeguard;

/**
 * A snapshot of a pool's live counts, counters since start (or the last reset) and recent latencies. Each field
 * is read without stopping the pool, so under load two fields may be a few operations apart; when no lease is
 * changing hands, each is exact.
 *
 * @param counts              occupancy now
 * @param maxActiveEver       the most leases seen held at once since start or reset. Counted on every acquire that
 *                            goes through the pool's shared path (all but a thread taking back the connection it
 *                            last returned), on a sample of the others, and by each maintenance pass: counting on
 *                            every acquire would cost each one a walk of the connections, so a brief peak reached
 *                            only by threads taking back their own connections can be missed
 * @param created             connections made
 * @param destroyed           connections destroyed (for any reason)
 * @param acquired            leases handed out
 * @param returned            leases ended with {@code close()}
 * @param invalidated         leases ended with {@code invalidate()}
 * @param acquireTimeouts     acquires that timed out
 * @param creationFailures    failed attempts to make a connection
 * @param validationFailures  validations (checkout, return, keepalive) that failed
 * @param evictedIdle         connections destroyed for idling past the idle timeout
 * @param retiredLifetime     connections destroyed for outliving the max lifetime
 * @param evictedByOperator   connections destroyed by {@code evictIdle} or {@code retireAll}
 * @param leaksDetected       leases reported as possible leaks
 * @param waitTime            time callers waited in {@code acquire}
 * @param creationTime        time the factory took to make a connection
 * @param leaseTime           time leases were held
 */
public record PoolStats(PoolCounts counts, int maxActiveEver, long created, long destroyed, long acquired,
                        long returned, long invalidated, long acquireTimeouts, long creationFailures,
                        long validationFailures, long evictedIdle, long retiredLifetime, long evictedByOperator,
                        long leaksDetected, Latency waitTime, Latency creationTime, Latency leaseTime) {
}
