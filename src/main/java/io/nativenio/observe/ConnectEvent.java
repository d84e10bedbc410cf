package io.nativenio.observe;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Threshold;

/** A connect of a socket channel or its adaptor, or a finishConnect that completed one. */
@Name("io.nativenio.SocketConnect")
@Label("Socket Connect")
@Category({"Java Application", "nativenio"})
@Description("A connect or finishConnect of a nativenio socket channel")
@Threshold("20 ms")
final class ConnectEvent extends RemoteEvent {
    @Label("Connected")
    @Description("If the connection was established; false: a non-blocking connect in progress")
    boolean connected;
}
