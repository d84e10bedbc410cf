package io.nativenio.ch;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.channels.MembershipKey;
import java.nio.channels.MulticastChannel;
import java.util.HashSet;
import java.util.Set;

/**
 * A multicast group membership of a {@link DatagramChannelImpl}, after the JDK's {@code MembershipKeyImpl}
 * (behaviours.md#multicast): an IPv4 membership (addresses as ints) or an IPv6 one (16-byte addresses and an interface
 * index). Valid until dropped or the channel is closed; the blocked sources of an any-source membership.
 */
final class MembershipKeyImpl extends MembershipKey {
    private final DatagramChannelImpl channel;
    private final InetAddress group;
    private final NetworkInterface interf;
    private final InetAddress source;
    private volatile boolean invalid;

    /** True for an IPv6 membership: {@link #group6}, {@link #index} and {@link #source6} apply. */
    final boolean ipv6;
    final int group4;
    final int interf4;
    final int source4;
    final byte[] group6;
    final int index;
    final byte[] source6;

    private final Object blockLock = new Object();
    private Set<InetAddress> blocked; // guarded by blockLock

    private MembershipKeyImpl(DatagramChannelImpl channel, InetAddress group, NetworkInterface interf,
            InetAddress source, boolean ipv6, int group4, int interf4, int source4, byte[] group6, int index,
            byte[] source6) {
        this.channel = channel;
        this.group = group;
        this.interf = interf;
        this.source = source;
        this.ipv6 = ipv6;
        this.group4 = group4;
        this.interf4 = interf4;
        this.source4 = source4;
        this.group6 = group6;
        this.index = index;
        this.source6 = source6;
    }

    static MembershipKeyImpl ipv4(DatagramChannelImpl channel, InetAddress group, NetworkInterface interf,
            InetAddress source, int group4, int interf4, int source4) {
        return new MembershipKeyImpl(channel, group, interf, source, false, group4, interf4, source4, null, 0, null);
    }

    static MembershipKeyImpl ipv6(DatagramChannelImpl channel, InetAddress group, NetworkInterface interf,
            InetAddress source, byte[] group6, int index, byte[] source6) {
        return new MembershipKeyImpl(channel, group, interf, source, true, 0, 0, 0, group6, index, source6);
    }

    @Override
    public boolean isValid() {
        return !invalid;
    }

    void invalidate() {
        invalid = true;
    }

    @Override
    public void drop() {
        channel.multicast().drop(this);
    }

    @Override
    public MulticastChannel channel() {
        return channel;
    }

    @Override
    public InetAddress group() {
        return group;
    }

    @Override
    public NetworkInterface networkInterface() {
        return interf;
    }

    @Override
    public InetAddress sourceAddress() {
        return source;
    }

    @Override
    public MembershipKey block(InetAddress toBlock) throws IOException {
        if (source != null) {
            throw new IllegalStateException("key is source-specific");
        }
        synchronized (blockLock) {
            if (blocked != null && blocked.contains(toBlock)) {
                return this;
            }
            channel.multicast().block(this, toBlock, true);
            if (blocked == null) {
                blocked = new HashSet<>();
            }
            blocked.add(toBlock);
        }
        return this;
    }

    @Override
    public MembershipKey unblock(InetAddress toUnblock) {
        synchronized (blockLock) {
            if (blocked == null || !blocked.contains(toUnblock)) {
                throw new IllegalStateException("not blocked");
            }
            try {
                channel.multicast().block(this, toUnblock, false);
            } catch (IOException e) {
                throw new AssertionError(e); // as the JDK: cannot fail for a source it blocked
            }
            blocked.remove(toUnblock);
        }
        return this;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(64).append('<').append(group.getHostAddress()).append(',')
                .append(interf.getName());
        if (source != null) {
            sb.append(',').append(source.getHostAddress());
        }
        return sb.append('>').toString();
    }
}
