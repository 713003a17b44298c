package dev.lifeguard.impl;

import dev.lifeguard.AcquireTimeoutException;
import dev.lifeguard.Lease;
import dev.lifeguard.Pool;
import dev.lifeguard.PoolConfig;
import dev.lifeguard.PoolMXBean;
import dev.lifeguard.Pools;
import dev.lifeguard.tcp.TcpSettings;
import dev.lifeguard.testkit.EchoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.management.Attribute;
import javax.management.JMX;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Watches and tunes live pools through a real RMI JMX connection, as JConsole does. */
class PoolMXBeanRemoteTest {
    private RemoteJmx jmx;
    private MBeanServerConnection conn;
    private final TestFactory factory = new TestFactory();
    private LifeguardPool<TestConnection> pool;
    private PoolMXBean mx;
    private ObjectName name;

    @BeforeEach
    void connect() throws Exception {
        jmx = new RemoteJmx();
        conn = jmx.connection();
    }

    @AfterEach
    void disconnect() throws Exception {
        if (pool != null) {
            pool.close();
            factory.assertEachDestroyedOnce();
        }
        jmx.close();
    }

    private void pool(PoolConfig.Builder b) {
        pool = PoolStarter.start(b.name("jmx").maintenanceInterval(Duration.ofMillis(20)).build(), factory, null,
                NanoClock.SYSTEM);
        name = Pools.registerMBean(pool, jmx.server);
        mx = JMX.newMXBeanProxy(conn, name, PoolMXBean.class);
    }

    @Test
    void countsStayConsistentWhileHundredTasksShareTenTcpConnections() throws Exception {
        try (EchoServer server = EchoServer.start();
             Pool<Socket> tcpPool = Pools.create(PoolConfig.builder().name("jmx-tcp").maxSize(10).build(),
                     Pools.tcp(TcpSettings.builder(server.host(), server.port()).build()))) {
            ObjectName n = Pools.registerMBean(tcpPool, jmx.server);
            PoolMXBean remote = JMX.newMXBeanProxy(conn, n, PoolMXBean.class);
            ExecutorService ex = Executors.newFixedThreadPool(100);
            List<Future<?>> tasks = new ArrayList<>();
            for (int t = 0; t < 100; t++) {
                tasks.add(ex.submit(() -> {
                    for (int i = 0; i < 100; i++) {
                        try (Lease<Socket> l = tcpPool.acquire()) {
                            l.connection().getOutputStream().write('x');
                            l.connection().getInputStream().read();
                        }
                    }
                    return null;
                }));
            }
            ex.shutdown();
            int reads = 0;
            int sawActive = 0;
            while (!ex.isTerminated() && reads < 10_000) {
                int active = remote.getActiveConnections();
                int total = remote.getTotalConnections();
                int idle = remote.getIdleConnections();
                int waiting = remote.getPendingWaiters();
                assertTrue(active >= 0 && active <= 10, "active " + active);
                assertTrue(total <= 10, "total " + total);
                assertTrue(idle >= 0 && idle <= 10, "idle " + idle);
                assertTrue(waiting >= 0 && waiting <= 100, "waiting " + waiting);
                sawActive = Math.max(sawActive, active);
                reads++;
            }
            assertTrue(ex.awaitTermination(2, TimeUnit.MINUTES));
            for (Future<?> f : tasks) {
                f.get();
            }
            assertTrue(reads > 0);
            assertTrue(sawActive > 0, "the reads saw the pool busy");
            assertEquals(0, remote.getActiveConnections());
            assertEquals(10_000, remote.getAcquiredCount());
            assertEquals(10_000, remote.getReturnedCount());
            assertTrue(remote.getCreatedCount() <= 10);
            assertEquals(10, remote.getMaxActiveEver());
            assertTrue(remote.getWaitTimeP99Millis() > 0);
            assertTrue(remote.getLeaseTimeMaxMillis() > 0);
            assertTrue(remote.getCreationTimeMaxMillis() > 0);
        }
    }

    @Test
    void growingMaxSizeServesAWaiterAndShrinkingRetiresOnReturn() throws Exception {
        pool(PoolConfig.builder().maxSize(1));
        Lease<TestConnection> held = pool.acquire();
        ExecutorService ex = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> waiter = ex.submit(() -> {
                try (Lease<TestConnection> l = pool.acquire(Duration.ofSeconds(30))) {
                    return l.connection().id;
                }
            });
            Deadline.awaitTrue(() -> mx.getPendingWaiters() == 1, "waiter visible over JMX");
            mx.setMaxSize(2);
            assertEquals(2, waiter.get(10, TimeUnit.SECONDS));
            assertEquals(2, mx.getTotalConnections());
            Lease<TestConnection> second = pool.acquire();
            mx.setMaxSize(1);
            assertEquals(2, mx.getTotalConnections(), "leased connections are not pulled");
            second.close();
            assertEquals(1, mx.getTotalConnections(), "retired on return");
        } finally {
            ex.shutdownNow();
            held.close();
        }
    }

    @Test
    void minIdleIsToppedUpByMaintenance() {
        pool(PoolConfig.builder().maxSize(5));
        mx.setMinIdle(3);
        Deadline.awaitTrue(() -> mx.getIdleConnections() == 3, "topped up to 3");
        assertEquals(3, mx.getMinIdle());
    }

    @Test
    void acquireTimeoutTakesEffect() {
        pool(PoolConfig.builder().maxSize(1));
        mx.setAcquireTimeoutMillis(150);
        assertEquals(150, mx.getAcquireTimeoutMillis());
        Lease<TestConnection> held = pool.acquire();
        AcquireTimeoutException e = assertThrows(AcquireTimeoutException.class, pool::acquire);
        assertEquals(Duration.ofMillis(150), e.timeout());
        assertEquals(1, mx.getAcquireTimeoutCount());
        held.close();
    }

    @Test
    void idleTimeoutEvictsIdleConnections() {
        pool(PoolConfig.builder().maxSize(3));
        List<Lease<TestConnection>> l = List.of(pool.acquire(), pool.acquire(), pool.acquire());
        l.forEach(Lease::close);
        assertEquals(3, mx.getIdleConnections());
        mx.setIdleTimeoutMillis(50);
        Deadline.awaitTrue(() -> mx.getIdleConnections() == 0, "evicted");
        assertEquals(3, mx.getEvictedIdleCount());
    }

    @Test
    void maxLifetimeRetiresAndReplaces() {
        pool(PoolConfig.builder().maxSize(2).minIdle(2));
        Deadline.awaitTrue(() -> mx.getIdleConnections() == 2, "topped up");
        mx.setMaxLifetimeMillis(100);
        Deadline.awaitTrue(() -> mx.getRetiredLifetimeCount() >= 2, "retired");
        Deadline.awaitTrue(() -> mx.getIdleConnections() == 2, "replaced");
        assertTrue(mx.getCreatedCount() >= 4);
    }

    @Test
    void keepaliveFindsADeadIdleConnection() {
        pool(PoolConfig.builder().maxSize(2));
        Lease<TestConnection> a = pool.acquire();
        TestConnection c = a.connection();
        a.close();
        c.healthy = false;
        mx.setKeepaliveIntervalMillis(30);
        Deadline.awaitTrue(() -> c.destroyCount.get() == 1, "dead idle connection found by keepalive");
        assertEquals(1, mx.getValidationFailureCount());
    }

    @Test
    void validationThresholdSkipsRecentlyUsedConnections() {
        pool(PoolConfig.builder().maxSize(1));
        pool.acquire().close();
        TestConnection c = factory.made.get(0);
        pool.acquire().close();
        assertEquals(2, c.validations.get(), "threshold 0: validated when made and on checkout");
        mx.setValidationThresholdMillis(60_000);
        pool.acquire().close();
        pool.acquire().close();
        assertEquals(2, c.validations.get(), "recently used: not validated");
    }

    @Test
    void leakDetectionLogsTheAcquiringStackOnce() throws Exception {
        pool(PoolConfig.builder().maxSize(2));
        mx.setLeakDetectionThresholdMillis(50);
        try (StderrCapture log = new StderrCapture()) {
            Lease<TestConnection> leaked = acquireAndForget();
            Deadline.awaitTrue(() -> mx.getLeaksDetectedCount() == 1, "leak reported");
            // several more maintenance passes: still reported once
            long passes = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
            Deadline.awaitTrue(() -> System.nanoTime() - passes > 0, "a few passes later");
            assertEquals(1, mx.getLeaksDetectedCount());
            String text = log.text();
            assertEquals(1, count(text, "possible connection leak"), text);
            assertTrue(text.contains("acquireAndForget"), "the acquiring stack is logged: " + text);
            assertTrue(mx.dumpLeases().contains("acquireAndForget"), mx.dumpLeases());
            leaked.close();
            Deadline.awaitTrue(() -> log.text().contains("was returned after"), "late return noted");
            assertTrue(mx.dumpLeases().startsWith("no leases held"));
        }
    }

    private Lease<TestConnection> acquireAndForget() {
        return pool.acquire();
    }

    @Test
    void invalidWritesAreRefusedWithTheRuleAndChangeNothing() throws Exception {
        pool(PoolConfig.builder().maxSize(10).minIdle(0));
        PoolConfig before = pool.config();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> mx.setMaxSize(0));
        assertEquals("maxSize must be at least 1, but was 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> mx.setMinIdle(11));
        assertEquals("minIdle must not exceed maxSize (10), but was 11", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> mx.setAcquireTimeoutMillis(-1));
        assertEquals("acquireTimeout must be zero or positive, but was PT-0.001S", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> mx.setIdleTimeoutMillis(Long.MAX_VALUE / 1000));
        assertTrue(e.getMessage().startsWith("idleTimeout must be at most PT8760H"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> mx.resize(3, 4));
        assertEquals("minIdle must not exceed maxSize (3), but was 4", e.getMessage());
        // the raw JMX route (what JConsole does) shows the same message
        RuntimeMBeanException raw = assertThrows(RuntimeMBeanException.class,
                () -> conn.setAttribute(name, new Attribute("MaxSize", -3)));
        assertEquals("maxSize must be at least 1, but was -3", raw.getCause().getMessage());
        assertEquals(before, pool.config(), "nothing changed");
        assertEquals(10, mx.getMaxSize());
        // and the pool still works
        pool.acquire().close();
        mx.resize(3, 2);
        assertEquals(3, pool.config().maxSize());
        assertEquals(2, pool.config().minIdle());
    }

    @Test
    void evictIdleAndRetireAllReplaceConnections() throws Exception {
        pool(PoolConfig.builder().maxSize(3).minIdle(2));
        Deadline.awaitTrue(() -> mx.getIdleConnections() == 2, "topped up");
        List<TestConnection> first = new ArrayList<>(factory.made);
        assertEquals(2, (int) conn.invoke(name, "evictIdle", null, null));
        first.forEach(c -> assertEquals(1, c.destroyCount.get()));
        Deadline.awaitTrue(() -> mx.getIdleConnections() == 2, "replaced by maintenance");
        Lease<TestConnection> held = pool.acquire();
        TestConnection leased = held.connection();
        assertTrue(mx.retireAll() >= 2);
        assertEquals(0, leased.destroyCount.get());
        held.close();
        assertEquals(1, leased.destroyCount.get(), "retired on return");
        Deadline.awaitTrue(() -> mx.getIdleConnections() == 2, "replaced again");
        try (Lease<TestConnection> l = pool.acquire()) {
            assertFalse(first.contains(l.connection()));
            assertNotEquals(leased, l.connection());
        }
        assertTrue(mx.getEvictedByOperatorCount() >= 4);
    }

    @Test
    void percentilesMoveWhenWaitsGetLonger() throws Exception {
        pool(PoolConfig.builder().maxSize(1));
        for (int i = 0; i < 100; i++) {
            pool.acquire().close();
        }
        double calm = mx.getWaitTimeP99Millis();
        mx.resetStatistics();
        ExecutorService ex = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> f = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                f.add(ex.submit(() -> {
                    for (int i = 0; i < 10; i++) {
                        try (Lease<TestConnection> l = pool.acquire()) {
                            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10);
                            while (System.nanoTime() < until) {
                                Thread.onSpinWait(); // hold the connection for 10 ms of "work"
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> x : f) {
                x.get();
            }
        } finally {
            ex.shutdownNow();
        }
        double busy = mx.getWaitTimeP99Millis();
        assertTrue(calm < 5, "uncontended p99 " + calm);
        assertTrue(busy >= 10, "contended p99 " + busy + " ms with 4 callers each holding 10 ms");
        assertTrue(mx.getLeaseTimeP50Millis() >= 9, "lease p50 " + mx.getLeaseTimeP50Millis());
    }

    @Test
    void closeUnregisters() throws Exception {
        pool(PoolConfig.builder());
        assertTrue(conn.isRegistered(name));
        pool.close();
        assertFalse(conn.isRegistered(name));
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
