"""PUBLISH fan-out: messages per second delivered to N subscribers, Basalt and Redis side by
side in one run.

For each server (started with the same arguments, as run.py does): a reader process opens
--subscribers connections, SUBSCRIBEs each to one channel and then reads all of them through
epoll, counting bytes; redis-benchmark then sends --messages PUBLISHes (pipelined, -P
--pipeline) to that channel. The figure is deliveries (messages x subscribers) divided by
the time from the first PUBLISH to the last byte received by the last subscriber. Output
buffer limits are lifted (pubsub 0 0 0) so no subscriber is dropped when readers lag.

    /usr/bin/python3 bench/pubsub_fanout.py [--basalt build/src/basalt-server]
        [--redis /usr/bin/redis-server] [--subscribers 100] [--messages 20000] [--size 64]
        [--rounds 3]

Progress goes to stderr, the table to stdout. Nothing here asserts anything about speed.
"""
import argparse
import multiprocessing
import os
import re
import selectors
import socket
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servers import Server, encode_command  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHANNEL = "fanout"


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def frame_size(channel, size):
    """Bytes of one RESP2 "message" frame carrying a `size`-byte payload."""
    body = b"x" * size
    return len(b"*3\r\n$7\r\nmessage\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n"
               % (len(channel), channel.encode(), len(body), body))


def reader(port, subscribers, expected_per_sub, ready, done):
    """Subscribes `subscribers` connections, reports ready, then reads until every one of
    them received `expected_per_sub` bytes of messages, and reports the finish time."""
    socks = []
    confirm = [b"*3\r\n$9\r\nsubscribe\r\n$%d\r\n%s\r\n:1\r\n" % (len(CHANNEL), CHANNEL.encode())]
    for _ in range(subscribers):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(encode_command(["SUBSCRIBE", CHANNEL]))
        socks.append(s)
    for s in socks:
        want = len(confirm[0])
        data = b""
        while len(data) < want:
            data += s.recv(want - len(data))
        assert data == confirm[0], data
        s.setblocking(False)
    sel = selectors.DefaultSelector()
    remaining = {}
    for s in socks:
        sel.register(s, selectors.EVENT_READ)
        remaining[s.fileno()] = expected_per_sub
    buf = bytearray(1 << 20)
    ready.send(True)
    left = len(socks)
    while left:
        for key, _ in sel.select(timeout=30):
            s = key.fileobj
            n = s.recv_into(buf)
            if n == 0:
                raise RuntimeError("subscriber disconnected")
            fd = s.fileno()
            remaining[fd] -= n
            if remaining[fd] <= 0:
                sel.unregister(s)
                left -= 1
    done.send(time.monotonic())
    for s in socks:
        s.close()


def run_round(server, args):
    per_sub = frame_size(CHANNEL, args.size) * args.messages
    ready_r, ready_w = multiprocessing.Pipe(False)
    done_r, done_w = multiprocessing.Pipe(False)
    proc = multiprocessing.Process(target=reader,
                                   args=(server.port, args.subscribers, per_sub, ready_w, done_w))
    proc.start()
    if not ready_r.poll(30):
        proc.terminate()
        raise RuntimeError("subscribers did not get ready")
    ready_r.recv()
    cmd = [args.redis_benchmark, "-h", "127.0.0.1", "-p", str(server.port), "-c", "1",
           "-n", str(args.messages), "-P", str(args.pipeline), "PUBLISH", CHANNEL,
           "x" * args.size]
    cpu_before = server.cpu_seconds()
    started = time.monotonic()
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if not done_r.poll(120):
        proc.terminate()
        raise RuntimeError(f"{server.name}: not every message arrived")
    finished = done_r.recv()
    proc.join()
    cpu = server.cpu_seconds() - cpu_before
    rps = re.search(r"throughput summary:\s*([\d.]+) requests per second",
                    out.stdout.replace("\r", "\n"))
    elapsed = finished - started
    deliveries = args.messages * args.subscribers
    return {"delivered_per_s": deliveries / elapsed, "publish_rps": float(rps.group(1)) if rps else None,
            "elapsed_s": elapsed, "server_cpu_s": cpu,
            "deliveries_per_cpu_s": deliveries / cpu if cpu > 0 else None}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--basalt", default=os.path.join(ROOT, "build", "src", "basalt-server"))
    p.add_argument("--redis", default="/usr/bin/redis-server")
    p.add_argument("--redis-benchmark", default="/usr/bin/redis-benchmark")
    p.add_argument("--subscribers", type=int, default=100)
    p.add_argument("--messages", type=int, default=20000)
    p.add_argument("--size", type=int, default=64, help="payload bytes")
    p.add_argument("--pipeline", type=int, default=16)
    p.add_argument("--rounds", type=int, default=3)
    args = p.parse_args()

    workdir = tempfile.mkdtemp(prefix="basalt-fanout-")
    servers = [Server("basalt", args.basalt, workdir), Server("redis", args.redis, workdir)]
    results = {s.name: [] for s in servers}
    try:
        for s in servers:
            s.start()
            s.call("CONFIG", "SET", "client-output-buffer-limit", "pubsub 0 0 0")
        for rnd in range(args.rounds):
            for s in servers:  # interleaved, so drifts in machine load hit both alike
                res = run_round(s, args)
                results[s.name].append(res)
                log(f"round {rnd + 1} {s.name}: {res['delivered_per_s']:,.0f} deliveries/s, "
                    f"publish {res['publish_rps'] or 0:,.0f}/s, cpu {res['server_cpu_s']:.2f}s")
    finally:
        for s in servers:
            s.stop()

    print(f"PUBLISH fan-out: {args.subscribers} subscribers, {args.messages} messages of "
          f"{args.size} bytes, -P {args.pipeline}, median of {args.rounds} rounds")
    print(f"{'server':<8} {'deliveries/s':>14} {'PUBLISH/s':>12} {'deliveries/CPU-s':>18}")
    for name, rounds in results.items():
        med = lambda k: statistics.median(r[k] for r in rounds if r[k] is not None)  # noqa
        print(f"{name:<8} {med('delivered_per_s'):>14,.0f} {med('publish_rps'):>12,.0f} "
              f"{med('deliveries_per_cpu_s'):>18,.0f}")


if __name__ == "__main__":
    main()
