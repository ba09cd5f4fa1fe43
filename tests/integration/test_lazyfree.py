"""Lazy freeing: UNLINK, FLUSHALL/FLUSHDB ASYNC and the lazyfree-lazy-* settings hand big
values to a background thread; INFO lazyfree_pending_objects / lazyfreed_objects count them."""
import time

import pytest


def lazyfreed(r, expect, timeout=3):
    """Waits until nothing is pending and returns lazyfreed_objects."""
    deadline = time.time() + timeout
    while True:
        mem = r.info("memory")
        if mem["lazyfree_pending_objects"] == 0 and (mem["lazyfreed_objects"] >= expect
                                                     or time.time() > deadline):
            return mem["lazyfreed_objects"]
        time.sleep(0.02)


@pytest.fixture
def lr(r):
    old = r.config_get("lazyfree-lazy-*")
    r.config_resetstat()
    yield r
    for k, v in old.items():
        r.config_set(k, v)


def big_set(r, key, n=1000):
    r.sadd(key, *[f"member:{i}" for i in range(n)])


def test_unlink_frees_big_values_in_background(lr):
    r = lr
    big_set(r, "bigset")
    assert r.unlink("bigset") == 1
    assert r.exists("bigset") == 0
    assert lazyfreed(r, 1) == 1
    # Small values are freed on the spot.
    r.set("s", "x" * 1000)
    r.sadd("small", "a", "b")
    r.rpush("list", *range(200))  # one quicklist node
    assert r.unlink("s", "small", "list", "missing") == 3
    assert lazyfreed(r, 1) == 1


def test_big_hash_zset_list(lr):
    r = lr
    r.hset("h", mapping={f"f{i}": i for i in range(600)})  # over hash-max-listpack-entries
    r.zadd("z", {f"m{i}": i for i in range(500)})
    assert r.unlink("h", "z") == 2
    assert lazyfreed(r, 2) == 2


def test_del_is_lazy_under_lazyfree_lazy_user_del(lr):
    r = lr
    big_set(r, "a")
    assert r.delete("a") == 1
    assert lazyfreed(r, 0, timeout=0.2) == 0
    r.config_set("lazyfree-lazy-user-del", "yes")
    big_set(r, "b")
    assert r.delete("b") == 1
    assert lazyfreed(r, 1) == 1


def test_flushall_async_counts_keys(lr):
    r = lr
    for i in range(100):
        r.set(f"k{i}", i)
    r.select(1)
    r.set("other", 1)
    r.select(0)
    assert r.execute_command("FLUSHALL", "ASYNC") is True
    assert r.dbsize() == 0
    assert lazyfreed(r, 101) == 101


def test_flushdb_async_and_lazy_user_flush(lr):
    r = lr
    for i in range(10):
        r.set(f"k{i}", i)
    assert r.execute_command("FLUSHDB", "ASYNC") is True
    assert lazyfreed(r, 10) == 10
    r.config_set("lazyfree-lazy-user-flush", "yes")
    for i in range(5):
        r.set(f"k{i}", i)
    assert r.flushdb() is True
    assert lazyfreed(r, 15) == 15
    for i in range(5):
        r.set(f"k{i}", i)
    assert r.execute_command("FLUSHDB", "SYNC") is True
    assert lazyfreed(r, 15, timeout=0.2) == 15


def test_resetstat_clears_lazyfreed(lr):
    r = lr
    big_set(r, "x")
    r.unlink("x")
    assert lazyfreed(r, 1) == 1
    r.config_resetstat()
    assert r.info("memory")["lazyfreed_objects"] == 0


def test_lazy_expire_frees_big_values_in_background(lr):
    r = lr
    r.config_set("lazyfree-lazy-expire", "yes")
    try:
        big_set(r, "bigset")
        r.pexpire("bigset", 1)
        time.sleep(0.05)
        assert r.exists("bigset") == 0  # expired on access
        assert lazyfreed(r, 1) == 1
    finally:
        r.config_set("lazyfree-lazy-expire", "no")


def test_lazy_eviction_frees_big_values_in_background(lr):
    r = lr
    old = r.config_get("maxmemory*")
    r.config_set("lazyfree-lazy-eviction", "yes")
    try:
        for i in range(3):
            big_set(r, f"bigset:{i}", 5000)
        used = r.info("memory")["used_memory"]
        r.config_set("maxmemory-policy", "allkeys-random")
        r.config_set("maxmemory", str(used - 100000))  # room for about two of the three
        # Eviction may go on in slices after CONFIG SET answers, and the thread frees behind
        # it: one INFO snapshot at a time until every evicted key has been freed.
        deadline = time.time() + 3
        while True:
            info = r.info("all")
            settled = info["lazyfree_pending_objects"] == 0 and \
                info["lazyfreed_objects"] == info["evicted_keys"]
            if settled or time.time() > deadline:
                break
            time.sleep(0.02)
        assert info["evicted_keys"] >= 1
        assert info["lazyfreed_objects"] == info["evicted_keys"]
    finally:
        r.config_set("maxmemory", "0")
        r.config_set("maxmemory-policy", old["maxmemory-policy"])
        r.config_set("lazyfree-lazy-eviction", "no")


# lazyfree-lazy-server-del: the deletes a command makes implicitly (Redis's dbDelete and
# dbOverwrite). The expected counts are redis-server 7.0's.
SERVER_DELETES = [
    # (what replaces or deletes the big set at "d", count redis-server 7.0 reports)
    ("SET over it", lambda r: r.set("d", "x"), 1),
    ("RENAME onto it", lambda r: (r.set("src", "v"), r.rename("src", "d")), 1),
    ("COPY REPLACE onto it", lambda r: (r.set("src", "v"), r.copy("src", "d", replace=True)), 1),
    ("RESTORE REPLACE onto it",
     lambda r: (r.set("src", "v"), r.restore("d", 0, r.dump("src"), replace=True)), 1),
    ("SUNIONSTORE onto it", lambda r: (r.sadd("a", "1"), r.sunionstore("d", ["a"])), 1),
    ("SUNIONSTORE of nothing onto it", lambda r: r.sunionstore("d", ["missing"]), 1),
    ("ZUNIONSTORE onto it", lambda r: (r.zadd("z", {"m": 1}), r.zunionstore("d", ["z"])), 1),
    ("SORT STORE onto it", lambda r: (r.rpush("l", 3, 1, 2), r.sort("l", store="d")), 1),
    # Not implicit deletes: each has its own setting (or none), all off here.
    ("MOVE it away", lambda r: r.move("d", 1), 0),
    ("DEL it", lambda r: r.delete("d"), 0),
    ("EXPIRE it in the past", lambda r: r.expire("d", 0), 0),
    ("RENAME it onto a string", lambda r: (r.set("s", "v"), r.rename("d", "s")), 0),
]


@pytest.mark.parametrize("name,op,expect", SERVER_DELETES, ids=[c[0] for c in SERVER_DELETES])
def test_lazy_server_del(lr, name, op, expect):
    r = lr
    r.config_set("lazyfree-lazy-server-del", "yes")
    big_set(r, "d", 200)
    op(r)
    assert lazyfreed(r, expect, timeout=3 if expect else 0.2) == expect
    r.select(1)
    r.delete("d")
    r.select(0)


def test_server_del_off_frees_on_the_spot(lr):
    r = lr
    r.config_set("lazyfree-lazy-server-del", "no")
    big_set(r, "d", 200)
    r.set("d", "x")
    r.hset("h", mapping={f"f{i}": i for i in range(600)})
    r.set("src", "v")
    r.rename("src", "h")
    assert lazyfreed(r, 0, timeout=0.2) == 0


def test_server_del_leaves_small_values_and_explicit_lazy_settings(lr):
    r = lr
    r.config_set("lazyfree-lazy-server-del", "yes")
    # Small values (listpack, intset, strings) are freed on the spot.
    r.sadd("d", "a", "b")
    r.hset("h", "f", "v")
    r.set("d", "x")
    r.set("h", "y")
    assert lazyfreed(r, 0, timeout=0.2) == 0
    # An EXPIRE in the past deletes under lazyfree-lazy-expire, as Redis does.
    r.config_set("lazyfree-lazy-expire", "yes")
    big_set(r, "e", 200)
    assert r.expire("e", 0) is True
    assert lazyfreed(r, 1) == 1


def test_unlink_gives_the_memory_back(lr):
    # A 100k-member SADD: neither the set (freed on the thread) nor the command's 100k
    # arguments stay allocated afterwards.
    r = lr
    orig = r.info("memory")["used_memory"]
    r.sadd("myset", *range(100000))
    peak = r.info("memory")["used_memory"]
    assert peak > orig + 1000000
    assert r.unlink("myset") == 1
    lazyfreed(r, 1)
    deadline = time.time() + 3
    while r.info("memory")["used_memory"] >= orig * 2 and time.time() < deadline:
        time.sleep(0.05)
    assert r.info("memory")["used_memory"] < orig * 2
