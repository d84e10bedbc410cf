package io.nativenio.conformance.agent;

import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The per-JVM sentinel of the conformance run: a Java agent that, when its JVM exits, appends one line to
 * the file named by its argument:
 *
 * <pre>{@code <pid> <test file or -> <used: 0|1>}</pre>
 *
 * where {@code used} is 1 when the provider class {@value #PROVIDER} was loaded, that is when
 * {@code SelectorProvider.provider()} ran in that JVM with nativenio installed (nothing else loads it). It
 * only looks at the loaded classes, so it never loads the provider itself. The test file is jtreg's
 * {@code test.file} property of the JVM; a JVM that a test started has none, and takes it from the
 * {@code TESTFILE} variable of a shell test or from the {@code -Dtest.file=} argument on the command line of
 * its nearest ancestor that has one. The line is written with one {@code write(2)} in append mode, so that
 * concurrent JVMs never interleave. This class is the only one of its jar: the agent jar joins the system
 * class path of every test JVM.
 */
public final class ProviderUse {
    static final String PROVIDER = "io.nativenio.NativeSelectorProvider";
    private static final String TEST_FILE = "-Dtest.file=";
    private static final int ANCESTORS = 8;

    private ProviderUse() {}

    public static void premain(String file, Instrumentation inst) {
        Path out = Path.of(file);
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> record(out, inst), "provider-use"));
        } catch (SecurityException e) {
            // a policy that does not grant this jar (the run grants it): no record, and the test runs on
            System.err.println("provider-use agent: no record for this JVM: " + e);
        }
    }

    private static void record(Path out, Instrumentation inst) {
        boolean used = false;
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (c.getName().equals(PROVIDER)) {
                used = true;
                break;
            }
        }
        String line = ProcessHandle.current().pid() + " " + testFile().replace(' ', '_') + " " + (used ? 1 : 0) + "\n";
        try {
            Files.write(out, line.getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            System.err.println("provider-use agent: cannot write " + out + ": " + e);
        }
    }

    private static String testFile() {
        String t = System.getProperty("test.file");
        if (t == null)
            t = System.getenv("TESTFILE");
        Optional<ProcessHandle> p = ProcessHandle.current().parent();
        for (int i = 0; t == null && i < ANCESTORS && p.isPresent(); i++, p = p.get().parent())
            t = testFileArgument(p.get().pid());
        return t == null ? "-" : t;
    }

    /** The -Dtest.file= argument on the command line of process pid (/proc/pid/cmdline), or null. */
    private static String testFileArgument(long pid) {
        try {
            for (String arg : Files.readString(Path.of("/proc/" + pid + "/cmdline"), StandardCharsets.UTF_8).split("\0"))
                if (arg.startsWith(TEST_FILE))
                    return arg.substring(TEST_FILE.length());
        } catch (IOException | RuntimeException e) {
            // gone, or not ours to read: try the next ancestor
        }
        return null;
    }
}
