package dev.lifeguard.impl;

import java.util.Arrays;

/**
 * The slots that exist (created and not yet destroyed): a copy-on-write array, so that walking them (the counts,
 * the lease tally, the peak sample, the maintenance pass) takes no lock and allocates nothing. Adding and removing
 * copy the array; they happen once per connection's life.
 */
final class LiveSlots<C> {
    private static final Slot<?>[] NONE = new Slot<?>[0];

    private volatile Slot<?>[] slots = NONE;

    synchronized void add(Slot<C> slot) {
        Slot<?>[] old = slots;
        Slot<?>[] next = Arrays.copyOf(old, old.length + 1);
        next[old.length] = slot;
        slots = next;
    }

    synchronized void remove(Slot<C> slot) {
        Slot<?>[] old = slots;
        for (int i = 0; i < old.length; i++) {
            if (old[i] == slot) {
                Slot<?>[] next = new Slot<?>[old.length - 1];
                System.arraycopy(old, 0, next, 0, i);
                System.arraycopy(old, i + 1, next, i, old.length - i - 1);
                slots = next;
                return;
            }
        }
    }

    /** @return the slots alive now; the array is never changed afterwards (later changes make a new one) */
    @SuppressWarnings("unchecked")
    Slot<C>[] snapshot() {
        return (Slot<C>[]) slots;
    }

    int size() {
        return slots.length;
    }
}
