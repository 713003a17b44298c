package dev.lifeguard.impl;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.rmi.server.RMIServerSocketFactory;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.MBeanServerConnection;
import javax.management.MBeanServerFactory;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;
import javax.management.remote.rmi.RMIConnectorServer;

/**
 * A real RMI JMX connector server on 127.0.0.1 over a fresh MBeanServer, and a client connected to it the way
 * JConsole connects: everything crosses a TCP socket and RMI serialization.
 */
final class RemoteJmx implements AutoCloseable {
    final MBeanServer server = MBeanServerFactory.newMBeanServer();
    private final JMXConnectorServer connectorServer;
    private final JMXConnector client;

    RemoteJmx() throws IOException {
        RMIServerSocketFactory loopbackOnly = port -> new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        Map<String, Object> env = Map.of(RMIConnectorServer.RMI_SERVER_SOCKET_FACTORY_ATTRIBUTE, loopbackOnly);
        connectorServer = JMXConnectorServerFactory.newJMXConnectorServer(
                new JMXServiceURL("service:jmx:rmi://127.0.0.1"), env, server);
        connectorServer.start();
        client = JMXConnectorFactory.connect(connectorServer.getAddress());
    }

    MBeanServerConnection connection() throws IOException {
        return client.getMBeanServerConnection();
    }

    JMXServiceURL address() {
        return connectorServer.getAddress();
    }

    @Override
    public void close() throws IOException {
        client.close();
        connectorServer.stop();
    }
}
