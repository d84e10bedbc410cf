package io.nativenio.ch;

import java.io.IOException;
import java.nio.channels.Pipe;
import java.nio.channels.spi.SelectorProvider;

/** A pipe(2) with both ends blocking and close-on-exec (behaviours.md#pipe-channels). */
public final class PipeImpl extends Pipe {
    private final SourceChannelImpl source;
    private final SinkChannelImpl sink;

    public PipeImpl(SelectorProvider provider) throws IOException {
        long fds = IO.pipe();
        if (fds < 0) {
            throw Errors.ioException((int) -fds);
        }
        int writeFd = (int) fds;
        try {
            source = new SourceChannelImpl(provider, (int) (fds >>> 32));
        } catch (IOException e) {
            IO.close(writeFd); // the source closed its own fd
            throw e;
        }
        sink = new SinkChannelImpl(provider, writeFd); // cannot fail: the source made the pre-close fd
    }

    @Override
    public SourceChannel source() {
        return source;
    }

    @Override
    public SinkChannel sink() {
        return sink;
    }
}
