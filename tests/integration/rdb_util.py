"""Helpers for the RDB and DUMP/RESTORE tests: a CRC-64/Jones (Redis's checksum), a reader
of a whole server's contents for comparisons, fillers that create every type in its small
and big encodings, and a redis-server launcher on a free port."""
import os
import shutil
import subprocess
import time

import redis

from conftest import free_port, wait_listening


def crc64(data, crc=0):
    """Redis's CRC-64 (Jones polynomial, reflected), bitwise: fine for small payloads."""
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ 0x95AC9329AC4BC9B5 if crc & 1 else crc >> 1
    return crc


def make_payload(body, version=10):
    """A DUMP payload around `body` (type byte + value) with a correct footer."""
    data = bytes(body) + bytes([version & 0xFF, version >> 8])
    return data + crc64(data).to_bytes(8, "little")


def read_value(r, key):
    t = r.type(key).decode()
    if t == "string":
        return t, r.get(key)
    if t == "list":
        return t, r.lrange(key, 0, -1)
    if t == "set":
        return t, sorted(r.smembers(key))
    if t == "zset":
        return t, r.zrange(key, 0, -1, withscores=True)
    if t == "hash":
        return t, sorted(r.hgetall(key).items())
    if t == "stream":
        entries = r.xrange(key)
        info = r.execute_command("XINFO", "STREAM", key)
        info = dict(zip(info[::2], info[1::2]))
        meta = {k: info[k] for k in (b"length", b"last-generated-id", b"max-deleted-entry-id",
                                     b"entries-added") if k in info}
        groups = []
        for g in r.xinfo_groups(key):
            name = g["name"]
            consumers = sorted((c["name"], c["pending"])
                               for c in r.xinfo_consumers(key, name))
            pending = [(p["message_id"], p["consumer"], p["times_delivered"])
                       for p in r.xpending_range(key, name, "-", "+", 1000)]
            groups.append((name, g["last-delivered-id"], g.get("entries-read"), consumers,
                           pending))
        return t, (entries, meta, groups)
    return t, None


def dataset(r, dbs=range(16)):
    """Every key of the given databases with its type, contents and whether it has a TTL."""
    out = {}
    for db in dbs:
        r.execute_command("SELECT", db)
        for key in r.scan_iter(count=1000):
            pttl = r.pttl(key)
            out[(db, key)] = read_value(r, key) + (pttl > 0,)
    r.execute_command("SELECT", 0)
    return out


def fill_every_type(r, big=300):
    """Creates each type in its small and big encodings (default thresholds), in db 0 and 2,
    with some TTLs and a stream with consumer groups and pending entries."""
    r.set("str", "hello")
    r.set("int", 12345)
    r.set("bigint", 2 ** 62)
    r.set("long", "x" * 1000)
    r.set("compressible", "ab" * 500)
    r.set("volatile", "v", ex=10000)
    r.rpush("list_small", "a", 1, -2, "b")
    r.rpush("list_big", *[f"element:{i}" for i in range(big * 20)])
    r.rpush("list_huge_elem", "x" * 20000, "y")
    r.sadd("set_int", 1, 2, 3, -70000)
    r.sadd("set_small", "a", "b", 3)
    r.sadd("set_big", *[f"m{i}" for i in range(big)])
    r.sadd("set_intbig", *range(1000))
    r.hset("hash_small", mapping={"f": "v", "n": 1})
    r.hset("hash_big", mapping={f"f{i}": f"v{i}" for i in range(big * 2)})
    r.hset("hash_longval", mapping={"f": "v" * 100})
    r.zadd("zset_small", {"a": 1, "b": 2.5, "c": -3})
    r.zadd("zset_big", {f"m{i}": i / 3 for i in range(big)})
    r.zadd("zset_inf", {"lo": float("-inf"), "hi": float("inf")})
    r.expire("zset_small", 10000)
    for i in range(big):
        fields = {"f": i} if i % 5 else {"f": i, "other": "x"}
        r.xadd("stream", fields, id=f"{1000 + i // 7}-{i}")
    r.xdel("stream", "1001-7")
    r.xgroup_create("stream", "g1", "0")
    r.xgroup_create("stream", "g2", "$")
    r.xreadgroup("g1", "alice", {"stream": ">"}, count=3)
    r.xreadgroup("g1", "bob", {"stream": ">"}, count=2)
    r.xack("stream", "g1", "1000-0")
    r.xadd("stream_one", {"a": "b"}, id="5-1")
    r.execute_command("SELECT", 2)
    r.set("db2key", "in db 2")
    r.rpush("db2list", "x")
    r.execute_command("SELECT", 0)


class RedisServer:
    """Debian's redis-server on a free port (the other side of interoperability tests)."""

    def __init__(self, directory, *args):
        self.port = free_port()
        self.dir = directory
        cmd = ["/usr/bin/redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
               "--save", "", "--appendonly", "no", "--dir", directory, *args]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        wait_listening(self.proc, self.port)

    def client(self):
        return redis.Redis(host="127.0.0.1", port=self.port)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        self.proc.stdout.close()


def dataset_in_redis(rdb_path, workdir):
    """The dataset redis-server loads from the RDB file `rdb_path` (a pathlib.Path), started
    in the new directory `workdir`."""
    workdir.mkdir()
    shutil.copy(rdb_path, workdir / "dump.rdb")
    rs = RedisServer(str(workdir))
    try:
        return dataset(rs.client())
    finally:
        rs.stop()


def assert_redis_check_rdb_passes(path):
    check = subprocess.run(["/usr/bin/redis-check-rdb", str(path)], capture_output=True,
                           timeout=60)
    assert check.returncode == 0, check.stdout.decode() + check.stderr.decode()
    assert b"RDB looks OK" in check.stdout


def wait_bgsave_done(r, timeout=10):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if r.info("persistence")["rdb_bgsave_in_progress"] == 0:
            return
        time.sleep(0.05)
    raise AssertionError("BGSAVE did not finish")


def start_and_expect_failure(binary, directory, *args, timeout=10):
    """Starts a server expected to refuse to start; returns (exit code, output)."""
    port = free_port()
    cmd = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
           "--dir", directory, *args]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout)
    return proc.returncode, proc.stdout.decode(errors="replace")


def file_path(directory, name="dump.rdb"):
    return os.path.join(directory, name)
