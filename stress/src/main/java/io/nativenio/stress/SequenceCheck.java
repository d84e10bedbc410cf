package io.nativenio.stress;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.LongAdder;

/**
 * Randomized differential API sequences: a seeded generator makes single-threaded sequences of NIO calls
 * ({@link Step}); each sequence runs on every provider in lockstep ({@link World}), and after each call
 * the outcomes (the return value, normalised, or the exception's class and message) must be equal to
 * the first provider's (the JDK's). A mismatch is replayed from the seed: one that comes back is a
 * failure, printed with the seed and the shortest failing prefix found by dropping steps; one that does
 * not come back (a timing effect of the machine) is printed as info.
 */
final class SequenceCheck implements Main.Check {
    private static final String NAME = "sequences";
    private static final int LENGTH = 40;

    private final Options options;
    private final Results results;
    private final LongAdder guardCloses = new LongAdder();
    /** Outcomes with "Bad file descriptor" (an fd used after close): a failure of that provider, always. */
    private final List<String> badFd = new ArrayList<>();
    private ScheduledExecutorService guard;

    SequenceCheck(Options options, Results results) {
        this.options = options;
        this.results = results;
    }

    @Override
    public void run(List<Providers.Named> providers) throws Exception {
        if (providers.size() < 2) {
            results.skip(NAME, providers.get(0).name(), "needs two providers to compare");
            return;
        }
        long sequences = options.cycles(500, 20_000);
        guard = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "stress-sequence-guard");
            t.setDaemon(true);
            return t;
        });
        List<String> failures = new ArrayList<>();
        int unconfirmed = 0;
        long steps = 0;
        long t0 = System.nanoTime();
        Providers.Named reference = providers.get(0);
        try (Watchdog watchdog = new Watchdog(NAME, "all", results, 1, options.hangSeconds())) {
            for (long s = 0; s < sequences && failures.size() < 3; s++) {
                long seed = options.seed() * 1_000_003L + s;
                List<Step> sequence = Step.generate(new SplittableRandom(seed), LENGTH);
                for (int i = 1; i < providers.size(); i++) {
                    Providers.Named p = providers.get(i);
                    Mismatch m = find(sequence, reference, p);
                    steps += m == null ? sequence.size() : m.index() + 1;
                    if (m == null) {
                        continue;
                    }
                    Mismatch again = find(sequence, reference, p);
                    if (again == null || again.index() != m.index()) {
                        unconfirmed++;
                        results.info(NAME, p.name(), "sequence seed " + seed + ": a mismatch that did not come back"
                                + " on replay (timing):\n" + m.describe(reference.name(), p.name()));
                        continue;
                    }
                    Mismatch shortest = shrink(again, reference, p);
                    failures.add(p.name() + ": seed " + seed);
                    System.out.println("stress: sequences: mismatch, sequence seed " + seed + " (--seed="
                            + options.seed() + ", sequence " + s + "); shortest failing prefix:\n"
                            + shortest.describe(reference.name(), p.name()));
                }
                watchdog.beat(0);
            }
        } finally {
            guard.shutdownNow();
        }
        String detail = String.format("sequences=%d steps=%d threads=1 duration=%.1fs guard closes=%d unconfirmed=%d",
                sequences, steps, (System.nanoTime() - t0) / 1e9, guardCloses.sum(), unconfirmed);
        for (Providers.Named p : providers) {
            List<String> mine = failures.stream().filter(f -> f.startsWith(p.name() + ":")).toList();
            List<String> bad = badFd.stream().filter(f -> f.startsWith(p.name() + ":")).toList();
            if (!bad.isEmpty()) {
                results.fail(NAME, p.name(), detail + ": Bad file descriptor in " + bad);
            } else if (p == reference) {
                results.pass(NAME, p.name(), detail + " (the reference)");
            } else if (mine.isEmpty()) {
                results.pass(NAME, p.name(), detail);
            } else {
                results.fail(NAME, p.name(), detail + ": outcomes differ from " + reference.name() + "'s in " + mine
                        + " (prefixes above)");
            }
        }
    }

    /** Runs the steps in lockstep on both providers; the first step whose outcomes differ, or null. */
    private Mismatch find(List<Step> steps, Providers.Named reference, Providers.Named other) throws Exception {
        List<String> expected = new ArrayList<>();
        List<String> actual = new ArrayList<>();
        try (World a = new World(reference.provider(), guard, guardCloses);
             World b = new World(other.provider(), guard, guardCloses)) {
            for (int i = 0; i < steps.size(); i++) {
                expected.add(a.apply(steps.get(i)));
                actual.add(b.apply(steps.get(i)));
                noteBadFd(reference, steps.get(i), expected.get(i));
                noteBadFd(other, steps.get(i), actual.get(i));
                if (!expected.get(i).equals(actual.get(i))) {
                    return new Mismatch(steps.subList(0, i + 1), i, expected, actual);
                }
            }
        }
        return null;
    }

    private void noteBadFd(Providers.Named provider, Step step, String outcome) {
        if (outcome.contains("Bad file descriptor") && badFd.size() < 10) {
            badFd.add(provider.name() + ": " + step + " -> " + outcome);
        }
    }

    /** Drops earlier steps one at a time, keeping each drop after which the last step still differs. */
    private Mismatch shrink(Mismatch found, Providers.Named reference, Providers.Named other) throws Exception {
        Mismatch best = found;
        for (int i = best.index() - 1; i >= 0; i--) {
            List<Step> shorter = new ArrayList<>(best.steps());
            shorter.remove(i);
            Mismatch m = find(shorter, reference, other);
            if (m != null && m.index() == shorter.size() - 1) {
                best = m;
            }
        }
        return best;
    }

    /** The steps up to the first one whose outcome differs, with the outcomes of both providers. */
    private record Mismatch(List<Step> steps, int index, List<String> expected, List<String> actual) {
        String describe(String referenceName, String otherName) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i <= index; i++) {
                sb.append(String.format("  %2d %-40s %s: %s%n", i, steps.get(i), referenceName, expected.get(i)));
                if (!expected.get(i).equals(actual.get(i))) {
                    sb.append(String.format("     %-40s %s: %s%n", "", otherName, actual.get(i)));
                }
            }
            return sb.toString();
        }
    }
}
