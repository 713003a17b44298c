package dev.lifeguard;

import java.time.Duration;
import java.time.Instant;

/**
 * What the pool knows about one current lease, for leak hunting.
 *
 * @param poolName       the pool
 * @param heldSince      when the lease was taken (wall clock)
 * @param heldFor        how long it has been held
 * @param holderThread   the name of the thread that acquired it
 * @param acquiringStack the stack of the acquiring call, or an empty string when leak detection was off
 */
public record LeaseInfo(String poolName, Instant heldSince, Duration heldFor, String holderThread,
                        String acquiringStack) {
}
