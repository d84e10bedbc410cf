package io.nativenio.ch;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * Which {@link System#load} failures the loader reports as "cannot be linked on this system" (then no other
 * directory is tried, and no other directory is suggested), from the messages of glibc's and musl's dlopen and
 * of macOS's dyld. The whole path, with a real unlinkable library: FailureIT.
 */
class NativeLibraryTest {
    private static final String LIB = "/tmp/nativenio-123/libnativenio.so";

    private static void assertLinkFailure(String dlerror) {
        String why = NativeLibrary.linkFailure(new UnsatisfiedLinkError(dlerror));
        assertTrue(why != null && why.endsWith("cannot be linked on this system: this system's C library is too old,"
                + " or lacks a symbol or a library that it needs"), dlerror + " -> " + why);
    }

    @Test
    void symbolVersionOrSymbolOrLibraryMissingIsALinkFailure() {
        assertLinkFailure(LIB + ": /lib64/libc.so.6: version `GLIBC_2.34' not found (required by " + LIB + ")");
        assertLinkFailure(LIB + ": " + LIB + ": undefined symbol: pthread_kill");
        assertLinkFailure(LIB + ": libdl.so.2: cannot open shared object file: No such file or directory");
        assertLinkFailure(LIB + ": Error relocating " + LIB + ": pthread_kill: symbol not found");
        assertLinkFailure(LIB + ": Error loading shared library libdl.so.2: No such file or directory (needed by "
                + LIB + ")");
        assertLinkFailure("dlopen(/tmp/libnativenio.dylib, 0x0001): Symbol not found: _kqueue1");
        assertLinkFailure("dlopen(/tmp/libnativenio.dylib, 0x0001): Library not loaded: /usr/lib/libfoo.dylib");
    }

    @Test
    void otherLoadFailuresAreNot() {
        assertNull(NativeLibrary.linkFailure(new UnsatisfiedLinkError(LIB
                + ": failed to map segment from shared object")), "noexec mount");
        assertNull(NativeLibrary.linkFailure(new UnsatisfiedLinkError(LIB + ": invalid ELF header")));
        assertNull(NativeLibrary.linkFailure(new UnsatisfiedLinkError("Can't load library: " + LIB)));
        assertNull(NativeLibrary.linkFailure(new IOException("version `GLIBC_2.34' not found")),
                "only System.load's error");
    }
}
