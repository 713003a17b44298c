package dev.lifeguard.impl;

import dev.lifeguard.ConnectionCreationException;
import dev.lifeguard.Lease;
import dev.lifeguard.PoolConfig;
import dev.lifeguard.PoolMXBean;
import dev.lifeguard.Pools;
import dev.lifeguard.tcp.TcpSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.time.Duration;
import javax.management.JMX;
import javax.management.MBeanServerFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every tunable with invalid values (negative, zero, huge): a clear error naming the setting, and the pool keeps
 * working unchanged. (Builder rules are in PoolConfigTest and TcpSettingsTest; administered-object properties in
 * the adapter's ResourceAdapterTest.)
 */
class BadInputTest {
    private final TestFactory factory = new TestFactory();
    private final LifeguardPool<TestConnection> pool = PoolStarter.manual(PoolConfig.builder().name("bad")
            .maxSize(5).minIdle(1).build(), factory, new ManualClock());
    private final PoolMXBean mx = mxBean();

    private PoolMXBean mxBean() {
        var server = MBeanServerFactory.newMBeanServer();
        return JMX.newMXBeanProxy(server, Pools.registerMBean(pool, server), PoolMXBean.class);
    }

    @AfterEach
    void close() {
        pool.close();
        factory.assertEachDestroyedOnce();
    }

    private void refused(Executable write, String message) {
        PoolConfig before = pool.config();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, write);
        assertTrue(e.getMessage().startsWith(message), "message was: " + e.getMessage());
        assertEquals(before, pool.config(), "nothing changed");
        try (Lease<TestConnection> l = pool.acquire(Duration.ZERO)) {
            assertTrue(l.isActive(), "the pool still works");
        }
    }

    @Test
    void everyMXBeanWriteRejectsBadValuesAndChangesNothing() {
        long huge = Long.MAX_VALUE / 1_000_000;
        refused(() -> mx.setMaxSize(0), "maxSize must be at least 1, but was 0");
        refused(() -> mx.setMaxSize(-1), "maxSize must be at least 1, but was -1");
        refused(() -> mx.setMaxSize(Integer.MAX_VALUE), "maxSize must be at most 100000, but was 2147483647");
        refused(() -> mx.setMinIdle(-1), "minIdle must be at least 0, but was -1");
        refused(() -> mx.setMinIdle(6), "minIdle must not exceed maxSize (5), but was 6");
        refused(() -> mx.setAcquireTimeoutMillis(-1), "acquireTimeout must be zero or positive, but was PT-0.001S");
        refused(() -> mx.setAcquireTimeoutMillis(huge), "acquireTimeout must be at most PT8760H");
        refused(() -> mx.setIdleTimeoutMillis(-5), "idleTimeout must be zero or positive");
        refused(() -> mx.setIdleTimeoutMillis(huge), "idleTimeout must be at most PT8760H");
        refused(() -> mx.setMaxLifetimeMillis(-1), "maxLifetime must be zero or positive");
        refused(() -> mx.setMaxLifetimeMillis(huge), "maxLifetime must be at most PT8760H");
        refused(() -> mx.setKeepaliveIntervalMillis(-1), "keepaliveInterval must be zero or positive");
        refused(() -> mx.setKeepaliveIntervalMillis(huge), "keepaliveInterval must be at most PT8760H");
        refused(() -> mx.setValidationThresholdMillis(-1), "validationThreshold must be zero or positive");
        refused(() -> mx.setValidationThresholdMillis(huge), "validationThreshold must be at most PT8760H");
        refused(() -> mx.setLeakDetectionThresholdMillis(-1), "leakDetectionThreshold must be zero or positive");
        refused(() -> mx.setLeakDetectionThresholdMillis(huge), "leakDetectionThreshold must be at most PT8760H");
        refused(() -> mx.resize(0, 0), "maxSize must be at least 1, but was 0");
        refused(() -> mx.resize(2, 3), "minIdle must not exceed maxSize (2), but was 3");
        refused(() -> pool.reconfigure(null), "new config must not be null");
        refused(() -> pool.acquire(null), "acquire timeout must be zero or positive, but was null");
        refused(() -> pool.close(Duration.ofSeconds(-1)), "drain timeout must be zero or positive");
    }

    @Test
    void aHostThatDoesNotResolveIsNamedInTheError() {
        try (var p = Pools.create(PoolConfig.builder().name("nohost").build(),
                Pools.tcp(TcpSettings.builder("no-such-host.invalid", 6379).build()))) {
            ConnectionCreationException e = assertThrows(ConnectionCreationException.class, p::acquire);
            assertTrue(e.getMessage().contains("cannot resolve host 'no-such-host.invalid'"), e.getMessage());
        }
    }

    @Test
    void aTcpPortOutOfRangeIsRefusedBeforeAnyPoolExists() {
        assertEquals("port must be between 1 and 65535, but was 0",
                assertThrows(IllegalArgumentException.class, () -> TcpSettings.builder("h", 0).build()).getMessage());
        assertEquals("port must be between 1 and 65535, but was 70000",
                assertThrows(IllegalArgumentException.class, () -> TcpSettings.builder("h", 70000).build())
                        .getMessage());
    }
}
