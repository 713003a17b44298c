package dev.lifeguard.impl;

import dev.lifeguard.Lease;
import dev.lifeguard.PoolConfig;
import dev.lifeguard.PoolCounts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The live counts read from the lease counters while leases change hands as fast as they can. The counters are read
 * one after the other, so they can overcount leases that begin and end between the reads; what the pool reports must
 * still never claim more active leases than connections, nor a peak above its size (JMX once showed a peak of 11
 * on a pool of 10).
 */
class CountsUnderChurnTest extends ManualPoolTest {

    @Test
    @Timeout(60)
    void activeNeverExceedsTheConnectionsWhileLeasesChurn() throws Exception {
        LifeguardPool<TestConnection> pool = start(PoolConfig.builder().name("churn").maxSize(2));
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> churners = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread th = new Thread(() -> {
                while (!stop.get()) {
                    try (Lease<TestConnection> l = pool.acquire()) {
                        l.connection();
                    }
                }
            });
            th.start();
            churners.add(th);
        }
        try {
            for (int i = 0; i < 2_000_000; i++) {
                PoolCounts c = pool.counts();
                assertTrue(c.active() <= c.total(),
                        "read " + i + ": " + c.active() + " active on " + c.total() + " connections");
            }
        } finally {
            stop.set(true);
            for (Thread th : churners) {
                th.join();
            }
        }
        assertTrue(pool.stats().maxActiveEver() <= 2, "peak " + pool.stats().maxActiveEver() + " on a pool of 2");
    }
}
