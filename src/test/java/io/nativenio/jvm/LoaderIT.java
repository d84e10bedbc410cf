package io.nativenio.jvm;

import static io.nativenio.jvm.ChildJvm.PROBE;
import static io.nativenio.jvm.ChildJvm.app;
import static io.nativenio.jvm.ChildJvm.classPath;
import static io.nativenio.jvm.ChildJvm.jar;
import static io.nativenio.jvm.ChildJvm.jdkFeature;
import static io.nativenio.jvm.ChildJvm.list;
import static io.nativenio.jvm.ChildJvm.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nativenio.ch.NativeLibrary;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native-library loader (docs/architecture.md#the-loader), seen from a fresh JVM:
 * extraction into a private directory that is gone afterwards, the {@code nativenio.library.path} override,
 * the fallback directories, and a SecurityManager on JDK 17 (behaviours.md#securitymanager-checks-on-jdk-17).
 */
class LoaderIT {
    /** The jar's entry for this machine's library (these tests read /proc: Linux only). */
    static final String LIBRARY = "io/nativenio/native/" + NativeLibrary.platform() + "/libnativenio.so";

    @TempDir
    Path dir;

    /** A new, empty directory {@code name} under the test's directory. */
    private Path fresh(String name) throws IOException {
        return Files.createDirectories(dir.resolve(name));
    }

    /** The mapped file is {@code parent}/nativenio-<random>/libnativenio.so and has been deleted. */
    private static void assertExtractedInto(Path parent, ChildJvm.Result r) {
        String mapped = r.values("mapped").get(0);
        assertTrue(Pattern.matches(Pattern.quote(parent.toString()) + "/nativenio-[0-9]+/libnativenio\\.so \\(deleted\\)",
                mapped), "mapped from " + mapped + ", expected a deleted file in a private directory under " + parent
                + "\n" + r.describe());
        assertTrue(r.value("loadedFrom").startsWith(parent + "/nativenio-"), r.describe());
    }

    @Test
    void extractsIntoAPrivateDirectoryAndLeavesNothingBehind() throws Exception {
        Path tmp = fresh("tmp");
        ChildJvm.Result r = run(dir.resolve("run"), "-Djava.io.tmpdir=" + tmp,
                "-Djava.library.path=" + fresh("empty-library-path"),
                "-cp", classPath(jar(), app(dir)), PROBE).assertNativenio();
        assertExtractedInto(tmp, r);
        assertEquals("600", r.value("mapped.mode"), "the extracted file is owner-only\n" + r.describe());
        assertEquals(List.of(), list(tmp), "left in java.io.tmpdir\n" + r.describe());
    }

    /** The directory and file exist only while System.load runs: a SecurityManager's checkLink sees them. */
    @Test
    void extractionDirectoryIsOwnerOnlyWhileLoading() throws Exception {
        assumeTrue(jdkFeature() < 24, "a SecurityManager cannot be installed on JDK 24+ (JEP 486)");
        Path tmp = fresh("tmp");
        ChildJvm.Result r = run(dir.resolve("run"), "-Djava.security.manager=allow", "-Djava.io.tmpdir=" + tmp,
                "-cp", classPath(jar(), app(dir)), PROBE, "watch-load").assertNativenio();
        assertTrue(r.value("load.file").startsWith(tmp + "/nativenio-"), r.describe());
        assertEquals("700", r.value("load.dir.mode"), r.describe());
        assertEquals("600", r.value("load.file.mode"), r.describe());
        assertEquals("true", r.value("load.owner.matches"), r.describe());
        assertEquals(List.of(), list(tmp), r.describe());
    }

    @Test
    void libraryPathPropertyOverridesTheJar() throws Exception {
        Path lib = extractLibrary(fresh("lib"));
        Path tmp = fresh("tmp");
        ChildJvm.Result r = run(dir.resolve("run"), "-Dnativenio.library.path=" + lib, "-Djava.io.tmpdir=" + tmp,
                "-cp", classPath(jar(), app(dir)), PROBE).assertNativenio();
        assertEquals(lib.toString(), r.value("loadedFrom"), r.describe());
        assertEquals(lib.toString(), r.values("mapped").get(0), r.describe());
        assertEquals(List.of(), list(tmp), "nothing extracted\n" + r.describe());
    }

    /** java.io.tmpdir cannot be created (nothing can be created under /proc): the next directory is used. */
    @Test
    void uncreatableTempDirFallsBackToTheCacheDirectory() throws Exception {
        Path home = fresh("home");
        ChildJvm.Result r = run(dir.resolve("run"), "-Djava.io.tmpdir=/proc/nativenio-it-no-such-dir",
                "-Duser.home=" + home, "-cp", classPath(jar(), app(dir)), PROBE).assertNativenio();
        Path cache = home.resolve(".cache/nativenio");
        assertExtractedInto(cache, r);
        assertEquals(List.of(), list(cache), r.describe());
    }

    /** nativenio.tmpdir comes first; when it cannot be used, java.io.tmpdir is next. */
    @Test
    void nativenioTmpdirIsTriedFirst() throws Exception {
        Path mine = fresh("mine");
        Path tmp = fresh("tmp");
        ChildJvm.Result r = run(dir.resolve("run1"), "-Dnativenio.tmpdir=" + mine, "-Djava.io.tmpdir=" + tmp,
                "-cp", classPath(jar(), app(dir)), PROBE).assertNativenio();
        assertExtractedInto(mine, r);
        r = run(dir.resolve("run2"), "-Dnativenio.tmpdir=/proc/nativenio-it-no-such-dir", "-Djava.io.tmpdir=" + tmp,
                "-cp", classPath(jar(), app(dir)), PROBE).assertNativenio();
        assertExtractedInto(tmp, r);
        assertEquals(List.of(), list(mine), r.describe());
        assertEquals(List.of(), list(tmp), r.describe());
    }

    /**
     * A temp directory that another user could write to without the sticky bit is refused with a warning that
     * names it and says why; the cache directory is used instead (the full attack: HostileTmpdirIT).
     */
    @Test
    void worldWritableTempDirIsRefusedWithAWarning() throws Exception {
        Path shared = fresh("shared");
        Files.setAttribute(shared, "unix:mode", 0777);
        Path home = fresh("home");
        ChildJvm.Result r = run(dir.resolve("run"), "-Djava.io.tmpdir=" + shared, "-Duser.home=" + home,
                "-cp", classPath(jar(), app(dir)), PROBE).assertNativenio();
        assertExtractedInto(home.resolve(".cache/nativenio"), r);
        assertTrue(r.stderr().contains("WARNING: nativenio: not extracting the native library into " + shared + ": "
                + shared + " is writable by its group and others and has no sticky bit (mode 0777)"), r.describe());
        assertEquals(List.of(), list(shared), r.describe());
    }

    /** A missing temp directory is created owner-only, when its parent exists and qualifies. */
    @Test
    void missingTempDirIsCreatedOwnerOnly() throws Exception {
        Path tmp = dir.resolve("new");
        ChildJvm.Result r = run(dir.resolve("run"), "-Djava.io.tmpdir=" + tmp,
                "-cp", classPath(jar(), app(dir)), PROBE).assertNativenio();
        assertExtractedInto(tmp, r);
        assertEquals("40700", Integer.toOctalString((Integer) Files.getAttribute(tmp, "unix:mode")), r.describe());
    }

    /**
     * A temp directory whose parent is missing too is not created (whoever created that parent first would own
     * the path): refused with a warning, and the cache directory is used.
     */
    @Test
    void tempDirWithMissingParentIsNotCreated() throws Exception {
        Path missing = dir.resolve("missing");
        Path home = fresh("home");
        ChildJvm.Result r = run(dir.resolve("run"), "-Djava.io.tmpdir=" + missing.resolve("tmp"), "-Duser.home=" + home,
                "-cp", classPath(jar(), app(dir)), PROBE).assertNativenio();
        assertExtractedInto(home.resolve(".cache/nativenio"), r);
        assertTrue(r.stderr().contains("WARNING: nativenio: not extracting the native library into "
                + missing.resolve("tmp") + ": " + missing + " does not exist"), r.describe());
        assertTrue(Files.notExists(missing), r.describe());
    }

    /** Only where the machine has a writable file system mounted noexec (none is created here). */
    @Test
    void noexecTempDirFallsBack() throws Exception {
        Optional<Path> noexec = writableNoexecMount();
        assumeTrue(noexec.isPresent(), "no writable noexec mount on this machine");
        Path tmp = Files.createTempDirectory(noexec.get(), "nativenio-it-");
        try {
            Path home = fresh("home");
            ChildJvm.Result r = run(dir.resolve("run"), "-Djava.io.tmpdir=" + tmp, "-Duser.home=" + home,
                    "-cp", classPath(jar(), app(dir)), PROBE).assertNativenio();
            assertExtractedInto(home.resolve(".cache/nativenio"), r);
            assertEquals(List.of(), list(tmp), r.describe());
        } finally {
            Files.delete(tmp);
        }
    }

    /**
     * JDK 17 with a SecurityManager and a policy that grants everything to the nativenio jar and nothing to
     * the application: discovery, loading and use work.
     */
    @Test
    void securityManagerWithPermissionsForTheJarOnly() throws Exception {
        securityManager("");
    }

    /** As above, with the application granted the one property that TempBuffers reads unprivileged. */
    @Test
    void securityManagerWithOnePropertyForTheApp() throws Exception {
        securityManager("grant codeBase \"" + app(dir).toUri() + "\" {\n"
                + "  permission java.util.PropertyPermission \"jdk.nio.maxCachedBufferSize\", \"read\";\n};\n");
    }

    private void securityManager(String appGrant) throws Exception {
        assumeTrue(jdkFeature() < 24, "a SecurityManager cannot be enabled on JDK 24+ (JEP 486)");
        Path policy = dir.resolve("test.policy");
        Files.writeString(policy, "grant codeBase \"" + jar().toUri() + "\" {\n"
                + "  permission java.security.AllPermission;\n};\n" + appGrant);
        Path tmp = fresh("tmp");
        ChildJvm.Result r = run(dir.resolve("run"), "-Djava.security.manager", "-Djava.security.policy=" + policy,
                "-Djava.io.tmpdir=" + tmp, "-cp", classPath(jar(), app(dir)), PROBE).assertProbeWorked();
        assertEquals("io.nativenio.NativeSelectorProvider", r.value("provider"), r.describe());
        assertTrue(r.value("selector").startsWith("io.nativenio."), r.describe());
        assertTrue(r.value("loadedFrom").startsWith(tmp + "/nativenio-"), r.describe());
        assertEquals("denied", r.value("mapped"), "the application itself has no file permission\n" + r.describe());
        assertEquals(List.of(), list(tmp), r.describe());
    }

    /**
     * The jar carries a library and its SHA-256 for each platform the build made (-Dnativenio.platforms, all four
     * unless "host"), and nothing else under io/nativenio/native/.
     */
    @Test
    void jarCarriesEachPlatformsLibraryWithItsChecksum() throws Exception {
        String platforms = System.getProperty("nativenio.platforms", "").trim();
        List<String> expected = new ArrayList<>();
        for (String platform : (platforms.equals("host") ? NativeLibrary.platform() : platforms).split("\\s+")) {
            String file = "io/nativenio/native/" + platform + "/libnativenio." + (platform.startsWith("macos-") ? "dylib" : "so");
            expected.add(file);
            expected.add(file + ".sha256");
        }
        assertTrue(expected.contains(LIBRARY), "this machine's library is among " + expected);
        try (ZipFile zip = new ZipFile(jar().toFile())) {
            List<String> entries = zip.stream().map(ZipEntry::getName)
                    .filter(n -> n.startsWith("io/nativenio/native/") && !n.endsWith("/")).sorted().toList();
            assertEquals(expected.stream().sorted().toList(), entries);
            for (String file : entries) {
                if (!file.endsWith(".sha256")) {
                    String sum = new String(read(zip, file + ".sha256"), StandardCharsets.US_ASCII).split("\\s+")[0];
                    assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(read(zip, file))),
                            sum, file);
                }
            }
        }
    }

    private static byte[] read(ZipFile zip, String entry) throws IOException {
        try (InputStream in = zip.getInputStream(zip.getEntry(entry))) {
            return in.readAllBytes();
        }
    }

    /** Copies the jar's library to {@code dir}/libnativenio.so. */
    static Path extractLibrary(Path dir) throws IOException {
        Path lib = dir.resolve("libnativenio.so");
        try (ZipFile zip = new ZipFile(jar().toFile()); InputStream in = zip.getInputStream(zip.getEntry(LIBRARY))) {
            Files.copy(in, lib);
        }
        return lib;
    }

    private static Optional<Path> writableNoexecMount() throws IOException {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/mountinfo"))) {
            return lines.map(l -> l.split(" "))
                    .filter(f -> List.of(f[5].split(",")).contains("noexec") && List.of(f[5].split(",")).contains("rw"))
                    .map(f -> Path.of(f[4]))
                    .filter(Files::isWritable)
                    .filter(p -> !p.startsWith("/proc") && !p.startsWith("/sys") && !p.startsWith("/dev/pts"))
                    .findFirst();
        }
    }
}
