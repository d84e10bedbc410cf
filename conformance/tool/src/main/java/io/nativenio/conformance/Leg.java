package io.nativenio.conformance;

import io.nativenio.conformance.Outcome.Status;
import io.nativenio.conformance.Outcome.Usage;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One JDK's run, read back from its folder (written by conformance/run): leg.properties (feature, runtime,
 * seconds, or skipped=why), tests.txt (what jtreg was asked to run), report/text/summary.txt (jtreg's
 * verdicts), work/**.jtr (to tell self-skipped tests from passed ones) and provider-use.txt (the agent's
 * one line per JVM, see {@code agent.ProviderUse}).
 */
final class Leg {
    /** A jtreg "Passed" whose .jtr matches this skipped itself, fully or partly. */
    static final Pattern SKIPPED = Pattern.compile(
            "jtreg\\.SkippedException|Skips: [1-9]|Unix domain (channels |sockets )?not supported");

    final Path dir;
    final int feature;
    final String runtime;
    final long seconds;
    /** Why this JDK's leg could not run, or null. */
    final String skipped;
    /** Per test file (several @test blocks of one file are one entry: the first that did not pass wins). */
    final Map<String, Outcome> outcomes = new TreeMap<>();
    /** The tests jtreg was asked to run (tests.txt of the leg). */
    final Set<String> planned = new HashSet<>();

    private Leg(Path dir, Properties p) throws SetupException {
        this.dir = dir;
        try {
            this.feature = Integer.parseInt(p.getProperty("feature", ""));
            this.seconds = Long.parseLong(p.getProperty("seconds", "0"));
        } catch (NumberFormatException e) {
            throw new SetupException(dir.resolve("leg.properties") + ": bad feature or seconds");
        }
        this.runtime = p.getProperty("runtime", "?");
        this.skipped = p.getProperty("skipped");
    }

    static Leg read(Path dir) throws SetupException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(dir.resolve("leg.properties"))) {
            p.load(r);
        } catch (IOException e) {
            throw new SetupException("cannot read " + dir.resolve("leg.properties") + ": " + e.getMessage());
        }
        Leg leg = new Leg(dir, p);
        if (leg.skipped == null)
            leg.readResults();
        return leg;
    }

    private void readResults() throws SetupException {
        Path summary = dir.resolve("report/text/summary.txt");
        Map<String, String> verdicts = new HashMap<>();    // "Foo.java" or "Foo.java#id1" -> "Passed. ..."
        for (String line : Lists.lines(summary)) {
            String[] f = line.strip().split("\\s+", 2);
            if (f.length == 2)
                verdicts.put(f[0], f[1]);
        }
        for (String test : Lists.lines(dir.resolve("tests.txt"))) {
            if (test.isBlank())
                continue;
            planned.add(test);
            List<String> ids = verdicts.keySet().stream().filter(k -> k.equals(test) || k.startsWith(test + "#")).sorted().toList();
            if (ids.isEmpty())    // no JVM ever started for it, so none used the provider
                merge(test, new Outcome(Status.SKIP, "Not run: its @requires does not hold here.", Usage.UNUSED));
            for (String id : ids)
                merge(test, new Outcome(status(id, verdicts.get(id)), verdicts.get(id), Usage.UNKNOWN));
        }
        Map<String, Usage> usage = usage(Lists.lines(dir.resolve("provider-use.txt")));
        outcomes.replaceAll((t, o) -> o.usage() == Usage.UNUSED ? o : o.withUsage(usage.getOrDefault(t, Usage.UNKNOWN)));
    }

    private void merge(String test, Outcome o) {
        Outcome prev = outcomes.get(test);
        if (prev == null || prev.status() == Status.PASS)
            outcomes.put(test, o);
    }

    private Status status(String id, String verdict) {
        if (verdict.startsWith("Passed.")) {
            // Foo.java#id1 -> work/.../Foo_id1.jtr
            Path jtr = dir.resolve("work").resolve(id.replace(".java#", "_").replaceAll("\\.java$", "") + ".jtr");
            return verdict.contains("SkippedException") || SKIPPED.matcher(text(jtr)).find() ? Status.SKIP : Status.PASS;
        }
        if (verdict.startsWith("Failed."))
            return Status.FAIL;
        if (verdict.startsWith("Error."))
            return Status.ERROR;
        return Status.SKIP;
    }

    private static String text(Path p) {
        try {
            return Files.readString(p, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "";
        }
    }

    /** The agent's lines "pid test.file used" folded per test: USED if any of its JVMs used the provider. */
    static Map<String, Usage> usage(List<String> lines) {
        Map<String, Usage> usage = new HashMap<>();
        for (String l : lines) {
            String[] f = l.strip().split(" ");
            if (f.length == 3)
                relative(f[1]).ifPresent(t -> usage.merge(t, f[2].equals("1") ? Usage.USED : Usage.UNUSED,
                        (a, b) -> a == Usage.USED || b == Usage.USED ? Usage.USED : Usage.UNUSED));
        }
        return usage;
    }

    /** /…/test/jdk/java/nio/Foo.java -> java/nio/Foo.java */
    private static Optional<String> relative(String testFile) {
        int i = testFile.lastIndexOf("/test/jdk/");
        return i < 0 ? Optional.empty() : Optional.of(testFile.substring(i + "/test/jdk/".length()));
    }
}
