"""MEMORY USAGE: per-key sizes that follow what the key holds, and Redis's argument errors."""
import time

import pytest
import redis

from conftest import NOT_INT, TARGET


def usage(r, key, *args):
    return r.execute_command("MEMORY", "USAGE", key, *args)


def test_missing_key_is_nil(r):
    assert usage(r, "missing") is None


def test_grows_with_the_value(r):
    r.set("small", "x")
    r.set("big", "x" * 100000)
    assert 16 < usage(r, "small") < 200
    assert 100000 <= usage(r, "big") < 140000
    r.rpush("l10", *range(10))
    r.rpush("l10k", *[f"element:{i:010d}" for i in range(10000)])
    assert usage(r, "l10k") > 10000 * 18 > usage(r, "l10")
    r.hset("h", mapping={f"f{i}": "v" * 100 for i in range(1000)})
    assert usage(r, "h") > 1000 * 100


def test_samples_argument(r):
    r.set("k", "v")
    assert usage(r, "k", "SAMPLES", "0") == usage(r, "k")
    assert usage(r, "k", "samples", "5") == usage(r, "k")
    with pytest.raises(redis.ResponseError, match="syntax error"):
        usage(r, "k", "SAMPLES", "-1")
    with pytest.raises(redis.ResponseError, match=NOT_INT):
        usage(r, "k", "SAMPLES", "x")
    for args in (["SAMPLES"], ["foo"], ["SAMPLES", "1", "extra"]):
        with pytest.raises(redis.ResponseError, match="syntax error"):
            usage(r, "k", *args)
    with pytest.raises(redis.ResponseError, match="wrong number of arguments"):
        r.execute_command("MEMORY", "USAGE")


# --- MEMORY USAGE against the allocator ------------------------------------------------------
#
# For each type and encoding, COUNT keys are built through ordinary commands in a database
# whose key table was grown beforehand (and is checked not to grow meanwhile); INFO
# used_memory (the allocator's own count) before and after gives what the keys really took.
# The sum of their MEMORY USAGE must be within 10% of it. MEMORY USAGE also counts each key's
# share of the table's bucket array (one pointer), allocated before the window: it is added
# to the measured delta. The client is warmed up with the same pipeline first, so its
# buffers do not grow inside the window.

def _hash(r, k, n, w):
    r.hset(k, mapping={f"field:{i}": "v" * w for i in range(n)})


ENCODINGS = [
    # (name, expected OBJECT ENCODING, keys, builder(pipeline, key))
    ("int", "int", 10000, lambda p, k: p.set(k, 123456789)),
    ("embstr", "embstr", 10000, lambda p, k: p.set(k, "e" * 30)),
    ("raw", "raw", 5000, lambda p, k: p.set(k, "r" * 300)),
    ("list listpack", "listpack", 1000, lambda p, k: p.rpush(k, *[f"el:{i}" for i in range(50)])),
    ("list quicklist", "quicklist", 20,
     lambda p, k: p.rpush(k, *[f"element:{i:08d}" for i in range(5000)])),
    ("set intset", "intset", 1000, lambda p, k: p.sadd(k, *range(0, 300, 3))),
    ("set listpack", "listpack", 1000, lambda p, k: p.sadd(k, *[f"m{i}" for i in range(50)])),
    ("set hashtable", "hashtable", 20, lambda p, k: p.sadd(k, *[f"member:{i}" for i in range(5000)])),
    ("hash listpack", "listpack", 1000, lambda p, k: _hash(p, k, 50, 8)),
    ("hash hashtable", "hashtable", 20, lambda p, k: _hash(p, k, 3000, 20)),
    ("zset listpack", "listpack", 1000, lambda p, k: p.zadd(k, {f"m{i}": i for i in range(50)})),
    ("zset skiplist", "skiplist", 20,
     lambda p, k: p.zadd(k, {f"member:{i}": i * 1.5 for i in range(5000)})),
    ("stream", "stream", 20,
     lambda p, k: [p.xadd(k, {"f": f"value:{i}", "g": i}) for i in range(2000)]),
]


def _build(r, prefix, count, build):
    p = r.pipeline(transaction=False)
    for i in range(count):
        build(p, f"{prefix}:{i}")
        if len(p) >= 200:
            p.execute()
    p.execute()


def _settled_table_size(r, timeout=10):
    """db 9's key-table bytes once a resize has finished: while one rehashes incrementally
    both tables are allocated, and the old one's release would count against the build."""
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        size = r.memory_stats()["db.9"]["overhead.hashtable.main"]
        if size == last:
            return size
        last = size
        time.sleep(0.3)
    raise AssertionError("the key table kept resizing")


@pytest.mark.parametrize("name,encoding,count,build", ENCODINGS, ids=[e[0] for e in ENCODINGS])
def test_usage_matches_allocations(r, name, encoding, count, build):
    if TARGET == "redis":
        pytest.skip("Redis's MEMORY USAGE is not held to 10% (it estimates from samples)")
    r.select(9)
    r.flushdb()
    # Grow the key table beyond what the test adds; the pads stay (deleting could shrink it).
    p = r.pipeline(transaction=False)
    for i in range(17000):  # 32768 buckets: room for 15768 more keys
        p.set(f"pad:{i}", 1)
    p.execute()
    _build(r, "warm", count, build)  # the client's buffers reach their size for this load
    r.delete(*[f"warm:{i}" for i in range(count)])
    table_before = _settled_table_size(r)
    r.info("memory")  # INFO's own first-call allocations (its latency histogram) go first
    before = r.info("memory")["used_memory"]
    _build(r, "k", count, build)
    after = r.info("memory")["used_memory"]
    assert r.memory_stats()["db.9"]["overhead.hashtable.main"] == table_before
    assert r.object("encoding", "k:0").decode() == encoding
    p = r.pipeline(transaction=False)
    for i in range(count):
        p.memory_usage(f"k:{i}")
    estimated = sum(p.execute())
    real = after - before + 8 * count
    assert abs(estimated - real) <= real * 0.10, (estimated, real)
    r.flushdb()
    r.select(0)
