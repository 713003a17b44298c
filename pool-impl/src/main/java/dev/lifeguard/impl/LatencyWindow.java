package dev.lifeguard.impl;

import dev.lifeguard.Latency;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Percentiles of one latency over a recent window. Writers call {@link #record} (an HdrHistogram
 * {@link Recorder}: wait-free, allocation-free, a few nanoseconds). Readers see the samples of the current and the
 * previous window period, so a snapshot always covers between one and two periods of history.
 */
final class LatencyWindow {
    /** One hour: longer samples are recorded as one hour rather than failing the recording. */
    private static final long HIGHEST = Duration.ofHours(1).toNanos();

    private final Recorder recorder = new Recorder(HIGHEST, 2);
    private final long periodNanos;
    private final NanoClock clock;
    /** A running count of samples known to be zero and not recorded one by one (see {@link #zeroSamples}). */
    private final LongSupplier zeroSamples;
    private long zeroSamplesCounted;

    // Guarded by this; touched by readers and the maintenance task only, never by the hot path.
    private Histogram current;
    private Histogram previous;
    private long currentStartNanos;

    LatencyWindow(Duration period, NanoClock clock) {
        this(period, clock, () -> 0);
    }

    /**
     * @param zeroSamples a running total of events whose latency is zero and that were counted, not recorded (a
     *                    recording costs shared writes; a count can be striped): each roll adds the new ones as zeros
     */
    LatencyWindow(Duration period, NanoClock clock, LongSupplier zeroSamples) {
        this.periodNanos = period.toNanos();
        this.clock = clock;
        this.zeroSamples = zeroSamples;
        this.zeroSamplesCounted = zeroSamples.getAsLong();
        this.current = new Histogram(HIGHEST, 2);
        this.previous = new Histogram(HIGHEST, 2);
        this.currentStartNanos = clock.nanoTime();
    }

    void record(long nanos) {
        recorder.recordValue(Math.min(Math.max(nanos, 0), HIGHEST));
    }

    /** Records a sample that stands for {@code count} samples of about the same value (sampled recording). */
    void record(long nanos, long count) {
        recorder.recordValueWithCount(Math.min(Math.max(nanos, 0), HIGHEST), count);
    }

    synchronized Latency snapshot() {
        roll();
        Histogram both = current.copy();
        both.add(previous);
        long n = both.getTotalCount();
        if (n == 0) {
            return Latency.NONE;
        }
        return new Latency(n, at(both, 50), at(both, 95), at(both, 99), Duration.ofNanos(both.getMaxValue()));
    }

    /** Moves recorded samples into the window, and starts a new period when the current one is over. */
    synchronized void roll() {
        Histogram interval = recorder.getIntervalHistogram();
        long now = clock.nanoTime();
        if (now - currentStartNanos >= periodNanos) {
            Histogram old = previous;
            previous = current;
            old.reset();
            current = old;
            currentStartNanos = now;
        }
        current.add(interval);
        // Only forward: a running total read while it is being updated may briefly read low.
        long zeros = zeroSamples.getAsLong();
        if (zeros > zeroSamplesCounted) {
            current.recordValueWithCount(0, zeros - zeroSamplesCounted);
            zeroSamplesCounted = zeros;
        }
    }

    synchronized void reset() {
        recorder.reset();
        current.reset();
        previous.reset();
        zeroSamplesCounted = zeroSamples.getAsLong();
        currentStartNanos = clock.nanoTime();
    }

    private static Duration at(Histogram h, double percentile) {
        return Duration.ofNanos(h.getValueAtPercentile(percentile));
    }
}
