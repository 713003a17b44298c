package dev.lifeguard.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.openjdk.jmh.infra.Blackhole;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Wait time in acquire with many tasks sharing a pool of 10: each task holds its connection for a little CPU work
 * (or a short park) and records how long acquire took into an HdrHistogram. The same work for every pool.
 */
final class WaitTimes {
    private WaitTimes() {
    }

    record Result(PoolKind pool, long ops, long p50Nanos, long p99Nanos, long p999Nanos, long maxNanos,
            double seconds) {
    }

    /**
     * @param executor     runs the tasks (platform or virtual threads)
     * @param tasks        concurrent tasks
     * @param opsPerTask   acquire+release cycles per task
     * @param parkNanos    hold time as a park (0 = hold by CPU work)
     */
    static Result run(PoolKind kind, ExecutorService executor, int tasks, int opsPerTask, long parkNanos)
            throws Exception {
        try (BenchPool pool = kind.open(10)) {
            // One shared recorder: 10,000 tasks with a histogram each would not fit a small heap.
            Recorder recorder = new Recorder(TimeUnit.MINUTES.toNanos(5), 3);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < tasks; t++) {
                futures.add(executor.submit(() -> {
                    start.await();
                    for (int i = 0; i < opsPerTask; i++) {
                        long t0 = System.nanoTime();
                        Object handle = pool.acquire();
                        recorder.recordValue(Math.min(System.nanoTime() - t0, TimeUnit.MINUTES.toNanos(5)));
                        if (parkNanos > 0) {
                            java.util.concurrent.locks.LockSupport.parkNanos(parkNanos);
                        } else {
                            Blackhole.consumeCPU(2000);
                        }
                        pool.release(handle);
                    }
                    return null;
                }));
            }
            long t0 = System.nanoTime();
            start.countDown();
            for (Future<?> f : futures) {
                f.get(10, TimeUnit.MINUTES);
            }
            Histogram all = recorder.getIntervalHistogram();
            double secs = (System.nanoTime() - t0) / 1e9;
            return new Result(kind, all.getTotalCount(), all.getValueAtPercentile(50),
                    all.getValueAtPercentile(99), all.getValueAtPercentile(99.9), all.getMaxValue(), secs);
        }
    }

    static ThreadFactory daemon() {
        return r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
        };
    }
}
