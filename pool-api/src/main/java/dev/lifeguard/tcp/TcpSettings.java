package dev.lifeguard.tcp;

import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * Immutable, validated settings of the built-in TCP connection factory ({@link dev.lifeguard.Pools#tcp}).
 * {@link Builder#build()} rejects bad values with a message naming the setting, the rule and the value.
 */
public final class TcpSettings {

    private final String host;
    private final int port;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final boolean tcpNoDelay;
    private final boolean keepAlive;
    private final Ping ping;
    private final SSLContext sslContext;
    private final boolean verifyHostname;

    private TcpSettings(Builder b) {
        host = b.host;
        port = b.port;
        connectTimeout = b.connectTimeout;
        readTimeout = b.readTimeout;
        tcpNoDelay = b.tcpNoDelay;
        keepAlive = b.keepAlive;
        ping = b.ping;
        sslContext = b.sslContext;
        verifyHostname = b.verifyHostname;
    }

    /**
     * @param host the backend host name or address
     * @param port the backend port, 1 to 65535
     * @return a builder with the other settings at their defaults
     */
    public static Builder builder(String host, int port) {
        return new Builder().host(host).port(port);
    }

    /** @return the backend host */
    public String host() {
        return host;
    }

    /** @return the backend port */
    public int port() {
        return port;
    }

    /** @return the most time a connect (and TLS handshake) may take; default 5 s */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** @return SO_TIMEOUT for reads by the application; zero means reads may block forever; default 0 */
    public Duration readTimeout() {
        return readTimeout;
    }

    /** @return TCP_NODELAY (Nagle off); default true */
    public boolean tcpNoDelay() {
        return tcpNoDelay;
    }

    /** @return SO_KEEPALIVE; default true */
    public boolean keepAlive() {
        return keepAlive;
    }

    /** @return how connections are validated; default {@link Ping#liveness()} */
    public Ping ping() {
        return ping;
    }

    /** @return the TLS context, or {@code null} for plain TCP */
    public SSLContext sslContext() {
        return sslContext;
    }

    /** @return whether TLS checks that the server certificate matches {@link #host()}; default true */
    public boolean verifyHostname() {
        return verifyHostname;
    }

    @Override
    public String toString() {
        return "TcpSettings{" + host + ':' + port + ", connectTimeout=" + connectTimeout + ", readTimeout="
                + readTimeout + ", tcpNoDelay=" + tcpNoDelay + ", keepAlive=" + keepAlive + ", ping=" + ping
                + ", tls=" + (sslContext != null) + ", verifyHostname=" + verifyHostname + '}';
    }

    /** Collects settings; {@link #build()} checks them. Not thread-safe. */
    public static final class Builder {
        private String host;
        private int port;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration readTimeout = Duration.ZERO;
        private boolean tcpNoDelay = true;
        private boolean keepAlive = true;
        private Ping ping = Ping.liveness();
        private SSLContext sslContext;
        private boolean verifyHostname = true;

        private Builder() {
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder connectTimeout(Duration d) {
            this.connectTimeout = d;
            return this;
        }

        public Builder readTimeout(Duration d) {
            this.readTimeout = d;
            return this;
        }

        public Builder tcpNoDelay(boolean on) {
            this.tcpNoDelay = on;
            return this;
        }

        public Builder keepAlive(boolean on) {
            this.keepAlive = on;
            return this;
        }

        public Builder ping(Ping ping) {
            this.ping = ping;
            return this;
        }

        /** @param context the TLS context to connect with, or {@code null} for plain TCP */
        public Builder tls(SSLContext context) {
            this.sslContext = context;
            return this;
        }

        public Builder verifyHostname(boolean on) {
            this.verifyHostname = on;
            return this;
        }

        /**
         * @return the validated settings
         * @throws IllegalArgumentException naming the first bad setting, the rule and the value
         */
        public TcpSettings build() {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("host must not be blank, but was "
                        + (host == null ? "null" : "'" + host + "'"));
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be between 1 and 65535, but was " + port);
            }
            if (ping == null) {
                throw new IllegalArgumentException("ping must not be null");
            }
            if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()
                    || connectTimeout.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("connectTimeout must be positive and at most "
                        + Integer.MAX_VALUE + " ms, but was " + connectTimeout);
            }
            if (readTimeout == null || readTimeout.isNegative() || readTimeout.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("readTimeout must be zero or positive and at most "
                        + Integer.MAX_VALUE + " ms, but was " + readTimeout);
            }
            return new TcpSettings(this);
        }
    }
}
