package dev.lifeguard.tcp;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TcpSettingsTest {

    private static String error(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void rejectsBadValuesWithTheirNames() {
        assertEquals("port must be between 1 and 65535, but was 0",
                error(() -> TcpSettings.builder("localhost", 0).build()));
        assertEquals("port must be between 1 and 65535, but was 70000",
                error(() -> TcpSettings.builder("localhost", 70000).build()));
        assertEquals("host must not be blank, but was ' '", error(() -> TcpSettings.builder(" ", 1).build()));
        assertEquals("host must not be blank, but was null", error(() -> TcpSettings.builder(null, 1).build()));
        assertEquals("connectTimeout must be positive and at most 2147483647 ms, but was PT0S",
                error(() -> TcpSettings.builder("h", 1).connectTimeout(Duration.ZERO).build()));
        assertEquals("readTimeout must be zero or positive and at most 2147483647 ms, but was PT-1S",
                error(() -> TcpSettings.builder("h", 1).readTimeout(Duration.ofSeconds(-1)).build()));
        assertEquals("ping must not be null", error(() -> TcpSettings.builder("h", 1).ping(null).build()));
    }

    @Test
    void defaults() {
        TcpSettings s = TcpSettings.builder("h", 6379).build();
        assertEquals(Duration.ofSeconds(5), s.connectTimeout());
        assertEquals(Duration.ZERO, s.readTimeout());
        assertEquals(Ping.liveness(), s.ping());
        assertEquals(true, s.tcpNoDelay());
        assertEquals(true, s.verifyHostname());
    }

    @Test
    void pingParsesTheTextForms() {
        assertEquals(Ping.none(), Ping.parse("none"));
        assertEquals(Ping.liveness(), Ping.parse(" LIVENESS "));
        Ping redis = Ping.parse("exchange:PING\\r\\n:+PONG\\r\\n");
        assertEquals(Ping.Kind.EXCHANGE, redis.kind());
        assertArrayEquals("PING\r\n".getBytes(StandardCharsets.UTF_8), redis.request());
        assertArrayEquals("+PONG\r\n".getBytes(StandardCharsets.UTF_8), redis.expectedReply());
        assertEquals("ping must be none, liveness or exchange:<request>:<reply>, but was 'sometimes'",
                error(() -> Ping.parse("sometimes")));
        assertEquals("ping must be none, liveness or exchange:<request>:<reply>, but was 'exchange:PING'",
                error(() -> Ping.parse("exchange:PING")));
        assertEquals("ping request must be at least 1 byte, but was empty",
                error(() -> Ping.exchange(new byte[0], new byte[] {1})));
    }
}
