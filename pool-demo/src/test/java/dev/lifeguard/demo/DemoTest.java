package dev.lifeguard.demo;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DemoTest {

    @Test
    void defaultsAreTheMissionsFirstStressCase() {
        DemoOptions o = DemoOptions.parse();
        assertEquals(100, o.tasks());
        assertEquals(10, o.poolSize());
    }

    @Test
    void flagsAreValidatedWithClearMessages() {
        assertEquals("--pool must be between 1 and 1000, but was 0",
                assertThrows(IllegalArgumentException.class, () -> DemoOptions.parse("--pool", "0")).getMessage());
        assertEquals("--tasks must be a whole number, but was 'many'",
                assertThrows(IllegalArgumentException.class, () -> DemoOptions.parse("--tasks", "many"))
                        .getMessage());
        assertEquals("unknown flag --fast",
                assertThrows(IllegalArgumentException.class, () -> DemoOptions.parse("--fast", "1")).getMessage());
        assertEquals(Duration.ofMillis(1500), DemoOptions.parse("--duration", "1.5s").duration());
    }

    @Test
    void aShortRunSucceedsOverAtMostThePoolSize() throws Exception {
        assertTrue(Demo.run(DemoOptions.parse("--tasks", "20", "--pool", "4", "--requests", "2000")));
    }
}
