package dev.lifeguard.demo;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * The demo's flags, each validated with a message that names the flag, the rule and the value.
 *
 * @param tasks    concurrent tasks
 * @param poolSize the pool's max size
 * @param requests total request/response round trips
 * @param duration the most time the run may take
 */
record DemoOptions(int tasks, int poolSize, long requests, Duration duration) {

    static final String USAGE = "usage: Demo [--tasks N (100)] [--pool N (10)] [--requests N (50000)] "
            + "[--duration 30s|PT30S (30s)]";

    static DemoOptions parse(String... args) {
        int tasks = 100;
        int pool = 10;
        long requests = 50_000;
        Duration duration = Duration.ofSeconds(30);
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String value = args[++i];
            switch (flag) {
                case "--tasks" -> tasks = (int) number(flag, value, 1, 10_000);
                case "--pool" -> pool = (int) number(flag, value, 1, 1_000);
                case "--requests" -> requests = number(flag, value, 1, 100_000_000);
                case "--duration" -> duration = duration(flag, value);
                default -> throw new IllegalArgumentException("unknown flag " + flag);
            }
        }
        return new DemoOptions(tasks, pool, requests, duration);
    }

    private static long number(String flag, String value, long min, long max) {
        long n;
        try {
            n = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a whole number, but was '" + value + "'");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(flag + " must be between " + min + " and " + max + ", but was " + n);
        }
        return n;
    }

    private static Duration duration(String flag, String value) {
        Duration d;
        try {
            d = value.endsWith("s") && !value.startsWith("P")
                    ? Duration.ofMillis((long) (Double.parseDouble(value.substring(0, value.length() - 1)) * 1000))
                    : Duration.parse(value);
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException(flag + " must be like 30s or PT30S, but was '" + value + "'");
        }
        if (d.isNegative() || d.isZero() || d.compareTo(Duration.ofHours(24)) > 0) {
            throw new IllegalArgumentException(flag + " must be between 1 ms and 24 h, but was " + value);
        }
        return d;
    }
}
