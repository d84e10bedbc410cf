package io.nativenio.jvm;

import static io.nativenio.jvm.ChildJvm.jar;
import static io.nativenio.jvm.ChildJvm.launch;
import static io.nativenio.jvm.ChildJvm.lines;
import static io.nativenio.jvm.ChildJvm.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nativenio.iouring.IOUringBackend;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -Dnativenio.backend=io_uring} (docs/iouring.md#fallback): the self-check passes on it where the kernel
 * gives rings, and where io_uring_setup is refused (here by a seccomp filter that makes it fail with EPERM, as
 * container runtimes' profiles do) epoll serves instead, the self-check names epoll and one log line says why.
 */
class IOUringIT {
    /**
     * Execs its arguments under a seccomp filter that fails io_uring_setup(2) (number 425 on x86_64 and aarch64)
     * with EPERM and allows every other call; exits with 97 if the filter cannot be installed.
     */
    private static final String DENY_IO_URING = String.join("\n",
            "import ctypes, errno, os, platform, struct, sys",
            "arch = {'x86_64': 0xC000003E, 'aarch64': 0xC00000B7}.get(platform.machine())",
            "if arch is None: print('no seccomp arch for ' + platform.machine()); sys.exit(97)",
            "# ld arch; jne arch -> allow; ld nr; jne 425 -> allow; ret ERRNO(EPERM); allow: ret ALLOW",
            "code = [(0x20, 0, 0, 4), (0x15, 0, 3, arch), (0x20, 0, 0, 0), (0x15, 0, 1, 425),",
            "        (0x06, 0, 0, 0x00050000 | errno.EPERM), (0x06, 0, 0, 0x7fff0000)]",
            "insns = ctypes.create_string_buffer(b''.join(struct.pack('HBBI', *i) for i in code))",
            "class Prog(ctypes.Structure): _fields_ = [('len', ctypes.c_ushort), ('filter', ctypes.c_void_p)]",
            "prog = Prog(len(code), ctypes.addressof(insns))",
            "libc = ctypes.CDLL(None, use_errno=True)",
            "libc.prctl.argtypes = [ctypes.c_int] + [ctypes.c_ulong] * 4",
            "if libc.prctl(38, 1, 0, 0, 0) != 0 or libc.prctl(22, 2, ctypes.addressof(prog), 0, 0) != 0:",
            "    print('seccomp: ' + os.strerror(ctypes.get_errno())); sys.exit(97)",
            "os.execvp(sys.argv[1], sys.argv[1:])");
    private static final String FALLBACK = "io_uring is not available (io_uring_setup: Operation not permitted); using epoll";

    @TempDir
    Path dir;

    @Test
    void selfCheckPassesOnIoUring() throws Exception {
        String why = IOUringBackend.unavailable();
        assumeTrue(why == null, "skipped: " + why);
        ChildJvm.Result r = run(dir.resolve("run"), "-Dnativenio.backend=io_uring", "-jar", jar().toString())
                .assertNoCrash();
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(r.stdout().contains("\nbackend    io_uring\n"), r.describe());
        assertEquals(0, lines(r.stdout(), "FAIL"), r.describe());
        assertFalse(r.stderr().contains("io_uring is not available"), r.describe());
    }

    @Test
    void fallsBackToEpollWhereIoUringSetupIsDenied() throws Exception {
        ChildJvm.Result r = launch(dir.resolve("denied"), List.of("python3", "-c", DENY_IO_URING),
                "-Dnativenio.backend=io_uring", "-jar", jar().toString());
        assumeTrue(r.exitCode() != 97, "skipped: " + r.stdout().trim());
        r.assertNoCrash();
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(r.stdout().contains("\nbackend    epoll\n"), r.describe());
        assertEquals(0, lines(r.stdout(), "FAIL"), r.describe());
        assertEquals(1, lines(r.stderr(), FALLBACK), r.describe());
    }
}
