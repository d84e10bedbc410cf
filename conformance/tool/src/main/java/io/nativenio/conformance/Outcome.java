package io.nativenio.conformance;

/**
 * What one test did on one JDK.
 *
 * @param status PASS, FAIL, ERROR, SKIP (skipped itself, or jtreg did not run it) or EXCL (not run:
 *               excluded.txt)
 * @param why    jtreg's words ("Failed. Execution failed: ...")
 * @param usage  whether the provider under test was used in the test's JVMs
 */
record Outcome(Status status, String why, Usage usage) {
    enum Status { PASS, FAIL, ERROR, SKIP, EXCL }

    /** USED: some JVM of the test loaded the provider; UNUSED: every JVM recorded, none did; UNKNOWN: no record. */
    enum Usage { USED, UNUSED, UNKNOWN }

    Outcome withUsage(Usage u) {
        return new Outcome(status, why, u);
    }
}
