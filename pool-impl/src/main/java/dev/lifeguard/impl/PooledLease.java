package dev.lifeguard.impl;

import dev.lifeguard.Lease;

/**
 * A lease handle: the slot plus the stamp that identifies this lease among all leases of that slot. It holds no
 * mutable state of its own; whether it is still active is decided by the slot's stamp, with a CAS, so close and
 * invalidate are idempotent and race-safe, and a stale handle can never touch a later lease of the same slot.
 */
final class PooledLease<C> implements Lease<C> {
    private final Slot<C> slot;
    private final long stamp;

    /** One reference field (the pool is the slot's): where the JIT cannot drop the handle, one store barrier less. */
    PooledLease(Slot<C> slot, long stamp) {
        this.slot = slot;
        this.stamp = stamp;
    }

    @Override
    public C connection() {
        if (!isActive()) {
            throw new IllegalStateException("lease of pool '" + slot.pool.name()
                    + "' has ended (closed, invalidated, or its connection destroyed when the pool was closed);"
                    + " acquire a new lease");
        }
        return slot.connection;
    }

    @Override
    public void close() {
        if (!slot.pool.returnQuickly(slot, stamp)) {
            slot.pool.giveBack(slot, stamp, false);
        }
    }

    @Override
    public void invalidate() {
        slot.pool.giveBack(slot, stamp, true);
    }

    @Override
    public boolean isActive() {
        return slot.isLeasedBy(stamp);
    }

    @Override
    public String toString() {
        return "Lease{pool=" + slot.pool.name() + ", connection=" + slot.connection + ", active=" + isActive() + '}';
    }
}
