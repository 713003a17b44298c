package dev.lifeguard;

import dev.lifeguard.spi.PoolProvider;
import dev.lifeguard.tcp.TcpSettings;

import java.net.Socket;
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
