package dev.lifeguard.impl;

import dev.lifeguard.ConnectionFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A factory of {@link TestConnection}s whose faults a test switches on. It records every connection it made so
 * that {@link #assertEachDestroyedOnce()} can check the pool's central promise after the pool is closed.
 */
class TestFactory implements ConnectionFactory<TestConnection> {
    final List<TestConnection> made = new CopyOnWriteArrayList<>();
    final AtomicInteger createAttempts = new AtomicInteger();
    final AtomicInteger failuresToInject = new AtomicInteger();
    volatile boolean failAlways;
    volatile boolean returnNull;
    /** Validations that throw before they behave again. */
    final AtomicInteger validateThrows = new AtomicInteger();
    /** When set, create() blocks until a permit is released (a slow backend under the test's control). */
    volatile Semaphore createGate;
    /** Counted down by each create() as it starts. */
    volatile CountDownLatch createStarted = new CountDownLatch(0);

    @Override
    public TestConnection create() throws Exception {
        createAttempts.incrementAndGet();
        createStarted.countDown();
        Semaphore gate = createGate;
        if (gate != null) {
            gate.acquireUninterruptibly();
        }
        if (failAlways || failuresToInject.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new java.net.ConnectException("backend refused (injected)");
        }
        if (returnNull) {
            return null;
        }
        TestConnection c = new TestConnection(made.size() + 1);
        made.add(c);
        return c;
    }

    @Override
    public boolean validate(TestConnection c, Duration timeout) {
        c.validations.incrementAndGet();
        if (validateThrows.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IllegalStateException("validation blew up (injected)");
        }
        return c.healthy;
    }

    @Override
    public void destroy(TestConnection c) {
        c.destroyCount.incrementAndGet();
    }

    int destroyed() {
        return (int) made.stream().filter(c -> c.destroyCount.get() > 0).count();
    }

    void assertEachDestroyedOnce() {
        for (TestConnection c : made) {
            assertEquals(1, c.destroyCount.get(), c + " destroyed count");
        }
    }
}
