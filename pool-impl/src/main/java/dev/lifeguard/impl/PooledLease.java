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

    /**
     * Five bytes of bytecode, so that C2 inlines it even where the call was never reached, as on try-with-resources'
     * exception path (a callee over 6 bytes, -XX:MaxTrivialSize, is not inlined there). Not inlined, the call takes
     * the handle as its argument, so the handle escapes, and every lease allocates one. Once compiled on its own
     * (with {@link #end} and the quick return inlined), it must also stay under 625 bytes of machine code, C2's
     * limit for a cold site (see {@code LifeguardPool#returnQuickly}).
     */
    @Override
    public void close() {
        end();
    }

    private void end() {
        Slot<C> s = slot;
        long t = stamp;
        int outcome = s.pool.returnQuickly(s, t);
        if (outcome != LifeguardPool.RETURN_DONE) {
            s.pool.giveBack(s, t, outcome);
        }
    }

    @Override
    public void invalidate() {
        slot.pool.giveBack(slot, stamp, LifeguardPool.INVALIDATE);
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
