package io.nativenio.jvm.app;

import java.io.Closeable;
import java.io.FileInputStream;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Opens channels with the process's fd table full, then with one and two fds free, then with all of them
 * free again, and prints what each attempt gave ({@code ok} or the exception's class and message) as
 * {@code key=value} lines; run it with a low fd limit (prlimit).
 *
 * <p>Arguments: the provider ({@code jdk} or {@code nativenio}) and the order: {@code provider-first} makes
 * the provider (which loads nativenio's library) before the table is filled, {@code warm} also uses every
 * kind of channel once before, {@code fill-first} makes the provider with the table full.
 * The probe's own classes come from a directory, and a class file cannot be opened at the limit: they are
 * all loaded before (its lambdas are generated in memory).
 */
public final class FdLimitProbe {
    private static final String[] OPS = {"pipe", "socket", "server", "datagram", "selector"};
    private static final Deque<FileInputStream> FILLER = new ArrayDeque<>();
    private static SelectorProvider provider;

    private FdLimitProbe() {
    }

    public static void main(String[] args) throws Exception {
        String name = args[0];
        boolean providerFirst = !args[1].equals("fill-first");
        ProbeSupport.Op makeProvider = () -> {
            provider = ProbeSupport.provider(name);
            return "ok";
        };
        out("order", attempt(() -> args[1]));
        ProbeSupport.provider("jdk"); // loads ProbeSupport: the JDK's provider needs no fd
        if (providerFirst) {
            out("provider", attempt(makeProvider));
        }
        if (args[1].equals("warm")) {
            out("warm", attempt(FdLimitProbe::works));
        }
        // The JDK's counterpart of nativenio's library: libnio and libnet, which its file system and
        // InetAddress load. Neither provider has made a channel yet.
        Files.exists(Path.of("/"));
        InetAddress.getLoopbackAddress();
        // The JDK's security providers read their configuration file once: at the limit that fails and
        // breaks MessageDigest for good, which nativenio's library loading uses.
        MessageDigest.getInstance("SHA-256");
        fill();
        if (!providerFirst) {
            out("limit.provider", attempt(makeProvider));
        }
        for (int free = 0; free <= 2; free++) {
            for (String op : OPS) {
                fill();
                for (int i = 0; i < free; i++) {
                    FILLER.pop().close();
                }
                out("free" + free + "." + op, attempt(() -> openAndClose(op)));
            }
        }
        while (!FILLER.isEmpty()) {
            FILLER.pop().close();
        }
        if (!providerFirst) {
            out("after.provider", attempt(makeProvider));
        }
        out("after", attempt(FdLimitProbe::works));
        out("after.wildcard", attempt(() -> {
            try (ServerSocketChannel server = provider.openServerSocketChannel().bind(null)) {
                return ((InetSocketAddress) server.getLocalAddress()).getAddress().getClass().getSimpleName();
            }
        }));
        out("after.options", attempt(() -> {
            try (SocketChannel ch = provider.openSocketChannel()) {
                return ch.supportedOptions().stream().map(Object::toString).sorted().toList();
            }
        }));
    }

    /** Opens files until the fd table is full. */
    private static void fill() throws IOException {
        for (;;) {
            try {
                FILLER.push(new FileInputStream("/dev/null"));
            } catch (IOException e) {
                if (!String.valueOf(e.getMessage()).contains("Too many open files")) {
                    throw e;
                }
                return;
            }
        }
    }

    private static String openAndClose(String op) throws IOException {
        if (provider == null) {
            throw new IllegalStateException("no provider");
        }
        switch (op) {
            case "pipe" -> {
                Pipe p = provider.openPipe();
                closeAll(p.source(), p.sink());
            }
            case "socket" -> closeAll(provider.openSocketChannel());
            case "server" -> closeAll(provider.openServerSocketChannel());
            case "datagram" -> closeAll(provider.openDatagramChannel());
            default -> closeAll(provider.openSelector());
        }
        return "ok";
    }

    private static void closeAll(Closeable... cs) throws IOException {
        for (Closeable c : cs) {
            c.close();
        }
    }

    /**
     * Every kind of channel works: a pipe, a TCP connection and a datagram carry one message each, the
     * pipe's selected by a selector.
     */
    private static String works() throws Exception {
        SelectorProvider p = provider;
        InetAddress lo = InetAddress.getLoopbackAddress();
        Pipe pipe = p.openPipe();
        try (Selector selector = p.openSelector(); Pipe.SourceChannel source = pipe.source();
             Pipe.SinkChannel sink = pipe.sink()) {
            source.configureBlocking(false);
            SelectionKey key = source.register(selector, SelectionKey.OP_READ);
            sink.write(ByteBuffer.wrap(new byte[] {1}));
            check(selector.select(30_000) == 1 && key.isReadable() && source.read(ByteBuffer.allocate(1)) == 1,
                    "pipe");
        }
        try (ServerSocketChannel server = p.openServerSocketChannel().bind(new InetSocketAddress(lo, 0));
             SocketChannel client = p.openSocketChannel(); ) {
            client.connect(server.getLocalAddress());
            try (SocketChannel peer = server.accept()) {
                client.write(ByteBuffer.wrap(new byte[] {2}));
                check(peer.read(ByteBuffer.allocate(1)) == 1, "tcp");
            }
        }
        try (DatagramChannel dc = p.openDatagramChannel().bind(new InetSocketAddress(lo, 0))) {
            dc.send(ByteBuffer.wrap(new byte[] {3}), dc.getLocalAddress());
            check(dc.receive(ByteBuffer.allocate(1)) != null, "udp");
        }
        return "ok";
    }

    private static void check(boolean ok, String what) throws IOException {
        if (!ok) {
            throw new IOException(what + " did not carry its message");
        }
    }

    /**
     * What {@code op} returned, or the class and message of what it threw, errors included (an
     * ExceptionInInitializerError, a NoClassDefFoundError); a constructor's exception is unwrapped.
     */
    private static String attempt(ProbeSupport.Op op) {
        try {
            return String.valueOf(op.run());
        } catch (Throwable e) {
            Throwable t = e instanceof InvocationTargetException ? e.getCause() : e;
            return t.getClass().getName() + ": " + t.getMessage();
        }
    }

    private static void out(String key, String value) {
        System.out.println(key + "=" + value);
    }
}
