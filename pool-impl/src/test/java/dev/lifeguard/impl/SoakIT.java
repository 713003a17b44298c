package dev.lifeguard.impl;

import dev.lifeguard.ConnectionFactory;
import dev.lifeguard.Lease;
import dev.lifeguard.PoolConfig;
import dev.lifeguard.PoolException;
import dev.lifeguard.PoolStats;
import dev.lifeguard.Pools;
import dev.lifeguard.tcp.TcpSettings;
import dev.lifeguard.testkit.EchoServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bounded soak: 100 tasks share 10 real loopback TCP connections for {@code -Dlifeguard.soak.seconds} (default
 * 90), with random validation failures and invalidations. At the end every counter balances and no thread or socket
 * (file descriptor) is left behind.
 */
class SoakIT {
    private static final int SECONDS = Integer.getInteger("lifeguard.soak.seconds", 90);

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void hundredTasksTenConnectionsWithRandomFaults() throws Exception {
        phase(Duration.ofSeconds(2)); // warm-up: classes loaded, JIT done, so the baseline is steady
        long fdsBefore = openFileDescriptors();
        int threadsBefore = java.lang.management.ManagementFactory.getThreadMXBean().getThreadCount();
        Result r = phase(Duration.ofSeconds(SECONDS));
        Deadline.awaitTrue(() -> openFileDescriptors() <= fdsBefore + 2, "file descriptors back to baseline "
                + fdsBefore + " (now " + openFileDescriptors() + ")", 30_000);
        Deadline.awaitTrue(() -> java.lang.management.ManagementFactory.getThreadMXBean().getThreadCount() <= threadsBefore + 2, "threads back to baseline "
                + threadsBefore + " (now " + java.lang.management.ManagementFactory.getThreadMXBean().getThreadCount() + ")", 30_000);
        PoolStats s = r.stats;
        System.out.printf("soak: %d s, %,d round trips, %,d acquired, %,d invalidated, %,d validation failures "
                        + "injected, %,d connections created and destroyed, %,d acquire timeouts; "
                        + "fds %d -> %d, threads %d -> %d%n", SECONDS, r.ok, s.acquired(), s.invalidated(),
                s.validationFailures(), s.created(), s.acquireTimeouts(), fdsBefore, openFileDescriptors(),
                threadsBefore, java.lang.management.ManagementFactory.getThreadMXBean().getThreadCount());
        assertTrue(r.ok > 1000, "the soak did work");
        assertEquals(0, r.wrongReplies, "a reply went to the wrong caller");
        assertEquals(s.acquired(), s.returned() + s.invalidated(), "acquired = returned + invalidated");
        assertEquals(s.created(), s.destroyed(), "created = destroyed after close");
        assertEquals(0, s.counts().total());
        assertTrue(s.validationFailures() > 0 && s.invalidated() > 0, "faults were injected");
    }

    record Result(long ok, long wrongReplies, PoolStats stats) {
    }

    private Result phase(Duration length) throws Exception {
        AtomicLong ok = new AtomicLong();
        AtomicLong wrong = new AtomicLong();
        PoolStats stats;
        try (EchoServer echo = EchoServer.start()) {
            ConnectionFactory<Socket> tcp = Pools.tcp(TcpSettings.builder(echo.host(), echo.port())
                    .readTimeout(Duration.ofSeconds(5)).build());
            ConnectionFactory<Socket> flaky = new ConnectionFactory<>() {
                @Override
                public Socket create() throws Exception {
                    return tcp.create();
                }

                @Override
                public boolean validate(Socket c, Duration timeout) throws Exception {
                    return ThreadLocalRandom.current().nextInt(100) >= 3 && tcp.validate(c, timeout);
                }

                @Override
                public void destroy(Socket c) throws Exception {
                    tcp.destroy(c);
                }
            };
            LifeguardPool<Socket> pool = PoolStarter.start(PoolConfig.builder().name("soak").maxSize(10)
                    .acquireTimeout(Duration.ofSeconds(5)).maintenanceInterval(Duration.ofMillis(200))
                    .keepaliveInterval(Duration.ofSeconds(1)).build(), flaky, null, NanoClock.SYSTEM);
            long end = System.nanoTime() + length.toNanos();
            ExecutorService tasks = Executors.newFixedThreadPool(100);
            List<Future<?>> f = new ArrayList<>();
            for (int t = 0; t < 100; t++) {
                int task = t;
                f.add(tasks.submit(() -> {
                    byte[] req = ("soak task " + task + "\n").getBytes();
                    while (System.nanoTime() < end) {
                        try (Lease<Socket> l = pool.acquire()) {
                            l.connection().getOutputStream().write(req);
                            byte[] reply = l.connection().getInputStream().readNBytes(req.length);
                            if (!Arrays.equals(req, reply)) {
                                wrong.incrementAndGet();
                            }
                            ok.incrementAndGet();
                            if (ThreadLocalRandom.current().nextInt(50) == 0) {
                                l.invalidate();
                            }
                        } catch (PoolException | IOException e) {
                            // counted by the pool; the soak checks the balances at the end
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> x : f) {
                x.get();
            }
            tasks.shutdown();
            assertTrue(tasks.awaitTermination(30, TimeUnit.SECONDS));
            pool.close();
            stats = pool.stats();
        }
        return new Result(ok.get(), wrong.get(), stats);
    }

    private static long openFileDescriptors() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
