package dev.lifeguard.impl;

import dev.lifeguard.ConnectionFactory;
import dev.lifeguard.PoolConfig;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/** Makes a pool and starts its maintenance, on a supplied executor or on a daemon thread of its own. */
public final class PoolStarter {

    private PoolStarter() {
    }

    /**
     * @param maintenance where maintenance runs, or null for a daemon thread named after the pool
     * @param clock       the clock for ages and deadlines of connections
     */
    public static <C> LifeguardPool<C> start(PoolConfig config, ConnectionFactory<C> factory,
                                             ScheduledExecutorService maintenance, NanoClock clock) {
        // A custom clock is read on every checkout: a test that moves it expects the very next checkout to see it.
        boolean tick = config != null && clock == NanoClock.SYSTEM && !config.clockTick().isZero();
        CheckoutClock checkoutClock = tick
                ? CheckoutClock.ticking(clock, config.clockTick(), "lifeguard-clock-" + config.name())
                : CheckoutClock.precise(clock);
        LifeguardPool<C> pool;
        try {
            pool = new LifeguardPool<>(config, factory, clock, checkoutClock);
        } catch (RuntimeException e) {
            checkoutClock.close(); // its thread would otherwise tick for a pool that never was
            throw e;
        }
        try {
            boolean owned = maintenance == null;
            ScheduledExecutorService executor = owned
                    ? daemonThread("lifeguard-maintenance-" + config.name()) : maintenance;
            Maintenance<C> m = new Maintenance<>(pool, executor, owned);
            pool.attach(m);
            m.start(config.maintenanceInterval());
        } catch (RuntimeException e) {
            pool.close(); // e.g. a supplied executor that is shut down: leave no pool or thread behind
            throw e;
        }
        return pool;
    }

    /** Makes a pool whose maintenance runs only when {@link LifeguardPool#runMaintenance()} is called. */
    public static <C> LifeguardPool<C> manual(PoolConfig config, ConnectionFactory<C> factory, NanoClock clock) {
        LifeguardPool<C> pool = new LifeguardPool<>(config, factory, clock);
        pool.attach(new Maintenance<>(pool, null, false));
        return pool;
    }

    /** A scheduler on one daemon thread of the given name, for the pool's maintenance. */
    private static ScheduledExecutorService daemonThread(String threadName) {
        ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        e.setRemoveOnCancelPolicy(true);
        return e;
    }
}
