package dev.lifeguard.impl;

import dev.lifeguard.AcquireTimeoutException;
import dev.lifeguard.Lease;
import dev.lifeguard.Pool;
import dev.lifeguard.PoolConfig;
import dev.lifeguard.PoolStats;
import dev.lifeguard.Pools;
import dev.lifeguard.tcp.Ping;
import dev.lifeguard.tcp.TcpSettings;
import dev.lifeguard.testkit.EchoServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The first stress case: 100 concurrent tasks share a pool of 10 over real loopback TCP. Every step checks that no
 * more than 10 leases are held, that no connection is held by two tasks, and that each reply is the task's own.
 */
class SharedPoolStressIT {
    private static final int TASKS = 100;
    private static final int POOL = 10;
    private static final int OPS_PER_TASK = 200;

    @Test
    void hundredTasksShareTenConnectionsOverLoopbackTcp() throws Exception {
        try (EchoServer server = EchoServer.start();
             Pool<Socket> pool = Pools.create(PoolConfig.builder().name("stress").maxSize(POOL)
                     .acquireTimeout(Duration.ofSeconds(30)).build(),
                     Pools.tcp(TcpSettings.builder(server.host(), server.port()).ping(Ping.liveness())
                             .readTimeout(Duration.ofSeconds(10)).build()))) {
            Map<Socket, Integer> holders = new ConcurrentHashMap<>();
            AtomicInteger held = new AtomicInteger();
            AtomicInteger peak = new AtomicInteger();
            AtomicLong ops = new AtomicLong();
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService ex = Executors.newFixedThreadPool(TASKS);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < TASKS; t++) {
                int task = t;
                futures.add(ex.submit(() -> {
                    start.await();
                    for (int i = 0; i < OPS_PER_TASK; i++) {
                        try (Lease<Socket> lease = pool.acquire()) {
                            Socket s = lease.connection();
                            assertNull(holders.putIfAbsent(s, task), "connection held by two tasks at once");
                            int now = held.incrementAndGet();
                            peak.accumulateAndGet(now, Math::max);
                            assertTrue(now <= POOL, "more than " + POOL + " leases held: " + now);
                            roundTrip(s, "task " + task + " op " + i + "\n");
                            held.decrementAndGet();
                            assertTrue(holders.remove(s, task));
                        }
                        ops.incrementAndGet();
                    }
                    return null;
                }));
            }
            start.countDown();
            ex.shutdown();
            assertTrue(ex.awaitTermination(5, TimeUnit.MINUTES));
            for (Future<?> f : futures) {
                f.get();
            }
            PoolStats s = pool.stats();
            assertEquals((long) TASKS * OPS_PER_TASK, ops.get());
            assertEquals(0, s.counts().active(), "every lease returned");
            assertEquals(s.acquired(), s.returned());
            assertTrue(s.created() <= POOL, "created " + s.created());
            assertTrue(server.accepted() <= POOL, "server accepted " + server.accepted());
            assertTrue(s.maxActiveEver() <= POOL);
            assertTrue(peak.get() <= POOL);
            assertEquals(0, s.acquireTimeouts());
        }
    }

    @Test
    void randomInvalidationsTimeoutsAndInterruptsLoseNothing() throws Exception {
        TestFactory factory = new TestFactory();
        LifeguardPool<TestConnection> pool = PoolStarter.start(PoolConfig.builder().name("chaos").maxSize(POOL)
                .build(), factory, null, NanoClock.SYSTEM);
        Map<TestConnection, Integer> holders = new ConcurrentHashMap<>();
        AtomicLong timeouts = new AtomicLong();
        AtomicLong interrupts = new AtomicLong();
        AtomicLong worstOverrunNanos = new AtomicLong();
        ExecutorService ex = Executors.newFixedThreadPool(TASKS);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < TASKS; t++) {
            int task = t;
            futures.add(ex.submit(() -> {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                for (int i = 0; i < 300; i++) {
                    if (rnd.nextInt(50) == 0) {
                        Thread.currentThread().interrupt();
                    }
                    long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(rnd.nextInt(3));
                    long t0 = System.nanoTime();
                    try (Lease<TestConnection> lease = pool.acquire(Duration.ofNanos(timeoutNanos))) {
                        TestConnection c = lease.connection();
                        assertNull(holders.putIfAbsent(c, task), "connection held by two tasks at once");
                        assertEquals(0, c.destroyCount.get(), "handed out a destroyed connection");
                        if (rnd.nextInt(10) == 0) {
                            c.healthy = false; // fails validation on its next checkout
                        }
                        if (rnd.nextInt(8) == 0) {
                            // hold it a while, so the pool runs dry and short acquires time out
                            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                        }
                        assertTrue(holders.remove(c, task));
                        if (rnd.nextInt(20) == 0) {
                            lease.invalidate();
                        }
                    } catch (AcquireTimeoutException e) {
                        timeouts.incrementAndGet();
                        worstOverrunNanos.accumulateAndGet(System.nanoTime() - t0 - timeoutNanos, Math::max);
                    } catch (dev.lifeguard.AcquireInterruptedException e) {
                        interrupts.incrementAndGet();
                    } finally {
                        Thread.interrupted();
                    }
                }
                return null;
            }));
        }
        ex.shutdown();
        assertTrue(ex.awaitTermination(5, TimeUnit.MINUTES));
        for (Future<?> f : futures) {
            f.get();
        }
        PoolStats s = pool.stats();
        assertEquals(0, s.counts().active());
        assertEquals(s.acquired(), s.returned() + s.invalidated());
        assertEquals(s.created() - s.destroyed(), s.counts().total());
        assertTrue(s.counts().total() <= POOL);
        assertTrue(timeouts.get() > 0, "the test must exercise timeouts");
        // 100 threads on 2 cores: a thread may wait for a core, but never for the pool beyond its timeout.
        assertTrue(worstOverrunNanos.get() < TimeUnit.MILLISECONDS.toNanos(500), "an acquire overran its timeout by "
                + worstOverrunNanos.get() / 1_000_000 + " ms");
        // no permit lost: all 10 can be leased at once with no wait
        List<Lease<TestConnection>> all = new ArrayList<>();
        for (int i = 0; i < POOL; i++) {
            all.add(pool.acquire(Duration.ofSeconds(5)));
        }
        assertEquals(POOL, pool.counts().active());
        all.forEach(Lease::close);
        pool.close();
        factory.assertEachDestroyedOnce();
        System.out.printf("chaos: %d acquired, %d timeouts (worst overrun %.1f ms), %d interrupts, %d validation "
                        + "failures, %d created; final counts exact, all 10 permits intact%n", s.acquired(),
                timeouts.get(), worstOverrunNanos.get() / 1e6, interrupts.get(), s.validationFailures(),
                s.created());
    }

    private static void roundTrip(Socket s, String message) throws IOException {
        byte[] request = message.getBytes(StandardCharsets.UTF_8);
        OutputStream out = s.getOutputStream();
        out.write(request);
        out.flush();
        InputStream in = s.getInputStream();
        byte[] reply = in.readNBytes(request.length);
        assertTrue(Arrays.equals(request, reply), "reply was someone else's: " + new String(reply,
                StandardCharsets.UTF_8));
    }
}
