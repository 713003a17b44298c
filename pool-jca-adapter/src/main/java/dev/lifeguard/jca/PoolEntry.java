package dev.lifeguard.jca;

import dev.lifeguard.impl.LifeguardPool;

import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.ObjectName;

/** One pool of the registry: the pool, the definition it was made from, and the adapters that use it. */
final class PoolEntry {
    final TcpPoolDefinition definition;
    final LifeguardPool<Socket> pool;
    final ObjectName mbeanName;
    /** Guarded by the registry's lock. */
    final Set<LifeguardResourceAdapter> owners = ConcurrentHashMap.newKeySet();
    private final AtomicLong nextMaintenanceNanos;

    PoolEntry(TcpPoolDefinition definition, LifeguardPool<Socket> pool, ObjectName mbeanName) {
        this.definition = definition;
        this.pool = pool;
        this.mbeanName = mbeanName;
        this.nextMaintenanceNanos = new AtomicLong(System.nanoTime());
    }

    /**
     * Runs a maintenance pass if one is due. Several adapters' reapers may call this (WildFly makes one adapter
     * per annotation definition); the CAS on the due time lets exactly one of them run each pass.
     */
    void maintainIfDue(long nowNanos) {
        long due = nextMaintenanceNanos.get();
        if (nowNanos - due < 0) {
            return;
        }
        long next = nowNanos + pool.config().maintenanceInterval().toNanos();
        if (nextMaintenanceNanos.compareAndSet(due, next)) {
            pool.runMaintenance();
        }
    }
}
