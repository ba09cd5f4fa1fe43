"""The per-command cost of maxmemory-clients: SETs per server CPU-second with the limit unset
and set (high enough that no client is evicted), for one or more server binaries.

With the limit set, every command checks whether the connections' memory is over it (Redis's
client eviction in processCommand); this shows what that check costs with many clients.
For each binary and setting: one redis-benchmark run (-t set -c CLIENTS -P PIPELINE),
reported as requests per second and as requests per CPU-second of the server (utime+stime
from /proc/PID/stat around the run), the steadier figure on a shared machine.

    /usr/bin/python3 bench/client_eviction.py --server basalt=build/src/basalt-server
        [--server redis=/usr/bin/redis-server] [--requests 2000000] [--clients 200]
        [--pipeline 16] [--rounds 3] [--limit 1gb]

Progress goes to stderr, the table to stdout. Nothing here asserts anything about speed.
"""
import argparse
import csv
import io
import os
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servers import Server  # noqa: E402


def run_once(server, args):
    cmd = ["redis-benchmark", "-p", str(server.port), "-t", "set", "-n", str(args.requests),
           "-c", str(args.clients), "-P", str(args.pipeline), "-r", "100000", "--csv", "-q"]
    cpu0 = server.cpu_seconds()
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=900, check=True).stdout
    cpu = server.cpu_seconds() - cpu0
    rows = list(csv.reader(io.StringIO(out)))
    rps = float(dict(zip(rows[0], rows[1]))["rps"])
    return rps, args.requests / cpu


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", action="append", required=True, help="name=binary")
    ap.add_argument("--requests", type=int, default=2_000_000)
    ap.add_argument("--clients", type=int, default=200)
    ap.add_argument("--pipeline", type=int, default=16)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--limit", default="1gb", help="maxmemory-clients when set")
    args = ap.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as work:
        for spec in args.server:
            name, binary = spec.split("=", 1)
            s = Server(name, binary, work)
            s.start()
            try:
                for setting in ("0", args.limit):
                    s.call("CONFIG", "SET", "maxmemory-clients", setting)
                    runs = []
                    for r in range(args.rounds):
                        runs.append(run_once(s, args))
                        print(f"{name} maxmemory-clients={setting} round {r}: "
                              f"{runs[-1][0]:.0f} rps, {runs[-1][1]:.0f} req/CPU-s",
                              file=sys.stderr, flush=True)
                    results[(name, setting)] = (statistics.median(x[0] for x in runs),
                                                statistics.median(x[1] for x in runs))
            finally:
                s.stop()
    print(f"| server | maxmemory-clients | SET/s | SET per server CPU-s |")
    print("|---|---|---|---|")
    for (name, setting), (rps, per_cpu) in results.items():
        print(f"| {name} | {setting} | {rps:,.0f} | {per_cpu:,.0f} |")


if __name__ == "__main__":
    main()
