package io.nativenio.observe;

import jdk.jfr.Label;

/** nativenio's events about a connection: its peer's fields first (the JDK's two socket events declare theirs in their own order: JFR lists a superclass's fields last). */
abstract class RemoteEvent extends jdk.jfr.Event implements PeerEvent {
    @Label("Remote Host")
    String host;

    @Label("Remote Address")
    String address;

    @Label("Remote Port")
    int port;

    @Override
    public final void peer(String host, String address, int port) {
        this.host = host;
        this.address = address;
        this.port = port;
    }
}
