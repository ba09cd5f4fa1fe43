"""Pub/Sub: SUBSCRIBE/PSUBSCRIBE/SSUBSCRIBE and their UNSUBSCRIBEs, PUBLISH/SPUBLISH, PUBSUB
introspection, the RESP2 subscribed mode and the RESP3 push frames, and what RESET, client
disconnection, CLIENT LIST and INFO show of subscriptions.

Expectations are Redis 7.0's (run with BASALT_TEST_TARGET=redis to check them)."""
import time

import pytest

from resp_util import error, raw


def wait_for(cond, timeout=3.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if cond():
            return True
        time.sleep(0.01)
    return cond()


def plain(reply):
    return reply.plain()


# ---- redis-py PubSub objects ---------------------------------------------------------------

def next_message(p, timeout=2.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        m = p.get_message(timeout=0.1)
        if m is not None:
            return m
    raise AssertionError("no message")


def test_subscribe_publish_with_redis_py(r):
    p = r.pubsub()
    p.subscribe("chan1", "chan2")
    assert next_message(p) == {"type": "subscribe", "pattern": None, "channel": b"chan1",
                               "data": 1}
    assert next_message(p) == {"type": "subscribe", "pattern": None, "channel": b"chan2",
                               "data": 2}
    assert r.publish("chan1", "hello") == 1
    assert r.publish("chan2", b"wo\r\nrld\x00") == 1
    assert r.publish("nobody", "x") == 0
    assert next_message(p) == {"type": "message", "pattern": None, "channel": b"chan1",
                               "data": b"hello"}
    assert next_message(p) == {"type": "message", "pattern": None, "channel": b"chan2",
                               "data": b"wo\r\nrld\x00"}
    p.unsubscribe("chan1")
    assert next_message(p)["data"] == 1
    assert r.publish("chan1", "hello") == 0
    assert r.publish("chan2", "") == 1
    assert next_message(p)["data"] == b""
    p.close()


def test_psubscribe_with_redis_py(r):
    p = r.pubsub()
    p.psubscribe("news.*")
    assert next_message(p) == {"type": "psubscribe", "pattern": None, "channel": b"news.*",
                               "data": 1}
    assert r.publish("news.sport", "goal") == 1
    assert r.publish("news", "nope") == 0
    assert next_message(p) == {"type": "pmessage", "pattern": b"news.*",
                               "channel": b"news.sport", "data": b"goal"}
    p.punsubscribe("news.*")
    assert next_message(p)["type"] == "punsubscribe"
    assert r.publish("news.sport", "x") == 0
    p.close()


def test_two_subscribers_and_mixed_subscriptions(r, server):
    c1, c2 = server.client(), server.client()
    p1, p2 = c1.pubsub(), c2.pubsub()
    p1.subscribe("foo.bar")
    p1.psubscribe("foo.*")
    p2.subscribe("foo.bar")
    assert next_message(p1)["data"] == 1
    assert next_message(p1)["data"] == 2  # channels and patterns share one count
    assert next_message(p2)["data"] == 1
    assert r.publish("foo.bar", "hi") == 3
    # The channel's subscribers first, then the pattern's.
    assert next_message(p1)["type"] == "message"
    assert next_message(p1) == {"type": "pmessage", "pattern": b"foo.*",
                                "channel": b"foo.bar", "data": b"hi"}
    assert next_message(p2)["data"] == b"hi"
    for p in (p1, p2):
        p.close()
    c1.close()
    c2.close()


def test_messages_arrive_in_publish_order(r, conns):
    sub = conns()
    assert plain(sub.call("SUBSCRIBE", "order")) == [b"subscribe", b"order", 1]
    assert plain(sub.call("PSUBSCRIBE", "ord*")) == [b"psubscribe", b"ord*", 2]
    pipe = r.pipeline(transaction=False)
    for i in range(500):
        pipe.publish("order", str(i))
    assert pipe.execute() == [2] * 500
    got = sub.read_n(1000)
    for i in range(500):
        assert plain(got[2 * i]) == [b"message", b"order", str(i).encode()]
        assert plain(got[2 * i + 1]) == [b"pmessage", b"ord*", b"order", str(i).encode()]


def test_subscribe_same_channel_twice(r, conns):
    sub = conns()
    sub.send("SUBSCRIBE", "c", "c", "c")
    assert [plain(x) for x in sub.read_n(3)] == [[b"subscribe", b"c", 1]] * 3
    assert r.publish("c", "once") == 1
    assert plain(sub.read()) == [b"message", b"c", b"once"]
    assert sub.nothing_pending()


# ---- patterns ------------------------------------------------------------------------------

@pytest.mark.parametrize("pattern,matching,other", [
    ("h?llo", ["hello", "hallo"], ["hllo", "heello"]),
    ("h*llo", ["hllo", "heeeello"], ["hell"]),
    ("h[ae]llo", ["hello", "hallo"], ["hillo"]),
    ("h[^e]llo", ["hallo", "hbllo"], ["hello"]),
    ("h[^a]llo", ["hello"], ["hallo"]),
    ("h[a-b]llo", ["hallo", "hbllo"], ["hcllo"]),
    (r"h\*llo", ["h*llo"], ["hello"]),
    (r"h\[a\]llo", ["h[a]llo"], ["hallo"]),
    (r"a\?", ["a?"], ["ab"]),
])
def test_pattern_matching(r, conns, pattern, matching, other):
    sub = conns()
    assert plain(sub.call("PSUBSCRIBE", pattern)) == [b"psubscribe", pattern.encode(), 1]
    for ch in other:
        assert r.publish(ch, "no") == 0, ch
    for ch in matching:
        assert r.publish(ch, "yes") == 1, ch
        assert plain(sub.read()) == [b"pmessage", pattern.encode(), ch.encode(), b"yes"]
    assert sub.nothing_pending()


def test_overlapping_patterns_each_deliver(r, conns):
    sub = conns()
    sub.send("PSUBSCRIBE", "a*", "*b")
    sub.read_n(2)
    assert r.publish("ab", "m") == 2
    got = sorted(tuple(plain(x)) for x in sub.read_n(2))
    assert got == [(b"pmessage", b"*b", b"ab", b"m"), (b"pmessage", b"a*", b"ab", b"m")]


# ---- unsubscribe replies -------------------------------------------------------------------

def test_unsubscribe_without_subscriptions_replies_null(conns):
    c = conns()
    assert plain(c.call("UNSUBSCRIBE")) == [b"unsubscribe", None, 0]
    assert plain(c.call("PUNSUBSCRIBE")) == [b"punsubscribe", None, 0]
    assert plain(c.call("SUNSUBSCRIBE")) == [b"sunsubscribe", None, 0]
    c.send("UNSUBSCRIBE", "foo", "bar")
    assert [plain(x) for x in c.read_n(2)] == [[b"unsubscribe", b"foo", 0],
                                              [b"unsubscribe", b"bar", 0]]
    c.send("PUNSUBSCRIBE", "f*", "b*")
    assert [plain(x) for x in c.read_n(2)] == [[b"punsubscribe", b"f*", 0],
                                              [b"punsubscribe", b"b*", 0]]
    # Still not in subscribed mode: any command works.
    assert c.call("PING").value == b"PONG"


def test_unsubscribe_all_lists_each_channel(r, conns):
    c = conns()
    c.send("SUBSCRIBE", "c1", "c2", "c3")
    c.read_n(3)
    c.send("PSUBSCRIBE", "p1*", "p2*")
    assert [plain(x)[2] for x in c.read_n(2)] == [4, 5]
    c.send("UNSUBSCRIBE")
    got = [plain(x) for x in c.read_n(3)]
    assert sorted(g[1] for g in got) == [b"c1", b"c2", b"c3"]
    assert [g[2] for g in got] == [4, 3, 2]
    assert all(g[0] == b"unsubscribe" for g in got)
    c.send("PUNSUBSCRIBE")
    got = [plain(x) for x in c.read_n(2)]
    # Patterns go in subscription order (Redis keeps them in a list).
    assert got == [[b"punsubscribe", b"p1*", 1], [b"punsubscribe", b"p2*", 0]]
    assert r.publish("c1", "x") == 0
    assert r.publish("p1x", "x") == 0
    assert c.call("PING").value == b"PONG"  # out of subscribed mode


# ---- RESP2 subscribed mode -----------------------------------------------------------------

def test_resp2_subscribed_mode_restricts_commands(conns):
    c = conns()
    c.call("SUBSCRIBE", "x")
    reply = c.call("GET", "foo")
    assert reply.kind == "-"
    assert reply.value == (b"ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE "
                           b"/ PING / QUIT / RESET are allowed in this context")
    reply = c.call("CONFIG", "GET", "maxmemory")
    assert reply.value.startswith(b"ERR Can't execute 'config|get'")
    # PING answers as a message in subscribed mode.
    assert plain(c.call("PING")) == [b"pong", b""]
    assert plain(c.call("PING", "hi")) == [b"pong", b"hi"]
    assert plain(c.call("PSUBSCRIBE", "y*")) == [b"psubscribe", b"y*", 2]
    assert plain(c.call("SSUBSCRIBE", "z")) == [b"ssubscribe", b"z", 1]
    assert plain(c.call("UNSUBSCRIBE", "x")) == [b"unsubscribe", b"x", 1]
    assert plain(c.call("PUNSUBSCRIBE", "y*")) == [b"punsubscribe", b"y*", 0]
    # Still subscribed to a shard channel: still restricted.
    assert c.call("GET", "foo").kind == "-"
    assert plain(c.call("SUNSUBSCRIBE", "z")) == [b"sunsubscribe", b"z", 0]
    assert c.call("GET", "foo").value is None
    assert c.call("PING").value == b"PONG"


def test_quit_in_subscribed_mode(conns):
    c = conns()
    c.call("SUBSCRIBE", "x")
    assert c.call("QUIT").value == b"OK"


# ---- RESP3 ---------------------------------------------------------------------------------

def test_resp3_push_frames(r, conns):
    c = conns(resp3=True)
    reply = c.call("SUBSCRIBE", "ch")
    assert reply.kind == ">"
    assert plain(reply) == [b"subscribe", b"ch", 1]
    reply = c.call("PSUBSCRIBE", "c*")
    assert reply.kind == ">" and plain(reply) == [b"psubscribe", b"c*", 2]
    reply = c.call("SSUBSCRIBE", "sh")
    assert reply.kind == ">" and plain(reply) == [b"ssubscribe", b"sh", 1]
    # Any command is allowed in RESP3.
    r.set("k", "v")
    assert c.call("GET", "k").value == b"v"
    assert c.call("PING").value == b"PONG"
    assert r.publish("ch", "hello") == 2
    m1, m2 = c.read(), c.read()
    assert m1.kind == ">" and plain(m1) == [b"message", b"ch", b"hello"]
    assert m2.kind == ">" and plain(m2) == [b"pmessage", b"c*", b"ch", b"hello"]
    assert r.execute_command("SPUBLISH", "sh", "shard") == 1
    m = c.read()
    assert m.kind == ">" and plain(m) == [b"smessage", b"sh", b"shard"]
    reply = c.call("UNSUBSCRIBE")
    assert reply.kind == ">" and plain(reply) == [b"unsubscribe", b"ch", 1]
    reply = c.call("UNSUBSCRIBE")
    assert reply.kind == ">" and reply.value[1].kind == "_"
    assert plain(reply) == [b"unsubscribe", None, 1]
    reply = c.call("PUNSUBSCRIBE")
    assert plain(reply) == [b"punsubscribe", b"c*", 0]
    reply = c.call("SUNSUBSCRIBE")
    assert reply.kind == ">" and plain(reply) == [b"sunsubscribe", b"sh", 0]


def test_resp3_publish_to_self_interleaves_with_replies(conns):
    c = conns(resp3=True)
    c.call("SUBSCRIBE", "me")
    c.send("PUBLISH", "me", "hi")
    first, second = c.read(), c.read()
    # The message is appended while PUBLISH runs, so it precedes PUBLISH's own reply.
    assert first.kind == ">" and plain(first) == [b"message", b"me", b"hi"]
    assert second.kind == ":" and second.value == 1


def test_pushes_survive_client_reply_off(r, conns):
    c = conns(resp3=True)
    c.send("CLIENT", "REPLY", "OFF")
    assert plain(c.call("SUBSCRIBE", "ch")) == [b"subscribe", b"ch", 1]
    assert r.publish("ch", "m") == 1
    assert plain(c.read()) == [b"message", b"ch", b"m"]
    assert plain(c.call("UNSUBSCRIBE", "ch")) == [b"unsubscribe", b"ch", 0]
    c.send("GET", "x")
    assert c.nothing_pending()


# ---- sharded Pub/Sub -----------------------------------------------------------------------

def test_sharded_pubsub(r, conns):
    s1, s2 = conns(), conns()
    assert plain(s1.call("SSUBSCRIBE", "chan1")) == [b"ssubscribe", b"chan1", 1]
    assert plain(s2.call("SUBSCRIBE", "chan1")) == [b"subscribe", b"chan1", 1]
    assert r.execute_command("SPUBLISH", "chan1", "hello") == 1
    assert r.publish("chan1", "world") == 1
    assert plain(s1.read()) == [b"smessage", b"chan1", b"hello"]
    assert plain(s2.read()) == [b"message", b"chan1", b"world"]
    assert r.execute_command("PUBSUB", "SHARDNUMSUB", "chan1") == [b"chan1", 1]
    assert r.execute_command("PUBSUB", "NUMSUB", "chan1") == [b"chan1", 1]
    assert r.execute_command("PUBSUB", "SHARDCHANNELS") == [b"chan1"]
    assert r.execute_command("PUBSUB", "CHANNELS") == [b"chan1"]
    # Patterns never see shard channels.
    p = conns()
    p.call("PSUBSCRIBE", "*")
    assert r.execute_command("SPUBLISH", "chan1", "x") == 1
    assert s1.read() is not None
    assert p.nothing_pending()
    # Shard subscriptions count on their own.
    assert plain(s1.call("SSUBSCRIBE", "chan2", "chan1")) == [b"ssubscribe", b"chan2", 2]
    assert plain(s1.read()) == [b"ssubscribe", b"chan1", 2]
    assert plain(s1.call("SUBSCRIBE", "plain")) == [b"subscribe", b"plain", 1]
    s1.send("SUNSUBSCRIBE")
    got = [plain(x) for x in s1.read_n(2)]
    assert sorted(g[1] for g in got) == [b"chan1", b"chan2"] and [g[2] for g in got] == [1, 0]
    assert r.execute_command("PUBSUB", "SHARDCHANNELS") == []


def test_sharded_arguments(r):
    assert error(r, "SSUBSCRIBE") == "wrong number of arguments for 'ssubscribe' command"
    assert error(r, "SPUBLISH", "a") == "wrong number of arguments for 'spublish' command"
    assert error(r, "SPUBLISH", "a", "b", "c") == \
        "wrong number of arguments for 'spublish' command"
    assert r.execute_command("SPUBLISH", "nobody", "x") == 0


# ---- PUBSUB introspection ------------------------------------------------------------------

def test_pubsub_introspection(r, conns):
    assert r.execute_command("PUBSUB", "NUMPAT") == 0
    assert r.execute_command("PUBSUB", "NUMSUB") == []
    assert r.execute_command("PUBSUB", "NUMSUB", "abc", "def") == [b"abc", 0, b"def", 0]
    a, b = conns(), conns()
    a.send("SUBSCRIBE", "news.1", "news.2", "sport")
    a.read_n(3)
    b.call("SUBSCRIBE", "news.1")
    a.send("PSUBSCRIBE", "foo*", "bar*")
    a.read_n(2)
    b.send("PSUBSCRIBE", "foo*", "baz*")
    b.read_n(2)
    assert r.execute_command("PUBSUB", "NUMPAT") == 3  # distinct patterns
    assert r.execute_command("PUBSUB", "NUMSUB", "news.1", "sport", "x") == \
        [b"news.1", 2, b"sport", 1, b"x", 0]
    assert sorted(r.execute_command("PUBSUB", "CHANNELS")) == [b"news.1", b"news.2", b"sport"]
    assert sorted(r.execute_command("PUBSUB", "CHANNELS", "news.*")) == [b"news.1", b"news.2"]
    assert r.execute_command("PUBSUB", "CHANNELS", "n[^e]*") == []
    info = r.info("stats")
    assert info["pubsub_channels"] == 3
    assert info["pubsub_patterns"] == 3
    assert info["pubsubshard_channels"] == 0
    b.call("SSUBSCRIBE", "s1")
    assert r.info("stats")["pubsubshard_channels"] == 1
    a.close()
    assert wait_for(lambda: r.execute_command("PUBSUB", "NUMPAT") == 2)
    assert r.execute_command("PUBSUB", "NUMSUB", "news.1", "news.2") == \
        [b"news.1", 1, b"news.2", 0]


def test_pubsub_errors_and_help(r):
    assert error(r, "SUBSCRIBE") == "wrong number of arguments for 'subscribe' command"
    assert error(r, "PSUBSCRIBE") == "wrong number of arguments for 'psubscribe' command"
    assert error(r, "PUBLISH", "a") == "wrong number of arguments for 'publish' command"
    assert error(r, "PUBSUB") == "wrong number of arguments for 'pubsub' command"
    assert error(r, "PUBSUB", "foo") == "unknown subcommand 'foo'. Try PUBSUB HELP."
    assert error(r, "PUBSUB", "NUMPAT", "x") == \
        "wrong number of arguments for 'pubsub|numpat' command"
    assert error(r, "PUBSUB", "CHANNELS", "a", "b") == \
        "unknown subcommand or wrong number of arguments for 'CHANNELS'. Try PUBSUB HELP."
    assert error(r, "PUBSUB", "SHARDCHANNELS", "a", "b") == \
        "unknown subcommand or wrong number of arguments for 'SHARDCHANNELS'. Try PUBSUB HELP."
    help_lines = raw(r, "PUBSUB", "HELP")
    assert help_lines[0] == b"PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"
    assert b"NUMPAT" in help_lines and help_lines[-1] == b"    Prints this help."


def test_command_info(r):
    info = raw(r, "COMMAND", "INFO", "publish", "subscribe", "ssubscribe")
    publish, subscribe, ssubscribe = info
    assert publish[1] == 3 and set(publish[2]) == {b"pubsub", b"loading", b"stale", b"fast"}
    assert subscribe[1] == -2
    assert set(subscribe[2]) == {b"pubsub", b"noscript", b"loading", b"stale"}
    assert ssubscribe[3:6] == [1, -1, 1]


# ---- session state -------------------------------------------------------------------------

def test_reset_unsubscribes_everything(r, conns):
    c = conns()
    c.call("SUBSCRIBE", "a")
    c.call("PSUBSCRIBE", "b*")
    c.call("SSUBSCRIBE", "s")
    assert c.call("RESET").value == b"RESET"
    assert r.publish("a", "x") == 0
    assert r.publish("bx", "x") == 0
    assert r.execute_command("SPUBLISH", "s", "x") == 0
    assert r.execute_command("PUBSUB", "NUMPAT") == 0
    assert c.call("PING").value == b"PONG"
    assert c.nothing_pending()


def test_disconnect_unsubscribes(r, conns):
    c = conns()
    c.send("SUBSCRIBE", "gone1", "gone2")
    c.read_n(2)
    c.call("PSUBSCRIBE", "gone*")
    assert r.publish("gone1", "x") == 2
    c.close()
    assert wait_for(lambda: r.publish("gone1", "x") == 0)
    assert r.execute_command("PUBSUB", "NUMSUB", "gone1", "gone2") == [b"gone1", 0, b"gone2", 0]
    assert r.execute_command("PUBSUB", "NUMPAT") == 0


def test_client_list_shows_subscriptions(r, conns):
    c = conns()
    c.call("CLIENT", "SETNAME", "listener")
    c.send("SUBSCRIBE", "a", "b")
    c.read_n(2)
    c.call("PSUBSCRIBE", "p*")
    c.call("SSUBSCRIBE", "s")
    line = [x for x in r.execute_command("CLIENT", "LIST").decode().splitlines()
            if "name=listener" in x][0]
    fields = dict(f.split("=", 1) for f in line.split(" "))
    assert fields["flags"] == "P"
    assert (fields["sub"], fields["psub"], fields["ssub"]) == ("2", "1", "1")
    pubsub_only = r.execute_command("CLIENT", "LIST", "TYPE", "pubsub").decode()
    assert "name=listener" in pubsub_only and pubsub_only.count("\n") == 1
    assert "name=listener" not in r.execute_command("CLIENT", "LIST", "TYPE", "normal").decode()
    assert r.execute_command("CLIENT", "KILL", "TYPE", "pubsub") == 1
    assert wait_for(lambda: r.execute_command("PUBSUB", "NUMSUB", "a") == [b"a", 0])
