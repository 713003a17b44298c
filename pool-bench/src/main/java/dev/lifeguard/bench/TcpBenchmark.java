package dev.lifeguard.bench;

import dev.lifeguard.Lease;
import dev.lifeguard.Pool;
import dev.lifeguard.PoolConfig;
import dev.lifeguard.Pools;
import dev.lifeguard.tcp.TcpSettings;
import dev.lifeguard.testkit.EchoServer;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Real request/response over loopback TCP (an echo server on 127.0.0.1): a new connection per request, a
 * Lifeguard pool sized to the thread count, and a dedicated connection per thread (the ideal a pool aims at).
 */
public class TcpBenchmark {
    static final byte[] REQUEST = "0123456789abcdef0123456789abcde\n".getBytes(StandardCharsets.US_ASCII);

    @State(Scope.Benchmark)
    public static class Backend {
        EchoServer server;
        Pool<Socket> pool;

        @Setup(Level.Trial)
        public void start() {
            server = EchoServer.start();
            pool = Pools.create(PoolConfig.builder().name("tcp-bench").maxSize(16)
                    .validationThreshold(Duration.ofMillis(500)).build(),
                    Pools.tcp(TcpSettings.builder(server.host(), server.port()).build()));
        }

        @TearDown(Level.Trial)
        public void stop() {
            pool.close();
            server.close();
        }
    }

    @State(Scope.Thread)
    public static class Dedicated {
        Socket socket;
        /** The kind of socket the built-in factory makes (a channel's socket, for the non-blocking liveness check). */
        Socket channelSocket;
        byte[] reply = new byte[REQUEST.length];

        @Setup(Level.Trial)
        public void open(Backend b) throws IOException {
            socket = connect(b);
            channelSocket = SocketChannel.open(new InetSocketAddress(b.server.host(), b.server.port())).socket();
            channelSocket.setTcpNoDelay(true);
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            socket.close();
            channelSocket.close();
        }
    }

    static Socket connect(Backend b) throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress(b.server.host(), b.server.port()), 5000);
        return s;
    }

    static int roundTrip(Socket s, byte[] reply) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(REQUEST);
        out.flush();
        InputStream in = s.getInputStream();
        return in.readNBytes(reply, 0, reply.length);
    }

    @Benchmark
    public int newConnectionPerRequest(Backend b, Dedicated d) throws IOException {
        try (Socket s = connect(b)) {
            s.setSoLinger(true, 0); // reset on close: no TIME_WAIT pile-up exhausting loopback ports
            return roundTrip(s, d.reply);
        }
    }

    @Benchmark
    public int lifeguardPooled(Backend b, Dedicated d) throws IOException {
        try (Lease<Socket> lease = b.pool.acquire()) {
            return roundTrip(lease.connection(), d.reply);
        }
    }

    @Benchmark
    public int dedicatedConnection(Dedicated d) throws IOException {
        return roundTrip(d.socket, d.reply);
    }

    /** A dedicated connection of the kind Lifeguard's TCP factory makes: separates pool cost from socket cost. */
    @Benchmark
    public int dedicatedChannelSocket(Dedicated d) throws IOException {
        return roundTrip(d.channelSocket, d.reply);
    }

    /**
     * Nanoseconds each way's requests took on this thread in this iteration; JMH sums them over the threads. A way's
     * time per request, divided into another's, is their throughput ratio.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Interleaved {
        public long pooledNanos;
        public long dedicatedNanos;
        public long channelSocketNanos;
        int turn;

        @Setup(Level.Iteration)
        public void reset() {
            pooledNanos = 0;
            dedicatedNanos = 0;
            channelSocketNanos = 0;
            turn = 0; // so that in each iteration the ways' request counts differ by at most one
        }
    }

    /**
     * Pooled, dedicated and dedicated channel socket requests taking turns on each thread, one request each: what
     * a request costs each way, measured at the same moments. On 2 cores, with a server thread per connection,
     * the scheduler settles into arrangements that last seconds and move a way's throughput by 10% or more from one
     * run to the next; turns a request apart put every arrangement on all three ways alike.
     */
    @Benchmark
    public int interleaved(Backend b, Dedicated d, Interleaved i) throws IOException {
        long start = System.nanoTime();
        int n;
        switch (i.turn) {
            case 0 -> {
                n = lifeguardPooled(b, d);
                i.pooledNanos += System.nanoTime() - start;
            }
            case 1 -> {
                n = dedicatedConnection(d);
                i.dedicatedNanos += System.nanoTime() - start;
            }
            default -> {
                n = dedicatedChannelSocket(d);
                i.channelSocketNanos += System.nanoTime() - start;
            }
        }
        i.turn = i.turn == 2 ? 0 : i.turn + 1;
        return n;
    }
}
