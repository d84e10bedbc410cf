package io.nativenio.bench.proc;

import java.nio.channels.spi.SelectorProvider;
import java.nio.charset.StandardCharsets;

/**
 * What every server of the whole-process runs tells bench/run on its standard output: the provider that
 * serves it (so the harness can check that a run measured the provider it names) and its port, once it
 * accepts connections.
 */
final class Announce {
    /** The body of every HTTP response, as in the usual plaintext benchmark. */
    static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);

    private Announce() {
    }

    static void listening(int port) {
        System.out.println("provider " + SelectorProvider.provider().getClass().getName());
        System.out.println("listening " + port);
        System.out.flush();
    }
}
