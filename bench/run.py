#!/usr/bin/python3
"""Basalt side by side with Redis: throughput, CPU cost, latency and memory per key.

Starts basalt-server and redis-server on free loopback ports with the same settings (no
persistence), runs the same loads against both, interleaved round by round, and prints one
table of medians with the ratio Basalt/Redis. See bench/README.md for what each figure means.

    /usr/bin/python3 bench/run.py --basalt build/src/basalt-server [--quick] [--json out.json]

Python 3 standard library only; needs Debian's redis-server, redis-benchmark and redis-cli.
"""
import argparse
import hashlib
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from typing import List, Optional

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

from memory_sets import MEMORY_SETS  # noqa: E402
from servers import ReplyError, Server, encode_command  # noqa: E402

PROBE_KEY = "bench:probe"
# EVALSHA load: a short read-modify-write script. The probe's EVAL puts it in the script
# cache (which FLUSHALL keeps), so EVALSHA finds it in every round.
EVAL_SCRIPT = "local n = redis.call('INCR', KEYS[1]) return n"
EVAL_SHA = hashlib.sha1(EVAL_SCRIPT.encode()).hexdigest()
FLOOR_BESIDE_BASALT = "beside-basalt"  # --floor without a path
REFERENCE = "redis"  # every ratio is a server's figure over Redis's
CLIENTS = 50
KEYSPACE = 1000000  # redis-benchmark -r: random keys (and members, scores) over 1M
PIPELINES = (1, 16)


@dataclass
class Load:
    """One redis-benchmark test (-t name) and a command that checks the server supports it.

    cost: roughly how many single-key commands one request is worth; the run gets 1/cost of the
    requests so that every load keeps the servers busy for a similar time.
    args: a command to benchmark instead of a built-in test (redis-benchmark substitutes
    __rand_int__ with -r); prefill: a built-in test run, unmeasured, before each round of the
    load, to give it data to read (ZRANK needs a populated sorted set).
    """
    name: str
    test: str
    probe: List[str]
    cost: int = 1
    args: Optional[List[str]] = None
    prefill: Optional[str] = None


LOADS = [
    Load("PING", "ping_mbulk", ["PING"]),
    Load("SET", "set", ["SET", PROBE_KEY, "xxx"]),
    Load("GET", "get", ["GET", PROBE_KEY]),
    Load("INCR", "incr", ["INCR", PROBE_KEY]),
    Load("LPUSH", "lpush", ["LPUSH", PROBE_KEY, "xxx"]),
    Load("LPOP", "lpop", ["LPOP", PROBE_KEY]),
    Load("SADD", "sadd", ["SADD", PROBE_KEY, "element:1"]),
    Load("HSET", "hset", ["HSET", PROBE_KEY, "element:1", "xxx"]),
    Load("ZADD", "zadd", ["ZADD", PROBE_KEY, "1", "element:1"]),
    # redis-benchmark's zadd test fills "myzset" with element:<rand> members.
    Load("ZRANK", "zrank", ["ZRANK", PROBE_KEY, "element:1"],
         args=["ZRANK", "myzset", "element:__rand_int__"], prefill="zadd"),
    Load("ZRANGE", "zrange", ["ZRANGE", PROBE_KEY, "0", "9"],
         args=["ZRANGE", "myzset", "0", "9", "WITHSCORES"], prefill="zadd", cost=2),
    # Keys of its own: the SET load's "key:<rand>" hold "xxx", which INCR refuses.
    Load("EVALSHA", "evalsha", ["EVAL", EVAL_SCRIPT, "1", PROBE_KEY],
         args=["EVALSHA", EVAL_SHA, "1", "counter:script:__rand_int__"]),
    Load("MSET", "mset", ["MSET"] + [f"{PROBE_KEY}:{i}" for i in range(20)], cost=5),  # 10 pairs
    # Entries of 3 small fields with auto IDs appended to one stream, as a job queue's producers.
    Load("XADD", "xadd", ["XADD", PROBE_KEY, "*", "f", "v"],
         args=["XADD", "jobs", "*", "name", "job", "attempt", "1",
               "payload", "__rand_int__"]),
]

# Sizes per mode. Quick must finish in under 2 minutes even when Basalt supports every load.
MODES = {
    "full": {"rounds": 3, "requests": 100000, "requests_pipelined": 500000,
             "memory_keys": 1000000},
    "quick": {"rounds": 1, "requests": 20000, "requests_pipelined": 100000,
              "memory_keys": 100000},
}


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# redis-benchmark

def parse_benchmark_output(text):
    """Throughput and latencies from redis-benchmark's full (non --csv) report.

    The report holds the same summary as --csv (rps, avg/min/p50/p95/p99/max) plus the HDR
    histogram's percentile distribution, which is where p99.9 comes from: the first reported
    point whose cumulative count reaches 99.9% of the requests. The histogram reports points
    at fixed percentile steps (…, 99.805%, 99.902%, …), so the figure is an upper bound on
    p99.9 that is at most one step (~0.1 percentile) above it.
    Returns None when the report is incomplete.
    """
    text = text.replace("\r", "\n")
    rps = re.search(r"throughput summary:\s*([\d.]+) requests per second", text)
    summary = re.search(r"latency summary \(msec\):\s*\n\s*avg\s+min\s+p50\s+p95\s+p99\s+max\s*\n"
                        r"\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)", text)
    if not rps or not summary:
        return None
    avg, lo, p50, p95, p99, hi = (float(x) for x in summary.groups())
    result = {"rps": float(rps.group(1)), "avg_ms": avg, "min_ms": lo, "p50_ms": p50,
              "p95_ms": p95, "p99_ms": p99, "max_ms": hi, "p999_ms": None}
    start = text.find("Latency by percentile distribution:")
    end = text.find("Cumulative distribution of latencies:")
    if start >= 0:
        section = text[start:end if end > start else len(text)]
        points = [(float(ms), int(count)) for _, ms, count in re.findall(
            r"^\s*([\d.]+)% <= ([\d.]+) milliseconds \(cumulative count (\d+)\)", section, re.M)]
        if points:
            total = points[-1][1]
            threshold = math.ceil(total * 0.999)
            result["p999_ms"] = next(ms for ms, count in points if count >= threshold)
    return result


def run_benchmark(tools, server, load, pipeline, requests):
    """One redis-benchmark run against one server, with the server's CPU time over it."""
    cmd = [tools["redis_benchmark"], "-h", "127.0.0.1", "-p", str(server.port),
           "-c", str(CLIENTS), "-n", str(requests), "-P", str(pipeline), "-r", str(KEYSPACE)]
    cmd += ["-t", load.test] if load.args is None else load.args
    cpu_before = server.cpu_seconds()
    started = time.monotonic()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True,
                              timeout=120 + requests / 1000)
    except subprocess.TimeoutExpired:
        return {"error": "redis-benchmark timed out"}
    wall = time.monotonic() - started
    cpu = server.cpu_seconds() - cpu_before
    output = proc.stdout + proc.stderr
    error = re.search(r"Error from server: (.*)", output)
    if error:
        return {"error": error.group(1).strip()}
    if proc.returncode != 0:
        return {"error": f"redis-benchmark exited with {proc.returncode}: {output[-300:]}"}
    parsed = parse_benchmark_output(output)
    if parsed is None:
        return {"error": "could not parse redis-benchmark output"}
    parsed.update({"requests": requests, "wall_s": round(wall, 3), "server_cpu_s": round(cpu, 3),
                   "ops_per_cpu_s": requests / cpu if cpu > 0 else None})
    return parsed


def prefill(tools, server, test, requests):
    """Runs a built-in redis-benchmark test unmeasured, to give a read load its data."""
    subprocess.run([tools["redis_benchmark"], "-h", "127.0.0.1", "-p", str(server.port),
                    "-c", str(CLIENTS), "-n", str(requests), "-P", "16", "-r", str(KEYSPACE),
                    "-t", test, "-q"], capture_output=True, timeout=120 + requests / 1000)


def probe(server, args):
    """None if the server accepts the command, else its error text. Leaves no key behind."""
    server.call("DEL", PROBE_KEY, *[f"{PROBE_KEY}:{i}" for i in range(20)])
    reply = server.call(*args)
    server.call("DEL", PROBE_KEY, *[f"{PROBE_KEY}:{i}" for i in range(20)])
    return reply.message if isinstance(reply, ReplyError) else None


def median_of(rounds, field):
    values = [r[field] for r in rounds if r.get(field) is not None]
    return statistics.median(values) if values else None


def run_throughput(tools, servers, loads, settings):
    """Every load on every server, round after round; which server goes first alternates."""
    results = {}
    for load in loads:
        for pipeline in PIPELINES:
            results[(load.name, pipeline)] = {s.name: {"rounds": []} for s in servers}
    for server in servers:
        for load in loads:
            error = probe(server, load.probe)
            if error is not None:
                log(f"  {server.name}: {load.name} answers an error, reported as error: {error}")
                for pipeline in PIPELINES:
                    results[(load.name, pipeline)][server.name]["error"] = error
    for rnd in range(settings["rounds"]):
        order = servers if rnd % 2 == 0 else list(reversed(servers))
        for server in servers:
            server.call("FLUSHALL")
        for load in loads:
            if load.prefill:
                for server in servers:
                    prefill(tools, server, load.prefill, settings["requests_pipelined"])
            for pipeline in PIPELINES:
                requests = settings["requests"] if pipeline == 1 else settings["requests_pipelined"]
                requests = max(1, requests // load.cost)
                entry = results[(load.name, pipeline)]
                for server in order:
                    slot = entry[server.name]
                    if "error" in slot:
                        continue
                    run = run_benchmark(tools, server, load, pipeline, requests)
                    if "error" in run:
                        log(f"  {server.name}: {load.name} -P {pipeline}: {run['error']}")
                        slot["error"] = run["error"]
                        continue
                    slot["rounds"].append(run)
                    ops = run["ops_per_cpu_s"]
                    log(f"  round {rnd + 1}/{settings['rounds']} {load.name:5} -P {pipeline:<2} "
                        f"{server.name:6} {run['rps']:>11,.0f} rps  "
                        f"{(f'{ops:,.0f}' if ops else 'n/a'):>11} ops/cpu-s  "
                        f"p99 {run['p99_ms']:.3f} ms")
    for entry in results.values():
        for slot in entry.values():
            if "error" in slot:
                continue
            slot["median"] = {field: median_of(slot["rounds"], field) for field in
                              ("rps", "ops_per_cpu_s", "p50_ms", "p99_ms", "p999_ms",
                               "avg_ms", "server_cpu_s")}
    return results


# ---------------------------------------------------------------------------------------------
# Memory

def write_resp(path, commands):
    with open(path, "wb") as f:
        batch = []
        for args in commands:
            batch.append(encode_command(args))
            if len(batch) >= 10000:
                f.write(b"".join(batch))
                batch.clear()
        f.write(b"".join(batch))


def load_memory_set(tools, server, resp_path, keys, per_key):
    """Loads the RESP file into an empty server; returns the figures or an error."""
    rss_before, used_before = server.rss_bytes(), server.used_memory()
    with open(resp_path, "rb") as f:
        proc = subprocess.run([tools["redis_cli"], "-h", "127.0.0.1", "-p", str(server.port),
                               "--pipe"], stdin=f, capture_output=True, text=True, timeout=600)
    output = proc.stdout + proc.stderr
    errors = re.search(r"errors:\s*(\d+),\s*replies:\s*(\d+)", output)
    if proc.returncode != 0 or not errors or int(errors.group(1)) != 0:
        return {"error": f"redis-cli --pipe: {output.strip()[-300:]}"}
    dbsize = server.call("DBSIZE")
    if dbsize != keys:
        return {"error": f"DBSIZE is {dbsize} after loading {keys} keys"}
    rss_after, used_after = server.rss_bytes(), server.used_memory()
    result = {"keys": keys, "rss_before": rss_before, "rss_after": rss_after,
              "elements_per_key": per_key,
              "rss_per_key": (rss_after - rss_before) / keys,
              "rss_per_element": (rss_after - rss_before) / (keys * per_key),
              "used_memory_before": used_before, "used_memory_after": used_after,
              "used_memory_per_key": None, "used_memory_per_element": None}
    if used_before is not None and used_after is not None:
        result["used_memory_per_key"] = (used_after - used_before) / keys
        result["used_memory_per_element"] = (used_after - used_before) / (keys * per_key)
    return result


def run_memory(tools, binaries, workdir, sets, elements):
    """Each set goes into a freshly started server, so no allocator history blurs RSS."""
    results = {}
    for mset in sets:
        keys, per_key = mset.layout(elements)
        resp_path = os.path.join(workdir, f"{mset.name.replace('+', '_')}.resp")
        write_resp(resp_path, mset.commands(keys, per_key))
        results[mset.name] = {}
        for name, binary in binaries:
            server = Server(name, binary, workdir)
            server.start()
            try:
                error = probe(server, mset.probe)
                if error is not None:
                    result = {"error": error}
                else:
                    result = load_memory_set(tools, server, resp_path, keys, per_key)
            finally:
                server.stop()
            results[mset.name][name] = result
            if "error" in result:
                log(f"  memory {mset.name}: {name}: error: {result['error']}")
            else:
                used = result["used_memory_per_key"]
                log(f"  memory {mset.name:12} {name:6} RSS {result['rss_per_key']:9.1f} B/key  "
                    f"used_memory {(f'{used:.1f}' if used is not None else 'n/a'):>9} B/key  "
                    f"({keys:,} keys x {per_key:,} elements)")
        os.remove(resp_path)
    return results


# ---------------------------------------------------------------------------------------------
# Report

def paired_ratio(entry, names, field):
    """The median over rounds of one round's ratio: each round ran the load on both servers back
    to back, so a slow spell of the machine moves both figures of a round together and the
    round's ratio less than either figure."""
    rounds = [entry[name].get("rounds", []) for name in names]
    ratios = [ratio(a.get(field), b.get(field)) for a, b in zip(*rounds)]
    ratios = [r for r in ratios if r is not None]
    return statistics.median(ratios) if ratios and len(ratios) == len(rounds[0]) else None


def table_rows(throughput, memory, loads, sets, names):
    """(load, unit format, {server: value, 'error' or None}, {server: paired ratio against
    Redis or None}) for every figure, in table order. A server that a figure was not measured
    on (the floor server has no memory sets) is absent from its values."""
    rows = []
    figures = [("rps", "rps", "{:,.0f}"), ("ops/cpu-s", "ops_per_cpu_s", "{:,.0f}"),
               ("p50 ms", "p50_ms", "{:.3f}"), ("p99 ms", "p99_ms", "{:.3f}"),
               ("p99.9 ms", "p999_ms", "{:.3f}")]
    for load in loads:
        for pipeline in PIPELINES:
            entry = throughput.get((load.name, pipeline))
            if entry is None:
                continue
            for label, field, fmt in figures:
                values = {}
                for name in names:
                    slot = entry[name]
                    values[name] = "error" if "error" in slot else slot["median"][field]
                paired = {name: None if "error" in (values[name], values[REFERENCE]) else
                          paired_ratio(entry, [name, REFERENCE], field)
                          for name in names if name != REFERENCE}
                rows.append((f"{load.name} -P{pipeline} {label}", fmt, values, paired))
    for mset in sets:
        entry = memory.get(mset.name)
        if entry is None:
            continue
        figures = [("RSS B/key", "rss_per_key"), ("used_memory B/key", "used_memory_per_key")]
        if mset.layout(10)[1] > 1:  # collections: the cost of one element tells more
            figures += [("RSS B/elem", "rss_per_element"),
                        ("used_memory B/elem", "used_memory_per_element")]
        for label, field in figures:
            values = {name: "error" if "error" in entry[name] else entry[name][field]
                      for name in names if name in entry}
            rows.append((f"mem {mset.name} {label}", "{:,.1f}", values, {}))
    return rows


def table_entry(label, values, paired):
    """One table row for the JSON: each server's value; `ratio` and `paired_ratio` are Basalt's
    against Redis, `<server>_ratio` and `<server>_paired_ratio` those of a further server."""
    entry = {"load": label, **values}
    for name in values:
        if name == REFERENCE:
            continue
        prefix = "" if name == "basalt" else f"{name}_"
        entry[f"{prefix}ratio"] = ratio(values[name], values[REFERENCE])
        entry[f"{prefix}paired_ratio"] = paired.get(name)
    return entry


def format_value(value, fmt):
    if value == "error":
        return "error"
    if value is None:
        return "n/a"
    return fmt.format(value)


def ratio(a, b):
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and b:
        return a / b
    return None


def render_table(rows, names):
    """Basalt and Redis with their ratio, then each further server (the floor) with its ratio to
    Redis. A figure not measured on a server (the floor's memory) is left blank."""
    others = [name for name in names if name != REFERENCE]
    header = ["load", others[0], REFERENCE, f"{others[0]}/{REFERENCE}", "paired"]
    for name in others[1:]:
        header += [name, f"{name}/{REFERENCE}", "paired"]
    lines = []
    for label, fmt, values, paired in rows:
        line = [label]
        for i, name in enumerate(others):
            measured = name in values
            r = ratio(values.get(name), values[REFERENCE])
            cells = [format_value(values.get(name), fmt) if measured else "",
                     (f"{r:.2f}" if r is not None else "n/a") if measured else "",
                     f"{paired[name]:.2f}" if paired.get(name) is not None else ""]
            if i == 0:
                cells.insert(1, format_value(values[REFERENCE], fmt))
            line += cells
        lines.append(tuple(line))
    widths = [max(len(row[i]) for row in [header] + lines) for i in range(len(header))]
    out = ["  ".join([header[0].ljust(widths[0])] + [h.rjust(w) for h, w in
                                                     zip(header[1:], widths[1:])])]
    out.append("  ".join("-" * w for w in widths))
    previous = None
    for line in lines:
        group = line[0].split(" ")[0:2]
        if previous is not None and group != previous:
            out.append("")
        previous = group
        out.append("  ".join([line[0].ljust(widths[0])] + [c.rjust(w) for c, w in
                                                           zip(line[1:], widths[1:])]))
    return "\n".join(out)


def tool_version(path):
    try:
        return subprocess.run([path, "--version"], capture_output=True, text=True,
                              timeout=10).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"


def loadavg():
    with open("/proc/loadavg") as f:
        return f.read().split()[:3]


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--basalt", default=os.path.join(ROOT, "build", "src", "basalt-server"),
                   help="basalt-server binary (default: build/src/basalt-server)")
    p.add_argument("--redis", default="/usr/bin/redis-server", help="redis-server binary")
    p.add_argument("--floor", nargs="?", metavar="PATH", const=FLOOR_BESIDE_BASALT,
                   help="also run the loads on the floor server, which does no work per request: "
                        "the best ops/cpu-s any server reaches here (default PATH: "
                        "bench/floor-server in the build directory of --basalt)")
    p.add_argument("--redis-benchmark", default="/usr/bin/redis-benchmark")
    p.add_argument("--redis-cli", default="/usr/bin/redis-cli")
    p.add_argument("--quick", action="store_true",
                   help="fewer requests and keys, one round: a smoke run under 2 minutes")
    p.add_argument("--rounds", type=int, help="rounds per load (default 3; --quick: 1)")
    p.add_argument("--requests", type=int, help="requests per -P 1 run")
    p.add_argument("--requests-pipelined", type=int, help="requests per -P 16 run")
    p.add_argument("--keys", type=int, help="elements per memory set (default 1000000): keys x elements per key")
    p.add_argument("--commands", help="comma-separated subset of: "
                   + ",".join(load.name for load in LOADS))
    p.add_argument("--sets", help="comma-separated subset of the memory sets: "
                   + ",".join(mset.name for mset in MEMORY_SETS))
    p.add_argument("--skip-throughput", action="store_true", help="memory sets only")
    p.add_argument("--skip-memory", action="store_true", help="throughput and latency only")
    p.add_argument("--json", metavar="PATH", help="also write every figure and round as JSON")
    args = p.parse_args()
    settings = dict(MODES["quick" if args.quick else "full"])
    for key in ("rounds", "requests", "requests_pipelined"):
        if getattr(args, key) is not None:
            settings[key] = getattr(args, key)
    if args.keys is not None:
        settings["memory_keys"] = args.keys
    if min(settings["rounds"], settings["requests"], settings["requests_pipelined"],
           settings["memory_keys"]) < 1:
        p.error("--rounds, --requests, --requests-pipelined and --keys must be positive")
    def subset(arg, items, normalize, what):
        """The items named in a comma-separated option (all of them when it is absent)."""
        if not arg:
            return items
        wanted = [normalize(c.strip()) for c in arg.split(",") if c.strip()]
        unknown = sorted(set(wanted) - {item.name for item in items})
        if unknown:
            p.error(f"unknown {what}: {', '.join(unknown)}")
        return [item for item in items if item.name in wanted]

    loads = subset(args.commands, LOADS, str.upper, "command(s)")
    args.memory_sets = subset(args.sets, MEMORY_SETS, str.lower, "memory set(s)")
    if args.floor == FLOOR_BESIDE_BASALT:  # <build>/src/basalt-server -> <build>/bench/
        build_dir = os.path.dirname(os.path.dirname(os.path.abspath(args.basalt)))
        args.floor = os.path.join(build_dir, "bench", "floor-server")
    for path in (args.basalt, args.redis, args.redis_benchmark, args.redis_cli,
                 *([args.floor] if args.floor else [])):
        if not (os.path.isfile(path) and os.access(path, os.X_OK)):
            p.error(f"not an executable: {path}")
    return args, settings, loads


def main():
    args, settings, loads = parse_args()
    started = time.monotonic()
    tools = {"redis_benchmark": args.redis_benchmark, "redis_cli": args.redis_cli}
    binaries = [("basalt", os.path.abspath(args.basalt)), ("redis", os.path.abspath(args.redis))]
    sets = [] if args.skip_memory else args.memory_sets
    if args.skip_throughput:
        loads = []
    # The floor server answers without doing anything: it has a throughput figure, no memory.
    throughput_binaries = binaries + ([("floor", os.path.abspath(args.floor))]
                                      if args.floor and loads else [])
    names = [name for name, _ in throughput_binaries]
    meta = {
        "mode": "quick" if args.quick else "full", "settings": settings, "clients": CLIENTS,
        "keyspace": KEYSPACE, "pipelines": list(PIPELINES),
        "server_args": "--bind 127.0.0.1 --save '' --appendonly no --daemonize no",
        "basalt": {"path": binaries[0][1], "version": tool_version(binaries[0][1])},
        "redis": {"path": binaries[1][1], "version": tool_version(binaries[1][1])},
        "floor": {"path": throughput_binaries[2][1]} if len(throughput_binaries) > 2 else None,
        "redis_benchmark": tool_version(args.redis_benchmark),
        "host": platform.node(), "cpus": os.cpu_count(), "kernel": platform.release(),
        "loadavg_start": loadavg(),
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    log(f"bench: {meta['mode']} mode, {settings['rounds']} round(s), "
        f"{settings['requests']:,} requests at -P 1, {settings['requests_pipelined']:,} at -P 16, "
        f"{settings['memory_keys']:,} elements per memory set; "
        f"load average {' '.join(meta['loadavg_start'])}")

    workdir = tempfile.mkdtemp(prefix="basalt-bench-")
    throughput, memory = {}, {}
    try:
        if loads:
            servers = [Server(name, binary, workdir) for name, binary in throughput_binaries]
            try:
                for server in servers:
                    server.start()
                log("throughput: " + ", ".join(f"{s.name} on port {s.port}" for s in servers))
                throughput = run_throughput(tools, servers, loads, settings)
            finally:
                for server in servers:
                    server.stop()
        if sets:
            log("memory:")
            memory = run_memory(tools, binaries, workdir, sets, settings["memory_keys"])
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    meta["loadavg_end"] = loadavg()
    meta["elapsed_s"] = round(time.monotonic() - started, 1)
    rows = table_rows(throughput, memory, loads, sets, names)
    print(f"\n{' and '.join(n.capitalize() for n in names if n != REFERENCE)} vs Redis, median of {settings['rounds']} round(s); "
          f"{CLIENTS} clients, -r {KEYSPACE}; load average {' '.join(meta['loadavg_start'])} -> "
          f"{' '.join(meta['loadavg_end'])}")
    print("higher is better: rps, ops/cpu-s.  lower is better: ms, B/key.  "
          "p99.9 is an upper bound from redis-benchmark's HDR percentile steps.\n")
    print(render_table(rows, names))
    print(f"\n(elapsed {meta['elapsed_s']:.0f} s)", flush=True)

    if args.json:
        document = {
            "meta": meta,
            "throughput": [
                {"command": name, "pipeline": pipeline, "servers": entry}
                for (name, pipeline), entry in throughput.items()],
            "memory": [{"set": mset.name, "title": mset.title,
                        "elements": settings["memory_keys"], "servers": memory[mset.name]}
                       for mset in sets],
            "table": [table_entry(label, values, paired) for label, _, values, paired in rows],
        }
        with open(args.json, "w") as f:
            json.dump(document, f, indent=1)
        log(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except RuntimeError as e:  # a server that would not start: its log tail is in the message
        log(f"bench: {e}")
        sys.exit(1)
