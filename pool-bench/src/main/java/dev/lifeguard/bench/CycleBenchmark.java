package dev.lifeguard.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Acquire + release on a pool of 10, side by side for every pool ({@link #pool} parameter). The thread count is
 * set per run (1, 2, 8, 100). {@link #cycleWithWork} holds the connection for {@link #workTokens} of CPU work, as a
 * caller doing a little with its connection would.
 */
public class CycleBenchmark {
    /** The work done holding the connection in the "with work" case (as the {@code workTokens} parameter). */
    static final long WORK_TOKENS = 200;

    @State(Scope.Benchmark)
    public static class Pools {
        @Param({"LIFEGUARD", "HIKARICP", "COMMONS_POOL2", "STORMPOT", "VIBUR"})
        public PoolKind pool;

        @Param({"200"}) // WORK_TOKENS
        public int workTokens;

        BenchPool open;

        @Setup(Level.Trial)
        public void open() throws Exception {
            open = pool.open(10);
        }

        @TearDown(Level.Trial)
        public void close() throws Exception {
            open.close();
        }
    }

    @Benchmark
    public Object cycle(Pools p) throws Exception {
        return p.open.cycle();
    }

    @Benchmark
    public void cycleWithWork(Pools p, Blackhole bh) throws Exception {
        p.open.cycleWithWork(p.workTokens, bh);
    }
}
