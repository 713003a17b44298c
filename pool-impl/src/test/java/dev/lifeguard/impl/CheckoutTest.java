package dev.lifeguard.impl;

import dev.lifeguard.IdleOrder;
import dev.lifeguard.Lease;
import dev.lifeguard.PoolConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckoutTest extends ManualPoolTest {
    private LifeguardPool<TestConnection> pool;

    private LifeguardPool<TestConnection> pool(PoolConfig.Builder b) {
        pool = start(b.name("checkout"));
        return pool;
    }

    @Test
    void reusesAReturnedConnectionInsteadOfCreating() {
        pool(PoolConfig.builder());
        TestConnection first;
        try (Lease<TestConnection> lease = pool.acquire()) {
            first = lease.connection();
        }
        try (Lease<TestConnection> lease = pool.acquire()) {
            assertSame(first, lease.connection());
        }
        assertEquals(1, factory.made.size());
        assertEquals(1, pool.stats().created());
        assertEquals(2, pool.stats().acquired());
    }

    @Test
    void lifoHandsOutTheMostRecentlyReturned() {
        pool(PoolConfig.builder().idleOrder(IdleOrder.LIFO));
        Lease<TestConnection> a = pool.acquire();
        Lease<TestConnection> b = pool.acquire();
        TestConnection ca = a.connection();
        TestConnection cb = b.connection();
        a.close();
        b.close();
        try (Lease<TestConnection> next = pool.acquire()) {
            assertSame(cb, next.connection());
        }
        assertNotSame(ca, cb);
    }

    @Test
    void fifoHandsOutTheLeastRecentlyReturned() {
        pool(PoolConfig.builder().idleOrder(IdleOrder.FIFO));
        Lease<TestConnection> a = pool.acquire();
        Lease<TestConnection> b = pool.acquire();
        TestConnection ca = a.connection();
        TestConnection cb = b.connection();
        a.close();
        b.close(); // this thread returned cb last: thread affinity must not bypass FIFO, which hands out ca
        try (Lease<TestConnection> next = pool.acquire()) {
            assertSame(ca, next.connection());
            assertNotSame(ca, cb);
        }
    }

    @Test
    void validatesOnEveryCheckoutByDefault() {
        pool(PoolConfig.builder());
        TestConnection c;
        try (Lease<TestConnection> lease = pool.acquire()) {
            c = lease.connection();
        }
        try (Lease<TestConnection> lease = pool.acquire()) {
            assertSame(c, lease.connection());
        }
        assertEquals(2, c.validations.get(), "validated once when made, and again on reuse");
    }

    @Test
    void skipsValidationWithinTheThresholdAndValidatesAfterIt() {
        pool(PoolConfig.builder().validationThreshold(Duration.ofSeconds(1)));
        TestConnection c;
        try (Lease<TestConnection> lease = pool.acquire()) {
            c = lease.connection();
        }
        clock.advance(Duration.ofMillis(500));
        pool.acquire().close();
        assertEquals(1, c.validations.get(), "idle only 500 ms: trusted (the one validation is its first)");
        clock.advance(Duration.ofMillis(1500));
        pool.acquire().close();
        assertEquals(2, c.validations.get(), "idle 1.5 s: validated");
    }

    @Test
    void aConnectionFailingValidationIsDestroyedAndTheCallerGetsAHealthyOne() {
        pool(PoolConfig.builder());
        Lease<TestConnection> a = pool.acquire();
        Lease<TestConnection> b = pool.acquire();
        TestConnection broken = a.connection();
        TestConnection healthy = b.connection();
        b.close();
        a.close(); // LIFO: the broken one is on top and is tried first
        broken.healthy = false;
        try (Lease<TestConnection> lease = pool.acquire()) {
            assertSame(healthy, lease.connection());
        }
        assertEquals(1, broken.destroyCount.get());
        assertEquals(1, pool.stats().validationFailures());
        assertEquals(1, pool.counts().total());
    }

    @Test
    void whenEveryIdleConnectionIsBrokenTheCallerGetsANewOne() {
        pool(PoolConfig.builder());
        Lease<TestConnection> a = pool.acquire();
        Lease<TestConnection> b = pool.acquire();
        a.connection().healthy = false;
        b.connection().healthy = false;
        a.close();
        b.close();
        try (Lease<TestConnection> lease = pool.acquire()) {
            assertEquals(3, lease.connection().id);
        }
        assertEquals(2, pool.stats().validationFailures());
    }

    @Test
    void aValidationThatThrowsCountsAsFailed() {
        pool(PoolConfig.builder());
        pool.acquire().close();
        factory.validateThrows.set(1);
        try (Lease<TestConnection> lease = pool.acquire()) {
            assertEquals(2, lease.connection().id);
        }
        assertEquals(1, pool.stats().validationFailures());
    }

    @Test
    void validateOnReturnDestroysABrokenConnectionAtOnce() {
        pool(PoolConfig.builder().validateOnReturn(true));
        Lease<TestConnection> a = pool.acquire();
        a.connection().healthy = false;
        a.close();
        assertEquals(0, pool.counts().total());
        assertEquals(0, pool.counts().idle());
        assertEquals(1, pool.stats().validationFailures());
    }

    @Test
    void withoutValidateOnReturnAReturnedConnectionGoesBackIdleUnchecked() {
        pool(PoolConfig.builder());
        Lease<TestConnection> a = pool.acquire();
        a.connection().healthy = false;
        a.close();
        assertEquals(1, pool.counts().idle());
    }

    @Test
    void aConnectionPastItsLifetimeIsDestroyedOnReturnNotReused() {
        pool(PoolConfig.builder().maxLifetime(Duration.ofMinutes(1)));
        Lease<TestConnection> a = pool.acquire();
        TestConnection old = a.connection();
        clock.advance(Duration.ofMinutes(2));
        a.close();
        assertEquals(1, old.destroyCount.get());
        assertEquals(1, pool.stats().retiredLifetime());
        try (Lease<TestConnection> lease = pool.acquire()) {
            assertNotSame(old, lease.connection());
        }
    }

    @Test
    void statsCountLeasesAndPeak() {
        pool(PoolConfig.builder());
        Lease<TestConnection> a = pool.acquire();
        Lease<TestConnection> b = pool.acquire();
        assertEquals(2, pool.counts().active());
        a.close();
        b.invalidate();
        var s = pool.stats();
        assertEquals(2, s.maxActiveEver());
        assertEquals(1, s.returned());
        assertEquals(1, s.invalidated());
        assertEquals(1, s.counts().total());
        assertTrue(s.waitTime().count() >= 2);
    }
}
