package dev.lifeguard.impl;

import dev.lifeguard.Lease;
import dev.lifeguard.PoolConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.function.IntUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A lease used within one method (try-with-resources) costs no allocation once the JIT has compiled the caller:
 * {@code acquire} is small enough to inline, and the lease handle then never leaves the caller. This guards the
 * shape of {@code LifeguardPool.checkout} (too large to inline, so that {@code acquire} stays small), and of
 * {@code PooledLease.close} (small enough to inline where its call was never reached).
 */
class AllocationTest {
    private static final int CYCLES_PER_ROUND = 200_000;
    private static final int MAX_ROUNDS = 60;

    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private LifeguardPool<TestConnection> pool;

    @AfterEach
    void close() {
        pool.close();
    }

    private static int cycle(LifeguardPool<TestConnection> pool) {
        try (Lease<TestConnection> lease = pool.acquire()) {
            return lease.connection() == null ? 0 : 1;
        }
    }

    /** Three kinds, so that the call below is megamorphic: a real call, which the JIT does not inline. */
    private static final IntUnaryOperator[] WORK = {x -> x + 1, x -> x * 3, x -> x ^ 5};

    /**
     * As a caller's own work would: a call inside the block that may throw, so that try-with-resources' exception
     * path, which closes the lease too, is compiled (though never taken). A close() not inlined there takes the
     * handle as its argument, and the handle is then allocated on every lease.
     */
    private static int cycleAroundACall(LifeguardPool<TestConnection> pool, int i) {
        try (Lease<TestConnection> lease = pool.acquire()) {
            return WORK[i % WORK.length].applyAsInt(lease.connection() == null ? 0 : 1);
        }
    }

    @Test
    void aScopedLeaseAllocatesNothingInSteadyState() {
        pool = PoolStarter.manual(PoolConfig.builder().name("allocation").maxSize(2)
                .validationThreshold(Duration.ofHours(1)).build(), new TestFactory(), NanoClock.SYSTEM);
        assertAllocatesNothing(i -> cycle(pool));
    }

    @Test
    void aScopedLeaseAroundACallThatMayThrowAllocatesNothingInSteadyState() {
        pool = PoolStarter.manual(PoolConfig.builder().name("allocation-call").maxSize(2)
                .validationThreshold(Duration.ofHours(1)).build(), new TestFactory(), NanoClock.SYSTEM);
        assertAllocatesNothing(i -> cycleAroundACall(pool, i));
    }

    private void assertAllocatesNothing(IntUnaryOperator cycle) {
        double best = Double.MAX_VALUE;
        long sink = 0;
        // Rounds until the JIT has compiled the loop; bounded, and each round is a few milliseconds.
        for (int round = 0; round < MAX_ROUNDS && best >= 0.5; round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < CYCLES_PER_ROUND; i++) {
                sink += cycle.applyAsInt(i);
            }
            long bytes = threads.getCurrentThreadAllocatedBytes() - before;
            best = Math.min(best, (double) bytes / CYCLES_PER_ROUND);
        }
        assertTrue(sink > 0);
        assertTrue(best < 0.5, "best round allocated " + best + " bytes per acquire + release");
    }
}
