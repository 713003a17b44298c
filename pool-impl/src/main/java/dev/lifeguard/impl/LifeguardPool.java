package dev.lifeguard.impl;

import dev.lifeguard.AcquireInterruptedException;
import dev.lifeguard.AcquireTimeoutException;
import dev.lifeguard.ConnectionCreationException;
import dev.lifeguard.ConnectionFactory;
import dev.lifeguard.IdleOrder;
import dev.lifeguard.Lease;
import dev.lifeguard.LeaseInfo;
import dev.lifeguard.Pool;
import dev.lifeguard.PoolClosedException;
import dev.lifeguard.PoolConfig;
import dev.lifeguard.PoolCounts;
import dev.lifeguard.PoolStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * The engine.
 *
 * <p>Design: two paths to a lease. The thread-affine path (see {@link #checkout}) takes back the connection the
 * calling thread last returned, if it is idle and any waiters are being served, with one CAS on that connection's
 * own slot. The
 * shared path takes a permit from a {@link CapacityGate} (at most maxSize; waiters in arrival order, newcomers
 * ahead of them only while the queue moves; nothing held after a timeout or interrupt), then an idle slot from the
 * {@link IdleStore} or, if fewer than maxSize connections exist ({@link #allocated}), reserves room and creates
 * one. Every factory call happens on the caller's (or the maintenance) thread with no lock held. Each slot is
 * owned by exactly one party at a time (see {@link SlotState}); taking and destroying are CASes, so a connection
 * goes to one caller at a time and is destroyed once.
 *
 * <p>Invariants: {@code allocated <= maxSize} (reserved before create, released after destroy); every lease holds
 * its own slot, so leases {@code <= allocated}; shared-path leases {@code <=} permits handed out {@code <= maxSize};
 * every permit taken is released exactly once, by the end of the lease that took it or by the failed acquire.
 * The affine path goes ahead of waiters only while they move: it closes once no waiter in the store has been
 * served for {@link CapacityGate#BARGE_WINDOW_NANOS}, or none at the gate for
 * {@link CapacityGate#AFFINE_STALL_NANOS}; then, one caller per barge window ({@link #claimHandOff}), the connection
 * goes back through the store, to them, and its caller queues behind them. So no waiter starves.
 */
public final class LifeguardPool<C> implements Pool<C> {
    private static final Logger LOG = LoggerFactory.getLogger(LifeguardPool.class);
    private static final double MAX_LIFETIME_JITTER = 0.025;
    /**
     * At most one lease-time sample per connection per this much time (each weighted by the leases it stands for).
     * A lease due one goes through checkout, and so do its return's; at 1 ms that was 1 lease in 40 of a busy
     * connection (100 tasks on 10 connections), enough on its own to set the p99 wait.
     */
    static final long LEASE_SAMPLE_SPACING_NANOS = 10_000_000;
    private static final long RECENT_RESOLUTION_NANOS = 1_000_000;
    /**
     * One affine lease in this many (per connection) counts the active leases for the peak; a power of two. The
     * count reads every connection's state, including those other threads are cycling, so it costs their cache lines
     * a trip: at 1 in 32, 2 threads ran at 22-29M acquire+release/s in some JVMs instead of 36M.
     */
    static final long PEAK_SAMPLE_EVERY = 1024;
    /**
     * While anyone waits, the fast path sends a lease to checkout to look for a stall once this much pool-clock time
     * has passed since the connection's last look ({@link SlotCore#lastStallLookNanos}). Checkout looks on every
     * lease it gets, so the peak sample (one lease in {@link #PEAK_SAMPLE_EVERY} per connection) looks too, for
     * a clock whose ticker is starved of a core. Counts alone were too often or too seldom: looking on 1 lease in 16
     * was over 6% of the leases on a busy pool, and set its p99 wait; 1 in 256 was still 0.4% of them, a quarter of
     * the leases checkout got in the wait-time case; and a stall behind 100 ms leases went unseen for all of them.
     */
    static final long STALL_LOOK_SPACING_NANOS = 10_000_000;

    private final String name;
    private final ConnectionFactory<C> factory;
    private final NanoClock clock;
    /** What the affine path dates and judges its checkouts by: a tick of {@link #clock}, or a reading of it. */
    private final CheckoutClock checkoutClock;
    private final CapacityGate gate;
    private final IdleStore<C> idle;
    /**
     * What a caller waiting in the idle store also wakes for: room to create, or (in back-off) nothing else. Made
     * once, here: linking a lambda on first use loads a class under the class loader's monitor, and a virtual
     * thread doing that while others contend for it is pinned to its carrier (seen once in the virtual-thread
     * benchmark, in {@code obtainSlot}).
     */
    private final BooleanSupplier roomToCreate = this::mayCreate;
    private static final BooleanSupplier NOTHING_ELSE = () -> false;

    /** Connections that exist or are being created. */
    private final AtomicInteger allocated = new AtomicInteger();
    /** Connections being created now (bounded by maxConcurrentCreations). */
    private final AtomicInteger creating = new AtomicInteger();
    /**
     * Per thread, the slot it last gave back: the entry at its thread id modulo {@value #AFFINITY_ENTRIES}. Thread
     * ids are handed out in sequence, so threads made near each other (a container's workers) have entries of
     * their own; two threads whose ids collide take each other's connection now and then, which only sends that
     * lease to checkout (the slot was last leased by another thread). An array the pool owns, not a ThreadLocal:
     * one load instead of a thread-map lookup and a weak reference (1 thread: 40M to 54M acquire+release/s), and a
     * thread that outlives the pool keeps nothing of it. Plain reads and writes: an entry is a hint; the CAS that
     * takes the slot decides.
     */
    @SuppressWarnings("unchecked") // Slot<C>[]: written only with this pool's slots
    private final Slot<C>[] affinity = new Slot[AFFINITY_ENTRIES];
    private final LiveSlots<C> live = new LiveSlots<>();
    /** Leases begun on connections since destroyed; live ones count their own ({@link Slot#leaseCount}). */
    private final LongAdder leasesOfDestroyed = new LongAdder();
    private final AtomicLong serials = new AtomicLong();
    private final CreationThrottle throttle;
    private final PoolMetrics metrics;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final Object reconfigureLock = new Object();
    private final Object drainMonitor = new Object();
    private final List<Runnable> closeHooks = new CopyOnWriteArrayList<>();

    private volatile PoolConfig config;
    /** Derived from {@link #config}, and replaced with it. */
    private volatile CheckoutLimits limits;
    private volatile boolean closed;
    /** Slots with a serial below this were alive at the last {@link #retireAll()}. */
    private volatile long retireBelowSerial;
    private volatile Maintenance<C> maintenance;
    /**
     * A recent pool-clock reading, at most {@link #RECENT_RESOLUTION_NANOS} behind the latest one taken by a
     * checkout or a maintenance pass; a return that does not read the clock dates itself with it.
     */
    private volatile long recentNanos;
    /**
     * When a caller last gave its affinely taken connection up to waiters that stalled (System.nanoTime); see
     * {@link #claimHandOff}.
     */
    private final AtomicLong lastHandOffNanos = new AtomicLong(System.nanoTime() - CapacityGate.BARGE_WINDOW_NANOS);

    LifeguardPool(PoolConfig config, ConnectionFactory<C> factory, NanoClock clock) {
        this(config, factory, clock, CheckoutClock.precise(clock));
    }

    /** @param checkoutClock what affine checkouts go by (closed with the pool) */
    LifeguardPool(PoolConfig config, ConnectionFactory<C> factory, NanoClock clock, CheckoutClock checkoutClock) {
        if (config == null || factory == null || clock == null || checkoutClock == null) {
            throw new IllegalArgumentException("config, factory and clocks must not be null, but were " + config
                    + ", " + factory + ", " + clock + ", " + checkoutClock);
        }
        this.config = config;
        this.limits = CheckoutLimits.of(config);
        this.name = config.name();
        this.factory = factory;
        this.clock = clock;
        this.gate = new CapacityGate(config.maxSize());
        this.idle = new IdleStore<>(config.maxSize());
        this.throttle = new CreationThrottle(config.creationBackoffInitial(), config.creationBackoffMax(), clock);
        this.metrics = new PoolMetrics(config.maintenanceInterval().multipliedBy(6), clock, new LeaseTally() {
            @Override
            public long leasesBegun() {
                return LifeguardPool.this.leasesBegun();
            }

            @Override
            public int leasedNow() {
                return LifeguardPool.this.leasedNow();
            }
        });
        this.recentNanos = clock.nanoTime();
        this.checkoutClock = checkoutClock;
    }

    void attach(Maintenance<C> maintenance) {
        this.maintenance = maintenance;
    }

    /** Registers an action run once when the pool closes (e.g. unregistering its MBean). */
    public void onClose(Runnable hook) {
        closeHooks.add(hook);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Lease<C> acquire() {
        return lease(config.acquireTimeout()); // checked when the configuration was built
    }

    @Override
    public Lease<C> acquire(Duration timeout) {
        if (timeout == null || timeout.isNegative()) {
            throw badTimeout(timeout);
        }
        return lease(timeout);
    }

    /**
     * Both acquires, once the timeout is known good. Kept small so that it inlines into the caller: where the caller
     * keeps the lease within one method (try-with-resources), the JIT then drops the handle altogether, and a
     * checkout allocates nothing. The common case (this thread's own connection back, with nothing to decide) is
     * inlined whole: as calls, the checkout and the return held one thread at 31-33M acquire+release/s, inlined
     * 42-43M. Both must stay under C2's InlineSmallCode (2,500 bytes compiled) for that: keep the fast paths lean.
     */
    private Lease<C> lease(Duration timeout) {
        Slot<C> slot = takeOwnIdleSlot();
        if (slot == null || !leaseQuickly(slot)) {
            slot = checkout(timeout, slot);
        }
        return new PooledLease<>(slot, slot.currentStamp());
    }

    /** Out of line: the message's string building stays out of the inlined acquire. */
    private static IllegalArgumentException badTimeout(Duration timeout) {
        return new IllegalArgumentException("acquire timeout must be zero or positive, but was " + timeout);
    }

    /**
     * The thread-affine take: the connection this thread last gave back, if it is still idle, taken with one CAS on
     * its own slot (no permit, no lock, no shared write). Only in LIFO order: FIFO asks for rotation, which
     * affinity defeats.
     *
     * @return that slot, now owned (CHECKING), or null
     */
    private Slot<C> takeOwnIdleSlot() {
        Slot<C> slot = affinity[affinityIndex(Thread.currentThread())];
        return slot != null && slot.isIdle() && limits.affinity() && slot.transition(SlotState.IDLE, SlotState.CHECKING)
                ? slot : null;
    }

    /**
     * Leases a slot taken by {@link #takeOwnIdleSlot} if there is nothing to decide: open, no waiters that may have
     * stalled ({@link #waitersMayStall}), last leased by this thread on this path, not due a validation, a
     * retirement, a lease-time or a peak sample, no leak detection or leak report. Inlined into every caller, so it
     * does only that; anything else is {@link #checkout}'s.
     *
     * @return false, the slot untouched (still owned), if there is something to decide
     */
    private boolean leaseQuickly(Slot<C> slot) {
        // Read after the CAS that took the slot: its idle time has ended by this reading, so the later bound
        // (now + slack) never makes its idle age short; the earlier (now) dates the lease.
        long now = checkoutClock.now();
        long judgeAt = now + checkoutClock.slackNanos();
        long leasedAt = SlotCore.later(now, slot.lastValidatedNanos);
        CheckoutLimits l = limits;
        // Non-short-circuit: each is a load or two, and one combined branch keeps this code small enough to be
        // inlined wherever acquire is (see lease). A slot last leased by another thread is checkout's too: it
        // writes the holder, which this path then need not (a reference store costs GC barrier code).
        if (closed | l.leakDetection() | slot.leakReported
                | ((gate.mayHaveQueue() | idle.hasWaiters()) && waitersMayStall(slot, now))
                | slot.holder != Thread.currentThread()
                | retiredAt(slot, judgeAt) | l.mustValidate(judgeAt, slot.lastCheckedNanos())
                | leasedAt - slot.lastSampledLeaseNanos >= LEASE_SAMPLE_SPACING_NANOS
                | (slot.currentStamp() + 1 & PEAK_SAMPLE_EVERY - 1) == 0) { // this lease would count the peak
            return false;
        }
        // No noteTime: checkout notes it for every connection in use at least once a tick (or a millisecond without
        // a ticker), for the lease-time samples; returns dated by an older note make idle ages longer, not shorter.
        // Cleared here (a plain byte store) rather than sending a slot last leased through the gate to checkout:
        // while waiters were being served, each caller that gave its connection back to them and took it again
        // through the gate then paid a checkout for its next lease too (100 tasks on 10 connections: half the
        // leases checkout got).
        slot.holdsPermit = false;
        slot.returnsSlowly = false; // no permit, no leak detection, no sample due: all checked above
        slot.leasedAtNanos = leasedAt;
        slot.beginLease(); // the publication point, as in checkout
        return true;
    }

    /**
     * Every checkout {@link #leaseQuickly} does not finish, out of line on purpose: it must stay too large for the
     * JIT to inline (over {@code -XX:FreqInlineSize}, 325 bytes of bytecode), so that {@link #lease} stays small
     * enough to inline into its callers, which is what lets the JIT drop the lease handle
     * ({@code AllocationTest} checks it).
     *
     * <p>An affinely taken slot is leased only while waiters, if any, are being served ({@link #affinityOpen}), so
     * no waiter starves, and only if it passes its checks. Otherwise the shared path: a permit from the gate
     * (waiting in line if needed), then an idle or a new connection.
     *
     * @param timeout checked by the caller: zero or positive
     * @param taken   a slot {@link #takeOwnIdleSlot} took (owned, CHECKING), or null
     * @return a slot leased to the calling thread; its current stamp identifies the lease
     */
    private Slot<C> checkout(Duration timeout, Slot<C> taken) {
        // ---- the affine path ----
        Slot<C> slot = taken;
        boolean affine = taken != null;
        boolean gaveUpToWaiters = false;
        if (affine) {
            // Read after the CAS that took it (see leaseQuickly). Then whether waiters allow this; if not (rare:
            // they stalled), the connection goes back untouched, to them.
            long now = checkoutClock.now();
            noteTime(now);
            slot.lastStallLookNanos = now;
            if (affinityOpenNow()) {
                // If it fails its checks it is destroyed, and the shared path finds or makes another.
                affine = readyToLease(slot, now + checkoutClock.slackNanos(), now);
            } else {
                returnToStore(slot);
                affine = false;
                gaveUpToWaiters = true; // and so goes behind them at the gate (see CapacityGate.BEHIND_WAITERS)
                if (idle.hasWaiters()) {
                    // The store woke a waiter for it, which now needs a core: give it this one before looking for
                    // a connection, or this caller takes its own straight back, the waiter finds nothing, and every
                    // running caller repeats that until the waiter wins a race (100 threads on 10 connections with
                    // work: 84,000-90,000 such give-and-take-backs in 5 s, 4,000-5,000 with the yield).
                    Thread.yield();
                }
            }
        }
        // ---- the shared path ----
        if (!affine) {
            if (closed) {
                throw closedException();
            }
            long timeoutNanos = saturatedNanos(timeout);
            // A timeout names the creation failure that kept it waiting, even if the backend recovered meanwhile.
            long failureMark = throttle.failureMark();
            // When this call started to wait (System.nanoTime), or 0 while it has not had to. A permit free at
            // once is the common case, and it needs no deadline, so the clock is not read for it.
            long waitStart = 0;
            try {
                if (!gate.tryAcquire(0, gaveUpToWaiters)) {
                    waitStart = System.nanoTime();
                    if (!gate.tryAcquire(timeoutNanos, gaveUpToWaiters)) {
                        metrics.acquireTimeouts.increment();
                        throw new AcquireTimeoutException(name, timeout, counts(),
                                throttle.failureDuring(failureMark));
                    }
                }
            } catch (InterruptedException e) {
                throw interrupted(e);
            }
            // From here the caller holds a permit: every exit but a lease handed out gives it back.
            try {
                slot = obtainSlot(waitStart, timeoutNanos, timeout, failureMark);
            } catch (RuntimeException | Error e) {
                gate.release();
                throw e;
            }
        }
        // ---- hand it out ----
        slot.holdsPermit = !affine;
        Thread me = Thread.currentThread();
        if (slot.holder != me) { // kept after the lease (only read while LEASED): no store when it comes back
            slot.holder = me;
        }
        if (limits.leakDetection()) {
            slot.acquiredAt = new Throwable("acquired here");
        }
        if (slot.leakReported) {
            slot.leakReported = false;
        }
        if (affine && checkoutClock.ticking()
                && slot.leasedAtNanos - slot.lastSampledLeaseNanos >= LEASE_SAMPLE_SPACING_NANOS) {
            // A lease its return will time (see giveBack): dated by a reading, not by a tick up to two ticks old.
            // The reading is later than the tick, so the return still finds it due a sample.
            slot.leasedAtNanos = Math.max(clock.nanoTime(), slot.leasedAtNanos);
        }
        slot.returnsSlowly = slot.holdsPermit | slot.acquiredAt != null
                | slot.leasedAtNanos - slot.lastSampledLeaseNanos >= LEASE_SAMPLE_SPACING_NANOS;
        // The publication point: after it, isActive() and connection() see this lease.
        long stamp = slot.beginLease();
        // The peak: counted (a walk of the connections) on every shared-path lease, on one in PEAK_SAMPLE_EVERY
        // affine ones per connection (which would otherwise each pay a walk), and by each maintenance pass.
        if (!affine) {
            metrics.sharedLeaseBegun();
            metrics.waitTime.record(systemNanos(slot.leasedAtNanos) - slot.waitStartNanos);
            samplePeakActive();
        } else if ((stamp & (PEAK_SAMPLE_EVERY - 1)) == 0) {
            samplePeakActive();
        }
        return slot;
    }

    /**
     * @param nowNanos a System.nanoTime reading
     * @return true while the affine path may be taken: open, LIFO, and any waiters still being served: in the idle
     *         store one at least every {@link CapacityGate#BARGE_WINDOW_NANOS}, at the gate every
     *         {@link CapacityGate#AFFINE_STALL_NANOS} (see there why longer). Affinity may
     *         go ahead of waiters only while they move, as barging at the gate may: shutting it whenever anyone
     *         waited sent every caller of a busy pool through the queue behind them, a park and a wake-up each
     *         (100 tasks on 10 connections: p99 wait 10 ms, against 3-5 µs with it open while the queue moves).
     */
    boolean affinityOpen(long nowNanos) {
        if (closed || !limits.affinity()) {
            return false;
        }
        return !gate.queueStalled(nowNanos) && !idle.waitersStalled(nowNanos, CapacityGate.BARGE_WINDOW_NANOS);
    }

    /**
     * Whether the fast path must go to checkout to look for stalled waiters: once {@link #STALL_LOOK_SPACING_NANOS}
     * have passed since the connection's last look (and on the leases checkout gets anyway, such as the peak
     * samples), for it must not read the clock on every lease (over half its cost). With N connections cycling,
     * some connection looks about every spacing / N, and a look that finds the waiters stalled gives that
     * connection up to them (one per {@link #claimHandOff} window).
     *
     * @param now the pool clock as the fast path read it (the tick: up to a tick old)
     * @return true if checkout must decide
     */
    boolean waitersMayStall(Slot<C> slot, long now) {
        return now - slot.lastStallLookNanos >= STALL_LOOK_SPACING_NANOS;
    }

    /**
     * {@link #affinityOpen} now, reading the clock only if someone waits (with nobody waiting no window applies),
     * and shut for at most one caller per {@link CapacityGate#BARGE_WINDOW_NANOS} while the waiters stay stalled
     * ({@link #claimHandOff}).
     */
    private boolean affinityOpenNow() {
        if (closed || !limits.affinity()) {
            return false;
        }
        if (!gate.hasQueue() && !idle.hasWaiters()) {
            return true;
        }
        long now = System.nanoTime();
        return affinityOpen(now) || !claimHandOff(now);
    }

    /**
     * Whether this caller is the one to give its connection up to stalled waiters: at most one caller per
     * {@link CapacityGate#BARGE_WINDOW_NANOS}. The waiters look stalled until the one woken for a handed-off
     * connection gets a core and is served, on 2 busy cores often several milliseconds. When every caller that
     * looked meanwhile gave its connection up too, each stall parked most running callers at once and woke as
     * many waiters, and the cores idled while those waited to be scheduled. 100 threads on 10 connections with
     * ~1 µs of work (perf sched, 2 runs each): cores idle 0.8-1.2% of the time, and about 320 threads a second
     * ran under 50 µs before parking again; with one hand-off per window 0.25-0.37% and about 100; 4.08M
     * acquire+release/s where it was 4.00M (with the ticker loop of CheckoutClock; 4 alternating runs each;
     * stormpot 3.95M).
     */
    boolean claimHandOff(long nowNanos) {
        long last = lastHandOffNanos.get();
        return nowNanos - last >= CapacityGate.BARGE_WINDOW_NANOS && lastHandOffNanos.compareAndSet(last, nowNanos);
    }

    /**
     * With a permit held: an idle slot that passes its checks, or a new one; owned (CHECKING) on return, with
     * {@link Slot#leasedAtNanos} (pool clock) and {@link Slot#waitStartNanos} (System.nanoTime) filled in.
     */
    private Slot<C> obtainSlot(long waitStart, long timeoutNanos, Duration timeout, long failureMark) {
        long storeWaitSince = 0; // System.nanoTime; meaningful once waited
        boolean waited = false;
        for (;;) {
            if (closed) {
                throw closedException();
            }
            Slot<C> slot = idle.poll(config.idleOrder());
            if (slot != null) {
                long now = clock.nanoTime();
                noteTime(now);
                if (waitStart == 0) {
                    waitStart = systemNanos(now);
                }
                if (readyToLease(slot, now, now)) {
                    slot.waitStartNanos = waitStart;
                    servedAfterWaiting(waited);
                    return slot;
                }
                continue;
            }
            if (waitStart == 0) {
                waitStart = System.nanoTime();
            }
            boolean attempt = throttle.tryBeginAttempt();
            if (attempt && reserveCreation()) {
                Slot<C> created = createReserved();
                created.leasedAtNanos = created.createdNanos;
                created.waitStartNanos = waitStart;
                servedAfterWaiting(waited);
                return created;
            }
            if (attempt) {
                throttle.abandonAttempt();
            }
            // Nothing idle and either no room (every connection is leased, being checked, created or destroyed),
            // enough creations already under way, or the backend in back-off: wait for a returned connection,
            // a finished creation, freed room, close, or the end of the back-off.
            long sysNow = System.nanoTime();
            long deadline = waitStart + timeoutNanos;
            if (sysNow - deadline >= 0) {
                metrics.acquireTimeouts.increment();
                throw new AcquireTimeoutException(name, timeout, counts(), throttle.failureDuring(failureMark));
            }
            long backoff = throttle.nanosUntilNextAttempt();
            long until = backoff > 0 ? Math.min(deadline, sysNow + backoff) : deadline;
            try {
                if (!waited) {
                    storeWaitSince = sysNow;
                    waited = true;
                }
                idle.awaitChange(until, backoff > 0 ? NOTHING_ELSE : roomToCreate, storeWaitSince);
            } catch (InterruptedException e) {
                throw interrupted(e);
            }
        }
    }

    /** Puts an owned (CHECKING) slot back in the store, where waiters can get it; destroyed if the pool closed. */
    private void returnToStore(Slot<C> slot) {
        if (!idle.release(slot)) {
            destroy(slot, DestroyReason.CLOSED);
        }
    }

    /** A caller that had to wait in the idle store got a connection: the store's waiters are moving. */
    private void servedAfterWaiting(boolean waited) {
        if (waited) {
            idle.waiterServed();
        }
    }

    /** @return {@code poolClockNanos} as System.nanoTime: the same reading when the pool runs on the system clock */
    private long systemNanos(long poolClockNanos) {
        return clock == NanoClock.SYSTEM ? poolClockNanos : System.nanoTime();
    }

    /**
     * Checks an owned (CHECKING) idle slot taken for a lease now: if it passes, dates the lease; if not, it has
     * been destroyed.
     *
     * @param judgeAt   a time no earlier than now, that its idle age and lifetime are judged against
     * @param leaseFrom a time no later than now, that the lease is dated from
     * @return true if it may be handed out
     */
    private boolean readyToLease(Slot<C> slot, long judgeAt, long leaseFrom) {
        if (!readyForCheckout(slot, judgeAt)) {
            return false;
        }
        if (closed) { // close() drained the store before we could be stopped: do not hand out
            destroy(slot, DestroyReason.CLOSED);
            throw closedException();
        }
        // After a validation, its own reading (taken when it finished) is the later time.
        slot.leasedAtNanos = SlotCore.later(leaseFrom, slot.lastValidatedNanos); // as leaseQuickly dates it
        return true;
    }

    private boolean readyForCheckout(Slot<C> slot, long now) {
        DestroyReason retire = retirement(slot, now);
        if (retire != null) {
            destroy(slot, retire);
            return false;
        }
        if (limits.mustValidate(now, slot.lastCheckedNanos())) {
            return validate(slot);
        }
        return true;
    }

    /**
     * Ends a lease the common way, inlined into {@link PooledLease#close()}: a lease taken by affinity (no permit,
     * so the holder's affinity entry already names the slot), not due a lease-time sample, with nothing to decide
     * (see {@link #giveBack}): one CAS ends the lease and makes the slot IDLE. Closed by another thread than its
     * holder, it leaves that thread's affinity as it was (giveBack would point it at the slot: only a hint).
     *
     * <p>Its machine code must stay small: {@code close()} inlines it, and C2 inlines {@code close()} at a cold call
     * site (try-with-resources' exception path, compiled though never taken) only if {@code close()}, compiled on
     * its own, is at most 625 bytes ({@code -XX:InlineSmallCode} / 4). Where it is not inlined, the handle escapes
     * through that call and every lease allocates one ({@code AllocationTest} checks it). Hence the shape below.
     *
     * @return {@link #RETURN_DONE}, or what is left for {@link #giveBack}: {@link #RETURN_DECLINED}, having changed
     *         nothing, if that is not the case, or {@link #RETURN_TO_SETTLE}
     */
    int returnQuickly(Slot<C> slot, long stamp) {
        // The state first: the lease fields read next are this lease's only while it is still ours.
        long notOurs = slot.leaseMismatch(stamp);
        // The latest reading anyone in the pool took (checkout notes one at least every lease-time sample spacing):
        // idle ages come out too long, never too short. giveBack takes the lease's own date when that is later;
        // left out here for size.
        long now = recentNanos;
        CheckoutLimits l = limits;
        // Arithmetic and a boolean's bits, tested by two branches. Every comparison (a != b, x < y) is a branch, and
        // one the profile never saw go the other way compiles to an exit to the interpreter carrying the state it
        // needs, 30-60 bytes each: one per test made close() 1.2 KB. Sign bits set mean "decide in giveBack".
        // Not tested here, for size: waiters in the store (after the CAS, one is woken unless a wake-up is already
        // on its way; see IdleStore's class comment); a close (it drains the store first, which clears the
        // reference tested below; a return that passes before the drain leaves the slot IDLE in the ring, where the
        // drain takes and destroys it); a leak report (it sets returnsSlowly too, in Maintenance).
        long pastLimit = ~(now - slot.expiresAtNanos(l.lifetimeOrFarNanos())) // past its lifetime
                | ~(retireBelowSerial - slot.serial) // retired by the operator
                | l.maxSize() - allocated.get(); // above a lowered max size
        if (slot.returnsSlowly | l.validateOnReturn() | slot.queued ^ true
                || (notOurs | -notOurs | pastLimit) < 0) {
            return RETURN_DECLINED;
        }
        slot.lastUsedNanos = now;
        // After the CAS (a full fence), as in giveBack: the store dropped the slot's reference while it was out, or
        // a waiter in the store wants a wake-up; both rare, out of line. A failed CAS: ended by a drain deadline,
        // theirs. A close since the look above needs no test of its own: if its drain of the store came before
        // this CAS, the drain cleared the reference (and closed, set before the drain, is what settleReleased reads
        // to wake a close waiting for leases); if after, this lease had ended before the close counts leases.
        return slot.endLease(stamp, SlotState.IDLE) & (slot.queued ^ true | idle.wakeNeeded())
                ? RETURN_TO_SETTLE : RETURN_DONE;
    }

    /** {@link #returnQuickly}'s outcomes: ended, nothing more to do. */
    static final int RETURN_DONE = 0;
    /**
     * Ended without the lock, and the store's reference or a waiter's wake-up must be seen to: {@link #giveBack}
     * does that, given this.
     */
    static final int RETURN_TO_SETTLE = 1;
    /** Not ended: {@link #giveBack}, given this, ends it as a close. */
    static final int RETURN_DECLINED = 2;
    /** {@link #giveBack} ends the lease as broken (invalidate). */
    static final int INVALIDATE = 3;

    /**
     * After a lease ended straight to IDLE without the store's lock: the store's reference, a waiter to wake, and
     * the permit.
     */
    private void settleReleased(Slot<C> slot, boolean permit) {
        if (!idle.settleReleasedWithoutLock(slot)) {
            destroy(slot, DestroyReason.CLOSED);
        }
        if (idle.wakeNeeded()) {
            idle.wakeOneWaiter();
        }
        afterReturn(permit);
    }

    /**
     * Ends a lease (close or invalidate), or settles one {@link #returnQuickly} ended. Only the first call for a given
     * stamp does anything. One method on purpose, like {@link #checkout}: too large to inline (over
     * {@code -XX:FreqInlineSize}, 325 bytes of bytecode), so that {@link PooledLease#close()}, which makes this its
     * one out-of-line call whatever the quick return left, stays small enough to inline into its caller, which lets
     * the JIT drop the lease handle. With the settle as a call of its own, a profile that had seen both (the full
     * test suite's) compiled {@code close()} with the settle inlined, at 736 bytes to 4.4 KB, over C2's 625-byte
     * limit for a cold site, and the handle escaped.
     *
     * <p>Everything the return needs from the slot is read (and written) while the lease is still this caller's:
     * a slot that goes straight back to IDLE may be taken by another thread the moment after.
     *
     * @param how {@link #RETURN_DECLINED} (a close), {@link #INVALIDATE}, or {@link #RETURN_TO_SETTLE}
     */
    void giveBack(Slot<C> slot, long stamp, int how) {
        if (how == RETURN_TO_SETTLE) {
            settleReleased(slot, false); // ended by the quick return's CAS: its settle only
            return;
        }
        if (!slot.isLeasedBy(stamp)) {
            return; // a stale or repeated call
        }
        boolean broken = how == INVALIDATE;
        boolean permit = slot.holdsPermit;
        boolean sameThreadAffine = !permit && slot.holder == Thread.currentThread();
        boolean leakReported = slot.leakReported;
        boolean sampled = leakReported
                || slot.leasedAtNanos - slot.lastSampledLeaseNanos >= LEASE_SAMPLE_SPACING_NANOS;
        // The time it went idle. Read from the clock for sampled leases; otherwise the latest reading anyone in the
        // pool took, which is never later than now, so idle ages come out too long, never too short.
        long now = sampled ? clock.nanoTime() : SlotCore.later(slot.leasedAtNanos, recentNanos);
        // Decided before the lease ends, for both paths below: the pool closing or shrinking after this look is
        // still caught, by the closed store refusing the slot or by the next return.
        DestroyReason reason = broken ? DestroyReason.INVALIDATED
                : closed ? DestroyReason.CLOSED
                : retirement(slot, now);
        if (reason == null && allocated.get() > limits.maxSize()) {
            reason = DestroyReason.SHRUNK;
        }
        if (reason == null && !sampled && slot.acquiredAt == null && !limits.validateOnReturn()
                && idle.mayReleaseWithoutLock(slot)) {
            // Nothing to decide: one CAS ends the lease and makes the slot IDLE, where its store reference is.
            slot.lastUsedNanos = now;
            rememberAffinity(slot, sameThreadAffine);
            if (!slot.endLease(stamp, SlotState.IDLE)) {
                return; // ended meanwhile by someone else (a drain deadline): theirs to finish
            }
            settleReleased(slot, permit);
            return;
        }
        if (!slot.endLease(stamp, SlotState.CHECKING)) {
            return;
        }
        // From here the slot is ours (CHECKING): nobody else moves it.
        if (leakReported) {
            // WARN like the leak report it answers, so whoever saw one sees the other.
            LOG.warn("pool '{}': lease reported as a possible leak was returned after {} ms", name,
                    (now - slot.leasedAtNanos) / 1_000_000);
        }
        if (sampled) {
            // One sample stands for every lease of this connection since the last one: a busy connection is
            // sampled about once every LEASE_SAMPLE_SPACING (the histogram is shared: recording every lease would
            // make every return write to it), a quiet one on every lease.
            metrics.leaseTime.record(now - slot.leasedAtNanos, stamp - slot.lastSampledStamp);
            slot.lastSampledLeaseNanos = slot.leasedAtNanos;
            slot.lastSampledStamp = stamp;
        }
        if (slot.acquiredAt != null) {
            slot.acquiredAt = null;
        }
        if (broken) {
            metrics.leaseInvalidated();
        }
        try {
            // ---- back to the store, or destroyed ----
            if (reason != null) {
                destroy(slot, reason);
                return;
            }
            if (limits.validateOnReturn() && !validate(slot)) {
                return;
            }
            slot.lastUsedNanos = now;
            rememberAffinity(slot, sameThreadAffine);
            returnToStore(slot);
        } finally {
            afterReturn(permit);
        }
    }

    /**
     * This thread gave the slot back last: it is the one this thread tries first next time (already so if this
     * thread took it by affinity).
     */
    private void rememberAffinity(Slot<C> slot, boolean sameThreadAffine) {
        if (sameThreadAffine) {
            return; // taken back through this thread's entry: it named this slot
        }
        int i = affinityIndex(Thread.currentThread());
        if (affinity[i] != slot) {
            affinity[i] = slot;
        }
    }

    /** A power of two: 4 KB per pool, and room for that many threads in sequence before two share an entry. */
    static final int AFFINITY_ENTRIES = 1024;

    @SuppressWarnings("deprecation") // Thread.threadId() is Java 19+; getId() returns the same
    private static int affinityIndex(Thread t) {
        return (int) t.getId() & AFFINITY_ENTRIES - 1;
    }

    /**
     * Drops a destroyed slot's entries, so that the table does not keep its connection reachable. No entry names it
     * again: only a thread giving the slot back writes one, before the release that let it be destroyed (the one
     * exception, a close's drain deadline ending a lease as its holder gives it back, may leave an entry in a pool
     * that is closing). An entry another thread rewrites between the read and the clearing is lost: only a hint.
     */
    private void forgetAffinity(Slot<C> slot) {
        for (int i = 0; i < AFFINITY_ENTRIES; i++) {
            if (affinity[i] == slot) {
                affinity[i] = null;
            }
        }
    }

    /** After a returned slot is back in the store (or destroyed): its permit, if any, and a waiting drain. */
    private void afterReturn(boolean permit) {
        // Release after the slot is back in the store, so that whoever takes this permit finds it there.
        if (permit) {
            gate.release();
        }
        if (closed) {
            synchronized (drainMonitor) {
                drainMonitor.notifyAll();
            }
        }
    }

    /** Keeps {@link #recentNanos} within {@link #RECENT_RESOLUTION_NANOS} of the latest reading: rare writes. */
    void noteTime(long now) {
        if (now - recentNanos > RECENT_RESOLUTION_NANOS) {
            recentNanos = now;
        }
    }

    /** @return true if the slot must go at {@code now} (see {@link #retirement}); branch-free, for the fast paths */
    private boolean retiredAt(Slot<C> slot, long now) {
        return slot.serial <= retireBelowSerial | now - slot.expiresAtNanos(limits.lifetimeOrFarNanos()) >= 0;
    }

    /** @return why the slot must go (operator retirement or lifetime), or null if it may stay */
    DestroyReason retirement(Slot<C> slot, long now) {
        if (slot.serial <= retireBelowSerial) {
            return DestroyReason.OPERATOR;
        }
        if (now - slot.expiresAtNanos(limits.lifetimeOrFarNanos()) >= 0) {
            return DestroyReason.LIFETIME;
        }
        return null;
    }

    /** Validates an owned (CHECKING) slot; a failure destroys it. @return true if it passed */
    boolean validate(Slot<C> slot) {
        boolean ok;
        try {
            ok = factory.validate(slot.connection, config.validationTimeout());
        } catch (Exception e) {
            LOG.debug("pool '{}': validation threw", name, e);
            ok = false;
        }
        if (ok) {
            slot.lastValidatedNanos = clock.nanoTime();
            return true;
        }
        metrics.validationFailures.increment();
        destroy(slot, DestroyReason.VALIDATION_FAILED);
        return false;
    }

    /** Reserves room for one more connection, if fewer than maxSize exist. */
    private boolean reserveAllocation() {
        for (;;) {
            int n = allocated.get();
            if (n >= config.maxSize()) {
                return false;
            }
            if (allocated.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    private boolean mayCreate() {
        return allocated.get() < config.maxSize() && creating.get() < config.maxConcurrentCreations();
    }

    /**
     * Reserves a creation: one of the maxConcurrentCreations and room for one more connection. Released by
     * {@link #createReserved()} whatever its outcome.
     */
    boolean reserveCreation() {
        for (;;) {
            int n = creating.get();
            if (n >= config.maxConcurrentCreations()) {
                return false;
            }
            if (creating.compareAndSet(n, n + 1)) {
                break;
            }
        }
        if (reserveAllocation()) {
            return true;
        }
        creating.decrementAndGet();
        return false;
    }

    /** Creates a connection into a reservation of {@link #reserveCreation()}, then frees the creation for others. */
    Slot<C> createReserved() {
        try {
            return createSlot();
        } finally {
            creating.decrementAndGet();
            idle.signalChange();
        }
    }

    /**
     * Creates a connection into room already reserved and validates it once (a backend that accepts connections
     * but does not answer is caught here, not by the first caller); on failure the reservation is given back.
     */
    private Slot<C> createSlot() {
        long t0 = System.nanoTime();
        C connection = null;
        try {
            connection = factory.create();
            if (connection == null) {
                throw new IllegalStateException("ConnectionFactory.create() returned null");
            }
            validateNew(connection);
        } catch (Exception | Error e) {
            if (connection != null) {
                destroyUnpooled(connection);
            }
            allocated.decrementAndGet();
            idle.signalChange();
            throttle.failed(e);
            metrics.creationFailures.increment();
            LOG.warn("pool '{}': could not create a connection ({} failures in a row): {}", name,
                    throttle.consecutiveFailures(), e.toString());
            if (e instanceof Error err) {
                throw err;
            }
            throw new ConnectionCreationException(name, "could not create a connection: " + e, counts(), e);
        }
        throttle.succeeded();
        metrics.creationTime.record(System.nanoTime() - t0);
        metrics.created.increment();
        double jitter = ThreadLocalRandom.current().nextDouble(MAX_LIFETIME_JITTER);
        Slot<C> slot = new Slot<>(this, connection, serials.incrementAndGet(), clock.nanoTime(), jitter);
        // Add, then check closed; close() sets closed, then walks live. One of the two sees the slot.
        live.add(slot);
        if (closed) {
            destroy(slot, DestroyReason.CLOSED);
            throw closedException();
        }
        return slot;
    }

    private void validateNew(C connection) throws Exception {
        Duration timeout = config.validationTimeout();
        if (!factory.validate(connection, timeout)) {
            throw new IllegalStateException("a new connection failed its first validation (within " + timeout + ")");
        }
    }

    private void destroyUnpooled(C connection) {
        try {
            factory.destroy(connection);
        } catch (Exception e) {
            LOG.warn("pool '{}': destroying a connection that failed its first validation threw: {}", name,
                    e.toString());
        }
    }

    /** Destroys a slot once, whoever else tries; frees its room and wakes a waiter that may now create. */
    void destroy(Slot<C> slot, DestroyReason reason) {
        if (!slot.markDestroyed()) {
            return;
        }
        live.remove(slot);
        forgetAffinity(slot);
        leasesOfDestroyed.add(slot.leaseCount()); // after the removal: see leasesBegun()
        try {
            factory.destroy(slot.connection);
        } catch (Exception e) {
            LOG.warn("pool '{}': destroying a connection ({}) threw: {}", name, reason.description, e.toString());
        }
        metrics.destroyed.increment();
        switch (reason) {
            case IDLE_TIMEOUT -> metrics.evictedIdle.increment();
            case LIFETIME -> metrics.retiredLifetime.increment();
            case OPERATOR -> metrics.evictedByOperator.increment();
            default -> { }
        }
        LOG.debug("pool '{}': destroyed a connection: {}", name, reason.description);
        // Decrement after the factory has closed it: the count never shows room while the old one still exists.
        allocated.decrementAndGet();
        idle.forget(slot);
    }

    @Override
    public PoolStats stats() {
        return metrics.snapshot(counts());
    }

    @Override
    public PoolCounts counts() {
        int total = allocated.get();
        return new PoolCounts(total, activeLeases(total), idle.size(), gate.waiting(), config.maxSize());
    }

    /**
     * Leases active now, but never more than the connections counted: a connection created after the count was read
     * may already be leased when the walk meets it.
     */
    private int activeLeases() {
        return activeLeases(allocated.get());
    }

    /** {@link #activeLeases()} against a count of connections the caller has already read. */
    private int activeLeases(int connections) {
        return Math.min(leasedNow(), connections);
    }

    /** Counts the active leases into the peak, unless it has reached the number of connections (it cannot pass it). */
    void samplePeakActive() {
        if (metrics.maxActiveEver() < allocated.get()) {
            metrics.activeNow(activeLeases());
        }
    }

    private long leasesBegun() {
        // The destroyed first, then the live: destroy() removes a slot from the live set before it adds its count
        // here, so a slot counted here was gone from the set before the walk began, and none is counted twice.
        long n = leasesOfDestroyed.sum();
        for (Slot<C> s : live.snapshot()) {
            n += s.leaseCount();
        }
        return n;
    }

    private int leasedNow() {
        int n = 0;
        for (Slot<C> s : live.snapshot()) {
            if (s.state() == SlotState.LEASED) {
                n++;
            }
        }
        return n;
    }

    @Override
    public PoolConfig config() {
        return config;
    }

    @Override
    public void reconfigure(PoolConfig newConfig) {
        if (newConfig == null) {
            throw new IllegalArgumentException("new config must not be null");
        }
        update(current -> newConfig);
    }

    /**
     * Derives the next config from the current one and applies it, as one step under the reconfigure lock (so two
     * operators editing different settings at once both take effect). {@code change} may throw to refuse.
     */
    void update(UnaryOperator<PoolConfig> change) {
        synchronized (reconfigureLock) {
            PoolConfig old = config;
            PoolConfig next = change.apply(old);
            if (!old.name().equals(next.name())) {
                throw new IllegalArgumentException("name cannot be changed at runtime: it is '" + old.name()
                        + "', but the new config has '" + next.name() + "'");
            }
            if (!old.maintenanceInterval().equals(next.maintenanceInterval())) {
                throw new IllegalArgumentException("maintenanceInterval cannot be changed at runtime: it is "
                        + old.maintenanceInterval() + ", but the new config has " + next.maintenanceInterval());
            }
            if (!old.clockTick().equals(next.clockTick())) {
                throw new IllegalArgumentException("clockTick cannot be changed at runtime: it is "
                        + old.clockTick() + ", but the new config has " + next.clockTick());
            }
            if (closed) {
                throw closedException();
            }
            config = next;
            limits = CheckoutLimits.of(next);
            throttle.configure(next.creationBackoffInitial(), next.creationBackoffMax());
            gate.resize(old.maxSize(), next.maxSize());
            if (!old.equals(next)) {
                LOG.info("pool '{}': reconfigured to {}", name, next);
            }
        }
        // Growing: waiters blocked on "no room" may now create. Shrinking: idle excess goes now, leased on return.
        idle.signalChange();
        shrinkIdleToMax();
    }

    private void shrinkIdleToMax() {
        while (allocated.get() > config.maxSize()) {
            Slot<C> s = idle.poll(IdleOrder.FIFO);
            if (s == null) {
                return;
            }
            destroy(s, DestroyReason.SHRUNK);
        }
    }

    @Override
    public int evictIdle() {
        List<Slot<C>> all = idle.removeColdest(s -> true, 0);
        all.forEach(s -> destroy(s, DestroyReason.OPERATOR));
        LOG.info("pool '{}': operator evicted {} idle connections", name, all.size());
        return all.size();
    }

    @Override
    public int retireAll() {
        // Every slot made so far has a serial <= the current value; later ones are above it.
        retireBelowSerial = serials.get();
        int marked = live.size();
        List<Slot<C>> idleNow = idle.removeColdest(s -> true, 0);
        idleNow.forEach(s -> destroy(s, DestroyReason.OPERATOR));
        LOG.info("pool '{}': operator retired {} connections ({} idle destroyed now, the rest on return)", name,
                marked, idleNow.size());
        return marked;
    }

    @Override
    public void resetStatistics() {
        metrics.reset(activeLeases());
    }

    @Override
    public List<LeaseInfo> leases() {
        long now = clock.nanoTime();
        return Arrays.stream(live.snapshot())
                .filter(s -> s.state() == SlotState.LEASED)
                .sorted((a, b) -> Long.compare(a.leasedAtNanos, b.leasedAtNanos))
                .map(s -> s.describeLease(name, now))
                .toList();
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        closed = true;
        Maintenance<C> m = maintenance;
        if (m != null) {
            m.stop();
        }
        checkoutClock.close();
        // Waiters in the gate wake, find the pool closed, and give their permit back; waiters on the idle store
        // wake because it closes.
        gate.openFloodgates();
        List<Slot<C>> idleNow = idle.closeAndDrain();
        idleNow.forEach(s -> destroy(s, DestroyReason.CLOSED));
        for (Runnable hook : closeHooks) {
            try {
                hook.run();
            } catch (RuntimeException e) {
                LOG.warn("pool '{}': a close hook failed", name, e);
            }
        }
        LOG.info("pool '{}': closed; {} idle connections destroyed, {} leased will be destroyed on return", name,
                idleNow.size(), activeLeases());
    }

    @Override
    public boolean close(Duration drainTimeout) {
        if (drainTimeout == null || drainTimeout.isNegative()) {
            throw new IllegalArgumentException("drain timeout must be zero or positive, but was " + drainTimeout);
        }
        close();
        long deadline = System.nanoTime() + saturatedNanos(drainTimeout);
        boolean interrupted = false;
        synchronized (drainMonitor) {
            long left;
            while (leasedNow() > 0 && (left = deadline - System.nanoTime()) > 0) {
                try {
                    drainMonitor.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    interrupted = true;
                    break;
                }
            }
        }
        boolean drained = leasedNow() == 0;
        if (!drained) {
            for (Slot<C> s : live.snapshot()) {
                endLeaseAtDeadline(s);
            }
            LOG.warn("pool '{}': drain deadline passed; destroyed connections still leased", name);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return drained;
    }

    /**
     * Ends a lease still out at the drain deadline, as its holder's close would, and destroys its connection; the
     * holder's later close finds the lease ended and does nothing. State and stamp are one word, so one read gives
     * the lease in progress, and only whoever wins that stamp may move the slot on.
     */
    private void endLeaseAtDeadline(Slot<C> s) {
        for (long stamp; (stamp = s.activeStamp()) != 0; ) {
            if (s.endLease(stamp, SlotState.CHECKING)) {
                boolean permit = s.holdsPermit;
                metrics.leaseInvalidated();
                destroy(s, DestroyReason.CLOSED);
                if (permit) {
                    gate.release();
                }
                return;
            }
            // Its holder returned it meanwhile (or returned it and took it again): look again.
        }
    }

    // ---- for Maintenance, the MXBean and tests ----

    CapacityGate gate() {
        return gate;
    }

    IdleStore<C> idleStore() {
        return idle;
    }

    Slot<C>[] liveSlots() {
        return live.snapshot();
    }

    /** @return a copy of the affinity entries, for tests */
    Slot<C>[] affinityEntries() {
        return affinity.clone();
    }

    PoolMetrics metrics() {
        return metrics;
    }

    NanoClock clock() {
        return clock;
    }

    CreationThrottle throttle() {
        return throttle;
    }

    /** Runs one maintenance pass now, on the calling thread (tests drive time with an injected clock). */
    public void runMaintenance() {
        Maintenance<C> m = maintenance;
        if (m != null) {
            m.runOnce();
        }
    }

    private PoolClosedException closedException() {
        return new PoolClosedException(name, counts());
    }

    private AcquireInterruptedException interrupted(InterruptedException e) {
        Thread.currentThread().interrupt();
        return new AcquireInterruptedException(name, counts(), e);
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 4;
        }
    }

    @Override
    public String toString() {
        return "LifeguardPool{" + name + ", " + counts() + '}';
    }
}
