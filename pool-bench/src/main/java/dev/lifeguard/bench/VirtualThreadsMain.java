package dev.lifeguard.bench;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * 10,000 virtual threads sharing 10 connections, each holding its connection across a park, for every pool, with
 * JFR recording {@code jdk.VirtualThreadPinned} (threshold 0). Needs Java 21+; run by {@link BenchmarkReport} under
 * the newest JDK on the machine. Prints one {@code RESULT} line per pool.
 */
public final class VirtualThreadsMain {
    private VirtualThreadsMain() {
    }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int ops = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        // Warm-up, not recorded: a class's first use loads it under the class loader's monitor, and virtual
        // threads contending for that are pinned. Seen once per run in the harness's own parkNanos and in pools'
        // first calls; that is start-up, not the steady state measured here.
        for (PoolKind kind : PoolKind.values()) {
            ExecutorService vts = newVirtualThreadPerTaskExecutor();
            try {
                WaitTimes.run(kind, vts, 1_000, 2, 20_000);
            } finally {
                vts.shutdown();
            }
        }
        for (PoolKind kind : PoolKind.values()) {
            Path jfr = Files.createTempFile("pinned-" + kind, ".jfr");
            WaitTimes.Result r;
            try (Recording rec = new Recording()) {
                rec.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
                rec.start();
                ExecutorService vts = newVirtualThreadPerTaskExecutor();
                try {
                    r = WaitTimes.run(kind, vts, threads, ops, 20_000);
                } finally {
                    vts.shutdown();
                }
                rec.stop();
                rec.dump(jfr);
            }
            long pinned = 0;
            for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
                if (e.getEventType().getName().equals("jdk.VirtualThreadPinned")) {
                    pinned++;
                }
            }
            Files.delete(jfr);
            System.out.printf("RESULT %s ops=%d pinned=%d p50=%d p99=%d max=%d seconds=%.3f%n", kind, r.ops(), pinned,
                    r.p50Nanos(), r.p99Nanos(), r.maxNanos(), r.seconds());
        }
    }

    /** Through reflection: this module compiles for Java 17, and runs this class on Java 21+. */
    private static ExecutorService newVirtualThreadPerTaskExecutor() throws ReflectiveOperationException {
        return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    }
}
