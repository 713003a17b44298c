package dev.lifeguard;

/** Which idle connection a checkout reuses first. */
public enum IdleOrder {
    /**
     * Most recently returned first. Keeps a small set of hot connections busy and lets the rest grow idle
     * long enough to be evicted, so the pool shrinks back after a burst. The default.
     */
    LIFO,
    /**
     * Least recently returned first. Spreads use over every idle connection, so each one is exercised
     * (useful when a firewall drops connections that stay quiet).
     */
    FIFO
}
