package io.nativenio.conformance;

import io.nativenio.conformance.Lists.Kind;
import io.nativenio.conformance.Outcome.Status;
import io.nativenio.conformance.Outcome.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Holds the legs' outcomes against the lists. For each test and JDK the verdict is one of: passed;
 * failed (did not pass and is not listed: a problem); expected (listed in expected-failures.txt or
 * excluded.txt and did not pass); not applicable (listed in not-applicable.txt, and the provider-use
 * records show that no JVM of the test loaded the provider). A listed test that passes, a not-applicable
 * test that used the provider, an unlisted test that passed without using it and a sentinel that did not
 * pass are problems too: any problem fails the run.
 */
final class Report {
    enum Verdict { PASSED, FAILED, EXPECTED, NOT_APPLICABLE }

    /** One test on one JDK. */
    record Row(String test, Outcome outcome, Verdict verdict, String note, boolean problem) {}

    /** Counts of one leg. */
    record Counts(int passed, int failed, int expected, int notApplicable) {
        int total() {
            return passed + failed + expected + notApplicable;
        }
    }

    private final Lists lists;
    private final boolean checkExcluded;
    final Map<Leg, List<Row>> rows = new java.util.LinkedHashMap<>();
    final List<String> problems = new ArrayList<>();

    Report(Lists lists, List<Leg> legs, boolean checkExcluded) {
        this.lists = lists;
        this.checkExcluded = checkExcluded;
        for (Leg leg : legs)
            if (leg.skipped == null)
                rows.put(leg, judge(leg));
    }

    private List<Row> judge(Leg leg) {
        List<Row> out = new ArrayList<>();
        Outcome sentinel = leg.outcomes.get(Lists.SENTINEL);
        if (sentinel == null || sentinel.status() != Status.PASS || sentinel.usage() != Usage.USED)
            problems.add("JDK " + leg.feature + ": the sentinel did not pass"
                    + (sentinel == null ? " (not run)" : " (" + sentinel.status() + ", provider " + sentinel.usage() + ")")
                    + ": is the provider under test in use? Nothing else of this leg means anything.");
        for (String test : lists.tests) {
            // not asked for (a partial run: CONFORMANCE_ONLY) and not excluded: not part of this run
            if (!leg.planned.contains(test) && lists.find(Kind.EXCLUDED, test, leg.feature).isEmpty())
                continue;
            Row r = judge(leg.feature, test, leg.outcomes.get(test));
            if (r.problem)
                problems.add("JDK " + leg.feature + ": " + r.outcome.status() + " " + test + ": " + r.note);
            out.add(r);
        }
        return out;
    }

    Row judge(int feature, String test, Outcome o) {
        Optional<Entry> x = lists.find(Kind.EXPECTED, test, feature);
        Optional<Entry> e = lists.find(Kind.EXCLUDED, test, feature);
        Optional<Entry> na = lists.find(Kind.NOT_APPLICABLE, test, feature);
        if (o == null) {
            return e.isPresent() && !checkExcluded
                    ? new Row(test, new Outcome(Status.EXCL, "Excluded.", Usage.UNKNOWN), Verdict.EXPECTED, "excluded: " + e.get().reason(), false)
                    : new Row(test, new Outcome(Status.SKIP, "No result.", Usage.UNKNOWN), Verdict.FAILED, "jtreg gave no result", true);
        }
        if (na.isPresent()) {
            return switch (o.usage()) {
                case UNUSED -> new Row(test, o, Verdict.NOT_APPLICABLE, "not applicable: " + na.get().reason(), false);
                case USED -> new Row(test, o, Verdict.NOT_APPLICABLE, "listed in not-applicable.txt but the provider was used: delete the line", true);
                case UNKNOWN -> new Row(test, o, Verdict.NOT_APPLICABLE, "listed in not-applicable.txt but no JVM of it left a provider-use record", true);
            };
        }
        Optional<Entry> listed = x.or(() -> e);
        if (o.status() == Status.PASS) {
            if (x.isPresent() && x.get().intermittent())
                return new Row(test, o, Verdict.PASSED, "passed this time; " + x.get().reason(), false);
            if (listed.isPresent())
                return new Row(test, o, Verdict.PASSED, "listed in " + (x.isPresent() ? Kind.EXPECTED.file : Kind.EXCLUDED.file)
                        + " but passed: delete the line (the lists only shrink)", true);
            if (o.usage() == Usage.UNUSED)
                return new Row(test, o, Verdict.PASSED, "passed, but no JVM of it used the provider: list it in not-applicable.txt", true);
            return new Row(test, o, Verdict.PASSED, "", false);
        }
        if (listed.isPresent())
            return new Row(test, o, Verdict.EXPECTED, (x.isPresent() ? "expected: " : "excluded (--check-excluded ran it): ") + listed.get().reason(), false);
        return new Row(test, o, Verdict.FAILED, "unexpected: " + o.why(), true);
    }

    Counts counts(Leg leg) {
        int[] c = new int[Verdict.values().length];
        for (Row r : rows.get(leg))
            c[r.verdict.ordinal()]++;
        return new Counts(c[0], c[1], c[2], c[3]);
    }

    /** The per-test lines, then one line per leg. */
    List<String> lines(List<Leg> legs) {
        List<String> out = new ArrayList<>();
        for (Leg leg : legs) {
            if (leg.skipped != null) {
                out.add("jdk" + leg.feature + ": skipped: " + leg.skipped);
                continue;
            }
            Outcome s = leg.outcomes.get(Lists.SENTINEL);
            out.add(String.format("%-5s %s  (sentinel, provider %s)", s == null ? "-" : s.status(), Lists.SENTINEL, s == null ? "-" : s.usage()));
            for (Row r : rows.get(leg))
                out.add(String.format("%-5s %s%s", r.outcome.status(), r.test, r.note.isEmpty() ? "" : (r.problem ? "  <- " : "  (") + r.note + (r.problem ? "" : ")")));
            Counts c = counts(leg);
            out.add(String.format("jdk%d: %d passed, %d failed, %d expected, %d not applicable (of %d; %d s)",
                    leg.feature, c.passed, c.failed, c.expected, c.notApplicable, c.total(), leg.seconds));
        }
        return out;
    }

    /** The markdown table of the run, one row per JDK. */
    List<String> summary(List<Leg> legs, String header) {
        List<String> out = new ArrayList<>(List.of(header, "",
                "| JDK | version | passed | failed | expected | not applicable | total | time |",
                "|---|---|---|---|---|---|---|---|"));
        for (Leg leg : legs) {
            if (leg.skipped != null) {
                out.add("| " + leg.feature + " | skipped: " + leg.skipped.replace("|", "\\|") + " | | | | | | |");
                continue;
            }
            Counts c = counts(leg);
            out.add(String.format("| %d | %s | %d | %d | %d | %d | %d | %d s |", leg.feature, leg.runtime,
                    c.passed, c.failed, c.expected, c.notApplicable, c.total(), leg.seconds));
        }
        if (!problems.isEmpty()) {
            out.add("");
            out.add("Problems in this run:");
            out.add("");
            problems.forEach(p -> out.add("- " + p));
        }
        return out;
    }

    /** The list edits that would make the lists match this run (never applied: a reason needs a human). */
    List<String> suggestions() {
        Set<String> out = new TreeSet<>();
        Map<String, Set<Integer>> failing = new TreeMap<>(), unused = new TreeMap<>();
        for (var legRows : rows.entrySet())
            for (Row r : legRows.getValue()) {
                int f = legRows.getKey().feature;
                if (!r.problem)
                    continue;
                if (r.verdict == Verdict.FAILED)
                    failing.computeIfAbsent(r.test + "\t" + r.outcome.status() + " " + r.outcome.why(), k -> new TreeSet<>()).add(f);
                else if (r.verdict == Verdict.PASSED && r.outcome.usage() == Usage.UNUSED)
                    unused.computeIfAbsent(r.test, k -> new TreeSet<>()).add(f);
                else
                    for (Kind k : Kind.values())
                        lists.find(k, r.test, f).ifPresent(e -> out.add("delete   " + e.where() + "   (JDK " + f + ": " + r.note + "; narrow its jdks if it still fails on another)"));
            }
        failing.forEach((k, f) -> {
            String[] t = k.split("\t", 2);
            out.add("add      " + Kind.EXPECTED.file + ": " + t[0] + "  " + jdks(f) + "  TODO  TODO: " + t[1]);
        });
        unused.forEach((t, f) -> out.add("add      " + Kind.NOT_APPLICABLE.file + ": " + t + "  " + jdks(f) + "  -  TODO: what the test exercises instead"));
        return new ArrayList<>(out);
    }

    private String jdks(Set<Integer> features) {
        Set<Integer> all = new TreeSet<>();
        rows.keySet().forEach(l -> all.add(l.feature));
        return features.equals(all) ? "all" : String.join(",", features.stream().map(String::valueOf).toList());
    }
}
