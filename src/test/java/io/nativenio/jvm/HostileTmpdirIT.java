package io.nativenio.jvm;

import static io.nativenio.jvm.ChildJvm.PROBE;
import static io.nativenio.jvm.ChildJvm.app;
import static io.nativenio.jvm.ChildJvm.classPath;
import static io.nativenio.jvm.ChildJvm.jar;
import static io.nativenio.jvm.ChildJvm.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Another user of the machine attacks the extraction: java.io.tmpdir is a directory that everybody may write
 * to without the sticky bit, and a second user (uid 65534, through setpriv(1)) runs an inotify(7) watcher
 * that swaps the loader's private directory for its own and, once the extracted library has been read back
 * for its checksum, puts its own library in its place (src/test/resources/io/nativenio/jvm/tmpdir-swapper.py).
 * The attacker's library leaves a marker file when its constructor runs. The loader must refuse such a
 * directory, say so on stderr, and load from the cache directory under user.home instead.
 */
class HostileTmpdirIT {
    private static final int LAUNCHES = 30;
    private static final int OTHER_UID = 65534;
    private static final String SETPRIV = "/usr/bin/setpriv";
    private static final String PYTHON = "/usr/bin/python3";

    @TempDir
    Path dir;

    @Test
    void swappedPrivateDirectoryNeverLoadsTheAttackersLibrary() throws Exception {
        assumeTrue((Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS) == 0,
                "skipped: needs root to run a second user");
        assumeTrue(Files.isExecutable(Path.of(SETPRIV)), "skipped: needs " + SETPRIV + " (util-linux)");
        assumeTrue(Files.isExecutable(Path.of(PYTHON)), "skipped: needs " + PYTHON + " for the second user");
        Files.setAttribute(dir, "unix:mode", 0755); // the second user must reach the shared directory
        Path shared = Files.createDirectory(dir.resolve("shared"));
        Files.setAttribute(shared, "unix:mode", 0777);
        Path marker = dir.resolve("marker");
        Path evil = compileAttackersLibrary(marker);
        Path home = Files.createDirectory(dir.resolve("home"));

        Process swapper = new ProcessBuilder(SETPRIV, "--reuid=" + OTHER_UID, "--regid=" + OTHER_UID, "--clear-groups",
                PYTHON, resource("tmpdir-swapper.py").toString(), shared.toString(), evil.toString())
                .redirectError(dir.resolve("swapper.err").toFile()).start();
        try {
            BlockingQueue<String> steps = lines(swapper.getInputStream());
            expect(steps, "ready");
            assertSwapperWorks(shared, evil, steps);

            List<ChildJvm.Result> results = new ArrayList<>();
            int ran = 0;
            for (int i = 0; i < LAUNCHES; i++) {
                results.add(run(dir.resolve("run" + i), "-Djava.io.tmpdir=" + shared, "-Duser.home=" + home,
                        "-cp", classPath(jar(), app(dir)), PROBE));
                if (Files.deleteIfExists(marker)) {
                    ran++;
                }
            }
            List<String> swaps = new ArrayList<>();
            steps.drainTo(swaps);
            assertEquals(0, ran, "the attacker's library ran in " + ran + " of " + LAUNCHES + " launches; the "
                    + "second user's steps: " + swaps + "\nfirst launch:\n" + results.get(0).describe());
            assertEquals(List.of(), swaps, "nothing is created in the shared directory");
            for (ChildJvm.Result r : results) {
                r.assertNativenio();
                assertTrue(r.value("loadedFrom").startsWith(home.resolve(".cache/nativenio/nativenio-").toString()),
                        r.describe());
                assertTrue(r.stderr().contains("WARNING: nativenio: not extracting the native library into " + shared
                        + ": " + shared + " is writable by its group and others and has no sticky bit"), r.describe());
            }
        } finally {
            swapper.destroy();
            swapper.waitFor();
        }
    }

    /** The attacker's library, built from marker-constructor.c, readable by the second user. */
    private Path compileAttackersLibrary(Path marker) throws IOException, InterruptedException {
        Path evil = dir.resolve("libevil.so");
        Process cc = new ProcessBuilder("gcc", "-shared", "-fPIC", "-DMARKER=\"" + marker + "\"", "-o", evil.toString(),
                resource("marker-constructor.c").toString()).redirectErrorStream(true).start();
        String output = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assumeTrue(cc.waitFor() == 0, "skipped: gcc could not build the attacker's library: " + output);
        Files.setAttribute(evil, "unix:mode", 0644);
        return evil;
    }

    /**
     * Before the launches, proof that the second user can do what the test claims to stop: a directory made
     * like the loader's is swapped, and a file written and read back in it becomes the attacker's library.
     */
    private static void assertSwapperWorks(Path shared, Path evil, BlockingQueue<String> steps) throws Exception {
        Path probe = Files.createDirectory(shared.resolve("nativenio-check"));
        expect(steps, "swapped nativenio-check");
        Path file = probe.resolve("libnativenio.so");
        Files.write(file, new byte[] {1, 2, 3});
        Files.readAllBytes(file);
        expect(steps, "replaced nativenio-check");
        assertArrayEquals(Files.readAllBytes(evil), Files.readAllBytes(file), "the second user replaced the file");
        try (var entries = Files.walk(shared)) {
            entries.filter(p -> !p.equals(shared)).sorted((a, b) -> b.compareTo(a)).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    private static void expect(BlockingQueue<String> steps, String line) throws InterruptedException {
        String got = steps.poll(30, TimeUnit.SECONDS);
        assertNotNull(got, "the second user did not report \"" + line + "\" in time");
        assertEquals(line, got, "the second user's report");
    }

    /** The lines of {@code in}, read by a daemon thread. */
    private static BlockingQueue<String> lines(InputStream in) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                r.lines().forEach(lines::add);
            } catch (IOException | UncheckedIOException ended) {
                // the swapper was stopped
            }
        }, "swapper-output");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    /** A copy of the test resource {@code name} in the test's directory, readable by the second user. */
    private Path resource(String name) throws IOException {
        Path copy = dir.resolve(name);
        if (Files.notExists(copy)) {
            try (InputStream in = HostileTmpdirIT.class.getResourceAsStream(name)) {
                assertNotNull(in, "test resource " + name);
                Files.copy(in, copy);
            }
            Files.setAttribute(copy, "unix:mode", 0644);
        }
        return copy;
    }
}
