package dev.lifeguard.impl;

import dev.lifeguard.Lease;
import dev.lifeguard.PoolConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReconfigureTest extends ManualPoolTest {
    private final LifeguardPool<TestConnection> pool = start(PoolConfig.builder().name("tune").maxSize(2));

    @Test
    void growingMaxSizeServesAWaiterAtOnce() throws Exception {
        Lease<TestConnection> a = pool.acquire();
        Lease<TestConnection> b = pool.acquire();
        ExecutorService ex = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> waiter = ex.submit(() -> {
                try (Lease<TestConnection> l = pool.acquire(Duration.ofSeconds(30))) {
                    return l.connection().id;
                }
            });
            Deadline.awaitTrue(() -> pool.counts().waiting() == 1, "waiter queued");
            pool.reconfigure(pool.config().toBuilder().maxSize(3).build());
            assertEquals(3, waiter.get(10, TimeUnit.SECONDS));
        } finally {
            ex.shutdownNow();
        }
        a.close();
        b.close();
        assertEquals(3, pool.counts().total());
    }

    @Test
    void shrinkingRetiresTheExcessAsItIsReturned() {
        pool.reconfigure(pool.config().toBuilder().maxSize(4).build());
        Lease<TestConnection> a = pool.acquire();
        Lease<TestConnection> b = pool.acquire();
        Lease<TestConnection> c = pool.acquire();
        Lease<TestConnection> d = pool.acquire();
        d.close();
        assertEquals(4, pool.counts().total());
        pool.reconfigure(pool.config().toBuilder().maxSize(2).build());
        assertEquals(3, pool.counts().total(), "the idle excess goes at once");
        assertThrows(dev.lifeguard.AcquireTimeoutException.class, () -> pool.acquire(Duration.ZERO),
                "3 leased > new max 2: nobody else gets in");
        a.close();
        assertEquals(2, pool.counts().total(), "returned excess destroyed");
        b.close();
        c.close();
        assertEquals(2, pool.counts().total());
        assertEquals(2, pool.counts().idle());
        Lease<TestConnection> x = pool.acquire(Duration.ZERO);
        Lease<TestConnection> y = pool.acquire(Duration.ZERO);
        assertThrows(dev.lifeguard.AcquireTimeoutException.class, () -> pool.acquire(Duration.ZERO));
        x.close();
        y.close();
    }

    @Test
    void aFixedSettingCannotChangeAndNothingIsApplied() {
        PoolConfig before = pool.config();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> pool.reconfigure(before.toBuilder().name("other").maxSize(9).build()));
        assertEquals("name cannot be changed at runtime: it is 'tune', but the new config has 'other'",
                e.getMessage());
        assertEquals(before, pool.config());
        assertEquals(2, pool.counts().maxSize());
        e = assertThrows(IllegalArgumentException.class,
                () -> pool.reconfigure(before.toBuilder().clockTick(Duration.ofMillis(50)).maxSize(9).build()));
        assertEquals("clockTick cannot be changed at runtime: it is PT0.01S, but the new config has PT0.05S",
                e.getMessage());
        assertEquals(before, pool.config());
        assertEquals(2, pool.counts().maxSize());
    }

    @Test
    void runtimeChangesTakeEffect() {
        pool.reconfigure(pool.config().toBuilder().acquireTimeout(Duration.ofMillis(50)).build());
        Lease<TestConnection> a = pool.acquire();
        Lease<TestConnection> b = pool.acquire();
        long t0 = System.nanoTime();
        var e = assertThrows(dev.lifeguard.AcquireTimeoutException.class, pool::acquire);
        assertEquals(Duration.ofMillis(50), e.timeout());
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5));
        a.close();
        b.close();
    }
}
