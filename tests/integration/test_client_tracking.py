"""Client-side caching: CLIENT TRACKING (default, OPTIN/OPTOUT, BCAST with PREFIX, NOLOOP,
REDIRECT), CLIENT CACHING, GETREDIR, TRACKINGINFO, invalidation as RESP3 push frames and as
`__redis__:invalidate` messages for a RESP2 redirect client, flush invalidation, CLIENT LIST
and INFO fields, tracking-table-max-keys eviction and Redis 7.0's error texts.

Expectations are Redis 7.0's (run with BASALT_TEST_TARGET=redis to check them)."""
import time

import pytest



@pytest.fixture
def conns(conns, r):
    """conftest's connections, RESP3 by default (tracking pushes arrive in-band)."""
    yield lambda resp3=True: conns(resp3)
    r.config_set("tracking-table-max-keys", 1000000)


def invalidation(reply):
    assert reply.kind == ">", reply
    return reply.plain()


def err(reply):
    assert reply.kind == "-", reply
    return reply.value.decode()


# ---- default mode ------------------------------------------------------------------------

def test_read_then_write_by_other_sends_push(r, conns):
    c = conns()
    assert c.call("CLIENT", "TRACKING", "on").value == b"OK"
    r.set("k", "1")
    assert c.call("GET", "k").value == b"1"
    r.set("k", "2")
    assert invalidation(c.read()) == [b"invalidate", [b"k"]]
    # The entry is dropped once invalidated: a second write sends nothing.
    r.set("k", "3")
    assert c.nothing_pending()


def test_untracked_key_sends_nothing(r, conns):
    c = conns()
    c.call("CLIENT", "TRACKING", "on")
    c.call("GET", "a")
    r.set("b", "1")
    assert c.nothing_pending()


def test_multi_key_read_and_each_key_separately(r, conns):
    c = conns()
    c.call("CLIENT", "TRACKING", "on")
    c.call("MGET", "a", "b")
    r.mset({"a": 1, "b": 2})
    got = [invalidation(c.read())[1][0] for _ in range(2)]
    assert sorted(got) == [b"a", b"b"]


def test_own_write_push_follows_reply_and_noloop(r, conns):
    c = conns()
    c.call("CLIENT", "TRACKING", "on")
    c.call("GET", "k")
    assert c.call("SET", "k", "v").value == b"OK"
    assert invalidation(c.read()) == [b"invalidate", [b"k"]]
    n = conns()
    n.call("CLIENT", "TRACKING", "on", "NOLOOP")
    n.call("GET", "k")
    assert n.call("SET", "k", "w").value == b"OK"
    assert n.nothing_pending()


def test_push_after_exec_reply(r, conns):
    c = conns()
    c.call("CLIENT", "TRACKING", "on")
    c.call("GET", "k")
    c.call("MULTI")
    c.call("SET", "k", "1")
    c.call("GET", "k")
    exec_reply = c.call("EXEC")
    assert exec_reply.kind == "*" and len(exec_reply.value) == 2
    assert invalidation(c.read()) == [b"invalidate", [b"k"]]


def test_expiry_invalidates(r, conns):
    c = conns()
    c.call("CLIENT", "TRACKING", "on")
    r.set("k", "v", px=50)
    c.call("GET", "k")
    time.sleep(0.15)
    r.get("k")  # lazy expiry (or the cron) deletes it
    assert invalidation(c.read()) == [b"invalidate", [b"k"]]


def test_flush_sends_null(r, conns):
    c = conns()
    c.call("CLIENT", "TRACKING", "on")
    c.call("GET", "k")
    r.flushdb()
    assert invalidation(c.read()) == [b"invalidate", None]
    assert c.call("FLUSHALL").value == b"OK"
    assert invalidation(c.read()) == [b"invalidate", None]


def test_tracking_off_stops_messages(r, conns):
    c = conns()
    c.call("CLIENT", "TRACKING", "on")
    c.call("GET", "k")
    c.call("CLIENT", "TRACKING", "off")
    r.set("k", "1")
    assert c.nothing_pending()


# ---- OPTIN / OPTOUT ----------------------------------------------------------------------

def test_optin_tracks_only_after_caching_yes(r, conns):
    c = conns()
    c.call("CLIENT", "TRACKING", "on", "OPTIN")
    c.call("GET", "a")
    assert c.call("CLIENT", "CACHING", "yes").value == b"OK"
    c.call("GET", "b")
    c.call("GET", "c")  # CACHING covers only the next command
    r.mset({"a": 1, "b": 1, "c": 1})
    assert invalidation(c.read()) == [b"invalidate", [b"b"]]
    assert c.nothing_pending()


def test_optout_skips_after_caching_no(r, conns):
    c = conns()
    c.call("CLIENT", "TRACKING", "on", "OPTOUT")
    c.call("CLIENT", "CACHING", "no")
    c.call("GET", "a")
    c.call("GET", "b")
    r.mset({"a": 1, "b": 1})
    assert invalidation(c.read()) == [b"invalidate", [b"b"]]
    assert c.nothing_pending()


# ---- BCAST -------------------------------------------------------------------------------

def test_bcast_with_prefixes(r, conns):
    c = conns()
    assert c.call("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "user:", "PREFIX",
                  "obj:").value == b"OK"
    r.mset({"user:1": 1, "user:2": 2, "other": 3})
    msg = invalidation(c.read())
    assert msg[0] == b"invalidate" and sorted(msg[1]) == [b"user:1", b"user:2"]
    assert c.nothing_pending()
    info = r.info("stats")
    assert info["tracking_total_prefixes"] == 2


def test_bcast_without_prefix_and_noloop(r, conns):
    c = conns()
    c.call("CLIENT", "TRACKING", "on", "BCAST", "NOLOOP")
    c.call("SET", "mine", "1")
    assert c.nothing_pending()
    r.set("theirs", "1")
    assert invalidation(c.read()) == [b"invalidate", [b"theirs"]]


# ---- RESP2 REDIRECT ----------------------------------------------------------------------

def test_resp2_redirect_to_pubsub_client(r, server):
    sub = server.client()
    p = sub.pubsub()
    p.subscribe("__redis__:invalidate")
    assert p.get_message(timeout=2)["type"] == "subscribe"
    # The pubsub connection's id, found by its subscription in CLIENT LIST.
    sub_id = 0
    for c in r.client_list():
        if c["cmd"] == "subscribe":
            sub_id = int(c["id"])
    tracker = server.client()
    tracker.execute_command("CLIENT", "TRACKING", "on", "REDIRECT", sub_id)
    assert tracker.execute_command("CLIENT", "GETREDIR") == sub_id
    tracker.get("k")
    r.set("k", "1")
    deadline = time.time() + 3
    msg = None
    while time.time() < deadline and msg is None:
        msg = p.get_message(timeout=0.2)
    assert msg["channel"] == b"__redis__:invalidate"
    assert msg["data"] == [b"k"]
    # A flush sends a null key list.
    r.flushall()
    msg = None
    deadline = time.time() + 3
    while time.time() < deadline and msg is None:
        msg = p.get_message(timeout=0.2)
    assert msg["channel"] == b"__redis__:invalidate" and msg["data"] is None
    info = tracker.client_info()
    assert "t" in info["flags"] and int(info["redir"]) == sub_id
    p.close()
    tracker.close()
    sub.close()


def test_broken_redirect_resp3(r, conns):
    target = conns(resp3=False)
    target_id = target.call("CLIENT", "ID").value
    c = conns()
    c.call("CLIENT", "TRACKING", "on", "REDIRECT", target_id)
    c.call("GET", "k")
    target.close()
    time.sleep(0.1)
    r.set("k", "1")
    assert c.read().plain() == [b"tracking-redir-broken", target_id]
    flags = c.call("CLIENT", "TRACKINGINFO").plain()[b"flags"]
    assert b"broken_redirect" in flags


# ---- introspection -----------------------------------------------------------------------

def test_getredir_and_trackinginfo(r, conns):
    c = conns()
    assert c.call("CLIENT", "GETREDIR").value == -1
    info = c.call("CLIENT", "TRACKINGINFO")
    assert info.kind == "%"
    assert info.plain() == {b"flags": [b"off"], b"redirect": -1, b"prefixes": []}
    c.call("CLIENT", "TRACKING", "on", "OPTIN", "NOLOOP")
    assert c.call("CLIENT", "GETREDIR").value == 0
    c.call("CLIENT", "CACHING", "yes")
    info = c.call("CLIENT", "TRACKINGINFO").plain()
    assert sorted(info[b"flags"]) == sorted([b"on", b"optin", b"caching-yes", b"noloop"])
    assert info[b"redirect"] == 0
    b = conns()
    b.call("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "a", "PREFIX", "b")
    info = b.call("CLIENT", "TRACKINGINFO").plain()
    assert sorted(info[b"flags"]) == [b"bcast", b"on"]
    assert sorted(info[b"prefixes"]) == [b"a", b"b"]


def test_client_list_and_info_fields(r, conns):
    c = conns()
    my_id = c.call("CLIENT", "ID").value
    assert r.info("clients")["tracking_clients"] == 0
    c.call("CLIENT", "TRACKING", "on", "BCAST")
    line = c.call("CLIENT", "INFO").value.decode()
    fields = dict(kv.split("=", 1) for kv in line.split())
    assert fields["flags"] == "tB" and fields["redir"] == "0"
    assert r.info("clients")["tracking_clients"] == 1
    c.call("CLIENT", "TRACKING", "off")
    d = conns()
    d.call("CLIENT", "TRACKING", "on")
    d.call("MGET", "x", "y")
    e = conns()
    e.call("CLIENT", "TRACKING", "on")
    e.call("GET", "x")
    stats = r.info("stats")
    assert stats["tracking_total_keys"] == 2
    assert stats["tracking_total_items"] == 3
    assert stats["tracking_total_prefixes"] == 0
    assert my_id > 0


def test_table_max_keys_evicts_with_invalidation(r, conns):
    r.config_set("tracking-table-max-keys", 1)
    c = conns()
    c.call("CLIENT", "TRACKING", "on")
    c.call("GET", "k1")
    c.call("GET", "k2")
    # The eviction's push comes before the next command's reply at the latest.
    c.send("PING")
    replies = []
    while True:
        x = c.read()
        if x.kind != ">":
            assert x.value == b"PONG"
            break
        replies.append(x.plain())
    assert len(replies) == 1
    assert replies[0][0] == b"invalidate" and replies[0][1] in ([b"k1"], [b"k2"])
    assert r.info("stats")["tracking_total_keys"] == 1


# ---- errors ------------------------------------------------------------------------------

@pytest.mark.parametrize("args,message", [
    (("on", "optin", "optout"), "ERR You can't specify both OPTIN mode and OPTOUT mode"),
    (("on", "bcast", "optin"), "ERR OPTIN and OPTOUT are not compatible with BCAST"),
    (("on", "prefix", "a"), "ERR PREFIX option requires BCAST mode to be enabled"),
    (("on", "redirect", "999999"), "ERR The client ID you want redirect to does not exist"),
    (("on", "redirect", "x"), "ERR value is not an integer or out of range"),
    (("on", "bcast", "prefix", "a", "prefix", "ab"),
     "ERR Prefix 'a' overlaps with another provided prefix 'ab'. Prefixes for a single client "
     "must not overlap."),
    (("foo",), "ERR syntax error"),
    (("on", "foo"), "ERR syntax error"),
    (("on", "prefix"), "ERR syntax error"),
])
def test_tracking_errors(conns, args, message):
    c = conns()
    assert err(c.call("CLIENT", "TRACKING", *args)) == message


def test_mode_switch_and_caching_errors(conns):
    c = conns()
    assert err(c.call("CLIENT", "CACHING", "yes")) == (
        "ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN "
        "or OPTOUT mode enabled")
    assert err(c.call("CLIENT", "TRACKING")) == (
        "ERR wrong number of arguments for 'client|tracking' command")
    c.call("CLIENT", "TRACKING", "on", "OPTIN")
    assert err(c.call("CLIENT", "CACHING", "no")) == (
        "ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.")
    assert err(c.call("CLIENT", "CACHING", "maybe")) == "ERR syntax error"
    assert err(c.call("CLIENT", "TRACKING", "on", "OPTOUT")) == (
        "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and "
        "then re-enabling it with a different mode.")
    assert err(c.call("CLIENT", "TRACKING", "on", "BCAST")) == (
        "ERR You can't switch BCAST mode on/off before disabling tracking for this client, and "
        "then re-enabling it with a different mode.")
    c.call("CLIENT", "TRACKING", "off")
    c.call("CLIENT", "TRACKING", "on", "OPTOUT")
    assert err(c.call("CLIENT", "CACHING", "yes")) == (
        "ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.")
    c.call("CLIENT", "TRACKING", "off")
    c.call("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "abc")
    assert err(c.call("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "ab")) == (
        "ERR Prefix 'ab' overlaps with an existing prefix 'abc'. Prefixes for a single client "
        "must not overlap.")
    assert err(c.call("CLIENT", "GETREDIR", "x")) == (
        "ERR wrong number of arguments for 'client|getredir' command")


def test_reset_turns_tracking_off(r, conns):
    c = conns()
    c.call("CLIENT", "TRACKING", "on", "BCAST")
    assert c.call("RESET").value == b"RESET"
    assert c.call("CLIENT", "GETREDIR").value == -1
    assert r.info("clients")["tracking_clients"] == 0


# ---- scripts ------------------------------------------------------------------------------

def test_script_reads_track_the_keys_the_script_declares(r, conns):
    c = conns()
    assert c.call("CLIENT", "TRACKING", "on").value == b"OK"
    r.mset({"a": "1", "b": "2", "declared": "3", "w": "4"})
    # Redis 7.0: a read inside a script is a read by the caller's EVAL/EVAL_RO, so the keys
    # the script declares are tracked, not those it reads without declaring them; a script
    # that only writes tracks nothing.
    assert c.call("EVAL_RO", "return redis.call('get', 'a')", "1", "declared").value == b"1"
    assert c.call("EVAL", "return redis.call('get', KEYS[1])", "1", "b").value == b"2"
    c.call("EVAL", "return redis.call('set', KEYS[1], 'y')", "1", "w")
    for key in ("a", "w", "b", "declared"):
        r.set(key, "x")
    assert invalidation(c.read()) == [b"invalidate", [b"b"]]
    assert invalidation(c.read()) == [b"invalidate", [b"declared"]]
    assert c.nothing_pending()


def test_read_only_script_that_reads_nothing_tracks_nothing(r, conns):
    # EVAL_RO / FCALL_RO are read-only commands, but Redis's call() does not track them as
    # reads: only the commands the script runs count.
    c = conns()
    assert c.call("CLIENT", "TRACKING", "on").value == b"OK"
    r.mset({"k1": "1", "k2": "2"})
    assert c.call("EVAL_RO", "return redis.call('ping')", "2", "k1", "k2").value == b"PONG"
    r.mset({"k2": "3", "k1": "3"})
    assert c.call("PING").value == b"PONG"
    assert c.nothing_pending()


def test_noloop_spares_the_caller_of_a_script_that_writes(r, conns):
    c = conns()
    assert c.call("CLIENT", "TRACKING", "on", "NOLOOP").value == b"OK"
    r.set("key1", "1")
    assert c.call("GET", "key1").value == b"1"
    # The script's SET is the caller's own write: no invalidation to itself.
    c.call("EVAL", "return redis.call('set', 'key1', '2')", "1", "key1")
    assert c.call("GET", "key1").value == b"2"
    assert c.nothing_pending()
