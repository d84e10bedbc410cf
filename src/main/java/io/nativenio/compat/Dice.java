package io.nativenio.compat;

/**
 * The seeded generator behind every decision of the compatibility-testing mode: one per stream of decisions
 * of one channel or selector (a channel's reads and its writes can run on two threads at once, so each has
 * its own), derived from the run's {@link Compat#SEED}, the identity of the channel or selector and the
 * stream's number. Not thread-safe: each stream is used under the lock that serializes its operations.
 * SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014), as
 * {@link java.util.SplittableRandom}, without allocating.
 */
public final class Dice {
    private static final long GAMMA = 0x9e3779b97f4a7c15L;

    private long state;

    /** The stream {@code stream} of the channel or selector {@code identity} ({@link Compat#nextChannel()}). */
    public Dice(long identity, int stream) {
        this.state = mix(Compat.SEED ^ mix(identity * GAMMA + stream));
    }

    /** True with the probability {@link Compat#RATE}: whether a perturbation that may happen happens now. */
    public boolean roll() {
        return nextDouble() < Compat.RATE;
    }

    /** Uniform in [0, bound), {@code bound > 0}. */
    public int below(int bound) {
        return (int) ((nextLong() >>> 33) * bound >>> 31);
    }

    public long nextLong() {
        return mix(state += GAMMA);
    }

    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
