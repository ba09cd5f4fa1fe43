#!/usr/bin/python3
"""User-space instructions per request, Basalt beside Redis, counted by callgrind.

Instruction counts do not depend on what else the machine runs, so they show a hot-path
change on a noisy 2-core machine where throughput and CPU time swing by tens of percent.
They leave out the kernel (at -P 1 most of a request's CPU) and cache-miss stalls, which
run.py's ops per CPU-second include: use both.

Each server runs under `valgrind --tool=callgrind`; the keyspace is prefilled, the counters
are zeroed, redis-benchmark runs the load, and the dump's total instructions are divided by
the requests.

    /usr/bin/python3 bench/callgrind.py --basalt build/src/basalt-server \\
        [--commands get,set,incr] [--pipeline 16] [--requests 50000] [--keys 100000]

Needs valgrind (callgrind_control) and Debian's redis-server, redis-benchmark, redis-cli.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from servers import free_port  # noqa: E402


def wait_ready(port, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        r = subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True, text=True)
        if r.stdout.strip() == "PONG":
            return
        time.sleep(0.3)
    raise RuntimeError(f"server on port {port} did not start under valgrind")


def total_instructions(path):
    """The Ir total of a callgrind dump ("summary:" or "totals:" line)."""
    with open(path) as f:
        for line in f:
            m = re.match(r"(summary|totals):\s+(\d+)", line)
            if m:
                return int(m.group(2))
    raise RuntimeError(f"no totals in {path}")


def instructions_per_request(binary, test, pipeline, requests, keys, workdir):
    port = free_port()
    out = os.path.join(workdir, f"cg.{os.path.basename(binary)}.{test}.{pipeline}")
    proc = subprocess.Popen(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", binary,
         "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_ready(port)
        bench = ["redis-benchmark", "-p", str(port), "-r", str(keys), "-q"]
        # Prefill (unmeasured) so that reads hit, then count only the measured load.
        subprocess.run(bench + ["-t", "set", "-n", str(keys), "-P", "32"],
                       capture_output=True, check=True)
        subprocess.run(["callgrind_control", "-z", str(proc.pid)], capture_output=True)
        subprocess.run(bench + ["-t", test, "-n", str(requests), "-P", str(pipeline),
                                "-c", "50"], capture_output=True, check=True)
        subprocess.run(["callgrind_control", "-d", str(proc.pid)], capture_output=True)
        time.sleep(0.5)
    finally:
        subprocess.run(["redis-cli", "-p", str(port), "shutdown", "nosave"],
                       capture_output=True)
        proc.wait(timeout=120)
    dumps = sorted(p for p in os.listdir(workdir)
                   if p.startswith(os.path.basename(out)) and p != os.path.basename(out))
    if not dumps:
        raise RuntimeError(f"callgrind wrote no dump for {binary} {test}")
    return total_instructions(os.path.join(workdir, dumps[0])) / requests


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--basalt", default=os.path.join(os.path.dirname(HERE), "build", "src",
                                                     "basalt-server"))
    ap.add_argument("--redis", default="/usr/bin/redis-server")
    ap.add_argument("--commands", default="get,set,incr",
                    help="redis-benchmark -t tests, comma-separated")
    ap.add_argument("--pipeline", type=int, action="append",
                    help="pipeline depth (repeatable; default 1 and 16)")
    ap.add_argument("--requests", type=int, default=50000)
    ap.add_argument("--keys", type=int, default=100000)
    args = ap.parse_args()
    pipelines = args.pipeline or [1, 16]
    print(f"{'command':<10} {'-P':>3} {'basalt Ir/req':>14} {'redis Ir/req':>13} {'ratio':>6}")
    with tempfile.TemporaryDirectory() as workdir:
        for test in args.commands.split(","):
            for p in pipelines:
                b = instructions_per_request(args.basalt, test, p, args.requests, args.keys,
                                             workdir)
                r = instructions_per_request(args.redis, test, p, args.requests, args.keys,
                                             workdir)
                print(f"{test:<10} {p:>3} {b:>14.0f} {r:>13.0f} {b / r:>6.2f}", flush=True)


if __name__ == "__main__":
    main()
