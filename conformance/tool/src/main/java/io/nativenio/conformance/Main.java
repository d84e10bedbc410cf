package io.nativenio.conformance;

import io.nativenio.conformance.Lists.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The list, ratchet and report logic of conformance/run (which keeps fetching and launching):
 *
 * <pre>
 * candidates CONF TESTJDK
 *     print the candidate tests that CONF/rule.txt picks from TESTJDK (the test/jdk folder)
 * plan CONF TESTJDK FEATURE OUT [--check-excluded]
 *     check the lists (CONF/tests.txt must be exactly the rule's candidates), then write to OUT the jtreg
 *     list for JDK FEATURE: tests.txt minus the tests excluded on it (unless --check-excluded), plus the sentinel
 * report CONF OUTDIR [--suggest] [--check-excluded] LEGDIR...
 *     hold each leg's results against the lists: print one line per test and per leg, write
 *     OUTDIR/summary.md (and OUTDIR/suggestions.txt with --suggest)
 * </pre>
 *
 * CONF is the conformance folder; the behaviour anchors are read from CONF/../docs/behaviours.md.
 * Exit status: 0 all held, 1 a problem with the results, 2 a setup problem (a bad list line, a missing file).
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        try {
            System.exit(run(args));
        } catch (SetupException e) {
            System.err.println("conformance: " + e.getMessage());
            System.exit(2);
        }
    }

    static int run(String[] args) throws SetupException {
        List<String> a = new ArrayList<>(Arrays.asList(args));
        boolean suggest = a.remove("--suggest"), checkExcluded = a.remove("--check-excluded");
        String command = a.isEmpty() ? "" : a.remove(0);
        switch (command) {
            case "candidates" -> {
                need(a, 2, "candidates CONF TESTJDK");
                rule(Path.of(a.get(0))).candidates(Path.of(a.get(1))).forEach(System.out::println);
                return 0;
            }
            case "plan" -> {
                need(a, 4, "plan CONF TESTJDK FEATURE OUT [--check-excluded]");
                Path conf = Path.of(a.get(0));
                Lists lists = lists(conf);
                checkCandidates(lists, rule(conf).candidates(Path.of(a.get(1))));
                int feature = Integer.parseInt(a.get(2));
                List<String> run = new ArrayList<>();
                for (String t : lists.tests)
                    if (checkExcluded || lists.find(Kind.EXCLUDED, t, feature).isEmpty())
                        run.add(t);
                run.add(Lists.SENTINEL);
                write(Path.of(a.get(3)), run);
                return 0;
            }
            case "report" -> {
                if (a.size() < 3)
                    throw new SetupException("usage: report CONF OUTDIR [--suggest] [--check-excluded] LEGDIR...");
                Path conf = Path.of(a.get(0)), out = Path.of(a.get(1));
                Lists lists = lists(conf);
                List<Leg> legs = new ArrayList<>();
                for (String d : a.subList(2, a.size()))
                    legs.add(Leg.read(Path.of(d)));
                legs.sort(Comparator.comparingInt(l -> l.feature));
                Report report = new Report(lists, legs, checkExcluded);
                report.lines(legs).forEach(System.out::println);
                write(out.resolve("summary.md"), report.summary(legs, "Tests: `conformance/tests.txt` (" + lists.tests.size()
                        + " tests of the jdk17u tree) and the sentinel" + (checkExcluded ? "; --check-excluded" : "") + "."));
                System.out.println("conformance: summary in " + out.resolve("summary.md"));
                if (suggest) {
                    List<String> s = report.suggestions();
                    write(out.resolve("suggestions.txt"), s);
                    System.out.println("conformance: --suggest (edit the lists by hand; 'add' lines need their behaviours and reason):");
                    (s.isEmpty() ? List.of("nothing to change") : s).forEach(l -> System.out.println("  " + l));
                }
                if (report.problems.isEmpty())
                    return 0;
                System.out.println("conformance: FAILED (" + report.problems.size() + " problems):");
                report.problems.forEach(p -> System.out.println("  " + p));
                return 1;
            }
            default -> throw new SetupException("usage: candidates | plan | report (see the class comment of " + Main.class.getName() + ")");
        }
    }

    /** tests.txt must be exactly the rule's output: every candidate triaged, nothing else run. */
    static void checkCandidates(Lists lists, Set<String> candidates) throws SetupException {
        Set<String> missing = new TreeSet<>(candidates), extra = new TreeSet<>(lists.tests);
        missing.removeAll(lists.tests);
        extra.removeAll(candidates);
        if (missing.isEmpty() && extra.isEmpty())
            return;
        StringBuilder m = new StringBuilder("tests.txt is not the rule's candidate list (conformance/run --candidates prints it):");
        missing.forEach(t -> m.append("\n  missing: ").append(t));
        extra.forEach(t -> m.append("\n  not a candidate: ").append(t));
        throw new SetupException(m.toString());
    }

    private static Lists lists(Path conf) throws SetupException {
        return Lists.load(conf, conf.resolveSibling("docs").resolve("behaviours.md"));
    }

    private static CandidateRule rule(Path conf) throws SetupException {
        return CandidateRule.parse(Lists.lines(conf.resolve("rule.txt")));
    }

    private static void need(List<String> a, int n, String usage) throws SetupException {
        if (a.size() != n)
            throw new SetupException("usage: " + usage);
    }

    private static void write(Path file, List<String> lines) throws SetupException {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, lines);
        } catch (IOException e) {
            throw new SetupException("cannot write " + file + ": " + e.getMessage());
        }
    }
}
