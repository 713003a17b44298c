package dev.lifeguard.impl;

import dev.lifeguard.Lease;
import dev.lifeguard.Pool;
import dev.lifeguard.PoolClosedException;
import dev.lifeguard.PoolConfig;
import dev.lifeguard.Pools;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CloseTest {
    private final TestFactory factory = new TestFactory();

    private LifeguardPool<TestConnection> manual(int max) {
        return PoolStarter.manual(PoolConfig.builder().name("close").maxSize(max).build(), factory,
                new ManualClock());
    }

    @Test
    void waitersFailAtOnceWithTheClosedException() throws Exception {
        LifeguardPool<TestConnection> pool = manual(1);
        Lease<TestConnection> held = pool.acquire();
        ExecutorService ex = Executors.newFixedThreadPool(5);
        try {
            List<Future<Throwable>> waiters = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                waiters.add(ex.submit(() -> {
                    try {
                        pool.acquire(Duration.ofMinutes(5)).close();
                        return null;
                    } catch (RuntimeException e) {
                        return e;
                    }
                }));
            }
            Deadline.awaitTrue(() -> pool.counts().waiting() == 5, "5 waiters queued");
            long t0 = System.nanoTime();
            pool.close();
            for (Future<Throwable> w : waiters) {
                Throwable t = w.get(10, TimeUnit.SECONDS);
                assertTrue(t instanceof PoolClosedException, String.valueOf(t));
            }
            assertTrue((System.nanoTime() - t0) < TimeUnit.SECONDS.toNanos(5), "woken at once, not at timeout");
        } finally {
            ex.shutdownNow();
        }
        held.close();
        factory.assertEachDestroyedOnce();
    }

    @Test
    void closeDestroysIdleNowAndLeasedOnReturn() {
        LifeguardPool<TestConnection> pool = manual(3);
        Lease<TestConnection> a = pool.acquire();
        Lease<TestConnection> b = pool.acquire();
        TestConnection idle = a.connection();
        TestConnection leased = b.connection();
        a.close();
        pool.close();
        assertEquals(1, idle.destroyCount.get());
        assertEquals(0, leased.destroyCount.get(), "still in use by its holder");
        assertTrue(b.isActive());
        b.close();
        assertEquals(1, leased.destroyCount.get());
        assertEquals(0, pool.counts().total());
        factory.assertEachDestroyedOnce();
    }

    @Test
    void useAfterCloseIsRefusedAndCloseIsIdempotent() {
        LifeguardPool<TestConnection> pool = manual(2);
        pool.close();
        pool.close();
        assertTrue(pool.isClosed());
        PoolClosedException e = assertThrows(PoolClosedException.class, pool::acquire);
        assertTrue(e.getMessage().contains("pool 'close': pool is closed"), e.getMessage());
        assertThrows(PoolClosedException.class, () -> pool.reconfigure(pool.config().toBuilder().maxSize(3).build()));
    }

    @Test
    void gracefulCloseWaitsForLeasesToComeBack() throws Exception {
        LifeguardPool<TestConnection> pool = manual(2);
        Lease<TestConnection> a = pool.acquire();
        CountDownLatch closing = new CountDownLatch(1);
        ExecutorService ex = Executors.newSingleThreadExecutor();
        try {
            Future<Boolean> drained = ex.submit(() -> {
                closing.countDown();
                return pool.close(Duration.ofSeconds(30));
            });
            closing.await();
            Deadline.awaitTrue(pool::isClosed, "pool closed");
            assertFalse(drained.isDone(), "still waiting for the lease");
            a.close();
            assertTrue(drained.get(10, TimeUnit.SECONDS));
        } finally {
            ex.shutdownNow();
        }
        factory.assertEachDestroyedOnce();
    }

    @Test
    void gracefulCloseDestroysWhatIsStillLeasedAtTheDeadline() {
        LifeguardPool<TestConnection> pool = manual(2);
        Lease<TestConnection> a = pool.acquire();
        TestConnection c = a.connection();
        assertFalse(pool.close(Duration.ofMillis(100)));
        assertEquals(1, c.destroyCount.get(), "forced");
        assertFalse(a.isActive());
        assertThrows(IllegalStateException.class, a::connection);
        a.close(); // late return: no second destroy, no error
        assertEquals(1, c.destroyCount.get());
        assertEquals(0, pool.counts().active());
        // The deadline ended the lease (counted as invalidated: its connection did not come back for reuse).
        assertEquals(1, pool.stats().invalidated());
        assertEquals(0, pool.stats().returned());
        factory.assertEachDestroyedOnce();
    }

    @Test
    void closeStopsTheMaintenanceThread() throws Exception {
        Pool<TestConnection> pool = Pools.create(PoolConfig.builder().name("threads-test").minIdle(1)
                .maintenanceInterval(Duration.ofMillis(10)).build(), factory);
        Deadline.awaitTrue(() -> pool.counts().idle() == 1, "top-up ran on the maintenance thread");
        assertTrue(threadExists("lifeguard-maintenance-threads-test"));
        pool.close();
        Deadline.awaitTrue(() -> !threadExists("lifeguard-maintenance-threads-test"), "maintenance thread gone");
        factory.assertEachDestroyedOnce();
    }

    @Test
    void aSuppliedExecutorIsNotShutDownButOurTaskIsCancelled() throws Exception {
        ScheduledExecutorService shared = Executors.newSingleThreadScheduledExecutor();
        try {
            Pool<TestConnection> pool = Pools.create(PoolConfig.builder().name("supplied").minIdle(1)
                    .maintenanceInterval(Duration.ofMillis(10)).build(), factory, shared);
            Deadline.awaitTrue(() -> pool.counts().idle() == 1, "top-up ran on the supplied executor");
            pool.close();
            assertFalse(shared.isShutdown());
            int made = factory.made.size();
            // a later task on the same single thread runs after any pass of ours that was under way
            shared.submit(() -> { }).get();
            shared.schedule(() -> { }, 50, TimeUnit.MILLISECONDS).get();
            assertEquals(made, factory.made.size(), "no maintenance after close");
        } finally {
            shared.shutdownNow();
        }
        factory.assertEachDestroyedOnce();
    }

    @Test
    void closeDuringPrefillDestroysWhatWasBeingCreated() throws Exception {
        java.util.concurrent.Semaphore slow = new java.util.concurrent.Semaphore(0);
        factory.createGate = slow;
        factory.createStarted = new CountDownLatch(1);
        Pool<TestConnection> pool = Pools.create(PoolConfig.builder().name("prefill").minIdle(3).maxSize(3)
                .maintenanceInterval(Duration.ofMillis(10)).build(), factory);
        assertTrue(factory.createStarted.await(10, TimeUnit.SECONDS));
        pool.close(); // the maintenance thread is inside create(), blocked
        slow.release(100);
        Deadline.awaitTrue(() -> pool.counts().total() == 0, "in-flight creation cleaned up");
        factory.assertEachDestroyedOnce();
    }

    private static boolean threadExists(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name));
    }
}
