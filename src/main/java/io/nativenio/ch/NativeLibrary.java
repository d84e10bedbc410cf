package io.nativenio.ch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.AccessController;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivilegedAction;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Loads the JNI library that the jar carries under {@code io/nativenio/native/<os>-<arch>/}.
 *
 * <p>Order (DESIGN.md "Native library packaging and loading"): the override
 * {@code -Dnativenio.library.path=/abs/file}; else extraction into a fresh private directory (owner-only
 * permissions, unpredictable name, SHA-256 checked) under {@code nativenio.tmpdir} if set, then
 * {@code java.io.tmpdir}, then {@code ~/.cache/nativenio} for machines whose temp dir is mounted noexec.
 * The extracted file is deleted as soon as it is loaded (the mapping stays valid), so nothing is left
 * behind even if the JVM crashes. {@code System.load(absolutePath)} works from any class loader,
 * including the boot loader (CONFORMANCE A3).
 */
public final class NativeLibrary {
    public static final String PATH_PROPERTY = "nativenio.library.path";
    public static final String TMPDIR_PROPERTY = "nativenio.tmpdir";
    private static final String NAME = "libnativenio.so";

    private static String loadedFrom;
    private static UnavailableException failure;

    private NativeLibrary() {
    }

    /** Thrown when no attempt could load the library; every attempt is a suppressed cause. */
    public static final class UnavailableException extends Exception {
        private static final long serialVersionUID = 1L;

        UnavailableException(String message) {
            super(message);
        }
    }

    /** Loads the library once; later calls return at once or throw the same failure again. */
    public static synchronized void load() throws UnavailableException {
        if (loadedFrom != null) {
            return;
        }
        if (failure != null) {
            throw failure;
        }
        try {
            loadedFrom = privileged(NativeLibrary::tryAll);
        } catch (UnavailableException e) {
            failure = e;
            throw e;
        }
    }

    /** Loads the library or fails with an {@link UnsatisfiedLinkError} carrying the full explanation. */
    static void loadOrThrowError() {
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

    private interface Attempt {
        String run() throws UnavailableException;
    }

    @SuppressWarnings("removal") // CONFORMANCE A9: a SecurityManager on JDK 17 must not stop the load
    private static String privileged(Attempt attempt) throws UnavailableException {
        UnavailableException[] thrown = new UnavailableException[1];
        String result = AccessController.doPrivileged((PrivilegedAction<String>) () -> {
            try {
                return attempt.run();
            } catch (UnavailableException e) {
                thrown[0] = e;
                return null;
            }
        });
        if (thrown[0] != null) {
            throw thrown[0];
        }
        return result;
    }

    private static String tryAll() throws UnavailableException {
        List<Throwable> failures = new ArrayList<>();
        List<String> tried = new ArrayList<>();
        String override = System.getProperty(PATH_PROPERTY);
        if (override != null) {
            tried.add("-D" + PATH_PROPERTY + "=" + override);
            try {
                return loadFile(Paths.get(override).toAbsolutePath());
            } catch (RuntimeException | LinkageError e) {
                failures.add(e);
                throw unavailable("the library named by -D" + PATH_PROPERTY + " could not be loaded",
                        tried, failures, "check that " + override + " is the nativenio library built for "
                                + platform() + ", or remove the property to use the one inside the jar");
            }
        }
        String resource = "/io/nativenio/native/" + platform() + "/" + NAME;
        byte[] library;
        String expectedSha256;
        try {
            library = readResource(resource);
            byte[] sum = readResource(resource + ".sha256");
            expectedSha256 = sum == null ? null : new String(sum, StandardCharsets.US_ASCII).trim().split("\\s+")[0];
        } catch (IOException e) {
            failures.add(e);
            library = null;
            expectedSha256 = null;
        }
        tried.add("resource " + resource + " in " + codeSource());
        if (library == null) {
            throw unavailable("this jar carries no nativenio library for " + platform(), tried, failures,
                    "use a nativenio jar built for " + platform() + ", or build the library from native/ and "
                            + "pass its path with -D" + PATH_PROPERTY + "=/abs/path/" + NAME);
        }
        String actual = sha256(library);
        if (!actual.equalsIgnoreCase(expectedSha256)) {
            failures.add(new IOException("SHA-256 of " + resource + " is " + actual + ", expected " + expectedSha256));
            throw unavailable("the nativenio library inside the jar is corrupt (checksum mismatch)", tried, failures,
                    "replace the jar with an intact copy");
        }
        for (Path dir : extractionDirs()) {
            tried.add("extraction into " + dir);
            try {
                return extractAndLoad(dir, library);
            } catch (IOException | RuntimeException | LinkageError e) {
                failures.add(e);
            }
        }
        throw unavailable("the nativenio library for " + platform() + " could not be extracted and loaded", tried,
                failures, "set -D" + TMPDIR_PROPERTY + "=<a writable directory on an exec-mounted file system>, or pass "
                        + "an extracted copy with -D" + PATH_PROPERTY + "=/abs/path/" + NAME);
    }

    private static UnavailableException unavailable(String what, List<String> tried, List<Throwable> failures,
                                                    String fix) {
        StringBuilder sb = new StringBuilder("nativenio: ").append(what)
                .append(" (platform ").append(platform()).append(", ")
                .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch"))
                .append("). Tried: ").append(String.join("; ", tried))
                .append(". To fix: ").append(fix).append('.');
        UnavailableException e = new UnavailableException(sb.toString());
        failures.forEach(e::addSuppressed);
        return e;
    }

    private static String codeSource() {
        var source = NativeLibrary.class.getProtectionDomain().getCodeSource();
        return source == null || source.getLocation() == null ? "the class path" : source.getLocation().toString();
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

    private static List<Path> extractionDirs() {
        List<Path> dirs = new ArrayList<>();
        String custom = System.getProperty(TMPDIR_PROPERTY);
        if (custom != null) {
            dirs.add(Paths.get(custom));
        }
        dirs.add(Paths.get(System.getProperty("java.io.tmpdir")));
        dirs.add(Paths.get(System.getProperty("user.home"), ".cache", "nativenio"));
        return dirs;
    }

    private static String extractAndLoad(Path parent, byte[] library) throws IOException {
        Files.createDirectories(parent);
        Path dir = Files.createTempDirectory(parent, "nativenio-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path file = dir.resolve(NAME);
        try {
            Files.write(Files.createFile(file,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))), library);
            if (!sha256(Files.readAllBytes(file)).equals(sha256(library))) {
                throw new IOException("extracted copy " + file + " differs from the jar's library");
            }
            return loadFile(file) + " (extracted from the jar, deleted after loading)";
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    private static String loadFile(Path file) {
        System.load(file.toString());
        return file.toString();
    }
}
