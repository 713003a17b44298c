package dev.lifeguard.impl;

import dev.lifeguard.Lease;

/**
 * A lease handle: the slot plus the stamp that identifies this lease among all leases of that slot. It holds no
 * mutable state of its own; whether it is still active is decided by the slot's stamp, with a CAS, so close and
 * invalidate are idempotent and race-safe, and a stale handle can never touch a later lease of the same slot.
 */
final class PooledLease<C> implements Lease<C> {
    private final LifeguardPool<C> pool;
    private final Slot<C> slot;
    private final long stamp;

    PooledLease(LifeguardPool<C> pool, Slot<C> slot, long stamp) {
        this.pool = pool;
        this.slot = slot;
        this.stamp = stamp;
    }

    @Override
    public C connection() {
        if (!isActive()) {
            throw new IllegalStateException("lease of pool '" + pool.name()
                    + "' has ended (closed, invalidated, or its connection destroyed when the pool was closed);"
                    + " acquire a new lease");
        }
        return slot.connection;
    }

    @Override
    public void close() {
        pool.giveBack(slot, stamp, false);
    }

    @Override
    public void invalidate() {
        pool.giveBack(slot, stamp, true);
    }

    @Override
    public boolean isActive() {
        return slot.isLeasedBy(stamp);
    }

    @Override
    public String toString() {
        return "Lease{pool=" + pool.name() + ", connection=" + slot.connection + ", active=" + isActive() + '}';
    }
}
