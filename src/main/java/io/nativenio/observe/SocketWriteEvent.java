package io.nativenio.observe;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Threshold;

/** A write of a socket channel or of its socket adaptor's stream, as the JDK's {@code jdk.SocketWrite} (see {@link SocketReadEvent}). */
@Name("jdk.SocketWrite")
@Label("Socket Write")
@Category("Java Application")
@Description("Writing data to a socket")
@Threshold("20 ms")
final class SocketWriteEvent extends jdk.jfr.Event implements PeerEvent {
    @Label("Remote Host")
    String host;

    @Label("Remote Address")
    String address;

    @Label("Remote Port")
    int port;

    @Label("Bytes Written")
    @Description("Number of bytes written to the socket")
    @DataAmount
    long bytesWritten;

    @Override
    public void peer(String host, String address, int port) {
        this.host = host;
        this.address = address;
        this.port = port;
    }
}
