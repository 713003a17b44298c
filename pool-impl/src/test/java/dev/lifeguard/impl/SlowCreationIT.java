package dev.lifeguard.impl;

import dev.lifeguard.Lease;
import dev.lifeguard.PoolConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Slow and failing connection creation under a spike of simultaneous callers. */
class SlowCreationIT {

    /** A factory whose create() takes 150 ms, like a backend doing TLS and authentication. */
    static final class SlowFactory extends TestFactory {
        @Override
        public TestConnection create() throws Exception {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(150)); // the backend's own latency, not a test wait
            return super.create();
        }
    }

    @Test
    void aSpikeOfFiftyCallersAgainstSlowCreationDoesNotOverCreate() throws Exception {
        SlowFactory factory = new SlowFactory();
        LifeguardPool<TestConnection> pool = PoolStarter.start(PoolConfig.builder().name("spike").maxSize(50)
                .acquireTimeout(Duration.ofSeconds(30)).build(), factory, null, NanoClock.SYSTEM);
        ExecutorService callers = Executors.newFixedThreadPool(50);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> f = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            f.add(callers.submit(() -> {
                go.await();
                for (int op = 0; op < 3; op++) {
                    try (Lease<TestConnection> l = pool.acquire()) {
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // 5 ms of use
                    }
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> x : f) {
            x.get(2, TimeUnit.MINUTES);
        }
        callers.shutdown();
        long created = pool.stats().created();
        System.out.printf("spike: 50 callers x 3 uses of 5 ms, creation 150 ms: %d connections created "
                + "(pool max 50), wait p99 %s%n", created, pool.stats().waitTime().p99());
        // 150 uses of 5 ms fit in well under a second on a few connections; opening one per caller would be 50.
        assertTrue(created <= 12, "created " + created + " connections for a load that needs a handful");
        assertEquals(150, pool.stats().acquired());
        pool.close();
        factory.assertEachDestroyedOnce();
    }

    @Test
    void aFactoryThatThrowsOrReturnsNullUnderLoadLosesNoCapacity() throws Exception {
        TestFactory factory = new TestFactory();
        LifeguardPool<TestConnection> pool = PoolStarter.start(PoolConfig.builder().name("flaky").maxSize(10)
                .creationBackoffInitial(Duration.ofMillis(1)).creationBackoffMax(Duration.ofMillis(2))
                .acquireTimeout(Duration.ofMillis(200)).build(), factory, null, NanoClock.SYSTEM);
        ExecutorService callers = Executors.newFixedThreadPool(50);
        List<Future<Integer>> f = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            int id = i;
            f.add(callers.submit(() -> {
                int failures = 0;
                for (int op = 0; op < 100; op++) {
                    if (op % 10 == 0) {
                        factory.failuresToInject.incrementAndGet();
                    }
                    factory.returnNull = id == 0 && op % 7 == 0;
                    try (Lease<TestConnection> l = pool.acquire()) {
                        l.connection();
                        if (op % 13 == 0) {
                            l.invalidate(); // forces new creations, which may fail
                        }
                    } catch (dev.lifeguard.PoolException e) {
                        failures++;
                    }
                }
                return failures;
            }));
        }
        int failures = 0;
        for (Future<Integer> x : f) {
            failures += x.get(2, TimeUnit.MINUTES);
        }
        callers.shutdown();
        factory.returnNull = false;
        factory.failuresToInject.set(0);
        // All capacity is still there: ten leases at once, without waiting for anything.
        List<Lease<TestConnection>> all = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            all.add(pool.acquire(Duration.ofSeconds(5)));
        }
        assertEquals(10, pool.counts().active());
        all.forEach(Lease::close);
        var s = pool.stats();
        System.out.printf("flaky factory: %d creation failures injected or null, %d caller failures, %d acquired, "
                + "capacity intact%n", s.creationFailures(), failures, s.acquired());
        assertTrue(s.creationFailures() > 0);
        assertEquals(s.created() - s.destroyed(), s.counts().total());
        pool.close();
        factory.assertEachDestroyedOnce();
    }
}
