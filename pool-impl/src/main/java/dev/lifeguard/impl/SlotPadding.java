package dev.lifeguard.impl;

/**
 * 64 bytes laid out before a {@link Slot}'s own fields (the JVM places a superclass's fields first), so that two slots
 * allocated one after the other never share a cache line: each slot's fields are written by whichever thread holds
 * it, and without this, two threads each cycling their own connection slowed each other down whenever their slots
 * happened to be neighbours (2 threads, 6 JVMs each: without it one JVM in six ran at 22M acquire+release/s and the
 * others at 36-37M; with it all six at 35-37M).
 */
@SuppressWarnings("unused")
abstract class SlotPadding {
    private long p1;
    private long p2;
    private long p3;
    private long p4;
    private long p5;
    private long p6;
    private long p7;
    private long p8;
}
