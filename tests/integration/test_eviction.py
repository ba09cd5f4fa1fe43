"""maxmemory and eviction: each maxmemory-policy, the OOM error, and what eviction reports.

Each test runs its own server (eviction empties databases). Limits are set relative to the
server's own used_memory, so the same expectations hold for Basalt and redis-server 7.0.
"""
import time

import pytest
import redis

OOM = "command not allowed when used memory > 'maxmemory'."
VALUE = "x" * 400


def used_memory(c):
    return c.info("memory")["used_memory"]


def fill(c, prefix, n, ex=None, value=VALUE, start=0):
    p = c.pipeline(transaction=False)
    for i in range(start, start + n):
        p.set(f"{prefix}:{i}", value, ex=ex)
        if len(p) >= 500:
            p.execute()
    p.execute()


def count(c, prefix, n, start=0):
    p = c.pipeline(transaction=False)
    for i in range(start, start + n):
        p.exists(f"{prefix}:{i}")
    return sum(p.execute())


def limit_here(c, extra=0):
    """Sets maxmemory to the memory used now (plus `extra`) and returns it."""
    limit = used_memory(c) + extra
    c.config_set("maxmemory", limit)
    return limit


def policy_server(make_server, policy, *args):
    s = make_server("--maxmemory-policy", policy, "--maxmemory-samples", "10", *args)
    return s, s.client()


# --- noeviction and the OOM error ---------------------------------------------------------

def test_noeviction_refuses_denyoom_commands_only(make_server):
    s, c = policy_server(make_server, "noeviction")
    c.set("k", "v")
    c.rpush("l", "a")
    c.config_set("maxmemory", 1)
    for cmd in (("SET", "k2", "v"), ("INCR", "n"), ("RPUSH", "l", "b"), ("SADD", "s", "m"),
                ("APPEND", "k", "x")):
        with pytest.raises(redis.ResponseError) as e:
            c.execute_command(*cmd)
        assert OOM in str(e.value)
    # Reads, deletions and commands that do not grow memory still work.
    assert c.get("k") == b"v"
    assert c.lrange("l", 0, -1) == [b"a"]
    assert c.dbsize() == 2
    assert c.expire("k", 100) is True
    assert c.delete("k") == 1
    assert c.lpop("l") == b"a"
    assert c.info("stats")["evicted_keys"] == 0
    assert c.config_set("maxmemory", 0)
    assert c.set("k2", "v")


def test_oom_in_multi_aborts_the_transaction(make_server):
    s, c = policy_server(make_server, "noeviction")
    c.set("k", "v")
    c.config_set("maxmemory", 1)
    conn = c.connection_pool.get_connection("MULTI")
    try:
        conn.send_command("MULTI")
        assert conn.read_response() == b"OK"
        # Inside MULTI, anything that would be queued is refused, even a read.
        conn.send_command("GET", "k")
        with pytest.raises(redis.ResponseError) as e:
            conn.read_response()
        assert OOM in str(e.value)
        conn.send_command("EXEC")
        with pytest.raises(redis.ResponseError) as e:
            conn.read_response()
        assert isinstance(e.value, redis.exceptions.ExecAbortError)
    finally:
        c.connection_pool.release(conn)
    # DISCARD is always allowed.
    conn = c.connection_pool.get_connection("MULTI")
    try:
        conn.send_command("MULTI")
        assert conn.read_response() == b"OK"
        conn.send_command("DISCARD")
        assert conn.read_response() == b"OK"
    finally:
        c.connection_pool.release(conn)
    c.config_set("maxmemory", 0)


def test_exec_of_queued_writes_is_refused_when_over(make_server):
    s, c = policy_server(make_server, "noeviction")
    other = s.client()
    conn = c.connection_pool.get_connection("MULTI")
    try:
        conn.send_command("MULTI")
        assert conn.read_response() == b"OK"
        conn.send_command("SET", "a", "1")
        assert conn.read_response() == b"QUEUED"
        other.config_set("maxmemory", 1)
        conn.send_command("EXEC")
        with pytest.raises(redis.ResponseError) as e:
            conn.read_response()
        assert OOM in str(e.value)
    finally:
        c.connection_pool.release(conn)
    other.config_set("maxmemory", 0)
    assert c.get("a") is None


def test_volatile_policy_with_only_persistent_keys_answers_oom(make_server):
    for policy in ("volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl"):
        s, c = policy_server(make_server, policy)
        fill(c, "p", 100)
        c.config_set("maxmemory", 1)
        with pytest.raises(redis.ResponseError) as e:
            c.set("new", "v")
        assert OOM in str(e.value)
        assert c.dbsize() == 100
        assert c.info("stats")["evicted_keys"] == 0
        c.config_set("maxmemory", 0)
        s.stop()


# --- the limit holds ------------------------------------------------------------------------

@pytest.mark.parametrize("policy", ["allkeys-lru", "allkeys-lfu", "allkeys-random",
                                    "volatile-lru", "volatile-lfu", "volatile-random",
                                    "volatile-ttl"])
def test_used_memory_stays_under_maxmemory(make_server, policy):
    s, c = policy_server(make_server, policy)
    limit = limit_here(c, 512 * 1024)
    # Far more than fits: about 2.5 MB of values.
    fill(c, "k", 6000, ex=10000)
    used = used_memory(c)
    assert used <= limit + 64 * 1024, (used, limit)
    stats = c.info("stats")
    assert stats["evicted_keys"] > 0
    assert 0 < c.dbsize() < 6000
    # Writes still succeed: eviction makes room for them.
    assert c.set("after", "v")


def test_config_set_maxmemory_evicts_at_once(make_server):
    # Tenacity 100: no time limit, so that CONFIG SET returns only once all is evicted.
    s, c = policy_server(make_server, "allkeys-random", "--maxmemory-eviction-tenacity", "100")
    fill(c, "k", 2000)
    c.config_set("maxmemory", 1)
    assert c.dbsize() == 0
    assert c.info("stats")["evicted_keys"] == 2000
    # Nothing left to evict: denyoom commands are refused, others run.
    with pytest.raises(redis.ResponseError) as e:
        c.set("k", "v")
    assert OOM in str(e.value)
    assert c.get("k") is None
    c.config_set("maxmemory", 0)


# --- which keys go --------------------------------------------------------------------------

@pytest.mark.parametrize("policy", ["volatile-lru", "volatile-lfu", "volatile-random",
                                    "volatile-ttl"])
def test_volatile_policies_leave_persistent_keys(make_server, policy):
    s, c = policy_server(make_server, policy)
    fill(c, "persistent", 1000)
    fill(c, "volatile", 1000, ex=10000)
    limit_here(c)
    fill(c, "more", 800, ex=10000)
    assert count(c, "persistent", 1000) == 1000
    assert c.info("stats")["evicted_keys"] > 0


def test_volatile_ttl_evicts_the_nearest_expiry_first(make_server):
    s, c = policy_server(make_server, "volatile-ttl")
    fill(c, "late", 1000, ex=100000)
    fill(c, "soon", 1000, ex=1000)
    limit_here(c)
    fill(c, "new", 600, ex=50000)
    evicted = c.info("stats")["evicted_keys"]
    assert evicted > 100
    # The approximation samples: nearly all evictions hit the sooner-expiring keys.
    assert count(c, "late", 1000) >= 990
    assert count(c, "soon", 1000) <= 1000 - evicted * 0.9


def test_allkeys_lru_keeps_recently_used_keys(make_server):
    s, c = policy_server(make_server, "allkeys-lru")
    fill(c, "k", 3000)
    time.sleep(2.2)  # the LRU clock counts seconds
    p = c.pipeline(transaction=False)
    for i in range(300):
        p.get(f"k:{i}")
    p.execute()
    limit_here(c)
    fill(c, "new", 1200)
    evicted = c.info("stats")["evicted_keys"]
    assert evicted > 500
    assert count(c, "k", 300) >= 290  # the touched keys stayed
    assert count(c, "new", 1200) >= 1150  # and so did the new ones
    assert count(c, "k", 2700, start=300) <= 2700 - evicted * 0.9


def test_allkeys_lfu_keeps_frequently_used_keys(make_server):
    s, c = policy_server(make_server, "allkeys-lfu")
    fill(c, "k", 3000)
    p = c.pipeline(transaction=False)
    for _ in range(20):
        for i in range(300):
            p.get(f"k:{i}")
    p.execute()
    assert c.object("freq", "k:0") > 5
    assert c.object("freq", "k:1000") == 5
    limit_here(c)
    fill(c, "new", 1200)
    assert c.info("stats")["evicted_keys"] > 500
    assert count(c, "k", 300) >= 290


def test_overwritten_key_keeps_its_lfu_counter(make_server):
    # Redis's dbOverwrite carries the old value's LFU counter over to the new one.
    s, c = policy_server(make_server, "allkeys-lfu")
    c.set("k", "v")
    c.set("n", 1)
    p = c.pipeline(transaction=False)
    for _ in range(300):
        p.get("k")
        p.get("n")
    p.execute()
    hot = c.object("freq", "k")
    assert hot > 8
    c.set("k", "another value")  # a new value, a new encoding
    # The write's own access may add one (the counter grows with a probability).
    assert hot <= c.object("freq", "k") <= hot + 1
    hot = c.object("freq", "k")
    assert c.getset("k", "third") == b"another value"
    assert hot <= c.object("freq", "k") <= hot + 1
    hot_n = c.object("freq", "n")
    assert c.incr("n") == 2
    assert hot_n <= c.object("freq", "n") <= hot_n + 1
    # A new key, or one recreated after DEL, starts from LFU_INIT_VAL.
    c.delete("k")
    c.set("k", "v")
    assert c.object("freq", "k") == 5


def test_object_freq_and_idletime_follow_the_policy(make_server):
    s, c = policy_server(make_server, "allkeys-lru")
    c.set("k", "v")
    assert c.object("idletime", "k") == 0
    with pytest.raises(redis.ResponseError) as e:
        c.object("freq", "k")
    assert "An LFU maxmemory policy is not selected" in str(e.value)
    c.config_set("maxmemory-policy", "volatile-lfu")
    c.set("k2", "v")
    assert c.object("freq", "k2") == 5  # LFU_INIT_VAL for a new value
    with pytest.raises(redis.ResponseError) as e:
        c.object("idletime", "k2")
    assert "An LFU maxmemory policy is selected, idle time not tracked" in str(e.value)


# --- what eviction reports --------------------------------------------------------------------

def test_evicted_keyspace_event(make_server):
    s, c = policy_server(make_server, "allkeys-random")
    c.config_set("notify-keyspace-events", "Ee")
    c.set("victim", "v")
    ps = c.pubsub()
    ps.subscribe("__keyevent@0__:evicted")
    assert ps.get_message(timeout=1)["type"] == "subscribe"
    c.config_set("maxmemory", 1)
    msg = ps.get_message(timeout=2)
    assert msg["channel"] == b"__keyevent@0__:evicted"
    assert msg["data"] == b"victim"
    ps.close()
    c.config_set("maxmemory", 0)


def test_eviction_fails_watched_transactions(make_server):
    s, c = policy_server(make_server, "allkeys-lru")
    c.set("w", "v")
    other = s.client()
    with c.pipeline(transaction=True) as p:
        p.watch("w")
        other.config_set("maxmemory", 1)
        other.config_set("maxmemory", 0)
        p.multi()
        p.set("w", "new")
        with pytest.raises(redis.WatchError):
            p.execute()
    assert c.exists("w") == 0


def test_eviction_invalidates_tracked_keys(make_server):
    s, c = policy_server(make_server, "allkeys-lru")
    c.set("t", "v")
    sub = s.client()
    ps = sub.pubsub()
    ps.subscribe("__redis__:invalidate")
    assert ps.get_message(timeout=1)["type"] == "subscribe"
    tracker = s.client(single_connection_client=True)
    # The subscriber's id: the client that is in Pub/Sub mode.
    pubsub_ids = [cl["id"] for cl in c.client_list() if cl["cmd"] == "subscribe"]
    assert len(pubsub_ids) == 1
    tracker.execute_command("CLIENT", "TRACKING", "on", "REDIRECT", pubsub_ids[0])
    assert tracker.get("t") == b"v"
    c.config_set("maxmemory", 1)
    msg = ps.get_message(timeout=2)
    assert msg["type"] == "message"
    assert msg["channel"] == b"__redis__:invalidate"
    assert msg["data"] == [b"t"]
    c.config_set("maxmemory", 0)
    ps.close()
    tracker.close()


def test_eviction_stats_and_info_fields(make_server):
    s, c = policy_server(make_server, "allkeys-lru", "--maxmemory-eviction-tenacity", "100")
    fill(c, "k", 500)
    c.config_set("maxmemory", 1)
    stats = c.info("stats")
    assert stats["evicted_keys"] == 500
    assert stats["total_eviction_exceeded_time"] >= 0
    assert stats["current_eviction_exceeded_time"] >= 0
    mem = c.info("memory")
    assert mem["maxmemory"] == 1
    assert mem["maxmemory_policy"] == "allkeys-lru"
    c.config_set("maxmemory", 0)
    c.config_resetstat()
    assert c.info("stats")["evicted_keys"] == 0


def test_eviction_continues_between_commands(make_server):
    # Tenacity 0: each round stops after 16 keys; a timer evicts the rest between commands.
    s, c = policy_server(make_server, "allkeys-random", "--maxmemory-eviction-tenacity", "0")
    fill(c, "k", 3000)
    c.config_set("maxmemory", 1)
    deadline = time.time() + 5
    while c.dbsize() > 0 and time.time() < deadline:
        time.sleep(0.05)
    assert c.dbsize() == 0
    assert c.info("stats")["evicted_keys"] == 3000
    c.config_set("maxmemory", 0)


def test_maxmemory_units_and_config(make_server):
    s, c = policy_server(make_server, "noeviction", "--maxmemory", "4gb")
    assert c.config_get("maxmemory")["maxmemory"] == str(4 << 30)
    assert c.info("memory")["maxmemory_human"] == "4.00G"
    c.config_set("maxmemory", "100mb")
    assert c.config_get("maxmemory")["maxmemory"] == str(100 << 20)
    for policy in ("volatile-lru", "allkeys-lfu", "volatile-ttl", "noeviction"):
        c.config_set("maxmemory-policy", policy)
        assert c.info("memory")["maxmemory_policy"] == policy
    with pytest.raises(redis.ResponseError):
        c.config_set("maxmemory-policy", "bogus")
    c.config_set("maxmemory-eviction-tenacity", 100)
    c.config_set("maxmemory-samples", 64)
    c.config_set("maxmemory", 0)
