package io.nativenio.ch;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.AccessController;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Loads the JNI library that the jar carries under {@code io/nativenio/native/<os>-<arch>/}.
 *
 * <p>Order (docs/architecture.md#the-loader): the override
 * {@code -Dnativenio.library.path=/abs/file}; else extraction into a fresh private directory (owner-only
 * permissions, unpredictable name, SHA-256 checked) under {@code nativenio.tmpdir} if set, then
 * {@code java.io.tmpdir}, then {@code ~/.cache/nativenio} for machines whose temp dir is mounted noexec or
 * not writable. Each of these is used only if no other user can change it or any directory above it
 * ({@link SafeDirectory}); one that fails the check is skipped with a warning that says why. The extracted
 * file is deleted as soon as it is loaded (the mapping stays valid), so nothing is left behind even if the
 * JVM crashes later. {@code System.load(absolutePath)} works from any class
 * loader, including the boot loader (behaviours.md#finding-the-provider). The whole load runs privileged, so a
 * SecurityManager on JDK 17 needs to grant permissions to this jar only, not to the code that happens to trigger the
 * load (behaviours.md#securitymanager-checks-on-jdk-17).
 *
 * <p>If no attempt succeeds, {@link UnavailableException} says in its message which platform was looked
 * for, every attempt and why it failed, and how to fix it; each failure is also a suppressed exception. A
 * library that was found but cannot be linked into this process (a C library older than the one it was built
 * for, a missing symbol) ends the search at once: it would fail the same from any other directory.
 */
public final class NativeLibrary {
    public static final String PATH_PROPERTY = "nativenio.library.path";
    public static final String TMPDIR_PROPERTY = "nativenio.tmpdir";
    /**
     * dlopen's (glibc, musl) and dyld's words for a library that was read but cannot be linked: a symbol
     * version or a symbol that the system's libraries lack, or a library it needs that is not there.
     */
    private static final Pattern LINK_FAILURE = Pattern.compile("version `[^']*' not found|undefined symbol"
            + "|symbol not found|Error relocating|Library not loaded|Error loading shared library"
            + "|: cannot open shared object file", Pattern.CASE_INSENSITIVE);

    private static String loadedFrom;

    private NativeLibrary() {
    }

    /** Thrown when no attempt could load the library; every attempt is a suppressed cause. */
    public static final class UnavailableException extends Exception {
        private static final long serialVersionUID = 1L;

        UnavailableException(String message) {
            super(message);
        }
    }

    /**
     * Loads the library once; later calls return at once. A failed load is tried again by the next call:
     * what failed may pass later (a full fd table, a full disk), and a failure kept would break the
     * provider for the JVM's life.
     */
    @SuppressWarnings("removal") // a SecurityManager on JDK 17 must not stop the load
    public static synchronized void load() throws UnavailableException {
        if (loadedFrom != null) {
            return;
        }
        try {
            loadedFrom = AccessController.doPrivileged((PrivilegedExceptionAction<String>) NativeLibrary::tryAll);
        } catch (PrivilegedActionException e) {
            throw (UnavailableException) e.getException();
        } catch (RuntimeException e) {
            UnavailableException failure = new UnavailableException("nativenio: the native library for "
                    + platform() + " could not be loaded: " + e);
            failure.addSuppressed(e);
            throw failure;
        }
    }

    /** Loads the library or fails with an {@link UnsatisfiedLinkError} carrying the full explanation. */
    public static void loadOrThrowError() {
        try {
            load();
        } catch (UnavailableException e) {
            UnsatisfiedLinkError error = new UnsatisfiedLinkError(e.getMessage());
            error.initCause(e);
            throw error;
        }
    }

    /** Where the library was loaded from, or null if it is not loaded. */
    public static synchronized String loadedFrom() {
        return loadedFrom;
    }

    /** The platform directory name inside the jar, e.g. {@code linux-x86_64}. */
    public static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String osName = os.startsWith("linux") ? "linux"
                : os.startsWith("mac") ? "macos"
                : os.startsWith("freebsd") ? "freebsd"
                : os.replaceAll("[^a-z0-9]", "");
        String archName = switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> arch.replaceAll("[^a-z0-9_]", "");
        };
        return osName + "-" + archName;
    }

    /** The library's file name on this OS: {@code libnativenio.dylib} on macOS, else {@code libnativenio.so}. */
    static String fileName() {
        return platform().startsWith("macos-") ? "libnativenio.dylib" : "libnativenio.so";
    }

    /**
     * What {@code e}, thrown by {@link System#load}, means when it says that the library cannot be linked into
     * this process (the attempt's entry in the message quotes it), or null when it says something else (not a library, not readable, a file system mounted noexec).
     */
    static String linkFailure(Throwable e) {
        if (!(e instanceof UnsatisfiedLinkError) || !LINK_FAILURE.matcher(String.valueOf(e.getMessage())).find()) {
            return null;
        }
        return "the nativenio library for " + platform() + " cannot be linked on this system: this system's C "
                + "library is too old, or lacks a symbol or a library that it needs";
    }

    /**
     * The facade class {@code jniName} (e.g. {@code io/nativenio/ch/IO}) without initializing it: called by
     * JNI_OnLoad (native/common/onload.c) to register natives. JNI's FindClass would run the class's static
     * initializer, which calls {@link #load()} again while the library is still loading.
     */
    static Class<?> facadeClass(String jniName) throws ClassNotFoundException {
        return Class.forName(jniName.replace('/', '.'), false, NativeLibrary.class.getClassLoader());
    }

    /** The attempts made so far, each with its outcome, and their exceptions. */
    private static final class Attempts {
        final List<String> tried = new ArrayList<>();
        final List<Throwable> failures = new ArrayList<>();

        void failed(String attempt, Throwable why) {
            tried.add(attempt + " -> " + why);
            failures.add(why);
        }

        /** Ends the search when {@code e} says that the library cannot be linked here (see linkFailure). */
        void stopIfUnlinkable(Throwable e) throws UnavailableException {
            String why = linkFailure(e);
            if (why != null) {
                throw unavailable(why, "use a system whose C library is at least as new as the one the library "
                        + "was built for (glibc 2.17 for the jar's Linux libraries), or build the library from native/"
                        + " on this system and pass it with -D" + PATH_PROPERTY + "=/abs/path/" + fileName());
            }
        }

        UnavailableException unavailable(String what, String fix) {
            String message = "nativenio: " + what + " (platform " + platform() + ", from os.name="
                    + System.getProperty("os.name") + " os.arch=" + System.getProperty("os.arch") + "). Tried: "
                    + String.join("; ", tried) + ". To fix: " + fix
                    + (failures.stream().anyMatch(SecurityException.class::isInstance)
                            ? "; under a SecurityManager, grant this jar the permissions it needs in the policy" : "")
                    + ".";
            UnavailableException e = new UnavailableException(message);
            failures.forEach(e::addSuppressed);
            return e;
        }
    }

    private static String tryAll() throws UnavailableException {
        Attempts attempts = new Attempts();
        String override = System.getProperty(PATH_PROPERTY);
        if (override != null) {
            String attempt = "-D" + PATH_PROPERTY + "=" + override;
            try {
                return loadOverride(override);
            } catch (IOException | RuntimeException | LinkageError e) {
                attempts.failed(attempt, e);
                attempts.stopIfUnlinkable(e);
                throw attempts.unavailable("the library named by -D" + PATH_PROPERTY + " could not be loaded",
                        "check that " + override + " is the nativenio library built for " + platform()
                                + ", or remove -D" + PATH_PROPERTY + " to use the one inside the jar");
            }
        }
        String name = fileName();
        String resource = "/io/nativenio/native/" + platform() + "/" + name;
        String attempt = "resource " + resource + " in " + codeSource();
        byte[] library;
        String expectedSha256;
        try {
            library = readResource(resource);
            byte[] sum = library == null ? null : readResource(resource + ".sha256");
            expectedSha256 = sum == null ? null : new String(sum, StandardCharsets.US_ASCII).trim().split("\\s+")[0];
        } catch (IOException | RuntimeException e) {
            attempts.failed(attempt, e);
            throw attempts.unavailable("the nativenio library for " + platform() + " could not be read from the jar",
                    "check that the jar is readable and intact");
        }
        if (library == null) {
            attempts.tried.add(attempt + " -> not found");
            throw attempts.unavailable("this jar carries no nativenio library for " + platform(),
                    "use a nativenio jar built for " + platform() + ", or build the library from native/ and pass "
                            + "its path with -D" + PATH_PROPERTY + "=/abs/path/" + name);
        }
        String actual = sha256(library);
        if (expectedSha256 == null || !actual.equalsIgnoreCase(expectedSha256)) {
            attempts.failed(attempt, new IOException(expectedSha256 == null
                    ? "the jar has no checksum file " + resource + ".sha256"
                    : "SHA-256 is " + actual + ", the jar's " + name + ".sha256 says " + expectedSha256));
            throw attempts.unavailable("the nativenio library inside the jar is corrupt (checksum mismatch)",
                    "replace the jar with an intact copy");
        }
        attempts.tried.add(attempt + " -> found, checksum OK");
        for (Candidate candidate : extractionDirs()) {
            try {
                return extractAndLoad(SafeDirectory.create(candidate.base(), candidate.dir()), name, library, actual);
            } catch (UnsafeDirectoryException e) {
                System.getLogger("io.nativenio").log(Level.WARNING,
                        "nativenio: not extracting the native library into " + candidate.dir() + ": " + e.getMessage());
                attempts.failed("extraction into " + candidate.dir(), e);
            } catch (IOException | RuntimeException | LinkageError e) {
                attempts.failed("extraction into " + candidate.dir(), e);
                attempts.stopIfUnlinkable(e);
            }
        }
        throw attempts.unavailable("the nativenio library for " + platform() + " could not be extracted and loaded",
                "set -D" + TMPDIR_PROPERTY + "=<a writable directory on a file system mounted with exec>, or pass "
                        + "an extracted copy with -D" + PATH_PROPERTY + "=/abs/path/" + name);
    }

    private static String loadOverride(String override) throws IOException {
        if (override.isBlank()) {
            throw new IOException("the property is empty");
        }
        Path file = Paths.get(override).toAbsolutePath();
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + " is not a regular file");
        }
        System.load(file.toString());
        return file.toString();
    }

    private static String codeSource() {
        try {
            var source = NativeLibrary.class.getProtectionDomain().getCodeSource();
            return source == null || source.getLocation() == null ? "the class path" : source.getLocation().toString();
        } catch (SecurityException e) {
            return "the nativenio jar";
        }
    }

    private static byte[] readResource(String name) throws IOException {
        try (InputStream in = NativeLibrary.class.getResourceAsStream(name)) {
            return in == null ? null : in.readAllBytes();
        }
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("SHA-256 is required of every JDK", e);
        }
    }

    /** A directory to extract into, and the existing directory above it from which it may be created. */
    private record Candidate(Path dir, Path base) {
    }

    /**
     * A temp directory that does not exist is created, but only its last component; the cache directory may
     * also need {@code ~/.cache} created (a new account has none), never the home directory.
     */
    private static List<Candidate> extractionDirs() {
        List<Candidate> dirs = new ArrayList<>();
        for (String name : new String[] {System.getProperty(TMPDIR_PROPERTY), System.getProperty("java.io.tmpdir")}) {
            if (name != null && !name.isBlank()) {
                Path dir = Paths.get(name).toAbsolutePath();
                Path parent = dir.getParent();
                dirs.add(new Candidate(dir, parent == null || Files.isDirectory(dir) ? dir : parent));
            }
        }
        String home = System.getProperty("user.home");
        if (home != null && !home.isBlank() && !home.equals("?")) {
            Path base = Paths.get(home).toAbsolutePath();
            dirs.add(new Candidate(base.resolve(".cache").resolve("nativenio"), base));
        }
        return dirs;
    }

    /**
     * Whether {@code dir} is on a file system mounted noexec, from the mount whose mount point is the longest
     * prefix of its real path in /proc/self/mountinfo (fields: 5th the mount point, octal-escaped; 6th the
     * mount's options). False when that cannot be read, and on other systems than Linux (no mountinfo): then
     * loading is simply tried.
     */
    private static boolean isOnNoexecMount(Path dir) {
        if (!platform().startsWith("linux-")) {
            return false;
        }
        try {
            Path real = dir.toRealPath();
            Path bestMount = null;
            boolean noexec = false;
            for (String line : Files.readAllLines(Paths.get("/proc/self/mountinfo"))) {
                String[] f = line.split(" ");
                Path mount = Paths.get(f[4].replace("\\040", " ").replace("\\011", "\t").replace("\\134", "\\"));
                // a later line mounted over the same point hides the earlier one, hence >=
                if (real.startsWith(mount) && (bestMount == null || mount.getNameCount() >= bestMount.getNameCount())) {
                    bestMount = mount;
                    noexec = Arrays.asList(f[5].split(",")).contains("noexec");
                }
            }
            return noexec;
        } catch (IOException | RuntimeException unknown) {
            return false;
        }
    }

    /**
     * Extracts into a fresh owner-only directory under {@code parent} (a real path that {@link SafeDirectory}
     * has checked), loads, and deletes both.
     */
    private static String extractAndLoad(Path parent, String name, byte[] library, String sha256) throws IOException {
        if (isOnNoexecMount(parent)) {
            // not even tried: a failed dlopen there leaves the library's first segment mapped (glibc)
            throw new IOException(parent + " is on a file system mounted noexec");
        }
        Path dir = Files.createTempDirectory(parent, "nativenio-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path file = dir.resolve(name);
        try {
            Files.write(Files.createFile(file,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))), library);
            if (!sha256(Files.readAllBytes(file)).equals(sha256)) {
                throw new IOException("extracted copy " + file + " differs from the jar's library");
            }
            System.load(file.toString());
            return file + " (extracted from the jar, deleted after loading)";
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }
}
