package io.nativenio.it;

import static io.nativenio.it.ChildJvm.PROBE;
import static io.nativenio.it.ChildJvm.PROPERTY;
import static io.nativenio.it.ChildJvm.app;
import static io.nativenio.it.ChildJvm.classPath;
import static io.nativenio.it.ChildJvm.jar;
import static io.nativenio.it.ChildJvm.jdkFeature;
import static io.nativenio.it.ChildJvm.list;
import static io.nativenio.it.ChildJvm.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the native library cannot be loaded, a program gets one clear error that names the platform, what was
 * tried and how to fix it: never a JVM crash and never a bare UnsatisfiedLinkError (docs/architecture.md#the-loader).
 * A platform without a library is simulated with {@code -Dos.arch=riscv64},
 * which the JVM lets the command line override (checked in each test through the probe's {@code os.arch}).
 */
class FailureIT {
    private static final String RISCV = "-Dos.arch=riscv64";

    @TempDir
    Path dir;

    private static void assertMentions(String text, String... parts) {
        for (String part : parts) {
            assertTrue(text.contains(part), "expected \"" + part + "\" in:\n" + text);
        }
    }

    private static void assertNoLibraryForRiscv(String message) {
        assertMentions(message, "no nativenio library for linux-riscv64", "os.arch=riscv64",
                "Tried: resource /io/nativenio/native/linux-riscv64/libnativenio.so in ", "-> not found",
                "To fix:", "-Dnativenio.library.path=");
    }

    @Test
    void platformWithoutLibraryViaSystemPropertyIsAServiceConfigurationError() throws Exception {
        ChildJvm.Result r = run(dir.resolve("run"), RISCV, PROPERTY, "-cp", classPath(jar(), app(dir)), PROBE);
        assertEquals("riscv64", r.value("os.arch"), "-Dos.arch overrides the JVM's value\n" + r.describe());
        String error = r.assertFailedWith(ServiceConfigurationError.class);
        assertNoLibraryForRiscv(error);
    }

    /**
     * ServiceLoader route. JDK 17's lookup skips a provider whose constructor throws SecurityException and
     * falls back to the JDK's provider, after nativenio logged why; JDK 25's lookup (findFirst) does not skip,
     * so the program gets the ServiceConfigurationError.
     */
    @Test
    void platformWithoutLibraryViaServiceLoader() throws Exception {
        ChildJvm.Result r = run(dir.resolve("run"), RISCV, "-cp", classPath(jar(), app(dir)), PROBE);
        assertEquals("riscv64", r.value("os.arch"), r.describe());
        boolean fellBack = r.exitCode() == 0;
        if (jdkFeature() == 17) {
            assertTrue(fellBack, "JDK 17 falls back to its own provider\n" + r.describe());
        } else if (jdkFeature() >= 25) {
            assertTrue(!fellBack, "JDK 25 reports the failure\n" + r.describe());
        }
        if (fellBack) {
            r.assertProbeWorked();
            assertTrue(r.value("provider").startsWith("sun.nio.ch."), r.describe());
            assertMentions(r.stderr(), "WARNING: nativenio:");
            assertNoLibraryForRiscv(r.stderr());
        } else {
            assertNoLibraryForRiscv(r.assertFailedWith(ServiceConfigurationError.class));
        }
    }

    @Test
    void corruptLibraryInTheJarIsAChecksumError() throws Exception {
        Path corrupt = dir.resolve("corrupt.jar");
        copyJarAlteringLibrary(jar(), corrupt);
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        ChildJvm.Result r = run(dir.resolve("run"), PROPERTY, "-Djava.io.tmpdir=" + tmp,
                "-cp", classPath(corrupt, app(dir)), PROBE);
        assertMentions(r.assertFailedWith(ServiceConfigurationError.class),
                "the nativenio library inside the jar is corrupt (checksum mismatch)", "linux-x86_64", "SHA-256 is ",
                "replace the jar with an intact copy");
        assertEquals(List.of(), list(tmp), "nothing extracted\n" + r.describe());
    }

    @Test
    void garbageFileNamedByTheLibraryPathProperty() throws Exception {
        Path garbage = Files.writeString(dir.resolve("libnativenio.so"), "this is not a shared library\n");
        ChildJvm.Result r = run(dir.resolve("run"), PROPERTY, "-Dnativenio.library.path=" + garbage,
                "-cp", classPath(jar(), app(dir)), PROBE);
        assertMentions(r.assertFailedWith(ServiceConfigurationError.class),
                "the library named by -Dnativenio.library.path could not be loaded",
                "Tried: -Dnativenio.library.path=" + garbage + " -> java.lang.UnsatisfiedLinkError",
                "remove -Dnativenio.library.path to use the one inside the jar");
    }

    @Test
    void missingFileNamedByTheLibraryPathProperty() throws Exception {
        Path missing = dir.resolve("no-such-dir/libnativenio.so");
        ChildJvm.Result r = run(dir.resolve("run"), PROPERTY, "-Dnativenio.library.path=" + missing,
                "-cp", classPath(jar(), app(dir)), PROBE);
        assertMentions(r.assertFailedWith(ServiceConfigurationError.class),
                "the library named by -Dnativenio.library.path could not be loaded", missing + " is not a regular file");
    }

    @Test
    void nowhereToExtractListsEveryDirectoryTried() throws Exception {
        ChildJvm.Result r = run(dir.resolve("run"), PROPERTY, "-Dnativenio.tmpdir=/proc/nativenio-it-a",
                "-Djava.io.tmpdir=/proc/nativenio-it-b", "-Duser.home=/proc/nativenio-it-c",
                "-cp", classPath(jar(), app(dir)), PROBE);
        assertMentions(r.assertFailedWith(ServiceConfigurationError.class),
                "could not be extracted and loaded", "-> found, checksum OK",
                "extraction into /proc/nativenio-it-a -> ", "extraction into /proc/nativenio-it-b -> ",
                "extraction into /proc/nativenio-it-c/.cache/nativenio -> ", "-Dnativenio.tmpdir=");
    }

    /** A directory refused as unsafe is in the final error with its reason, as every other attempt. */
    @Test
    void refusedDirectoryIsInTheErrorWithItsReason() throws Exception {
        Path shared = Files.createDirectories(dir.resolve("shared"));
        Files.setAttribute(shared, "unix:mode", 0777);
        ChildJvm.Result r = run(dir.resolve("run"), PROPERTY, "-Dnativenio.tmpdir=" + shared,
                "-Djava.io.tmpdir=/proc/nativenio-it-b", "-Duser.home=/proc/nativenio-it-c",
                "-cp", classPath(jar(), app(dir)), PROBE);
        assertMentions(r.assertFailedWith(ServiceConfigurationError.class), "could not be extracted and loaded",
                "extraction into " + shared + " -> io.nativenio.ch.UnsafeDirectoryException: " + shared
                        + " is writable by its group and others and has no sticky bit (mode 0777)",
                "extraction into /proc/nativenio-it-c/.cache/nativenio -> io.nativenio.ch.UnsafeDirectoryException: "
                        + "/proc/nativenio-it-c does not exist");
        assertMentions(r.stderr(), "WARNING: nativenio: not extracting the native library into " + shared + ": ");
        assertEquals(List.of(), list(shared), r.describe());
    }

    /** A copy of {@code jar} whose library has some bytes changed; its .sha256 is kept. */
    private static void copyJarAlteringLibrary(Path jar, Path copy) throws IOException {
        boolean altered = false;
        try (ZipFile in = new ZipFile(jar.toFile()); OutputStream file = Files.newOutputStream(copy);
             ZipOutputStream out = new ZipOutputStream(file)) {
            for (Enumeration<? extends ZipEntry> e = in.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                byte[] bytes;
                try (InputStream s = in.getInputStream(entry)) {
                    bytes = s.readAllBytes();
                }
                if (entry.getName().equals(LoaderIT.LIBRARY)) {
                    for (int i = bytes.length / 2; i < bytes.length / 2 + 16; i++) {
                        bytes[i] ^= (byte) 0xff;
                    }
                    altered = true;
                }
                out.putNextEntry(new ZipEntry(entry.getName()));
                out.write(bytes);
                out.closeEntry();
            }
        }
        assertTrue(altered, "the jar has no " + LoaderIT.LIBRARY);
    }
}
