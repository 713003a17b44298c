package dev.lifeguard.it.app;

import dev.lifeguard.Lease;
import dev.lifeguard.SharedPool;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** One request/response with the echo backend, as every test application does it. */
public final class EchoRoundTrip {

    private EchoRoundTrip() {
    }

    /**
     * Sends {@code msg} and a newline, and reads the echo.
     *
     * @return {@code msg}
     * @throws IOException on I/O failure, or if the reply is not this request's
     */
    public static String roundTrip(Socket s, String msg) throws IOException {
        byte[] request = request(msg);
        byte[] reply = send(s, request);
        if (!Arrays.equals(request, reply)) {
            throw new IOException("reply was not ours: " + new String(reply, StandardCharsets.UTF_8));
        }
        return msg;
    }

    /** @return {@code "<pool name>:<msg>"} after one round trip on a leased connection, or "WRONG REPLY" */
    public static String echoThrough(SharedPool<Socket> pool, String msg) throws IOException {
        byte[] request = request(msg);
        try (Lease<Socket> lease = pool.acquire()) {
            return Arrays.equals(request, send(lease.connection(), request)) ? pool.name() + ":" + msg
                    : "WRONG REPLY";
        }
    }

    private static byte[] request(String msg) {
        return (msg + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] send(Socket s, byte[] request) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(request);
        out.flush();
        return s.getInputStream().readNBytes(request.length);
    }
}
