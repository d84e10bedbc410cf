package io.nativenio.observe;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Threshold;
import jdk.jfr.Timespan;

/**
 * A read of a socket channel or of its socket adaptor's stream, under the name and with the fields, in their
 * order and units, of the JDK's own {@code jdk.SocketRead}: JFR's settings for that name apply to it, and
 * tools that look for the name (jfr print --events, JDK Mission Control's Socket I/O page) find it.
 */
@Name("jdk.SocketRead")
@Label("Socket Read")
@Category("Java Application")
@Description("Reading data from a socket")
@Threshold("20 ms")
final class SocketReadEvent extends jdk.jfr.Event implements PeerEvent {
    @Label("Remote Host")
    String host;

    @Label("Remote Address")
    String address;

    @Label("Remote Port")
    int port;

    @Label("Timeout Value")
    @Timespan(Timespan.MILLISECONDS)
    long timeout;

    @Label("Bytes Read")
    @Description("Number of bytes read from the socket")
    @DataAmount
    long bytesRead;

    @Label("End of Stream")
    @Description("If end of stream was reached")
    boolean endOfStream;

    @Override
    public void peer(String host, String address, int port) {
        this.host = host;
        this.address = address;
        this.port = port;
    }
}
