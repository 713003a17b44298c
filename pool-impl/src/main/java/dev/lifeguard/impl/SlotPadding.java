package dev.lifeguard.impl;

/**
 * 64 bytes laid out before a slot's own fields (the JVM places a superclass's fields first), so that a slot's fields
 * never share a cache line with the object allocated before it; {@link Slot} adds the same after them. Each slot's
 * fields are written by whichever thread holds it, on every lease. The int fills the 4 bytes between the object
 * header and the first long: left open, the JVM put the slot's booleans there (one of them written on every
 * checkout), next to the tail of the previous object, often another slot. Measured with 2 threads cycling their
 * own connections, 8-10 JVMs each: without any padding one JVM in six ran at 22M acquire+release/s, the others at
 * 36-37M (before the clock tick); with the leading longs alone, one JVM in three to eight ran at 20-27M where the
 * others ran at 55-70M; with the gap filled and padding on both sides, none did.
 */
@SuppressWarnings("unused")
abstract class SlotPadding {
    private int p0;
    private long p1;
    private long p2;
    private long p3;
    private long p4;
    private long p5;
    private long p6;
    private long p7;
    private long p8;
}
