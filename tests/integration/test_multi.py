"""MULTI/EXEC/DISCARD/WATCH/UNWATCH: queueing, EXECABORT, optimistic locking under contention,
what counts as touching a watched key, and blocking commands inside a transaction."""
import threading
import time

import pytest
import redis

from conftest import WRONGTYPE
from resp_util import raw, request


def test_queue_and_exec(r):
    p = r.pipeline(transaction=True)
    p.set("a", 1).incr("a").lpush("a", "x").get("a")
    results = p.execute(raise_on_error=False)
    assert results[:2] == [True, 2]
    assert isinstance(results[2], redis.ResponseError) and WRONGTYPE in str(results[2])
    assert results[3] == b"2"  # a runtime error does not roll anything back


def test_raw_replies(server):
    replies = request(server.port, ("MULTI",), ("SET", "k", "v"), ("GET", "k"), ("EXEC",),
                      ("MULTI",), ("EXEC",))
    assert [x.plain() for x in replies] == [b"OK", b"QUEUED", b"QUEUED", [b"OK", b"v"], b"OK", []]
    # An aborted WATCH answers a null array: *-1 in RESP2, _ in RESP3.
    for resp3, kind in ((False, "*"), (True, "_")):
        replies = request(server.port, ("WATCH", "k"), ("SET", "k", "x"), ("MULTI",),
                          ("EXEC",), resp3=resp3)
        assert (replies[-1].kind, replies[-1].value) == (kind, None)


def test_errors_while_queueing_abort_exec(server):
    for bad in (("NOSUCHCOMMAND",), ("GET",), ("CONFIG", "NOSUCHSUB")):
        replies = request(server.port, ("DEL", "k"), ("MULTI",), ("SET", "k", "v"), bad,
                          ("EXEC",), ("GET", "k"))
        assert replies[3].kind == "-"
        assert replies[4].kind == "-"
        assert replies[4].value == b"EXECABORT Transaction discarded because of previous errors."
        assert replies[5].value is None


def test_state_errors(server):
    c = redis.Redis(port=server.port)
    with pytest.raises(redis.ResponseError, match="EXEC without MULTI"):
        c.execute_command("EXEC")
    with pytest.raises(redis.ResponseError, match="DISCARD without MULTI"):
        c.execute_command("DISCARD")
    c.execute_command("MULTI")
    with pytest.raises(redis.ResponseError, match="MULTI calls can not be nested"):
        c.execute_command("MULTI")
    with pytest.raises(redis.ResponseError, match="WATCH inside MULTI is not allowed"):
        c.execute_command("WATCH", "x")
    # Neither error dooms the transaction.
    c.execute_command("SET", "k", "v")
    assert c.execute_command("EXEC") == [b"OK"]


def test_discard(server):
    c = redis.Redis(port=server.port)
    c.set("k", "old")
    c.execute_command("WATCH", "k")
    c.execute_command("MULTI")
    c.execute_command("SET", "k", "new")
    assert c.execute_command("DISCARD") == b"OK"
    assert c.get("k") == b"old"
    # DISCARD also unwatched: a change now does not doom the next transaction.
    redis.Redis(port=server.port).set("k", "other")
    c.execute_command("MULTI")
    c.execute_command("GET", "k")
    assert c.execute_command("EXEC") == [b"other"]


def watch_then(server, key, change, setup=None):
    """WATCHes key, runs change() on another connection, then tries a transaction; returns
    EXEC's reply (None when the transaction was aborted)."""
    c = redis.Redis(port=server.port)
    if setup:
        setup(c)
    c.execute_command("WATCH", key)
    change(redis.Redis(port=server.port))
    c.execute_command("MULTI")
    c.execute_command("PING")
    return c.execute_command("EXEC")


def test_watch_detects_writes_by_other_clients(server, r):
    r.set("w", 1)
    assert watch_then(server, "w", lambda o: o.incr("w")) is None
    assert watch_then(server, "w", lambda o: o.get("w")) == [b"PONG"]
    assert watch_then(server, "w", lambda o: o.delete("w")) is None
    # Deleting a missing key changes nothing.
    assert watch_then(server, "w", lambda o: o.delete("w")) == [b"PONG"]
    r.rpush("wl", "a")
    assert watch_then(server, "wl", lambda o: o.rpush("wl", "b")) is None
    assert watch_then(server, "wl", lambda o: o.expire("wl", 100)) is None


def test_watch_sees_only_the_written_key_of_a_store(server, r):
    r.sadd("src", 1, 2)
    # SINTERSTORE writes dst and only reads src.
    assert watch_then(server, "src", lambda o: o.sinterstore("dst", "src")) == [b"PONG"]
    assert watch_then(server, "dst", lambda o: o.sinterstore("dst", "src")) is None


def test_watch_sees_flushdb_flushall_swapdb_and_move(server, r):
    r.set("w", 1)
    assert watch_then(server, "w", lambda o: o.flushdb()) is None
    # Flushing a database where the watched key does not exist changes nothing for it.
    assert watch_then(server, "w", lambda o: o.flushall()) == [b"PONG"]
    r.set("w", 1)
    assert watch_then(server, "w", lambda o: o.flushall()) is None

    def swap_in(o):
        o.execute_command("SELECT", 9)
        o.set("w", "from9")
        o.execute_command("SWAPDB", 0, 9)
    assert watch_then(server, "w", swap_in) is None

    def move_in(o):
        o.execute_command("SELECT", 9)
        o.set("w", "moved")
        o.execute_command("MOVE", "w", 0)
    r.delete("w")
    assert watch_then(server, "w", move_in) is None
    r.execute_command("SELECT", 9)
    r.flushdb()
    r.execute_command("SELECT", 0)


def test_watch_remembers_the_database(server, r):
    c = redis.Redis(port=server.port)
    c.execute_command("SELECT", 3)
    c.execute_command("WATCH", "x")
    c.execute_command("SELECT", 0)
    r.set("x", "db0")  # another database's x
    c.execute_command("MULTI")
    c.execute_command("PING")
    assert c.execute_command("EXEC") == [b"PONG"]


def test_watched_key_that_expires_fails_exec(server, r):
    r.set("e", 1, px=100)
    c = redis.Redis(port=server.port)
    c.execute_command("WATCH", "e")
    time.sleep(0.2)
    c.execute_command("MULTI")
    c.execute_command("PING")
    assert c.execute_command("EXEC") is None


def test_watching_an_already_expired_key_is_harmless(make_server):
    srv = make_server("--enable-debug-command", "yes")
    r = redis.Redis(port=srv.port)
    r.execute_command("DEBUG", "SET-ACTIVE-EXPIRE", 0)
    r.set("stale", 1, px=1)
    time.sleep(0.02)
    c = redis.Redis(port=srv.port)
    c.execute_command("WATCH", "stale")
    r.delete("stale")  # deleting it is no logical change
    c.execute_command("MULTI")
    c.execute_command("PING")
    assert c.execute_command("EXEC") == [b"PONG"]


def test_exec_and_unwatch_clear_the_watches(server, r):
    c = redis.Redis(port=server.port)
    r.set("k", 1)
    c.execute_command("WATCH", "k")
    c.execute_command("MULTI")
    c.execute_command("PING")
    assert c.execute_command("EXEC") == [b"PONG"]
    r.incr("k")  # not watched any more
    c.execute_command("MULTI")
    c.execute_command("PING")
    assert c.execute_command("EXEC") == [b"PONG"]
    c.execute_command("WATCH", "k")
    r.incr("k")
    assert raw(c, "UNWATCH") == b"OK"
    c.execute_command("MULTI")
    c.execute_command("PING")
    assert c.execute_command("EXEC") == [b"PONG"]


def test_client_list_shows_the_transaction(server):
    c = redis.Redis(port=server.port)
    my_id = c.client_id()
    c.execute_command("MULTI")
    c.execute_command("SET", "a", 1)
    lines = redis.Redis(port=server.port).execute_command("CLIENT", "LIST").decode().splitlines()
    mine = [line for line in lines if line.startswith(f"id={my_id} ")]
    assert len(mine) == 1
    assert " flags=x " in mine[0] and " multi=1 " in mine[0]
    c.execute_command("DISCARD")


def test_blocking_commands_do_not_block_inside_multi(server, r):
    p = r.pipeline(transaction=True)
    p.blpop("empty", 0).brpoplpush("empty", "dst", 0).blmove("empty", "dst", 0, "LEFT", "RIGHT")
    assert p.execute() == [None, None, None]


def test_push_inside_multi_wakes_waiters_after_exec(server, r):
    got = []
    waiter = threading.Thread(
        target=lambda: got.append(redis.Redis(port=server.port).blpop("q", 5)))
    waiter.start()
    deadline = time.time() + 5
    while r.info("clients")["blocked_clients"] < 1 and time.time() < deadline:
        time.sleep(0.01)
    p = r.pipeline(transaction=True)
    p.rpush("q", "a").rpush("q", "b").lrange("q", 0, -1)
    # Inside the transaction the waiter has not taken anything yet.
    assert p.execute() == [1, 2, [b"a", b"b"]]
    waiter.join()
    assert got == [(b"q", b"a")]
    assert r.lrange("q", 0, -1) == [b"b"]


def test_watch_retry_loop_under_contention(server, r):
    r.set("counter", 0)
    successes = []

    def worker():
        c = redis.Redis(port=server.port)
        done = 0
        for _ in range(50):
            with c.pipeline(transaction=True) as p:
                while True:
                    try:
                        p.watch("counter")
                        value = int(p.get("counter"))
                        p.multi()
                        p.set("counter", value + 1)
                        p.execute()
                        done += 1
                        break
                    except redis.WatchError:
                        continue
        successes.append(done)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(successes) == 400
    assert int(r.get("counter")) == 400
