"""Lazy freeing: UNLINK, FLUSHALL/FLUSHDB ASYNC and the lazyfree-lazy-user-* settings hand big
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
    old = r.config_get("lazyfree-lazy-user-*")
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
