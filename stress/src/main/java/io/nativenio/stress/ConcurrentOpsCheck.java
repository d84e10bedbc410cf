package io.nativenio.stress;

import java.util.List;

final class ConcurrentOpsCheck implements Main.Check {
    ConcurrentOpsCheck(Options options, Results results) {
    }

    @Override
    public void run(List<Providers.Named> providers) {
    }
}
