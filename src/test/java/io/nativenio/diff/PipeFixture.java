package io.nativenio.diff;

import java.io.IOException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.SelectorProvider;

/**
 * The fixture of the selection tests: a selector and the two ends of a pipe, closed together. Both ends
 * start blocking and unregistered, as {@link SelectorProvider#openPipe} makes them.
 */
final class PipeFixture implements AutoCloseable {
    final Selector sel;
    final Pipe.SourceChannel src;
    final Pipe.SinkChannel sink;

    /** A selector and a pipe of {@code provider}. */
    PipeFixture(SelectorProvider provider) throws IOException {
        this(provider, provider.openPipe());
    }

    /** A selector of {@code provider} and {@code pipe}, which another provider may have made. */
    PipeFixture(SelectorProvider provider, Pipe pipe) throws IOException {
        this(provider.openSelector(), pipe);
    }

    private PipeFixture(Selector sel, Pipe pipe) {
        this.sel = sel;
        src = pipe.source();
        sink = pipe.sink();
    }

    /** A second pipe of {@code provider} with this fixture's selector (which its close closes too). */
    PipeFixture anotherPipe(SelectorProvider provider) throws IOException {
        return new PipeFixture(sel, provider.openPipe());
    }

    /** Makes the source non-blocking and registers it with the selector for {@code ops}. */
    SelectionKey registerSource(int ops) throws IOException {
        src.configureBlocking(false);
        return src.register(sel, ops);
    }

    /** Makes the sink non-blocking and registers it with the selector for {@code ops}. */
    SelectionKey registerSink(int ops) throws IOException {
        sink.configureBlocking(false);
        return sink.register(sel, ops);
    }

    /** Closes the sink, the source, then the selector; a test may have closed any of them already. */
    @Override
    public void close() throws IOException {
        try (sel; src; sink) {
            // nothing to do but close
        }
    }
}
