package io.nativenio.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.SelectorProvider;

/** Pipes whose source is registered for OP_READ: idle, or ready because one byte waits in each. */
final class Pipes {
    private Pipes() {
    }

    static Pipe[] open(SelectorProvider p, Selector sel, int n, boolean ready) throws IOException {
        Pipe[] result = new Pipe[n];
        for (int i = 0; i < n; i++) {
            Pipe pipe = p.openPipe();
            pipe.source().configureBlocking(false);
            pipe.source().register(sel, SelectionKey.OP_READ);
            if (ready) {
                pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
            }
            result[i] = pipe;
        }
        return result;
    }

    static void close(Pipe[] pipes) throws IOException {
        for (Pipe pipe : pipes) {
            pipe.source().close();
            pipe.sink().close();
        }
    }
}
