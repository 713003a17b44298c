package dev.lifeguard.impl;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Who may take a permit ahead of queued waiters (the queue itself is AQS's, exercised by the pool's tests). */
class CapacityGateTest {
    private final CapacityGate.Sync sync = new CapacityGate.Sync(1);

    @Test
    void aNewcomerGoesAheadOnlyWhileTheQueueMoves() {
        sync.queueProgress = System.nanoTime() + TimeUnit.HOURS.toNanos(1); // served "just now", whatever the delay
        assertTrue(sync.mayGoAhead(CapacityGate.MAY_GO_AHEAD));
        sync.queueProgress = System.nanoTime() - 2 * CapacityGate.BARGE_WINDOW_NANOS;
        assertFalse(sync.mayGoAhead(CapacityGate.MAY_GO_AHEAD));
    }

    @Test
    void aCallerThatGaveItsConnectionUpToWaitersNeverGoesAheadOfThem() {
        sync.queueProgress = System.nanoTime() + TimeUnit.HOURS.toNanos(1);
        assertFalse(sync.mayGoAhead(CapacityGate.BEHIND_WAITERS));
    }
}
