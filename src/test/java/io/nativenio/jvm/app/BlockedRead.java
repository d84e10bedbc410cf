package io.nativenio.jvm.app;

import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.Pipe;
import java.nio.channels.spi.SelectorProvider;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/** A read blocked on a pipe, ended by closing the pipe from another thread: the path that signals the reader. */
final class BlockedRead {
    private BlockedRead() {
    }

    /**
     * A thread blocked reading a pipe of {@code provider}; the source is closed from the calling thread,
     * which signals the reader. The outcome: "AsynchronousCloseException" as expected, else what the read
     * returned or threw. One byte goes through the pipe first, so that the provider's blocking read path is
     * initialized (its signal handler installed) whatever the race between the reader and the close. Reads
     * run on threads that end: a provider's thread-local cache would keep its class loader alive.
     */
    static String asyncClose(SelectorProvider provider) throws Exception {
        Pipe pipe = provider.openPipe();
        try {
            FutureTask<Integer> warmUp = new FutureTask<>(() -> {
                pipe.sink().write(ByteBuffer.allocate(1));
                return pipe.source().read(ByteBuffer.allocate(1));
            });
            new Thread(warmUp, "warm-up").start();
            if (warmUp.get() != 1) {
                throw new AssertionError("the byte written did not come back");
            }
            FutureTask<String> read = new FutureTask<>(() -> "returned " + pipe.source().read(ByteBuffer.allocate(1)));
            Thread reader = new Thread(read, "reader");
            reader.start();
            awaitInNativeRead(reader);
            pipe.source().close();
            try {
                return read.get();
            } catch (ExecutionException e) {
                return e.getCause() instanceof AsynchronousCloseException ? "AsynchronousCloseException"
                        : String.valueOf(e.getCause());
            }
        } finally {
            pipe.source().close();
            pipe.sink().close();
        }
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
