package io.nativenio.it;

import io.nativenio.it.containers.Compat;
import io.nativenio.it.containers.Env;
import io.nativenio.it.containers.ProgramRun;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Smoke test of the whole chain (image, copy, system property, report): Selector + Pipe only. */
class PipeSmokeIT {
    /** Also on the oldest glibc: one of the programs that show the jar's library works there. */
    static List<String> jdks() {
        return Env.jdksWithOldGlibc();
    }

    @BeforeAll
    static void docker() {
        Env.requireDocker();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void selectorAndPipes(String jdk) throws Exception {
        Compat.record("PipeSmoke", jdk, "Selector + 16 Pipes, 64 MiB non-blocking reads, SHA-256 checked", () ->
                ProgramRun.run(jdk, 180, "PipeSmoke", "16", String.valueOf(4 << 20))
                        .assertPassedOnProvider("pipe.source", "pipe.sink", "reader.selector",
                                "reader.registered0")
                        .assertResult("sha256", "match")
                        .assertResult("bytes", String.valueOf(16L * (4 << 20))));
    }
}
