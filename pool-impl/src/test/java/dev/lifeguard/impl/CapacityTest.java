package dev.lifeguard.impl;

import dev.lifeguard.AcquireInterruptedException;
import dev.lifeguard.AcquireTimeoutException;
import dev.lifeguard.Lease;
import dev.lifeguard.PoolConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CapacityTest extends ManualPoolTest {
    private final LifeguardPool<TestConnection> pool = start(PoolConfig.builder().name("capacity").maxSize(2));

    @Test
    void timesOutWithThePoolsCountsInTheMessage() {
        Lease<TestConnection> a = pool.acquire();
        Lease<TestConnection> b = pool.acquire();
        long t0 = System.nanoTime();
        AcquireTimeoutException e = assertThrows(AcquireTimeoutException.class,
                () -> pool.acquire(Duration.ofMillis(200)));
        long waitedMs = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(waitedMs >= 190 && waitedMs < 2_000, "waited " + waitedMs + " ms for a 200 ms timeout");
        assertTrue(e.getMessage().contains("pool 'capacity'"), e.getMessage());
        assertTrue(e.getMessage().contains("no connection available within PT0.2S"), e.getMessage());
        assertTrue(e.getMessage().contains("total=2, active=2, idle=0"), e.getMessage());
        assertEquals(2, e.counts().active());
        assertNull(e.getCause(), "no creation failure: a plain timeout");
        assertEquals(1, pool.stats().acquireTimeouts());
        a.close();
        b.close();
    }

    @Test
    void zeroTimeoutFailsAtOnceWhenFullAndSucceedsWhenNot() {
        Lease<TestConnection> a = pool.acquire(Duration.ZERO);
        Lease<TestConnection> b = pool.acquire(Duration.ZERO);
        assertThrows(AcquireTimeoutException.class, () -> pool.acquire(Duration.ZERO));
        a.close();
        pool.acquire(Duration.ZERO).close();
        b.close();
    }

    @Test
    void rejectsANegativeTimeout() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> pool.acquire(Duration.ofMillis(-1)));
        assertEquals("acquire timeout must be zero or positive, but was PT-0.001S", e.getMessage());
    }

    @Test
    void neverMoreThanMaxSizeAndTimeoutsLoseNoPermit() {
        for (int round = 0; round < 50; round++) {
            Lease<TestConnection> a = pool.acquire();
            Lease<TestConnection> b = pool.acquire();
            assertThrows(AcquireTimeoutException.class, () -> pool.acquire(Duration.ofMillis(1)));
            a.close();
            b.invalidate();
        }
        // all permits still there: both can be leased at once
        Lease<TestConnection> a = pool.acquire(Duration.ZERO);
        Lease<TestConnection> b = pool.acquire(Duration.ZERO);
        assertEquals(2, pool.counts().active());
        assertEquals(52, factory.made.size(), "the first pair, then one new connection per invalidate");
        a.close();
        b.close();
    }

    @Test
    void waitersAreServedInArrivalOrder() throws Exception {
        Lease<TestConnection> a = pool.acquire();
        Lease<TestConnection> b = pool.acquire();
        int n = 20;
        BlockingQueue<Integer> served = new LinkedBlockingQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int id = i;
            Thread t = new Thread(() -> {
                Lease<TestConnection> l = pool.acquire(Duration.ofSeconds(30));
                served.add(id);
                l.close();

            });
            t.start();
            threads.add(t);
            // admit waiters one by one so that arrival order is known
            Deadline.awaitTrue(() -> pool.counts().waiting() == id + 1, "waiter " + id + " queued");
        }
        a.close(); // one permit circulates through the queue; the other stays held by b
        for (Thread t : threads) {
            t.join(10_000);
        }
        List<Integer> order = new ArrayList<>(served);
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            expected.add(i);
        }
        assertEquals(expected, order);
        b.close();
    }

    @Test
    void noCallerStarvesWhileOthersHammerThePool() throws Exception {
        int threads = 40;
        java.util.concurrent.atomic.AtomicLong worstWait = new java.util.concurrent.atomic.AtomicLong();
        List<Thread> all = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                for (int op = 0; op < 2000; op++) {
                    long t0 = System.nanoTime();
                    Lease<TestConnection> l = pool.acquire(Duration.ofSeconds(30));
                    worstWait.accumulateAndGet(System.nanoTime() - t0, Math::max);
                    l.close();
                }
            });
            t.start();
            all.add(t);
        }
        for (Thread t : all) {
            t.join(60_000);
        }
        // A pool that lets newcomers barge without bound (stormpot starves callers for over 30 s at 100 threads)
        // would show here; Lifeguard lets them barge only while the queue keeps moving.
        assertTrue(worstWait.get() < java.util.concurrent.TimeUnit.SECONDS.toNanos(2),
                "a caller waited " + worstWait.get() / 1_000_000 + " ms on a pool of 2 shared by " + threads);
        assertEquals(threads * 2000L, pool.stats().acquired());
    }

    @Test
    void interruptWhileWaitingKeepsTheFlagAndLosesNoPermit() throws Exception {
        Lease<TestConnection> a = pool.acquire();
        Lease<TestConnection> b = pool.acquire();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> flagKept = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Thread waiter = new Thread(() -> {
            try {
                pool.acquire(Duration.ofSeconds(30));
            } catch (RuntimeException e) {
                thrown.set(e);
                flagKept.set(Thread.currentThread().isInterrupted());
            }
            done.countDown();
        });
        waiter.start();
        Deadline.awaitTrue(() -> pool.counts().waiting() == 1, "waiter queued");
        waiter.interrupt();
        assertTrue(done.await(10, java.util.concurrent.TimeUnit.SECONDS));
        assertTrue(thrown.get() instanceof AcquireInterruptedException, String.valueOf(thrown.get()));
        assertTrue(thrown.get().getCause() instanceof InterruptedException);
        assertTrue(flagKept.get(), "interrupt flag must be set again");
        assertEquals(0, pool.counts().waiting());
        a.close();
        b.close();
        // both permits are still there
        Lease<TestConnection> x = pool.acquire(Duration.ZERO);
        Lease<TestConnection> y = pool.acquire(Duration.ZERO);
        x.close();
        y.close();
    }

    @Test
    void anAlreadyInterruptedCallerFailsWithoutTakingCapacityWhenItWouldWait() {
        Lease<TestConnection> a = pool.acquire();
        Lease<TestConnection> b = pool.acquire();
        Thread.currentThread().interrupt();
        try {
            assertThrows(AcquireInterruptedException.class, () -> pool.acquire(Duration.ofSeconds(5)));
            assertTrue(Thread.interrupted(), "flag kept (and cleared here)");
        } finally {
            Thread.interrupted();
        }
        a.close();
        b.close();
    }
}
