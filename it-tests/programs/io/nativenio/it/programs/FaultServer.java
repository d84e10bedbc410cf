package io.nativenio.it.programs;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Iterator;

/**
 * A plain NIO echo server for the fault test: one selector, non-blocking channels, an application idle
 * timeout. It reports each connection's end as the provider reported it ("eof", the exception, or "timeout"
 * when the peer went silent), and its connection and open-fd counts whenever they change:
 * <pre>
 * IT listening PORT
 * IT status conns N fds M
 * IT closed PEER REASON
 * </pre>
 * It runs until it is stopped (at most {@code maxSeconds}). Args: port, idle timeout ms, maxSeconds.
 */
public final class FaultServer {
    static final class Conn {
        final ByteBuffer buf = ByteBuffer.allocateDirect(64 * 1024);
        long last = System.nanoTime();
        String peer;
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        long idleNanos = Long.parseLong(args[1]) * 1_000_000L;
        int maxSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        Report.start("FaultServer", maxSeconds);
        Selector sel = Selector.open();
        ServerSocketChannel ssc = ServerSocketChannel.open();
        ssc.bind(new InetSocketAddress("0.0.0.0", port), 256);
        ssc.configureBlocking(false);
        ssc.register(sel, SelectionKey.OP_ACCEPT);
        Report.channel("server.ServerSocketChannel", ssc);
        Report.channel("server.selector", sel);
        boolean reportedAccepted = false;
        int conns = 0;
        String lastStatus = "";
        // Warm up (classes, accept and echo paths) with one connection to ourselves before the baseline.
        try (SocketChannel self = SocketChannel.open(new InetSocketAddress("127.0.0.1", port))) {
            SocketChannel peer;
            while ((peer = ssc.accept()) == null) Thread.sleep(1);
            self.write(ByteBuffer.wrap(new byte[] {42}));
            ByteBuffer one = ByteBuffer.allocate(1);
            peer.read(one);
            peer.close();
        }
        System.out.println("IT listening " + port);
        long lastSweep = System.nanoTime();
        while (true) {
            sel.select(200);
            Iterator<SelectionKey> it = sel.selectedKeys().iterator();
            while (it.hasNext()) {
                SelectionKey k = it.next();
                it.remove();
                if (k.isAcceptable()) {
                    SocketChannel sc;
                    while ((sc = ssc.accept()) != null) {
                        if (!reportedAccepted) {
                            Report.channel("server.accepted", sc);
                            reportedAccepted = true;
                        }
                        sc.configureBlocking(false);
                        Conn c = new Conn();
                        c.peer = String.valueOf(sc.getRemoteAddress());
                        sc.register(sel, SelectionKey.OP_READ, c);
                        conns++;
                    }
                    continue;
                }
                Conn c = (Conn) k.attachment();
                SocketChannel sc = (SocketChannel) k.channel();
                try {
                    if (k.isReadable()) {
                        int n = sc.read(c.buf);
                        if (n < 0) {
                            conns -= close(k, c, "eof");
                            continue;
                        }
                        if (n > 0) c.last = System.nanoTime();
                    }
                    c.buf.flip();
                    sc.write(c.buf);
                    c.buf.compact();
                    // write pending: wait for OP_WRITE and stop reading until drained
                    k.interestOps(c.buf.position() > 0 ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
                } catch (IOException e) {
                    conns -= close(k, c, e.getClass().getName() + ": " + e.getMessage());
                }
            }
            long now = System.nanoTime();
            if (now - lastSweep > 100_000_000L) {
                lastSweep = now;
                for (SelectionKey k : sel.keys()) {
                    if (k.attachment() instanceof Conn && now - ((Conn) k.attachment()).last > idleNanos) {
                        conns -= close(k, (Conn) k.attachment(), "timeout");
                    }
                }
                String status = "conns " + conns + " fds " + fds();
                if (!status.equals(lastStatus)) {
                    System.out.println("IT status " + status);
                    lastStatus = status;
                }
            }
        }
    }

    static int close(SelectionKey k, Conn c, String reason) {
        k.cancel();
        try {
            k.channel().close();
        } catch (IOException e) {
            reason += " (close: " + e + ")";
        }
        System.out.println("IT closed " + c.peer + " " + reason);
        return 1;
    }

    static int fds() {
        String[] l = new java.io.File("/proc/self/fd").list();
        return l == null ? -1 : l.length;
    }
}
