package dev.lifeguard.impl;

import dev.lifeguard.ConnectionFactory;
import dev.lifeguard.Pools;
import dev.lifeguard.tcp.Ping;
import dev.lifeguard.tcp.TcpSettings;
import dev.lifeguard.testkit.EchoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TcpConnectionFactoryTest {
    private final EchoServer server = EchoServer.start();

    @AfterEach
    void stop() {
        server.close();
    }

    private ConnectionFactory<Socket> factory(Ping ping) {
        return Pools.tcp(TcpSettings.builder("127.0.0.1", server.port()).ping(ping)
                .readTimeout(Duration.ofSeconds(5)).build());
    }

    @Test
    void connectsWithTheConfiguredOptions() throws Exception {
        ConnectionFactory<Socket> f = Pools.tcp(TcpSettings.builder("127.0.0.1", server.port())
                .tcpNoDelay(true).keepAlive(true).readTimeout(Duration.ofMillis(1234)).build());
        Socket s = f.create();
        try {
            assertTrue(s.isConnected());
            assertTrue(s.getTcpNoDelay());
            assertTrue(s.getKeepAlive());
            assertTrue(s.getSoTimeout() == 1234);
            s.getOutputStream().write("hi\n".getBytes(StandardCharsets.UTF_8));
            assertArrayEquals("hi\n".getBytes(StandardCharsets.UTF_8), s.getInputStream().readNBytes(3));
        } finally {
            f.destroy(s);
        }
        assertTrue(s.isClosed());
    }

    @Test
    void livenessSeesAPeerThatClosed() throws Exception {
        ConnectionFactory<Socket> f = factory(Ping.liveness());
        Socket s = f.create();
        assertTrue(f.validate(s, Duration.ofSeconds(1)));
        Deadline.awaitTrue(() -> server.openConnections() == 1, "server saw the connection");
        server.dropAll();
        Deadline.awaitTrue(() -> !validQuietly(f, s), "liveness notices the EOF");
        f.destroy(s);
    }

    @Test
    void livenessSeesStrayBytesAsOutOfStep() throws Exception {
        ConnectionFactory<Socket> f = factory(Ping.liveness());
        Socket s = f.create();
        s.getOutputStream().write('x'); // echoed back and never read: the stream is out of step
        Deadline.awaitTrue(() -> !validQuietly(f, s), "unread reply detected");
        f.destroy(s);
    }

    @Test
    void aSocketStillUsableAfterLivenessCheck() throws Exception {
        ConnectionFactory<Socket> f = factory(Ping.liveness());
        Socket s = f.create();
        for (int i = 0; i < 3; i++) {
            assertTrue(f.validate(s, Duration.ofSeconds(1)));
            s.getOutputStream().write('a');
            assertTrue(s.getInputStream().read() == 'a', "blocking reads still work after the check");
        }
        f.destroy(s);
    }

    @Test
    void exchangePingExpectsTheReply() throws Exception {
        ConnectionFactory<Socket> ok = factory(Ping.exchange("PING\r\n", "PING\r\n"));
        Socket s = ok.create();
        assertTrue(ok.validate(s, Duration.ofSeconds(1)));
        assertTrue(ok.validate(s, Duration.ofSeconds(1)), "and again: the reply was consumed");
        ok.destroy(s);
        ConnectionFactory<Socket> wrong = factory(Ping.exchange("PING\r\n", "+PONG\r\n"));
        Socket t = wrong.create();
        assertFalse(wrong.validate(t, Duration.ofSeconds(1)), "echo answers PING, not +PONG");
        wrong.destroy(t);
    }

    @Test
    void exchangePingFailsWithinTheTimeoutWhenTheBackendHangs() throws Exception {
        ConnectionFactory<Socket> f = factory(Ping.exchange("PING\r\n", "PING\r\n"));
        Socket s = f.create();
        server.setSilent(true);
        long t0 = System.nanoTime();
        assertFalse(f.validate(s, Duration.ofMillis(200)));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= 150 && ms < 3_000, "took " + ms + " ms for a 200 ms validation timeout");
        assertTrue(s.getSoTimeout() == 5000, "read timeout restored");
        f.destroy(s);
    }

    @Test
    void refusedConnectionSurfacesTheCause() throws IOException {
        int freePort;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            freePort = probe.getLocalPort();
        }
        ConnectionFactory<Socket> f = Pools.tcp(TcpSettings.builder("127.0.0.1", freePort).build());
        assertThrows(ConnectException.class, f::create);
    }

    @Test
    void unresolvableHostIsAClearError() {
        ConnectionFactory<Socket> f = Pools.tcp(TcpSettings.builder("no-such-host.invalid", 80).build());
        IOException e = assertThrows(IOException.class, f::create);
        assertTrue(e.getMessage().contains("no-such-host.invalid"), e.getMessage());
    }

    private static boolean validQuietly(ConnectionFactory<Socket> f, Socket s) {
        try {
            return f.validate(s, Duration.ofSeconds(1));
        } catch (Exception e) {
            return false;
        }
    }
}
