package dev.lifeguard.tcp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * How the built-in TCP factory checks that an idle connection still works.
 *
 * <ul>
 *   <li>{@link #none()}: trust the connection while the socket is open. Cheapest; detects nothing.</li>
 *   <li>{@link #liveness()}: a non-blocking look at the socket: a peer that closed (EOF) or unexpected unread
 *       bytes (a protocol out of step) make it invalid. Costs a few system calls, no round trip. For TLS
 *       connections only the socket state is checked (unread TLS records cannot be inspected safely).</li>
 *   <li>{@link #exchange(byte[], byte[])}: send these bytes and expect exactly this reply within the validation
 *       timeout, e.g. Redis {@code PING\r\n} and {@code +PONG\r\n}. Proves the server answers; one round trip.</li>
 * </ul>
 */
public final class Ping {

    /** The kinds of check. */
    public enum Kind { NONE, LIVENESS, EXCHANGE }

    private static final Ping NONE = new Ping(Kind.NONE, new byte[0], new byte[0]);
    private static final Ping LIVENESS = new Ping(Kind.LIVENESS, new byte[0], new byte[0]);

    private final Kind kind;
    private final byte[] request;
    private final byte[] expectedReply;

    private Ping(Kind kind, byte[] request, byte[] expectedReply) {
        this.kind = kind;
        this.request = request;
        this.expectedReply = expectedReply;
    }

    /** @return no check beyond "the socket is not closed" */
    public static Ping none() {
        return NONE;
    }

    /** @return the non-blocking socket liveness check */
    public static Ping liveness() {
        return LIVENESS;
    }

    /**
     * @param request       bytes to send, at least one
     * @param expectedReply the exact reply expected, at least one byte
     * @return a request/reply check
     * @throws IllegalArgumentException if either is null or empty
     */
    public static Ping exchange(byte[] request, byte[] expectedReply) {
        if (request == null || request.length == 0) {
            throw new IllegalArgumentException("ping request must be at least 1 byte, but was "
                    + (request == null ? "null" : "empty"));
        }
        if (expectedReply == null || expectedReply.length == 0) {
            throw new IllegalArgumentException("ping expected reply must be at least 1 byte, but was "
                    + (expectedReply == null ? "null" : "empty"));
        }
        return new Ping(Kind.EXCHANGE, request.clone(), expectedReply.clone());
    }

    /**
     * @param request       text to send, as UTF-8
     * @param expectedReply the exact reply expected, as UTF-8
     * @return a request/reply check
     */
    public static Ping exchange(String request, String expectedReply) {
        if (request == null || expectedReply == null) {
            throw new IllegalArgumentException("ping request and expected reply must not be null, but were "
                    + request + " and " + expectedReply);
        }
        return exchange(request.getBytes(StandardCharsets.UTF_8), expectedReply.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Parses the form used in text configuration: {@code none}, {@code liveness}, or
     * {@code exchange:<request>:<reply>} where {@code \r}, {@code \n} and {@code \\} are unescaped, e.g.
     * {@code exchange:PING\r\n:+PONG\r\n}.
     *
     * @param text the configured value
     * @return the ping it names
     * @throws IllegalArgumentException naming the value and the accepted forms
     */
    public static Ping parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("ping must be none, liveness or exchange:<request>:<reply>, "
                    + "but was null");
        }
        String t = text.trim();
        if (t.equalsIgnoreCase("none")) {
            return none();
        }
        if (t.equalsIgnoreCase("liveness")) {
            return liveness();
        }
        if (t.regionMatches(true, 0, "exchange:", 0, 9)) {
            String rest = t.substring(9);
            int sep = rest.indexOf(':');
            if (sep > 0 && sep < rest.length() - 1) {
                return exchange(unescape(rest.substring(0, sep)), unescape(rest.substring(sep + 1)));
            }
        }
        throw new IllegalArgumentException("ping must be none, liveness or exchange:<request>:<reply>, but was '"
                + text + "'");
    }

    private static String unescape(String s) {
        return s.replace("\\r", "\r").replace("\\n", "\n").replace("\\\\", "\\");
    }

    /** @return which check this is */
    public Kind kind() {
        return kind;
    }

    /** @return a copy of the bytes sent by an exchange ping (empty for other kinds) */
    public byte[] request() {
        return request.clone();
    }

    /** @return a copy of the reply an exchange ping expects (empty for other kinds) */
    public byte[] expectedReply() {
        return expectedReply.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ping p && p.kind == kind && Arrays.equals(p.request, request)
                && Arrays.equals(p.expectedReply, expectedReply);
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + Arrays.hashCode(request) * 17 + Arrays.hashCode(expectedReply);
    }

    @Override
    public String toString() {
        return kind == Kind.EXCHANGE
                ? "exchange(" + HexFormat.of().formatHex(request) + " -> " + HexFormat.of().formatHex(expectedReply)
                  + ")"
                : kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
