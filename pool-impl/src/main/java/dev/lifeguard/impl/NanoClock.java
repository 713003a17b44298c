package dev.lifeguard.impl;

/**
 * The pool's source of time for ages and deadlines of connections (idle time, lifetime, keepalive, leaks).
 * Injected so that tests can move time by hand; waits for capacity always use real time.
 */
@FunctionalInterface
public interface NanoClock {

    /** The system's monotonic clock. */
    NanoClock SYSTEM = System::nanoTime;

    /** @return a monotonic reading in nanoseconds, as {@link System#nanoTime()} */
    long nanoTime();
}
