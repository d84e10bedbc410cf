package io.nativenio.ch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which directories the native library may be extracted into: every directory up to / must be owned by root
 * or by this user, and writable by nobody else unless it has the sticky bit; missing ones are created
 * owner-only and only under a directory that qualifies. JUnit's temp directory (owner-only, in the test
 * JVM's java.io.tmpdir) is the safe starting point; each test makes an unsafe directory inside it.
 */
class SafeDirectoryTest {
    @TempDir
    Path dir;

    private Path directory(String name, int mode) throws IOException {
        Path d = Files.createDirectory(dir.resolve(name));
        Files.setAttribute(d, "unix:mode", mode);
        return d;
    }

    private static String mode(Path p) throws IOException {
        return Integer.toOctalString((Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS));
    }

    private static void assertRefused(Path base, Path target, String reason) {
        UnsafeDirectoryException e =
                assertThrows(UnsafeDirectoryException.class, () -> SafeDirectory.create(base, target));
        assertEquals(reason, e.getMessage());
    }

    @Test
    void ownerOnlyDirectoryQualifies() throws IOException {
        assertEquals(dir.toRealPath(), SafeDirectory.create(dir, dir));
    }

    @Test
    void missingDirectoryIsCreatedOwnerOnly() throws IOException {
        Path created = SafeDirectory.create(dir, dir.resolve("new"));
        assertEquals(dir.toRealPath().resolve("new"), created);
        assertEquals("40700", mode(created));
    }

    @Test
    void missingParentIsRefusedAndNotCreated() {
        Path parent = dir.resolve("missing");
        assertRefused(parent, parent.resolve("tmp"),
                parent + " does not exist (nativenio creates no parent directories)");
        assertFalse(Files.exists(parent));
    }

    @Test
    void groupWritableParentIsRefused() throws IOException {
        Path parent = directory("group", 0770);
        Path tmp = Files.createDirectory(parent.resolve("tmp"));
        String reason = parent + " is writable by its group and has no sticky bit (mode 0770)";
        assertRefused(tmp, tmp, reason);
        assertRefused(parent, parent.resolve("new"), reason);
        assertFalse(Files.exists(parent.resolve("new")), "nothing is created under a refused directory");
    }

    @Test
    void worldWritableDirectoryWithoutStickyBitIsRefused() throws IOException {
        Path shared = directory("shared", 0777);
        assertRefused(shared, shared,
                shared + " is writable by its group and others and has no sticky bit (mode 0777)");
        Path others = directory("others", 0703);
        assertRefused(others, others, others + " is writable by others and has no sticky bit (mode 0703)");
    }

    /** As /tmp: others may add entries but cannot rename or remove this user's. */
    @Test
    void worldWritableStickyParentQualifies() throws IOException {
        Path sticky = directory("sticky", 01777);
        Path created = SafeDirectory.create(sticky, sticky.resolve("new"));
        assertEquals(sticky.toRealPath().resolve("new"), created);
        assertEquals("40700", mode(created));
    }

    @Test
    void directoryOfAnotherUserIsRefused() throws IOException {
        assumeTrue((Integer) Files.getAttribute(dir, "unix:uid") == 0,
                "skipped: needs root to give a directory to another user");
        Path theirs = directory("theirs", 0755);
        Files.setAttribute(theirs, "unix:uid", 65534);
        assertRefused(theirs, theirs.resolve("new"),
                theirs + " is owned by uid 65534, neither root nor this process's user (uid 0)");
        assertFalse(Files.exists(theirs.resolve("new")));
    }

    /** A symbolic link is followed: the directory it leads to, and those above it, are checked and used. */
    @Test
    void symbolicLinksAreCheckedAtTheirTarget() throws IOException {
        Path sticky = directory("sticky", 01777);
        Path toSticky = Files.createSymbolicLink(dir.resolve("to-sticky"), sticky);
        assertEquals(sticky.toRealPath().resolve("new"), SafeDirectory.create(toSticky, toSticky.resolve("new")));

        Path shared = directory("shared", 0777);
        Path safe = Files.createDirectory(shared.resolve("safe"));
        Path toSafe = Files.createSymbolicLink(dir.resolve("to-safe"), safe);
        assertRefused(toSafe, toSafe,
                shared + " is writable by its group and others and has no sticky bit (mode 0777)");
    }
}
