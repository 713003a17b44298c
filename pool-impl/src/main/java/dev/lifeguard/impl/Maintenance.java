package dev.lifeguard.impl;

import dev.lifeguard.ConnectionCreationException;
import dev.lifeguard.PoolClosedException;
import dev.lifeguard.PoolConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The reaper: one pass every {@link PoolConfig#maintenanceInterval()} retires connections past their max
 * lifetime or marked by {@code retireAll}, evicts idle ones past the idle timeout (keeping minIdle), validates
 * idle ones due a keepalive, tops the pool up to minIdle, reports leases held past the leak threshold, and rolls
 * the latency windows. Slots are taken out of the idle store under its lock, then checked and destroyed with no
 * lock held.
 */
final class Maintenance<C> {
    private static final Logger LOG = LoggerFactory.getLogger(Maintenance.class);

    private final LifeguardPool<C> pool;
    private final ScheduledExecutorService executor;
    private final boolean ownsExecutor;
    private volatile ScheduledFuture<?> task;

    Maintenance(LifeguardPool<C> pool, ScheduledExecutorService executor, boolean ownsExecutor) {
        this.pool = pool;
        this.executor = executor;
        this.ownsExecutor = ownsExecutor;
    }

    void start(Duration interval) {
        long nanos = interval.toNanos();
        task = executor.scheduleWithFixedDelay(this::runSafely, 0, nanos, TimeUnit.NANOSECONDS);
    }

    void stop() {
        ScheduledFuture<?> t = task;
        if (t != null) {
            t.cancel(false);
        }
        if (ownsExecutor) {
            executor.shutdownNow();
        }
    }

    private void runSafely() {
        try {
            runOnce();
        } catch (RuntimeException | Error e) {
            // Never let an exception cancel the schedule: the next pass tries again.
            LOG.error("pool '{}': maintenance pass failed", pool.name(), e);
        }
    }

    void runOnce() {
        if (pool.isClosed()) {
            return;
        }
        PoolConfig cfg = pool.config();
        NanoClock clock = pool.clock();
        long now = clock.nanoTime();
        pool.noteTime(now); // bounds how stale a return's date can be in a quiet pool: one interval
        IdleStore<C> idle = pool.idleStore();

        List<Slot<C>> retired = idle.removeColdest(s -> pool.retirement(s, now) != null, 0);
        retired.forEach(s -> pool.destroy(s, pool.retirement(s, now)));

        if (!cfg.idleTimeout().isZero()) {
            long limit = cfg.idleTimeout().toNanos();
            List<Slot<C>> stale = idle.removeColdest(s -> now - s.lastUsedNanos > limit, cfg.minIdle());
            stale.forEach(s -> pool.destroy(s, DestroyReason.IDLE_TIMEOUT));
        }

        if (!cfg.keepaliveInterval().isZero()) {
            long every = cfg.keepaliveInterval().toNanos();
            List<Slot<C>> due = idle.removeColdest(s -> now - s.lastCheckedNanos() >= every, 0);
            for (Slot<C> s : due) {
                if (pool.validate(s) && !idle.pushCold(s)) {
                    pool.destroy(s, DestroyReason.CLOSED);
                }
            }
        }

        topUp(cfg);
        reportLeaks(cfg, clock.nanoTime());
        pool.samplePeakActive();
        pool.metrics().roll();
    }

    private void topUp(PoolConfig cfg) {
        while (!pool.isClosed() && pool.idleStore().size() < cfg.minIdle()) {
            if (!pool.throttle().tryBeginAttempt()) {
                return;
            }
            if (!pool.reserveCreation()) {
                pool.throttle().abandonAttempt();
                return;
            }
            Slot<C> s;
            try {
                s = pool.createReserved();
            } catch (ConnectionCreationException | PoolClosedException e) {
                return; // logged by createSlot; the throttle decides when to try again
            }
            s.lastUsedNanos = pool.clock().nanoTime();
            if (!pool.idleStore().pushHot(s)) {
                pool.destroy(s, DestroyReason.CLOSED);
            }
        }
    }

    private void reportLeaks(PoolConfig cfg, long now) {
        if (cfg.leakDetectionThreshold().isZero()) {
            return;
        }
        long limit = cfg.leakDetectionThreshold().toNanos();
        for (Slot<C> s : pool.liveSlots()) {
            if (s.state() != SlotState.LEASED || s.leakReported || now - s.leasedAtNanos <= limit) {
                continue;
            }
            Throwable at = s.acquiredAt;
            Thread holder = s.holder;
            if (s.state() != SlotState.LEASED) {
                continue; // returned while we looked
            }
            s.returnsSlowly = true; // its return goes to giveBack, which logs it; published by the next write
            s.leakReported = true;
            pool.metrics().leaksDetected.increment();
            LOG.warn("pool '{}': possible connection leak: a lease held by thread '{}' for {} ms (threshold {} ms)"
                            + " has not been returned; it was acquired at:", pool.name(),
                    holder == null ? "?" : holder.getName(), (now - s.leasedAtNanos) / 1_000_000,
                    cfg.leakDetectionThreshold().toMillis(), at);
        }
    }
}
