package dev.lifeguard.spi;

import dev.lifeguard.ConnectionFactory;
import dev.lifeguard.Pool;
import dev.lifeguard.PoolConfig;
import dev.lifeguard.tcp.TcpSettings;

import java.net.Socket;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Implemented by the engine ({@code pool-impl}) and found by {@link dev.lifeguard.Pools} through
 * {@link java.util.ServiceLoader}. Applications do not call it.
 */
public interface PoolProvider {

    /**
     * @param maintenance where maintenance runs, or {@code null} for a daemon thread owned by the pool
     */
    <C> Pool<C> create(PoolConfig config, ConnectionFactory<C> factory, ScheduledExecutorService maintenance);

    ConnectionFactory<Socket> tcp(TcpSettings settings);

    /** Registers the pool's MXBean; see {@link dev.lifeguard.Pools#registerMBean}. */
    ObjectName registerMBean(Pool<?> pool, MBeanServer server);
}
