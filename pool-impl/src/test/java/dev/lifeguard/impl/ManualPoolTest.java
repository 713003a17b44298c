package dev.lifeguard.impl;

import dev.lifeguard.PoolConfig;
import org.junit.jupiter.api.AfterEach;

import java.util.ArrayList;
import java.util.List;

/**
 * Base of the engine tests that drive a pool by hand: a counting factory, a clock that moves only when told, and
 * no maintenance thread (the test runs maintenance passes itself). After each test, every pool it started is
 * closed and every connection the factory made must have been destroyed exactly once: the pool's central promise,
 * checked after every test whatever the test itself asserts.
 */
abstract class ManualPoolTest {
    final TestFactory factory = new TestFactory();
    final ManualClock clock = new ManualClock();
    private final List<LifeguardPool<TestConnection>> started = new ArrayList<>();

    /** @return a pool on this test's factory and clock, closed and checked after the test */
    LifeguardPool<TestConnection> start(PoolConfig.Builder config) {
        return track(PoolStarter.manual(config.build(), factory, clock));
    }

    /** @return the pool, closed and checked after the test */
    LifeguardPool<TestConnection> track(LifeguardPool<TestConnection> pool) {
        started.add(pool);
        return pool;
    }

    @AfterEach
    void closeAndCheckEachDestroyedOnce() {
        started.forEach(LifeguardPool::close);
        factory.assertEachDestroyedOnce();
    }
}
