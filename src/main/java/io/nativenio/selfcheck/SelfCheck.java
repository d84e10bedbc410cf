package io.nativenio.selfcheck;

import io.nativenio.NativeSelectorProvider;
import io.nativenio.ch.Backends;
import io.nativenio.ch.NativeChannel;
import io.nativenio.ch.NativeLibrary;
import io.nativenio.observe.Counters;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NotLinkException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code java -jar nativenio.jar}: prints what nativenio runs on and where its native library came from,
 * then checks everything nativenio implements, one PASS or FAIL line per check. Exit status 0 when all
 * pass, 1 when one fails, 2 when the native library cannot be loaded. It always checks a nativenio
 * provider, even when {@link SelectorProvider#provider()} is another one.
 */
public final class SelfCheck {
    /** A check that does not finish in this time has hung: it fails and its thread is left behind. */
    private static final long CHECK_TIMEOUT_MS = 20_000;

    private final SelectorProvider provider;
    private int passed;
    private int failed;
    private int skipped;

    private SelfCheck(SelectorProvider provider) {
        this.provider = provider;
    }

    public static void main(String[] args) {
        line("nativenio", NativeSelectorProvider.version());
        line("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ", "
                + System.getProperty("java.vm.name") + ") at " + System.getProperty("java.home"));
        line("os", System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", kernel "
                + kernelRelease() + ", platform " + NativeLibrary.platform());
        try {
            NativeLibrary.load();
        } catch (NativeLibrary.UnavailableException e) {
            line("library", "NOT LOADED");
            System.out.flush();
            System.err.println(e.getMessage());
            System.exit(2);
        }
        line("library", NativeLibrary.loadedFrom());
        line("backend", Backends.get().name());
        SelectorProvider system;
        try {
            system = SelectorProvider.provider();
        } catch (Throwable e) { // e.g. ServiceConfigurationError for another provider named by the property
            system = null;
            line("provider", "SelectorProvider.provider() failed: " + e);
        }
        boolean ours = system instanceof NativeSelectorProvider;
        if (system != null) {
            line("provider", "SelectorProvider.provider() is " + system.getClass().getName()
                    + (ours ? " (nativenio)" : " (not nativenio; checking a new NativeSelectorProvider)"));
        }
        System.out.println();
        SelfCheck check = new SelfCheck(ours ? system : new NativeSelectorProvider());
        check.runAll();
        System.out.println();
        System.out.println(check.passed + " passed, " + check.failed + " failed"
                + (check.skipped == 0 ? "" : ", " + check.skipped + " skipped"));
        System.out.println();
        printCounters(Counters.of(check.provider));
        System.exit(check.failed == 0 ? 0 : 1);
    }

    private void runAll() {
        String unlisted = warmUp();
        Set<String> fdsBefore = FdTable.channelFds();
        check("pipe: blocking write and read of 200000 bytes, heap buffers", () -> transfer(false));
        check("pipe: blocking write and read of 200000 bytes, direct buffers", () -> transfer(true));
        check("pipe: non-blocking read with nothing to read returns 0", this::nonBlockingRead);
        check("pipe: gather write and scatter read", this::scatterGather);
        check("selector: selects a readable pipe", this::selectsReadable);
        check("selector: wakeup before select makes select return at once", this::wakeupBeforeSelect);
        check("selector: timed select with nothing ready returns 0", this::timedSelect);
        check("pipe: close wakes a blocked read with AsynchronousCloseException",
                () -> blockedRead(AsynchronousCloseException.class, (reader, pipe) -> pipe.source.close()));
        check("pipe: interrupt wakes a blocked read with ClosedByInterruptException",
                () -> blockedRead(ClosedByInterruptException.class, (reader, pipe) -> reader.interrupt()));
        check("selector: closing a registered channel defers its fd close to the next select", this::deferredClose);
        check("tcp: connect, accept and 200000 bytes each way over IPv4 loopback",
                () -> streamEcho(StandardProtocolFamily.INET, new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0)));
        check("tcp: the same over the default (dual-stack) family",
                () -> streamEcho(null, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
        check("unix: the same over a UNIX-domain socket", this::unixEcho);
        check("udp: send, receive, connect, write and read over IPv4 loopback",
                () -> udpExchange(StandardProtocolFamily.INET, InetAddress.getByName("127.0.0.1")));
        check("udp: the same over the default (dual-stack) family",
                () -> udpExchange(null, InetAddress.getLoopbackAddress()));
        String leakCheck = "no file descriptor leaked (sockets, pipes and event fds in " + FdTable.DIR + ")";
        if (unlisted != null) {
            skip(leakCheck, unlisted);
            return;
        }
        check(leakCheck, () -> {
            Set<String> left = fdsBefore == null ? null : FdTable.settledOpenedSince(fdsBefore);
            expect(left != null, "cannot list " + FdTable.DIR);
            expect(left.isEmpty(), left.size() + " opened during the checks and still open: " + left);
        });
    }

    // ---- the checks ----

    private void transfer(boolean direct) throws Exception {
        byte[] data = new byte[200_000]; // more than a pipe holds, so the writer blocks
        new Random(42).nextBytes(data);
        try (OpenPipe pipe = new OpenPipe()) {
            Task writer = new Task("selfcheck-writer", () -> {
                ByteBuffer buf = allocate(direct, data.length).put(data).flip();
                while (buf.hasRemaining()) {
                    pipe.sink.write(buf);
                }
                pipe.sink.close();
            });
            ByteBuffer received = ByteBuffer.allocate(data.length + 1);
            ByteBuffer buf = allocate(direct, 8192);
            while (pipe.source.read(buf.clear()) >= 0) {
                expect(received.remaining() >= buf.flip().remaining(), "read more bytes than were written");
                received.put(buf);
            }
            writer.join();
            expect(writer.thrown == null, "the writer failed: " + writer.thrown);
            expect(received.position() == data.length, "read " + received.position() + " of " + data.length + " bytes");
            expect(Arrays.equals(data, Arrays.copyOf(received.array(), data.length)), "the bytes read differ");
        }
    }

    private void nonBlockingRead() throws Exception {
        try (OpenPipe pipe = new OpenPipe()) {
            pipe.source.configureBlocking(false);
            int n = pipe.source.read(ByteBuffer.allocate(16));
            expect(n == 0, "read returned " + n);
        }
    }

    private void scatterGather() throws Exception {
        try (OpenPipe pipe = new OpenPipe()) {
            ByteBuffer[] out = {ascii(false, "abc"), ascii(true, "defg")};
            long written = pipe.sink.write(out);
            expect(written == 7, "write(ByteBuffer[]) returned " + written);
            ByteBuffer[] in = {ByteBuffer.allocate(2), ByteBuffer.allocateDirect(5)};
            long read = 0;
            while (read < 7) {
                read += pipe.source.read(in);
            }
            expect(text(in[0]).equals("ab") && text(in[1]).equals("cdefg"),
                    "read \"" + text(in[0]) + "\" and \"" + text(in[1]) + "\", expected \"ab\" and \"cdefg\"");
        }
    }

    private void selectsReadable() throws Exception {
        try (Selector selector = provider.openSelector(); OpenPipe pipe = new OpenPipe()) {
            pipe.source.configureBlocking(false);
            SelectionKey key = pipe.source.register(selector, SelectionKey.OP_READ);
            expect(selector.selectNow() == 0, "selectNow() selected an empty pipe");
            pipe.sink.write(ascii(false, "x"));
            int n = selector.select();
            expect(n == 1, "select() returned " + n);
            expect(selector.selectedKeys().contains(key) && key.isReadable(),
                    "selected keys " + selector.selectedKeys() + ", readyOps " + key.readyOps());
        }
    }

    private void wakeupBeforeSelect() throws Exception {
        try (Selector selector = provider.openSelector()) {
            selector.wakeup();
            int n = selector.select(); // untimed: if the wakeup were lost, this check would time out
            expect(n == 0, "select() returned " + n);
        }
    }

    private void timedSelect() throws Exception {
        try (Selector selector = provider.openSelector(); OpenPipe pipe = new OpenPipe()) {
            pipe.source.configureBlocking(false);
            pipe.source.register(selector, SelectionKey.OP_READ);
            int n = selector.select(100);
            expect(n == 0 && selector.selectedKeys().isEmpty(), "select(100) returned " + n);
        }
    }

    /** A read blocked on an empty pipe in another thread; {@code unblock} must end it with {@code expected}. */
    private void blockedRead(Class<? extends IOException> expected, Unblock unblock) throws Exception {
        AtomicBoolean interrupted = new AtomicBoolean();
        try (OpenPipe pipe = new OpenPipe()) {
            Task reader = new Task("selfcheck-blocked-reader", () -> {
                try {
                    pipe.source.read(ByteBuffer.allocate(1));
                } finally {
                    interrupted.set(Thread.currentThread().isInterrupted());
                }
            });
            awaitBlockedInNative(reader);
            unblock.accept(reader, pipe);
            reader.join();
            expect(reader.thrown != null && reader.thrown.getClass() == expected,
                    "the read ended with " + (reader.thrown == null ? "no exception" : reader.thrown.toString()));
            expect(!pipe.source.isOpen(), "the channel is still open");
            if (expected == ClosedByInterruptException.class) {
                expect(interrupted.get(), "the reader's interrupt status was cleared");
            }
        }
    }

    /** The stream echo over a UNIX-domain socket in a fresh temporary directory, removed afterwards. */
    private void unixEcho() throws Exception {
        Path dir = Files.createTempDirectory("nativenio-selfcheck");
        Path socket = dir.resolve("s");
        try {
            streamEcho(StandardProtocolFamily.UNIX, UnixDomainSocketAddress.of(socket));
        } finally {
            Files.deleteIfExists(socket);
            Files.delete(dir);
        }
    }

    private void streamEcho(ProtocolFamily family, SocketAddress local) throws Exception {
        byte[] data = new byte[200_000]; // more than the socket buffers hold, so writes block
        new Random(7).nextBytes(data);
        try (ServerSocketChannel server = family == null ? provider.openServerSocketChannel()
                : provider.openServerSocketChannel(family)) {
            server.bind(local);
            try (SocketChannel client = family == null ? provider.openSocketChannel() : provider.openSocketChannel(family)) {
                expect(client.connect(server.getLocalAddress()), "a blocking connect returned false");
                try (SocketChannel peer = server.accept()) {
                    expect(peer.provider() == provider && peer.isBlocking(), "the accepted channel is " + peer);
                    Task echo = new Task("selfcheck-echo", () -> {
                        ByteBuffer buf = ByteBuffer.allocateDirect(8192);
                        while (peer.read(buf.clear()) >= 0) {
                            peer.write(buf.flip());
                        }
                        peer.shutdownOutput();
                    });
                    Task writer = new Task("selfcheck-writer", () -> {
                        client.write(ByteBuffer.wrap(data));
                        client.shutdownOutput();
                    });
                    ByteBuffer received = ByteBuffer.allocate(data.length);
                    while (received.hasRemaining() && client.read(received) >= 0) {
                        // until all bytes are back or the echo ends early
                    }
                    expect(client.read(ByteBuffer.allocate(1)) == -1, "no EOF after the echoed bytes");
                    writer.join();
                    echo.join();
                    expect(writer.thrown == null && echo.thrown == null, "failed: " + writer.thrown + ", " + echo.thrown);
                    expect(Arrays.equals(data, received.array()), "the bytes echoed differ");
                }
            }
        }
    }

    private void udpExchange(ProtocolFamily family, InetAddress loopback) throws Exception {
        try (DatagramChannel a = family == null ? provider.openDatagramChannel() : provider.openDatagramChannel(family);
                DatagramChannel b = family == null ? provider.openDatagramChannel() : provider.openDatagramChannel(family)) {
            a.bind(new InetSocketAddress(loopback, 0));
            b.bind(new InetSocketAddress(loopback, 0));
            expect(a.send(ascii(true, "ping"), b.getLocalAddress()) == 4, "send did not send 4 bytes");
            ByteBuffer buf = ByteBuffer.allocate(16);
            Object sender = b.receive(buf);
            expect(a.getLocalAddress().equals(sender), "received from " + sender + ", sent from " + a.getLocalAddress());
            expect(text(buf).equals("ping"), "received \"" + text(buf) + "\"");
            b.connect(a.getLocalAddress());
            expect(b.write(ascii(false, "pong")) == 4, "write did not send 4 bytes");
            buf = ByteBuffer.allocateDirect(16);
            expect(a.receive(buf) != null && text(buf).equals("pong"), "received \"" + text(buf) + "\"");
            a.configureBlocking(false);
            expect(a.receive(buf.clear()) == null, "a non-blocking receive with nothing queued did not return null");
            a.send(ascii(false, "x"), b.getLocalAddress());
            expect(b.read(buf.clear()) == 1, "read did not return the 1-byte datagram");
        }
    }

    private void deferredClose() throws Exception {
        try (Selector selector = provider.openSelector(); OpenPipe pipe = new OpenPipe()) {
            pipe.source.configureBlocking(false);
            SelectionKey key = pipe.source.register(selector, SelectionKey.OP_READ);
            selector.selectNow();
            int fd = ((NativeChannel) pipe.source).fdVal();
            String kind = FdTable.kind(fd);
            expect(kind != null && kind.startsWith("pipe:"), "fd " + fd + " is " + kind + ", not the pipe");
            pipe.source.close();
            expect(!key.isValid(), "the key is still valid after close");
            expect(kind.equals(FdTable.kind(fd)), "the fd was closed while still registered");
            selector.selectNow();
            expect(!kind.equals(FdTable.kind(fd)), "the fd is still open after the next select");
            expect(selector.keys().isEmpty(), "the selector still has keys " + selector.keys());
        }
    }

    // ---- running and reporting ----

    private interface Body {
        void run() throws Exception;
    }

    private interface Unblock {
        void accept(Thread reader, OpenPipe pipe) throws IOException;
    }

    /** A daemon thread that runs a body at once and keeps what it threw. */
    private static final class Task extends Thread {
        private final Body body;
        volatile Throwable thrown;

        Task(String name, Body body) {
            super(name);
            this.body = body;
            setDaemon(true);
            start();
        }

        @Override
        public void run() {
            try {
                body.run();
            } catch (Throwable e) {
                thrown = e;
            }
        }
    }

    /** Both ends of a pipe of the provider under check, closed together. */
    private final class OpenPipe implements AutoCloseable {
        final Pipe.SourceChannel source;
        final Pipe.SinkChannel sink;

        OpenPipe() throws IOException {
            Pipe pipe = provider.openPipe();
            source = pipe.source();
            sink = pipe.sink();
        }

        @Override
        public void close() throws IOException {
            try {
                sink.close();
            } finally {
                source.close();
            }
        }
    }

    /** Runs {@code body} on its own thread, so that a hang fails the check instead of the whole run. */
    private void check(String name, Body body) {
        Task task = new Task("selfcheck", body);
        try {
            task.join(CHECK_TIMEOUT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Throwable thrown = task.thrown;
        String problem = task.isAlive() ? "did not finish in " + CHECK_TIMEOUT_MS / 1000 + " s (hung)"
                : thrown == null ? null
                : thrown instanceof CheckFailed ? thrown.getMessage()
                : thrown.toString();
        if (problem == null) {
            passed++;
            System.out.println("PASS  " + name);
        } else {
            failed++;
            System.out.println("FAIL  " + name + ": " + problem);
            if (thrown != null && !(thrown instanceof CheckFailed)) {
                thrown.printStackTrace(System.out);
            }
        }
    }

    /** A check that cannot run here: neither passed nor failed, and the line says why. */
    private void skip(String name, String why) {
        skipped++;
        System.out.println("SKIP  " + name + ": skipped: " + why);
    }

    private static final class CheckFailed extends Exception {
        private static final long serialVersionUID = 1L;

        CheckFailed(String message) {
            super(message, null, false, false);
        }
    }

    private static void expect(boolean condition, String otherwise) throws CheckFailed {
        if (!condition) {
            throw new CheckFailed(otherwise);
        }
    }

    /** The provider's live counters after the checks (docs/observability.md). */
    private static void printCounters(Counters c) {
        try {
            c.awaitPublished();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        line("counters", c.publishedAs());
        line("open", c.getOpenSocketChannels() + " socket, " + c.getOpenServerSocketChannels() + " server socket, "
                + c.getOpenDatagramChannels() + " datagram, " + c.getOpenPipeChannels() + " pipe channels; "
                + c.getOpenSelectors() + " selectors, " + c.getRegisteredKeys() + " registered keys, "
                + c.getOpenFds() + " fds");
        line("selects", c.getSelects() + ", " + c.getWakeups() + " wakeups, " + c.getReadinessChanges()
                + " readiness changes");
        line("bytes", c.getBytesRead() + " read, " + c.getBytesWritten() + " written");
    }

    private static void line(String what, String value) {
        System.out.printf("%-10s %s%n", what, value);
    }

    // ---- helpers ----

    /** Waits until {@code t} is inside a native method of nativenio (the blocking read(2)). */
    private static void awaitBlockedInNative(Thread t) throws Exception {
        while (true) {
            StackTraceElement[] stack = t.getStackTrace();
            if (stack.length > 0 && stack[0].isNativeMethod() && stack[0].getClassName().startsWith("io.nativenio.")) {
                return;
            }
            expect(t.isAlive(), "the read ended before it blocked");
            Thread.sleep(5);
        }
    }

    /**
     * Opens and closes a selector and a pipe once, so that the fds nativenio keeps for good exist before the
     * leak check's first count, and returns why that check cannot run here (null when it can).
     */
    private String warmUp() {
        try (Selector selector = provider.openSelector(); OpenPipe pipe = new OpenPipe()) {
            selector.selectNow();
            return FdTable.cannotSee(((NativeChannel) pipe.source).fdVal());
        } catch (IOException e) {
            return "the warm-up failed: " + e;
        }
    }

    private static ByteBuffer allocate(boolean direct, int capacity) {
        return direct ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
    }

    private static ByteBuffer ascii(boolean direct, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
        return allocate(direct, bytes.length).put(bytes).flip();
    }

    private static String text(ByteBuffer buf) {
        ByteBuffer b = buf.duplicate().flip();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    /**
     * The open fds as the leak check counts them: only the kinds nativenio makes (sockets, pipes, and the
     * readiness-queue and event fds of its backends), each as "fd -> kind:[inode]", so that a number
     * reused for a new one counts as new. An fd that names a file by its path is left out: nativenio opens
     * none of those here, while the JDK opens some for good on first use inside the checks (SecureRandom's
     * /dev/random and /dev/urandom with the first temporary file, unless the loader made one earlier; a jar
     * or a library of its own). Linux lists the fds in /proc/self/fd as links to a path or, for the other
     * kinds, to "socket:[inode]", "pipe:[inode]", "anon_inode:[eventpoll]"; macOS and FreeBSD list them in
     * /dev/fd, whose entries are no links: there stat's file type tells the kind (FreeBSD lists more than the
     * standard streams only with fdescfs mounted on /dev/fd, which {@link #cannotSee} finds out).
     */
    private static final class FdTable {
        static final Path DIR = Files.isDirectory(Path.of("/proc/self/fd")) ? Path.of("/proc/self/fd") : Path.of("/dev/fd");

        // the file type bits of st_mode, the same on Linux, macOS and FreeBSD (stat(2))
        private static final int S_IFMT = 0170000;
        private static final int S_IFIFO = 0010000;
        private static final int S_IFSOCK = 0140000;
        private static final Set<Integer> PATH_TYPES = Set.of(0100000, 0040000, 0020000, 0060000, 0120000); // reg, dir, chr, blk, lnk

        /** The fds nativenio could have made, or null when {@link #DIR} cannot be listed. */
        static Set<String> channelFds() {
            Set<String> fds = new TreeSet<>();
            try (DirectoryStream<Path> dir = Files.newDirectoryStream(DIR)) {
                for (Path fd : dir) {
                    String kind = kind(fd);
                    if (kind != null) {
                        fds.add(fd.getFileName() + " -> " + kind);
                    }
                }
                return fds;
            } catch (IOException e) {
                return null;
            }
        }

        /** Why the leak check cannot run, null when the table shows {@code pipeFd}, open, as a pipe. */
        static String cannotSee(int pipeFd) {
            String kind = kind(pipeFd);
            Set<String> fds = channelFds();
            if (fds == null) {
                return "cannot list " + DIR;
            }
            return kind != null && kind.startsWith("pipe:") && fds.contains(pipeFd + " -> " + kind) ? null
                    : DIR + " does not show the open pipe fd " + pipeFd + " as a pipe (" + kind + ")";
        }

        /** The kind of the open {@code fd} if nativenio could have made it; null otherwise or when closed. */
        static String kind(int fd) {
            return kind(DIR.resolve(Integer.toString(fd)));
        }

        private static String kind(Path fd) {
            try {
                String target = Files.readSymbolicLink(fd).toString();
                return target.startsWith("/") ? null : target;
            } catch (NotLinkException e) {
                return kindFromStat(fd);
            } catch (IOException | UnsupportedOperationException e) {
                return null; // closed since the listing (the listing's own fd), or no links here
            }
        }

        private static String kindFromStat(Path fd) {
            try {
                Map<String, Object> stat = Files.readAttributes(fd, "unix:mode,ino");
                int type = (Integer) stat.get("mode") & S_IFMT;
                String kind = type == S_IFSOCK ? "socket" : type == S_IFIFO ? "pipe"
                        : PATH_TYPES.contains(type) ? null : "type-0" + Integer.toOctalString(type);
                return kind == null ? null : kind + ":[" + stat.get("ino") + "]";
            } catch (IOException | UnsupportedOperationException e) {
                return null; // closed since the listing, or no "unix" attribute view: cannotSee says so
            }
        }

        /**
         * The fds opened since {@code before} and still open, once there are none or after about 2 s (a close
         * may finish on another thread); null when {@link #DIR} cannot be listed. Fds closed since are no leak.
         */
        static Set<String> settledOpenedSince(Set<String> before) throws InterruptedException {
            Set<String> opened = openedSince(before);
            for (int i = 0; i < 40 && opened != null && !opened.isEmpty(); i++) {
                System.gc();
                Thread.sleep(50);
                opened = openedSince(before);
            }
            return opened;
        }

        private static Set<String> openedSince(Set<String> before) {
            Set<String> now = channelFds();
            if (now != null) {
                now.removeAll(before);
            }
            return now;
        }
    }

    private static String kernelRelease() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
        } catch (IOException e) {
            return System.getProperty("os.version");
        }
    }
}
