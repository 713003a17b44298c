package dev.lifeguard.impl;

import dev.lifeguard.ConnectionFactory;
import dev.lifeguard.Lease;
import dev.lifeguard.PoolConfig;
import dev.lifeguard.PoolException;
import dev.lifeguard.PoolStats;
import dev.lifeguard.Pools;
import dev.lifeguard.tcp.Ping;
import dev.lifeguard.tcp.TcpSettings;
import dev.lifeguard.testkit.EchoServer;
import dev.lifeguard.testkit.RedisServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Backend outages under load, with real servers on 127.0.0.1: a real Redis killed (SIGKILL) and restarted, the
 * echo server stopped and restarted, and a backend that keeps accepting but stops answering. While 100 tasks share
 * 10 connections: during the outage callers get a clear error with its cause within their acquire timeout, no
 * connection is handed out once the backend is gone (validation is on), and creation attempts back off instead of
 * storming; after recovery the pool serves again by itself within one keepalive interval.
 */
class BackendOutageIT {
    private static final Duration ACQUIRE_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration KEEPALIVE = Duration.ofSeconds(2);
    /** How far past its timeout an acquire may return: scheduling on a loaded 2-core machine. */
    private static final long LATE_BOUND_MS = 750;

    /** A backend that can fail and come back. */
    interface Backend extends AutoCloseable {
        int port();

        Ping ping();

        void fail() throws Exception;

        void recover() throws Exception;
    }

    @Test
    @Timeout(120)
    void redisKilledAndRestarted() throws Exception {
        if (System.getenv("CI") != null) {
            assertTrue(RedisServer.available(), "redis-server must be installed (.ci/run installs it)");
        }
        Assumptions.assumeTrue(RedisServer.available(), "redis-server is not installed: run .ci/run (it installs "
                + "Debian's redis-server) or apt-get install redis-server");
        RedisServer redis = RedisServer.start();
        try (Backend b = new Backend() {
            public int port() {
                return redis.port();
            }

            public Ping ping() {
                return Ping.exchange("PING\r\n", "+PONG\r\n");
            }

            public void fail() throws Exception {
                redis.kill();
            }

            public void recover() throws Exception {
                redis.restart();
            }

            public void close() throws Exception {
                redis.close();
            }
        }) {
            outageUnderLoad("redis", b);
        }
    }

    @Test
    @Timeout(120)
    void echoServerStoppedAndRestarted() throws Exception {
        EchoServer[] echo = {EchoServer.start()};
        int port = echo[0].port();
        try (Backend b = new Backend() {
            public int port() {
                return port;
            }

            public Ping ping() {
                return Ping.exchange("PING\r\n", "PING\r\n");
            }

            public void fail() {
                echo[0].close();
            }

            public void recover() {
                echo[0] = EchoServer.start(port);
            }

            public void close() {
                echo[0].close();
            }
        }) {
            outageUnderLoad("echo", b);
        }
    }

    @Test
    @Timeout(120)
    void backendThatAcceptsButNeverAnswers() throws Exception {
        EchoServer echo = EchoServer.start();
        try (Backend b = new Backend() {
            public int port() {
                return echo.port();
            }

            public Ping ping() {
                return Ping.exchange("PING\r\n", "PING\r\n");
            }

            public void fail() {
                echo.setSilent(true);
                echo.dropAll(); // in-flight requests end; new connections are accepted and then ignored
            }

            public void recover() {
                echo.setSilent(false);
            }

            public void close() {
                echo.close();
            }
        }) {
            outageUnderLoad("silent", b);
        }
    }

    private void outageUnderLoad(String label, Backend backend) throws Exception {
        CountingFactory factory = new CountingFactory(Pools.tcp(TcpSettings.builder("127.0.0.1", backend.port())
                .ping(backend.ping()).connectTimeout(Duration.ofMillis(500)).readTimeout(Duration.ofMillis(500))
                .build()));
        LifeguardPool<Socket> pool = PoolStarter.start(PoolConfig.builder().name("outage-" + label).maxSize(10)
                .acquireTimeout(ACQUIRE_TIMEOUT).validationTimeout(Duration.ofMillis(300))
                .keepaliveInterval(KEEPALIVE).maintenanceInterval(Duration.ofMillis(100))
                .creationBackoffInitial(Duration.ofMillis(50)).creationBackoffMax(Duration.ofMillis(800))
                .build(), factory, null, NanoClock.SYSTEM);
        byte[] request = backend.ping().request();
        byte[] reply = backend.ping().expectedReply();
        Load load = new Load();
        ExecutorService tasks = Executors.newFixedThreadPool(100);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 100; t++) {
            futures.add(tasks.submit(() -> load.run(pool, request, reply)));
        }
        try {
            Deadline.awaitTrue(() -> load.ok.get() > 2_000, "healthy traffic");
            assertEquals(0, load.errors.get(), label + ": no error while healthy: " + load.errorSamples);

            backend.fail();
            long failedAt = System.nanoTime();
            load.outageFrom.set(failedAt + TimeUnit.MILLISECONDS.toNanos(100));
            int createsAtFailure = factory.creates.get();
            long okAtFailure = load.ok.get();
            Deadline.awaitTrue(() -> System.nanoTime() - failedAt > TimeUnit.SECONDS.toNanos(3), "3 s of outage");
            long outageOk = load.okDuringOutage.get();
            int outageCreates = factory.creates.get() - createsAtFailure;
            load.outageFrom.set(Long.MAX_VALUE);

            backend.recover();
            long recoveredAt = System.nanoTime();
            long okAtRecovery = load.ok.get();
            Deadline.awaitTrue(() -> load.ok.get() > okAtRecovery + 100, "traffic again after recovery");
            long recoveryMs = (System.nanoTime() - recoveredAt) / 1_000_000;

            load.stop = true;
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
            PoolStats s = pool.stats();
            System.out.printf("outage[%s]: %d ok before, %d errors (all with a cause: %s), %d handed out during "
                            + "the outage, %d creation attempts in 3 s of outage, recovered in %d ms, %d acquires "
                            + "late past their timeout; created %d, destroyed %d, validation failures %d%n", label,
                    okAtFailure, load.errors.get(), load.errorsWithoutCause.get() == 0, outageOk, outageCreates,
                    recoveryMs, load.late.get(), s.created(), s.destroyed(), s.validationFailures());

            assertTrue(load.errors.get() > 0, label + ": the outage must be felt");
            assertEquals(0, load.errorsWithoutCause.get(), label + ": every error names its cause: "
                    + load.errorSamples);
            assertEquals(0, outageOk, label + ": a connection was handed out while the backend was down");
            assertTrue(outageCreates <= 15, label + ": " + outageCreates + " creation attempts in 3 s: a storm");
            assertEquals(0, load.late.get(), label + ": an acquire ran past its timeout by more than "
                    + LATE_BOUND_MS + " ms");
            assertTrue(recoveryMs <= KEEPALIVE.toMillis(), label + ": recovered in " + recoveryMs
                    + " ms, more than one keepalive interval");
            assertEquals(0, s.counts().active(), "every lease returned");
            assertEquals(s.acquired(), s.returned() + s.invalidated());
            assertEquals(s.created() - s.destroyed(), s.counts().total());
        } finally {
            load.stop = true;
            tasks.shutdownNow();
            tasks.awaitTermination(30, TimeUnit.SECONDS);
            pool.close();
        }
        assertEquals(factory.creates.get() - factory.createFailures.get(), factory.destroys.get(),
                "every connection made was destroyed once");
    }

    /** The 100 tasks: acquire, one request/response, release; every outcome counted. */
    static final class Load {
        final AtomicLong ok = new AtomicLong();
        final AtomicLong okDuringOutage = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final AtomicLong errorsWithoutCause = new AtomicLong();
        final AtomicLong late = new AtomicLong();
        final AtomicLong outageFrom = new AtomicLong(Long.MAX_VALUE);
        final ConcurrentLinkedQueue<String> errorSamples = new ConcurrentLinkedQueue<>();
        volatile boolean stop;

        Void run(LifeguardPool<Socket> pool, byte[] request, byte[] reply) {
            while (!stop) {
                long t0 = System.nanoTime();
                Lease<Socket> lease;
                try {
                    lease = pool.acquire();
                } catch (PoolException e) {
                    long ms = (System.nanoTime() - t0) / 1_000_000;
                    if (ms > ACQUIRE_TIMEOUT.toMillis() + LATE_BOUND_MS) {
                        late.incrementAndGet();
                    }
                    errors.incrementAndGet();
                    if (e.getCause() == null) {
                        errorsWithoutCause.incrementAndGet();
                        if (errorSamples.size() < 5) {
                            errorSamples.add(e.toString());
                        }
                    }
                    continue;
                }
                if (System.nanoTime() - outageFrom.get() > 0) {
                    okDuringOutage.incrementAndGet();
                }
                try {
                    Socket s = lease.connection();
                    OutputStream out = s.getOutputStream();
                    out.write(request);
                    out.flush();
                    InputStream in = s.getInputStream();
                    if (Arrays.equals(reply, in.readNBytes(reply.length))) {
                        ok.incrementAndGet();
                    } else {
                        lease.invalidate();
                    }
                } catch (IOException e) {
                    lease.invalidate(); // the backend went away mid-request: this connection is broken
                } finally {
                    lease.close();
                }
            }
            return null;
        }
    }

    /** Counts what the pool asks of the real factory. */
    static final class CountingFactory implements ConnectionFactory<Socket> {
        final ConnectionFactory<Socket> real;
        final AtomicInteger creates = new AtomicInteger();
        final AtomicInteger createFailures = new AtomicInteger();
        final AtomicInteger destroys = new AtomicInteger();

        CountingFactory(ConnectionFactory<Socket> real) {
            this.real = real;
        }

        @Override
        public Socket create() throws Exception {
            creates.incrementAndGet();
            try {
                return real.create();
            } catch (Exception e) {
                createFailures.incrementAndGet();
                throw e;
            }
        }

        @Override
        public boolean validate(Socket connection, Duration timeout) throws Exception {
            return real.validate(connection, timeout);
        }

        @Override
        public void destroy(Socket connection) throws Exception {
            destroys.incrementAndGet();
            real.destroy(connection);
        }
    }
}
