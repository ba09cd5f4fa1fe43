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
