package dev.lifeguard.impl;

import dev.lifeguard.ConnectionFactory;
import dev.lifeguard.Pool;
import dev.lifeguard.PoolConfig;
import dev.lifeguard.spi.PoolProvider;
import dev.lifeguard.tcp.TcpSettings;

import java.net.Socket;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.util.concurrent.ScheduledExecutorService;

/** Found by {@link dev.lifeguard.Pools} through ServiceLoader. */
public final class LifeguardPoolProvider implements PoolProvider {

    @Override
    public <C> Pool<C> create(PoolConfig config, ConnectionFactory<C> factory,
                              ScheduledExecutorService maintenance) {
        return PoolStarter.start(config, factory, maintenance, NanoClock.SYSTEM);
    }

    @Override
    public ConnectionFactory<Socket> tcp(TcpSettings settings) {
        return new TcpConnectionFactory(settings);
    }

    @Override
    public ObjectName registerMBean(Pool<?> pool, MBeanServer server) {
        return PoolMBeanRegistration.register(pool, server);
    }
}
