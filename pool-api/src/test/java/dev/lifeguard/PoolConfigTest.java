package dev.lifeguard;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PoolConfigTest {

    @Test
    void defaultsAreValidAndDocumented() {
        PoolConfig c = PoolConfig.builder().build();
        assertEquals("lifeguard", c.name());
        assertEquals(0, c.minIdle());
        assertEquals(10, c.maxSize());
        assertEquals(Duration.ofSeconds(30), c.acquireTimeout());
        assertEquals(Duration.ofMinutes(10), c.idleTimeout());
        assertEquals(Duration.ofMinutes(30), c.maxLifetime());
        assertEquals(Duration.ofMinutes(2), c.keepaliveInterval());
        assertEquals(Duration.ZERO, c.validationThreshold());
        assertEquals(Duration.ofSeconds(5), c.validationTimeout());
        assertEquals(IdleOrder.LIFO, c.idleOrder());
        assertEquals(Duration.ZERO, c.leakDetectionThreshold());
        assertEquals(Duration.ofMillis(10), c.clockTick());
    }

    @Test
    void toBuilderRoundTripsAndEqualityIsByValue() {
        PoolConfig c = PoolConfig.builder().name("a").maxSize(3).minIdle(1).build();
        assertEquals(c, c.toBuilder().build());
        assertEquals(c.hashCode(), c.toBuilder().build().hashCode());
        assertNotEquals(c, c.toBuilder().maxSize(4).build());
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                bad(b -> b.maxSize(0), "maxSize must be at least 1, but was 0"),
                bad(b -> b.maxSize(-3), "maxSize must be at least 1, but was -3"),
                bad(b -> b.maxSize(100_001), "maxSize must be at most 100000, but was 100001"),
                bad(b -> b.minIdle(-1), "minIdle must be at least 0, but was -1"),
                bad(b -> b.minIdle(12).maxSize(10), "minIdle must not exceed maxSize (10), but was 12"),
                bad(b -> b.name(""), "name must be 1 to 64 characters of A-Z a-z 0-9 . _ -, but was ''"),
                bad(b -> b.name("a,b=c"), "name must be 1 to 64 characters of A-Z a-z 0-9 . _ -, but was 'a,b=c'"),
                bad(b -> b.name(null), "name must not be null"),
                bad(b -> b.acquireTimeout(Duration.ofMillis(-5)), "acquireTimeout must be zero or positive, but was PT-0.005S"),
                bad(b -> b.acquireTimeout(null), "acquireTimeout must not be null"),
                bad(b -> b.idleTimeout(Duration.ofSeconds(-1)), "idleTimeout must be zero or positive, but was PT-1S"),
                bad(b -> b.maxLifetime(Duration.ofSeconds(-1)), "maxLifetime must be zero or positive, but was PT-1S"),
                bad(b -> b.keepaliveInterval(Duration.ofSeconds(-1)), "keepaliveInterval must be zero or positive, but was PT-1S"),
                bad(b -> b.validationThreshold(Duration.ofSeconds(-1)), "validationThreshold must be zero or positive, but was PT-1S"),
                bad(b -> b.validationTimeout(Duration.ZERO), "validationTimeout must be positive, but was PT0S"),
                bad(b -> b.leakDetectionThreshold(Duration.ofSeconds(-1)), "leakDetectionThreshold must be zero or positive, but was PT-1S"),
                bad(b -> b.creationBackoffInitial(Duration.ZERO), "creationBackoffInitial must be positive, but was PT0S"),
                bad(b -> b.creationBackoffMax(Duration.ofMillis(10)), "creationBackoffMax must be at least creationBackoffInitial (PT0.1S), but was PT0.01S"),
                bad(b -> b.maintenanceInterval(Duration.ZERO), "maintenanceInterval must be positive, but was PT0S"),
                bad(b -> b.idleTimeout(Duration.ofDays(400)), "idleTimeout must be at most PT8760H, but was PT9600H"),
                bad(b -> b.idleOrder(null), "idleOrder must not be null"),
                bad(b -> b.maxConcurrentCreations(0), "maxConcurrentCreations must be at least 1, but was 0"),
                bad(b -> b.clockTick(Duration.ofMillis(-1)), "clockTick must be zero (off) or from 1 ms to 1 s, but was PT-0.001S"),
                bad(b -> b.clockTick(Duration.ofNanos(500_000)), "clockTick must be zero (off) or from 1 ms to 1 s, but was PT0.0005S"),
                bad(b -> b.clockTick(Duration.ofSeconds(2)), "clockTick must be zero (off) or from 1 ms to 1 s, but was PT2S"),
                bad(b -> b.clockTick(null), "clockTick must not be null"));
    }

    private static Arguments bad(UnaryOperator<PoolConfig.Builder> change, String message) {
        return Arguments.of(change, message);
    }

    @ParameterizedTest
    @MethodSource("badValues")
    void rejectsBadValuesNamingTheSettingTheRuleAndTheValue(UnaryOperator<PoolConfig.Builder> change,
                                                           String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> change.apply(PoolConfig.builder()).build());
        assertEquals(message, e.getMessage());
    }

    @Test
    void zeroMeansOffWhereDocumented() {
        PoolConfig c = PoolConfig.builder().acquireTimeout(Duration.ZERO).idleTimeout(Duration.ZERO)
                .maxLifetime(Duration.ZERO).keepaliveInterval(Duration.ZERO).leakDetectionThreshold(Duration.ZERO)
                .clockTick(Duration.ZERO).build();
        assertEquals(Duration.ZERO, c.idleTimeout());
        assertEquals(Duration.ZERO, c.clockTick());
    }

    @Test
    void minIdleMayEqualMaxSizeInAnyOrderOfSetting() {
        assertEquals(5, PoolConfig.builder().minIdle(5).maxSize(5).build().minIdle());
    }
}
