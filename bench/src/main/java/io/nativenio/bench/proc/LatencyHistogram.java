package io.nativenio.bench.proc;

/**
 * Latencies in whole microseconds up to one second (longer ones count as one second). bench/c/echo.c keeps
 * the same buckets, so the Java and the C client report percentiles the same way.
 */
final class LatencyHistogram {
    private static final int MAX_MICROS = 1_000_000;

    private final int[] counts = new int[MAX_MICROS + 1];
    private long total;

    void record(long nanos) {
        counts[(int) Math.min(nanos / 1000, MAX_MICROS)]++;
        total++;
    }

    long count() {
        return total;
    }

    void reset() {
        java.util.Arrays.fill(counts, 0);
        total = 0;
    }

    /** The smallest latency, in microseconds, that at least {@code fraction} of the recorded ones reach. */
    int percentile(double fraction) {
        long rank = (long) Math.ceil(fraction * total);
        long seen = 0;
        for (int us = 0; us <= MAX_MICROS; us++) {
            seen += counts[us];
            if (seen >= rank && seen > 0) {
                return us;
            }
        }
        return 0;
    }
}
