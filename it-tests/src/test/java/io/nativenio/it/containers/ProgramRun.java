package io.nativenio.it.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * One program run in its own container: the provider jar, the programs jar and their libraries are copied
 * to /opt/it, and the program runs with the provider's system property and nothing else changed.
 */
public final class ProgramRun {
    public static final String PROPERTY = "-Djava.nio.channels.spi.SelectorProvider=io.nativenio.NativeSelectorProvider";
    public static final String OURS = "io.nativenio.";

    public final String jdk;
    public final String program;
    public final int exitCode;
    public final String stdout;
    public final String stderr;
    public final double seconds;
    public String provider;
    public final Map<String, String> channels = new LinkedHashMap<>();
    public final Map<String, String> results = new LinkedHashMap<>();
    public boolean ok;
    public final List<String> fails = new ArrayList<>();

    private ProgramRun(String jdk, String program, Container.ExecResult r, double seconds) {
        this.jdk = jdk;
        this.program = program;
        this.exitCode = r.getExitCode();
        this.stdout = r.getStdout();
        this.stderr = r.getStderr();
        this.seconds = seconds;
        for (String line : stdout.split("\n")) {
            if (!line.startsWith("IT ")) continue;
            String[] f = line.substring(3).split(" ", 3);
            switch (f[0]) {
                case "provider": provider = f[1]; break;
                case "channel": channels.put(f[1], f.length > 2 ? f[2] : ""); break;
                case "result": results.put(f[1], f.length > 2 ? f[2] : ""); break;
                case "ok": ok = true; break;
                case "fail": fails.add(line.substring(8)); break;
                default: break;
            }
        }
    }

    /** The container of one program run; callers close it. */
    public static GenericContainer<?> container(String jdk) {
        Env.requireDocker();
        String image = Env.image(jdk);
        GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(image))
                .withCommand("sleep", "infinity")
                .withCopyFileToContainer(MountableFile.forHostPath(Env.providerJar()), "/opt/it/nativenio.jar")
                .withCopyFileToContainer(MountableFile.forHostPath(Env.programsJar()), "/opt/it/it-programs.jar")
                .withCopyFileToContainer(MountableFile.forHostPath(Env.programsLib()), "/opt/it/lib");
        return c;
    }

    /** The java command line of a program: our provider unless this is a control run. */
    public static List<String> javaCommand(int timeoutSeconds, String mainClass, String... args) {
        List<String> cmd = new ArrayList<>(List.of("timeout", "-k", "5", String.valueOf(timeoutSeconds), "java"));
        // A control run leaves the jar off the class path too: ServiceLoader would find it there.
        if (!Env.CONTROL) cmd.add(PROPERTY);
        if (!Env.COMPAT.isEmpty()) {
            cmd.addAll(List.of("-Dnativenio.compat=" + Env.COMPAT, "-Dnativenio.compat.seed=" + Env.COMPAT_SEED));
        }
        if (!Env.BACKEND.isEmpty()) {
            cmd.add("-Dnativenio.backend=" + Env.BACKEND);
        }
        cmd.addAll(List.of("-cp", (Env.CONTROL ? "" : "/opt/it/nativenio.jar:")
                + "/opt/it/it-programs.jar:/opt/it/lib/*", "io.nativenio.it.programs." + mainClass));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Starts a container on {@code jdk}'s image, runs the program in it to the end, and stops it. */
    public static ProgramRun run(String jdk, int timeoutSeconds, String mainClass, String... args) {
        try (GenericContainer<?> c = container(jdk)) {
            c.start();
            return exec(c, jdk, timeoutSeconds, mainClass, args);
        }
    }

    /** Runs the program in a started container and waits for it to end. */
    public static ProgramRun exec(GenericContainer<?> c, String jdk, int timeoutSeconds, String mainClass,
                                  String... args) {
        long t0 = System.nanoTime();
        Container.ExecResult r;
        try {
            r = c.execInContainer(StandardCharsets.UTF_8,
                    javaCommand(timeoutSeconds, mainClass, args).toArray(new String[0]));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        ProgramRun run = new ProgramRun(jdk, mainClass, r, (System.nanoTime() - t0) / 1e9);
        run.writeLog();
        // The backend asked for is never forced: one that the container refuses falls back with this warning
        // (docs/iouring.md#fallback), and the run would then not test it.
        if (!Env.BACKEND.isEmpty() && run.stderr.contains("is not available")) {
            throw new AssertionError(mainClass + " on " + jdk + " did not get the " + Env.BACKEND + " backend: "
                    + run.stderr.lines().filter(l -> l.contains("is not available")).findFirst().orElse(""));
        }
        System.out.printf("nativenio it-tests: %s on %s (%s): exit %d in %.1f s, provider %s%n",
                mainClass, jdk, c.getDockerImageName(), run.exitCode, run.seconds, run.provider);
        return run;
    }

    private void writeLog() {
        writeLog(program, jdk, exitCode, stdout, stderr);
    }

    /** Writes one run's exit code and output to target/it-logs/NAME-JDK.log. */
    public static void writeLog(String name, String jdk, int exitCode, String stdout, String stderr) {
        try {
            Path dir = Env.logDir();
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(logName(name, jdk)),
                    "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** NAME-JDK.log, with -BACKEND when a backend is asked for and -compat under the compatibility-testing mode. */
    private static String logName(String name, String jdk) {
        return name + "-" + jdk + (Env.BACKEND.isEmpty() ? "" : "-" + Env.BACKEND)
                + (Env.COMPAT.isEmpty() ? "" : "-compat") + ".log";
    }

    /**
     * The findings of the compatibility-testing mode's detectors in this run's output: for each kind (leaks,
     * loop-blocking, misuse), how many distinct call sites it reported.
     */
    public SortedMap<String, Integer> compatReports() {
        SortedMap<String, Integer> kinds = new TreeMap<>();
        for (String line : stderr.split("\n")) {
            Matcher m = REPORT.matcher(line);
            if (m.find()) {
                kinds.merge(m.group(1), 1, Integer::sum);
            }
        }
        return kinds;
    }

    private static final Pattern REPORT = Pattern.compile("^WARNING: nativenio (leaks|loop-blocking|misuse): ");

    /** "NAME on JDK (log: PATH)", for failure messages. */
    public static String where(String name, String jdk) {
        return name + " on " + jdk + " (log: " + Env.logDir().resolve(logName(name, jdk)) + ")";
    }

    private String where() {
        return where(program, jdk);
    }

    private static String tail(String s, int lines) {
        String[] l = s.split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(l, Math.max(0, l.length - lines), l.length));
    }

    /**
     * Asserts the program ran to its end, checked its traffic, and ran on our provider: the provider and
     * every selector and channel class it reported are ours (the JDK's in a control run), and each of
     * {@code roles} was reported.
     */
    public ProgramRun assertPassedOnProvider(String... roles) {
        if (exitCode != 0 || !ok) {
            fail(where() + ": exit " + exitCode + (exitCode == 124 ? " (timeout)" : "") + ", fails " + fails
                    + "\n--- stdout (tail)\n" + tail(stdout, 60) + "\n--- stderr (tail)\n" + tail(stderr, 80));
        }
        String prefix = Env.CONTROL ? "sun.nio.ch." : OURS;
        String expectedProvider = Env.CONTROL ? "sun.nio.ch." : "io.nativenio.NativeSelectorProvider";
        assertTrue(provider != null && provider.startsWith(expectedProvider),
                where() + ": SelectorProvider.provider() is " + provider + ", want " + expectedProvider);
        for (String role : roles) {
            assertTrue(channels.containsKey(role), where() + ": the program did not report channel " + role
                    + " (reported: " + channels + ")");
        }
        for (Map.Entry<String, String> e : channels.entrySet()) {
            assertTrue(e.getValue().startsWith(prefix), where() + ": " + e.getKey() + " is a "
                    + e.getValue() + ", not a " + prefix + "* class: the program did not run on "
                    + (Env.CONTROL ? "the JDK's provider" : "nativenio"));
        }
        return this;
    }

    public ProgramRun assertResult(String key, String value) {
        assertEquals(value, results.get(key), where() + ": result " + key);
        return this;
    }

    public long longResult(String key) {
        String v = results.get(key);
        assertTrue(v != null, where() + ": no result " + key);
        return Long.parseLong(v);
    }
}
