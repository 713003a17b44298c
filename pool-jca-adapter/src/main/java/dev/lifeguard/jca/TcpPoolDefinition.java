package dev.lifeguard.jca;

import dev.lifeguard.IdleOrder;
import dev.lifeguard.PoolConfig;
import dev.lifeguard.tcp.Ping;
import dev.lifeguard.tcp.TcpSettings;

import java.time.Duration;
import java.util.Locale;

/**
 * The configuration properties of one administered object, as given by the server (null = not set, take the
 * default). Value equality: handles with equal definitions share one pool; a different definition under the same
 * pool name is refused rather than silently ignored.
 */
record TcpPoolDefinition(String poolName, String host, Integer port, Integer maxSize, Integer minIdle,
                         Long acquireTimeoutMillis, Long idleTimeoutMillis, Long maxLifetimeMillis,
                         Long keepaliveIntervalMillis, Long validationThresholdMillis, Long validationTimeoutMillis,
                         Long leakDetectionThresholdMillis, Long maintenanceIntervalMillis, Boolean validateOnReturn,
                         String idleOrder, String ping, Long connectTimeoutMillis, Long readTimeoutMillis,
                         Boolean tcpNoDelay, Integer maxConcurrentCreations) {

    /**
     * @return the validated pool config
     * @throws IllegalArgumentException naming the property, the rule and the value
     */
    PoolConfig poolConfig() {
        if (poolName == null || poolName.isBlank()) {
            throw new IllegalArgumentException("poolName must be set on the Lifeguard administered object, but was "
                    + (poolName == null ? "not set" : "'" + poolName + "'"));
        }
        try {
            PoolConfig.Builder b = PoolConfig.builder().name(poolName);
            if (maxSize != null) {
                b.maxSize(maxSize);
            }
            if (minIdle != null) {
                b.minIdle(minIdle);
            }
            if (acquireTimeoutMillis != null) {
                b.acquireTimeout(millis("acquireTimeoutMillis", acquireTimeoutMillis));
            }
            if (idleTimeoutMillis != null) {
                b.idleTimeout(millis("idleTimeoutMillis", idleTimeoutMillis));
            }
            if (maxLifetimeMillis != null) {
                b.maxLifetime(millis("maxLifetimeMillis", maxLifetimeMillis));
            }
            if (keepaliveIntervalMillis != null) {
                b.keepaliveInterval(millis("keepaliveIntervalMillis", keepaliveIntervalMillis));
            }
            if (validationThresholdMillis != null) {
                b.validationThreshold(millis("validationThresholdMillis", validationThresholdMillis));
            }
            if (validationTimeoutMillis != null) {
                b.validationTimeout(millis("validationTimeoutMillis", validationTimeoutMillis));
            }
            if (leakDetectionThresholdMillis != null) {
                b.leakDetectionThreshold(millis("leakDetectionThresholdMillis", leakDetectionThresholdMillis));
            }
            if (maintenanceIntervalMillis != null) {
                b.maintenanceInterval(millis("maintenanceIntervalMillis", maintenanceIntervalMillis));
            }
            if (validateOnReturn != null) {
                b.validateOnReturn(validateOnReturn);
            }
            if (idleOrder != null) {
                b.idleOrder(order(idleOrder));
            }
            if (maxConcurrentCreations != null) {
                b.maxConcurrentCreations(maxConcurrentCreations);
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Lifeguard pool '" + poolName + "': " + e.getMessage(), e);
        }
    }

    /**
     * @return the validated TCP settings
     * @throws IllegalArgumentException naming the property, the rule and the value
     */
    TcpSettings tcpSettings() {
        try {
            if (port == null) {
                throw new IllegalArgumentException("port must be set, but was not set");
            }
            TcpSettings.Builder b = TcpSettings.builder(host, port);
            if (ping != null) {
                b.ping(Ping.parse(ping));
            }
            if (connectTimeoutMillis != null) {
                b.connectTimeout(millis("connectTimeoutMillis", connectTimeoutMillis));
            }
            if (readTimeoutMillis != null) {
                b.readTimeout(millis("readTimeoutMillis", readTimeoutMillis));
            }
            if (tcpNoDelay != null) {
                b.tcpNoDelay(tcpNoDelay);
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Lifeguard pool '" + poolName + "': " + e.getMessage(), e);
        }
    }

    private static Duration millis(String property, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(property + " must be zero or positive, but was " + value);
        }
        return Duration.ofMillis(value);
    }

    private static IdleOrder order(String text) {
        try {
            return IdleOrder.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("idleOrder must be LIFO or FIFO, but was '" + text + "'", e);
        }
    }
}
