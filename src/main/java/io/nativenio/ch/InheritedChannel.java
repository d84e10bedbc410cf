package io.nativenio.ch;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.Channel;
import java.nio.channels.spi.SelectorProvider;

/**
 * {@code System.inheritedChannel()}, after the JDK's unix {@code InheritedChannel} (behaviours.md#inherited-channel): a
 * socket on standard input becomes a channel of this provider, created once. Standard input is duplicated first,
 * so the channel and {@code System.in} do not close each other; closing the channel points fds 0, 1 and 2
 * at /dev/null, so that the socket is really released (inetd-style launchers pass it on all three).
 */
public final class InheritedChannel {
    private static boolean created;
    private static Channel channel;
    private static volatile int devNull = -1;

    private InheritedChannel() {
    }

    public static synchronized Channel get(SelectorProvider provider) throws IOException {
        if (devNull < 0) {
            devNull = Errors.check(IO.openDevNull());
        }
        if (!created) {
            channel = create(provider);
            created = true;
        }
        if (channel != null) {
            checkAccess();
        }
        return channel;
    }

    @SuppressWarnings("removal")
    private static void checkAccess() {
        SecurityManager sm = System.getSecurityManager();
        if (sm != null) {
            sm.checkPermission(new RuntimePermission("inheritedChannel"));
        }
    }

    /** The channel for a duplicate of fd 0, or null when fd 0 is no TCP or UDP socket. */
    private static Channel create(SelectorProvider provider) throws IOException {
        int fd = Errors.check(IO.dup(0));
        try {
            Channel c = create(provider, fd);
            if (c != null) {
                return c;
            }
        } catch (IOException | RuntimeException | Error e) {
            IO.close(fd);
            throw e;
        }
        IO.close(fd);
        return null;
    }

    private static Channel create(SelectorProvider provider, int fd) throws IOException {
        int kind = Net.socketKind(fd);
        if (kind < 0) {
            return null; // ENOTSOCK: a file, a pipe, a terminal
        }
        int family = kind >>> 16;
        int type = kind & 0xffff;
        ProtocolFamily pf;
        if (family == Net.AF_INET) {
            pf = StandardProtocolFamily.INET;
        } else if (family == Net.AF_INET6) {
            pf = StandardProtocolFamily.INET6;
        } else if (family == Net.AF_UNIX && type == Net.SOCK_STREAM) {
            pf = StandardProtocolFamily.UNIX; // UNIX datagram sockets have no channel (the JDK's javadoc)
        } else {
            return null;
        }
        if (type == Net.SOCK_DGRAM) {
            return new DatagramChannelImpl(provider, pf, fd, InheritedChannel::detachStandardStreams);
        }
        if (type != Net.SOCK_STREAM) {
            return null;
        }
        SocketAddress peer = pf == StandardProtocolFamily.UNIX ? UnixDomainSockets.peerAddress(fd) : peerOf(fd);
        return peer == null
                ? new ServerSocketChannelImpl(provider, pf, fd, InheritedChannel::detachStandardStreams)
                : new SocketChannelImpl(provider, pf, fd, peer, InheritedChannel::detachStandardStreams);
    }

    /** The peer of a connected socket, null for a listening (or unconnected) one. */
    private static InetSocketAddress peerOf(int fd) {
        try {
            return Net.remoteAddress(fd);
        } catch (IOException notConnected) {
            return null;
        }
    }

    private static void detachStandardStreams() {
        for (int std = 0; std <= 2; std++) {
            int rc = IO.dup2(devNull, std);
            if (rc < 0) {
                throw new InternalError("dup2 /dev/null onto fd " + std + " failed: " + IO.strerror(-rc));
            }
        }
    }
}
