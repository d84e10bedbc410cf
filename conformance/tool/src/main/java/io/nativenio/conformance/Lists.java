package io.nativenio.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The list files of conformance/, the source of truth of the run: tests.txt (every candidate test, one
 * path a line) and the three triage lists, which say per test and JDK why a test does not simply pass.
 * Loading checks every rule of the format; a broken line is a {@link SetupException}.
 */
final class Lists {
    /** Our own test that fails unless nativenio is the provider in use; run on every leg, never listed. */
    static final String SENTINEL = "java/nio/channels/nativenio/ProviderInUse.java";

    enum Kind {
        EXPECTED("expected-failures.txt"), EXCLUDED("excluded.txt"), NOT_APPLICABLE("not-applicable.txt");

        final String file;

        Kind(String file) {
            this.file = file;
        }
    }

    private static final Pattern JDKS = Pattern.compile("all|[1-9][0-9]*(,[1-9][0-9]*)*");
    private static final Pattern BEHAVIOURS = Pattern.compile("-|[a-z0-9_-]+(,[a-z0-9_-]+)*");
    private static final Pattern HEADING = Pattern.compile("^#{1,6} +(.*)$");

    final Set<String> tests;
    private final List<List<Entry>> byKind = new ArrayList<>();

    private Lists(Set<String> tests) {
        this.tests = Collections.unmodifiableSet(tests);
    }

    /** Reads dir/tests.txt and the three lists; behaviour anchors are checked against behavioursMd. */
    static Lists load(Path dir, Path behavioursMd) throws SetupException {
        Set<String> anchors = anchors(lines(behavioursMd));
        Set<String> tests = new LinkedHashSet<>();
        int n = 0;
        for (String line : lines(dir.resolve("tests.txt"))) {
            n++;
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#"))
                continue;
            if (t.contains(" ") || t.contains("\t") || !t.endsWith(".java"))
                throw new SetupException("tests.txt:" + n + ": one test path (…/Name.java) a line: " + line);
            if (t.equals(SENTINEL))
                throw new SetupException("tests.txt:" + n + ": the sentinel runs anyway: " + line);
            if (!tests.add(t))
                throw new SetupException("tests.txt:" + n + ": listed twice: " + t);
        }
        Lists lists = new Lists(tests);
        for (Kind kind : Kind.values())
            lists.byKind.add(parse(kind.file, lines(dir.resolve(kind.file)), anchors, tests));
        lists.checkDisjoint();
        return lists;
    }

    /** The entry of that kind for test on JDK feature, if any. */
    Optional<Entry> find(Kind kind, String test, int feature) {
        return entries(kind).stream().filter(e -> e.test().equals(test) && e.holdsFor(feature)).findFirst();
    }

    List<Entry> entries(Kind kind) {
        return byKind.get(kind.ordinal());
    }

    /** GitHub's anchors of the markdown headings: lower case, punctuation dropped, blanks become '-'. */
    static Set<String> anchors(List<String> markdown) {
        Set<String> anchors = new TreeSet<>();
        for (String line : markdown) {
            var m = HEADING.matcher(line);
            if (m.matches())
                anchors.add(m.group(1).strip().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 _-]", "").replace(' ', '-'));
        }
        return anchors;
    }

    static List<Entry> parse(String file, List<String> lines, Set<String> anchors, Set<String> tests)
            throws SetupException {
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#"))
                continue;
            String where = file + ":" + (i + 1) + ": " + line;
            String[] f = line.split("\\s+", 4);
            if (f.length < 4 || f[3].startsWith("TODO"))
                throw new SetupException(where + "\n  want: <test> <jdks> <behaviours> <reason>, with a real reason (not TODO)");
            if (!JDKS.matcher(f[1]).matches())
                throw new SetupException(where + "\n  jdks must be all or feature versions, comma-separated (e.g. 17 or 21,25)");
            if (!BEHAVIOURS.matcher(f[2]).matches())
                throw new SetupException(where + "\n  behaviours must be anchors of docs/behaviours.md, comma-separated, or -");
            for (String b : f[2].split(","))
                if (!b.equals("-") && !anchors.contains(b))
                    throw new SetupException(where + "\n  " + b + " is not a heading of docs/behaviours.md");
            if (f[0].equals(SENTINEL))
                throw new SetupException(where + "\n  the sentinel cannot be listed");
            if (!tests.contains(f[0]))
                throw new SetupException(where + "\n  " + f[0] + " is not in tests.txt (a stale line? delete it)");
            Set<Integer> jdks = f[1].equals("all") ? Set.of()
                    : Set.of(f[1].split(",")).stream().map(Integer::valueOf).collect(Collectors.toUnmodifiableSet());
            entries.add(new Entry(f[0], jdks, f[2], f[3], where));
        }
        return Collections.unmodifiableList(entries);
    }

    /** A test has at most one line per JDK across the three lists. */
    private void checkDisjoint() throws SetupException {
        List<Entry> all = byKind.stream().flatMap(List::stream).collect(Collectors.toList());
        for (int i = 0; i < all.size(); i++)
            for (int j = i + 1; j < all.size(); j++) {
                Entry a = all.get(i), b = all.get(j);
                if (a.test().equals(b.test()) && a.overlaps(b))
                    throw new SetupException("two lines for the same test and JDK:\n  " + a.where() + "\n  " + b.where());
            }
    }

    static List<String> lines(Path file) throws SetupException {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new SetupException("cannot read " + file + ": " + e.getMessage());
        }
    }
}
