package dev.lifeguard.impl;

import dev.lifeguard.Lease;
import dev.lifeguard.PoolConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LeaseTest extends ManualPoolTest {
    private final LifeguardPool<TestConnection> pool = start(PoolConfig.builder().name("lease").maxSize(2));

    @Test
    void closingTwiceReturnsOnce() {
        Lease<TestConnection> lease = pool.acquire();
        lease.close();
        lease.close();
        assertEquals(1, pool.stats().returned());
        assertEquals(1, pool.counts().idle());
        assertEquals(0, pool.counts().active());
        // the permit was released once: exactly maxSize leases can be taken again
        Lease<TestConnection> a = pool.acquire();
        Lease<TestConnection> b = pool.acquire();
        assertThrows(dev.lifeguard.AcquireTimeoutException.class, () -> pool.acquire(Duration.ZERO));
        a.close();
        b.close();
    }

    @Test
    void useAfterCloseIsAClearError() {
        Lease<TestConnection> lease = pool.acquire();
        assertTrue(lease.isActive());
        lease.close();
        assertFalse(lease.isActive());
        IllegalStateException e = assertThrows(IllegalStateException.class, lease::connection);
        assertTrue(e.getMessage().contains("lease of pool 'lease' has ended"), e.getMessage());
    }

    @Test
    void invalidateAfterCloseDoesNothing() {
        Lease<TestConnection> lease = pool.acquire();
        TestConnection c = lease.connection();
        lease.close();
        lease.invalidate();
        assertEquals(0, c.destroyCount.get());
        assertEquals(1, pool.counts().idle());
    }

    @Test
    void aStaleLeaseCannotEndTheNextHoldersLease() {
        Lease<TestConnection> first = pool.acquire();
        TestConnection c = first.connection();
        first.close();
        Lease<TestConnection> second = pool.acquire();
        assertEquals(c, second.connection(), "LIFO: the same connection again");
        first.close();
        first.invalidate();
        assertTrue(second.isActive(), "the stale handle must not touch the new lease");
        assertEquals(0, c.destroyCount.get());
        assertEquals(c, second.connection());
        second.close();
    }

    @Test
    void invalidateDestroysAndFreesCapacityForAWaiter() throws Exception {
        Lease<TestConnection> a = pool.acquire();
        Lease<TestConnection> b = pool.acquire();
        TestConnection broken = a.connection();
        ExecutorService ex = Executors.newSingleThreadExecutor();
        try {
            CountDownLatch waiting = new CountDownLatch(1);
            Future<TestConnection> waiter = ex.submit(() -> {
                waiting.countDown();
                try (Lease<TestConnection> l = pool.acquire(Duration.ofSeconds(10))) {
                    return l.connection();
                }
            });
            waiting.await();
            Deadline.awaitTrue(() -> pool.counts().waiting() == 1, "waiter queued");
            a.invalidate();
            TestConnection got = waiter.get();
            assertNotSame(broken, got);
            assertEquals(1, broken.destroyCount.get());
            assertEquals(1, pool.stats().invalidated());
        } finally {
            ex.shutdownNow();
            b.close();
        }
    }

    @Test
    void racingCloseAndInvalidateEndTheLeaseOnce() throws Exception {
        ExecutorService ex = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 500; i++) {
                Lease<TestConnection> lease = pool.acquire();
                CountDownLatch go = new CountDownLatch(1);
                Future<?> x = ex.submit(() -> {
                    go.await();
                    lease.close();
                    return null;
                });
                Future<?> y = ex.submit(() -> {
                    go.await();
                    lease.invalidate();
                    return null;
                });
                go.countDown();
                x.get();
                y.get();
                assertEquals(0, pool.counts().active());
            }
            var s = pool.stats();
            assertEquals(500, s.returned() + s.invalidated());
        } finally {
            ex.shutdownNow();
        }
    }
}
