package io.nativenio.jvm;

import static io.nativenio.jvm.ChildJvm.jar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * native/build/check-lib, the build's check of every library before it goes into the jar: it passes each
 * library the jar carries, and fails a library that exports more than JNI_OnLoad or needs a glibc symbol
 * version above 2.17.
 */
class NativeLibsIT {
    private static final Path BUILD = Path.of("native/build").toAbsolutePath();

    @TempDir
    Path dir;

    private record Outcome(int status, String output) {
    }

    private static Outcome run(Path work, String... command) throws IOException, InterruptedException {
        Path log = work.resolve("command.log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        int status = p.waitFor();
        return new Outcome(status, Files.readString(log));
    }

    private Outcome checkLib(String platform, Path library) throws IOException, InterruptedException {
        return run(dir, BUILD.resolve("check-lib").toString(), platform, library.toString());
    }

    @Test
    void everyLibraryInTheJarPasses() throws Exception {
        List<String> checked = new ArrayList<>();
        try (ZipFile zip = new ZipFile(jar().toFile())) {
            for (ZipEntry entry : zip.stream().toList()) {
                String[] parts = entry.getName().split("/");
                if (parts.length == 5 && entry.getName().startsWith("io/nativenio/native/")
                        && parts[4].matches("libnativenio\\.(so|dylib)")) {
                    Path lib = Files.createDirectories(dir.resolve(parts[3])).resolve(parts[4]);
                    try (InputStream in = zip.getInputStream(entry)) {
                        Files.copy(in, lib);
                    }
                    Outcome o = checkLib(parts[3], lib);
                    assertEquals(0, o.status(), o.output());
                    checked.add(parts[3]);
                }
            }
        }
        assertTrue(checked.contains("linux-x86_64"), "checked " + checked);
    }

    /** The jar's library renamed to need GLIBC_9.x versions (as FailureIT does) fails the check. */
    @Test
    void libraryNeedingGlibcAbove217Fails() throws Exception {
        Path lib = dir.resolve("libnativenio.so");
        Files.write(lib, FailureIT.needGlibc9(Files.readAllBytes(
                LoaderIT.extractLibrary(Files.createDirectories(dir.resolve("jar"))))));
        Outcome o = checkLib("linux-x86_64", lib);
        assertEquals(1, o.status(), o.output());
        assertTrue(o.output().matches("(?s).*needs \\w+@GLIBC_9\\.\\d+, above glibc 2\\.17.*"), o.output());
    }

    /** A library with one more exported function, for Linux and macOS (compiled by the build's own Zig). */
    @Test
    void libraryExportingMoreThanJniOnLoadFails() throws Exception {
        Path source = Files.writeString(dir.resolve("extra.c"), "#include <jni.h>\n"
                + "JNIEXPORT jint JNI_OnLoad(JavaVM *vm, void *r) { (void) vm; (void) r; return JNI_VERSION_1_8; }\n"
                + "int extra(int x) { return x + 1; }\n");
        String include = Path.of(System.getProperty("java.home"), "include").toString();
        Path so = dir.resolve("extra.so");
        Outcome built = run(dir, BUILD.resolve("zig").toString(), "cc", "-target", "aarch64-linux-gnu.2.17",
                "-I" + include, "-I" + include + "/linux", "-shared", "-o", so.toString(), source.toString());
        assertEquals(0, built.status(), built.output());
        Outcome o = checkLib("linux-aarch64", so);
        assertEquals(1, o.status(), o.output());
        assertTrue(o.output().contains("exports extra (only JNI_OnLoad may be exported)"), o.output());
        Path dylib = dir.resolve("extra.dylib");
        built = run(dir, BUILD.resolve("zig").toString(), "build-lib", "-dynamic", "-fno-compiler-rt", "-lc",
                "-target", "x86_64-macos", "--name", "extra", "-femit-bin=" + dylib, "-cflags", "-I" + include,
                "-I" + include + "/linux", "--", source.toString());
        assertEquals(0, built.status(), built.output());
        o = checkLib("macos-x86_64", dylib);
        assertEquals(1, o.status(), o.output());
        assertTrue(o.output().contains("exports _extra (only _JNI_OnLoad may be exported)"), o.output());
        o = checkLib("macos-aarch64", dylib);
        assertTrue(o.output().contains("built for Mach-O CPU type 0x1000007, not aarch64"), o.output());
    }
}
