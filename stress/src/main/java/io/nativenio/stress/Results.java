package io.nativenio.stress;

/** Result lines and the final count. A skipped check counts neither as passed nor as failed. */
final class Results {
    private int passed;
    private int failed;

    synchronized void pass(String check, String provider, String detail) {
        passed++;
        line(check, provider, "passed", detail);
    }

    synchronized void fail(String check, String provider, String detail) {
        failed++;
        line(check, provider, "FAILED", detail);
    }

    synchronized void skip(String check, String provider, String reason) {
        line(check, provider, "skipped:", reason);
    }

    /** A note under a result line (not a result). */
    synchronized void info(String check, String provider, String detail) {
        System.out.printf("  info %s %s: %s%n", check, provider, detail);
    }

    synchronized int failed() {
        return failed;
    }

    synchronized void printSummary() {
        System.out.println(passed + " passed, " + failed + " failed");
        System.out.flush();
    }

    private static void line(String check, String provider, String verdict, String detail) {
        System.out.printf("RESULT %-18s %-10s %s %s%n", check, provider, verdict, detail);
        System.out.flush();
    }
}
