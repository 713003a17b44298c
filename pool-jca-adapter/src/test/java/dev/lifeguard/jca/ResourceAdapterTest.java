package dev.lifeguard.jca;

import dev.lifeguard.Lease;
import dev.lifeguard.testkit.EchoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.time.Duration;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import jakarta.resource.ResourceException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class ResourceAdapterTest {
    private final EchoServer echo = EchoServer.start();
    private final MBeanServer mbeans = MBeanServerFactory.newMBeanServer();
    private final PoolRegistry registry = new PoolRegistry(mbeans);
    private final ThreadWorkManagerContext container = new ThreadWorkManagerContext();
    private final LifeguardResourceAdapter ra = new LifeguardResourceAdapter();

    ResourceAdapterTest() {
        ra.useRegistry(registry);
    }

    @AfterEach
    void stop() {
        ra.stop();
        echo.close();
    }

    private TcpPoolAdminObject handle(String poolName) {
        TcpPoolAdminObject h = new TcpPoolAdminObject();
        h.setPoolName(poolName);
        h.setHost("127.0.0.1");
        h.setPort(echo.port());
        h.setMaintenanceIntervalMillis(20L);
        return h;
    }

    @Test
    void handlesWithTheSameDefinitionShareOnePoolAndOneMXBean() throws Exception {
        ra.start(container);
        TcpPoolAdminObject a = handle("shared");
        TcpPoolAdminObject b = handle("shared");
        a.setResourceAdapter(ra);
        b.setResourceAdapter(ra); // Payara: a new handle on every lookup
        try (Lease<Socket> l = a.acquire()) {
            assertEquals(1, b.counts().active(), "b sees a's lease: one pool");
            l.connection().getOutputStream().write('x');
            assertEquals('x', l.connection().getInputStream().read());
        }
        assertEquals(1, registry.size());
        assertTrue(mbeans.isRegistered(new ObjectName("dev.lifeguard:type=Pool,name=shared")));
    }

    @Test
    void aDifferentDefinitionUnderTheSameNameIsRefusedWithTheReason() throws Exception {
        ra.start(container);
        handle("clash").setResourceAdapter(ra);
        TcpPoolAdminObject other = handle("clash");
        other.setMaxSize(3);
        ResourceException e = assertThrows(ResourceException.class, () -> other.setResourceAdapter(ra));
        assertTrue(e.getMessage().startsWith("Lifeguard pool 'clash' already exists with another definition"),
                e.getMessage());
    }

    @Test
    void aBadDefinitionFailsAtAssociationNamingThePropertyAndValue() {
        TcpPoolAdminObject h = handle("bad");
        h.setPort(70000);
        ResourceException e = assertThrows(ResourceException.class, () -> h.setResourceAdapter(ra));
        assertEquals("Lifeguard pool 'bad': port must be between 1 and 65535, but was 70000", e.getMessage());
        TcpPoolAdminObject h2 = handle("bad2");
        h2.setAcquireTimeoutMillis(-5L);
        e = assertThrows(ResourceException.class, () -> h2.setResourceAdapter(ra));
        assertEquals("Lifeguard pool 'bad2': acquireTimeoutMillis must be zero or positive, but was -5",
                e.getMessage());
        TcpPoolAdminObject h3 = handle(null);
        e = assertThrows(ResourceException.class, () -> h3.setResourceAdapter(ra));
        assertEquals("poolName must be set on the Lifeguard administered object, but was not set", e.getMessage());
        TcpPoolAdminObject h4 = handle("bad4");
        h4.setPing("sometimes");
        e = assertThrows(ResourceException.class, () -> h4.setResourceAdapter(ra));
        assertEquals("Lifeguard pool 'bad4': ping must be none, liveness or exchange:<request>:<reply>, but was "
                + "'sometimes'", e.getMessage());
        TcpPoolAdminObject h5 = handle("bad5");
        h5.setMinIdle(20);
        e = assertThrows(ResourceException.class, () -> h5.setResourceAdapter(ra));
        assertEquals("Lifeguard pool 'bad5': minIdle must not exceed maxSize (10), but was 20", e.getMessage());
        TcpPoolAdminObject h6 = handle("bad6");
        h6.setMaxConcurrentCreations(0);
        e = assertThrows(ResourceException.class, () -> h6.setResourceAdapter(ra));
        assertEquals("Lifeguard pool 'bad6': maxConcurrentCreations must be at least 1, but was 0", e.getMessage());
        assertEquals(0, registry.size(), "nothing was made");
    }

    @Test
    void handlesAssociatedBeforeStartGetTheirPoolAtStart() throws Exception {
        TcpPoolAdminObject h = handle("early"); // WildFly associates administered objects before start()
        h.setResourceAdapter(ra);
        assertEquals(0, registry.size());
        ra.start(container);
        assertEquals(1, registry.size());
        assertTrue(mbeans.isRegistered(new ObjectName("dev.lifeguard:type=Pool,name=early")));
        h.acquire().close();
    }

    @Test
    void theReaperRunsMaintenanceOnTheContainersThread() throws Exception {
        ra.start(container);
        TcpPoolAdminObject h = handle("reaped");
        h.setMinIdle(3);
        h.setResourceAdapter(ra);
        awaitTrue(() -> h.counts().idle() == 3, "topped up to minIdle by the reaper");
        assertEquals(1, container.threads.size());
        awaitTrue(() -> echo.openConnections() == 3, "the backend sees the 3 connections");
    }

    @Test
    void stopEndsTheReaperClosesEveryPoolAndUnregistersEveryMXBean() throws Exception {
        ra.start(container);
        TcpPoolAdminObject h = handle("stopped");
        h.setMinIdle(2);
        h.setResourceAdapter(ra);
        awaitTrue(() -> echo.openConnections() == 2, "connections open");
        Thread reaper = container.threads.get(0);
        ra.stop();
        reaper.join(10_000);
        assertFalse(reaper.isAlive(), "the reaper's thread is given back");
        assertFalse(mbeans.isRegistered(new ObjectName("dev.lifeguard:type=Pool,name=stopped")));
        assertEquals(0, registry.size());
        awaitTrue(() -> echo.openConnections() == 0, "every socket closed");
        assertThrows(dev.lifeguard.PoolClosedException.class, h::acquire);
    }

    private static void awaitTrue(java.util.function.BooleanSupplier c, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!c.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out waiting for: " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
