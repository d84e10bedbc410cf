"""The whole-process and JMH runs behind bench/run (read its header for the cases and options).

Every run of a case starts a fresh server process pinned to one CPU and a fresh load (EchoClient, the C
client or wrk) pinned to another, warms up, then measures: the load's rate and p99 latency, and the
server's CPU time (utime + stime from /proc/PID/stat) over the measured part only. A round runs every
provider once, in an order that rotates from round to round, so a drift of the machine does not favour
one provider. The JDK runs twice per round ("jdk" and "jdk-b", the same provider): jdk-b / jdk is the noise
band printed beside every ratio.

Ratios are speeds, ours / JDK: above 1 nativenio is faster (rate) or cheaper (CPU per operation, p99).
The ratio of a case is the median of its per-round ratios; the band is the lowest and highest jdk-b / jdk.

--backend=NAME runs nativenio on that readiness backend (-Dnativenio.backend=NAME, epoll by default) and fails a
run that got another one (the io_uring backend falls back to epoll where the kernel refuses it). --baseline=JAR adds
a fourth provider, "baseline": nativenio again from another jar (a build of an older commit), run in the same
rounds and JMH run, and reported as ours / baseline beside the same JDK-against-JDK band.
"""
import argparse
import csv
import json
import os
import platform
import re
import select
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

OURS = "io.nativenio.NativeSelectorProvider"
PROVIDERS = ["jdk", "nativenio", "jdk-b"]
BASELINE = "baseline"
BACKENDS = ["epoll", "io_uring"]
CONNECTIONS, DEPTH, SIZE = 64, 4, 1024
TICKS = os.sysconf("SC_CLK_TCK")

# The C echo loops, the limits of the echo runs (no JVM): name: (program in bench/target, what it announces, column)
C_LOOPS = {"c": ("echo", "c-epoll", "C epoll"), "c-io_uring": ("echo_uring", "c-io_uring", "C io_uring"),
           "c-io_uring-write": ("echo_uring_write", "c-io_uring-write", "C io_uring, write(2) sends")}
# Netty's own native transports, the limits of its NIO transport: no SelectorProvider serves them, so their load
# (EchoClient) runs on the JDK's provider. name (what NettyServer announces): (its transport argument, column)
NETTY_NATIVE = {"netty-epoll": ("epoll", "Netty epoll"), "netty-io_uring": ("io_uring", "Netty io_uring")}
LIMITS = list(C_LOOPS) + list(NETTY_NATIVE)

# name: (kind, server main and arguments or "c" for the C loops, short description)
CASES = {
    "echo-nio": ("echo", ["io.nativenio.bench.proc.EchoServer"], "java.nio echo server, one selector thread"),
    "echo-netty": ("echo", ["io.nativenio.bench.proc.NettyServer", "echo"], "Netty 4.2 NIO echo, one event loop"),
    "echo-c": ("echo", "c", "C on epoll and on io_uring (sends on the ring, or write(2)), one thread each (the limits)"),
    "echo-netty-native": ("echo", "netty-native", "Netty 4.2's own epoll and io_uring transports, one event loop"),
    "http-jdk": ("http", ["io.nativenio.bench.proc.JdkHttpServer"], "com.sun.net.httpserver.HttpServer"),
    "http-netty": ("http", ["io.nativenio.bench.proc.NettyServer", "http"], "Netty 4.2 NIO HTTP, one event loop"),
    "http-jetty": ("http", ["io.nativenio.bench.proc.JettyServer"], "Jetty 12 core server"),
    "http-tomcat": ("http", ["io.nativenio.bench.proc.TomcatServer"], "Tomcat 11 embedded, NIO connector"),
}
RATIO_NOTE = ("Ratios are speeds, ours / JDK: **above 1 means nativenio is faster** (for CPU per operation: "
              "cheaper). Noise band: the same harness run JDK against JDK (jdk-b / jdk per round, taken both "
              "ways: r and 1/r), lowest to highest; a ratio inside its band is no measurable difference. "
              "Rates, p99 and CPU are medians over the rounds.")


class RunFailed(Exception):
    pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jar", required=True)
    ap.add_argument("--bench-dir", required=True)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--rounds", type=int)
    ap.add_argument("--warmup", type=int)
    ap.add_argument("--seconds", type=int)
    ap.add_argument("--java")
    ap.add_argument("--out")
    ap.add_argument("--label", default="")
    ap.add_argument("--server-cpu", default="0")
    ap.add_argument("--client-cpu", default="1")
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--jmh-filter", default="")
    ap.add_argument("--forks", type=int, default=1)
    ap.add_argument("--backend", default="epoll", choices=BACKENDS)
    ap.add_argument("--baseline")
    ap.add_argument("cases", nargs="*")
    a = ap.parse_args()
    a.providers = providers(a)
    a.rounds = a.rounds or (2 if a.quick else 5)
    a.warmup = a.warmup if a.warmup is not None else (1 if a.quick else 5)
    a.seconds = a.seconds or (2 if a.quick else 10)
    a.java = os.path.join(a.java or os.environ.get("JAVA_HOME") or "", "bin", "java") \
        if (a.java or os.environ.get("JAVA_HOME")) else shutil.which("java")
    a.out = os.path.abspath(a.out or os.path.join(a.bench_dir, "target", "results"))
    a.jar = os.path.abspath(a.jar)
    if a.baseline:
        a.baseline = os.path.abspath(a.baseline)
        if not os.path.isfile(a.baseline):
            sys.exit("bench: no such baseline jar: " + a.baseline)
    a.benchmarks = os.path.join(a.bench_dir, "target", "benchmarks.jar")
    a.c_loops = [c for c, (program, _, _) in C_LOOPS.items()
                 if os.path.exists(os.path.join(a.bench_dir, "target", program))]
    cases = a.cases or ["jmh"] + list(CASES)
    unknown = [c for c in cases if c != "jmh" and c not in CASES]
    if unknown:
        sys.exit("bench: unknown case(s) %s; known: jmh %s" % (" ".join(unknown), " ".join(CASES)))
    os.makedirs(a.out, exist_ok=True)
    machine = describe_machine(a.java)
    command = shlex.join(["bench/run"] + [arg for arg in sys.argv[1:]
                                          if not arg.startswith(("--jar=", "--bench-dir="))])
    print("bench: %s; %s; results in %s" % (machine, subject(a), a.out), flush=True)

    rows, failures = [], []
    jmh = None
    for case in cases:
        if case == "jmh":
            jmh = run_jmh(a)
            continue
        for r in range(a.rounds):
            kind, server, _ = CASES[case]
            order = rotated(runs_of(a, server), r)
            for provider in order:
                try:
                    row = run_once(a, case, provider)
                except RunFailed as e:
                    failures.append("%s on %s, round %d: %s" % (case, provider, r + 1, e))
                    print("bench: FAILED " + failures[-1], flush=True)
                    continue
                row["round"] = r + 1
                rows.append(row)
                print("bench: %-11s %-9s round %d: %10.0f /s  p99 %7d us  server CPU %6.1f us/op"
                      % (case, provider, r + 1, row["rate"], row["p99_us"], row["cpu_us_per_op"]), flush=True)
    if a.profile:
        profile(a, cases)

    write_csv(os.path.join(a.out, "runs.csv"), rows)
    summary = summarize(rows)
    md = render_markdown(a, command, machine, summary, jmh, failures)
    with open(os.path.join(a.out, "results.md"), "w") as f:
        f.write(md)
    write_summary_csv(os.path.join(a.out, "results.csv"), summary, jmh, a.backend)
    chart = chart_png(a, os.path.join(a.out, "results.png"), summary, jmh, machine)
    print(md)
    print("bench: wrote %s/results.md, results.csv, runs.csv%s" % (a.out, ", results.png" if chart else ""))
    if failures:
        print("bench: %d run(s) failed" % len(failures))
        sys.exit(1)


def providers(a):
    """The providers of every case: the JDK, ours, the JDK again (the noise band), and the baseline if given."""
    return PROVIDERS + ([BASELINE] if a.baseline else [])


def rotated(names, rnd):
    """The providers' order in round rnd (from 0): rotated by one each round, so a drift of the machine favours none."""
    k = rnd % len(names)
    return names[k:] + names[:k]


def subject(a):
    """What is measured, in words: nativenio's backend and the baseline jar, if any."""
    text = "nativenio on the %s backend" % a.backend
    return text + (", baseline %s" % os.path.basename(a.baseline) if a.baseline else "")


def ours_name(a):
    """Ours as the tables and the chart name it: with its backend."""
    return "nativenio (%s)" % a.backend


# ---- machine ----------------------------------------------------------------------------------------

def describe_machine(java):
    model = "unknown CPU"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    version = subprocess.run([java, "-XshowSettings:properties", "-version"], capture_output=True, text=True).stderr
    runtime = re.search(r"java\.runtime\.version = (\S+)", version)
    vendor = re.search(r"java\.vendor = (.+)", version)
    return "%d CPUs (%s), Linux %s, JDK %s (%s)" % (os.cpu_count(), model, platform.release(),
                                                      runtime.group(1) if runtime else "?",
                                                      vendor.group(1).strip() if vendor else "?")


def java_feature(java):
    out = subprocess.run([java, "-XshowSettings:properties", "-version"], capture_output=True, text=True).stderr
    m = re.search(r"java\.specification\.version = (\d+)", out)
    return int(m.group(1)) if m else 17


# ---- one run ----------------------------------------------------------------------------------------

def java_command(a, provider, main_and_args):
    """The JVM command of a program on a provider: ours only through the switch, jar on the class path.
    The JDK's HttpServer gets TCP_NODELAY (sun.net.httpserver.nodelay) as every other server here has it;
    without it, Nagle's algorithm and delayed acknowledgements hold each response for up to 40 ms."""
    cmd = [a.java, "-Xms256m", "-Xmx256m", "-Dsun.net.httpserver.nodelay=true"]
    if java_feature_cached(a) >= 22:
        cmd.append("--enable-native-access=ALL-UNNAMED")
    jar = provider_jar(a, provider)
    if jar:
        cmd += ["-cp", a.benchmarks + os.pathsep + jar, "-Djava.nio.channels.spi.SelectorProvider=" + OURS,
                "-Dnativenio.backend=" + a.backend]
    else:
        cmd += ["-cp", a.benchmarks]
    return cmd + main_and_args


def provider_jar(a, provider):
    """The nativenio jar a provider runs from (ours, or the baseline's); None for the JDK's and the limits."""
    return {"nativenio": a.jar, BASELINE: a.baseline}.get(provider)


def java_feature_cached(a):
    if not hasattr(a, "feature"):
        a.feature = java_feature(a.java)
    return a.feature


def pinned(cpu, cmd):
    return ["taskset", "-c", cpu] + cmd


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime: fields 14 and 15 of stat(5)


class Lines:
    """The lines of a child's stdout, read without buffering so that select() sees every one."""

    def __init__(self, proc, what):
        self.proc, self.what, self.pending = proc, what, b""

    def until(self, prefix, timeout):
        """Reads lines until one starts with prefix; returns it."""
        deadline = time.monotonic() + timeout
        while True:
            while b"\n" in self.pending:
                line, self.pending = self.pending.split(b"\n", 1)
                if line.decode().startswith(prefix):
                    return line.decode().strip()
            left = deadline - time.monotonic()
            if left <= 0:
                raise RunFailed("no '%s' from the %s within %d s" % (prefix, self.what, timeout))
            if select.select([self.proc.stdout], [], [], left)[0]:
                chunk = os.read(self.proc.stdout.fileno(), 4096)
                if not chunk:
                    raise RunFailed("the %s exited (status %s) before '%s'" % (self.what, self.proc.wait(), prefix))
                self.pending += chunk


def stop(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def runs_of(a, server):
    """What a case's round runs: the limits of its kind ("c", "netty-native"), or the providers for a Java server."""
    if isinstance(server, str):
        return {"c": a.c_loops, "netty-native": list(NETTY_NATIVE)}[server]
    return a.providers


def start_server(a, case, provider, scratch, extra_jvm=()):
    _, server, _ = CASES[case]
    if server == "c":
        cmd = [c_program(a, provider), "server"]
    elif server == "netty-native":
        cmd = java_command(a, provider, ["io.nativenio.bench.proc.NettyServer", "echo", NETTY_NATIVE[provider][0]])
    else:
        cmd = java_command(a, provider, list(extra_jvm) + server)
    proc = subprocess.Popen(pinned(a.server_cpu, cmd), stdout=subprocess.PIPE, stderr=open(
        os.path.join(scratch, "server.err"), "w"), bufsize=0, cwd=scratch)
    try:
        lines = Lines(proc, "server")
        got = lines.until("provider ", 120).split(" ", 1)[1]
        if server != "c":
            jar = lines.until("jar ", 60).split(" ", 1)[1]
            backend = lines.until("backend ", 60).split(" ", 1)[1]
            if server == "netty-native" and got != provider:
                raise RunFailed("the server runs on %s, not on %s" % (got, provider))
            check_announced(a, provider, got, jar, backend, os.path.join(scratch, "server.err"))
        elif got != C_LOOPS[provider][1]:
            raise RunFailed("the server runs on %s, not on the %s loop" % (got, C_LOOPS[provider][1]))
        port = int(lines.until("listening ", 60).split()[1])
    except RunFailed:
        stop(proc)
        raise
    return proc, port


def c_program(a, loop):
    return os.path.join(a.bench_dir, "target", C_LOOPS[loop][0])


def check_announced(a, provider, got, jar, backend, err):
    """Fails a run whose server does not run on the provider, the jar and the backend it was started for."""
    want_jar = provider_jar(a, provider)
    if want_jar is None:
        if got == OURS:
            raise RunFailed("the server runs on %s, not on %s" % (got, provider))
        return
    if got != OURS:
        raise RunFailed("the server runs on %s, not on %s" % (got, provider))
    if os.path.realpath(jar) != os.path.realpath(want_jar):
        raise RunFailed("the %s server's provider comes from %s, not from %s" % (provider, jar, want_jar))
    if backend != a.backend:
        raise RunFailed("the %s server runs on the %s backend, not on %s: %s"
                        % (provider, backend, a.backend, tail(err, 3) or "no warning"))


def run_once(a, case, provider):
    kind = CASES[case][0]
    scratch = tempfile.mkdtemp(prefix="bench-" + case + "-")
    server = None
    try:
        server, port = start_server(a, case, provider, scratch)
        row = (echo_load if kind == "echo" else wrk_load)(a, case, provider, server, port, scratch)
        if server.poll() is not None:
            raise RunFailed("the server died during the run (status %d)" % server.returncode)
        row.update(case=case, provider=provider)
        return row
    finally:
        if server is not None:
            stop(server)
        shutil.rmtree(scratch, ignore_errors=True)


def echo_load(a, case, provider, server, port, scratch):
    args = [str(port), str(CONNECTIONS), str(DEPTH), str(SIZE), str(a.warmup), str(a.seconds)]
    if provider in C_LOOPS:
        cmd = [c_program(a, provider), "client"] + args
    else:
        cmd = java_command(a, provider, ["io.nativenio.bench.proc.EchoClient"] + args)
    client = subprocess.Popen(pinned(a.client_cpu, cmd), stdout=subprocess.PIPE,
                              stderr=open(os.path.join(scratch, "client.err"), "w"), bufsize=0)
    try:
        lines = Lines(client, "echo client")
        lines.until("measuring", a.warmup + 120)
        cpu0 = cpu_seconds(server.pid)
        result = lines.until("result ", a.seconds + 60)
        cpu1 = cpu_seconds(server.pid)
        client.wait(60)
    finally:
        stop(client)
    if client.returncode != 0:
        raise RunFailed("the echo client failed: " + tail(os.path.join(scratch, "client.err")))
    fields = dict(kv.split("=") for kv in result.split()[1:])
    ops = int(fields["messages"])
    if ops == 0:
        raise RunFailed("no message echoed")
    return dict(ops=ops, rate=ops / float(fields["seconds"]), p99_us=int(fields["p99_us"]),
                cpu_us_per_op=(cpu1 - cpu0) * 1e6 / ops)


def wrk(a, port, seconds, latency):
    cmd = ["wrk", "-t1", "-c%d" % CONNECTIONS, "-d%ds" % seconds]
    if latency:
        cmd.append("--latency")
    out = subprocess.run(pinned(a.client_cpu, cmd + ["http://127.0.0.1:%d/" % port]),
                         capture_output=True, text=True, timeout=seconds + 60)
    if out.returncode != 0:
        raise RunFailed("wrk failed: " + out.stderr.strip())
    return out.stdout


def micros(value, unit):
    return float(value) * {"us": 1, "ms": 1e3, "s": 1e6}[unit]


def wrk_load(a, case, provider, server, port, scratch):
    if a.warmup > 0:
        wrk(a, port, a.warmup, False)
    cpu0 = cpu_seconds(server.pid)
    out = wrk(a, port, a.seconds, True)
    cpu1 = cpu_seconds(server.pid)
    total, seconds, p99_us = parse_wrk(out)
    return dict(ops=total, rate=total / seconds, p99_us=p99_us, cpu_us_per_op=(cpu1 - cpu0) * 1e6 / total)


def parse_wrk(out):
    """wrk --latency's report: (requests, seconds, p99 in us); a run with errors or no request fails."""
    errors = re.search(r"Non-2xx or 3xx responses: \d+|Socket errors: .*", out)
    if errors:
        raise RunFailed("wrk saw errors: " + errors.group(0))
    done = re.search(r"(\d+) requests in ([\d.]+)(ms|s|m)\b", out)
    p99 = re.search(r"^\s*99%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    if not done or int(done.group(1)) == 0 or not p99:
        raise RunFailed("wrk served no request:\n" + out)
    seconds = float(done.group(2)) * {"ms": 1e-3, "s": 1, "m": 60}[done.group(3)]
    return int(done.group(1)), seconds, int(micros(*p99.groups()))


def tail(path, n=5):
    try:
        with open(path) as f:
            return " | ".join(f.read().strip().splitlines()[-n:])
    except OSError:
        return ""


# ---- JMH --------------------------------------------------------------------------------------------

def run_jmh(a):
    out = os.path.join(a.out, "jmh.json")
    cmd = jmh_command(a, out)
    if a.jmh_filter:
        cmd.append(a.jmh_filter)
    cmd += ["-f", str(a.forks)]
    if a.quick:
        cmd += ["-wi", "1", "-i", "2", "-w", "500ms", "-r", "500ms"]
    print("bench: " + " ".join(cmd), flush=True)
    log_path = os.path.join(a.bench_dir, "target", "jmh.log")  # JMH's own report, beside the build
    with open(log_path, "w") as log:
        if subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT).returncode != 0:
            raise SystemExit("bench: JMH failed, see " + log_path)
    return read_jmh(out)


def jmh_command(a, out):
    """JMH's command. The forks inherit the host JVM's -D options (JMH's default JVM arguments): the jars and the
    backend, which bench/src Providers checks (a fork on another backend fails; -foe makes that fail the run)."""
    cmd = [a.java, "-Dbench.nativenio.jar=" + a.jar, "-Dnativenio.backend=" + a.backend]
    if a.baseline:
        cmd.append("-Dbench.baseline.jar=" + a.baseline)
    if java_feature_cached(a) >= 22:
        cmd.append("--enable-native-access=ALL-UNNAMED")
    return cmd + ["-jar", a.benchmarks, "-p", "provider=" + ",".join(a.providers), "-prof", "gc", "-foe", "true",
                  "-rf", "json", "-rff", out]


def read_jmh(path):
    """JMH's JSON results: {(Class.method, other params): {provider: (ns/op, error, B/op)}}."""
    with open(path) as f:
        results = json.load(f)
    by_case = {}
    for r in results:
        params = dict(r.get("params", {}))
        provider = params.pop("provider")
        name = r["benchmark"].rsplit(".", 2)
        key = (name[-2] + "." + name[-1], ", ".join("%s=%s" % kv for kv in sorted(params.items())))
        alloc = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm", {}).get("score")
        by_case.setdefault(key, {})[provider] = (r["primaryMetric"]["score"], r["primaryMetric"]["scoreError"],
                                                 alloc)
    return by_case


# ---- summary ----------------------------------------------------------------------------------------

def per_round(rows, case, provider):
    return {r["round"]: r for r in rows if r["case"] == case and r["provider"] == provider}


def ratios(a, b, metric, higher_is_better):
    """Per-round speed ratios of provider run a against b (b the JDK's): above 1, a is better."""
    out = []
    for rnd in sorted(set(a) & set(b)):
        x, y = a[rnd][metric], b[rnd][metric]
        if x > 0 and y > 0:
            out.append(x / y if higher_is_better else y / x)
    return out


def noise_band(jdk_ratios):
    """The band of JDK-against-JDK ratios, taken both ways (which of two identical runs is "the JDK" is
    arbitrary): from the lowest of r and 1/r to the highest."""
    if not jdk_ratios:
        return None
    both = [r for x in jdk_ratios for r in (x, 1 / x)]
    return min(both), max(both)


def summarize(rows):
    """Per case: each provider's medians, and for each metric ours / JDK (metric_ratio), ours / baseline
    (metric_vs_baseline, None without a baseline) and the JDK-against-JDK band (metric_noise), all speeds."""
    summary = []
    for case in dict.fromkeys(r["case"] for r in rows):
        runs = {p: per_round(rows, case, p) for p in PROVIDERS + [BASELINE] + LIMITS}
        entry = dict(case=case, rounds=max((r["round"] for r in rows if r["case"] == case), default=0))
        for p, by_round in runs.items():
            if by_round:
                entry[p] = {m: statistics.median(r[m] for r in by_round.values())
                            for m in ("rate", "p99_us", "cpu_us_per_op")}
        for metric, higher in (("rate", True), ("cpu_us_per_op", False), ("p99_us", False)):
            ours = ratios(runs["nativenio"], runs["jdk"], metric, higher)
            before = ratios(runs["nativenio"], runs[BASELINE], metric, higher)
            noise = ratios(runs["jdk-b"], runs["jdk"], metric, higher)
            entry[metric + "_ratio"] = statistics.median(ours) if ours else None
            entry[metric + "_vs_baseline"] = statistics.median(before) if before else None
            entry[metric + "_noise"] = noise_band(noise)
        summary.append(entry)
    return summary


def fmt(x, digits=0):
    if not isinstance(x, (int, float)) or x != x:  # None, or JMH's "NaN" of a too short run
        return "n/a"
    return "{:,.{d}f}".format(x, d=digits).replace(",", " ")


def band(noise):
    return "n/a" if noise is None else "%.2f to %.2f" % noise


def render_markdown(a, command, machine, summary, jmh, failures):
    lines = []
    if a.label:
        lines += ["**%s**" % a.label, ""]
    lines += ["Command: `%s`  " % command,
              "Machine: %s  " % machine,
              "Measured: %s (`-Dnativenio.backend=%s`, checked in every run).  " % (subject(a), a.backend),
              "Each run: %d s warm-up, %d s measured; %d rounds, providers in rotating order; server on CPU %s, "
              "load on CPU %s (taskset)." % (a.warmup, a.seconds, a.rounds, a.server_cpu, a.client_cpu), ""]
    note = RATIO_NOTE
    if a.baseline:
        note += (" Ours / baseline: nativenio of this checkout against the baseline jar (%s), a speed the same way, "
                 "beside the same JDK-against-JDK band." % os.path.basename(a.baseline))
    echo = [s for s in summary if CASES[s["case"]][0] == "echo"]
    http = [s for s in summary if CASES[s["case"]][0] == "http"]
    if echo:
        limits = {C_LOOPS[loop][2]: next((e[loop] for e in echo if loop in e), {}) for loop in a.c_loops}
        limits.update((NETTY_NATIVE[n][1], e[n]) for e in echo for n in NETTY_NATIVE if n in e)
        lines += ["### Echo: %d connections x %d messages in flight x %d B" % (CONNECTIONS, DEPTH, SIZE), "",
                  note + " The C columns are bench/c/echo.c (server and client in C on epoll) and "
                  "bench/c/echo_uring.c (the same on io_uring: multishot receive into provided buffers; built with "
                  "-DSEND_BY_WRITE, every send a write(2) made at once, as a java.nio program would), the same "
                  "in every row; the Netty columns, when measured, are the Netty echo server on Netty's own epoll "
                  "and io_uring transports (its load on the JDK's provider).", ""]
        # The limits have a column in every row; they get a row of their own only when they ran alone.
        lines += process_table(a, [e for e in echo if not any(limit in e for limit in LIMITS)] or echo,
                               "messages/s", limits)
    if http:
        lines += ["### HTTP under wrk: %d connections, one wrk thread, `Hello, World!`" % CONNECTIONS, "",
                  note, ""]
        lines += process_table(a, http, "requests/s", None)
    if jmh:
        lines += jmh_table(a, jmh)
    if failures:
        lines += ["### Failed runs", ""] + ["- " + f for f in failures] + [""]
    return "\n".join(lines) + "\n"


def process_table(a, entries, unit, limits):
    """One row per case; limits maps each C loop's column name to its medians for the echo table, None for HTTP."""
    ours = ours_name(a)
    runs_of = ["jdk", "nativenio"] + ([BASELINE] if a.baseline else [])
    limits = limits or {}
    names = ["JDK", "ours"] + (["baseline"] if a.baseline else []) + list(limits)
    head = ["case", "JDK " + unit, ours + " " + unit] + (["baseline " + unit] if a.baseline else []) \
        + [name + " " + unit for name in limits]
    head += ["speed ours/JDK"] + (["speed ours/baseline"] if a.baseline else []) + ["noise JDK/JDK"]
    head += ["p99 us " + " / ".join(names), "server CPU us/op " + " / ".join(names), "CPU ratio JDK/ours"]
    head += (["CPU ratio baseline/ours"] if a.baseline else []) + ["noise"]
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for e in entries:
        runs = [e.get(p, {}) for p in runs_of] + list(limits.values())
        cells = ["%s (%s)" % (e["case"], CASES[e["case"]][2])] + [fmt(r.get("rate")) for r in runs]
        cells += ["**%s**" % fmt(e["rate_ratio"], 2)]
        cells += ["**%s**" % fmt(e["rate_vs_baseline"], 2)] if a.baseline else []
        cells += [band(e["rate_noise"]), " / ".join(fmt(r.get("p99_us")) for r in runs),
                  " / ".join(fmt(r.get("cpu_us_per_op"), 1) for r in runs), fmt(e["cpu_us_per_op_ratio"], 2)]
        cells += [fmt(e["cpu_us_per_op_vs_baseline"], 2)] if a.baseline else []
        cells += [band(e["cpu_us_per_op_noise"])]
        out.append("| " + " | ".join(cells) + " |")
    return out + [""]


def jmh_speeds(by):
    """One JMH case's speeds from {provider: (ns/op, error, B/op)}: ours / JDK, ours / baseline and the
    JDK-against-JDK band, each None where a provider is missing."""
    j, o, b, base = by.get("jdk"), by.get("nativenio"), by.get("jdk-b"), by.get(BASELINE)
    return (j[0] / o[0] if j and o else None, base[0] / o[0] if base and o else None,
            noise_band([j[0] / b[0]]) if j and b else None)


def jmh_table(a, jmh):
    ours = ours_name(a)
    head = ["benchmark", "params", "JDK ns/op", ours + " ns/op"] + (["baseline ns/op"] if a.baseline else []) \
        + ["speed ours/JDK"] + (["speed ours/baseline"] if a.baseline else []) \
        + ["noise JDK/JDK", "JDK B/op", "nativenio B/op"]
    out = ["### JMH (ns/op, lower is faster; --forks forks per provider (1 by default), in the order %s)"
           % ", ".join(a.providers), "",
           "Speed ours/JDK = JDK ns/op / nativenio ns/op: **above 1 means nativenio is faster**; noise band = "
           "JDK ns/op / jdk-b ns/op, the JDK against itself in the same JMH run, taken both ways (r and 1/r). "
           + ("Speed ours/baseline = baseline ns/op / nativenio ns/op, inside the band: no measurable change. "
              if a.baseline else "") + "Error: JMH's 99.9% interval. B/op from `-prof gc`.", "",
           "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for (name, params), by in sorted(jmh.items()):
        j, o, base = by.get("jdk"), by.get("nativenio"), by.get(BASELINE)
        vs_jdk, vs_base, noise = jmh_speeds(by)
        cells = [name, params or "-", "%s ± %s" % (fmt(j and j[0]), fmt(j and j[1])),
                 "%s ± %s" % (fmt(o and o[0]), fmt(o and o[1]))]
        cells += ["%s ± %s" % (fmt(base and base[0]), fmt(base and base[1]))] if a.baseline else []
        cells += ["**%s**" % fmt(vs_jdk, 2)] + (["**%s**" % fmt(vs_base, 2)] if a.baseline else [])
        cells += [band(noise), fmt(j and j[2]), fmt(o and o[2])]
        out.append("| " + " | ".join(cells) + " |")
    return out + [""]


def write_csv(path, rows):
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, ["case", "provider", "round", "ops", "rate", "p99_us", "cpu_us_per_op"])
        w.writeheader()
        for r in rows:
            w.writerow({k: r[k] for k in w.fieldnames})


def write_summary_csv(path, summary, jmh, backend):
    """One row per case; the baseline columns are empty without a baseline."""
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        limits = [(C_LOOPS[limit][1] if limit in C_LOOPS else limit).replace("-", "_") for limit in LIMITS]
        w.writerow(["case", "params", "backend", "jdk", "nativenio", "baseline"] + limits + [
                    "unit", "speed_ours_vs_jdk", "speed_ours_vs_baseline", "noise_low", "noise_high", "jdk_p99_us",
                    "nativenio_p99_us", "baseline_p99_us", "jdk_cpu_us_per_op", "nativenio_cpu_us_per_op",
                    "baseline_cpu_us_per_op", "cpu_ratio", "cpu_ratio_vs_baseline", "jdk_bytes_per_op",
                    "nativenio_bytes_per_op", "baseline_bytes_per_op"])
        for e in summary:
            j, o, base = e.get("jdk", {}), e.get("nativenio", {}), e.get(BASELINE, {})
            noise = e["rate_noise"] or (None, None)
            w.writerow([e["case"], "", backend, j.get("rate"), o.get("rate"), base.get("rate")]
                       + [e.get(limit, {}).get("rate") for limit in LIMITS] + [
                        "ops/s", e["rate_ratio"], e["rate_vs_baseline"], noise[0], noise[1], j.get("p99_us"),
                        o.get("p99_us"), base.get("p99_us"), j.get("cpu_us_per_op"), o.get("cpu_us_per_op"),
                        base.get("cpu_us_per_op"), e["cpu_us_per_op_ratio"], e["cpu_us_per_op_vs_baseline"],
                        "", "", ""])
        for (name, params), by in sorted((jmh or {}).items()):
            j, o, base = by.get("jdk"), by.get("nativenio"), by.get(BASELINE)
            vs_jdk, vs_base, noise = jmh_speeds(by)
            if vs_jdk is not None:
                noise = noise or (None, None)
                w.writerow([name, params, backend, j[0], o[0], base and base[0]] + [""] * len(LIMITS)
                           + ["ns/op", vs_jdk, vs_base,
                            noise[0], noise[1], "", "", "", "", "", "", "", "", j[2], o[2], base and base[2]])


def chart_bars(summary, jmh):
    """The chart's bars, (label, speed, noise band): ours / JDK of every case, and ours / baseline where a
    baseline ran, each beside the same JDK-against-JDK band."""
    bars = []
    for e in summary:
        if e.get("rate_ratio") is not None:
            bars.append((e["case"] + " (rate)", e["rate_ratio"], e["rate_noise"]))
        if e.get("rate_vs_baseline") is not None:
            bars.append((e["case"] + " (rate) vs baseline", e["rate_vs_baseline"], e["rate_noise"]))
    for (name, params), by in sorted((jmh or {}).items()):
        label = name + (" " + params if params else "")
        vs_jdk, vs_base, noise = jmh_speeds(by)
        if vs_jdk is not None:
            bars.append((label, vs_jdk, noise))
        if vs_base is not None:
            bars.append((label + " vs baseline", vs_base, noise))
    return bars


def chart_png(a, path, summary, jmh, machine):
    """Horizontal bars of the speed ratios, the noise band drawn behind each as a grey span."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("bench: no matplotlib, no chart")
        return False
    bars = chart_bars(summary, jmh)
    if not bars:
        return False
    labels, values, bands = [b[0] for b in bars], [b[1] for b in bars], [b[2] for b in bars]
    fig, ax = plt.subplots(figsize=(10, 0.38 * len(labels) + 1.8))
    ys = list(range(len(labels)))[::-1]
    for y, v, nb in zip(ys, values, bands):
        if nb:
            ax.fill_betweenx([y - 0.4, y + 0.4], nb[0], nb[1], color="0.85", zorder=1)
        # Green or red only outside the noise band; inside it, grey: no measurable difference.
        color = "0.45" if nb and nb[0] <= v <= nb[1] else "tab:green" if v >= 1 else "tab:red"
        ax.barh(y, v - 1, left=1, height=0.5, color=color, zorder=2)
        ax.text(max(v, 1) * 1.02, y, "%.2f" % v, va="center", fontsize=8)
    ax.axvline(1, color="black", linewidth=0.8)
    edges = values + [x for nb in bands if nb for x in nb] + [1]
    ax.set_xscale("log")  # 0.5 and 2 lie as far from 1
    ax.set_xlim(min(edges) / 1.1, max(edges) * 1.2)
    ticks = [t for t in (0.25, 0.33, 0.5, 0.67, 0.8, 1, 1.25, 1.5, 2, 3, 4) if min(edges) / 1.1 <= t <= max(edges) * 1.2]
    ax.set_xticks(ticks)
    ax.set_xticklabels(["%g" % t for t in ticks])
    ax.minorticks_off()
    ax.set_yticks(ys)
    ax.set_yticklabels(labels, fontsize=8)
    versus = "JDK (or baseline: \"vs baseline\")" if a.baseline else "JDK"
    ax.set_xlabel("speed, %s / %s, log scale: above 1, nativenio is faster\n"
                  "light grey: JDK against JDK (the noise band); a dark grey bar lies inside its band"
                  % (ours_name(a), versus), fontsize=9)
    title = "%s vs the JDK's provider%s\n%s" % (ours_name(a), " and the baseline " + os.path.basename(a.baseline)
                                                 if a.baseline else "", machine)
    if a.label:
        title = a.label + "\n" + title
    ax.set_title(title, fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


# ---- profiles ---------------------------------------------------------------------------------------

def profiled_cases(cases):
    """The cases --profile profiles: the Java echo servers among those run, else echo-nio."""
    return [c for c in cases if c in CASES and CASES[c][0] == "echo" and not isinstance(CASES[c][1], str)] \
        or ["echo-nio"]


def profile(a, cases):
    """One async-profiler CPU profile of each Java echo server run (profiled_cases) per provider (its library
    from the jar): the collapsed stacks (text, for any flame-graph tool) and a flame graph drawn from them as SVG."""
    lib = async_profiler_library(a)
    if lib is None:
        print("bench: skipped the profiles: no async-profiler library (see bench/README.md)")
        return
    out_dir = os.path.join(a.out, "profiles")
    os.makedirs(out_dir, exist_ok=True)
    for case, provider in ((c, p) for c in profiled_cases(cases) for p in ["jdk", "nativenio"]
                           + ([BASELINE] if a.baseline else [])):
        scratch = tempfile.mkdtemp(prefix="bench-profile-")
        stacks = os.path.join(out_dir, "%s-%s.collapsed" % (case, provider))
        agent = "-agentpath:%s=start,event=cpu,interval=1ms,ann,file=%s" % (lib, stacks)
        server = None
        try:
            server, port = start_server(a, case, provider, scratch, extra_jvm=[agent])
            echo_load(a, case, provider, server, port, scratch)
        except RunFailed as e:
            print("bench: profile of %s failed: %s" % (provider, e))
        finally:
            if server is not None:
                stop(server)  # the agent writes the stacks at exit
            shutil.rmtree(scratch, ignore_errors=True)
        if os.path.exists(stacks):
            svg = stacks[:-len(".collapsed")] + ".svg"
            subprocess.run([sys.executable, os.path.join(a.bench_dir, "flamegraph.py"), stacks, svg,
                            "%s server on %s: CPU samples" % (case, provider)], check=True)
            print("bench: flame graph %s" % svg)


def async_profiler_library(a):
    arch = {"x86_64": "linux-x64", "aarch64": "linux-arm64"}.get(platform.machine(), "")
    lib = os.path.join(a.bench_dir, "target", "async-profiler", arch, "libasyncProfiler.so")
    return lib if os.path.exists(lib) else None


if __name__ == "__main__":
    main()
