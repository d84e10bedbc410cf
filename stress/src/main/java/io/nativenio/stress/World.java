package io.nativenio.stress;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.Pipe;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.ScatteringByteChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.channels.spi.SelectorProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

/**
 * The channels, selectors and keys one provider opened during a sequence, and the execution of a
 * {@link Step} on them. The outcome of a step is a string: the target, then the return value normalised
 * (ephemeral ports and this world's directory replaced), or the exception's class and message. A call
 * that may block on a blocking channel is guarded: the channel is closed if the call has not returned
 * after {@link #GUARD_MS} (the same call blocks on both providers, so both then end in the same way).
 */
final class World implements AutoCloseable {
    static final long GUARD_MS = 50;
    private static final Pattern EPHEMERAL_PORT = Pattern.compile("(?<=:)[1-6]\\d{4}\\b");
    private static final Pattern AUTO_BOUND = Pattern.compile("/socket_\\d+");   // a UNIX bind(null)
    private static final List<SocketOption<?>> OPTIONS = List.of(StandardSocketOptions.SO_RCVBUF,
            StandardSocketOptions.SO_SNDBUF, StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.SO_REUSEPORT,
            StandardSocketOptions.SO_KEEPALIVE, StandardSocketOptions.TCP_NODELAY, StandardSocketOptions.SO_LINGER,
            StandardSocketOptions.IP_TOS, StandardSocketOptions.SO_BROADCAST, StandardSocketOptions.IP_MULTICAST_TTL,
            StandardSocketOptions.IP_MULTICAST_LOOP);
    private static final int[] INT_VALUES = {-1, 0, 1, 7, 255, 4096, 65536};

    private final SelectorProvider provider;
    private final ScheduledExecutorService guard;
    private final LongAdder guardCloses;
    private final Path dir;
    private final List<Channel> channels = new ArrayList<>();
    private final List<Selector> selectors = new ArrayList<>();
    private final List<SelectionKey> keys = new ArrayList<>();

    /** {@code guardCloses} counts the calls that the guard ended by closing their channel. */
    World(SelectorProvider provider, ScheduledExecutorService guard, LongAdder guardCloses) throws IOException {
        this.provider = provider;
        this.guard = guard;
        this.guardCloses = guardCloses;
        this.dir = Files.createTempDirectory("stress-seq");
    }

    /** Runs the step; its outcome. */
    String apply(Step s) {
        StringBuilder out = new StringBuilder();
        try {
            out.append(execute(s, out));
        } catch (Exception | Error e) {   // an Error too: it is an outcome to compare, not the check's end
            out.append(e.getClass().getName());
            if (!(e instanceof NullPointerException)) {   // helpful NPE messages name the JDK's local variables
                out.append(": ").append(e.getMessage());
            }
        }
        return normalise(out.toString());
    }

    private String normalise(String s) {
        s = AUTO_BOUND.matcher(s.replace(dir.toString(), "DIR")).replaceAll("/socket_N");
        return EPHEMERAL_PORT.matcher(s).replaceAll("P");
    }

    private Object execute(Step s, StringBuilder out) throws Exception {
        switch (s.op()) {
            case OPEN_TCP:
                return add(s.a() % 2 == 0 ? provider.openSocketChannel() : provider.openSocketChannel(StandardProtocolFamily.INET), s.a());
            case OPEN_SERVER:
                return add(switch (s.a() % 3) {
                    case 0 -> provider.openServerSocketChannel();
                    case 1 -> provider.openServerSocketChannel(StandardProtocolFamily.INET);
                    default -> provider.openServerSocketChannel(StandardProtocolFamily.UNIX);
                }, s.b());
            case OPEN_UDP:
                return add(s.a() % 2 == 0 ? provider.openDatagramChannel() : provider.openDatagramChannel(StandardProtocolFamily.INET), s.a());
            case OPEN_UNIX:
                return add(provider.openSocketChannel(StandardProtocolFamily.UNIX), s.a());
            case OPEN_PIPE: {
                Pipe p = provider.openPipe();
                add(p.source(), s.a());
                return add(p.sink(), s.b());
            }
            case OPEN_SELECTOR:
                selectors.add(provider.openSelector());
                return "sel" + (selectors.size() - 1);
            case CLOSE_SELECTOR:
                return selector(s.a(), out) == null ? "none" : close(selector(s.a(), new StringBuilder()));
            case WAKEUP:
                return selector(s.a(), out) == null ? "none" : selector(s.a(), new StringBuilder()).wakeup() != null;
            case SELECT_NOW:
            case SELECT: {
                Selector sel = selector(s.a(), out);
                if (sel == null) {
                    return "none";
                }
                int n = s.op() == Step.Op.SELECT_NOW ? sel.selectNow() : sel.select(1 + s.b() % 5);
                String selected = describe(sel);
                if (s.c() % 2 == 0) {
                    sel.selectedKeys().clear();
                }
                return n + " " + selected;
            }
            case REGISTER: {
                Channel ch = channel(s.a(), out);
                Selector sel = selector(s.b(), out);
                if (!(ch instanceof SelectableChannel) || sel == null) {
                    return "none";
                }
                SelectionKey key = ((SelectableChannel) ch).register(sel, s.c() % 32);
                if (!keys.contains(key)) {
                    keys.add(key);
                }
                return "key" + keys.indexOf(key);
            }
            case INTEREST_OPS: {
                SelectionKey key = key(s.a(), out);
                return key == null ? "none" : key.interestOps(s.b() % 32).interestOps();
            }
            case CANCEL: {
                SelectionKey key = key(s.a(), out);
                if (key != null) {
                    key.cancel();
                }
                return key != null;
            }
            case CONFIGURE_BLOCKING: {
                Channel ch = channel(s.a(), out);
                return ch instanceof SelectableChannel sc ? sc.configureBlocking(s.b() % 2 == 0).isBlocking() : "none";
            }
            case BIND: {
                Channel ch = channel(s.a(), out);
                if (!(ch instanceof NetworkChannel nc)) {
                    return "none";
                }
                return address(nc.bind(address(s.b() % 5, s.c())).getLocalAddress());   // never a fixed port
            }
            case CONNECT: {
                Channel ch = channel(s.a(), out);
                SocketAddress target = s.b() % 4 == 0 ? peerOf(s.c()) : address(s.b() % 6, s.c());
                if (ch instanceof SocketChannel sc) {
                    return guarded(sc, () -> sc.connect(target));
                } else if (ch instanceof DatagramChannel dc) {
                    return address(dc.connect(target).getRemoteAddress());
                }
                return "none";
            }
            case FINISH_CONNECT: {
                Channel ch = channel(s.a(), out);
                return ch instanceof SocketChannel sc ? guarded(sc, sc::finishConnect) : "none";
            }
            case ACCEPT: {
                Channel ch = channel(s.a(), out);
                if (!(ch instanceof ServerSocketChannel ss)) {
                    return "none";
                }
                Object accepted = guarded(ss, ss::accept);
                return accepted instanceof SocketChannel sc ? add(sc) : accepted;
            }
            case READ: {
                Channel ch = channel(s.a(), out);
                if (!(ch instanceof ReadableByteChannel rc)) {
                    return "none";
                }
                ByteBuffer b = s.c() % 2 == 0 ? ByteBuffer.allocateDirect(1 + s.b() % 64) : ByteBuffer.allocate(1 + s.b() % 64);
                Object n = guarded((SelectableChannel) ch, () -> rc.read(b));
                return n + " " + content(b);
            }
            case WRITE: {
                Channel ch = channel(s.a(), out);
                if (!(ch instanceof WritableByteChannel wc)) {
                    return "none";
                }
                ByteBuffer b = bytes(1 + s.b() % 64, s.c());
                return guarded((SelectableChannel) ch, () -> wc.write(b));
            }
            case SEND: {
                Channel ch = channel(s.a(), out);
                if (!(ch instanceof DatagramChannel dc)) {
                    return "none";
                }
                SocketAddress target = s.b() % 3 == 0 ? address(s.b() % 6, s.c()) : peerOf(s.c());
                return guarded(dc, () -> dc.send(bytes(1 + s.b() % 32, s.c()), target));
            }
            case RECEIVE: {
                Channel ch = channel(s.a(), out);
                if (!(ch instanceof DatagramChannel dc)) {
                    return "none";
                }
                ByteBuffer b = ByteBuffer.allocate(1 + s.b() % 64);
                Object from = guarded(dc, () -> dc.receive(b));
                return (from instanceof SocketAddress a ? address(a) : from) + " " + content(b);
            }
            case DISCONNECT: {
                Channel ch = channel(s.a(), out);
                return ch instanceof DatagramChannel dc ? dc.disconnect().isConnected() : "none";
            }
            case SHUTDOWN: {
                Channel ch = channel(s.a(), out);
                if (!(ch instanceof SocketChannel sc)) {
                    return "none";
                }
                return s.b() % 2 == 0 ? sc.shutdownInput().isOpen() : sc.shutdownOutput().isOpen();
            }
            case CLOSE: {
                Channel ch = channel(s.a(), out);
                return ch == null ? "none" : close(ch);
            }
            case SET_OPTION:
            case GET_OPTION: {
                Channel ch = channel(s.a(), out);
                if (!(ch instanceof NetworkChannel nc)) {
                    return "none";
                }
                SocketOption<?> option = OPTIONS.get(s.b() % OPTIONS.size());
                out.append(option).append(' ');
                if (s.op() == Step.Op.SET_OPTION) {
                    setOption(nc, option, s.c());
                }
                return nc.getOption(option);
            }
            case ADDRESS: {
                Channel ch = channel(s.a(), out);
                if (ch instanceof SocketChannel sc && s.b() % 2 == 1) {
                    return address(sc.getRemoteAddress());
                } else if (ch instanceof DatagramChannel dc && s.b() % 2 == 1) {
                    return address(dc.getRemoteAddress());
                }
                return ch instanceof NetworkChannel nc ? address(nc.getLocalAddress()) : "none";
            }
            case BAD_INPUT:
                return badInput(s, out);
            case STATE:
                return state(s, out);
            default:
                throw new AssertionError(s.op());
        }
    }

    private Object badInput(Step s, StringBuilder out) throws Exception {
        Channel ch = channel(s.a(), out);
        if (!(ch instanceof ScatteringByteChannel sc)) {
            return ch instanceof SelectableChannel sel ? sel.register(null, 0) : "none";
        }
        switch (s.b() % 5) {
            case 0:
                return sc.read((ByteBuffer) null);
            case 1:
                return sc.read(new ByteBuffer[] {ByteBuffer.allocate(4)}, -1, 1);
            case 2:
                return sc.read(new ByteBuffer[] {ByteBuffer.allocate(4), null}, 0, 2);
            case 3:
                return sc.read(ByteBuffer.allocate(4).asReadOnlyBuffer());
            default:
                return ((SelectableChannel) ch).register(selectors.isEmpty() ? null : selectors.get(0), -1);
        }
    }

    private Object state(Step s, StringBuilder out) {
        if (s.b() % 2 == 0 && !keys.isEmpty()) {
            SelectionKey key = key(s.a(), out);
            String ready;
            try {
                ready = Integer.toString(key.readyOps());
            } catch (RuntimeException e) {
                ready = e.getClass().getName();
            }
            return "valid=" + key.isValid() + " ready=" + ready;
        }
        Channel ch = channel(s.a(), out);
        if (!(ch instanceof SelectableChannel sc)) {
            return "none";
        }
        StringBuilder sb = new StringBuilder().append("open=").append(sc.isOpen()).append(" blocking=")
                .append(sc.isBlocking()).append(" registered=").append(sc.isRegistered()).append(" validOps=")
                .append(sc.validOps());
        if (sc instanceof SocketChannel so) {
            sb.append(" connected=").append(so.isConnected()).append(" pending=").append(so.isConnectionPending());
        }
        for (Selector sel : selectors) {
            SelectionKey k = sc.keyFor(sel);
            sb.append(" key=").append(k == null ? "null" : "key" + keys.indexOf(k));
        }
        return sb.toString();
    }

    @SuppressWarnings("unchecked")
    private static void setOption(NetworkChannel nc, SocketOption<?> option, int c) throws IOException {
        if (option.type() == Boolean.class) {
            nc.setOption((SocketOption<Boolean>) option, c % 2 == 0);
        } else {
            nc.setOption((SocketOption<Integer>) option, INT_VALUES[c % INT_VALUES.length]);
        }
    }

    /** A blocking call that may block: closes the channel when it has not returned in time. */
    private Object guarded(SelectableChannel ch, Call call) throws Exception {
        if (!ch.isBlocking() || !ch.isOpen()) {
            return call.run();
        }
        ScheduledFuture<?> closer = guard.schedule(() -> {
            guardCloses.increment();
            ch.close();
            return null;
        }, GUARD_MS, TimeUnit.MILLISECONDS);
        try {
            return call.run();
        } finally {
            closer.cancel(false);
        }
    }

    private interface Call {
        Object run() throws Exception;
    }

    private SocketAddress address(int kind, int c) {
        return switch (kind) {
            case 0 -> new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            case 1 -> null;
            case 2 -> UnixDomainSocketAddress.of(dir.resolve("s" + c % 4));
            case 3 -> InetSocketAddress.createUnresolved("unresolved.invalid", 80);
            case 4 -> new InetSocketAddress(0);
            default -> new InetSocketAddress(InetAddress.getLoopbackAddress(), 1);   // a target: refused
        };
    }

    /** The local address of the channel at index c (what a peer connects or sends to), or port 1. */
    private SocketAddress peerOf(int c) throws IOException {
        Channel ch = channels.isEmpty() ? null : channels.get(c % channels.size());
        SocketAddress a = ch instanceof NetworkChannel nc && nc.isOpen() ? nc.getLocalAddress() : null;
        return a != null ? a : new InetSocketAddress(InetAddress.getLoopbackAddress(), 1);
    }

    private static String address(SocketAddress a) {
        return a == null ? "null" : a.getClass().getSimpleName() + ":" + a;
    }

    private static ByteBuffer bytes(int n, int seed) {
        ByteBuffer b = ByteBuffer.allocate(n);
        for (int i = 0; i < n; i++) {
            b.put((byte) (seed + i));
        }
        return b.flip();
    }

    private static String content(ByteBuffer b) {
        return "pos=" + b.position() + " hash=" + b.duplicate().flip().hashCode();
    }

    private String describe(Selector sel) {
        TreeMap<Integer, Integer> ready = new TreeMap<>();
        for (SelectionKey k : sel.selectedKeys()) {
            ready.put(keys.indexOf(k), k.isValid() ? k.readyOps() : -1);
        }
        return ready.toString();
    }

    private String add(Channel ch, int a) throws IOException {
        if (a % 4 >= 2) {
            ((SelectableChannel) ch).configureBlocking(false);
        }
        return add(ch);
    }

    private String add(Channel ch) {
        channels.add(ch);
        return "ch" + (channels.size() - 1);
    }

    private Channel channel(int a, StringBuilder out) {
        if (channels.isEmpty()) {
            return null;
        }
        Channel ch = channels.get(a % channels.size());
        out.append("ch").append(a % channels.size()).append(' ');
        return ch;
    }

    private Selector selector(int a, StringBuilder out) {
        if (selectors.isEmpty()) {
            return null;
        }
        out.append("sel").append(a % selectors.size()).append(' ');
        return selectors.get(a % selectors.size());
    }

    private SelectionKey key(int a, StringBuilder out) {
        if (keys.isEmpty()) {
            return null;
        }
        out.append("key").append(a % keys.size()).append(' ');
        return keys.get(a % keys.size());
    }

    private static boolean close(java.io.Closeable c) throws IOException {
        c.close();
        return true;
    }

    @Override
    public void close() throws IOException {
        for (Channel ch : channels) {
            ch.close();
        }
        for (Selector sel : selectors) {
            sel.close();
        }
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(f);
            }
        }
        Files.delete(dir);
    }
}
