package io.nativenio.jvm;

import static io.nativenio.jvm.ChildJvm.PROBE;
import static io.nativenio.jvm.ChildJvm.PROPERTY;
import static io.nativenio.jvm.ChildJvm.app;
import static io.nativenio.jvm.ChildJvm.classPath;
import static io.nativenio.jvm.ChildJvm.jar;
import static io.nativenio.jvm.ChildJvm.jdkFeature;
import static io.nativenio.jvm.ChildJvm.list;
import static io.nativenio.jvm.ChildJvm.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativenio.ch.NativeLibrary;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.function.UnaryOperator;
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
        copyJarChangingLibrary(jar(), corrupt, FailureIT::flipSomeBytes, false);
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        ChildJvm.Result r = run(dir.resolve("run"), PROPERTY, "-Djava.io.tmpdir=" + tmp,
                "-cp", classPath(corrupt, app(dir)), PROBE);
        assertMentions(r.assertFailedWith(ServiceConfigurationError.class),
                "the nativenio library inside the jar is corrupt (checksum mismatch)", NativeLibrary.platform(), "SHA-256 is ",
                "replace the jar with an intact copy");
        assertEquals(List.of(), list(tmp), "nothing extracted\n" + r.describe());
    }

    /**
     * A library that needs a newer glibc than the system's (simulated: the jar's library, with the checksum
     * updated, asks for GLIBC_9.x symbol versions) says so, without trying other directories or suggesting one.
     */
    @Test
    void libraryNeedingANewerGlibcSaysTheCLibraryIsTooOld() throws Exception {
        Path jar = dir.resolve("newer-glibc.jar");
        copyJarChangingLibrary(jar(), jar, FailureIT::needGlibc9, true);
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path home = Files.createDirectories(dir.resolve("home"));
        ChildJvm.Result r = run(dir.resolve("run"), PROPERTY, "-Djava.io.tmpdir=" + tmp, "-Duser.home=" + home,
                "-cp", classPath(jar, app(dir)), PROBE);
        String error = r.assertFailedWith(ServiceConfigurationError.class);
        assertLinkFailure(error);
        assertMentions(error, "-> found, checksum OK", "extraction into " + tmp + " -> java.lang.UnsatisfiedLinkError");
        assertTrue(!error.contains(".cache/nativenio"), "no other directory is tried\n" + error);
        assertEquals(List.of(), list(tmp), r.describe());
    }

    /** The same library named by -Dnativenio.library.path. */
    @Test
    void libraryPathPropertyNamingALibraryNeedingANewerGlibc() throws Exception {
        Path lib = Files.write(dir.resolve("libnativenio.so"), needGlibc9(Files.readAllBytes(
                LoaderIT.extractLibrary(Files.createDirectories(dir.resolve("lib"))))));
        ChildJvm.Result r = run(dir.resolve("run"), PROPERTY, "-Dnativenio.library.path=" + lib,
                "-cp", classPath(jar(), app(dir)), PROBE);
        String error = r.assertFailedWith(ServiceConfigurationError.class);
        assertLinkFailure(error);
        assertMentions(error, "Tried: -Dnativenio.library.path=" + lib + " -> java.lang.UnsatisfiedLinkError");
    }

    private static void assertLinkFailure(String error) {
        assertMentions(error, "the nativenio library for " + NativeLibrary.platform() + " cannot be linked on this "
                + "system: this system's C library is too old, or lacks a symbol or a library that it needs",
                "version `GLIBC_9.", "' not found", "glibc 2.17", "-Dnativenio.library.path=/abs/path/libnativenio.so");
        assertTrue(!error.contains("noexec") && !error.contains("-Dnativenio.tmpdir"),
                "no advice about directories or mounts\n" + error);
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

    /**
     * A copy of {@code jar} whose library is {@code change}d; its .sha256 is rewritten to match when
     * {@code newChecksum}, else kept.
     */
    private static void copyJarChangingLibrary(Path jar, Path copy, UnaryOperator<byte[]> change, boolean newChecksum)
            throws IOException {
        boolean changed = false;
        try (ZipFile in = new ZipFile(jar.toFile()); OutputStream file = Files.newOutputStream(copy);
             ZipOutputStream out = new ZipOutputStream(file)) {
            byte[] library = null;
            for (Enumeration<? extends ZipEntry> e = in.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                byte[] bytes;
                try (InputStream s = in.getInputStream(entry)) {
                    bytes = s.readAllBytes();
                }
                if (entry.getName().equals(LoaderIT.LIBRARY)) {
                    bytes = library = change.apply(bytes);
                    changed = true;
                } else if (newChecksum && entry.getName().equals(LoaderIT.LIBRARY + ".sha256")) {
                    continue;
                }
                out.putNextEntry(new ZipEntry(entry.getName()));
                out.write(bytes);
                out.closeEntry();
            }
            if (newChecksum && library != null) {
                out.putNextEntry(new ZipEntry(LoaderIT.LIBRARY + ".sha256"));
                out.write(sha256(library).getBytes(StandardCharsets.US_ASCII));
                out.closeEntry();
            }
        }
        assertTrue(changed, "the jar has no " + LoaderIT.LIBRARY);
    }

    private static byte[] flipSomeBytes(byte[] library) {
        byte[] bytes = library.clone();
        for (int i = bytes.length / 2; i < bytes.length / 2 + 16; i++) {
            bytes[i] ^= (byte) 0xff;
        }
        return bytes;
    }

    /**
     * The library with every glibc symbol version it needs renamed from GLIBC_2.x to GLIBC_9.x (same length, in
     * its string table): the dynamic linker then fails exactly as on a system whose glibc is too old.
     */
    static byte[] needGlibc9(byte[] library) {
        byte[] bytes = library.clone();
        byte[] from = "GLIBC_2.".getBytes(StandardCharsets.US_ASCII);
        int found = 0;
        for (int i = 0; i + from.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + from.length, from, 0, from.length)) {
                bytes[i + 6] = '9';
                found++;
            }
        }
        assertTrue(found > 0, "the library names no GLIBC_2.x version");
        return bytes;
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
