package dev.lifeguard.impl;

import dev.lifeguard.Lease;
import dev.lifeguard.PoolConfig;
import dev.lifeguard.PoolCounts;
import dev.lifeguard.PoolException;
import dev.lifeguard.PoolStats;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Seeded, deterministic fuzzing of pool operations with an injected clock: random sequences of acquire, release,
 * invalidate, stale double-close, broken connections, failing creation, clock jumps, maintenance, evict, retire,
 * resize and close, with every invariant checked after every step. A failure names its seed; rerun one seed with
 * {@code -Dlifeguard.fuzz.seed=N}.
 */
class SeededFuzzTest {
    private static final int SEEDS = Integer.getInteger("lifeguard.fuzz.seeds", 400);
    private static final int STEPS = 400;

    @Test
    void randomOperationSequencesKeepEveryInvariant() {
        Long only = Long.getLong("lifeguard.fuzz.seed");
        long ops = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            if (only != null && seed != only) {
                continue;
            }
            ops += new Run(seed).go();
        }
        System.out.printf("fuzz: %d seeds, %d operations, every invariant held after every step%n", SEEDS, ops);
    }

    private static final class Run {
        final long seed;
        final Random rnd;
        final ManualClock clock = new ManualClock();
        final TestFactory factory = new TestFactory();
        final LifeguardPool<TestConnection> pool;
        final List<Lease<TestConnection>> held = new ArrayList<>();
        final List<Lease<TestConnection>> ended = new ArrayList<>();
        final Deque<String> history = new ArrayDeque<>();

        Run(long seed) {
            this.seed = seed;
            this.rnd = new Random(seed);
            int max = 1 + rnd.nextInt(6);
            pool = PoolStarter.manual(PoolConfig.builder().name("fuzz").maxSize(max).minIdle(rnd.nextInt(max + 1))
                    .idleTimeout(Duration.ofMinutes(10)).maxLifetime(Duration.ofMinutes(30))
                    .keepaliveInterval(Duration.ofMinutes(2))
                    .validationThreshold(Duration.ofSeconds(rnd.nextInt(3)))
                    .validateOnReturn(rnd.nextBoolean()).build(), factory, clock);
        }

        int go() {
            int step = 0;
            try {
                for (; step < STEPS; step++) {
                    step(rnd.nextInt(100));
                    check();
                }
                for (Lease<TestConnection> l : held) {
                    l.close();
                }
                held.clear();
                pool.close();
                note("close");
                check();
                factory.assertEachDestroyedOnce();
            } catch (AssertionError | RuntimeException e) {
                fail("fuzz seed " + seed + " failed at step " + step + " (rerun: -Dlifeguard.fuzz.seed=" + seed
                        + "); last operations: " + history, e);
            }
            return step;
        }

        void step(int dice) {
            if (dice < 35) {
                try {
                    Lease<TestConnection> l = pool.acquire(Duration.ZERO);
                    held.add(l);
                    note("acquire -> " + l.connection());
                } catch (PoolException e) {
                    note("acquire -> " + e.getClass().getSimpleName());
                }
            } else if (dice < 60 && !held.isEmpty()) {
                Lease<TestConnection> l = held.remove(rnd.nextInt(held.size()));
                note("close " + l.connection());
                l.close();
                ended.add(l);
            } else if (dice < 66 && !held.isEmpty()) {
                Lease<TestConnection> l = held.remove(rnd.nextInt(held.size()));
                note("invalidate " + l.connection());
                l.invalidate();
                ended.add(l);
            } else if (dice < 71 && !ended.isEmpty()) {
                Lease<TestConnection> stale = ended.get(rnd.nextInt(ended.size()));
                note("stale " + (rnd.nextBoolean() ? "close" : "invalidate"));
                if (rnd.nextBoolean()) {
                    stale.close();
                } else {
                    stale.invalidate();
                }
            } else if (dice < 76 && !factory.made.isEmpty()) {
                TestConnection c = factory.made.get(rnd.nextInt(factory.made.size()));
                c.healthy = false;
                note("break " + c);
            } else if (dice < 80) {
                factory.failuresToInject.set(1 + rnd.nextInt(2));
                note("fail next creations");
            } else if (dice < 86) {
                Duration d = Duration.ofSeconds(rnd.nextInt(20 * 60));
                clock.advance(d);
                note("advance " + d);
            } else if (dice < 91) {
                pool.runMaintenance();
                note("maintenance");
            } else if (dice < 93) {
                note("evictIdle " + pool.evictIdle());
            } else if (dice < 95) {
                note("retireAll " + pool.retireAll());
            } else {
                int max = 1 + rnd.nextInt(6);
                int minIdle = rnd.nextInt(max + 1);
                pool.reconfigure(pool.config().toBuilder().maxSize(max).minIdle(minIdle).build());
                note("resize " + max + "/" + minIdle);
            }
        }

        void check() {
            PoolCounts c = pool.counts();
            PoolStats s = pool.stats();
            Set<TestConnection> inUse = new HashSet<>();
            for (Lease<TestConnection> l : held) {
                if (!l.isActive()) {
                    throw new AssertionError("a held lease is no longer active");
                }
                TestConnection conn = l.connection();
                if (!inUse.add(conn)) {
                    throw new AssertionError(conn + " is leased twice");
                }
                if (conn.destroyCount.get() != 0) {
                    throw new AssertionError(conn + " is leased but destroyed");
                }
            }
            for (TestConnection m : factory.made) {
                if (m.destroyCount.get() > 1) {
                    throw new AssertionError(m + " destroyed " + m.destroyCount.get() + " times");
                }
            }
            for (Lease<TestConnection> l : ended) {
                if (l.isActive()) {
                    throw new AssertionError("an ended lease is active again");
                }
            }
            expect(held.size(), c.active(), "active");
            int alive = factory.made.size() - factory.destroyed();
            expect(alive, c.total(), "total = made - destroyed");
            expect(c.total() - c.active(), c.idle(), "idle = total - active");
            if (c.total() > Math.max(c.maxSize(), c.active())) {
                throw new AssertionError("total " + c.total() + " above max " + c.maxSize());
            }
            expect(s.acquired(), s.returned() + s.invalidated() + c.active(), "acquired = returned + invalid. + out");
            expect(s.created(), factory.made.size(), "created");
            expect(s.destroyed(), factory.destroyed(), "destroyed");
        }

        void expect(long want, long got, String what) {
            if (want != got) {
                throw new AssertionError(what + ": expected " + want + " but was " + got);
            }
        }

        void note(String op) {
            history.addLast(op);
            if (history.size() > 12) {
                history.removeFirst();
            }
        }
    }
}
