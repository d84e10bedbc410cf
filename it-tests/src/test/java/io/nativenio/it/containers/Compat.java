package io.nativenio.it.containers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends one line per program x JDK to the compatibility report (target/it-report.tsv):
 * program, JDK, image, PASS or FAIL, seconds, what it exercised (or why it failed).
 */
public final class Compat {
    private Compat() {}

    public interface Body {
        ProgramRun run() throws Exception;
    }

    public static void record(String program, String jdk, String exercised, Body body) throws Exception {
        long t0 = System.nanoTime();
        String status = "FAIL";
        String note = exercised;
        try {
            body.run();
            status = "PASS";
        } catch (org.opentest4j.TestAbortedException e) {
            status = "SKIP";
            note = e.getMessage();
            throw e;
        } catch (Throwable t) {
            String m = String.valueOf(t.getMessage());
            note = m.split("\n", 2)[0];
            throw t;
        } finally {
            write(String.join("\t", program, jdk, Env.CONTROL ? "control (JDK provider)" : "nativenio", status,
                    String.format("%.1f", (System.nanoTime() - t0) / 1e9), note.replace('\t', ' ')));
        }
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
