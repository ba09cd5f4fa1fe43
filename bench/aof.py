"""AOF benchmark: basalt-server side by side with redis-server.

For each server and each appendfsync policy (always, everysec, no): the SET throughput that
redis-benchmark reaches (50 clients, unpipelined, random keys), with the AOF on. Then, with
N keys written through the AOF (`redis-cli --pipe`): BGREWRITEAOF's duration, the AOF's
size before and after it, and the time a restart takes to load it (the server's own "DB
loaded from append only file" line).

Usage: /usr/bin/python3 bench/aof.py --basalt build/src/basalt-server [--redis
/usr/bin/redis-server] [--requests N] [--keys N]
"""
import argparse
import re
import subprocess
import tempfile
import time

from servers import Server


def set_rps(port, requests):
    out = subprocess.run(["redis-benchmark", "-p", str(port), "-c", "50", "-n", str(requests),
                          "-r", "1000000", "-t", "set", "--csv"],
                         capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        if line.startswith('"SET"'):
            return float(line.split(",")[1].strip('"'))
    raise RuntimeError(out)


def info(server, field):
    text = server.client.call("INFO", "persistence")
    text = text.decode() if isinstance(text, bytes) else text
    return int(re.search(rf"^{field}:(\d+)", text, re.M).group(1))


def write_keys(port, n):
    data = b"".join(b"*3\r\n$3\r\nSET\r\n$16\r\nkey:%012d\r\n$16\r\nval:%012d\r\n" % (i, i)
                    for i in range(n))
    subprocess.run(["redis-cli", "-p", str(port), "--pipe"], input=data, check=True,
                   capture_output=True)


def measure(name, binary, workdir, requests, keys):
    out = {}
    for policy in ("always", "everysec", "no"):
        s = Server(f"{name}-{policy}", binary, workdir)
        s.start(args=["--appendonly", "yes", "--appendfsync", policy])
        try:
            out[f"SET rps ({policy})"] = round(set_rps(s.port, requests))
        finally:
            s.stop()
    s = Server(f"{name}-rewrite", binary, workdir)
    s.start(args=["--appendonly", "yes", "--auto-aof-rewrite-percentage", "0"])
    try:
        write_keys(s.port, keys)
        # The same keys written again: the rewrite halves the AOF.
        write_keys(s.port, keys)
        out["AOF bytes before"] = info(s, "aof_current_size")
        start = time.monotonic()
        s.client.call("BGREWRITEAOF")
        while info(s, "aof_rewrite_in_progress") or info(s, "aof_rewrite_scheduled"):
            time.sleep(0.01)
        out["BGREWRITEAOF s"] = round(time.monotonic() - start, 2)
        out["AOF bytes after"] = info(s, "aof_current_size")
    finally:
        s.stop()
    s.start(args=["--appendonly", "yes", "--auto-aof-rewrite-percentage", "0"])
    try:
        while True:
            with open(s.log_path, errors="replace") as f:
                m = re.findall(r"DB loaded from append only file: ([\d.]+) seconds", f.read())
            if m:
                out["load s"] = float(m[-1])
                break
            time.sleep(0.05)
    finally:
        s.stop()
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--basalt", required=True)
    ap.add_argument("--redis", default="/usr/bin/redis-server")
    ap.add_argument("--requests", type=int, default=100000)
    ap.add_argument("--keys", type=int, default=1000000)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        results = {"redis": measure("redis", a.redis, workdir, a.requests, a.keys),
                   "basalt": measure("basalt", a.basalt, workdir, a.requests, a.keys)}
    print(f"{'metric':<22}{'redis':>16}{'basalt':>16}")
    for metric in results["redis"]:
        print(f"{metric:<22}{results['redis'][metric]:>16}{results['basalt'][metric]:>16}")


if __name__ == "__main__":
    main()
