package dev.lifeguard;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An immutable, validated pool configuration. Build one with {@link #builder()}; change a running pool by building
 * a whole new config ({@link #toBuilder()}) and passing it to {@link Pool#reconfigure(PoolConfig)}, so that a
 * change is applied entirely or not at all.
 *
 * <p>Every rule is checked by {@link Builder#build()}, which throws {@link IllegalArgumentException} naming the
 * setting, the rule and the rejected value, e.g. {@code "minIdle must not exceed maxSize (10), but was 12"}.
 * A {@link Duration#ZERO} means "off" only where the setting says so.
 */
public final class PoolConfig {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final String name;
    private final int minIdle;
    private final int maxSize;
    private final Duration acquireTimeout;
    private final Duration idleTimeout;
    private final Duration maxLifetime;
    private final Duration keepaliveInterval;
    private final Duration validationThreshold;
    private final Duration validationTimeout;
    private final boolean validateOnReturn;
    private final IdleOrder idleOrder;
    private final Duration leakDetectionThreshold;
    private final Duration creationBackoffInitial;
    private final Duration creationBackoffMax;
    private final Duration maintenanceInterval;
    private final int maxConcurrentCreations;
    private final Duration clockTick;

    private PoolConfig(Builder b) {
        this.name = b.name;
        this.minIdle = b.minIdle;
        this.maxSize = b.maxSize;
        this.acquireTimeout = b.acquireTimeout;
        this.idleTimeout = b.idleTimeout;
        this.maxLifetime = b.maxLifetime;
        this.keepaliveInterval = b.keepaliveInterval;
        this.validationThreshold = b.validationThreshold;
        this.validationTimeout = b.validationTimeout;
        this.validateOnReturn = b.validateOnReturn;
        this.idleOrder = b.idleOrder;
        this.leakDetectionThreshold = b.leakDetectionThreshold;
        this.creationBackoffInitial = b.creationBackoffInitial;
        this.creationBackoffMax = b.creationBackoffMax;
        this.maintenanceInterval = b.maintenanceInterval;
        this.maxConcurrentCreations = b.maxConcurrentCreations;
        this.clockTick = b.clockTick;
    }

    /** @return a builder holding every default */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this config's values, to derive a changed config from */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** @return the pool's name: 1 to 64 of {@code A-Z a-z 0-9 . _ -}; names its threads, logs and MBean */
    public String name() {
        return name;
    }

    /** @return connections the maintenance task keeps open even when idle (never above {@link #maxSize()}) */
    public int minIdle() {
        return minIdle;
    }

    /** @return the most connections that may exist at once, leased or idle */
    public int maxSize() {
        return maxSize;
    }

    /** @return how long {@link Pool#acquire()} waits for a connection; zero means "only if one is free now" */
    public Duration acquireTimeout() {
        return acquireTimeout;
    }

    /** @return idle connections older than this are evicted (down to {@link #minIdle()}); zero means never */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** @return connections older than this (less a small jitter) are retired; zero means no limit */
    public Duration maxLifetime() {
        return maxLifetime;
    }

    /** @return idle connections unused for this long are validated in the background; zero turns that off */
    public Duration keepaliveInterval() {
        return keepaliveInterval;
    }

    /**
     * @return a connection idle for longer than this is validated before it is handed out; zero means every
     *         checkout validates
     */
    public Duration validationThreshold() {
        return validationThreshold;
    }

    /** @return the most time one validation (ping) may take */
    public Duration validationTimeout() {
        return validationTimeout;
    }

    /** @return whether a returned connection is validated before it goes back to the idle set */
    public boolean validateOnReturn() {
        return validateOnReturn;
    }

    /** @return which idle connection a checkout reuses first */
    public IdleOrder idleOrder() {
        return idleOrder;
    }

    /** @return a lease held longer than this is reported as a possible leak; zero turns detection off */
    public Duration leakDetectionThreshold() {
        return leakDetectionThreshold;
    }

    /** @return the pause after a failed connection attempt before the next one; doubles per failure */
    public Duration creationBackoffInitial() {
        return creationBackoffInitial;
    }

    /** @return the longest pause between connection attempts while the backend keeps failing */
    public Duration creationBackoffMax() {
        return creationBackoffMax;
    }

    /** @return how often the maintenance task (eviction, retirement, keepalive, top-up, leak check) runs */
    public Duration maintenanceInterval() {
        return maintenanceInterval;
    }

    /**
     * @return the most connections being created at once; callers beyond it wait for a returned connection or a
     *         finished creation, so a burst of callers against a slow backend does not open a connection each
     */
    public int maxConcurrentCreations() {
        return maxConcurrentCreations;
    }

    /**
     * How often a thread of the pool's own reads the system clock for checkouts that reuse the calling thread's
     * last connection, instead of each such checkout reading it (about 30 ns, over half of an uncontended acquire
     * and release). Their idle ages and lifetimes are then judged against the latest reading plus two ticks, so a
     * connection is validated or retired up to two ticks early, never late, while that thread keeps to its
     * schedule; a tick it misses by more than a tick lets a connection idle for up to the extra delay past
     * {@link #validationThreshold()} go unvalidated once. Pools run by a container (the resource adapter) or on a
     * custom clock read the clock on every checkout whatever this says.
     *
     * @return the tick: zero (read the clock on every checkout, no thread), or 1 ms to 1 s; 10 ms by default
     */
    public Duration clockTick() {
        return clockTick;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof PoolConfig)) {
            return false;
        }
        PoolConfig c = (PoolConfig) o;
        return minIdle == c.minIdle && maxSize == c.maxSize && validateOnReturn == c.validateOnReturn
                && name.equals(c.name) && acquireTimeout.equals(c.acquireTimeout)
                && idleTimeout.equals(c.idleTimeout) && maxLifetime.equals(c.maxLifetime)
                && keepaliveInterval.equals(c.keepaliveInterval)
                && validationThreshold.equals(c.validationThreshold)
                && validationTimeout.equals(c.validationTimeout) && idleOrder == c.idleOrder
                && leakDetectionThreshold.equals(c.leakDetectionThreshold)
                && creationBackoffInitial.equals(c.creationBackoffInitial)
                && creationBackoffMax.equals(c.creationBackoffMax)
                && maintenanceInterval.equals(c.maintenanceInterval)
                && maxConcurrentCreations == c.maxConcurrentCreations && clockTick.equals(c.clockTick);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, minIdle, maxSize, acquireTimeout, idleTimeout, maxLifetime, keepaliveInterval,
                validationThreshold, validationTimeout, validateOnReturn, idleOrder, leakDetectionThreshold,
                creationBackoffInitial, creationBackoffMax, maintenanceInterval, maxConcurrentCreations, clockTick);
    }

    @Override
    public String toString() {
        return "PoolConfig{name=" + name + ", minIdle=" + minIdle + ", maxSize=" + maxSize
                + ", acquireTimeout=" + acquireTimeout + ", idleTimeout=" + idleTimeout
                + ", maxLifetime=" + maxLifetime + ", keepaliveInterval=" + keepaliveInterval
                + ", validationThreshold=" + validationThreshold + ", validationTimeout=" + validationTimeout
                + ", validateOnReturn=" + validateOnReturn + ", idleOrder=" + idleOrder
                + ", leakDetectionThreshold=" + leakDetectionThreshold
                + ", creationBackoffInitial=" + creationBackoffInitial
                + ", creationBackoffMax=" + creationBackoffMax
                + ", maintenanceInterval=" + maintenanceInterval
                + ", maxConcurrentCreations=" + maxConcurrentCreations + ", clockTick=" + clockTick + '}';
    }

    /**
     * Collects settings; {@link #build()} checks them all at once. Setters check only for {@code null}, so that
     * settings may be given in any order (minIdle before maxSize). Not thread-safe.
     */
    public static final class Builder {
        /** The longest duration accepted anywhere: beyond it, arithmetic on nanosecond clocks would overflow. */
        static final Duration LONGEST = Duration.ofDays(365);

        private String name = "lifeguard";
        private int minIdle = 0;
        private int maxSize = 10;
        private Duration acquireTimeout = Duration.ofSeconds(30);
        private Duration idleTimeout = Duration.ofMinutes(10);
        private Duration maxLifetime = Duration.ofMinutes(30);
        private Duration keepaliveInterval = Duration.ofMinutes(2);
        private Duration validationThreshold = Duration.ZERO;
        private Duration validationTimeout = Duration.ofSeconds(5);
        private boolean validateOnReturn = false;
        private IdleOrder idleOrder = IdleOrder.LIFO;
        private Duration leakDetectionThreshold = Duration.ZERO;
        private Duration creationBackoffInitial = Duration.ofMillis(100);
        private Duration creationBackoffMax = Duration.ofSeconds(10);
        private Duration maintenanceInterval = Duration.ofSeconds(5);
        private int maxConcurrentCreations = 2;
        private Duration clockTick = Duration.ofMillis(10);

        private Builder() {
        }

        private Builder(PoolConfig c) {
            name = c.name;
            minIdle = c.minIdle;
            maxSize = c.maxSize;
            acquireTimeout = c.acquireTimeout;
            idleTimeout = c.idleTimeout;
            maxLifetime = c.maxLifetime;
            keepaliveInterval = c.keepaliveInterval;
            validationThreshold = c.validationThreshold;
            validationTimeout = c.validationTimeout;
            validateOnReturn = c.validateOnReturn;
            idleOrder = c.idleOrder;
            leakDetectionThreshold = c.leakDetectionThreshold;
            creationBackoffInitial = c.creationBackoffInitial;
            creationBackoffMax = c.creationBackoffMax;
            maintenanceInterval = c.maintenanceInterval;
            maxConcurrentCreations = c.maxConcurrentCreations;
            clockTick = c.clockTick;
        }

        public Builder name(String name) {
            this.name = nonNull("name", name);
            return this;
        }

        public Builder minIdle(int minIdle) {
            this.minIdle = minIdle;
            return this;
        }

        public Builder maxSize(int maxSize) {
            this.maxSize = maxSize;
            return this;
        }

        public Builder acquireTimeout(Duration d) {
            this.acquireTimeout = nonNull("acquireTimeout", d);
            return this;
        }

        public Builder idleTimeout(Duration d) {
            this.idleTimeout = nonNull("idleTimeout", d);
            return this;
        }

        public Builder maxLifetime(Duration d) {
            this.maxLifetime = nonNull("maxLifetime", d);
            return this;
        }

        public Builder keepaliveInterval(Duration d) {
            this.keepaliveInterval = nonNull("keepaliveInterval", d);
            return this;
        }

        public Builder validationThreshold(Duration d) {
            this.validationThreshold = nonNull("validationThreshold", d);
            return this;
        }

        public Builder validationTimeout(Duration d) {
            this.validationTimeout = nonNull("validationTimeout", d);
            return this;
        }

        public Builder validateOnReturn(boolean validateOnReturn) {
            this.validateOnReturn = validateOnReturn;
            return this;
        }

        public Builder idleOrder(IdleOrder order) {
            this.idleOrder = nonNull("idleOrder", order);
            return this;
        }

        public Builder leakDetectionThreshold(Duration d) {
            this.leakDetectionThreshold = nonNull("leakDetectionThreshold", d);
            return this;
        }

        public Builder creationBackoffInitial(Duration d) {
            this.creationBackoffInitial = nonNull("creationBackoffInitial", d);
            return this;
        }

        public Builder creationBackoffMax(Duration d) {
            this.creationBackoffMax = nonNull("creationBackoffMax", d);
            return this;
        }

        public Builder maintenanceInterval(Duration d) {
            this.maintenanceInterval = nonNull("maintenanceInterval", d);
            return this;
        }

        public Builder maxConcurrentCreations(int n) {
            this.maxConcurrentCreations = n;
            return this;
        }

        public Builder clockTick(Duration d) {
            this.clockTick = nonNull("clockTick", d);
            return this;
        }

        /**
         * Checks every rule and makes the config.
         *
         * @return the validated config
         * @throws IllegalArgumentException naming the first setting that breaks a rule, the rule, and the value
         */
        public PoolConfig build() {
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("name must be 1 to 64 characters of A-Z a-z 0-9 . _ -, but was '"
                        + name + "'");
            }
            if (maxSize < 1) {
                throw new IllegalArgumentException("maxSize must be at least 1, but was " + maxSize);
            }
            if (maxSize > 100_000) {
                throw new IllegalArgumentException("maxSize must be at most 100000, but was " + maxSize);
            }
            if (minIdle < 0) {
                throw new IllegalArgumentException("minIdle must be at least 0, but was " + minIdle);
            }
            if (minIdle > maxSize) {
                throw new IllegalArgumentException("minIdle must not exceed maxSize (" + maxSize + "), but was "
                        + minIdle);
            }
            if (maxConcurrentCreations < 1) {
                throw new IllegalArgumentException("maxConcurrentCreations must be at least 1, but was "
                        + maxConcurrentCreations);
            }
            zeroOrMore("acquireTimeout", acquireTimeout);
            zeroOrMore("idleTimeout", idleTimeout);
            zeroOrMore("maxLifetime", maxLifetime);
            zeroOrMore("keepaliveInterval", keepaliveInterval);
            zeroOrMore("validationThreshold", validationThreshold);
            positive("validationTimeout", validationTimeout);
            zeroOrMore("leakDetectionThreshold", leakDetectionThreshold);
            positive("creationBackoffInitial", creationBackoffInitial);
            positive("creationBackoffMax", creationBackoffMax);
            positive("maintenanceInterval", maintenanceInterval);
            boolean tickInRange = clockTick.compareTo(Duration.ofMillis(1)) >= 0
                    && clockTick.compareTo(Duration.ofSeconds(1)) <= 0;
            if (!clockTick.isZero() && !tickInRange) {
                throw new IllegalArgumentException("clockTick must be zero (off) or from 1 ms to 1 s, but was "
                        + clockTick);
            }
            if (creationBackoffMax.compareTo(creationBackoffInitial) < 0) {
                throw new IllegalArgumentException("creationBackoffMax must be at least creationBackoffInitial ("
                        + creationBackoffInitial + "), but was " + creationBackoffMax);
            }
            return new PoolConfig(this);
        }

        private static <T> T nonNull(String setting, T value) {
            if (value == null) {
                throw new IllegalArgumentException(setting + " must not be null");
            }
            return value;
        }

        private static void zeroOrMore(String setting, Duration d) {
            if (d.isNegative()) {
                throw new IllegalArgumentException(setting + " must be zero or positive, but was " + d);
            }
            atMostLongest(setting, d);
        }

        private static void positive(String setting, Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(setting + " must be positive, but was " + d);
            }
            atMostLongest(setting, d);
        }

        private static void atMostLongest(String setting, Duration d) {
            if (d.compareTo(LONGEST) > 0) {
                throw new IllegalArgumentException(setting + " must be at most " + LONGEST + ", but was " + d);
            }
        }
    }
}
