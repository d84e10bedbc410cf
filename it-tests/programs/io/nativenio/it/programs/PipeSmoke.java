package io.nativenio.it.programs;

import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Iterator;

/**
 * The smoke test of the infrastructure (works with Selector and Pipe only): N pipes, one writer thread per
 * pipe writing deterministic content with blocking writes, one selector thread reading every source
 * non-blocking; each pipe's SHA-256 is checked against the content. Args: pipes, bytes per pipe.
 */
public final class PipeSmoke {
    public static void main(String[] args) throws Exception {
        int pipes = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 4 << 20;
        Report.start("PipeSmoke", 120);

        Selector sel = Selector.open();
        Pipe[] p = new Pipe[pipes];
        MessageDigest[] md = new MessageDigest[pipes];
        long[] got = new long[pipes];
        for (int i = 0; i < pipes; i++) {
            p[i] = Pipe.open();
            p[i].source().configureBlocking(false);
            p[i].source().register(sel, SelectionKey.OP_READ, i);
            md[i] = MessageDigest.getInstance("SHA-256");
        }
        Report.channel("pipe.source", p[0].source());
        Report.channel("pipe.sink", p[0].sink());
        Report.selector("reader", sel);

        Thread[] writers = new Thread[pipes];
        for (int i = 0; i < pipes; i++) {
            final int n = i;
            writers[i] = new Thread(() -> {
                byte[] data = Report.content(n, size);
                ByteBuffer b = (n % 2 == 0) ? ByteBuffer.wrap(data) : ByteBuffer.allocateDirect(size).put(data).flip();
                try {
                    while (b.hasRemaining()) {
                        // vary the write size so partial writes happen
                        int lim = Math.min(b.limit(), b.position() + 1 + (b.position() * 31 + n) % 65536);
                        ByteBuffer slice = b.duplicate().limit(lim);
                        b.position(b.position() + p[n].sink().write(slice));
                    }
                    p[n].sink().close();
                } catch (Exception e) {
                    e.printStackTrace();
                    Report.fail("writer " + n + ": " + e);
                }
            }, "writer-" + i);
            writers[i].start();
        }

        ByteBuffer buf = ByteBuffer.allocateDirect(32 * 1024);
        int open = pipes;
        long selects = 0;
        while (open > 0) {
            sel.select(5000);
            selects++;
            Iterator<SelectionKey> it = sel.selectedKeys().iterator();
            while (it.hasNext()) {
                SelectionKey k = it.next();
                it.remove();
                int n = (Integer) k.attachment();
                Pipe.SourceChannel src = (Pipe.SourceChannel) k.channel();
                int r;
                while ((r = src.read(buf.clear())) > 0) {
                    buf.flip();
                    md[n].update(buf);
                    got[n] += r;
                }
                if (r < 0) {
                    k.cancel();
                    src.close();
                    open--;
                }
            }
        }
        for (Thread t : writers) t.join();
        sel.close();

        long total = 0;
        for (int i = 0; i < pipes; i++) {
            String want = Report.sha256(Report.content(i, size));
            String have = HexFormat.of().formatHex(md[i].digest());
            Report.check(got[i] == size, "pipe " + i + ": " + got[i] + " bytes, want " + size);
            Report.check(want.equals(have), "pipe " + i + ": sha256 " + have + ", want " + want);
            total += got[i];
        }
        Report.result("pipes", pipes);
        Report.result("bytes", total);
        Report.result("selects", selects);
        Report.result("sha256", "match");
        Report.ok();
    }
}
