package io.nativenio.jvm.app;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The channel side of the compatibility-testing mode (docs/testing.md), seen from a program: run with
 * {@code -Dnativenio.compat=...} or without, it prints what its reads, writes, connects and options returned as
 * {@code key=value} lines, for the test to judge. Single-threaded where decisions are recorded (a drainer thread
 * only reads what the recorded side wrote), and every channel opened in the same order on every run, so that
 * the same seed gives the same lines. Arguments: {@code jdk} or {@code nativenio}, then the scenarios to run:
 * {@code writes}, {@code reads}, {@code connect}, {@code buffers}, {@code leaks}, {@code loop}. Last, the detectors'
 * reports so far, as {@code report.<kind> at <call site>=<count>} lines.
 */
public final class CompatChannelProbe {
    private static final int SIZE = 1000;
    private static final int ROUNDS = 50;
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private CompatChannelProbe() {
    }

    public static void main(String[] args) throws Exception {
        ProbeSupport.runCases(args, Map.of("writes", CompatChannelProbe::writes, "reads", CompatChannelProbe::reads,
                "connect", CompatChannelProbe::connect, "buffers", CompatChannelProbe::buffers,
                "leaks", CompatChannelProbe::leaks, "loop", CompatChannelProbe::loop));
        @SuppressWarnings("unchecked")
        Map<String, Long> reports = (Map<String, Long>) Class.forName("io.nativenio.compat.Reports")
                .getMethod("counts").invoke(null);
        reports.forEach((site, n) -> out("report." + site, n));
        out("done", "true");
    }

    private static void out(String key, Object value) {
        System.out.println(key + "=" + value);
    }

    /** A connected pair: [0] the connecting end, [1] the accepted one; both blocking. */
    private static SocketChannel[] pair(SelectorProvider p) throws IOException {
        try (ServerSocketChannel ssc = p.openServerSocketChannel().bind(LOOPBACK)) {
            SocketChannel client = connected(p, ssc.getLocalAddress());
            return new SocketChannel[] {client, ssc.accept()};
        }
    }

    /** A channel connected to {@code to} in blocking mode. */
    private static SocketChannel connected(SelectorProvider p, SocketAddress to) throws IOException {
        SocketChannel ch = p.openSocketChannel();
        ch.connect(to);
        return ch;
    }

    /** Reads exactly {@code n} bytes in blocking mode (short reads or not). */
    private static void drain(java.nio.channels.ReadableByteChannel ch, long n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(64 * 1024);
        while (n > 0) {
            int got = ch.read(b.clear().limit((int) Math.min(b.capacity(), n)));
            if (got < 0) {
                throw new IOException("EOF with " + n + " bytes to go");
            }
            n -= got;
        }
    }

    /**
     * Non-blocking writes of {@value #SIZE} bytes, single and gathering, to a socket and to a pipe, each
     * drained before the next so that the kernel always takes all of it; then one blocking write of 1 MiB.
     */
    private static void writes(SelectorProvider p) throws Exception {
        SocketChannel[] s = pair(p);
        try {
            s[0].configureBlocking(false);
            StringJoiner single = new StringJoiner(",");
            StringJoiner gathering = new StringJoiner(",");
            for (int i = 0; i < ROUNDS; i++) {
                int n = s[0].write(ByteBuffer.allocate(SIZE));
                single.add(Integer.toString(n));
                drain(s[1], n);
                long g = s[0].write(new ByteBuffer[] {ByteBuffer.allocate(SIZE / 2), ByteBuffer.allocateDirect(SIZE / 2)});
                gathering.add(Long.toString(g));
                drain(s[1], g);
            }
            out("socket.writes", single);
            out("socket.gathering", gathering);
            s[0].configureBlocking(true);
            int big = 1 << 20;
            Thread drainer = new Thread(() -> {
                try {
                    drain(s[1], big);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            drainer.start();
            out("socket.blocking", s[0].write(ByteBuffer.allocateDirect(big)));
            drainer.join();
        } finally {
            s[0].close();
            s[1].close();
        }
        Pipe pipe = p.openPipe();
        try {
            pipe.sink().configureBlocking(false);
            StringJoiner writes = new StringJoiner(",");
            for (int i = 0; i < ROUNDS; i++) {
                int n = pipe.sink().write(ByteBuffer.allocate(SIZE));
                writes.add(Integer.toString(n));
                drain(pipe.source(), n);
            }
            out("pipe.writes", writes);
        } finally {
            pipe.sink().close();
            pipe.source().close();
        }
    }

    /**
     * Reads of {@value #SIZE} bytes that are all there: non-blocking ones from a socket (single and scattering,
     * every return value recorded until the bytes are in), then end-of-stream; blocking ones from a pipe and
     * from the socket adaptor's stream.
     */
    private static void reads(SelectorProvider p) throws Exception {
        SocketChannel[] s = pair(p);
        try (Selector sel = p.openSelector()) {
            s[1].configureBlocking(false);
            s[1].register(sel, SelectionKey.OP_READ);
            StringJoiner single = new StringJoiner(",");
            StringJoiner scattering = new StringJoiner(",");
            for (int i = 0; i < ROUNDS; i++) {
                ByteBuffer b = ByteBuffer.allocate(SIZE);
                readAll(s[0], sel, () -> s[1].read(b), b::hasRemaining, single);
                ByteBuffer[] bs = {ByteBuffer.allocateDirect(SIZE / 2), ByteBuffer.allocate(SIZE / 2)};
                readAll(s[0], sel, () -> s[1].read(bs), bs[1]::hasRemaining, scattering);
            }
            out("socket.reads", single);
            out("socket.scattering", scattering);
            s[0].close();
            sel.select();
            StringJoiner eof = new StringJoiner(",");
            long n;
            do {
                n = s[1].read(ByteBuffer.allocate(SIZE));
                eof.add(Long.toString(n));
            } while (n == 0);
            out("socket.eof", eof);
        } finally {
            s[0].close();
            s[1].close();
        }
        Pipe pipe = p.openPipe();
        try {
            StringJoiner blocking = new StringJoiner(",");
            for (int i = 0; i < ROUNDS; i++) {
                pipe.sink().write(ByteBuffer.allocate(SIZE));
                ByteBuffer b = ByteBuffer.allocate(SIZE);
                while (b.hasRemaining()) {
                    blocking.add(Integer.toString(pipe.source().read(b)));
                }
            }
            out("pipe.reads", blocking);
        } finally {
            pipe.sink().close();
            pipe.source().close();
        }
        SocketChannel[] t = pair(p);
        try {
            t[0].write(ByteBuffer.allocate(SIZE));
            InputStream in = t[1].socket().getInputStream();
            while (in.available() < SIZE) {
                Thread.sleep(1);
            }
            out("stream.read", in.read(new byte[SIZE]));
        } finally {
            t[0].close();
            t[1].close();
        }
    }

    interface Read {
        long read() throws IOException;
    }

    interface Remaining {
        boolean any();
    }

    /** Writes {@value #SIZE} bytes, waits until the reading end is readable, and reads until all are in. */
    private static void readAll(SocketChannel writer, Selector sel, Read read, Remaining remaining, StringJoiner log)
            throws IOException {
        writer.write(ByteBuffer.allocate(SIZE));
        sel.select();
        sel.selectedKeys().clear();
        while (remaining.any()) {
            log.add(Long.toString(read.read()));
        }
    }

    /**
     * Non-blocking connects, TCP and UNIX, driven by a selector: what connect returned and how many times
     * finishConnect returned false before true, the key reporting OP_CONNECT each time.
     */
    private static void connect(SelectorProvider p) throws Exception {
        try (ServerSocketChannel tcp = p.openServerSocketChannel().bind(LOOPBACK)) {
            connects("tcp", p, tcp, tcp.getLocalAddress());
        }
        Path dir = Files.createTempDirectory(Path.of("."), "unix");
        Path socket = dir.resolve("s");
        try (ServerSocketChannel unix = p.openServerSocketChannel(StandardProtocolFamily.UNIX)) {
            unix.bind(UnixDomainSocketAddress.of(socket));
            connects("unix", p, unix, UnixDomainSocketAddress.of(socket));
        } finally {
            Files.deleteIfExists(socket);
            Files.delete(dir);
        }
    }

    private static void connects(String name, SelectorProvider p, ServerSocketChannel server, SocketAddress to)
            throws IOException {
        StringJoiner connected = new StringJoiner(",");
        StringJoiner falses = new StringJoiner(",");
        boolean alwaysConnectable = true;
        try (Selector sel = p.openSelector()) {
            for (int i = 0; i < 10; i++) {
                try (SocketChannel ch = name.equals("unix") ? p.openSocketChannel(StandardProtocolFamily.UNIX)
                        : p.openSocketChannel()) {
                    ch.configureBlocking(false);
                    boolean now = ch.connect(to);
                    connected.add(Boolean.toString(now));
                    int f = 0;
                    if (!now) {
                        SelectionKey key = ch.register(sel, SelectionKey.OP_CONNECT);
                        while (true) {
                            sel.select();
                            sel.selectedKeys().clear();
                            alwaysConnectable &= key.isConnectable();
                            if (ch.finishConnect()) {
                                break;
                            }
                            f++;
                        }
                        key.cancel();
                    }
                    falses.add(Integer.toString(f));
                    if (!ch.isConnected()) {
                        throw new IllegalStateException("not connected after finishConnect returned true");
                    }
                    server.accept().close();
                }
            }
        }
        out(name + ".connect", connected);
        out(name + ".falses", falses);
        out(name + ".connectable", alwaysConnectable);
    }

    /** SO_SNDBUF and SO_RCVBUF of channels as opened or accepted, and after the program set them. */
    private static void buffers(SelectorProvider p) throws Exception {
        try (SocketChannel unconnected = p.openSocketChannel()) {
            out("opened", sizes(unconnected));
        }
        SocketChannel[] s = pair(p);
        try {
            out("accepted", sizes(s[1]));
            s[1].setOption(StandardSocketOptions.SO_SNDBUF, 65536).setOption(StandardSocketOptions.SO_RCVBUF, 65536);
            out("set", sizes(s[1]));
        } finally {
            s[0].close();
            s[1].close();
        }
        try (DatagramChannel dc = p.openDatagramChannel()) {
            out("datagram", sizes(dc));
        }
    }

    private static String sizes(NetworkChannel ch) throws IOException {
        return ch.getOption(StandardSocketOptions.SO_SNDBUF) + "," + ch.getOption(StandardSocketOptions.SO_RCVBUF);
    }

    /**
     * Channels of every kind dropped without close, one kind per method (a call site each), and two closed ones
     * (one of them closed while registered, its fd released by the selector): which fds the GC and the Cleaner
     * closed. The reports are on stderr.
     */
    private static void leaks(SelectorProvider p) throws Exception {
        closeSocket(p); // first: the first channel also makes the provider's process-lifetime fds
        Map<String, Map<Integer, String>> dropped = new java.util.LinkedHashMap<>();
        dropped.put("socket", opened(() -> dropSocket(p)));
        dropped.put("server", opened(() -> dropServer(p)));
        dropped.put("pipe", opened(() -> dropPipe(p)));
        dropped.put("accepted", opened(() -> dropAccepted(p)));
        dropped.put("datagram", opened(() -> dropDatagram(p)));
        closeRegistered(p);
        // until the datagram channel's fd is closed (nativenio's Cleaner always does that), then a few rounds more
        for (int i = 0; i < 500 && isOpen(dropped.get("datagram")); i++) {
            System.gc();
            Thread.sleep(20);
        }
        boolean detector = System.getProperty("nativenio.compat", "").contains("leaks");
        for (int i = 0; i < (detector ? 500 : 20) && dropped.values().stream().anyMatch(CompatChannelProbe::isOpen);
                i++) {
            System.gc();
            Thread.sleep(20);
        }
        dropped.forEach((kind, fds) -> out("leak." + kind, isOpen(fds) ? "open" : "closed"));
    }

    interface Action {
        void run() throws IOException;
    }

    /** The open fds and what they refer to ("socket:[1234]"). */
    private static Map<Integer, String> fds() {
        Map<Integer, String> m = new HashMap<>();
        for (String fd : new File("/proc/self/fd").list()) { // the listing's own fd is closed once listed
            try {
                m.put(Integer.valueOf(fd), Files.readSymbolicLink(Path.of("/proc/self/fd", fd)).toString());
            } catch (IOException closed) {
                // that one, or one another thread closed meanwhile
            }
        }
        return m;
    }

    /** The fds that {@code action} opened and left open. */
    private static Map<Integer, String> opened(Action action) throws IOException {
        Map<Integer, String> before = fds();
        action.run();
        Map<Integer, String> after = fds();
        after.entrySet().removeIf(e -> e.getValue().equals(before.get(e.getKey())));
        return after;
    }

    private static boolean isOpen(Map<Integer, String> fds) {
        Map<Integer, String> now = fds();
        return fds.entrySet().stream().anyMatch(e -> e.getValue().equals(now.get(e.getKey())));
    }

    private static void dropSocket(SelectorProvider p) throws IOException {
        p.openSocketChannel();
    }

    private static void dropServer(SelectorProvider p) throws IOException {
        p.openServerSocketChannel().bind(LOOPBACK);
    }

    private static void dropPipe(SelectorProvider p) throws IOException {
        p.openPipe();
    }

    private static void dropAccepted(SelectorProvider p) throws IOException {
        try (ServerSocketChannel ssc = p.openServerSocketChannel().bind(LOOPBACK);
                SocketChannel client = connected(p, ssc.getLocalAddress())) {
            ssc.accept();
        }
    }

    private static void dropDatagram(SelectorProvider p) throws IOException {
        p.openDatagramChannel();
    }

    private static void closeSocket(SelectorProvider p) throws IOException {
        p.openSocketChannel().close();
    }

    private static void closeRegistered(SelectorProvider p) throws IOException {
        try (Selector sel = p.openSelector()) {
            SocketChannel ch = p.openSocketChannel();
            ch.configureBlocking(false);
            ch.register(sel, SelectionKey.OP_CONNECT);
            ch.close();
            sel.selectNow();
        }
    }

    /**
     * A thread that runs an event loop (it selects again and again on one selector, which tells that to
     * io.nativenio.compat.EventLoops) makes blocking calls from three call sites (blockingRead three times,
     * blockingWrite, connected), and non-blocking ones; another thread makes blocking calls. The reports are on
     * stderr.
     */
    private static void loop(SelectorProvider p) throws Exception {
        Pipe pipe = p.openPipe();
        Pipe nonBlocking = p.openPipe();
        Pipe other = p.openPipe();
        try (Selector sel = p.openSelector();
                ServerSocketChannel ssc = p.openServerSocketChannel().bind(LOOPBACK)) {
            pipe.sink().write(ByteBuffer.allocate(3)); // before the loop: the reads below find their bytes
            nonBlocking.source().configureBlocking(false);
            nonBlocking.sink().configureBlocking(false);
            for (int i = 0; i < 3; i++) {
                sel.selectNow(); // the selector tells EventLoops: this thread runs its loop from the second on
            }
            for (int i = 0; i < 3; i++) {
                blockingRead(pipe);
            }
            blockingWrite(pipe);
            connected(p, ssc.getLocalAddress()).close(); // the backlog takes it: no accept needed
            nonBlockingCalls(nonBlocking);
            Thread t = new Thread(() -> otherThreadCalls(other));
            t.start();
            t.join();
        } finally {
            for (Pipe each : List.of(pipe, nonBlocking, other)) {
                each.source().close();
                each.sink().close();
            }
        }
        out("loop", "ran");
    }

    private static void nonBlockingCalls(Pipe pipe) throws IOException {
        pipe.sink().write(ByteBuffer.allocate(1));
        pipe.source().read(ByteBuffer.allocate(1));
    }

    private static void otherThreadCalls(Pipe pipe) {
        try {
            pipe.sink().write(ByteBuffer.allocate(1));
            pipe.source().read(ByteBuffer.allocate(1));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void blockingRead(Pipe pipe) throws IOException {
        pipe.source().read(ByteBuffer.allocate(1));
    }

    private static void blockingWrite(Pipe pipe) throws IOException {
        pipe.sink().write(ByteBuffer.allocate(1));
    }
}
