package io.nativenio.stress;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Random concurrent operations on shared channels and selectors, from platform threads and (JDK 21+)
 * virtual threads ({@link Arena}). Every provider gets the same operation mix: the same threads with the
 * same seeds draw the same operations and targets whatever the outcomes. The rule that compares the
 * (operation, exception class) pairs of a provider with the reference's (the JDK's, from the same run):
 * <ul>
 * <li>a message with "Bad file descriptor" (EBADF: an fd used after it was closed, or another's) fails
 *     the provider that raised it, however often;</li>
 * <li>an exception no NIO operation is specified to throw (not an {@code IOException}, nor one of the
 *     {@code java.nio.channels} exceptions, {@code IllegalArgumentException},
 *     {@code UnsupportedOperationException} or, for the unsynchronized selected-key iteration, the
 *     {@code ConcurrentModificationException} and {@code NoSuchElementException} that the JDK's
 *     HashSet iterator can throw when so misused) fails, however often, unless the reference raised the
 *     same pair too;</li>
 * <li>a pair the reference never raised fails only when it came often enough that the reference, at
 *     the same rate for that operation, would have shown it at least {@link #EXPECTED_AT_LEAST} times
 *     (missing 20 expected events by chance has a probability of e^-20): rare race outcomes do not flake,
 *     a systematic difference fails;</li>
 * <li>{@link #ALLOWED} pairs, each with its reason, and the reference's own extra pairs are listed as
 *     info;</li>
 * <li>a thread that makes no progress for the hang time fails the check with a thread dump; after the
 *     run, when every channel and selector is closed, the open-fd count must be back where it was (for
 *     the reference this is info only: JDK 17's own provider sometimes leaves a pipe fd open here).</li>
 * </ul>
 */
record ConcurrentOpsCheck(Options options, Results results) implements Main.Check {
    static final double EXPECTED_AT_LEAST = 20;

    /** Pairs a provider may raise that the reference does not, and why. */
    static final Map<String, String> ALLOWED = Map.of();

    @Override
    public void run(List<Providers.Named> providers) throws Exception {
        int threads = options.threads(8);
        int seconds = options.duration(10, 120);
        for (boolean virtual : new boolean[] {false, true}) {
            String name = virtual ? "concurrent-virtual" : "concurrent-platform";
            if (virtual && Runtime.version().feature() < 21) {
                for (Providers.Named p : providers) {
                    results.skip(name, p.name(), "virtual threads need JDK 21 or later, this is "
                            + Runtime.version().feature());
                }
                continue;
            }
            Map<String, Arena.Outcome> outcomes = new TreeMap<>();
            for (Providers.Named p : providers) {
                Arena warmUp = new Arena(name, p, virtual, threads, options.seed(), results, options.hangSeconds());
                warmUp.run(300);   // lazily opened fds (pollers) before the fd count is taken
                Arena arena = new Arena(name, p, virtual, threads, options.seed(), results, options.hangSeconds());
                outcomes.put(p.name(), arena.run(seconds * 1000L));
            }
            judge(name, providers, outcomes);
        }
    }

    private void judge(String name, List<Providers.Named> providers, Map<String, Arena.Outcome> outcomes) {
        Arena.Outcome reference = outcomes.get(providers.get(0).name());
        for (Providers.Named p : providers) {
            Arena.Outcome o = outcomes.get(p.name());
            StringBuilder failures = new StringBuilder(o.problems());
            if (!o.fdLeak().isEmpty() && o == reference) {
                results.info(name, p.name(), "not judged (the reference): " + o.fdLeak());
            } else if (!o.fdLeak().isEmpty()) {
                failures.append(failures.length() == 0 ? "" : "; ").append(o.fdLeak());
            }
            for (Map.Entry<String, Long> pair : o.pairs().entrySet()) {
                String key = pair.getKey();
                String op = key.substring(0, key.indexOf(' '));
                if (o == reference || reference.pairs().containsKey(key)) {
                    continue;
                }
                double expected = pair.getValue() * (double) reference.ops(op) / Math.max(1, o.ops(op));
                String note = key + " x" + pair.getValue() + " (reference: 0, expected " + String.format("%.1f", expected)
                        + " at the same rate)";
                if (ALLOWED.containsKey(key)) {
                    results.info(name, p.name(), "allowed: " + note + ": " + ALLOWED.get(key));
                } else if (!Arena.specified(o.exampleOf(key)) || expected >= EXPECTED_AT_LEAST) {
                    failures.append(failures.length() == 0 ? "" : "; ").append(note);
                    o.printExample(key);
                } else {
                    results.info(name, p.name(), "rare, not judged: " + note);
                }
            }
            if (o != reference) {
                reference.pairs().keySet().stream().filter(k -> !o.pairs().containsKey(k)).forEach(k ->
                        results.info(name, p.name(), "only " + providers.get(0).name() + " raised " + k + " x"
                                + reference.pairs().get(k)));
            }
            String detail = o.summary();
            if (failures.length() > 0) {
                results.fail(name, p.name(), detail + ": " + failures);
            } else {
                results.pass(name, p.name(), detail);
            }
        }
    }
}
