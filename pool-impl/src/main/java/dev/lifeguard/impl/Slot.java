package dev.lifeguard.impl;

import dev.lifeguard.LeaseInfo;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.time.Instant;

/**
 * One pooled connection and what the pool knows about it. Whoever may race for a slot does so by CAS: taking it
 * out of IDLE ({@link #transition}) and ending a lease ({@link #endLease}, on the lease's stamp: a late return
 * against a drain deadline, say) each have one winner. The winner then owns the slot and moves it on alone
 * ({@link #handOver}, a release store). That is what makes "leased to one caller" and "destroyed exactly once"
 * hold. Each lease gets a fresh, never-reused stamp, so a stale lease handle cannot end someone else's lease.
 */
final class Slot<C> {
    private static final VarHandle STATE;
    private static final VarHandle LEASE_STAMP;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATE = l.findVarHandle(Slot.class, "state", SlotState.class);
            LEASE_STAMP = l.findVarHandle(Slot.class, "leaseStamp", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final C connection;
    /** Creation order; {@code retireAll} retires every slot whose serial is below a mark. */
    final long serial;
    final long createdNanos;
    /** Fraction (0 to 2.5%) taken off the max lifetime, so that connections made together do not expire together. */
    final double lifetimeJitter;

    @SuppressWarnings("unused") // accessed through STATE
    private volatile SlotState state = SlotState.CHECKING;
    @SuppressWarnings("unused") // accessed through LEASE_STAMP
    private volatile long leaseStamp;

    /**
     * The idle store holds a reference to this slot. Written only under the store's lock; read without it by a
     * thread putting the slot back (see {@link IdleStore#release}).
     */
    volatile boolean queued;
    /** When it last passed a validation. */
    volatile long lastValidatedNanos;

    // Written by the slot's owner (state CHECKING) before it moves the slot on (to LEASED or IDLE); a thread that
    // reads the state first (the maintenance pass, the store, lease listings) sees them through that CAS. Plain
    // fields: one fenced write per field per lease would cost more than the rest of a checkout.
    /** When it last went idle (created or returned; see {@code LifeguardPool#giveBack} for how it is dated). */
    long lastUsedNanos;
    long leasedAtNanos;
    /** System.nanoTime when the acquire that is taking this slot started to wait; scratch for its owner. */
    long waitStartNanos;
    /** This lease took a permit from the gate (the shared path) and gives it back when it ends. */
    boolean holdsPermit;
    Thread holder;
    /** The acquiring call's stack, kept only while leak detection is on. */
    Throwable acquiredAt;
    /** Set by the maintenance pass while leased, read by the returning thread: volatile. */
    volatile boolean leakReported;
    /** When the last lease whose time was recorded began, and its stamp (see {@code LifeguardPool#giveBack}). */
    long lastSampledLeaseNanos;
    long lastSampledStamp;
    /** Per-slot lease counter: only the owner (in CHECKING state) advances it, so no contention. */
    private long stampCounter;

    /**
     * How a thread's affinity entry refers to this slot: weakly (a thread outliving the pool keeps nothing of it),
     * and one per slot, so that moving a thread's affinity allocates nothing.
     */
    final WeakReference<Slot<C>> weakSelf = new WeakReference<>(this);

    Slot(C connection, long serial, long createdNanos, double lifetimeJitter) {
        this.connection = connection;
        this.serial = serial;
        this.createdNanos = createdNanos;
        this.lifetimeJitter = lifetimeJitter;
        this.lastUsedNanos = createdNanos;
        this.lastSampledLeaseNanos = createdNanos - LifeguardPool.LEASE_SAMPLE_SPACING_NANOS; // first lease: sampled
    }

    SlotState state() {
        return (SlotState) STATE.getVolatile(this);
    }

    boolean transition(SlotState from, SlotState to) {
        return STATE.compareAndSet(this, from, to);
    }

    /**
     * Moves an owned slot (CHECKING, or LEASED by the lease this thread has just ended) on, with a plain release
     * store: nobody else changes the state of a slot in those hands (every other move is a CAS out of IDLE), so no
     * CAS is needed, and the store publishes the owner's earlier writes to whoever reads the state.
     */
    void handOver(SlotState to) {
        STATE.setRelease(this, to);
    }

    /**
     * Moves any live state to DESTROYED.
     *
     * @return true for exactly one caller over the slot's life
     */
    boolean markDestroyed() {
        for (;;) {
            SlotState s = state();
            if (s == SlotState.DESTROYED) {
                return false;
            }
            if (STATE.compareAndSet(this, s, SlotState.DESTROYED)) {
                return true;
            }
        }
    }

    /**
     * Gives the slot a fresh lease stamp (never 0, never reused for this slot) and records it; the caller owns the
     * slot in CHECKING state.
     *
     * @return the stamp of the new lease
     */
    long beginLease() {
        long stamp = ++stampCounter;
        // Release order suffices: the owner's CHECKING -> LEASED store that follows publishes it with the lease.
        LEASE_STAMP.setRelease(this, stamp);
        return stamp;
    }

    /** @return the stamp of the lease its owner just began (read by that owner) */
    long currentStamp() {
        return stampCounter;
    }

    /** @return true if {@code stamp} was the current lease and is now ended; false for a stale or repeated call */
    boolean endLease(long stamp) {
        return LEASE_STAMP.compareAndSet(this, stamp, 0L);
    }

    /** @return the stamp of the lease in progress, or 0 */
    long activeStamp() {
        return (long) LEASE_STAMP.getVolatile(this);
    }

    boolean isLeasedBy(long stamp) {
        return (long) LEASE_STAMP.getVolatile(this) == stamp;
    }

    /** @return when it was last known good: returned by a caller or validated */
    long lastCheckedNanos() {
        return Math.max(lastUsedNanos, lastValidatedNanos);
    }

    LeaseInfo describeLease(String poolName, long nowNanos) {
        Thread t = holder;
        Throwable at = acquiredAt;
        String stack = "";
        if (at != null) {
            StringWriter w = new StringWriter();
            at.printStackTrace(new PrintWriter(w));
            stack = w.toString();
        }
        long heldNanos = Math.max(0, nowNanos - leasedAtNanos);
        return new LeaseInfo(poolName, Instant.ofEpochMilli(System.currentTimeMillis() - heldNanos / 1_000_000),
                Duration.ofNanos(heldNanos), t == null ? "" : t.getName(), stack);
    }

    /** @return the nano time at which this slot outlives {@code maxLifetimeNanos}, or MAX_VALUE for no limit */
    long expiresAtNanos(long maxLifetimeNanos) {
        if (maxLifetimeNanos <= 0) {
            return Long.MAX_VALUE;
        }
        return createdNanos + (long) (maxLifetimeNanos * (1.0 - lifetimeJitter));
    }
}
