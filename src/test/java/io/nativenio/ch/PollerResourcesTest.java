package io.nativenio.ch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a poller holds is released last acquired first, by its close and by a failing step of its constructor, and
 * its native memory grows keeping what it held, the new bytes zero.
 */
class PollerResourcesTest {
    /** An fd of a new pipe's read end; its write end is closed. */
    private static int pipeFd() {
        long fds = IO.pipe();
        assertEquals(0, IO.close((int) fds));
        return (int) (fds >>> 32);
    }

    /** Whether {@code fd} is open: dup(2) fails with EBADF on a closed fd. */
    private static boolean isOpen(int fd) {
        int copy = IO.dup(fd);
        if (copy >= 0) {
            IO.close(copy);
        }
        return copy >= 0;
    }

    @Test
    void aFailingStepReleasesWhatTheStepsBeforeItAcquired() throws IOException {
        PollerResources resources = new PollerResources();
        List<String> released = new ArrayList<>();
        int fd = resources.fd(pipeFd());
        resources.add(() -> {
            released.add("first");
            return 0;
        });
        resources.add(() -> {
            released.add("second");
            return 0;
        });
        int ebadf = IO.close(-1);
        IOException e = assertThrows(IOException.class, () -> resources.check(ebadf));
        assertEquals(Errors.ioException(-ebadf).getMessage(), e.getMessage());
        assertEquals(List.of("second", "first"), released);
        assertEquals(false, isOpen(fd));
        resources.close(); // nothing left to release
        assertEquals(2, released.size());
    }

    @Test
    void closeReleasesEverythingAndThrowsTheFirstFailure() {
        PollerResources resources = new PollerResources();
        List<String> released = new ArrayList<>();
        int ebadf = IO.close(-1);
        resources.add(() -> {
            released.add("first");
            return 0;
        });
        resources.add(() -> {
            released.add("second");
            return ebadf;
        });
        resources.add(() -> {
            released.add("third");
            return 0;
        });
        IOException e = assertThrows(IOException.class, resources::close);
        assertEquals(Errors.ioException(-ebadf).getMessage(), e.getMessage());
        assertEquals(List.of("third", "second", "first"), released);
    }

    @Test
    void growKeepsTheContentsAndZeroesTheRest() throws IOException {
        PollerResources resources = new PollerResources();
        NativeBuffer b = resources.buffer(8);
        assertEquals(0L, b.buf().getLong(0));
        b.buf().putLong(0, 0x0102030405060708L);
        long before = b.address();
        b.grow(8); // fits: unchanged
        assertEquals(before, b.address());
        b.grow(9);
        ByteBuffer grown = b.buf();
        assertEquals(16, b.capacity(), "doubled");
        assertEquals(0x0102030405060708L, grown.getLong(0));
        assertEquals(0L, grown.getLong(8));
        assertEquals(IO.address(grown), b.address());
        NativeBuffer empty = resources.buffer(0);
        assertEquals(0, empty.capacity());
        assertEquals(0L, empty.address());
        empty.grow(3);
        assertEquals(3, empty.capacity());
        resources.close();
        assertEquals(0, b.capacity());
        assertEquals(0L, b.address());
    }
}
