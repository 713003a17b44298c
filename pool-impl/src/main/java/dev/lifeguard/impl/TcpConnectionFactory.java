package dev.lifeguard.impl;

import dev.lifeguard.ConnectionFactory;
import dev.lifeguard.tcp.Ping;
import dev.lifeguard.tcp.TcpSettings;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Arrays;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * The built-in factory of TCP connections. Plain connections are made through a {@link SocketChannel} so that the
 * liveness ping can look at the socket without blocking (switch to non-blocking, read at most one byte, switch
 * back): EOF means the peer closed, a byte means the stream is out of step, nothing means alive. TLS connections
 * wrap that socket in an {@link SSLSocket}.
 */
final class TcpConnectionFactory implements ConnectionFactory<Socket> {
    private final TcpSettings settings;
    private final byte[] pingRequest;
    private final byte[] pingReply;

    TcpConnectionFactory(TcpSettings settings) {
        if (settings == null) {
            throw new IllegalArgumentException("TCP settings must not be null");
        }
        this.settings = settings;
        this.pingRequest = settings.ping().request();
        this.pingReply = settings.ping().expectedReply();
    }

    @Override
    public Socket create() throws IOException {
        InetSocketAddress address = new InetSocketAddress(settings.host(), settings.port());
        if (address.isUnresolved()) {
            throw new IOException("cannot resolve host '" + settings.host() + "'");
        }
        SocketChannel channel = SocketChannel.open();
        Socket socket = channel.socket();
        try {
            socket.setTcpNoDelay(settings.tcpNoDelay());
            socket.setKeepAlive(settings.keepAlive());
            socket.connect(address, (int) settings.connectTimeout().toMillis());
            if (settings.sslContext() == null) {
                socket.setSoTimeout((int) settings.readTimeout().toMillis());
                return socket;
            }
            return handshake(socket);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private Socket handshake(Socket raw) throws IOException {
        SSLSocket tls = (SSLSocket) settings.sslContext().getSocketFactory()
                .createSocket(raw, settings.host(), settings.port(), true);
        if (settings.verifyHostname()) {
            SSLParameters params = tls.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setSSLParameters(params);
        }
        tls.setSoTimeout((int) settings.connectTimeout().toMillis());
        tls.startHandshake();
        tls.setSoTimeout((int) settings.readTimeout().toMillis());
        return tls;
    }

    @Override
    public boolean validate(Socket socket, Duration timeout) throws IOException {
        if (socket.isClosed() || !socket.isConnected() || socket.isInputShutdown() || socket.isOutputShutdown()) {
            return false;
        }
        Ping.Kind kind = settings.ping().kind();
        if (kind == Ping.Kind.NONE) {
            return true;
        }
        if (!(socket instanceof SSLSocket) && !quietAndOpen(socket.getChannel())) {
            return false;
        }
        return kind != Ping.Kind.EXCHANGE || exchange(socket, timeout);
    }

    /** @return true if the peer has not closed and has sent nothing we did not ask for */
    private static boolean quietAndOpen(SocketChannel channel) throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        channel.configureBlocking(false);
        try {
            return channel.read(one) == 0;
        } finally {
            channel.configureBlocking(true);
        }
    }

    private boolean exchange(Socket socket, Duration timeout) throws IOException {
        int previous = socket.getSoTimeout();
        socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
        try {
            OutputStream out = socket.getOutputStream();
            out.write(pingRequest);
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = in.readNBytes(pingReply.length);
            return Arrays.equals(reply, pingReply);
        } catch (SocketTimeoutException e) {
            return false;
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout(previous);
            }
        }
    }

    @Override
    public void destroy(Socket socket) throws IOException {
        socket.close();
    }

    @Override
    public String toString() {
        return "TcpConnectionFactory{" + settings + '}';
    }
}
