package dev.lifeguard.impl;

import dev.lifeguard.Lease;
import dev.lifeguard.PoolConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ticking clock of the affine path ({@link PoolConfig#clockTick()}): a checkout that reads a tick instead of
 * the clock still validates a connection idle past the threshold and times its sampled leases exactly. The tick
 * here is driven by hand, on the test's clock, so that each case sets exactly how stale the tick is.
 */
class CheckoutClockTest extends ManualPoolTest {
    private static final Duration TICK = Duration.ofMillis(10);
    private final CheckoutClock ticks = CheckoutClock.manual(clock, TICK);

    private LifeguardPool<TestConnection> ticking(PoolConfig.Builder config) {
        LifeguardPool<TestConnection> pool = new LifeguardPool<>(config.build(), factory, clock, ticks);
        pool.attach(new Maintenance<>(pool, null, false));
        return track(pool);
    }

    @Test
    void aConnectionIdlePastTheThresholdIsValidatedThoughTheTickIsOneTickLate() {
        LifeguardPool<TestConnection> pool = ticking(PoolConfig.builder().maxSize(1)
                .validationThreshold(Duration.ofMillis(100)));
        TestConnection c;
        try (Lease<TestConnection> first = pool.acquire()) {
            c = first.connection();
        }
        int before = c.validations.get();
        // Idle 101 ms in truth; the latest tick is from 85 ms, 16 ms old (a 10 ms tick, 6 ms late).
        clock.advance(Duration.ofMillis(85));
        ticks.tick();
        clock.advance(Duration.ofMillis(16));
        try (Lease<TestConnection> again = pool.acquire()) {
            assertTrue(again.connection() == c, "taken back by affinity");
        }
        assertEquals(before + 1, c.validations.get(), "idle past validationThreshold: validated");

        // And one idle well within the threshold is not: the tick does not make every checkout validate.
        clock.advance(Duration.ofMillis(30));
        ticks.tick();
        try (Lease<TestConnection> soon = pool.acquire()) {
            assertTrue(soon.connection() == c);
        }
        assertEquals(before + 1, c.validations.get(), "idle 30 ms: not validated");
    }

    @Test
    void aSampledLeaseIsTimedByReadingsNotByAStaleTick() {
        // Not validated on checkout: a validation would date the lease with its own reading.
        LifeguardPool<TestConnection> pool = ticking(PoolConfig.builder().maxSize(1)
                .validationThreshold(Duration.ofMinutes(1)));
        pool.acquire().close(); // the first lease, timed; the next is due a sample a millisecond later
        clock.advance(Duration.ofMillis(50));
        ticks.tick();
        clock.advance(Duration.ofMillis(30)); // the tick is now 30 ms old
        Lease<TestConnection> held = pool.acquire();
        clock.advance(Duration.ofMillis(5));
        held.close();
        assertEquals(2, pool.stats().leaseTime().count());
        assertEquals(5, pool.stats().leaseTime().max().toMillis(), "held 5 ms, not 35 ms from the stale tick");
    }

    @Test
    void aStartedPoolTicksOnAThreadOfItsOwnUntilItCloses() throws InterruptedException {
        TestFactory own = new TestFactory();
        LifeguardPool<TestConnection> pool = PoolStarter.start(PoolConfig.builder().name("ticks").build(), own,
                null, NanoClock.SYSTEM);
        Thread ticker = thread("lifeguard-clock-ticks").orElseThrow();
        pool.acquire().close();
        pool.close();
        ticker.join(Duration.ofSeconds(10).toMillis());
        assertFalse(ticker.isAlive(), "the ticker ends with its pool");
        own.assertEachDestroyedOnce();

        LifeguardPool<TestConnection> untimed = PoolStarter.start(PoolConfig.builder().name("untimed")
                .clockTick(Duration.ZERO).build(), own, null, NanoClock.SYSTEM);
        try {
            assertTrue(thread("lifeguard-clock-untimed").isEmpty(), "clockTick zero: no ticker");
            assertTrue(thread("lifeguard-maintenance-untimed").isPresent(), "(the name pattern is right)");
        } finally {
            untimed.close();
        }
    }

    @Test
    void aPoolThatFailsToStartLeavesNoTickerBehind() throws InterruptedException {
        ScheduledExecutorService shutDown = Executors.newSingleThreadScheduledExecutor();
        shutDown.shutdown();
        assertThrows(RejectedExecutionException.class, () -> PoolStarter.start(PoolConfig.builder()
                .name("stillborn").build(), new TestFactory(), shutDown, NanoClock.SYSTEM));
        Optional<Thread> ticker = thread("lifeguard-clock-stillborn");
        if (ticker.isPresent()) {
            ticker.get().join(Duration.ofSeconds(10).toMillis());
            assertFalse(ticker.get().isAlive(), "the ticker of a pool that failed to start ends");
        }
    }

    private static Optional<Thread> thread(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).findFirst();
    }
}
