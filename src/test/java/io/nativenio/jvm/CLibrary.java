package io.nativenio.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A small shared library built for a test with the machine's {@code cc}, for a child JVM to System.load. */
final class CLibrary {
    private CLibrary() {
    }

    /**
     * A library whose constructor sets the handler of the signal the JDK uses to wake threads blocked in I/O
     * (SIGRTMAX - 2 on Linux) with {@code statement}, where {@code noop} is a handler that does nothing and
     * {@code sa} a zeroed struct sigaction; exits the process with status 99 if sigaction fails. The test is
     * skipped, saying why, where there is no C compiler.
     */
    static Path wakeUpSignalSetter(Path dir, String name, String statement) throws IOException, InterruptedException {
        String source = String.join("\n",
                "#include <signal.h>",
                "#include <string.h>",
                "#include <unistd.h>",
                "__attribute__((unused)) static void noop(int sig) { (void) sig; }",
                "__attribute__((constructor)) static void install(void) {",
                "    struct sigaction sa;",
                "    memset(&sa, 0, sizeof sa);",
                "    sigemptyset(&sa.sa_mask);",
                "    " + statement,
                "    if (sigaction(SIGRTMAX - 2, &sa, NULL) != 0) { _exit(99); }",
                "}",
                "");
        return build(dir, name, source);
    }

    /** {@code source} built as dir/lib{@code name}.so; the test is skipped, saying why, where there is no C compiler. */
    static Path build(Path dir, String name, String source) throws IOException, InterruptedException {
        Path src = Files.writeString(dir.resolve(name + ".c"), source);
        Path lib = dir.resolve("lib" + name + ".so");
        Path log = dir.resolve(name + ".cc.txt");
        Process cc;
        try {
            cc = new ProcessBuilder("cc", "-shared", "-fPIC", "-o", lib.toString(), src.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            assumeTrue(false, "skipped: no C compiler (cc) to build " + lib.getFileName() + ": " + e.getMessage());
            throw e;
        }
        assertTrue(cc.waitFor(60, TimeUnit.SECONDS), "cc did not finish");
        assertEquals(0, cc.exitValue(), Files.readString(log));
        return lib;
    }
}
