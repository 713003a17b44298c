package dev.lifeguard.impl;

import dev.lifeguard.Lease;
import dev.lifeguard.PoolConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MaintenanceTest extends ManualPoolTest {
    private LifeguardPool<TestConnection> pool;

    private void pool(PoolConfig.Builder b) {
        pool = start(b.name("maint"));
    }

    private List<Lease<TestConnection>> lease(int n) {
        List<Lease<TestConnection>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(pool.acquire());
        }
        return out;
    }

    @Test
    void topsUpToMinIdle() {
        pool(PoolConfig.builder().minIdle(3).maxSize(5));
        assertEquals(0, pool.counts().total());
        pool.runMaintenance();
        assertEquals(3, pool.counts().idle());
        assertEquals(3, factory.made.size());
    }

    @Test
    void evictsIdleConnectionsPastTheIdleTimeoutButKeepsMinIdle() {
        pool(PoolConfig.builder().minIdle(2).maxSize(6).idleTimeout(Duration.ofMinutes(1))
                .keepaliveInterval(Duration.ZERO));
        lease(6).forEach(Lease::close);
        assertEquals(6, pool.counts().idle());
        clock.advance(Duration.ofSeconds(59));
        pool.runMaintenance();
        assertEquals(6, pool.counts().idle(), "not idle long enough yet");
        clock.advance(Duration.ofSeconds(2));
        pool.runMaintenance();
        assertEquals(2, pool.counts().idle(), "evicted down to minIdle");
        assertEquals(2, pool.counts().total());
        assertEquals(4, pool.stats().evictedIdle());
        assertEquals(4, factory.destroyed());
    }

    @Test
    void evictsTheColdestFirst() {
        pool(PoolConfig.builder().minIdle(1).maxSize(3).idleTimeout(Duration.ofMinutes(1))
                .keepaliveInterval(Duration.ZERO));
        List<Lease<TestConnection>> l = lease(3);
        l.get(0).close();
        l.get(1).close();
        clock.advance(Duration.ofSeconds(30));
        TestConnection hot = l.get(2).connection();
        l.get(2).close();
        clock.advance(Duration.ofSeconds(40)); // first two idle 70 s, the hot one 40 s
        pool.runMaintenance();
        assertEquals(1, pool.counts().idle());
        try (Lease<TestConnection> lease = pool.acquire()) {
            assertEquals(hot, lease.connection());
        }
    }

    @Test
    void retiresConnectionsPastMaxLifetimeEvenBelowMinIdleAndReplacesThem() {
        pool(PoolConfig.builder().minIdle(2).maxSize(2).maxLifetime(Duration.ofMinutes(30))
                .idleTimeout(Duration.ZERO).keepaliveInterval(Duration.ZERO));
        pool.runMaintenance();
        List<TestConnection> first = new ArrayList<>(factory.made);
        assertEquals(2, first.size());
        clock.advance(Duration.ofMinutes(29)); // below 30 min less the 2.5% jitter (29.25 min)
        pool.runMaintenance();
        assertEquals(2, factory.made.size());
        clock.advance(Duration.ofMinutes(1)); // at 30 min: past every jittered lifetime
        pool.runMaintenance();
        assertEquals(2, pool.stats().retiredLifetime());
        first.forEach(c -> assertEquals(1, c.destroyCount.get()));
        assertEquals(2, pool.counts().idle(), "topped back up to minIdle with new connections");
        assertEquals(4, factory.made.size());
    }

    @Test
    void keepaliveValidatesIdleConnectionsAndDestroysDeadOnes() {
        pool(PoolConfig.builder().maxSize(3).keepaliveInterval(Duration.ofMinutes(2))
                .idleTimeout(Duration.ZERO));
        List<Lease<TestConnection>> l = lease(3);
        TestConnection dead = l.get(1).connection();
        l.forEach(Lease::close);
        dead.healthy = false;
        int atCreation = dead.validations.get();
        clock.advance(Duration.ofMinutes(1));
        pool.runMaintenance();
        assertEquals(atCreation, dead.validations.get(), "not due yet");
        clock.advance(Duration.ofMinutes(1));
        pool.runMaintenance();
        assertEquals(atCreation + 1, dead.validations.get());
        assertEquals(1, dead.destroyCount.get());
        assertEquals(2, pool.counts().idle());
        assertEquals(1, pool.stats().validationFailures());
        // the healthy ones were validated once and kept; next pass within the interval leaves them alone
        int before = factory.made.get(0).validations.get();
        pool.runMaintenance();
        assertEquals(before, factory.made.get(0).validations.get());
    }

    @Test
    void retireAllDestroysIdleNowAndLeasedOnReturnButNotNewOnes() {
        pool(PoolConfig.builder().maxSize(4));
        List<Lease<TestConnection>> l = lease(3);
        l.get(0).close();
        TestConnection leased = l.get(1).connection();
        assertEquals(3, pool.retireAll());
        assertEquals(1, factory.destroyed(), "the idle one went at once");
        assertEquals(0, leased.destroyCount.get(), "leased ones are not pulled from under their holders");
        l.get(1).close();
        assertEquals(1, leased.destroyCount.get(), "destroyed on return");
        Lease<TestConnection> fresh = pool.acquire();
        TestConnection f = fresh.connection();
        fresh.close();
        assertEquals(0, f.destroyCount.get(), "a connection made after retireAll is kept");
        l.get(2).close();
        assertEquals(3, pool.stats().evictedByOperator());
    }

    @Test
    void evictIdleDestroysEveryIdleConnection() {
        pool(PoolConfig.builder().maxSize(4).minIdle(1));
        List<Lease<TestConnection>> l = lease(3);
        l.get(0).close();
        l.get(1).close();
        assertEquals(2, pool.evictIdle());
        assertEquals(0, pool.counts().idle());
        assertEquals(1, pool.counts().active());
        l.get(2).close();
        pool.runMaintenance();
        assertTrue(pool.counts().idle() >= 1);
    }

    @Test
    void leakDetectionReportsALeaseHeldTooLongOnceAndTheDumpShowsItsStack() {
        pool(PoolConfig.builder().leakDetectionThreshold(Duration.ofSeconds(10)));
        Lease<TestConnection> leaked = pool.acquire();
        clock.advance(Duration.ofSeconds(5));
        pool.runMaintenance();
        assertEquals(0, pool.stats().leaksDetected());
        clock.advance(Duration.ofSeconds(6));
        pool.runMaintenance();
        pool.runMaintenance();
        assertEquals(1, pool.stats().leaksDetected(), "reported once");
        var infos = pool.leases();
        assertEquals(1, infos.size());
        assertEquals(Thread.currentThread().getName(), infos.get(0).holderThread());
        assertTrue(infos.get(0).acquiringStack().contains(
                "leakDetectionReportsALeaseHeldTooLongOnceAndTheDumpShowsItsStack"), infos.get(0).acquiringStack());
        assertTrue(infos.get(0).heldFor().compareTo(Duration.ofSeconds(11)) >= 0);
        leaked.close();
        assertTrue(pool.leases().isEmpty());
        assertEquals(1, pool.stats().leaksDetected(), "still counted after the late return");
    }

    @Test
    void withoutLeakDetectionNoStackIsCaptured() {
        pool(PoolConfig.builder());
        Lease<TestConnection> l = pool.acquire();
        assertEquals("", pool.leases().get(0).acquiringStack());
        clock.advance(Duration.ofHours(1));
        pool.runMaintenance();
        assertEquals(0, pool.stats().leaksDetected());
        l.close();
        assertFalse(l.isActive());
    }
}
