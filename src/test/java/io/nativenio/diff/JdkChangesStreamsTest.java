package io.nativenio.diff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.Pipe;
import java.nio.channels.spi.SelectorProvider;

/**
 * Channels.newInputStream and newOutputStream on nativenio's channels (docs/jdk-changes.md#channel-streams).
 * The streams are JDK code; from JDK 19 the JDK gives its own SocketChannel the socket adaptor's streams, which
 * no other provider's channel can get, so there the two providers differ by design.
 */
class JdkChangesStreamsTest {

    /**
     * On every JDK: the streams of a channel in non-blocking mode throw IllegalBlockingModeException from
     * read, write and (the JDK 18 override of) transferTo, for sockets and pipes.
     */
    @DiffTest
    void nonBlockingChannelStreamsThrow(SelectorProvider provider) throws Exception {
        try (Tcp.Conn c = Tcp.pair(provider)) {
            c.client.configureBlocking(false);
            assertIllegalBlockingMode(Channels.newInputStream(c.client), Channels.newOutputStream(c.client));
        }
        Pipe p = provider.openPipe();
        try {
            p.source().configureBlocking(false);
            p.sink().configureBlocking(false);
            assertIllegalBlockingMode(Channels.newInputStream(p.source()), Channels.newOutputStream(p.sink()));
        } finally {
            p.source().close();
            p.sink().close();
        }
    }

    private static void assertIllegalBlockingMode(InputStream in, OutputStream out) {
        Tcp.expect(IllegalBlockingModeException.class, null, in::read);
        Tcp.expect(IllegalBlockingModeException.class, null, () -> in.read(new byte[4]));
        Tcp.expect(IllegalBlockingModeException.class, null, () -> in.transferTo(new ByteArrayOutputStream()));
        Tcp.expect(IllegalBlockingModeException.class, null, () -> {
            out.write(1);
            return null;
        });
        Tcp.expect(IllegalBlockingModeException.class, null, () -> {
            out.write(new byte[4]);
            return null;
        });
    }

    /**
     * JDK 19 (JDK-8279339): the streams of the JDK's own SocketChannel are the socket adaptor's: available()
     * counts the bytes that can be read, and a write goes through while another thread is blocked in read.
     * Any other provider's SocketChannel gets the generic stream, which holds the channel's blocking lock for a
     * read or write (final in AbstractSelectableChannel) and answers available() with 0: nativenio's streams
     * behave as the JDK 17 ones on every JDK (jdk-changes.md#channel-streams).
     */
    @DiffTest
    void socketChannelStreams(SelectorProvider provider) throws Exception {
        boolean adaptorStreams = provider == Providers.jdk() && Runtime.version().feature() >= 19;
        try (Tcp.Conn c = Tcp.pair(provider)) {
            InputStream in = Channels.newInputStream(c.client);
            OutputStream out = Channels.newOutputStream(c.client);

            c.peer.write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5}));
            InputStream adaptor = c.client.socket().getInputStream();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (adaptor.available() < 5 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(5, adaptor.available());
            assertEquals(adaptorStreams ? 5 : 0, in.available());
            assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, in.readNBytes(5));

            Async<Integer> reader = Async.start("stream-reader", in::read);
            Providers.awaitBlockedIn(reader.thread, Tcp.BLOCKING);
            Async<Object> writer = Async.start("stream-writer", () -> {
                out.write(99);
                return null;
            });
            if (adaptorStreams) {
                writer.get();
            } else {
                Providers.awaitWaiting(writer.thread); // waits for the blocking lock the reader holds
                assertEquals(Thread.State.BLOCKED, writer.thread.getState());
                assertFalse(writer.isDone());
            }
            c.peer.write(ByteBuffer.wrap(new byte[] {7}));
            assertEquals(7, reader.get());
            writer.get();
            ByteBuffer got = ByteBuffer.allocate(1);
            c.peer.read(got);
            assertEquals(99, got.get(0));
        }
    }
}
