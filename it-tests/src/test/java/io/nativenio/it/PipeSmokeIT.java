package io.nativenio.it;

import io.nativenio.it.containers.Compat;
import io.nativenio.it.containers.ContainerTest;
import io.nativenio.it.containers.OnEachJdkAndOldGlibc;
import io.nativenio.it.containers.ProgramRun;

/** Smoke test of the whole chain (image, copy, system property, report): Selector + Pipe only. */
class PipeSmokeIT extends ContainerTest {
    @OnEachJdkAndOldGlibc
    void selectorAndPipes(String jdk) throws Exception {
        Compat.record("PipeSmoke", jdk, "Selector + 16 Pipes, 64 MiB non-blocking reads, SHA-256 checked", () ->
                ProgramRun.run(jdk, 180, "PipeSmoke", "16", String.valueOf(4 << 20))
                        .assertPassedOnProvider("pipe.source", "pipe.sink", "reader.selector",
                                "reader.registered0")
                        .assertResult("sha256", "match")
                        .assertResult("bytes", String.valueOf(16L * (4 << 20))));
    }
}
