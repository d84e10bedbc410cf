"""Checks of the harness's arithmetic and parsing (no measurement, no timing): python3 bench/test_harness.py"""
import os
import tempfile
import types
import unittest

import harness

WRK = """Running 2s test @ http://127.0.0.1:40000/
  1 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     5.01ms    2.10ms  40.12ms   90.00%
    Req/Sec    12.80k     1.00k   14.00k    70.00%
  Latency Distribution
     50%    4.80ms
     75%    5.50ms
     90%    6.90ms
     99%   12.34ms
  25600 requests in 2.00s, 3.20MB read
Requests/sec:  12800.00
Transfer/sec:      1.60MB
"""


def run(case, provider, rnd, rate, cpu=1.0):
    return dict(case=case, provider=provider, round=rnd, ops=1, rate=rate, p99_us=100, cpu_us_per_op=cpu)


class HarnessTest(unittest.TestCase):
    def test_wrk_report(self):
        self.assertEqual(harness.parse_wrk(WRK), (25600, 2.0, 12340))

    def test_wrk_errors_fail_the_run(self):
        with self.assertRaises(harness.RunFailed):
            harness.parse_wrk(WRK.replace("Requests/sec", "  Non-2xx or 3xx responses: 3\nRequests/sec"))
        with self.assertRaises(harness.RunFailed):
            harness.parse_wrk(WRK.replace("25600 requests", "0 requests"))

    def test_ratios_are_speeds_above_one_when_ours_is_faster(self):
        rows = [run("echo-nio", "jdk", 1, 100, cpu=4.0), run("echo-nio", "nativenio", 1, 150, cpu=2.0),
                run("echo-nio", "jdk-b", 1, 80, cpu=4.0),
                run("echo-nio", "jdk", 2, 100, cpu=4.0), run("echo-nio", "nativenio", 2, 130, cpu=2.0),
                run("echo-nio", "jdk-b", 2, 125, cpu=4.0),
                run("echo-nio", "jdk", 3, 100, cpu=4.0), run("echo-nio", "nativenio", 3, 50, cpu=2.0),
                run("echo-nio", "jdk-b", 3, 100, cpu=4.0)]
        (entry,) = harness.summarize(rows)
        self.assertAlmostEqual(entry["rate_ratio"], 1.3)  # median of 1.5, 1.3, 0.5 (per round)
        self.assertAlmostEqual(entry["cpu_us_per_op_ratio"], 2.0)  # half the CPU: twice as cheap
        self.assertEqual(entry["rate_noise"], (0.8, 1.25))  # 0.8, 1.25, 1.0 and their inverses
        self.assertEqual(entry["jdk"]["rate"], 100)

    def test_noise_band_is_symmetric(self):
        self.assertEqual(harness.noise_band([0.5]), (0.5, 2.0))
        self.assertIsNone(harness.noise_band([]))


def options(backend="epoll", baseline=None):
    """The harness's parsed options, as far as the code under test reads them (feature: no JVM is asked)."""
    a = types.SimpleNamespace(java="java", jar="/x/ours.jar", baseline=baseline, backend=backend, feature=17,
                              benchmarks="/x/benchmarks.jar", label="")
    a.providers = harness.providers(a)
    return a


class BackendAndBaselineTest(unittest.TestCase):
    def test_baseline_is_a_fourth_provider_in_every_position(self):
        a = options(baseline="/x/old.jar")
        self.assertEqual(["jdk", "nativenio", "jdk-b", "baseline"], a.providers)
        orders = [harness.rotated(a.providers, r) for r in range(4)]
        for position in range(4):
            self.assertEqual(set(a.providers), {order[position] for order in orders})
        self.assertEqual(["jdk", "nativenio", "jdk-b"], options().providers)

    def test_ours_against_baseline_beside_the_jdk_band(self):
        rows = [run("echo-nio", "jdk", 1, 100), run("echo-nio", "nativenio", 1, 110),
                run("echo-nio", "jdk-b", 1, 90), run("echo-nio", "baseline", 1, 100, cpu=2.0),
                run("echo-nio", "jdk", 2, 100), run("echo-nio", "nativenio", 2, 95),
                run("echo-nio", "jdk-b", 2, 100), run("echo-nio", "baseline", 2, 100, cpu=2.0)]
        (entry,) = harness.summarize(rows)
        self.assertAlmostEqual(entry["rate_vs_baseline"], 1.025)  # median of 1.10 and 0.95
        self.assertAlmostEqual(entry["cpu_us_per_op_vs_baseline"], 2.0)  # half the baseline's CPU
        self.assertAlmostEqual(entry["rate_ratio"], 1.025)
        self.assertEqual(entry["rate_noise"], (0.9, 1 / 0.9))
        (without,) = harness.summarize([r for r in rows if r["provider"] != "baseline"])
        self.assertIsNone(without["rate_vs_baseline"])

    def test_servers_must_run_the_provider_jar_and_backend_asked_for(self):
        with tempfile.TemporaryDirectory() as d:
            ours, old, err = (os.path.join(d, n) for n in ("ours.jar", "old.jar", "server.err"))
            for f in (ours, old):
                open(f, "w").close()
            with open(err, "w") as f:
                f.write("WARNING: nativenio: io_uring is not available (io_uring_setup: Operation not permitted);"
                        " using epoll\n")
            a = options(backend="io_uring", baseline=old)
            a.jar = ours
            harness.check_announced(a, "nativenio", harness.OURS, ours, "io_uring", err)
            harness.check_announced(a, "baseline", harness.OURS, old, "io_uring", err)
            harness.check_announced(a, "jdk", "sun.nio.ch.EPollSelectorProvider", "-", "-", err)
            with self.assertRaisesRegex(harness.RunFailed, "epoll backend, not on io_uring: .*not available"):
                harness.check_announced(a, "nativenio", harness.OURS, ours, "epoll", err)
            with self.assertRaisesRegex(harness.RunFailed, "comes from"):
                harness.check_announced(a, "nativenio", harness.OURS, old, "io_uring", err)
            with self.assertRaisesRegex(harness.RunFailed, "comes from"):
                harness.check_announced(a, "baseline", harness.OURS, ours, "io_uring", err)
            with self.assertRaisesRegex(harness.RunFailed, "not on jdk-b"):
                harness.check_announced(a, "jdk-b", harness.OURS, ours, "io_uring", err)
            with self.assertRaisesRegex(harness.RunFailed, "not on nativenio"):
                harness.check_announced(a, "nativenio", "sun.nio.ch.EPollSelectorProvider", "-", "-", err)

    def test_every_jvm_gets_the_backend(self):
        a = options(backend="io_uring", baseline="/x/old.jar")
        cmd = harness.jmh_command(a, "/x/jmh.json")
        self.assertIn("-Dnativenio.backend=io_uring", cmd)
        self.assertIn("-Dbench.baseline.jar=/x/old.jar", cmd)
        self.assertIn("provider=jdk,nativenio,jdk-b,baseline", cmd)
        self.assertLess(cmd.index("-Dnativenio.backend=io_uring"), cmd.index("-jar"), "a JVM option, inherited by forks")
        self.assertEqual("true", cmd[cmd.index("-foe") + 1])
        server = harness.java_command(a, "baseline", ["Main"])
        self.assertIn("-Dnativenio.backend=io_uring", server)
        self.assertEqual("/x/benchmarks.jar" + os.pathsep + "/x/old.jar", server[server.index("-cp") + 1])
        jdk = harness.java_command(a, "jdk", ["Main"])
        self.assertEqual("/x/benchmarks.jar", jdk[jdk.index("-cp") + 1])
        self.assertFalse([x for x in jdk if "nativenio" in x])

    def test_tables_and_chart_name_the_backend_and_the_baseline(self):
        a = options(backend="io_uring", baseline="/x/old.jar")
        jmh = {("ReadyKeysBench.selectNow", "registered=100"):
               {"jdk": (100.0, 1.0, 0.0), "nativenio": (50.0, 1.0, 0.0), "jdk-b": (110.0, 1.0, 0.0),
                "baseline": (75.0, 1.0, 0.0)}}
        table = "\n".join(harness.jmh_table(a, jmh))
        self.assertIn("nativenio (io_uring) ns/op", table)
        self.assertIn("| **2.00** | **1.50** | 0.91 to 1.10 |", table)
        bars = harness.chart_bars([], jmh)
        self.assertEqual([("ReadyKeysBench.selectNow registered=100", 2.0),
                          ("ReadyKeysBench.selectNow registered=100 vs baseline", 1.5)], [b[:2] for b in bars])
        self.assertEqual("nativenio (epoll)", harness.ours_name(options()))


class LimitsTest(unittest.TestCase):
    def test_netty_native_transports_are_columns_of_the_echo_table_not_rows(self):
        a = options()
        a.c_loops, a.warmup, a.seconds, a.rounds, a.server_cpu, a.client_cpu = [], 1, 2, 1, 0, 1
        rows = [run("echo-netty", "jdk", 1, 100), run("echo-netty", "nativenio", 1, 110),
                run("echo-netty", "jdk-b", 1, 100), run("echo-netty-native", "netty-epoll", 1, 120),
                run("echo-netty-native", "netty-io_uring", 1, 130)]
        summary = harness.summarize(rows)
        self.assertEqual(120, summary[1]["netty-epoll"]["rate"])
        md = harness.render_markdown(a, "bench/run", "m", summary, None, [])
        self.assertIn("Netty epoll messages/s | Netty io_uring messages/s", md)
        table = [line for line in md.splitlines() if line.startswith("| echo-")]
        self.assertEqual(1, len(table), "one row, echo-netty's, with the limits beside it")
        self.assertIn("| 100 | 110 | 120 | 130 | **1.10** |", table[0])
        with tempfile.TemporaryDirectory() as d:
            harness.write_summary_csv(os.path.join(d, "r.csv"), summary, None, "epoll")
            with open(os.path.join(d, "r.csv")) as f:
                head = f.readline()
            self.assertIn(",c_epoll,c_io_uring,c_io_uring_write,netty_epoll,netty_io_uring,unit,", head)
        self.assertEqual("Netty io_uring", harness.NETTY_NATIVE["netty-io_uring"][1])

    def test_profiles_are_of_the_java_echo_servers_run(self):
        self.assertEqual(["echo-netty"], harness.profiled_cases(["jmh", "echo-c", "echo-netty", "http-jetty"]))
        self.assertEqual(["echo-nio"], harness.profiled_cases(["jmh"]))

    def test_each_case_runs_its_own_servers(self):
        a = options()
        a.c_loops = ["c", "c-io_uring"]
        self.assertEqual(["c", "c-io_uring"], harness.runs_of(a, harness.CASES["echo-c"][1]))
        self.assertEqual(["netty-epoll", "netty-io_uring"], harness.runs_of(a, harness.CASES["echo-netty-native"][1]))
        self.assertEqual(["jdk", "nativenio", "jdk-b"], harness.runs_of(a, harness.CASES["echo-netty"][1]))


if __name__ == "__main__":
    unittest.main()
