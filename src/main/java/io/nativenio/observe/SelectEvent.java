package io.nativenio.observe;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Threshold;
import jdk.jfr.Timespan;

/** One selection operation of a selector. */
@Name("io.nativenio.Select")
@Label("Select")
@Category({"Java Application", "nativenio"})
@Description("A selection operation (select, selectNow, select with an action) of a nativenio selector")
@Threshold("20 ms")
final class SelectEvent extends jdk.jfr.Event {
    @Label("Backend")
    @Description("The kernel readiness backend: epoll or kqueue")
    String backend;

    @Label("Keys Registered")
    @Description("Keys in the selector's key set when the operation ended")
    int keysRegistered;

    @Label("Keys Selected")
    @Description("Keys whose ready set the operation updated: its return value")
    int keysSelected;

    @Label("Woken")
    @Description("If wakeup() (or an interrupt) ended the wait")
    boolean woken;

    @Label("Timeout Value")
    @Description("The wait limit: 0 for selectNow, Forever for select() without a timeout")
    @Timespan(Timespan.MILLISECONDS)
    long timeout;
}
