package io.nativenio.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;

/**
 * The rule that picks the candidate tests from the JDK's test tree (conformance/rule.txt). Each line is
 *
 * <pre>
 * every    PATHS          every test file under PATHS
 * matching PATHS REGEX    the test files under PATHS whose text matches REGEX (java.util.regex, find)
 * </pre>
 *
 * PATHS are paths relative to test/jdk (folders or files), comma-separated. A test file is a .java file with a jtreg {@code @test} tag at the start of
 * a comment line. The candidates are the union of the lines, sorted.
 */
final class CandidateRule {
    private static final Pattern TEST_TAG = Pattern.compile("(?m)^\\s*(/\\*)?\\*?\\s*@test\\b");

    private record Line(List<String> paths, Pattern regex, String where) {}

    private final List<Line> lines;

    private CandidateRule(List<Line> lines) {
        this.lines = lines;
    }

    static CandidateRule parse(List<String> text) throws SetupException {
        List<Line> lines = new ArrayList<>();
        for (int i = 0; i < text.size(); i++) {
            String l = text.get(i).strip();
            if (l.isEmpty() || l.startsWith("#"))
                continue;
            String where = "rule.txt:" + (i + 1) + ": " + l;
            String[] f = l.split("\\s+", 3);
            if (f[0].equals("every") && f.length == 2) {
                lines.add(new Line(List.of(f[1].split(",")), null, where));
            } else if (f[0].equals("matching") && f.length == 3) {
                try {
                    lines.add(new Line(List.of(f[1].split(",")), Pattern.compile(f[2]), where));
                } catch (PatternSyntaxException e) {
                    throw new SetupException(where + "\n  bad regex: " + e.getDescription());
                }
            } else {
                throw new SetupException(where + "\n  want: every PATH, or matching PATH REGEX");
            }
        }
        return new CandidateRule(List.copyOf(lines));
    }

    /** The candidates under testJdk (the test/jdk folder), as paths relative to it, sorted. */
    Set<String> candidates(Path testJdk) throws SetupException {
        Set<String> out = new TreeSet<>();
        for (Line line : lines)
            for (String path : line.paths)
                add(testJdk, testJdk.resolve(path), line, out);
        out.remove(Lists.SENTINEL);
        return out;
    }

    private static void add(Path testJdk, Path start, Line line, Set<String> out) throws SetupException {
        if (!Files.exists(start))
            throw new SetupException(line.where + "\n  " + start + " does not exist");
        try (Stream<Path> files = Files.walk(start)) {
            files.filter(p -> p.toString().endsWith(".java") && Files.isRegularFile(p)).forEach(p -> {
                String text = read(p);
                if (TEST_TAG.matcher(text).find() && (line.regex == null || line.regex.matcher(text).find()))
                    out.add(testJdk.relativize(p).toString().replace('\\', '/'));
            });
        } catch (IOException | UncheckedIOException e) {
            throw new SetupException("cannot read the test tree under " + start + ": " + e.getMessage());
        }
    }

    private static String read(Path p) {
        try {
            // ISO-8859-1 reads any byte: a few JDK test files are not UTF-8
            return Files.readString(p, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
