package io.nativenio.jvm.app;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.concurrent.FutureTask;

/**
 * Two classic bugs of NIO programs, which pass over loopback on the JDK's provider and which the
 * compatibility-testing mode (docs/testing.md) makes fail: {@code write} assumes that one non-blocking write
 * sends the whole buffer; {@code read} assumes that one read returns the whole message the peer wrote. Each sends
 * {@value #MESSAGES} messages of {@value #SIZE} bytes and prints {@code result=ok} or {@code result=broken: why}.
 *
 * <p>Arguments: the bug, then {@code jdk} or {@code nativenio} for one run on that provider; or the bug, then
 * {@code seeds} and seed numbers: one run per seed, each on a copy of nativenio of its own, loaded by a class loader
 * of its own after {@code nativenio.compat.seed} was set to the seed (the mode reads its switches once, when a
 * copy first uses them), so that every run really uses its own seed; it prints {@code seed.N=} the seed that copy
 * reports and {@code result.N=}.
 */
public final class ClassicBugs {
    private static final int MESSAGES = 50;
    private static final int SIZE = 100;

    private ClassicBugs() {
    }

    public static void main(String[] args) throws Exception {
        String bug = args[0];
        if (!args[1].equals("seeds")) {
            System.out.println("result=" + run(bug, ProbeSupport.provider(args[1])));
            return;
        }
        URL jar = Class.forName("io.nativenio.NativeSelectorProvider", false, ClassicBugs.class.getClassLoader())
                .getProtectionDomain().getCodeSource().getLocation();
        for (int i = 2; i < args.length; i++) {
            String seed = args[i];
            System.setProperty("nativenio.compat.seed", seed);
            try (URLClassLoader copy = new URLClassLoader("seed-" + seed, new URL[] {jar},
                    ClassLoader.getPlatformClassLoader())) {
                SelectorProvider p = (SelectorProvider) copy.loadClass("io.nativenio.NativeSelectorProvider")
                        .getConstructor().newInstance();
                String result = run(bug, p);
                System.out.println("seed." + seed + "=" + copy.loadClass("io.nativenio.compat.Compat")
                        .getField("SEED").getLong(null));
                System.out.println("result." + seed + "=" + result);
            }
        }
    }

    private static String run(String bug, SelectorProvider p) throws Exception {
        try (ServerSocketChannel ssc = p.openServerSocketChannel()) {
            ssc.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try (SocketChannel client = p.openSocketChannel()) {
                client.connect(ssc.getLocalAddress());
                try (SocketChannel server = ssc.accept()) {
                    return bug.equals("write") ? writeBug(client, server) : readBug(client, server);
                }
            }
        }
    }

    private static ByteBuffer message(int i) {
        ByteBuffer b = ByteBuffer.allocate(SIZE);
        while (b.hasRemaining()) {
            b.put((byte) i);
        }
        return b.flip();
    }

    /** The client writes each message with one non-blocking write and ignores what it returned. */
    private static String writeBug(SocketChannel client, SocketChannel server) throws Exception {
        FutureTask<Long> received = new FutureTask<>(() -> {
            ByteBuffer b = ByteBuffer.allocate(64 * 1024);
            long total = 0;
            for (int n; (n = server.read(b.clear())) >= 0; ) {
                total += n;
            }
            return total;
        });
        new Thread(received).start();
        client.configureBlocking(false);
        for (int i = 0; i < MESSAGES; i++) {
            client.write(message(i)); // the bug: the rest of the message, if any, is never sent
        }
        client.shutdownOutput();
        long total = received.get();
        return total == (long) MESSAGES * SIZE ? "ok" : "broken: " + total + " of " + MESSAGES * SIZE + " bytes arrived";
    }

    /**
     * The client sends a message and waits for a one-byte answer before the next, so each message is all there
     * when the server reads it: with one blocking read, which the server takes for the whole message.
     */
    private static String readBug(SocketChannel client, SocketChannel server) throws Exception {
        ByteBuffer answer = ByteBuffer.allocate(1);
        for (int i = 0; i < MESSAGES; i++) {
            client.write(message(i));
            ByteBuffer b = ByteBuffer.allocate(SIZE);
            server.read(b); // the bug: what did not come with this read is taken for the next message
            if (b.position() != SIZE || b.get(SIZE - 1) != (byte) i) {
                return "broken: message " + i + " read as " + b.position() + " bytes";
            }
            server.write(answer.clear());
            client.read(answer.clear());
        }
        return "ok";
    }
}
