package io.nativenio.observe;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Threshold;

/** An accept of a server socket channel or its adaptor that returned a connection. */
@Name("io.nativenio.SocketAccept")
@Label("Socket Accept")
@Category({"Java Application", "nativenio"})
@Description("An accept of a nativenio server socket channel that returned a connection")
@Threshold("20 ms")
final class AcceptEvent extends RemoteEvent {
}
