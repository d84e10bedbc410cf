package io.nativenio.bench.proc;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Iterator;

/**
 * The load of the echo runs, in plain java.nio on one thread and one selector: {@code connections}
 * connections, each keeping {@code depth} messages of {@code size} bytes in flight (a message answered is
 * replaced at once). A message's latency runs from when it is queued to when its last echoed byte arrives.
 * It runs {@code warmup} seconds, prints {@code measuring}, runs {@code seconds} more and prints one
 * {@code result} line; bench/c/echo.c's client prints the same lines.
 *
 * <p>Usage: {@code EchoClient port connections depth size warmup seconds}
 */
public final class EchoClient {
    private final Selector selector;
    private final int size;
    private final LatencyHistogram latencies = new LatencyHistogram();

    private EchoClient(Selector selector, int size) {
        this.selector = selector;
        this.size = size;
    }

    /** One connection: the send times of the messages in flight (a ring, echoes come back in order). */
    private final class Connection {
        final SocketChannel ch;
        final long[] sentAt;
        final ByteBuffer out;
        final ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
        int head;
        int inFlight;
        int pendingOut;
        int partial;

        Connection(SocketChannel ch, int depth) {
            this.ch = ch;
            this.sentAt = new long[depth];
            this.out = ByteBuffer.allocateDirect(depth * size);
        }

        void queue(long now) {
            sentAt[(head + inFlight) % sentAt.length] = now;
            inFlight++;
            pendingOut += size;
        }

        void onReadable(SelectionKey key) throws IOException {
            in.clear();
            int n = ch.read(in);
            if (n < 0) {
                throw new IOException("the server closed a connection");
            }
            partial += n;
            long now = System.nanoTime();
            while (partial >= size) {
                partial -= size;
                latencies.record(now - sentAt[head]);
                head = (head + 1) % sentAt.length;
                inFlight--;
                queue(now);
            }
            flush(key);
        }

        /** The payload's content does not matter: write the first {@code pendingOut} bytes of {@code out}. */
        void flush(SelectionKey key) throws IOException {
            if (pendingOut > 0) {
                out.clear().limit(pendingOut);
                pendingOut -= ch.write(out);
            }
            int ops = pendingOut > 0 ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ;
            if (key.interestOps() != ops) {
                key.interestOps(ops);
            }
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 6) {
            System.err.println("usage: EchoClient port connections depth size warmup-seconds seconds");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        int connections = Integer.parseInt(args[1]);
        int depth = Integer.parseInt(args[2]);
        int size = Integer.parseInt(args[3]);
        long warmup = Long.parseLong(args[4]) * 1_000_000_000L;
        long measure = Long.parseLong(args[5]) * 1_000_000_000L;
        new EchoClient(Selector.open(), size).run(port, connections, depth, warmup, measure);
    }

    private void run(int port, int connections, int depth, long warmup, long measure) throws IOException {
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", port);
        long now = System.nanoTime();
        for (int i = 0; i < connections; i++) {
            SocketChannel ch = SocketChannel.open(server);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.configureBlocking(false);
            Connection c = new Connection(ch, depth);
            SelectionKey key = ch.register(selector, SelectionKey.OP_READ, c);
            for (int m = 0; m < depth; m++) {
                c.queue(now);
            }
            c.flush(key);
        }
        long measureFrom = System.nanoTime() + warmup;
        long end = measureFrom + measure;
        boolean measuring = false;
        while (true) {
            selector.select(100);
            Iterator<SelectionKey> it = selector.selectedKeys().iterator();
            while (it.hasNext()) {
                SelectionKey key = it.next();
                it.remove();
                Connection c = (Connection) key.attachment();
                if (key.isReadable()) {
                    c.onReadable(key);
                } else if (key.isWritable()) {
                    c.flush(key);
                }
            }
            now = System.nanoTime();
            if (!measuring && now >= measureFrom) {
                latencies.reset();
                measuring = true;
                System.out.println("measuring");
                System.out.flush();
            } else if (measuring && now >= end) {
                break;
            }
        }
        double seconds = (now - measureFrom) / 1e9;
        System.out.printf("result messages=%d seconds=%.3f p50_us=%d p99_us=%d%n",
                latencies.count(), seconds, latencies.percentile(0.50), latencies.percentile(0.99));
        System.out.flush();
        selector.close();
    }
}
