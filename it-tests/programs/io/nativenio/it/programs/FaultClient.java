package io.nativenio.it.programs;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client of {@link FaultServer}: N blocking connections, each in its own thread, doing echo round trips
 * of deterministic content (checked) for {@code seconds}. Prints "IT connected N" once all are connected,
 * then at the end the round trips and the longest pause between two round trips of any connection.
 * Args: host, port, connections, seconds, message size.
 */
public final class FaultClient {
    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int conns = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        int size = args.length > 4 ? Integer.parseInt(args[4]) : 4096;
        Report.start("FaultClient", seconds + 60);
        CountDownLatch connected = new CountDownLatch(conns);
        AtomicLong rounds = new AtomicLong(), maxGapMs = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        Thread[] t = new Thread[conns];
        Throwable[] failed = new Throwable[1];
        for (int i = 0; i < conns; i++) {
            final int n = i;
            t[i] = new Thread(() -> {
                try (SocketChannel sc = SocketChannel.open(new InetSocketAddress(host, port))) {
                    if (n == 0) Report.channel("client.SocketChannel", sc);
                    connected.countDown();
                    ByteBuffer in = ByteBuffer.allocate(size);
                    long last = System.nanoTime();
                    for (int r = 0; System.nanoTime() < end; r++) {
                        byte[] msg = Report.content(n * 1_000_003L + r, size);
                        ByteBuffer out = ByteBuffer.wrap(msg);
                        while (out.hasRemaining()) sc.write(out);
                        in.clear();
                        while (in.hasRemaining()) {
                            if (sc.read(in) < 0) throw new IllegalStateException("connection " + n + ": eof");
                        }
                        if (!Arrays.equals(in.array(), msg)) throw new IllegalStateException("connection " + n + ": echo differs");
                        long now = System.nanoTime();
                        maxGapMs.accumulateAndGet((now - last) / 1_000_000, Math::max);
                        last = now;
                        rounds.incrementAndGet();
                        Thread.sleep(5);
                    }
                } catch (Throwable e) {
                    e.printStackTrace();
                    synchronized (failed) {
                        failed[0] = e;
                    }
                }
            }, "conn-" + i);
            t[i].start();
        }
        connected.await();
        System.out.println("IT connected " + conns);
        System.out.flush();
        for (Thread x : t) x.join();
        if (failed[0] != null) Report.fail(String.valueOf(failed[0]));
        Report.result("rounds", rounds.get());
        Report.result("maxGapMs", maxGapMs.get());
        Report.ok();
    }
}
