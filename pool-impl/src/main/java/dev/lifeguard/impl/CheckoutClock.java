package dev.lifeguard.impl;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * The time an affine checkout (a thread taking back its own last connection) goes by. Reading the system clock
 * costs about 30 ns here, over half of an uncontended acquire and release, so with a tick a thread of the pool's
 * own reads it once per tick and those checkouts read a field instead.
 *
 * <p>A checkout gets two bounds. {@link #now()} is never later than the true time: a connection is dated with it
 * (leased at, hence last used at), so its idle age comes out too long, never too short. {@link #now()} plus
 * {@link #slackNanos()} is never earlier than the true time while the ticker runs at most one tick late: idle
 * ages and lifetimes are judged against it, so a connection is validated or retired early, never late. Without a
 * ticker both bounds are the same clock reading.
 */
final class CheckoutClock {
    private final NanoClock clock;
    /** Zero without a ticker; two ticks with one, so that a tick up to one period late still bounds the time. */
    private final long slackNanos;
    /** The ticker's latest reading; written only by the ticker, so it never goes back. */
    private volatile long lastTick;
    /** The ticker thread, or null (no ticker, or a manual one). */
    private volatile Thread ticker;
    private volatile boolean closed;

    private CheckoutClock(NanoClock clock, long slackNanos) {
        this.clock = clock;
        this.slackNanos = slackNanos;
        this.lastTick = slackNanos == 0 ? 0 : clock.nanoTime(); // unread without a tick (clock may be null there)
    }

    /** Every checkout reads the clock. */
    static CheckoutClock precise(NanoClock clock) {
        return new CheckoutClock(clock, 0);
    }

    /**
     * Starts a daemon thread of the clock's own, named {@code threadName}, that reads it every {@code tick} until
     * {@link #close()}.
     *
     * <p>A plain loop rather than a scheduled executor: with work at 100 threads on 2 cores, the executor's tick
     * (its delay queue, lock and condition, run in the interpreter: at 100 ticks a second it takes minutes to be
     * compiled) held a core for 70-110 µs per tick, about 0.5% of the machine, taken from the callers it preempted.
     */
    static CheckoutClock ticking(NanoClock clock, Duration tick, String threadName) {
        CheckoutClock c = new CheckoutClock(clock, 2 * tick.toNanos());
        long periodNanos = tick.toNanos();
        Thread t = new Thread(() -> c.tickUntilClosed(periodNanos), threadName);
        t.setDaemon(true);
        c.ticker = t;
        // Started once the fields are set: the loop reads clock and writes lastTick.
        t.start();
        return c;
    }

    /** Ticks only when {@link #tick()} is called: for tests. */
    static CheckoutClock manual(NanoClock clock, Duration tick) {
        return new CheckoutClock(clock, 2 * tick.toNanos());
    }

    /**
     * A tick may come late (a park oversleeps, the thread waits for a core); {@link #slackNanos()} allows for one
     * period of that. A park that returns early only ticks sooner. Only {@link #close()} ends it: an interrupt is
     * cleared, since a clock that stopped ticking would make checkouts judge ages by a stale time.
     */
    private void tickUntilClosed(long periodNanos) {
        while (!closed) {
            tick();
            LockSupport.parkNanos(this, periodNanos);
            Thread.interrupted();
        }
    }

    void tick() {
        lastTick = clock.nanoTime();
    }

    /** @return a pool-clock time no later than now: the latest tick, or a reading without a ticker */
    long now() {
        return slackNanos == 0 ? clock.nanoTime() : lastTick;
    }

    /** @return what {@link #now()} may lag behind the true time: zero without a ticker */
    long slackNanos() {
        return slackNanos;
    }

    boolean ticking() {
        return slackNanos != 0;
    }

    /** Ends the ticker thread, if any (it notices at once: it is unparked). */
    void close() {
        closed = true;
        Thread t = ticker;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }
}
