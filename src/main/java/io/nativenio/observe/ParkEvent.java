package io.nativenio.observe;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Threshold;
import jdk.jfr.Timespan;

/** A virtual thread parked until a channel's fd was ready, instead of blocking its carrier. */
@Name("io.nativenio.VirtualThreadPark")
@Label("Virtual Thread Park on a Channel")
@Category({"Java Application", "nativenio"})
@Description("A virtual thread in blocking channel I/O parked until the fd was ready")
@Threshold("20 ms")
final class ParkEvent extends jdk.jfr.Event {
    @Label("File Descriptor")
    int fd;

    @Label("Operation")
    @Description("read: waiting for input or a connection to accept; write: for room to write or a connect to complete")
    String operation;

    @Label("Timeout Value")
    @Description("The wait limit; 0: none")
    @Timespan(Timespan.NANOSECONDS)
    long timeout;
}
