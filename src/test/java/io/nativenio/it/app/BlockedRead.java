package io.nativenio.it.app;

import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.Pipe;
import java.nio.channels.spi.SelectorProvider;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;

/** A read blocked on a pipe, ended by closing the pipe from another thread: the path that signals the reader. */
final class BlockedRead {
    private BlockedRead() {
    }

    /**
     * A thread blocked reading a pipe of {@code provider}; the source is closed from the calling thread,
     * which signals the reader. The outcome: "AsynchronousCloseException" as expected, else what the read
     * returned or threw. One byte goes through the pipe first, so that the provider's blocking read path is
     * initialized (its signal handler installed) whatever the race between the reader and the close.
     */
    static String asyncClose(SelectorProvider provider) throws Exception {
        Pipe pipe = provider.openPipe();
        pipe.sink().write(ByteBuffer.allocate(1));
        if (pipe.source().read(ByteBuffer.allocate(1)) != 1) {
            throw new AssertionError("the byte written did not come back");
        }
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                outcome.set("returned " + pipe.source().read(ByteBuffer.allocate(1)));
            } catch (Throwable t) {
                outcome.set(t);
            }
        }, "reader");
        reader.start();
        awaitInNativeRead(reader);
        pipe.source().close();
        reader.join();
        pipe.sink().close();
        Object o = outcome.get();
        return o instanceof AsynchronousCloseException ? "AsynchronousCloseException" : String.valueOf(o);
    }

    /**
     * Until {@code t} runs a native read under the pipe source's read (not, say, a native read of a class
     * file while a class is loaded), so it is recorded as the reader to signal. The signal reaches it in the
     * syscall or just before it; the handler runs either way, and the close makes a read that starts later
     * see end-of-file.
     */
    private static void awaitInNativeRead(Thread t) {
        while (true) {
            StackTraceElement[] st = t.getStackTrace();
            if (st.length > 0 && st[0].isNativeMethod() && st[0].getMethodName().startsWith("read")
                    && Arrays.stream(st).anyMatch(e -> e.getClassName().endsWith("SourceChannelImpl")
                            && e.getMethodName().equals("read"))) {
                return;
            }
            if (!t.isAlive()) {
                throw new AssertionError("the reader ended before blocking");
            }
            Thread.onSpinWait();
        }
    }
}
