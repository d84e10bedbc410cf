package io.nativenio.stress;

import java.util.List;

/**
 * The reliability checks, each run on the JDK's provider and on nativenio in this one process. Prints
 * one result line per check and provider, then {@code N passed, N failed} alone on a line; exits 1 on
 * any failure. Usage: {@code Main [--long] [--seed=N] [--cycles=N] [--threads=N] [--duration=S]
 * [--providers=jdk,nativenio] [fds|concurrent|reuse|sequences|all]...}; see docs/reliability.md.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("stress: " + e.getMessage());
            System.err.println("usage: Main [--long] [--seed=N] [--cycles=N] [--threads=N] [--duration=S]"
                    + " [--providers=jdk,nativenio] [--hang=S] [fds|concurrent|reuse|sequences|all]...");
            System.exit(2);
            return;
        }
        Results results = new Results();
        System.out.printf("stress: java %s, %s run, seed %d, providers %s%n", Runtime.version(),
                options.isLong() ? "long" : "short", options.seed(), options.providers());
        for (String check : options.checks()) {
            Check c = switch (check) {
                case "fds" -> new FdAccountingCheck(options, results);
                case "concurrent" -> new ConcurrentOpsCheck(options, results);
                case "reuse" -> new FdReuseCheck(options, results);
                case "sequences" -> new SequenceCheck(options, results);
                default -> throw new AssertionError(check);
            };
            long t0 = System.nanoTime();
            try {
                c.run(Providers.open(options.providers()));
            } catch (Exception e) {
                e.printStackTrace(System.out);
                results.fail(check, "all", "the check itself threw " + e);
            }
            System.out.printf("stress: %s took %.1f s%n", check, (System.nanoTime() - t0) / 1e9);
        }
        results.printSummary();
        System.exit(results.failed() == 0 ? 0 : 1);
    }

    /** One check: runs itself on each provider and reports to {@link Results}. */
    interface Check {
        void run(List<Providers.Named> providers) throws Exception;
    }

    /** A check that runs on one provider after the other, on each as if alone. */
    interface EachProvider extends Check {
        @Override
        default void run(List<Providers.Named> providers) throws Exception {
            for (Providers.Named p : providers) {
                run(p);
            }
        }

        void run(Providers.Named p) throws Exception;
    }
}
