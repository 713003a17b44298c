package dev.lifeguard.jca;

import dev.lifeguard.PoolConfig;
import dev.lifeguard.Pools;
import dev.lifeguard.impl.LifeguardPool;
import dev.lifeguard.impl.NanoClock;
import dev.lifeguard.impl.PoolStarter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The pools of one deployment of the adapter, keyed by pool name. One per class loader (so per deployed RAR):
 * Payara makes a new administered object on every lookup and WildFly may make one adapter instance per annotation
 * definition, so pool state can live in neither; it lives here. A pool is closed, and its MXBean unregistered,
 * when the last adapter using it stops.
 */
final class PoolRegistry {
    static final PoolRegistry INSTANCE = new PoolRegistry(ManagementFactory.getPlatformMBeanServer());
    private static final Logger LOG = LoggerFactory.getLogger(PoolRegistry.class);
    private static final Duration DRAIN_ON_STOP = Duration.ofSeconds(5);

    private final MBeanServer mbeanServer;
    private final Map<String, PoolEntry> pools = new HashMap<>();

    PoolRegistry(MBeanServer mbeanServer) {
        this.mbeanServer = mbeanServer;
    }

    /**
     * The pool for {@code definition}, made (and its MXBean registered) on first use.
     *
     * @throws IllegalArgumentException if the definition is invalid
     * @throws IllegalStateException    if a pool of that name exists with another definition, or its MXBean name is
     *                                  taken (another deployment uses the pool name)
     */
    synchronized PoolEntry obtain(TcpPoolDefinition definition, LifeguardResourceAdapter owner) {
        PoolConfig config = definition.poolConfig();
        PoolEntry entry = pools.get(config.name());
        if (entry != null) {
            if (!entry.definition.equals(definition)) {
                throw new IllegalStateException("Lifeguard pool '" + config.name() + "' already exists with another "
                        + "definition (" + entry.definition + "); this one is " + definition
                        + ": give each definition its own poolName");
            }
            entry.owners.add(owner);
            return entry;
        }
        // Creating a pool does no I/O (connections are made on demand or by maintenance), so this lock is short.
        LifeguardPool<Socket> pool = PoolStarter.manual(config, Pools.tcp(definition.tcpSettings()),
                NanoClock.SYSTEM);
        ObjectName name;
        try {
            name = Pools.registerMBean(pool, mbeanServer);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        entry = new PoolEntry(definition, pool, name);
        entry.owners.add(owner);
        pools.put(config.name(), entry);
        LOG.info("Lifeguard pool '{}' created for {}:{} (max {}), MXBean {}", config.name(), definition.host(),
                definition.port(), config.maxSize(), name);
        return entry;
    }

    synchronized List<PoolEntry> ownedBy(LifeguardResourceAdapter owner) {
        List<PoolEntry> out = new ArrayList<>();
        for (PoolEntry e : pools.values()) {
            if (e.owners.contains(owner)) {
                out.add(e);
            }
        }
        return out;
    }

    /** Drops {@code owner} from every pool; closes (outside the lock) each pool nobody uses any more. */
    void release(LifeguardResourceAdapter owner) {
        List<PoolEntry> orphans = new ArrayList<>();
        synchronized (this) {
            for (Iterator<PoolEntry> it = pools.values().iterator(); it.hasNext(); ) {
                PoolEntry e = it.next();
                if (e.owners.remove(owner) && e.owners.isEmpty()) {
                    it.remove();
                    orphans.add(e);
                }
            }
        }
        for (PoolEntry e : orphans) {
            boolean drained = e.pool.close(DRAIN_ON_STOP);
            LOG.info("Lifeguard pool '{}' closed ({}); MXBean {} unregistered", e.pool.name(),
                    drained ? "every lease returned" : "leases still out were destroyed", e.mbeanName);
        }
    }

    synchronized int size() {
        return pools.size();
    }
}
