package io.nativenio.jvm.app;

import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.nio.file.Path;

/**
 * A known socket workload for the JFR tests, the same on any provider: argument 1 is {@code jdk} or
 * {@code nativenio} (see {@link ProbeSupport#provider}); with a second argument, a .jfc file, it starts a
 * recording with those settings itself once its first channels are open and a selectNow ran (so that the
 * recording starts after nativenio began to watch for one), and dumps it to {@code late.jfr} at the end. Prints {@code server.port=} and {@code client.port=} (the two ends' local ports), then
 * {@code done=true}. The steps, in order, with the socket events each makes:
 * <ol>
 * <li>channel write of 1000 bytes by the client, channel read of them by the accepted channel;</li>
 * <li>a gathering write of 300 + 200 bytes, a scattering read of them;</li>
 * <li>the adaptors' streams: the accepted end writes 700 bytes, the client reads them with SO_TIMEOUT 4000 ms;</li>
 * <li>(JDK 21+) a virtual thread's blocking read on the accepted channel, parked until the client writes 42;</li>
 * <li>the client shuts its output down: the accepted channel reads end of stream;</li>
 * <li>the client, non-blocking, reads 0 bytes; registered with a selector, woken by wakeup(), a selectNow, then
 * it selects readable when the accepted end writes 10 bytes, and reads them;</li>
 * <li>the client is closed while registered.</li>
 * </ol>
 */
public final class JfrWorkload {
    private JfrWorkload() {
    }

    public static void main(String[] args) throws Exception {
        SelectorProvider p = ProbeSupport.provider(args[0]);
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (ServerSocketChannel server = p.openServerSocketChannel().bind(new InetSocketAddress(loopback, 0));
                Selector sel = p.openSelector()) {
            int serverPort = ((InetSocketAddress) server.getLocalAddress()).getPort();
            SocketChannel client = p.openSocketChannel();
            sel.selectNow(); // nativenio's event classes are loaded before a late recording starts
            Object late = args.length > 1 ? LateRecording.start(Path.of(args[1])) : null;
            client.connect(new InetSocketAddress(loopback, serverPort));
            try (SocketChannel accepted = server.accept()) {
                System.out.println("server.port=" + serverPort);
                System.out.println("client.port=" + ((InetSocketAddress) client.getLocalAddress()).getPort());
                client.write(ByteBuffer.allocate(1000));
                accepted.read(ByteBuffer.allocate(1000));
                client.write(new ByteBuffer[] {ByteBuffer.allocate(300), ByteBuffer.allocate(200)});
                accepted.read(new ByteBuffer[] {ByteBuffer.allocate(250), ByteBuffer.allocate(250)});

                accepted.socket().getOutputStream().write(new byte[700]);
                Socket s = client.socket();
                s.setSoTimeout(4000);
                InputStream in = s.getInputStream();
                in.read(new byte[700]);

                Thread reader = startVirtual(() -> accepted.read(ByteBuffer.allocate(42)));
                if (reader != null) {
                    // (under short reads an earlier read may have left bytes, which this read takes at once)
                    while (reader.getState() != Thread.State.WAITING && reader.isAlive()) {
                        Thread.sleep(1);
                    }
                    client.write(ByteBuffer.allocate(42));
                    reader.join();
                }

                client.shutdownOutput();
                accepted.read(ByteBuffer.allocate(10));

                client.configureBlocking(false);
                client.read(ByteBuffer.allocate(10));
                client.register(sel, SelectionKey.OP_READ);
                sel.wakeup();
                sel.select();
                sel.selectNow();
                accepted.write(ByteBuffer.allocate(10));
                sel.select();
                client.read(ByteBuffer.allocate(10));
                client.close();
                sel.selectNow();
            }
            if (late != null) {
                LateRecording.dump(late, Path.of("late.jfr"));
            }
        }
        System.out.println("done=true");
    }

    interface IoAction {
        Object run() throws Exception;
    }

    /** Runs {@code action} in a new virtual thread; null (and nothing run) before JDK 21. */
    private static Thread startVirtual(IoAction action) throws ReflectiveOperationException {
        Method start;
        try {
            start = Thread.class.getMethod("startVirtualThread", Runnable.class);
        } catch (NoSuchMethodException e) {
            return null;
        }
        Runnable r = () -> {
            try {
                action.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        return (Thread) start.invoke(null, r);
    }

    /** A recording started by the program itself, after nativenio's classes were loaded. */
    private static final class LateRecording {
        static Object start(Path jfc) throws Exception {
            jdk.jfr.Recording r = new jdk.jfr.Recording(jdk.jfr.Configuration.create(jfc));
            r.start();
            return r;
        }

        static void dump(Object recording, Path to) throws Exception {
            jdk.jfr.Recording r = (jdk.jfr.Recording) recording;
            r.stop();
            r.dump(to);
            r.close();
        }
    }
}
