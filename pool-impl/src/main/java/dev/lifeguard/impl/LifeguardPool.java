package dev.lifeguard.impl;

import dev.lifeguard.AcquireInterruptedException;
import dev.lifeguard.AcquireTimeoutException;
import dev.lifeguard.ConnectionCreationException;
import dev.lifeguard.ConnectionFactory;
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
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * The engine.
 *
 * <p>Design: a {@link CapacityGate} hands out one permit per lease (at most maxSize; waiters in arrival order,
 * newcomers ahead of them only while the queue moves; nothing held after a timeout or interrupt). A permit holder then takes an idle slot from the {@link IdleStore}
 * or, if fewer than maxSize connections exist ({@link #allocated}), reserves room and creates one. Every factory
 * call happens on the caller's (or the maintenance) thread with no lock held. Each slot is owned by exactly one
 * party at a time (see {@link SlotState}); destruction is a CAS, so it happens once.
 *
 * <p>Invariants: {@code allocated <= maxSize} (reserved before create, released after destroy);
 * {@code leased <= permits handed out <= maxSize}; every permit taken is released exactly once, by the lease's end
 * or by the failed acquire that took it.
 */
public final class LifeguardPool<C> implements Pool<C> {
    private static final Logger LOG = LoggerFactory.getLogger(LifeguardPool.class);
    private static final double MAX_LIFETIME_JITTER = 0.025;

    private final String name;
    private final ConnectionFactory<C> factory;
    private final NanoClock clock;
    private final CapacityGate gate;
    private final IdleStore<C> idle;
    /** Connections that exist or are being created. */
    private final AtomicInteger allocated = new AtomicInteger();
    /** Connections being created now (bounded by maxConcurrentCreations). */
    private final AtomicInteger creating = new AtomicInteger();
    private final AtomicInteger leased = new AtomicInteger();
    private final Set<Slot<C>> live = ConcurrentHashMap.newKeySet();
    private final AtomicLong serials = new AtomicLong();
    private final CreationThrottle throttle;
    private final PoolMetrics metrics;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final Object reconfigureLock = new Object();
    private final Object drainMonitor = new Object();
    private final List<Runnable> closeHooks = new CopyOnWriteArrayList<>();

    private volatile PoolConfig config;
    private volatile boolean closed;
    /** Slots with a serial below this were alive at the last {@link #retireAll()}. */
    private volatile long retireBelowSerial;
    private volatile Maintenance<C> maintenance;

    LifeguardPool(PoolConfig config, ConnectionFactory<C> factory, NanoClock clock) {
        if (config == null || factory == null || clock == null) {
            throw new IllegalArgumentException("config, factory and clock must not be null, but were " + config
                    + ", " + factory + ", " + clock);
        }
        this.config = config;
        this.name = config.name();
        this.factory = factory;
        this.clock = clock;
        this.gate = new CapacityGate(config.maxSize());
        this.idle = new IdleStore<>(config.maxSize());
        this.throttle = new CreationThrottle(config.creationBackoffInitial(), config.creationBackoffMax(), clock);
        this.metrics = new PoolMetrics(config.maintenanceInterval().multipliedBy(6), clock);
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
        return acquire(config.acquireTimeout());
    }

    @Override
    public Lease<C> acquire(Duration timeout) {
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("acquire timeout must be zero or positive, but was " + timeout);
        }
        if (closed) {
            throw closedException();
        }
        long timeoutNanos = saturatedNanos(timeout);
        // When this call started to wait (System.nanoTime), or 0 while it has not had to. A permit free at once
        // is the common case, and it needs no deadline, so the clock is not read for it.
        long waitStart = 0;
        try {
            if (!gate.tryAcquire(0)) {
                waitStart = System.nanoTime();
                if (!gate.tryAcquire(timeoutNanos)) {
                    metrics.acquireTimeouts.increment();
                    throw new AcquireTimeoutException(name, timeout, counts(), throttle.lastFailure());
                }
            }
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
        // From here the caller holds a permit: every exit but a successful return gives it back.
        boolean handedOut = false;
        try {
            Slot<C> slot = obtainSlot(waitStart, timeoutNanos, timeout);
            Lease<C> lease = beginLease(slot);
            handedOut = true;
            return lease;
        } finally {
            if (!handedOut) {
                gate.release();
            }
        }
    }

    /**
     * With a permit held: an idle slot that passes its checks, or a new one; owned (CHECKING) on return, with
     * {@link Slot#leasedAtNanos} (pool clock) and {@link Slot#waitStartNanos} (System.nanoTime) filled in.
     */
    private Slot<C> obtainSlot(long waitStart, long timeoutNanos, Duration timeout) {
        for (;;) {
            if (closed) {
                throw closedException();
            }
            Slot<C> slot = idle.poll(config.idleOrder());
            if (slot != null) {
                long now = clock.nanoTime();
                if (waitStart == 0) {
                    waitStart = systemNanos(now);
                }
                if (readyForCheckout(slot, now)) {
                    if (closed) { // close() drained the store before we could be stopped: do not hand out
                        destroy(slot, DestroyReason.CLOSED);
                        throw closedException();
                    }
                    // After a validation, its own reading (taken when it finished) is the later time.
                    slot.leasedAtNanos = Math.max(now, slot.lastValidatedNanos);
                    slot.waitStartNanos = waitStart;
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
                throw new AcquireTimeoutException(name, timeout, counts(), throttle.lastFailure());
            }
            long backoff = throttle.nanosUntilNextAttempt();
            long until = backoff > 0 ? Math.min(deadline, sysNow + backoff) : deadline;
            try {
                idle.awaitChange(until, backoff > 0 ? () -> false : this::mayCreate);
            } catch (InterruptedException e) {
                throw interrupted(e);
            }
        }
    }

    /** @return {@code poolClockNanos} as System.nanoTime: the same reading when the pool runs on the system clock */
    private long systemNanos(long poolClockNanos) {
        return clock == NanoClock.SYSTEM ? poolClockNanos : System.nanoTime();
    }

    private boolean readyForCheckout(Slot<C> slot, long now) {
        DestroyReason retire = retirement(slot, now);
        if (retire != null) {
            destroy(slot, retire);
            return false;
        }
        Duration threshold = config.validationThreshold();
        if (threshold.isZero() || now - slot.lastCheckedNanos() > threshold.toNanos()) {
            return validate(slot);
        }
        return true;
    }

    private Lease<C> beginLease(Slot<C> slot) {
        slot.holder = Thread.currentThread();
        slot.acquiredAt = config.leakDetectionThreshold().isZero() ? null : new Throwable("acquired here");
        slot.leakReported = false;
        long stamp = slot.beginLease();
        // The state change is the publication point: after it, isActive() and connection() see this lease.
        slot.transition(SlotState.CHECKING, SlotState.LEASED);
        metrics.activeNow(leased.incrementAndGet());
        metrics.acquired.increment();
        metrics.waitTime.record(systemNanos(slot.leasedAtNanos) - slot.waitStartNanos);
        return new PooledLease<>(this, slot, stamp);
    }

    /** Ends a lease (close or invalidate). Only the first call for a given stamp does anything. */
    void giveBack(Slot<C> slot, long stamp, boolean broken) {
        if (!slot.endLease(stamp)) {
            return;
        }
        long now = clock.nanoTime();
        if (slot.leakReported) {
            // WARN like the leak report it answers, so whoever saw one sees the other.
            LOG.warn("pool '{}': lease reported as a possible leak was returned after {} ms", name,
                    (now - slot.leasedAtNanos) / 1_000_000);
        }
        slot.holder = null;
        slot.acquiredAt = null;
        metrics.leaseTime.record(now - slot.leasedAtNanos);
        (broken ? metrics.invalidated : metrics.returned).increment();
        leased.decrementAndGet();
        try {
            // Fails only if a drain deadline force-destroyed the connection while it was leased.
            if (slot.transition(SlotState.LEASED, SlotState.CHECKING)) {
                recycle(slot, broken, now);
            }
        } finally {
            // Release after the slot is back in the store, so that whoever takes this permit finds it there.
            gate.release();
            if (closed) {
                synchronized (drainMonitor) {
                    drainMonitor.notifyAll();
                }
            }
        }
    }

    private void recycle(Slot<C> slot, boolean broken, long now) {
        DestroyReason reason = broken ? DestroyReason.INVALIDATED
                : closed ? DestroyReason.CLOSED
                : retirement(slot, now);
        if (reason == null && allocated.get() > config.maxSize()) {
            reason = DestroyReason.SHRUNK;
        }
        if (reason != null) {
            destroy(slot, reason);
            return;
        }
        if (config.validateOnReturn() && !validate(slot)) {
            return;
        }
        slot.lastUsedNanos = now;
        if (!idle.pushHot(slot)) {
            destroy(slot, DestroyReason.CLOSED);
        }
    }

    /** @return why the slot must go (operator retirement or lifetime), or null if it may stay */
    DestroyReason retirement(Slot<C> slot, long now) {
        if (slot.serial <= retireBelowSerial) {
            return DestroyReason.OPERATOR;
        }
        if (now - slot.expiresAtNanos(config.maxLifetime().toNanos()) >= 0) {
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
        Slot<C> slot = new Slot<>(connection, serials.incrementAndGet(), clock.nanoTime(), jitter);
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
        idle.signalChange();
    }

    @Override
    public PoolStats stats() {
        return metrics.snapshot(counts());
    }

    @Override
    public PoolCounts counts() {
        return new PoolCounts(allocated.get(), leased.get(), idle.size(), gate.waiting(), config.maxSize());
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
            if (closed) {
                throw closedException();
            }
            config = next;
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
            Slot<C> s = idle.poll(dev.lifeguard.IdleOrder.FIFO);
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
        metrics.reset(leased.get());
    }

    @Override
    public List<LeaseInfo> leases() {
        long now = clock.nanoTime();
        return live.stream()
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
                idleNow.size(), leased.get());
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
            while (leased.get() > 0 && (left = deadline - System.nanoTime()) > 0) {
                try {
                    drainMonitor.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    interrupted = true;
                    break;
                }
            }
        }
        boolean drained = leased.get() == 0;
        if (!drained) {
            for (Slot<C> s : live) {
                if (s.state() == SlotState.LEASED) {
                    destroy(s, DestroyReason.CLOSED);
                }
            }
            LOG.warn("pool '{}': drain deadline passed; destroyed connections still leased", name);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return drained;
    }

    // ---- for Maintenance, the MXBean and tests ----

    IdleStore<C> idleStore() {
        return idle;
    }

    Set<Slot<C>> liveSlots() {
        return live;
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
