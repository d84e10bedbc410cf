package io.nativenio.it.containers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.opentest4j.TestAbortedException;

/**
 * Appends one line per program x JDK to the compatibility report (target/it-report.tsv): program, JDK, how
 * it ran ({@link Env#mode()}), PASS, FAIL or XFAIL, seconds, what it exercised (or why it failed).
 *
 * <p>Under the compatibility-testing mode a program may fail for a bug of its own that the mode brings out;
 * such a failure is listed in it-tests/compat-expected.txt with whose bug it is, and counts as XFAIL. A
 * listed program that passes fails the test, so that the list is corrected the day the program is fixed.
 */
public final class Compat {
    private Compat() {}

    public interface Body {
        ProgramRun run() throws Exception;
    }

    public static void record(String program, String jdk, String exercised, Body body) throws Exception {
        long t0 = System.nanoTime();
        String expected = Env.COMPAT.isEmpty() ? null : expectedFailure(program, jdk);
        String status = "FAIL";
        String note = exercised;
        try {
            ProgramRun run = body.run();
            status = "PASS";
            if (run != null && !run.compatReports().isEmpty()) {
                note += "; the mode's detectors reported (call sites by kind): " + run.compatReports();
            }
        } catch (TestAbortedException e) {
            status = "SKIP";
            note = e.getMessage();
            throw e;
        } catch (Throwable t) {
            note = String.valueOf(t.getMessage()).split("\n", 2)[0];
            if (expected == null) {
                throw t;
            }
            status = "XFAIL";
            note = "expected failure (" + expected + "): " + note;
        } finally {
            write(String.join("\t", program, jdk, Env.mode(), status,
                    String.format("%.1f", (System.nanoTime() - t0) / 1e9), note.replace('\t', ' ')));
        }
        if (expected != null && status.equals("PASS")) {
            throw new AssertionError(program + " on " + jdk + " passed under " + Env.mode() + " but is listed in"
                    + " it-tests/compat-expected.txt (" + expected + "): take it off the list");
        }
    }

    /**
     * The reason that compat-expected.txt gives for {@code program} on {@code jdk} under this run's options and
     * seed, or null. Lines: program, JDK (or *), options, seed (or *), reason; separated by tabs; # comments.
     */
    static String expectedFailure(String program, String jdk) throws IOException {
        String file = System.getProperty("nativenio.it.compat.expected");
        if (file == null) {
            return null;
        }
        List<String> lines = Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] f = line.split("\t+", 5);
            if (f.length == 5 && f[0].equals(program) && (f[1].equals("*") || f[1].equals(jdk))
                    && f[2].equals(Env.COMPAT) && (f[3].equals("*") || f[3].equals(String.valueOf(Env.COMPAT_SEED)))) {
                return f[4];
            }
        }
        return null;
    }

    private static boolean started;

    private static synchronized void write(String line) throws IOException {
        String p = System.getProperty("nativenio.it.report");
        if (p == null) return;
        // The first line of a run replaces the previous run's report.
        Files.writeString(Path.of(p), line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                started ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        started = true;
    }
}
