package dev.lifeguard.impl;

/**
 * A pooled connection's slot ({@link SlotCore} has its fields and code) with 64 bytes laid out after those fields
 * (the JVM places a subclass's fields after its superclass's), as {@link SlotPadding} lays out 64 before them:
 * whatever object the JVM puts next to a slot, its header included, never shares a cache line with the fields the
 * slot's holder writes on every lease.
 */
@SuppressWarnings("unused")
final class Slot<C> extends SlotCore<C> {
    private long q1;
    private long q2;
    private long q3;
    private long q4;
    private long q5;
    private long q6;
    private long q7;
    private long q8;

    Slot(LifeguardPool<C> pool, C connection, long serial, long createdNanos, double lifetimeJitter) {
        super(pool, connection, serial, createdNanos, lifetimeJitter);
    }
}
