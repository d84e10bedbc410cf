package io.nativenio.observe;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** A perturbation made or a misuse found by the compatibility-testing mode (-Dnativenio.compat). */
@Name("io.nativenio.Compat")
@Label("Compatibility-Testing Mode")
@Category({"Java Application", "nativenio"})
@Description("A perturbation that the compatibility-testing mode made, or a misuse or leak it found")
final class CompatEvent extends jdk.jfr.Event {
    @Label("Kind")
    @Description("The option of -Dnativenio.compat: short-writes, false-ready, leaks, ...")
    String kind;

    @Label("Detail")
    String detail;
}
