package dev.lifeguard;

import java.time.Duration;

/**
 * Percentiles of one latency over the recent window (the last one to two maintenance intervals of samples).
 *
 * @param count how many samples the window holds
 * @param p50   median
 * @param p95   95th percentile
 * @param p99   99th percentile
 * @param max   the largest sample
 */
public record Latency(long count, Duration p50, Duration p95, Duration p99, Duration max) {

    /** A window with no samples. */
    public static final Latency NONE = new Latency(0, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO);
}
