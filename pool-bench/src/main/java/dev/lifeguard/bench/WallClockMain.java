package dev.lifeguard.bench;

import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Acquire+release throughput as all operations divided by wall-clock time, and the operations of the least and
 * most served thread, for one pool in its own JVM (so that no other pool's code shares its call sites).
 *
 * <p>Why, besides JMH: JMH sums each thread's own rate, operations over that thread's own measured interval. With
 * 100 threads on 2 cores, threads run in turns, and that sum can exceed what the cores can do at all (stormpot:
 * 270M ops/s at 100 threads where one thread alone does 28M). Dividing by wall time cannot. The least-served
 * thread shows starvation, which a total hides. Prints one {@code RESULT} line.
 *
 * <p>Usage: {@code WallClockMain POOL threads seconds workTokens} (0 tokens: no work while holding).
 */
public final class WallClockMain {
    private WallClockMain() {
    }

    record Result(PoolKind pool, double opsPerSecond, long totalOps, int threads, long minThreadOps,
            long maxThreadOps) {
        String line() {
            return "RESULT " + pool + " ops/s=" + (long) opsPerSecond + " total=" + totalOps + " threads=" + threads
                    + " min=" + minThreadOps + " max=" + maxThreadOps;
        }

        static Result parse(String line) {
            String[] p = line.substring("RESULT ".length()).split(" ");
            return new Result(PoolKind.valueOf(p[0]), Long.parseLong(value(p[1])), Long.parseLong(value(p[2])),
                    Integer.parseInt(value(p[3])), Long.parseLong(value(p[4])), Long.parseLong(value(p[5])));
        }

        /**
         * @return the two runs as one: the operations and the seconds added up, the least- and most-served
         *         threads of either run
         */
        Result plus(Result other) {
            double seconds = totalOps / opsPerSecond + other.totalOps / other.opsPerSecond;
            long total = totalOps + other.totalOps;
            return new Result(pool, total / seconds, total, threads, Math.min(minThreadOps, other.minThreadOps),
                    Math.max(maxThreadOps, other.maxThreadOps));
        }

        /** @return true if the least-served thread did at least 1% of the average thread's operations */
        boolean servesEveryThread() {
            return minThreadOps * threads * 100 >= totalOps;
        }

        private static String value(String kv) {
            return kv.substring(kv.indexOf('=') + 1);
        }
    }

    public static void main(String[] args) throws Exception {
        PoolKind kind = PoolKind.valueOf(args[0]);
        int threads = Integer.parseInt(args[1]);
        long seconds = Long.parseLong(args[2]);
        long tokens = Long.parseLong(args[3]);
        try (BenchPool pool = kind.open(10)) {
            run(pool, kind, threads, 1, tokens); // warm-up: compiles the paths measured next
            System.out.println(run(pool, kind, threads, seconds, tokens).line());
        }
    }

    private static Result run(BenchPool pool, PoolKind kind, int threads, long seconds, long tokens)
            throws InterruptedException {
        long[] ops = new long[threads];
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        Stop stop = new Stop();
        Thread[] all = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int id = t;
            all[t] = new Thread(() -> {
                Blackhole bh = new Blackhole(
                        "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
                ready.countDown();
                long n = 0;
                try {
                    go.await();
                    while (!stop.now) {
                        if (tokens == 0) {
                            bh.consume(pool.cycle());
                        } else {
                            pool.cycleWithWork(tokens, bh);
                        }
                        n++;
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(kind + ": " + e, e);
                }
                ops[id] = n;
            }, "bench-" + t);
            all[t].setDaemon(true);
            all[t].start();
        }
        ready.await();
        long t0 = System.nanoTime();
        go.countDown();
        TimeUnit.SECONDS.sleep(seconds);
        stop.now = true;
        // Timed at the stop signal: each thread finishes at most the operation it is in, and a thread blocked in
        // acquire (starved) must not stretch the time of the others.
        double elapsed = (System.nanoTime() - t0) / 1e9;
        for (Thread t : all) {
            t.join(TimeUnit.MINUTES.toMillis(1));
        }
        long total = 0;
        long min = Long.MAX_VALUE;
        long max = 0;
        for (long n : ops) {
            total += n;
            min = Math.min(min, n);
            max = Math.max(max, n);
        }
        return new Result(kind, total / elapsed, total, threads, min, max);
    }

    /** The stop signal, read by every thread on every loop. */
    private static final class Stop {
        volatile boolean now;
    }
}
