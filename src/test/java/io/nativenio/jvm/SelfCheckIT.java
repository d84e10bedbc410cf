package io.nativenio.jvm;

import static io.nativenio.jvm.ChildJvm.jar;
import static io.nativenio.jvm.ChildJvm.launch;
import static io.nativenio.jvm.ChildJvm.lines;
import static io.nativenio.jvm.ChildJvm.list;
import static io.nativenio.jvm.ChildJvm.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar nativenio.jar} (io.nativenio.selfcheck.SelfCheck). */
class SelfCheckIT {
    @TempDir
    Path dir;

    @Test
    void allChecksPass() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        ChildJvm.Result r = run(dir.resolve("run"), "-Djava.io.tmpdir=" + tmp, "-jar", jar().toString()).assertExited(0);
        assertTrue(lines(r.stdout(), "PASS  ") >= 15, r.describe());
        assertEquals(0, lines(r.stdout(), "FAIL"), r.describe());
        assertEquals(0, lines(r.stdout(), "SKIP"), r.describe());
        assertTrue(r.stdout().contains("\n" + lines(r.stdout(), "PASS  ") + " passed, 0 failed\n"), r.describe());
        assertTrue(r.stdout().contains("library    " + tmp + "/nativenio-"), r.describe());
        assertTrue(r.stdout().contains("SelectorProvider.provider() is io.nativenio.NativeSelectorProvider (nativenio)"),
                r.describe());
        assertTrue(r.stdout().contains("java       " + System.getProperty("java.version")), r.describe());
        assertEquals(List.of(), list(tmp), r.describe());
        // the manifest's Enable-Native-Access keeps JDK 22+ from warning about System.load
        assertFalse(r.stderr().contains("restricted method"), r.describe());
    }

    /**
     * With the library named by -Dnativenio.library.path nothing is extracted, so the JDK opens its lazily
     * opened files (SecureRandom's /dev/random and /dev/urandom, for the UNIX-domain check's temporary
     * directory) between the leak check's two counts: they are not nativenio's fds and must not fail it.
     */
    @Test
    void allChecksPassWithTheLibraryFromNativenioLibraryPath() throws Exception {
        Path lib = LoaderIT.extractLibrary(dir);
        ChildJvm.Result r = run(dir.resolve("run"), "-Dnativenio.library.path=" + lib, "-jar", jar().toString())
                .assertNoCrash();
        assertEquals(0, lines(r.stdout(), "FAIL"), r.describe());
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(r.stdout().contains("library    " + lib), r.describe());
        assertTrue(r.stdout().contains("\nPASS  no file descriptor leaked"), r.describe());
    }

    /**
     * The leak check catches a real leak: with a preloaded close(2) that leaves datagram sockets open, each
     * datagram channel the checks close stays open in the kernel, as if nativenio forgot to close it. Only the
     * leak check fails, and it names the sockets.
     */
    @Test
    void leakCheckFailsWhenChannelFdsReallyStayOpen() throws Exception {
        Path shim = CLibrary.build(dir, "keepdatagrams", String.join("\n",
                "#include <sys/socket.h>",
                "#include <sys/syscall.h>",
                "#include <unistd.h>",
                "int close(int fd) {",
                "    int type;",
                "    socklen_t len = sizeof type;",
                "    if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == 0 && type == SOCK_DGRAM) {",
                "        return 0;",
                "    }",
                "    return (int) syscall(SYS_close, fd);",
                "}",
                ""));
        ChildJvm.Result r = launch(dir.resolve("run"), List.of("env", "LD_PRELOAD=" + shim), "-jar", jar().toString())
                .assertExited(1);
        List<String> failed = r.stdout().lines().filter(l -> l.startsWith("FAIL")).toList();
        assertEquals(1, failed.size(), r.describe());
        assertTrue(failed.get(0).startsWith("FAIL  no file descriptor leaked"), r.describe());
        // the two datagram checks close two channels each
        assertTrue(failed.get(0).split("socket:\\[", -1).length - 1 >= 4, r.describe());
    }

    /** -Xcheck:jni finds nothing to complain about in any native call the self-check makes. */
    @Test
    void noJniWarningsUnderXcheckJni() throws Exception {
        ChildJvm.Result r = run(dir.resolve("run"), "-Xcheck:jni", "-jar", jar().toString()).assertExited(0);
        assertFalse((r.stdout() + r.stderr()).contains("WARNING in native method"), r.describe());
        assertFalse((r.stdout() + r.stderr()).contains("FATAL ERROR in native method"), r.describe());
    }

    /** With the JDK's provider as the system provider, it still checks nativenio's. */
    @Test
    void checksNativenioEvenWhenAnotherProviderIsTheSystemOne() throws Exception {
        ChildJvm.Result r = run(dir.resolve("run"), "-Djava.nio.channels.spi.SelectorProvider=sun.nio.ch.EPollSelectorProvider",
                "-jar", jar().toString()).assertExited(0);
        assertTrue(r.stdout().contains("is sun.nio.ch.EPollSelectorProvider (not nativenio; checking a new NativeSelectorProvider)"),
                r.describe());
        assertEquals(0, lines(r.stdout(), "FAIL"), r.describe());
    }

    @Test
    void exitsWith2AndExplainsWhenTheLibraryCannotBeLoaded() throws Exception {
        ChildJvm.Result r = run(dir.resolve("run"), "-Dos.arch=riscv64", "-jar", jar().toString()).assertExited(2);
        assertTrue(r.stdout().contains("library    NOT LOADED"), r.describe());
        assertTrue(r.stderr().contains("no nativenio library for linux-riscv64"), r.describe());
        assertFalse(r.stdout().contains("PASS"), r.describe());
    }
}
