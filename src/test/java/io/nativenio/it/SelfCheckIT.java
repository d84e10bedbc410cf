package io.nativenio.it;

import static io.nativenio.it.ChildJvm.jar;
import static io.nativenio.it.ChildJvm.list;
import static io.nativenio.it.ChildJvm.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar nativenio.jar} (io.nativenio.ch.SelfCheck). */
class SelfCheckIT {
    @TempDir
    Path dir;

    private static long count(String text, String prefix) {
        return text.lines().filter(l -> l.startsWith(prefix)).count();
    }

    @Test
    void allChecksPass() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        ChildJvm.Result r = run(dir.resolve("run"), "-Djava.io.tmpdir=" + tmp, "-jar", jar().toString()).assertNoCrash();
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(count(r.stdout(), "PASS  ") >= 15, r.describe());
        assertEquals(0, count(r.stdout(), "FAIL"), r.describe());
        assertTrue(r.stdout().contains(count(r.stdout(), "PASS  ") + " passed, 0 failed"), r.describe());
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
     * opened files (SecureRandom's /dev/random and /dev/urandom) inside the checked region: they are not
     * nativenio's fds and must not fail the leak check.
     */
    @Test
    void allChecksPassWithTheLibraryFromNativenioLibraryPath() throws Exception {
        Path lib = LoaderIT.extractLibrary(dir);
        ChildJvm.Result r = run(dir.resolve("run"), "-Dnativenio.library.path=" + lib, "-jar", jar().toString())
                .assertNoCrash();
        assertEquals(0, count(r.stdout(), "FAIL"), r.describe());
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(r.stdout().contains("library    " + lib), r.describe());
    }

    /** -Xcheck:jni finds nothing to complain about in any native call the self-check makes. */
    @Test
    void noJniWarningsUnderXcheckJni() throws Exception {
        ChildJvm.Result r = run(dir.resolve("run"), "-Xcheck:jni", "-jar", jar().toString()).assertNoCrash();
        assertEquals(0, r.exitCode(), r.describe());
        assertFalse((r.stdout() + r.stderr()).contains("WARNING in native method"), r.describe());
        assertFalse((r.stdout() + r.stderr()).contains("FATAL ERROR in native method"), r.describe());
    }

    /** With the JDK's provider as the system provider, it still checks nativenio's. */
    @Test
    void checksNativenioEvenWhenAnotherProviderIsTheSystemOne() throws Exception {
        ChildJvm.Result r = run(dir.resolve("run"), "-Djava.nio.channels.spi.SelectorProvider=sun.nio.ch.EPollSelectorProvider",
                "-jar", jar().toString()).assertNoCrash();
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(r.stdout().contains("is sun.nio.ch.EPollSelectorProvider (not nativenio; checking a new NativeSelectorProvider)"),
                r.describe());
        assertEquals(0, count(r.stdout(), "FAIL"), r.describe());
    }

    @Test
    void exitsWith2AndExplainsWhenTheLibraryCannotBeLoaded() throws Exception {
        ChildJvm.Result r = run(dir.resolve("run"), "-Dos.arch=riscv64", "-jar", jar().toString()).assertNoCrash();
        assertEquals(2, r.exitCode(), r.describe());
        assertTrue(r.stdout().contains("library    NOT LOADED"), r.describe());
        assertTrue(r.stderr().contains("no nativenio library for linux-riscv64"), r.describe());
        assertFalse(r.stdout().contains("PASS"), r.describe());
    }
}
