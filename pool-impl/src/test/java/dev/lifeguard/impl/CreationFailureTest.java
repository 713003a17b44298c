package dev.lifeguard.impl;

import dev.lifeguard.AcquireTimeoutException;
import dev.lifeguard.ConnectionCreationException;
import dev.lifeguard.Lease;
import dev.lifeguard.PoolConfig;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CreationFailureTest extends ManualPoolTest {
    private final LifeguardPool<TestConnection> pool = start(PoolConfig.builder().name("create").maxSize(2)
            .creationBackoffInitial(Duration.ofSeconds(1)).creationBackoffMax(Duration.ofSeconds(4)));

    @Test
    void theCallerSeesTheFactorysExceptionAsCause() {
        factory.failuresToInject.set(1);
        ConnectionCreationException e = assertThrows(ConnectionCreationException.class, pool::acquire);
        assertTrue(e.getCause() instanceof ConnectException, String.valueOf(e.getCause()));
        assertTrue(e.getMessage().contains("backend refused (injected)"), e.getMessage());
        assertEquals(0, e.counts().total());
        assertEquals(1, pool.stats().creationFailures());
    }

    @Test
    void aFactoryReturningNullIsACreationFailureAndLosesNoCapacity() {
        factory.returnNull = true;
        for (int i = 0; i < 5; i++) {
            ConnectionCreationException e = assertThrows(ConnectionCreationException.class,
                    () -> pool.acquire(Duration.ZERO));
            assertTrue(e.getCause().getMessage().contains("returned null"), e.getCause().getMessage());
            clock.advance(Duration.ofSeconds(10)); // past the back-off
        }
        factory.returnNull = false;
        Lease<TestConnection> a = pool.acquire(Duration.ZERO);
        Lease<TestConnection> b = pool.acquire(Duration.ZERO);
        assertEquals(2, pool.counts().active(), "no capacity lost to the null returns");
        a.close();
        b.close();
    }

    @Test
    void failuresLoseNoCapacity() {
        factory.failAlways = true;
        for (int i = 0; i < 10; i++) {
            assertThrows(RuntimeException.class, () -> pool.acquire(Duration.ZERO));
            clock.advance(Duration.ofSeconds(10));
        }
        factory.failAlways = false;
        Lease<TestConnection> a = pool.acquire(Duration.ZERO);
        Lease<TestConnection> b = pool.acquire(Duration.ZERO);
        assertEquals(0, pool.counts().waiting());
        assertEquals(2, pool.counts().total());
        a.close();
        b.close();
    }

    @Test
    void duringBackOffCallersDoNotHammerTheBackendAndTimeOutWithTheCause() {
        factory.failAlways = true;
        assertThrows(ConnectionCreationException.class, () -> pool.acquire(Duration.ZERO));
        assertEquals(1, factory.createAttempts.get());
        // The back-off (1 s on the pool's clock) has not passed: 20 callers make no attempt at all.
        for (int i = 0; i < 20; i++) {
            AcquireTimeoutException e = assertThrows(AcquireTimeoutException.class,
                    () -> pool.acquire(Duration.ofMillis(5)));
            assertTrue(e.getCause() instanceof ConnectException, "the timeout names the creation failure");
            assertTrue(e.getMessage().contains("last connection attempt failed"), e.getMessage());
        }
        assertEquals(1, factory.createAttempts.get(), "no attempts during back-off");
        clock.advance(Duration.ofMillis(1001));
        assertThrows(ConnectionCreationException.class, () -> pool.acquire(Duration.ZERO));
        assertEquals(2, factory.createAttempts.get(), "one probe after the back-off");
        // second failure: back-off doubled to 2 s
        clock.advance(Duration.ofMillis(1500));
        assertThrows(AcquireTimeoutException.class, () -> pool.acquire(Duration.ZERO));
        assertEquals(2, factory.createAttempts.get());
        clock.advance(Duration.ofMillis(600));
        factory.failAlways = false;
        pool.acquire(Duration.ZERO).close();
        assertEquals(3, factory.createAttempts.get());
        // recovered: no back-off any more
        Lease<TestConnection> a = pool.acquire(Duration.ZERO);
        Lease<TestConnection> b = pool.acquire(Duration.ZERO);
        a.close();
        b.close();
    }

    @Test
    void backOffIsCappedAtTheMaximum() {
        factory.failAlways = true;
        for (int i = 0; i < 6; i++) {
            assertThrows(RuntimeException.class, () -> pool.acquire(Duration.ZERO));
            clock.advance(Duration.ofSeconds(4)); // the max: always enough
        }
        assertEquals(6, factory.createAttempts.get());
    }
}
