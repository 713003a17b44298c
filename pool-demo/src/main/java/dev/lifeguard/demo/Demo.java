package dev.lifeguard.demo;

import dev.lifeguard.Lease;
import dev.lifeguard.Pool;
import dev.lifeguard.PoolConfig;
import dev.lifeguard.PoolCounts;
import dev.lifeguard.PoolStats;
import dev.lifeguard.Pools;
import dev.lifeguard.tcp.Ping;
import dev.lifeguard.tcp.TcpSettings;
import dev.lifeguard.testkit.EchoServer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The main job: an echo server on 127.0.0.1, a pool of connections to it, and many tasks doing request/response
 * through the pool for a bounded count and time, with a live progress line and a final summary.
 */
public final class Demo {

    private Demo() {
    }

    public static void main(String[] args) throws Exception {
        DemoOptions o;
        try {
            o = DemoOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(DemoOptions.USAGE);
            System.exit(2);
            return;
        }
        System.exit(run(o) ? 0 : 1);
    }

    static boolean run(DemoOptions o) throws Exception {
        try (EchoServer server = EchoServer.start()) {
            TcpSettings tcp = TcpSettings.builder(server.host(), server.port())
                    .ping(Ping.liveness())
                    .readTimeout(Duration.ofSeconds(5))
                    .build();
            PoolConfig config = PoolConfig.builder()
                    .name("demo")
                    .maxSize(o.poolSize())
                    .acquireTimeout(Duration.ofSeconds(10))
                    .build();
            System.out.printf("Lifeguard demo: echo server on 127.0.0.1:%d, pool of %d, %d tasks, %d requests "
                    + "(at most %s)%n", server.port(), o.poolSize(), o.tasks(), o.requests(), o.duration());
            try (Pool<Socket> pool = Pools.create(config, Pools.tcp(tcp))) {
                return drive(o, pool, server);
            }
        }
    }

    private static boolean drive(DemoOptions o, Pool<Socket> pool, EchoServer server) throws Exception {
        Recorder waits = new Recorder(TimeUnit.MINUTES.toNanos(1), 3);
        AtomicLong remaining = new AtomicLong(o.requests());
        AtomicLong done = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long start = System.nanoTime();
        long deadline = start + o.duration().toNanos();
        ExecutorService tasks = Executors.newFixedThreadPool(o.tasks());
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < o.tasks(); t++) {
            int id = t;
            futures.add(tasks.submit(() -> {
                byte[] request = ("task-" + id + " says hello through Lifeguard\n").getBytes(StandardCharsets.UTF_8);
                byte[] reply = new byte[request.length];
                while (remaining.getAndDecrement() > 0 && System.nanoTime() < deadline) {
                    long t0 = System.nanoTime();
                    try (Lease<Socket> lease = pool.acquire()) {
                        waits.recordValue(Math.min(System.nanoTime() - t0, TimeUnit.MINUTES.toNanos(1)));
                        if (!echo(lease, request, reply)) {
                            errors.incrementAndGet();
                        }
                        done.incrementAndGet();
                    } catch (RuntimeException e) {
                        errors.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        tasks.shutdown();
        while (!tasks.awaitTermination(500, TimeUnit.MILLISECONDS)) {
            progress(o, pool, done.get(), start);
        }
        for (Future<?> f : futures) {
            f.get();
        }
        progress(o, pool, done.get(), start);
        System.out.println();
        return summary(o, pool, server, waits.getIntervalHistogram(), done.get(), errors.get(), start);
    }

    private static boolean echo(Lease<Socket> lease, byte[] request, byte[] reply) {
        try {
            Socket s = lease.connection();
            OutputStream out = s.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = s.getInputStream();
            int n = in.readNBytes(reply, 0, reply.length);
            return n == reply.length && Arrays.equals(request, reply);
        } catch (IOException e) {
            lease.invalidate();
            return false;
        }
    }

    private static void progress(DemoOptions o, Pool<Socket> pool, long done, long start) {
        double secs = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
        PoolCounts c = pool.counts();
        System.out.printf("\r%,d/%,d requests  %,.0f req/s  active=%d idle=%d waiting=%d total=%d   ", done,
                o.requests(), done / secs, c.active(), c.idle(), c.waiting(), c.total());
        System.out.flush();
    }

    private static boolean summary(DemoOptions o, Pool<Socket> pool, EchoServer server, Histogram waits, long done,
                                   long errors, long start) {
        double secs = (System.nanoTime() - start) / 1e9;
        PoolStats s = pool.stats();
        System.out.printf("requests:      %,d in %.2f s (%,.0f req/s), errors: %d%n", done, secs, done / secs,
                errors);
        System.out.printf("acquire wait:  p50 %.3f ms, p99 %.3f ms, max %.3f ms%n",
                waits.getValueAtPercentile(50) / 1e6, waits.getValueAtPercentile(99) / 1e6,
                waits.getMaxValue() / 1e6);
        System.out.printf("connections:   created %d (server accepted %d) for %d tasks, pool max %d, "
                        + "peak active %d%n", s.created(), server.accepted(), o.tasks(), o.poolSize(),
                s.maxActiveEver());
        System.out.printf("pool counters: acquired %,d, returned %,d, timeouts %d, validation failures %d%n",
                s.acquired(), s.returned(), s.acquireTimeouts(), s.validationFailures());
        boolean ok = errors == 0 && s.created() <= o.poolSize() && server.accepted() <= o.poolSize();
        System.out.println(ok ? "OK: every request answered over at most " + o.poolSize() + " connections"
                : "FAILED: see the counts above");
        return ok;
    }
}
