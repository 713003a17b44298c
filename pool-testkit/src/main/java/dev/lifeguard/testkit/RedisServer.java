package dev.lifeguard.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis server (Debian's {@code redis-server}) on 127.0.0.1, persistence off, that a test can kill and
 * restart on the same port. {@link #available()} tells whether the binary is installed ({@code .ci/run} installs it).
 */
public final class RedisServer implements AutoCloseable {
    private static final List<Path> CANDIDATES = List.of(Path.of("/usr/bin/redis-server"),
            Path.of("/usr/local/bin/redis-server"));

    private final Path binary;
    private final int port;
    private final Path dir;
    private Process process;

    private RedisServer(Path binary, int port) throws IOException {
        this.binary = binary;
        this.port = port;
        this.dir = Files.createTempDirectory("redis-test");
    }

    public static boolean available() {
        return CANDIDATES.stream().anyMatch(Files::isExecutable);
    }

    /** Starts a server on a free port of 127.0.0.1 and waits (bounded) until it answers PING. */
    public static RedisServer start() {
        Path binary = CANDIDATES.stream().filter(Files::isExecutable).findFirst().orElseThrow(
                () -> new IllegalStateException("redis-server is not installed (apt-get install redis-server)"));
        try {
            RedisServer r = new RedisServer(binary, freePort());
            r.restart();
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    /** Starts (again) on the same port and waits up to 10 s for it to answer PING. */
    public void restart() throws IOException {
        process = new ProcessBuilder(binary.toString(), "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", dir.toString(),
                "--protected-mode", "yes")
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!answersPing()) {
            if (System.nanoTime() - deadline > 0 || !process.isAlive()) {
                throw new IOException("redis-server did not start on port " + port + ": "
                        + Files.readString(dir.resolve("redis.log")));
            }
            Thread.onSpinWait();
        }
    }

    /** Kills the server (SIGKILL, as a crash) and waits until the process is gone. */
    public void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private boolean answersPing() {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(1000);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            return new String(in.readNBytes(7), StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
