package io.nativenio.ch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.NoRouteToHostException;
import java.net.ProtocolException;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NotYetBoundException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.security.AccessController;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * JNI facade of native/common/net.c and the JDK's {@code sun.nio.ch.Net} rules around it: which family a socket
 * gets, address checks, and the exception each errno becomes (behaviours.md#connect-state-machine,
 * behaviours.md#bind-and-socket-defaults, behaviours.md#option-values-and-validation).
 */
final class Net {
    static {
        NativeLibrary.loadOrThrowError();
    }

    static final int AF_INET = afInet();
    static final int AF_INET6 = afInet6();
    static final int SOCKADDR_IN_SIZE = sockaddrInSize();
    static final int SOCKADDR_IN6_SIZE = sockaddrIn6Size();
    static final int SIN_FAMILY = sinFamily();
    static final int SIN_PORT = sinPort();
    static final int SIN_ADDR = sinAddr();
    static final int SIN6_FAMILY = sin6Family();
    static final int SIN6_PORT = sin6Port();
    static final int SIN6_FLOWINFO = sin6Flowinfo();
    static final int SIN6_ADDR = sin6Addr();
    static final int SIN6_SCOPE_ID = sin6ScopeId();
    static final int SA_FAMILY_SIZE = saFamilySize();
    static final int SHUT_RD = shutRd();
    static final int SHUT_WR = shutWr();
    static final int SOL_SOCKET = solSocket();
    static final int IPPROTO_TCP = ipprotoTcp();
    static final int IPPROTO_IP = ipprotoIp();
    static final int IPPROTO_IPV6 = ipprotoIpv6();
    static final int SO_SNDBUF = soSndbuf();
    static final int SO_RCVBUF = soRcvbuf();
    static final int SO_KEEPALIVE = soKeepalive();
    static final int SO_REUSEADDR = soReuseaddr();
    static final int SO_REUSEPORT = soReuseport();
    static final int SO_LINGER = soLinger();
    static final int SO_OOBINLINE = soOobinline();
    static final int TCP_NODELAY = tcpNodelay();
    static final int IP_TOS = ipTos();
    static final int IPV6_TCLASS = ipv6Tclass();
    // -1 where the platform lacks the option (TCP_QUICKACK and SO_INCOMING_NAPI_ID are Linux's); TCP_KEEPIDLE is
    // the keep-alive idle time, which macOS calls TCP_KEEPALIVE
    static final int TCP_QUICKACK = tcpQuickack();
    static final int TCP_KEEPIDLE = tcpKeepidle();
    static final int TCP_KEEPINTVL = tcpKeepintvl();
    static final int TCP_KEEPCNT = tcpKeepcnt();
    static final int SO_INCOMING_NAPI_ID = soIncomingNapiId();
    static final int SO_BROADCAST = soBroadcast();
    static final int AF_UNIX = afUnix();
    static final int SOCK_STREAM = sockStream();
    static final int SOCK_DGRAM = sockDgram();

    /** IPv6 sockets are used unless the kernel lacks IPv6 or {@code java.net.preferIPv4Stack} is true
     * (behaviours.md#default-family-and-dual-stack). */
    private static final boolean IPV6_AVAILABLE =
            !Boolean.parseBoolean(SystemProperties.get("java.net.preferIPv4Stack")) && isIPv6Available0();

    /** Whether IOException messages of connect name the address (the JDK's "hostInfo" setting). */
    private static final boolean HOST_INFO_IN_EXCEPTIONS = includedInExceptions("hostInfo");

    /**
     * Whether other messages may name a host or address (JDK 24+: "hostInfoExclSocket" or "hostInfo"; the JDK's
     * {@code Exceptions.filterNonSocketInfo}).
     */
    static final boolean HOST_INFO_IN_OTHER_EXCEPTIONS = includedInExceptions("hostInfoExclSocket")
            || HOST_INFO_IN_EXCEPTIONS;

    static final InetAddress INET4_ANY = inetAddress(new byte[4]);
    static final InetAddress INET6_ANY = inetAddress(new byte[16]);
    static final InetAddress INET4_LOOPBACK = inetAddress(new byte[] {127, 0, 0, 1});
    static final InetAddress INET6_LOOPBACK = inetAddress(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});

    private Net() {
    }

    static boolean isIPv6Available() {
        return IPV6_AVAILABLE;
    }

    /**
     * Checks an IP family passed to {@code open*Channel(family)} as the JDK's channel constructors do
     * (behaviours.md#protocol-families): any other family, UNIX included, is "Protocol family not supported" (stream
     * channels take UNIX before this check, see {@link Channels}).
     */
    static ProtocolFamily checkFamily(ProtocolFamily family) {
        Objects.requireNonNull(family, "'family' is null");
        if (family != StandardProtocolFamily.INET && family != StandardProtocolFamily.INET6) {
            throw new UnsupportedOperationException("Protocol family not supported");
        }
        if (family == StandardProtocolFamily.INET6 && !IPV6_AVAILABLE) {
            throw new UnsupportedOperationException("IPv6 not available");
        }
        return family;
    }

    /** The family of a channel opened without one: INET6 where available (behaviours.md#default-family-and-dual-stack). */
    static ProtocolFamily defaultFamily() {
        return IPV6_AVAILABLE ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
    }

    /** Whether a channel of {@code family} gets an AF_INET6 (dual-stack) socket. */
    static boolean isInet6(ProtocolFamily family) {
        return IPV6_AVAILABLE && family != StandardProtocolFamily.INET;
    }

    /** A new TCP or UDP socket, close-on-exec and blocking; a server socket has SO_REUSEADDR. */
    static int socket(ProtocolFamily family, boolean stream, boolean server) throws IOException {
        int fd = socket0(isInet6(family), stream, server);
        if (fd < 0) {
            throw socketException(-fd);
        }
        return fd;
    }

    // -- addresses

    static InetSocketAddress checkAddress(SocketAddress sa) {
        Objects.requireNonNull(sa);
        if (!(sa instanceof InetSocketAddress)) {
            throw new UnsupportedAddressTypeException();
        }
        InetSocketAddress isa = (InetSocketAddress) sa;
        if (isa.isUnresolved()) {
            throw new UnresolvedAddressException();
        }
        InetAddress addr = isa.getAddress();
        if (!(addr instanceof Inet4Address || addr instanceof Inet6Address)) {
            throw new IllegalArgumentException("Invalid address type: " + addr.getClass().getName());
        }
        return isa;
    }

    /** An address usable by a channel of {@code family}: an INET channel takes IPv4 addresses only. */
    static InetSocketAddress checkAddress(SocketAddress sa, ProtocolFamily family) {
        InetSocketAddress isa = checkAddress(sa);
        if (family == StandardProtocolFamily.INET && !(isa.getAddress() instanceof Inet4Address)) {
            throw new UnsupportedAddressTypeException();
        }
        return isa;
    }

    static InetAddress anyLocalAddress(ProtocolFamily family) {
        return family == StandardProtocolFamily.INET ? INET4_ANY : INET6_ANY;
    }

    private static InetAddress inetAddress(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // -- SecurityManager checks of the JDK's channels (JDK 17 only: none can be installed on 24+;
    // behaviours.md#securitymanager-checks-on-jdk-17)

    @SuppressWarnings("removal")
    static void checkConnect(InetSocketAddress isa) {
        SecurityManager sm = System.getSecurityManager();
        if (sm != null) {
            sm.checkConnect(isa.getAddress().getHostAddress(), isa.getPort());
        }
    }

    @SuppressWarnings("removal")
    static void checkListen(int port) {
        SecurityManager sm = System.getSecurityManager();
        if (sm != null) {
            sm.checkListen(port);
        }
    }

    @SuppressWarnings("removal")
    static void checkAccept(InetSocketAddress isa) {
        SecurityManager sm = System.getSecurityManager();
        if (sm != null) {
            sm.checkAccept(isa.getAddress().getHostAddress(), isa.getPort());
        }
    }

    /**
     * The local address a caller may see: with a SecurityManager that denies resolving it, the loopback
     * address and the port (the JDK's {@code Net.getRevealedLocalAddress}).
     */
    @SuppressWarnings("removal")
    static InetSocketAddress revealedLocalAddress(InetSocketAddress isa) {
        SecurityManager sm = System.getSecurityManager();
        if (isa == null || sm == null) {
            return isa;
        }
        try {
            sm.checkConnect(isa.getAddress().getHostAddress(), -1);
            return isa;
        } catch (SecurityException e) {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), isa.getPort());
        }
    }

    // -- link-local IPv6 addresses without a scope id (behaviours.md#bind-and-socket-defaults)

    /** Link-local addresses and their scoped form, filled once an interface is found, never emptied (as the JDK's). */
    private static final Map<InetAddress, InetAddress> SCOPED = new ConcurrentHashMap<>();

    /**
     * {@code isa}, or, when its address is a link-local IPv6 address without a scope id, that address with the scope
     * of the one interface that has it: the JDK's {@code IPAddressUtil.toScopedAddress}, which its bind, connect and
     * DatagramChannel.send apply. Unchanged when no interface has it; a SocketException when several do.
     */
    static InetSocketAddress scoped(InetSocketAddress isa) throws SocketException {
        InetAddress address = isa.getAddress();
        if (!(address instanceof Inet6Address) || !address.isLinkLocalAddress()
                || ((Inet6Address) address).getScopeId() != 0) {
            return isa;
        }
        InetAddress scoped;
        try {
            scoped = SCOPED.computeIfAbsent(address, Net::findScoped);
        } catch (UncheckedIOException e) {
            throw (SocketException) e.getCause();
        }
        return scoped == null ? isa : new InetSocketAddress(scoped, isa.getPort());
    }

    /** The address of an interface equal to {@code address} (Inet6Address.equals ignores the scope), or null. */
    @SuppressWarnings("removal")
    private static InetAddress findScoped(InetAddress address) {
        List<InetAddress> found;
        try {
            found = AccessController.doPrivileged((PrivilegedExceptionAction<List<InetAddress>>) () ->
                    NetworkInterface.networkInterfaces().flatMap(NetworkInterface::inetAddresses)
                            .filter(a -> a instanceof Inet6Address && a.equals(address)
                                    && ((Inet6Address) a).getScopeId() != 0)
                            .toList());
        } catch (PrivilegedActionException e) {
            return null; // the interfaces cannot be listed: the address stays as given, as in the JDK
        }
        if (found.size() > 1) {
            throw new UncheckedIOException(new SocketException("Duplicate link local addresses: must specify scope-id"));
        }
        return found.isEmpty() ? null : found.get(0);
    }

    // -- socket operations; each throws what the JDK's Net.c throws for the errno

    static void bind(int fd, ProtocolFamily family, InetSocketAddress isa) throws IOException {
        NativeSocketAddress sa = NativeSocketAddress.get();
        int len = sa.encode(isInet6(family), scoped(isa));
        check(bind0(fd, sa.address(), len));
    }

    static void listen(int fd, int backlog) throws IOException {
        check(listen0(fd, backlog));
    }

    /** 1 if connected, 0 if the connection is in progress, {@link IOStatus#INTERRUPTED} after EINTR. */
    static int connect(int fd, ProtocolFamily family, InetSocketAddress isa) throws IOException {
        NativeSocketAddress sa = NativeSocketAddress.get();
        int len = sa.encode(isInet6(family), scoped(isa));
        int rc = connect0(fd, sa.address(), len);
        if (rc == -Errno.EINTR) {
            return IOStatus.INTERRUPTED;
        }
        return check(rc);
    }

    /**
     * Accepts a connection: the new fd, or {@link IOStatus#UNAVAILABLE} / {@link IOStatus#INTERRUPTED}.
     * The peer's address is then {@code NativeSocketAddress.get().decode()} on the same thread.
     */
    static int accept(int fd) throws IOException {
        int rc = accept0(fd, NativeSocketAddress.get().address());
        if (rc == -Errno.EAGAIN) {
            return IOStatus.UNAVAILABLE;
        }
        if (rc == -Errno.EINTR) {
            return IOStatus.INTERRUPTED;
        }
        return Errors.check(rc); // a plain IOException ("Too many open files"), as the JDK's accept
    }

    static InetSocketAddress localAddress(int fd) throws IOException {
        return address(fd, false);
    }

    static InetSocketAddress remoteAddress(int fd) throws IOException {
        return address(fd, true);
    }

    private static InetSocketAddress address(int fd, boolean peer) throws IOException {
        NativeSocketAddress sa = NativeSocketAddress.get();
        check(address0(fd, peer, sa.address()));
        return sa.decode();
    }

    static void shutdown(int fd, int how) throws IOException {
        check(shutdown0(fd, how));
    }

    /**
     * Polls a connecting socket without waiting; true once connected. A failed connection throws what
     * connect would have thrown (the JDK's {@code Net.pollConnectNow}).
     */
    static boolean pollConnectNow(int fd) throws IOException {
        return pollConnect(fd, 0);
    }

    static boolean pollConnect(int fd, int timeoutMillis) throws IOException {
        int rc = pollConnect0(fd, timeoutMillis);
        if (rc < 0 && POLL_CONNECT_NAMES_CONNECT) {
            throw socketException(-rc, IO.strerror(-rc) + " (connect failed)");
        }
        return check(rc) > 0;
    }

    /**
     * Whether a connect that fails when polled (finishConnect, a timed connect of the adaptor) says so in its
     * message, "Connection refused (connect failed)": JDK-8384163, in JDK 27 and backported to 21.0.13. A connect
     * that fails at once keeps strerror's text alone.
     */
    static final boolean POLL_CONNECT_NAMES_CONNECT = pollConnectNamesConnect(Runtime.version());

    static boolean pollConnectNamesConnect(Runtime.Version v) {
        return v.feature() >= 27 || (v.feature() == 21 && v.update() >= 13);
    }

    /**
     * Waits until the fd has one of the poll {@code events}, up to {@code nanos} (0: forever), or until a
     * signal interrupts the wait: the JDK's {@code SelChImpl.park}. A virtual thread parks instead of
     * blocking its carrier (VirtualThreads). Callers re-check their state and retry.
     */
    static void park(int fd, int events, long nanos) throws IOException {
        if (VirtualThreads.isVirtual() && VirtualThreads.park(fd, events, nanos)) {
            return; // unmounted while waiting (behaviours.md#blocking-io-parks-a-virtual-thread)
        }
        long millis;
        if (nanos == 0) {
            millis = -1;
        } else {
            millis = TimeUnit.NANOSECONDS.toMillis(nanos);
            if (nanos > TimeUnit.MILLISECONDS.toNanos(millis)) {
                millis++; // never wait less than asked
            }
        }
        check(poll0(fd, events, (int) Math.min(millis, Integer.MAX_VALUE)));
    }

    static int available(int fd) throws IOException {
        return Errors.check(available0(fd));
    }

    static int sendOOB(int fd, byte b) throws IOException {
        return (int) IOStatus.of(sendOOB0(fd, b));
    }

    static void setIntOption(int fd, int level, int name, int value) throws SocketException {
        int rc = setIntOption0(fd, level, name, value);
        if (rc < 0) {
            throw new SocketException(IO.strerror(-rc));
        }
    }

    static int getIntOption(int fd, int level, int name) throws SocketException {
        long rc = getIntOption0(fd, level, name);
        if (rc < 0) {
            throw new SocketException(IO.strerror((int) (-rc >>> 32)));
        }
        return (int) rc;
    }

    static boolean isOptionAvailable(int level, int name) {
        return isOptionAvailable0(level, name);
    }

    private static int check(int rc) throws IOException {
        if (rc < 0) {
            throw socketException(-rc);
        }
        return rc;
    }

    /** The exception the JDK's {@code handleSocketError} throws for {@code errno}, with strerror's text. */
    static IOException socketException(int errno) {
        return socketException(errno, IO.strerror(errno));
    }

    private static IOException socketException(int errno, String msg) {
        if (errno == Errno.ECONNREFUSED || errno == Errno.ETIMEDOUT || errno == Errno.ENOTCONN) {
            return new ConnectException(msg);
        } else if (errno == Errno.EHOSTUNREACH) {
            return new NoRouteToHostException(msg);
        } else if (errno == Errno.EADDRINUSE || errno == Errno.EADDRNOTAVAIL || errno == Errno.EACCES) {
            return new BindException(msg);
        } else if (errno == Errno.EPROTO) {
            return new ProtocolException(msg);
        }
        return new SocketException(msg);
    }

    /**
     * {@code e} with ": " and the address appended when the JDK would add it (jdk.includeInExceptions names
     * hostInfo; off by default), after the JDK's {@code SocketExceptions.of} (JDK 17 to 24) and
     * {@code Exceptions.ioException} (JDK 25), which agree: an InetSocketAddress as its toString() ("host/1.2.3.4:80"),
     * a UnixDomainSocketAddress as its path. The new exception is of the same class, with the original's stack
     * trace and no cause; a class without a String constructor keeps the original.
     */
    static IOException withAddress(IOException e, SocketAddress sa) {
        String address;
        if (!HOST_INFO_IN_EXCEPTIONS) {
            return e;
        } else if (sa instanceof InetSocketAddress) {
            address = sa.toString();
        } else if (sa instanceof UnixDomainSocketAddress) {
            address = ((UnixDomainSocketAddress) sa).getPath().toString();
        } else {
            return e;
        }
        String msg = e.getMessage() + ": " + address;
        try {
            IOException e1 = e.getClass().getConstructor(String.class).newInstance(msg);
            e1.setStackTrace(e.getStackTrace());
            return e1;
        } catch (ReflectiveOperationException | RuntimeException noStringConstructor) {
            return e;
        }
    }

    /** Whether jdk.includeInExceptions (system, else security property) names {@code category}. */
    static boolean includedInExceptions(String category) {
        String s = SystemProperties.getOrSecurity("jdk.includeInExceptions");
        if (s == null) {
            return false;
        }
        for (String item : s.split(",")) {
            if (item.trim().equalsIgnoreCase(category)) {
                return true;
            }
        }
        return false;
    }

    /** The SocketException a socket adaptor throws for a channel exception (behaviours.md#socket-adaptor, the JDK's
     * Net). */
    static SocketException translateToSocketException(Exception x) {
        if (x instanceof SocketException) {
            return (SocketException) x;
        }
        String msg;
        if (x instanceof ClosedChannelException) {
            msg = "Socket is closed";
        } else if (x instanceof NotYetConnectedException) {
            msg = "Socket is not connected";
        } else if (x instanceof AlreadyBoundException) {
            msg = "Already bound";
        } else if (x instanceof AlreadyConnectedException) {
            msg = "Already connected";
        } else if (x instanceof NotYetBoundException) {
            msg = "Socket is not bound yet";
        } else if (x instanceof UnsupportedAddressTypeException) {
            msg = "Unsupported address type";
        } else if (x instanceof UnresolvedAddressException) {
            msg = "Unresolved address";
        } else if (x instanceof IOException) {
            msg = x.getMessage();
        } else if (x instanceof RuntimeException) {
            throw (RuntimeException) x;
        } else {
            throw new Error("Untranslated exception", x);
        }
        SocketException se = new SocketException(msg);
        se.initCause(x);
        return se;
    }

    private static native int socket0(boolean inet6, boolean stream, boolean reuse);

    private static native int bind0(int fd, long address, int len);

    private static native int listen0(int fd, int backlog);

    private static native int connect0(int fd, long address, int len);

    private static native int accept0(int fd, long address);

    private static native int address0(int fd, boolean peer, long address);

    private static native int shutdown0(int fd, int how);

    private static native int poll0(int fd, int events, int timeout);

    private static native int pollConnect0(int fd, int timeout);

    private static native int setIntOption0(int fd, int level, int name, int value);

    private static native long getIntOption0(int fd, int level, int name);

    private static native int sendOOB0(int fd, byte b);

    private static native int available0(int fd);

    /** (family << 16) | type of the socket {@code fd}, or -errno (ENOTSOCK: not a socket). */
    static native int socketKind(int fd);

    private static native boolean isIPv6Available0();

    private static native boolean isOptionAvailable0(int level, int name);

    /** The largest SO_SNDBUF or SO_RCVBUF the kernel takes, -1 when it caps the size itself (Linux). */
    static native int maxSocketBuffer();

    private static native int afInet();

    private static native int afInet6();

    private static native int sockaddrInSize();

    private static native int sockaddrIn6Size();

    private static native int sinFamily();

    private static native int sinPort();

    private static native int sinAddr();

    private static native int sin6Family();

    private static native int sin6Port();

    private static native int sin6Flowinfo();

    private static native int sin6Addr();

    private static native int sin6ScopeId();

    private static native int saFamilySize();

    private static native int shutRd();

    private static native int shutWr();

    private static native int solSocket();

    private static native int ipprotoTcp();

    private static native int ipprotoIp();

    private static native int ipprotoIpv6();

    private static native int soSndbuf();

    private static native int soRcvbuf();

    private static native int soKeepalive();

    private static native int soReuseaddr();

    private static native int soReuseport();

    private static native int soLinger();

    private static native int soOobinline();

    private static native int tcpNodelay();

    private static native int ipTos();

    private static native int ipv6Tclass();

    private static native int tcpQuickack();

    private static native int tcpKeepidle();

    private static native int tcpKeepintvl();

    private static native int tcpKeepcnt();

    private static native int soIncomingNapiId();

    private static native int soBroadcast();

    private static native int afUnix();

    private static native int sockStream();

    private static native int sockDgram();
}
