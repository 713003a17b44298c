package dev.lifeguard.impl;

import dev.lifeguard.LeaseInfo;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.time.Instant;

/**
 * One pooled connection and what the pool knows about it. Whoever may race for a slot does so by CAS: taking it
 * out of IDLE ({@link #transition}) and ending a lease ({@link #endLease}, on the lease's stamp: a late return
 * against a drain deadline, say) each have one winner. The winner then owns the slot and moves it on alone
 * ({@link #handOver}, a release store). That is what makes "leased to one caller" and "destroyed exactly once"
 * hold. Each lease gets a fresh, never-reused stamp, so a stale lease handle cannot end someone else's lease.
 *
 * <p>State and stamp share one word ({@code stamp << STATE_BITS | state}; the stamp is 0 unless LEASED), so that
 * one CAS both ends a lease and puts the slot where it goes next: a return that has nothing to decide goes
 * straight from LEASED to IDLE. Two words took two CASes, each a locked instruction on the fastest path.
 */
abstract class SlotCore<C> extends SlotPadding {
    private static final VarHandle WORD;
    private static final VarHandle STAMP_COUNTER;
    private static final int STATE_BITS = 2;
    private static final long STATE_MASK = (1 << STATE_BITS) - 1;
    private static final SlotState[] STATES = SlotState.values();

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            WORD = l.findVarHandle(SlotCore.class, "word", long.class);
            STAMP_COUNTER = l.findVarHandle(SlotCore.class, "stampCounter", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * The pool it belongs to (null in store-only tests): what a lease handle, which holds only the slot, ends
     * through.
     */
    final LifeguardPool<C> pool;
    final C connection;
    /** Creation order; {@code retireAll} retires every slot whose serial is below a mark. */
    final long serial;
    final long createdNanos;
    /**
     * Fraction (0 to 2.5%) taken off the max lifetime, so that connections made together do not expire together; in
     * units of 1/65536, so that working out an expiry (on every checkout and return) is a shift and a multiply.
     */
    final long lifetimeJitter16;

    @SuppressWarnings("unused") // accessed through WORD
    private volatile long word = SlotState.CHECKING.ordinal();

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
    /**
     * This lease ends through {@code LifeguardPool#giveBack} whatever happens meanwhile: it holds a permit, its
     * acquiring stack is kept (leak detection), or its return is due a lease-time sample. Decided by the owner as it
     * leases, so that the quick return reads one byte for all three; set also by the maintenance pass that reports
     * the lease as a possible leak (before {@link #leakReported}, whose volatile write publishes it).
     */
    boolean returnsSlowly;
    /** The acquiring call's stack, kept only while leak detection is on. */
    Throwable acquiredAt;
    /** Set by the maintenance pass while leased, read by the returning thread: volatile. */
    volatile boolean leakReported;
    /** When the last lease whose time was recorded began, and its stamp (see {@code LifeguardPool#giveBack}). */
    long lastSampledLeaseNanos;
    long lastSampledStamp;
    /** When (pool clock) a checkout of this slot by affinity last looked whether waiters stalled. */
    long lastStallLookNanos;
    /**
     * Per-slot lease counter, and so the source of the pool's lease counts ({@link LeaseTally}): only the owner (in
     * CHECKING state) advances it, so no contention; others read it opaquely.
     */
    @SuppressWarnings("unused") // written through STAMP_COUNTER
    private long stampCounter;

    /**
     * The later of two clock readings (less than 2^63 apart), without a branch. The fast paths are compiled into
     * their callers; there a branch that rarely flips (a fresh validation dated after the clock tick, say) was
     * compiled for one side only, and when it flipped it sent the caller back to the interpreter to be recompiled
     * (an unstable_if deoptimization), which meanwhile allocated lease handles: 0.1 B/op in some benchmark JVMs.
     */
    static long later(long a, long b) {
        long d = a - b;
        return b + (d & ~(d >> 63));
    }

    SlotCore(LifeguardPool<C> pool, C connection, long serial, long createdNanos, double lifetimeJitter) {
        this.pool = pool;
        this.connection = connection;
        this.serial = serial;
        this.createdNanos = createdNanos;
        this.lifetimeJitter16 = (long) (lifetimeJitter * 65536);
        this.lastUsedNanos = createdNanos;
        this.lastSampledLeaseNanos = createdNanos - LifeguardPool.LEASE_SAMPLE_SPACING_NANOS; // first lease: sampled
        this.lastStallLookNanos = createdNanos;
    }

    /** @return true if IDLE: the cheap look before a CAS to take it (one load and a compare, no decoding) */
    boolean isIdle() {
        return (long) WORD.getVolatile(this) == SlotState.IDLE.ordinal();
    }

    SlotState state() {
        return STATES[(int) ((long) WORD.getVolatile(this) & STATE_MASK)];
    }

    /** Moves the slot between two states that are not LEASED (those have no stamp), if it is in {@code from}. */
    boolean transition(SlotState from, SlotState to) {
        return WORD.compareAndSet(this, (long) from.ordinal(), (long) to.ordinal());
    }

    /**
     * Moves an owned (CHECKING) slot to a state other than LEASED (see {@link #beginLease}) with a plain release
     * store: nobody else changes the state of a slot in those hands (every other move is a CAS out of IDLE), so no
     * CAS is needed, and the store publishes the owner's earlier writes to whoever reads the state.
     */
    void handOver(SlotState to) {
        WORD.setRelease(this, (long) to.ordinal());
    }

    /**
     * Moves any live state to DESTROYED.
     *
     * @return true for exactly one caller over the slot's life
     */
    boolean markDestroyed() {
        long destroyed = SlotState.DESTROYED.ordinal();
        for (;;) {
            long w = (long) WORD.getVolatile(this);
            if (w == destroyed) {
                return false;
            }
            if (WORD.compareAndSet(this, w, destroyed)) {
                return true;
            }
        }
    }

    /**
     * Leases the owned (CHECKING) slot under a fresh stamp (never 0, never reused for this slot). The release store
     * is the publication point: whoever then sees it LEASED sees the owner's earlier writes for this lease.
     *
     * @return the stamp of the new lease
     */
    long beginLease() {
        long stamp = stampCounter + 1;
        // Opaque: a plain store on 64-bit machines, but never torn for a reader counting leases.
        STAMP_COUNTER.setOpaque(this, stamp);
        WORD.setRelease(this, leased(stamp));
        return stamp;
    }

    private static long leased(long stamp) {
        return stamp << STATE_BITS | SlotState.LEASED.ordinal();
    }

    /** @return the stamp of the lease its owner just began (read by that owner) */
    long currentStamp() {
        return stampCounter;
    }

    /** @return how many leases this slot has begun (read by anyone) */
    long leaseCount() {
        return (long) STAMP_COUNTER.getOpaque(this);
    }

    /**
     * Ends the lease {@code stamp} and moves the slot to {@code next} (IDLE: straight back; CHECKING: the caller
     * owns it and decides).
     *
     * @return true if {@code stamp} was the current lease and is now ended; false for a stale or repeated call
     */
    boolean endLease(long stamp, SlotState next) {
        return WORD.compareAndSet(this, leased(stamp), (long) next.ordinal());
    }

    /** @return the stamp of the lease in progress, or 0 */
    long activeStamp() {
        long w = (long) WORD.getVolatile(this);
        return (w & STATE_MASK) == SlotState.LEASED.ordinal() ? w >>> STATE_BITS : 0;
    }

    /**
     * @return 0 if the lease {@code stamp} is in progress, anything else if not: one read of the word, and a number
     *         rather than a boolean, so that the quick return can fold it into its one test without a branch
     */
    long leaseMismatch(long stamp) {
        return (long) WORD.getVolatile(this) ^ leased(stamp);
    }

    boolean isLeasedBy(long stamp) {
        return (long) WORD.getVolatile(this) == leased(stamp);
    }

    /** @return when it was last known good: returned by a caller or validated */
    long lastCheckedNanos() {
        return later(lastUsedNanos, lastValidatedNanos);
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

    /**
     * The nano time at which this slot outlives its lifetime, without a branch for "no limit" (the fast paths are
     * compiled into their callers, and every branch there costs code).
     *
     * @param lifetimeOrFar the max lifetime, or {@link CheckoutLimits#FAR_LIFETIME_NANOS} for no limit
     */
    long expiresAtNanos(long lifetimeOrFar) {
        return createdNanos + lifetimeOrFar - (lifetimeOrFar >>> 16) * lifetimeJitter16;
    }
}
