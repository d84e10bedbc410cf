"""Checks of the harness's arithmetic and parsing (no measurement, no timing): python3 bench/test_harness.py"""
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


if __name__ == "__main__":
    unittest.main()
