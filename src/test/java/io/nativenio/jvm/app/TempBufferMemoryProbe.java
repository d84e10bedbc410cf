package io.nativenio.jvm.app;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Native memory of heap-buffer writes on many threads: {@code threads} virtual threads (JDK 21+) or
 * platform threads each write {@code bytes} from a heap buffer to one TCP connection, which a platform thread drains; once
 * all have ended, prints the process's resident set ({@code rss.kib=}, VmRSS of /proc/self/status) and
 * its peak ({@code hwm.kib=}). A provider that keeps a temporary direct buffer per virtual thread holds
 * {@code threads * bytes} of native memory at the end, and so does one that frees the buffers of
 * terminated platform threads only when the GC finds them. Arguments: {@code jdk} or {@code nativenio},
 * threads, bytes, {@code virtual} or {@code platform}.
 */
public final class TempBufferMemoryProbe {
    private TempBufferMemoryProbe() {
    }

    public static void main(String[] args) throws Throwable {
        SelectorProvider p = ProbeSupport.provider(args[0]);
        int threads = Integer.parseInt(args[1]);
        byte[] data = new byte[Integer.parseInt(args[2])];
        boolean virtual = args[3].equals("virtual");
        MethodHandle startVirtual = virtual ? MethodHandles.publicLookup().findStatic(Thread.class,
                "startVirtualThread", MethodType.methodType(Thread.class, Runnable.class)) : null;
        try (ServerSocketChannel server = p.openServerSocketChannel()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                SocketChannel client = connect(p, server);
                SocketChannel peer = server.accept()) {
            long[] drained = new long[1];
            Thread reader = new Thread(() -> drained[0] = drain(peer));
            reader.start();
            Thread[] writers = new Thread[threads];
            for (int i = 0; i < threads; i++) {
                Runnable write = () -> {
                    try {
                        // Partial writes happen: on a virtual thread the fd is non-blocking, on both providers.
                        ByteBuffer src = ByteBuffer.wrap(data);
                        while (src.hasRemaining()) {
                            client.write(src);
                        }
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                };
                if (virtual) {
                    writers[i] = (Thread) startVirtual.invokeExact(write);
                } else {
                    writers[i] = new Thread(write);
                    writers[i].start();
                }
            }
            for (Thread t : writers) {
                t.join();
            }
            System.out.println("rss.kib=" + status("VmRSS:"));
            System.out.println("hwm.kib=" + status("VmHWM:"));
            client.shutdownOutput();
            reader.join();
            System.out.println("drained=" + (drained[0] == (long) threads * data.length));
        }
    }

    private static SocketChannel connect(SelectorProvider p, ServerSocketChannel server) throws IOException {
        SocketChannel ch = p.openSocketChannel();
        ch.connect(server.getLocalAddress());
        return ch;
    }

    private static long drain(SocketChannel ch) {
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 16);
        long total = 0;
        try {
            int n;
            while ((n = ch.read(buf.clear())) >= 0) {
                total += n;
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return total;
    }

    /** A field of /proc/self/status in KiB. */
    private static long status(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.substring(field.length()).replace("kB", "").trim());
            }
        }
        throw new IOException(field + " not in /proc/self/status");
    }
}
