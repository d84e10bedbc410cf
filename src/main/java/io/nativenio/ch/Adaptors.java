package io.nativenio.ch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.Channel;
import java.nio.channels.NetworkChannel;
import java.security.AccessController;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import java.util.concurrent.TimeUnit;

/** What the two socket adaptors share, after the JDK's {@code Net} (behaviours.md#socket-adaptor,
 * behaviours.md#serversocket-adaptor). */
final class Adaptors {
    /**
     * JDK 24 (JDK-8343791) changed Socket.connect of the adaptor: an unresolved address closes the socket
     * and names the host, and a connect when already connected is a SocketException("Already connected")
     * rather than the channel's AlreadyConnectedException.
     */
    static final boolean JDK_8343791 = Runtime.version().feature() >= 24;

    /**
     * JDK 19 (virtual threads, JEP 425) moved the DatagramSocket adaptor's packet handling into
     * DatagramChannelImpl: send checks the channel before the packet's address, and receive rethrows
     * ClosedByInterruptException rather than wrapping it in SocketException("Socket closed").
     */
    static final boolean JDK_19 = Runtime.version().feature() >= 19;

    /**
     * Whether the DatagramSocket adaptor's receive holds the packet's monitor while it waits: from JDK 24
     * (JDK-8344328, once JEP 491 let a virtual thread wait inside a monitor); before, only while it copies
     * (docs/jdk-changes.md#adaptor-receive-and-the-packet).
     */
    static final boolean RECEIVE_HOLDS_PACKET = Runtime.version().feature() >= 24;

    private Adaptors() {
    }

    /**
     * Runs an adaptor's constructor with the provider's permissions: on JDK 17, {@code Socket(SocketImpl)}
     * and {@code ServerSocket(SocketImpl)} check {@code NetPermission("setSocketImpl")} under a
     * SecurityManager, as the JDK's adaptors also do privileged. The DatagramSocket adaptor's constructor opens
     * a socket for a moment (see there): its IOException becomes an UncheckedIOException.
     */
    @SuppressWarnings("removal")
    static <T> T create(PrivilegedExceptionAction<T> constructor) {
        try {
            return AccessController.doPrivileged(constructor);
        } catch (PrivilegedActionException e) {
            if (e.getException() instanceof IOException) {
                throw new UncheckedIOException((IOException) e.getException());
            }
            throw new InternalError("Should not reach here", e);
        }
    }

    /** The JDK's {@code Net.translateException}: IOExceptions as they are, the rest as SocketExceptions. */
    static void translate(Exception x) throws IOException {
        if (x instanceof IOException) {
            throw (IOException) x;
        }
        if (x instanceof AlreadyConnectedException && !JDK_8343791) {
            throw (AlreadyConnectedException) x;
        }
        throw Net.translateToSocketException(x);
    }

    /** {@code channel.getOption(name)}, with a failure as the SocketException of the Socket API. */
    static <T> T getOption(NetworkChannel channel, SocketOption<T> name) throws SocketException {
        try {
            return channel.getOption(name);
        } catch (IOException x) {
            throw Net.translateToSocketException(x);
        }
    }

    /** {@code channel.setOption(name, value)}, with a failure as the SocketException of the Socket API. */
    static <T> void setOption(NetworkChannel channel, SocketOption<T> name, T value) throws SocketException {
        try {
            channel.setOption(name, value);
        } catch (IOException x) {
            throw Net.translateToSocketException(x);
        }
    }

    /**
     * setSendBufferSize and setReceiveBufferSize of the Socket and DatagramSocket adaptors: SO_SNDBUF or SO_RCVBUF, where
     * 0, valid for a channel, is an IllegalArgumentException.
     */
    static void setBufferSize(NetworkChannel channel, SocketOption<Integer> name, int size) throws SocketException {
        if (size <= 0) {
            throw new IllegalArgumentException(name == StandardSocketOptions.SO_SNDBUF ? "Invalid send size"
                    : "Invalid receive size");
        }
        setOption(channel, name, size);
    }

    /** The checks of setSoTimeout and getSoTimeout; returns {@code timeout}. */
    static int checkSoTimeout(Channel channel, int timeout) throws SocketException {
        if (!channel.isOpen()) {
            throw new SocketException("Socket is closed");
        }
        if (timeout < 0) {
            throw new IllegalArgumentException("timeout < 0");
        }
        return timeout;
    }

    /** SO_TIMEOUT in milliseconds as the channels' timeout in nanoseconds, where 0 means no timeout. */
    static long nanos(int millis) {
        return millis > 0 ? TimeUnit.MILLISECONDS.toNanos(millis) : 0;
    }

    /**
     * The local address as the JDK 17 adaptors reveal it: under a SecurityManager that denies
     * {@code checkConnect(host, -1)}, the loopback address with the same port (the JDK's
     * {@code Net.getRevealedLocalAddress}). Without a SecurityManager (always from JDK 24) the address.
     */
    @SuppressWarnings("removal")
    static InetSocketAddress revealed(InetSocketAddress isa) {
        SecurityManager sm = System.getSecurityManager();
        if (isa != null && sm != null) {
            try {
                sm.checkConnect(isa.getAddress().getHostAddress(), -1);
            } catch (SecurityException e) {
                return new InetSocketAddress(InetAddress.getLoopbackAddress(), isa.getPort());
            }
        }
        return isa;
    }
}
