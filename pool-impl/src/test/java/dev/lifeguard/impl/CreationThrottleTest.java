package dev.lifeguard.impl;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The cause a timed-out caller is given: the creation failure that kept it waiting. */
class CreationThrottleTest {
    private final CreationThrottle throttle =
            new CreationThrottle(Duration.ofMillis(100), Duration.ofSeconds(1), new ManualClock());
    private final IOException refused = new IOException("connection refused");

    @Test
    void aWaitThatSpannedAFailureNamesItEvenIfTheBackendRecoveredBeforeTheTimeout() {
        long waitBegan = throttle.failureMark();
        assertNull(throttle.failureDuring(waitBegan), "nothing failed yet");
        throttle.failed(refused);
        throttle.succeeded();
        assertNull(throttle.lastFailure(), "healthy again");
        assertSame(refused, throttle.failureDuring(waitBegan), "it failed during this wait");
        assertNull(throttle.failureDuring(throttle.failureMark()), "a wait that began after recovery saw none");
    }

    @Test
    void aWaitThatBeganDuringAnOutageNamesTheFailureThatStartedIt() {
        throttle.failed(refused);
        long waitBegan = throttle.failureMark(); // in back-off: no new failure during the wait
        assertSame(refused, throttle.failureDuring(waitBegan), "still failing");
    }
}
