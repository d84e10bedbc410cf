package io.nativenio.ch;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * Directories that no other user can change, for extracting the native library. The loader checks the
 * extracted file's checksum and then {@code System.load} opens it again by name: whoever can rename an entry
 * anywhere along that name in between can put a library of their own there. So a directory qualifies only if
 * it and every directory above it, up to {@code /} and after resolving symbolic links, is owned by root or by
 * this process's user and is writable by nobody else, unless it has the sticky bit (as {@code /tmp}: others
 * may add entries but not rename or remove those they do not own). The checked real path is what the caller
 * then uses, so a symbolic link changed afterwards does not matter. Missing directories are created one level
 * at a time, owner-only, each under a directory that has qualified: never {@code Files.createDirectories},
 * which would accept parents that another user created first.
 *
 * <p>Owner, permissions and the sticky bit come from the JDK's {@code "unix"} attribute view
 * ({@code unix:uid}, {@code unix:mode}, i.e. {@code st_uid} and {@code st_mode} of stat(2)); the portable
 * {@code PosixFilePermission} set has no sticky bit. Without that view nothing qualifies.
 */
final class SafeDirectory {
    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;
    private static final int S_ISVTX = 01000;
    private static final int S_IWGRP = 020;
    private static final int S_IWOTH = 02;
    private static final int UNKNOWN_UID = -1;
    private static final FileAttribute<?> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    private SafeDirectory() {
    }

    /**
     * The real path of {@code dir}, which is {@code base} or a directory below it, once it qualifies. {@code base}
     * must exist; each missing directory between it and {@code dir} is created with mode 0700.
     *
     * @throws UnsafeDirectoryException if a directory does not qualify or {@code base} does not exist
     */
    static Path create(Path base, Path dir) throws IOException {
        int uid = currentUid();
        Path real;
        try {
            real = base.toRealPath();
        } catch (NoSuchFileException e) {
            throw new UnsafeDirectoryException(base + " does not exist (nativenio creates no parent directories)");
        }
        requireSafe(real, uid);
        for (int i = base.getNameCount(); i < dir.getNameCount(); i++) {
            Path child = real.resolve(dir.getName(i));
            try {
                Files.createDirectory(child, OWNER_ONLY);
            } catch (FileAlreadyExistsException present) {
                // made earlier or by a concurrent loader: checked below like a new one
            }
            real = child.toRealPath();
            requireSafe(real, uid);
        }
        return real;
    }

    /** Checks the real path {@code dir} and each directory above it. */
    private static void requireSafe(Path dir, int uid) throws UnsafeDirectoryException {
        for (Path p = dir; p != null; p = p.getParent()) {
            Map<String, Object> stat;
            try {
                stat = Files.readAttributes(p, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
            } catch (UnsupportedOperationException | IllegalArgumentException | IOException e) {
                throw new UnsafeDirectoryException("the owner and mode of " + p + " cannot be read (" + e + ")");
            }
            int owner = (Integer) stat.get("uid");
            int mode = (Integer) stat.get("mode");
            if ((mode & S_IFMT) != S_IFDIR) {
                throw new UnsafeDirectoryException(p + " is not a directory");
            }
            if (owner != 0 && owner != uid) {
                throw new UnsafeDirectoryException(p + " is owned by uid " + owner + ", neither root nor this process's"
                        + " user (" + (uid == UNKNOWN_UID ? "whose uid is unknown: /proc/self/status is unreadable"
                                : "uid " + uid) + ")");
            }
            if ((mode & (S_IWGRP | S_IWOTH)) != 0 && (mode & S_ISVTX) == 0) {
                String who = (mode & S_IWGRP) == 0 ? "others"
                        : (mode & S_IWOTH) == 0 ? "its group" : "its group and others";
                throw new UnsafeDirectoryException(p + " is writable by " + who + " and has no sticky bit (mode "
                        + String.format("%04o", mode & 07777) + ")");
            }
        }
    }

    /**
     * This process's file-system uid, the fourth field of the {@code Uid:} line of /proc/self/status (proc(5)):
     * the owner the kernel gives every file the process creates and the user it checks access for. Read from
     * the kernel rather than from {@code user.name}, which the command line can change and which has no
     * entry for a uid without a passwd line. {@link #UNKNOWN_UID} where there is no /proc: then only root's
     * directories qualify.
     */
    private static int currentUid() {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return Integer.parseInt(line.split("\\s+")[4]);
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            // UNKNOWN_UID
        }
        return UNKNOWN_UID;
    }
}
