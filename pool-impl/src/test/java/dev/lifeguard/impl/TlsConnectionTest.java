package dev.lifeguard.impl;

import dev.lifeguard.ConnectionFactory;
import dev.lifeguard.Pools;
import dev.lifeguard.tcp.Ping;
import dev.lifeguard.tcp.TcpSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.TrustManagerFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TLS through the built-in factory, against a real TLS echo server with certificates made by keytool. */
class TlsConnectionTest {
    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    Path dir;
    private final ExecutorService serverThreads = Executors.newCachedThreadPool();
    private SSLServerSocket server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        serverThreads.shutdownNow();
        serverThreads.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void connectsOverTlsAndVerifiesTheHostname() throws Exception {
        KeyStore ks = keystore("ip:127.0.0.1");
        startEchoServer(ks);
        ConnectionFactory<Socket> f = Pools.tcp(TcpSettings.builder("127.0.0.1", server.getLocalPort())
                .tls(clientTrusting(ks)).ping(Ping.exchange("PING\n", "PING\n")).build());
        Socket s = f.create();
        try {
            assertTrue(s instanceof javax.net.ssl.SSLSocket);
            assertTrue(f.validate(s, Duration.ofSeconds(5)), "exchange ping over TLS");
            s.getOutputStream().write("hello\n".getBytes());
            assertEquals("hello\n", new String(s.getInputStream().readNBytes(6)));
        } finally {
            f.destroy(s);
        }
    }

    @Test
    void refusesACertificateForAnotherHostUnlessVerificationIsOff() throws Exception {
        KeyStore ks = keystore("dns:other.example");
        startEchoServer(ks);
        TcpSettings.Builder b = TcpSettings.builder("127.0.0.1", server.getLocalPort()).tls(clientTrusting(ks));
        ConnectionFactory<Socket> strict = Pools.tcp(b.build());
        assertThrows(SSLHandshakeException.class, strict::create);
        ConnectionFactory<Socket> lax = Pools.tcp(b.verifyHostname(false).build());
        lax.destroy(lax.create());
    }

    private KeyStore keystore(String san) throws Exception {
        Path file = dir.resolve("server.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "server", "-keyalg", "EC",
                "-dname", "CN=lifeguard-test", "-ext", "SAN=" + san, "-validity", "2",
                "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", "changeit")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "keytool failed: " + out);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, PASSWORD);
        }
        return ks;
    }

    private static SSLContext clientTrusting(KeyStore ks) throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    private void startEchoServer(KeyStore ks) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        server = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 50,
                InetAddress.getLoopbackAddress());
        serverThreads.execute(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    serverThreads.execute(() -> echo(s));
                } catch (Exception e) {
                    return;
                }
            }
        });
    }

    private static void echo(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            byte[] buf = new byte[1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (Exception e) {
            // client went away or the handshake failed: the test on the client side decides
        }
    }
}
