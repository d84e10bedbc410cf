package io.nativenio.ch;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.net.BindException;
import java.net.NetPermission;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.UnsupportedAddressTypeException;
import java.nio.charset.Charset;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.AccessController;
import java.security.NoSuchAlgorithmException;
import java.security.PrivilegedAction;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.HashSet;
import java.util.Objects;
import java.util.Properties;
import java.util.Random;
import java.util.Set;

/**
 * JNI facade of native/common/unix.c and the JDK's {@code sun.nio.ch.UnixDomainSockets} rules around it
 * (behaviours.md#unix-domain-stream-channels, behaviours.md#securitymanager-checks-on-jdk-17,
 * behaviours.md#supported-options): path encoding and length, the unnamed address, temporary names for
 * {@code bind(null)} of a server, the {@code accessUnixDomainSocket} permission, and the options of UNIX-domain
 * channels, SO_PEERCRED included.
 */
final class UnixDomainSockets {
    static {
        NativeLibrary.loadOrThrowError();
    }

    /**
     * The longest path in bytes, as the JDK's MAX_UNIX_DOMAIN_PATH_LEN (sizeof sun_path - 2): 106 on Linux, 102 on
     * macOS and FreeBSD.
     */
    private static final int MAX_PATH_LEN = maxPathLen();
    private static final int SUN_PATH_SIZE = sunPathSize();

    /** Room for a path, or a user or group name, or SO_PEERCRED's two ids. */
    private static final int SCRATCH_SIZE = Math.max(SUN_PATH_SIZE, 1024);
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** Where a server's bind(null) creates its socket, read once, as the JDK's. */
    private static final String TEMP_DIR = tempDir();

    private static final UnixDomainSocketAddress UNNAMED = UnixDomainSocketAddress.of("");

    private static final NetPermission ACCESS_PERMISSION = new NetPermission("accessUnixDomainSocket");

    /** Paths are encoded as the file system does (sun.jnu.encoding) and decoded as the JDK does (default charset). */
    private static final Charset JNU_CHARSET = jnuCharset();

    /** jdk.net.ExtendedSocketOptions.SO_PEERCRED, looked up by name
     * (behaviours.md#extended-socket-options-found-at-run-time): null without module jdk.net. */
    static final SocketOption<?> SO_PEERCRED = peerCredOption();
    private static final Constructor<?> PRINCIPAL = principalConstructor();

    /** SocketChannel.supportedOptions() for UNIX. */
    static final Set<SocketOption<?>> OPTIONS = options(StandardSocketOptions.SO_SNDBUF, StandardSocketOptions.SO_RCVBUF,
            StandardSocketOptions.SO_LINGER, SO_PEERCRED);

    /** ServerSocketChannel.supportedOptions() for UNIX: SO_RCVBUF only. */
    static final Set<SocketOption<?>> SERVER_OPTIONS = options(StandardSocketOptions.SO_RCVBUF);

    private UnixDomainSockets() {
    }

    /** Per-thread direct memory the natives write paths, names and ids into. */
    private static final class Scratch {
        final ByteBuffer buf = ByteBuffer.allocateDirect(SCRATCH_SIZE).order(ByteOrder.nativeOrder());
        int acceptedPathLength;
    }

    private static final class RandomHolder {
        static final Random RANDOM = random();

        private static Random random() {
            try {
                return SecureRandom.getInstance("NativePRNGNonBlocking");
            } catch (NoSuchAlgorithmException e) {
                return new SecureRandom();
            }
        }
    }

    /** A new UNIX-domain stream socket, close-on-exec and blocking. */
    static int socket() throws IOException {
        int fd = socket0();
        if (fd < 0) {
            throw Net.socketException(-fd);
        }
        return fd;
    }

    static UnixDomainSocketAddress unnamed() {
        return UNNAMED;
    }

    static UnixDomainSocketAddress checkAddress(SocketAddress sa) {
        Objects.requireNonNull(sa);
        if (!(sa instanceof UnixDomainSocketAddress)) {
            throw new UnsupportedAddressTypeException();
        }
        return (UnixDomainSocketAddress) sa;
    }

    // -- SecurityManager (JDK 17 only)

    @SuppressWarnings("removal")
    static void checkPermission() {
        SecurityManager sm = System.getSecurityManager();
        if (sm != null) {
            sm.checkPermission(ACCESS_PERMISSION);
        }
    }

    /** The local address a caller may see: unnamed when the permission is denied, as the JDK's. */
    static SocketAddress revealedLocalAddress(SocketAddress sa) {
        try {
            checkPermission();
            return sa;
        } catch (SecurityException e) {
            return UNNAMED;
        }
    }

    // -- bind, connect, accept

    /** A client's bind: null or the empty path leaves the socket unnamed; returns the local address. */
    static UnixDomainSocketAddress bindClient(int fd, SocketAddress local) throws IOException {
        checkPermission();
        if (local == null) {
            return UNNAMED;
        }
        Path path = checkAddress(local).getPath();
        if (path.toString().isEmpty()) {
            return UNNAMED;
        }
        bind(fd, path);
        return localAddress(fd);
    }

    /**
     * A server's bind and listen: null tries up to 10 random names {@code socket_<n>} in the temporary
     * directory; the empty path is a BindException. Returns the local address.
     */
    static UnixDomainSocketAddress bindServer(int fd, SocketAddress local, int backlog) throws IOException {
        checkPermission();
        if (local == null) {
            boolean bound = false;
            for (int attempts = 0; attempts < 10 && !bound; attempts++) {
                try {
                    bind(fd, generateTempName());
                    bound = true;
                } catch (BindException e) {
                    // try another name
                }
            }
            if (!bound) {
                throw new BindException("Could not bind to temporary name");
            }
        } else {
            bind(fd, checkAddress(local).getPath());
        }
        Net.listen(fd, backlog < 1 ? 50 : backlog);
        return localAddress(fd);
    }

    private static void bind(int fd, Path path) throws IOException {
        byte[] bytes = pathBytes(path);
        if (bytes.length == 0) {
            throw new BindException("Server socket cannot bind to unnamed address");
        }
        check(bind0(fd, bytes));
    }

    /** {@code <jdk.net.unixdomain.tmpdir or java.io.tmpdir>/socket_<random>}, as the JDK's generateTempName. */
    private static Path generateTempName() throws IOException {
        String dir = TEMP_DIR;
        if (dir == null) {
            throw new BindException("Could not locate temporary directory for sockets");
        }
        try {
            return Path.of(dir, "socket_" + RandomHolder.RANDOM.nextInt(Integer.MAX_VALUE));
        } catch (InvalidPathException e) {
            throw new BindException("Invalid temporary directory");
        }
    }

    /** 1 if connected, 0 if the connection is in progress, {@link IOStatus#INTERRUPTED} after EINTR. */
    static int connect(int fd, SocketAddress remote) throws IOException {
        int rc = connect0(fd, pathBytes(((UnixDomainSocketAddress) remote).getPath()));
        if (rc == -Errno.EINTR) {
            return IOStatus.INTERRUPTED;
        }
        return check(rc);
    }

    /**
     * Accepts a connection: the new fd, or {@link IOStatus#UNAVAILABLE} / {@link IOStatus#INTERRUPTED}. The
     * peer's address is then {@link #acceptedPeer()} on the same thread.
     */
    static int accept(int fd) throws IOException {
        checkPermission();
        Scratch scratch = SCRATCH.get();
        long rc = accept0(fd, scratch.buf, SUN_PATH_SIZE);
        if (rc == -Errno.EAGAIN) {
            return IOStatus.UNAVAILABLE;
        }
        if (rc == -Errno.EINTR) {
            return IOStatus.INTERRUPTED;
        }
        if (rc < 0) {
            throw Errors.ioException((int) -rc); // a plain IOException, as the JDK's accept
        }
        scratch.acceptedPathLength = (int) (rc >>> 32);
        return (int) rc;
    }

    /** The path of the peer of the connection this thread accepted last. */
    static UnixDomainSocketAddress acceptedPeer() {
        Scratch scratch = SCRATCH.get();
        return address(scratch.buf, scratch.acceptedPathLength);
    }

    static UnixDomainSocketAddress localAddress(int fd) throws IOException {
        ByteBuffer buf = SCRATCH.get().buf;
        return address(buf, check(address0(fd, false, buf, SUN_PATH_SIZE)));
    }

    /** The peer of a connected socket, or null when it has none (an inherited listening socket,
     * behaviours.md#inherited-channel). */
    static UnixDomainSocketAddress peerAddress(int fd) {
        ByteBuffer buf = SCRATCH.get().buf;
        int len = address0(fd, true, buf, SUN_PATH_SIZE);
        return len < 0 ? null : address(buf, len);
    }

    private static UnixDomainSocketAddress address(ByteBuffer buf, int len) {
        if (len == 0) {
            return UNNAMED;
        }
        byte[] bytes = new byte[len];
        buf.get(0, bytes);
        return UnixDomainSocketAddress.of(new String(bytes, Charset.defaultCharset()));
    }

    /** The bytes of sun_path; a SocketException when they do not fit. */
    private static byte[] pathBytes(Path path) throws SocketException {
        byte[] bytes = path.toString().getBytes(JNU_CHARSET);
        if (bytes.length > MAX_PATH_LEN) {
            throw new SocketException("Unix domain path too long");
        }
        return bytes;
    }

    // -- options (behaviours.md#socket-options)

    static void setOption(int fd, SocketOption<?> name, Object value) throws IOException {
        if (name == SO_PEERCRED) {
            throw new SocketException("SO_PEERCRED cannot be set ");
        }
        SocketOptions.set(fd, name, value);
    }

    static Object getOption(int fd, SocketOption<?> name) throws IOException {
        return name == SO_PEERCRED ? peerCredentials(fd) : SocketOptions.get(fd, name);
    }

    /**
     * SO_PEERCRED as a {@code jdk.net.UnixDomainPrincipal} equal to the JDK's: principals of the default
     * file system's lookup service, found by the names of the peer's uid and gid (or the ids themselves
     * when they have no name, as the JDK's {@code UnixUserPrincipals.fromUid}).
     */
    @SuppressWarnings("removal")
    private static Object peerCredentials(int fd) throws IOException {
        ByteBuffer buf = SCRATCH.get().buf;
        int rc = peerCred0(fd, buf);
        if (rc < 0) {
            // as the JDK's getSoPeerCred0: a SocketException with the errno's text (ENOTCONN from macOS's getpeereid)
            throw new SocketException(IO.strerror(-rc));
        }
        int uid = buf.getInt(0);
        int gid = buf.getInt(4);
        if (uid == -1) {
            throw new SocketException("get SO_PEERCRED failed"); // Linux: an unconnected socket
        }
        String user = idName(uid, false);
        String group = idName(gid, true);
        try {
            return AccessController.doPrivileged((PrivilegedExceptionAction<Object>) () -> {
                UserPrincipalLookupService lookup = FileSystems.getDefault().getUserPrincipalLookupService();
                UserPrincipal u = lookup.lookupPrincipalByName(user);
                GroupPrincipal g = lookup.lookupPrincipalByGroupName(group);
                return PRINCIPAL.newInstance(u, g);
            });
        } catch (PrivilegedActionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException) {
                throw (IOException) cause;
            }
            throw new SocketException("SO_PEERCRED: " + cause);
        }
    }

    private static String idName(int id, boolean group) throws IOException {
        ByteBuffer buf = SCRATCH.get().buf;
        int len = idName0(id, group, buf, SCRATCH_SIZE);
        if (len == -Errno.ENOENT) {
            return Integer.toString(id);
        }
        byte[] bytes = new byte[check(len)];
        buf.get(0, bytes);
        return new String(bytes, JNU_CHARSET);
    }

    private static int check(int rc) throws IOException {
        if (rc < 0) {
            throw Net.socketException(-rc);
        }
        return rc;
    }

    private static Set<SocketOption<?>> options(SocketOption<?>... options) {
        Set<SocketOption<?>> set = new HashSet<>();
        for (SocketOption<?> o : options) {
            if (o != null) {
                set.add(o);
            }
        }
        return Collections.unmodifiableSet(set);
    }

    /**
     * jdk.net.unixdomain.tmpdir, the system property or else the networking property of the JDK's
     * conf/net.properties (the JDK's NetProperties), if not empty; else java.io.tmpdir. The JDK's net.properties
     * says /tmp, which keeps the path short where java.io.tmpdir is long (macOS's per-user TMPDIR).
     */
    private static String tempDir() {
        String dir = SystemProperties.get("jdk.net.unixdomain.tmpdir");
        if (dir == null) {
            dir = netProperty("jdk.net.unixdomain.tmpdir");
        }
        return dir == null || dir.isEmpty() ? SystemProperties.get("java.io.tmpdir") : dir;
    }

    /** A property of {@code <java.home>/conf/net.properties}, or null. */
    @SuppressWarnings("removal")
    private static String netProperty(String name) {
        return AccessController.doPrivileged((PrivilegedAction<String>) () -> {
            Properties props = new Properties();
            Path file = Path.of(System.getProperty("java.home"), "conf", "net.properties");
            try (InputStream in = Files.newInputStream(file)) {
                props.load(in);
            } catch (IOException | RuntimeException unreadable) {
                return null; // as the JDK's NetProperties: no file, no networking properties
            }
            return props.getProperty(name);
        });
    }

    private static Charset jnuCharset() {
        String name = SystemProperties.get("sun.jnu.encoding");
        try {
            return name == null ? Charset.defaultCharset() : Charset.forName(name);
        } catch (IllegalArgumentException unsupported) {
            return Charset.defaultCharset();
        }
    }

    private static SocketOption<?> peerCredOption() {
        try {
            return (SocketOption<?>) Class.forName("jdk.net.ExtendedSocketOptions").getField("SO_PEERCRED").get(null);
        } catch (ReflectiveOperationException | LinkageError | ClassCastException absent) {
            return null;
        }
    }

    private static Constructor<?> principalConstructor() {
        if (SO_PEERCRED == null) {
            return null;
        }
        try {
            return Class.forName("jdk.net.UnixDomainPrincipal").getConstructor(UserPrincipal.class, GroupPrincipal.class);
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static native int socket0();

    private static native int bind0(int fd, byte[] path);

    private static native int connect0(int fd, byte[] path);

    private static native long accept0(int fd, ByteBuffer path, int capacity);

    private static native int address0(int fd, boolean peer, ByteBuffer path, int capacity);

    private static native int peerCred0(int fd, ByteBuffer ids);

    private static native int idName0(int id, boolean group, ByteBuffer name, int capacity);

    private static native int maxPathLen();

    private static native int sunPathSize();
}
