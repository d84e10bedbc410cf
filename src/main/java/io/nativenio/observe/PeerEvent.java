package io.nativenio.observe;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;

/** An event with the peer fields of the JDK's socket events: host, address, port. */
interface PeerEvent {
    /**
     * From JDK 22 the JDK's socket events name the remote host with {@code InetSocketAddress.getHostString()};
     * JDK 17's instrumentation of its socket channel took the host name part of {@code InetAddress.toString()}
     * (empty when the address has none). Never a name lookup.
     */
    boolean HOST_STRING = Runtime.version().feature() >= 22;

    void peer(String host, String address, int port);

    /** Sets the fields from {@code remote} (an INET address, a UNIX-domain path, or null) as the running JDK's events. */
    default void remote(SocketAddress remote) {
        if (remote instanceof InetSocketAddress isa && isa.getAddress() != null) {
            if (HOST_STRING) {
                peer(isa.getHostString(), isa.getAddress().getHostAddress(), isa.getPort());
            } else {
                String s = isa.getAddress().toString();
                int slash = s.lastIndexOf('/');
                peer(s.substring(0, slash), s.substring(slash + 1), isa.getPort());
            }
        } else if (remote instanceof UnixDomainSocketAddress uds) {
            peer("Unix domain socket", "[" + uds.getPath() + "]", 0);
        } else {
            peer("", "", 0);
        }
    }
}
