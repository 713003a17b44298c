package dev.lifeguard;

/**
 * The management view of one pool, for JConsole, VisualVM or any JMX client. Registered under
 * {@code dev.lifeguard:type=Pool,name=<pool name>} when the application (or the resource adapter) asks for it,
 * and unregistered when the pool closes.
 *
 * <p>Live counts are read at the moment of the call. Latency percentiles cover a recent window (six maintenance
 * intervals). Every write is validated as a whole new config: an invalid value is rejected with an
 * {@link IllegalArgumentException} naming the setting, the rule and the value, and nothing changes. Times are in
 * milliseconds; zero turns a setting off where its description says so.
 */
public interface PoolMXBean {

    @Description("The pool's name")
    String getName();

    // ---- live counts ----

    @Description("Connections that exist now: idle + leased + being validated or created")
    int getTotalConnections();

    @Description("Connections leased to callers now")
    int getActiveConnections();

    @Description("Connections idle in the pool now")
    int getIdleConnections();

    @Description("Callers waiting in acquire for a connection now")
    int getPendingWaiters();

    @Description("The most connections seen leased at once since start or the last statistics reset (counted on"
            + " acquires through the shared path, a sample of thread-affine ones, and each maintenance pass)")
    int getMaxActiveEver();

    // ---- counters since start or reset ----

    @Description("Connections created")
    long getCreatedCount();

    @Description("Connections destroyed, for any reason")
    long getDestroyedCount();

    @Description("Leases handed out")
    long getAcquiredCount();

    @Description("Leases ended by close (returned)")
    long getReturnedCount();

    @Description("Leases ended by invalidate (connection discarded as broken)")
    long getInvalidatedCount();

    @Description("Acquires that timed out")
    long getAcquireTimeoutCount();

    @Description("Failed attempts to create a connection")
    long getCreationFailureCount();

    @Description("Validations (checkout, return, keepalive) that failed; each such connection was evicted")
    long getValidationFailureCount();

    @Description("Connections evicted for idling longer than the idle timeout")
    long getEvictedIdleCount();

    @Description("Connections retired for outliving the max lifetime")
    long getRetiredLifetimeCount();

    @Description("Connections evicted or retired by an operator (evictIdle, retireAll)")
    long getEvictedByOperatorCount();

    @Description("Leases held longer than the leak detection threshold (each reported once)")
    long getLeaksDetectedCount();

    // ---- latencies over the recent window, in milliseconds ----

    @Description("Time callers waited in acquire, 50th percentile, ms")
    double getWaitTimeP50Millis();

    @Description("Time callers waited in acquire, 95th percentile, ms")
    double getWaitTimeP95Millis();

    @Description("Time callers waited in acquire, 99th percentile, ms")
    double getWaitTimeP99Millis();

    @Description("Time callers waited in acquire, maximum, ms")
    double getWaitTimeMaxMillis();

    @Description("Time to create a connection, 50th percentile, ms")
    double getCreationTimeP50Millis();

    @Description("Time to create a connection, 99th percentile, ms")
    double getCreationTimeP99Millis();

    @Description("Time to create a connection, maximum, ms")
    double getCreationTimeMaxMillis();

    @Description("Time leases were held, 50th percentile, ms")
    double getLeaseTimeP50Millis();

    @Description("Time leases were held, 99th percentile, ms")
    double getLeaseTimeP99Millis();

    @Description("Time leases were held, maximum, ms")
    double getLeaseTimeMaxMillis();

    // ---- tuning (each write validated; invalid writes change nothing) ----

    @Description("Most connections at once (1-100000, at least minIdle). Growing serves waiters at once; "
            + "shrinking retires the excess as it is returned")
    int getMaxSize();

    void setMaxSize(int maxSize);

    @Description("Idle connections kept open (0 to maxSize); maintenance tops up")
    int getMinIdle();

    void setMinIdle(int minIdle);

    @Description("How long acquire waits for a connection, ms (0 = only if one is free now)")
    long getAcquireTimeoutMillis();

    void setAcquireTimeoutMillis(long millis);

    @Description("Idle connections older than this are evicted down to minIdle, ms (0 = never)")
    long getIdleTimeoutMillis();

    void setIdleTimeoutMillis(long millis);

    @Description("Connections older than this are retired, ms (0 = no limit)")
    long getMaxLifetimeMillis();

    void setMaxLifetimeMillis(long millis);

    @Description("Idle connections unchecked for this long are validated in the background, ms (0 = off)")
    long getKeepaliveIntervalMillis();

    void setKeepaliveIntervalMillis(long millis);

    @Description("Checkout validates a connection idle longer than this, ms (0 = validate every checkout)")
    long getValidationThresholdMillis();

    void setValidationThresholdMillis(long millis);

    @Description("A lease held longer than this is logged once with its acquiring stack, ms (0 = off)")
    long getLeakDetectionThresholdMillis();

    void setLeakDetectionThresholdMillis(long millis);

    @Description("The whole config in force, as text")
    String getConfiguration();

    // ---- operations ----

    @Description("Changes maxSize and minIdle together, as one validated change (e.g. 10/5 to 3/2, which "
            + "neither single write allows)")
    void resize(@Description(name = "maxSize", value = "new maximum size") int maxSize,
                @Description(name = "minIdle", value = "new minimum idle") int minIdle);

    @Description("Destroys every idle connection now; leased ones are untouched. Returns how many were destroyed")
    int evictIdle();

    @Description("Retires every connection that exists now: idle ones at once, leased ones when returned "
            + "(to roll over to a restarted backend). Returns how many were marked")
    int retireAll();

    @Description("Zeroes counters and latency windows; live counts are unaffected")
    void resetStatistics();

    @Description("One line per current lease: holder thread, held since, held for, and the acquiring stack "
            + "when leak detection is on")
    String dumpLeases();
}
