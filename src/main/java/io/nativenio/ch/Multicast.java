package io.nativenio.ch;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.nio.channels.MembershipKey;
import java.security.AccessController;
import java.security.PrivilegedAction;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The multicast side of a {@link DatagramChannelImpl} (behaviours.md#multicast), after the JDK's
 * {@code DatagramChannelImpl.innerJoin/drop/block}, {@code MembershipRegistry} and {@code Net}: argument
 * checks, the channel's memberships by group, and the IP_MULTICAST_IF option. An IPv4 group is joined with the
 * IPv4 requests even on a dual-stack socket, except on macOS, as the JDK does ({@link Platform}). Memberships are
 * guarded by the channel's state lock.
 */
final class Multicast {
    private final DatagramChannelImpl channel;
    private final Map<InetAddress, List<MembershipKeyImpl>> groups = new HashMap<>();

    Multicast(DatagramChannelImpl channel) {
        this.channel = channel;
    }

    /** The checks of join before any state is looked at, with the JDK's messages. */
    static void checkJoin(ProtocolFamily family, InetAddress group, InetAddress source) {
        if (!group.isMulticastAddress()) {
            throw new IllegalArgumentException("Group not a multicast address");
        }
        if (group instanceof Inet4Address) {
            if (family == StandardProtocolFamily.INET6 && !Platform.IPV6_SOCKET_JOINS_IPV4_GROUPS) {
                throw new IllegalArgumentException("IPv6 socket cannot join IPv4 multicast group");
            }
        } else if (group instanceof Inet6Address) {
            if (family != StandardProtocolFamily.INET6) {
                throw new IllegalArgumentException("Only IPv6 sockets can join IPv6 multicast group");
            }
        } else if (!(group instanceof Inet4Address)) {
            throw new IllegalArgumentException("Address type not supported");
        }
        if (source != null) {
            checkSource(source, group);
        }
    }

    private static void checkSource(InetAddress source, InetAddress group) {
        if (source.isAnyLocalAddress()) {
            throw new IllegalArgumentException("Source address is a wildcard address");
        }
        if (source.isMulticastAddress()) {
            throw new IllegalArgumentException("Source address is multicast address");
        }
        if (source.getClass() != group.getClass()) {
            throw new IllegalArgumentException("Source address is different type to group");
        }
    }

    @SuppressWarnings("removal")
    static void checkPermission(InetAddress group) {
        SecurityManager sm = System.getSecurityManager();
        if (sm != null) {
            sm.checkMulticast(group);
        }
    }

    /** Joins, or returns the existing membership; the caller holds the state lock and checked the arguments. */
    MembershipKey join(InetAddress group, NetworkInterface interf, InetAddress source) throws IOException {
        MembershipKey existing = checkMembership(group, interf, source);
        if (existing != null) {
            return existing;
        }
        int fd = channel.fdVal();
        MembershipKeyImpl key;
        if (channel.isInet6() && (group instanceof Inet6Address || Platform.JOINS_IPV4_GROUPS_AS_IPV6)) {
            int index = index(interf);
            byte[] group6 = inet6AsByteArray(group);
            byte[] source6 = source == null ? null : inet6AsByteArray(source);
            checkJoined(Datagram.group6(Datagram.JOIN, fd, group6, index, source6));
            key = MembershipKeyImpl.ipv6(channel, group, interf, source, group6, index, source6);
        } else {
            Inet4Address target = anyInet4Address(interf);
            if (target == null) {
                throw new IOException("Network interface not configured for IPv4");
            }
            int group4 = inet4AsInt(group);
            int interf4 = inet4AsInt(target);
            int source4 = source == null ? 0 : inet4AsInt(source);
            checkJoined(Datagram.join4(true, fd, group4, interf4, source4));
            key = MembershipKeyImpl.ipv4(channel, group, interf, source, group4, interf4, source4);
        }
        groups.computeIfAbsent(group, g -> new ArrayList<>()).add(key);
        return key;
    }

    /** A join this kernel cannot do is UnsupportedOperationException, as the JDK's (IOS_UNAVAILABLE). */
    private static void checkJoined(int rc) throws IOException {
        if (rc == -Errno.ENOPROTOOPT || rc == -Errno.EOPNOTSUPP) {
            throw new UnsupportedOperationException();
        }
        check(rc);
    }

    /** MembershipRegistry.checkMembership: the same membership, null, or a conflict. */
    MembershipKey checkMembership(InetAddress group, NetworkInterface interf, InetAddress source) {
        List<MembershipKeyImpl> keys = groups.get(group);
        if (keys != null) {
            for (MembershipKeyImpl key : keys) {
                if (key.networkInterface().equals(interf)) {
                    if (source == null) {
                        if (key.sourceAddress() == null) {
                            return key;
                        }
                        throw new IllegalStateException("Already a member to receive all packets");
                    }
                    if (key.sourceAddress() == null) {
                        throw new IllegalStateException("Already have source-specific membership");
                    }
                    if (source.equals(key.sourceAddress())) {
                        return key;
                    }
                }
            }
        }
        return null;
    }

    void drop(MembershipKeyImpl key) {
        synchronized (channel.stateLock()) {
            if (!key.isValid()) {
                return;
            }
            try {
                check(joinOrLeave(channel.fdVal(), key, false));
            } catch (IOException e) {
                throw new AssertionError(e); // as the JDK: leaving a group it joined cannot fail
            }
            key.invalidate();
            List<MembershipKeyImpl> keys = groups.get(key.group());
            if (keys != null) {
                keys.remove(key);
                if (keys.isEmpty()) {
                    groups.remove(key.group());
                }
            }
        }
    }

    /** Blocks ({@code block} true) or unblocks {@code source} for an any-source membership. */
    void block(MembershipKeyImpl key, InetAddress source, boolean block) throws IOException {
        synchronized (channel.stateLock()) {
            if (!key.isValid()) {
                throw new IllegalStateException("key is no longer valid");
            }
            if (block) {
                checkSource(source, key.group());
            }
            int fd = channel.fdVal();
            int rc = key.ipv6
                    ? Datagram.group6(block ? Datagram.BLOCK : Datagram.UNBLOCK, fd, key.group6, key.index,
                            inet6AsByteArray(source))
                    : Datagram.block4(block, fd, key.group4, key.interf4, inet4AsInt(source));
            if (block) {
                checkJoined(rc);
            } else {
                check(rc);
            }
        }
    }

    /** Joins every membership again on the channel's socket, which DatagramChannel.disconnect re-created. */
    void rejoinAll() throws IOException {
        int fd = channel.fdVal();
        for (List<MembershipKeyImpl> keys : groups.values()) {
            for (MembershipKeyImpl key : keys) {
                check(joinOrLeave(fd, key, true));
            }
        }
    }

    /** Joins ({@code join} true) or leaves the membership of {@code key} on {@code fd}: 0 or -errno. */
    private static int joinOrLeave(int fd, MembershipKeyImpl key, boolean join) {
        return key.ipv6 ? Datagram.group6(join ? Datagram.JOIN : Datagram.LEAVE, fd, key.group6, key.index, key.source6)
                : Datagram.join4(join, fd, key.group4, key.interf4, key.source4);
    }

    /** Invalidates every membership; the channel is closing (the kernel leaves the groups with the socket). */
    void invalidateAll() {
        for (List<MembershipKeyImpl> keys : groups.values()) {
            for (MembershipKeyImpl key : keys) {
                key.invalidate();
            }
        }
    }

    // -- IP_MULTICAST_IF

    /**
     * Sets the outgoing interface: by index on a dual-stack socket and then, on Linux, best effort by IPv4
     * address; by IPv4 address alone on an IPv4 socket (the JDK's setOption).
     */
    static void setInterface(int fd, boolean inet6, NetworkInterface interf) throws IOException {
        if (inet6) {
            Net.setIntOption(fd, Net.IPPROTO_IPV6, Datagram.IPV6_MULTICAST_IF, index(interf));
            if (!Platform.SETS_BOTH_IP_OPTIONS) {
                return;
            }
        }
        Inet4Address target = anyInet4Address(interf);
        if (target != null) {
            try {
                check(Datagram.setInterface4(fd, inet4AsInt(target)));
            } catch (IOException e) {
                if (!inet6) {
                    throw e;
                }
            }
        } else if (!inet6) {
            throw new IOException("Network interface not configured for IPv4");
        }
    }

    /** The outgoing interface, or null for the default. */
    static NetworkInterface getInterface(int fd, boolean inet6) throws IOException {
        if (inet6) {
            int index = Net.getIntOption(fd, Net.IPPROTO_IPV6, Datagram.IPV6_MULTICAST_IF);
            if (index == 0) {
                return null;
            }
            NetworkInterface ni = NetworkInterface.getByIndex(index);
            if (ni == null) {
                throw new IOException("Unable to map index to interface");
            }
            return ni;
        }
        long rc = Datagram.getInterface4(fd);
        if (rc < 0) {
            throw Net.socketException((int) (-rc >>> 32));
        }
        int address = (int) rc;
        if (address == 0) {
            return null;
        }
        NetworkInterface ni = NetworkInterface.getByInetAddress(inet4FromInt(address));
        if (ni == null) {
            throw new IOException("Unable to map address to interface");
        }
        return ni;
    }

    /** The index of {@code interf}, which the IPv6 requests name it by. */
    private static int index(NetworkInterface interf) throws IOException {
        int index = interf.getIndex();
        if (index == -1) {
            throw new IOException("Network interface cannot be identified");
        }
        return index;
    }

    /** The 16 bytes of an IPv6 address, or of an IPv4 one as IPv4-mapped (the JDK's Net.inet6AsByteArray). */
    private static byte[] inet6AsByteArray(InetAddress ia) {
        byte[] address = ia.getAddress();
        if (address.length == 16) {
            return address;
        }
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(address, 0, mapped, 12, 4);
        return mapped;
    }

    /** The first IPv4 address of {@code interf}, or null (the JDK's Net.anyInet4Address). */
    @SuppressWarnings("removal")
    private static Inet4Address anyInet4Address(NetworkInterface interf) {
        return AccessController.doPrivileged((PrivilegedAction<Inet4Address>) () -> {
            Enumeration<InetAddress> addrs = interf.getInetAddresses();
            while (addrs.hasMoreElements()) {
                InetAddress addr = addrs.nextElement();
                if (addr instanceof Inet4Address) {
                    return (Inet4Address) addr;
                }
            }
            return null;
        });
    }

    static int inet4AsInt(InetAddress ia) {
        byte[] a = ia.getAddress();
        return (a[0] & 0xff) << 24 | (a[1] & 0xff) << 16 | (a[2] & 0xff) << 8 | (a[3] & 0xff);
    }

    private static InetAddress inet4FromInt(int address) {
        byte[] a = {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
        try {
            return InetAddress.getByAddress(a);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static int check(int rc) throws IOException {
        if (rc < 0) {
            throw Net.socketException(-rc);
        }
        return rc;
    }
}
