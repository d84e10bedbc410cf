package io.nativenio.observe;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Threshold;

/** The close of a channel registered with a selector: its fd stays open until every selector lets go of it. */
@Name("io.nativenio.ChannelClose")
@Label("Registered Channel Close")
@Category({"Java Application", "nativenio"})
@Description("The close of a nativenio channel that was registered with a selector")
@Threshold("20 ms")
final class CloseEvent extends jdk.jfr.Event {
    @Label("Channel Kind")
    @Description("SocketChannel, ServerSocketChannel, DatagramChannel or Pipe")
    String kind;

    @Label("File Descriptor")
    int fd;

    @Label("File Descriptor Closed")
    @Description("If the fd was closed before close() returned; false: a selector closes it when it deregisters the channel")
    boolean fdClosed;
}
