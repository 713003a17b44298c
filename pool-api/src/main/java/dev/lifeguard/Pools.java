package dev.lifeguard;

import dev.lifeguard.spi.PoolProvider;
import dev.lifeguard.tcp.TcpSettings;

import java.net.Socket;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import java.util.Iterator;
import java.util.ServiceLoader;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The entry point: makes pools and the built-in TCP connection factory. The engine is found once, with
 * {@link ServiceLoader}, in the class loader that loaded this API (so put {@code pool-impl} beside it).
 */
public final class Pools {

    private Pools() {
    }

    /**
     * Makes and starts a pool whose maintenance runs on a daemon thread of its own, named after the pool.
     *
     * @param config  the validated config
     * @param factory makes, checks and destroys connections
     * @param <C>     the connection type
     * @return a running pool; close it when done
     */
    public static <C> Pool<C> create(PoolConfig config, ConnectionFactory<C> factory) {
        return provider().create(config, factory, null);
    }

    /**
     * Makes and starts a pool whose maintenance runs on {@code maintenance} (for example a container's managed
     * scheduler). The pool never shuts that executor down; it only cancels its own task.
     *
     * @param config      the validated config
     * @param factory     makes, checks and destroys connections
     * @param maintenance where maintenance runs
     * @param <C>         the connection type
     * @return a running pool; close it when done
     */
    public static <C> Pool<C> create(PoolConfig config, ConnectionFactory<C> factory,
                                     ScheduledExecutorService maintenance) {
        if (maintenance == null) {
            throw new IllegalArgumentException("maintenance executor must not be null");
        }
        return provider().create(config, factory, maintenance);
    }

    /**
     * The built-in factory of TCP (optionally TLS) connections.
     *
     * @param settings where to connect and how to ping
     * @return a factory whose connections are connected sockets
     */
    public static ConnectionFactory<Socket> tcp(TcpSettings settings) {
        return provider().tcp(settings);
    }

    /**
     * Registers the pool's {@link PoolMXBean} in {@code server} under {@link #objectName(String)}. The pool
     * unregisters it when it closes.
     *
     * @param pool   a pool made by {@link #create}
     * @param server where to register, e.g. {@code ManagementFactory.getPlatformMBeanServer()}
     * @return the name it was registered under
     * @throws IllegalStateException if an MBean of that name is already registered (pool names must be unique per
     *                               MBeanServer), or the pool is closed; nothing is registered then
     */
    public static ObjectName registerMBean(Pool<?> pool, MBeanServer server) {
        if (pool == null || server == null) {
            throw new IllegalArgumentException("pool and server must not be null, but were " + pool + " and "
                    + server);
        }
        return provider().registerMBean(pool, server);
    }

    /**
     * @param poolName a valid pool name
     * @return {@code dev.lifeguard:type=Pool,name=<poolName>}
     */
    public static ObjectName objectName(String poolName) {
        try {
            return new ObjectName("dev.lifeguard:type=Pool,name=" + poolName);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("pool name '" + poolName + "' cannot form an ObjectName", e);
        }
    }

    private static PoolProvider provider() {
        return ProviderHolder.PROVIDER;
    }

    /** Lazily loaded once: the class initialisation lock makes the lookup thread-safe. */
    private static final class ProviderHolder {
        static final PoolProvider PROVIDER = load();

        private static PoolProvider load() {
            Iterator<PoolProvider> it = ServiceLoader.load(PoolProvider.class, Pools.class.getClassLoader())
                    .iterator();
            if (!it.hasNext()) {
                it = ServiceLoader.load(PoolProvider.class).iterator();
            }
            if (!it.hasNext()) {
                throw new IllegalStateException("no Lifeguard engine found: put dev.lifeguard:pool-impl on the "
                        + "class path beside pool-api");
            }
            return it.next();
        }
    }
}
