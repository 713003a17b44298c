package dev.lifeguard.impl;

import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.fail;

/** Waits for a condition with a deadline, yielding between looks; never a guessed sleep. */
final class Deadline {
    private Deadline() {
    }

    static void awaitTrue(BooleanSupplier condition, String what) {
        awaitTrue(condition, what, 10_000);
    }

    static void awaitTrue(BooleanSupplier condition, String what, long timeoutMillis) {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out after " + timeoutMillis + " ms waiting for: " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
