package dev.lifeguard.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP echo server on 127.0.0.1: every byte received is sent back. One thread per connection. It counts the
 * connections it accepted (what the pool really opened) and can simulate faults: {@link #dropAll()} closes every
 * open connection (a backend restart), {@link #setSilent(boolean)} keeps connections open but stops answering (a
 * hung backend).
 */
public final class EchoServer implements AutoCloseable {
    private final ServerSocket server;
    private final ExecutorService threads;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile boolean silent;
    private volatile boolean closed;

    private EchoServer(int port) throws IOException {
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 512);
        AtomicInteger n = new AtomicInteger();
        threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "echo-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        threads.execute(this::acceptLoop);
    }

    /** @return a running server on a free port of 127.0.0.1 */
    public static EchoServer start() {
        return start(0);
    }

    /** @return a running server on {@code port} of 127.0.0.1 (0 for any free port) */
    public static EchoServer start(int port) {
        try {
            return new EchoServer(port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return server.getLocalPort();
    }

    /** @return connections accepted since start */
    public int accepted() {
        return accepted.get();
    }

    /** @return connections open now */
    public int openConnections() {
        return open.size();
    }

    /** While silent, connections stay open and reads are consumed, but nothing is sent back. */
    public void setSilent(boolean silent) {
        this.silent = silent;
    }

    /** Closes every open connection (the server keeps accepting new ones). */
    public void dropAll() {
        for (Socket s : open) {
            closeQuietly(s);
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                accepted.incrementAndGet();
                open.add(s);
                // close() sets closed and then drops what is in open; this adds to open and then reads closed.
                // Both are volatile, so one of the two sees the other: a connection accepted while the server
                // closes is closed by one side, never left answering after close() returned.
                if (closed) {
                    closeQuietly(s);
                    open.remove(s);
                    return;
                }
                threads.execute(() -> echo(s));
            } catch (IOException e) {
                if (!closed) {
                    // A failed accept (e.g. out of file descriptors) must not end the server.
                    Thread.onSpinWait();
                }
            } catch (RuntimeException e) {
                return; // executor shut down
            }
        }
    }

    private void echo(Socket s) {
        byte[] buf = new byte[8192];
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                if (!silent) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            }
        } catch (SocketException e) {
            // peer reset or dropAll(): the connection is over
        } catch (IOException e) {
            // same: nothing to do but forget the connection
        } finally {
            open.remove(s);
        }
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        dropAll();
        threads.shutdownNow();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // closing for cleanup: nothing useful to do with a failure
        }
    }
}
