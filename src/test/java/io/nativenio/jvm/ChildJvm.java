package io.nativenio.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.nativenio.jvm.app.Probe;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs a child JVM (the test's own {@code java.home}) in a work directory of its own and collects its exit
 * status and output. The jar under test is the packaged one, named by the system property
 * {@code nativenio.jar} (set by Failsafe in pom.xml).
 *
 * <p>When the test JVM runs with -Xcheck:jni (Failsafe hands its extra options over as the system property
 * {@code test.jvm.extra}), every child gets it too, and a JNI warning raised in nativenio's native code fails
 * the test with the warning's lines. A warning raised in the JDK's own native code (a JDK-provider control,
 * or JDK-internal code exceeding the local-reference capacity -Xcheck:jni checks) is reported on the test's
 * stderr and does not fail it: it is not this project's bug.
 */
final class ChildJvm {
    static final String PROBE = Probe.class.getName();
    static final String PROPERTY = "-Djava.nio.channels.spi.SelectorProvider=io.nativenio.NativeSelectorProvider";
    private static final long TIMEOUT_S = 45;
    private static final String CHECK_JNI = "-Xcheck:jni";
    /** What -Xcheck:jni prints when native code misuses JNI (the same list as the jni-check step of pom.xml). */
    private static final Pattern JNI_WARNING = Pattern.compile(
            "in native method|WARNING: JNI local refs|Warning: Calling other JNI functions|handler modified!");
    private static final String FRAME = "\tat ";

    private ChildJvm() {
    }

    /** The packaged nativenio jar. */
    static Path jar() {
        String jar = System.getProperty("nativenio.jar");
        assertTrue(jar != null && Files.isRegularFile(Path.of(jar)),
                "-Dnativenio.jar must name the packaged jar (run with mvn verify): " + jar);
        return Path.of(jar);
    }

    static int jdkFeature() {
        return Runtime.version().feature();
    }

    /** The number of lines of {@code text} that contain {@code part} (a self-check's PASS, FAIL or SKIP lines, say). */
    static long lines(String text, String part) {
        return text.lines().filter(l -> l.contains(part)).count();
    }

    /**
     * A class directory {@code dir}/app holding only the child programs (package io.nativenio.jvm.app), created
     * on the first call.
     */
    static Path app(Path dir) {
        Path app = dir.resolve("app");
        if (Files.isDirectory(app)) {
            return app;
        }
        try {
            Path classes = Path.of(Probe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path pkg = classes.resolve(Probe.class.getPackageName().replace('.', '/'));
            Path target = app.resolve(classes.relativize(pkg));
            Files.createDirectories(target);
            try (Stream<Path> files = Files.list(pkg)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.copy(f, target.resolve(f.getFileName()));
                }
            }
            return app;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The class path {@code entries} joined with ':'. */
    static String classPath(Path... entries) {
        return Arrays.stream(entries).map(Path::toString).collect(Collectors.joining(":"));
    }

    /** Runs {@code java args...} in a new directory {@code work}; fails the test if it does not end in time. */
    static Result run(Path work, String... args) throws IOException, InterruptedException {
        return launch(work, List.of(), args);
    }

    /** As {@link #run}, with the java command started by {@code launcher} (a program that execs its arguments). */
    static Result launch(Path work, List<String> launcher, String... args) throws IOException, InterruptedException {
        Files.createDirectories(work);
        List<String> command = new ArrayList<>(launcher);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-XX:ErrorFile=" + work.resolve("hs_err_pid%p.log"));
        if (checkJni() && !List.of(args).contains(CHECK_JNI)) {
            command.add(CHECK_JNI);
        }
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(work.resolve("stdout.txt").toFile())
                .redirectError(work.resolve("stderr.txt").toFile());
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        Process p = pb.start();
        if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            fail("child JVM did not finish in " + TIMEOUT_S + " s: " + command + "\n" + read(work, "stdout.txt")
                    + read(work, "stderr.txt"));
        }
        Result r = new Result(command, p.exitValue(), read(work, "stdout.txt"), read(work, "stderr.txt"), work);
        r.assertNoJniWarningFromNativenio();
        return r;
    }

    /** A differential probe of the child programs, {@code main}, to run with {@link Program#run}. */
    static Program program(Path dir, Class<?> main) {
        return new Program(dir, main);
    }

    /**
     * A child program (package io.nativenio.jvm.app) run with the packaged jar and the programs on the class
     * path and java.base/sun.nio.ch exported, so that it can make the JDK's own provider as well as nativenio's.
     */
    static final class Program {
        private final Path dir;
        private final Class<?> main;
        private final List<String> launcher = new ArrayList<>();
        private final List<String> options = new ArrayList<>();

        private Program(Path dir, Class<?> main) {
            this.dir = dir;
            this.main = main;
        }

        /** Starts the java command through {@code command}, a program that execs its arguments. */
        Program launcher(String... command) {
            launcher.addAll(List.of(command));
            return this;
        }

        /** JVM options, before the class path. */
        Program options(String... jvmOptions) {
            options.addAll(List.of(jvmOptions));
            return this;
        }

        /** Runs the program with {@code args} in {@code dir}/{@code work}; fails unless it exits 0 without a crash. */
        Result run(String work, String... args) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>(options);
            command.addAll(List.of("--add-exports=java.base/sun.nio.ch=ALL-UNNAMED", "-cp", classPath(jar(), app(dir)),
                    main.getName()));
            command.addAll(List.of(args));
            return launch(dir.resolve(work), launcher, command.toArray(new String[0])).assertExited(0);
        }
    }

    /** Whether the test JVM was started with -Xcheck:jni (see the failsafe configuration in pom.xml). */
    private static boolean checkJni() {
        return Arrays.asList(System.getProperty("test.jvm.extra", "").trim().split("\\s+")).contains(CHECK_JNI);
    }

    private static String read(Path work, String name) throws IOException {
        return Files.readString(work.resolve(name), StandardCharsets.UTF_8);
    }

    /** Files directly in {@code dir}, for "nothing left behind" checks. */
    static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    record Result(List<String> command, int exitCode, String stdout, String stderr, Path work) {
        /** The value of the first {@code key=value} line of stdout, or null. */
        String value(String key) {
            List<String> all = values(key);
            return all.isEmpty() ? null : all.get(0);
        }

        List<String> values(String key) {
            return stdout.lines().filter(l -> l.startsWith(key + "=")).map(l -> l.substring(key.length() + 1))
                    .collect(Collectors.toList());
        }

        /**
         * Fails the test on a JNI warning raised in nativenio's native code: the first stack frame printed under
         * it is a native method of io.nativenio, or a library load (JNI_OnLoad) called from io.nativenio, or there
         * is no frame to tell. A warning whose frames are the JDK's own is reported on stderr only.
         */
        private void assertNoJniWarningFromNativenio() {
            List<String> ours = new ArrayList<>();
            List<String> jdk = new ArrayList<>();
            for (String out : List.of(stdout, stderr)) {
                List<String> lines = out.lines().collect(Collectors.toList());
                for (int i = 0; i < lines.size(); i++) {
                    if (!JNI_WARNING.matcher(lines.get(i)).find()) {
                        continue;
                    }
                    int end = i + 1;
                    while (end < lines.size() && lines.get(end).startsWith(FRAME)) {
                        end++;
                    }
                    List<String> warning = lines.subList(i, end);
                    (raisedByNativenio(warning.subList(1, warning.size())) ? ours : jdk).addAll(warning);
                }
            }
            if (!jdk.isEmpty()) {
                System.err.println("JNI warning from the JDK's own native code (not failing) in the child in " + work
                        + ":\n" + String.join("\n", jdk));
            }
            assertTrue(ours.isEmpty(), "JNI warning from nativenio's native code:\n" + String.join("\n", ours)
                    + "\n" + describe());
        }

        private static boolean raisedByNativenio(List<String> frames) {
            if (frames.isEmpty()) {
                return true;
            }
            String top = frames.get(0);
            if (isNativenio(top)) {
                return true;
            }
            // JNI_OnLoad runs under the JDK's library loading code: whose library it is, the caller tells
            return top.contains("NativeLibrar") && frames.stream().anyMatch(Result::isNativenio);
        }

        private static boolean isNativenio(String frame) {
            String method = frame.substring(FRAME.length());
            return method.startsWith("io.nativenio.") && !method.startsWith("io.nativenio.jvm.");
        }

        /** Everything about the run, for assertion messages. */
        String describe() {
            return "command: " + String.join(" ", command) + "\nexit: " + exitCode + "\n--- stdout\n" + stdout
                    + "--- stderr\n" + stderr;
        }

        /** Exited by itself (no signal, no VM abort), and left no hs_err file. */
        Result assertNoCrash() throws IOException {
            assertTrue(exitCode >= 0 && exitCode < 128, "exit status of a signal or abort\n" + describe());
            assertFalse(stderr.contains("A fatal error has been detected"), describe());
            assertTrue(list(work).stream().noneMatch(f -> f.startsWith("hs_err")), "hs_err file left\n" + describe());
            return this;
        }

        /** Exited with {@code status} by itself, with no crash. */
        Result assertExited(int status) throws IOException {
            assertNoCrash();
            assertEquals(status, exitCode, describe());
            return this;
        }

        /** The probe ran to its end with a working pipe and selector. */
        Result assertProbeWorked() throws IOException {
            assertExited(0);
            assertEquals("true", value("done"), describe());
            assertTrue(values("roundtrip").stream().allMatch("ok"::equals) && !values("roundtrip").isEmpty(),
                    describe());
            return this;
        }

        /** The probe ran on nativenio: provider, selector and pipe are ours, one copy of the library mapped. */
        Result assertNativenio() throws IOException {
            assertProbeWorked();
            assertEquals("io.nativenio.NativeSelectorProvider", value("provider"), describe());
            assertEquals("true", value("provider.same"), describe());
            assertTrue(value("selector").startsWith("io.nativenio."), describe());
            assertTrue(value("pipe.source").startsWith("io.nativenio."), describe());
            assertTrue(value("pipe.sink").startsWith("io.nativenio."), describe());
            assertEquals(1, values("mapped").size(), "exactly one copy of the library is mapped\n" + describe());
            return this;
        }

        /** The probe failed with {@code error} (exit 3), not with a crash or a bare UnsatisfiedLinkError. */
        String assertFailedWith(Class<? extends Throwable> error) throws IOException {
            assertExited(3);
            assertTrue(value("error").startsWith(error.getName()), describe());
            return value("error") + "\n" + String.join("\n", values("cause"));
        }
    }
}
