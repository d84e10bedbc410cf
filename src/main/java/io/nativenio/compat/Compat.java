package io.nativenio.compat;

import java.lang.System.Logger.Level;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The compatibility-testing mode: behaviour that the java.nio specification allows and the JDK's provider on
 * loopback almost never shows, made to happen on purpose, and detectors of mistakes the JDK lets slide.
 * Read once from system properties, so that an unmodified program can be tested:
 *
 * <ul>
 * <li>{@code -Dnativenio.compat=short-writes,shuffle-keys,...} the {@link Option}s to switch on, by their
 *     {@linkplain Option#key() names}; {@code all} for every one. Absent or empty: the mode is off.
 * <li>{@code -Dnativenio.compat.seed=N} the seed every decision derives from (a long); absent: one is picked
 *     and logged, so that a failing run can be replayed with it.
 * <li>{@code -Dnativenio.compat.rate=R} how often a perturbation that may happen does happen, from 0 (never)
 *     to 1 (every time); default 0.3.
 * </ul>
 *
 * <p>The hot paths test {@link #ON} (or one option's flag) first: a {@code static final} that the JIT folds,
 * so that with the mode off they cost nothing.
 */
public final class Compat {
    /** What the mode can do: perturbations (allowed by the specification) and detectors (of misuse). */
    public enum Option {
        SHORT_WRITES, SHORT_READS, FALSE_READY, SHUFFLE_KEYS, DEFERRED_CONNECT, SMALL_BUFFERS, EMPTY_SELECTS,
        LEAKS, LOOP_BLOCKING, MISUSE;

        /** The name in {@code -Dnativenio.compat}: {@code SHORT_WRITES} is {@code short-writes}. */
        public String key() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public static final String PROPERTY = "nativenio.compat";
    public static final String SEED_PROPERTY = "nativenio.compat.seed";
    public static final String RATE_PROPERTY = "nativenio.compat.rate";

    private static final Set<Option> OPTIONS = options(property(PROPERTY));

    /** Whether any option is on: the first test of every hook. */
    public static final boolean ON = !OPTIONS.isEmpty();

    public static final boolean SHORT_WRITES = OPTIONS.contains(Option.SHORT_WRITES);
    public static final boolean SHORT_READS = OPTIONS.contains(Option.SHORT_READS);
    public static final boolean FALSE_READY = OPTIONS.contains(Option.FALSE_READY);
    public static final boolean SHUFFLE_KEYS = OPTIONS.contains(Option.SHUFFLE_KEYS);
    public static final boolean DEFERRED_CONNECT = OPTIONS.contains(Option.DEFERRED_CONNECT);
    public static final boolean SMALL_BUFFERS = OPTIONS.contains(Option.SMALL_BUFFERS);
    public static final boolean EMPTY_SELECTS = OPTIONS.contains(Option.EMPTY_SELECTS);
    public static final boolean LEAKS = OPTIONS.contains(Option.LEAKS);
    public static final boolean LOOP_BLOCKING = OPTIONS.contains(Option.LOOP_BLOCKING);
    public static final boolean MISUSE = OPTIONS.contains(Option.MISUSE);

    /** The seed of this run. */
    public static final long SEED = ON ? seed(property(SEED_PROPERTY)) : 0;

    /** The probability that a perturbation which may happen happens, in [0, 1]. */
    public static final double RATE = ON ? rate(property(RATE_PROPERTY)) : 0;

    /**
     * The identities of channels and of selectors: the order in which they were opened (accepted channels
     * included), from 1, counted only when the mode is on. A single-threaded program opens them in the same
     * order on every run, so the same seed gives each the same {@link Dice}.
     */
    private static final AtomicLong CHANNELS = new AtomicLong();
    private static final AtomicLong SELECTORS = new AtomicLong();

    static {
        if (ON) {
            System.getLogger("io.nativenio").log(Level.INFO, "nativenio compatibility-testing mode: {0}, seed {1}, "
                    + "rate {2}; replay with -D{3}={1}", keys(OPTIONS), Long.toString(SEED), RATE, SEED_PROPERTY);
        }
    }

    private Compat() {
    }

    /** The identity of a channel being opened (call only when {@link #ON}). */
    public static long nextChannel() {
        return CHANNELS.incrementAndGet();
    }

    /** The identity of a selector being opened (call only when {@link #ON}). */
    public static long nextSelector() {
        return SELECTORS.incrementAndGet() | Long.MIN_VALUE; // never equal to a channel's
    }

    /** The options named by {@code value}; an unknown name is an error, so that a typo never tests nothing. */
    static Set<Option> options(String value) {
        Set<Option> on = EnumSet.noneOf(Option.class);
        if (value == null || value.isBlank()) {
            return on;
        }
        for (String name : value.split(",")) {
            String key = name.strip();
            if (key.equals("all")) {
                on.addAll(EnumSet.allOf(Option.class));
                continue;
            }
            Option o = null;
            for (Option candidate : Option.values()) {
                if (candidate.key().equals(key)) {
                    o = candidate;
                }
            }
            if (o == null) {
                throw new IllegalArgumentException("-D" + PROPERTY + ": unknown option '" + key + "'; known: all, "
                        + keys(EnumSet.allOf(Option.class)));
            }
            on.add(o);
        }
        return on;
    }

    static long seed(String value) {
        if (value == null || value.isBlank()) {
            return Dice.mix(System.nanoTime() ^ ProcessHandle.current().pid());
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + SEED_PROPERTY + ": not a long: '" + value + "'");
        }
    }

    static double rate(String value) {
        if (value == null || value.isBlank()) {
            return 0.3;
        }
        double r;
        try {
            r = Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            r = Double.NaN;
        }
        if (!(r >= 0 && r <= 1)) {
            throw new IllegalArgumentException("-D" + RATE_PROPERTY + ": not a number from 0 to 1: '" + value + "'");
        }
        return r;
    }

    private static String keys(Set<Option> options) {
        StringJoiner j = new StringJoiner(", ");
        options.forEach(o -> j.add(o.key()));
        return j.toString();
    }

    private static String property(String name) {
        try {
            return System.getProperty(name);
        } catch (SecurityException e) {
            return null;
        }
    }
}
