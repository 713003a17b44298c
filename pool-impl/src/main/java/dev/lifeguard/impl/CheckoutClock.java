package dev.lifeguard.impl;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

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
    private final ScheduledExecutorService ticker;
    /** The ticker's latest reading; written only by the ticker, so it never goes back. */
    private volatile long lastTick;

    private CheckoutClock(NanoClock clock, long slackNanos, ScheduledExecutorService ticker) {
        this.clock = clock;
        this.slackNanos = slackNanos;
        this.ticker = ticker;
        this.lastTick = slackNanos == 0 ? 0 : clock.nanoTime(); // unread without a tick (clock may be null there)
    }

    /** Every checkout reads the clock. */
    static CheckoutClock precise(NanoClock clock) {
        return new CheckoutClock(clock, 0, null);
    }

    /**
     * @param executor a thread of the clock's own, that reads it every {@code tick}; {@link #close()} shuts it down
     */
    static CheckoutClock ticking(NanoClock clock, Duration tick, ScheduledExecutorService executor) {
        CheckoutClock c = new CheckoutClock(clock, 2 * tick.toNanos(), executor);
        // Started once the fields are set: the task reads clock and writes lastTick.
        executor.scheduleAtFixedRate(c::tick, tick.toNanos(), tick.toNanos(), TimeUnit.NANOSECONDS);
        return c;
    }

    /** Ticks only when {@link #tick()} is called: for tests. */
    static CheckoutClock manual(NanoClock clock, Duration tick) {
        return new CheckoutClock(clock, 2 * tick.toNanos(), null);
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

    void close() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
    }
}
