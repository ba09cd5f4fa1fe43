"""Streams (issue 5): XADD ... XINFO, consumer groups, blocking reads, and a worker pool.

Every expectation holds against Debian's redis-server 7.0 (BASALT_TEST_TARGET=redis)."""
import threading
import time

import pytest
import redis

from conftest import arity, encoding
from resp_util import raw


def ids(reply):
    return [e[0] for e in reply]


def add(r, key, n, start=1):
    for i in range(start, start + n):
        r.execute_command("XADD", key, f"{i}-0", "f", str(i))


# ---- XADD ---------------------------------------------------------------------------------

def test_xadd_ids_and_errors(r):
    assert r.execute_command("XADD", "s", "1-1", "a", "1") == b"1-1"
    assert r.execute_command("XADD", "s", "1-*", "a", "2") == b"1-2"
    assert r.execute_command("XADD", "s", "5", "a", "3") == b"5-0"
    with pytest.raises(redis.ResponseError, match="equal or smaller than the target stream top"):
        r.execute_command("XADD", "s", "5-0", "a", "1")
    with pytest.raises(redis.ResponseError, match="equal or smaller"):
        r.execute_command("XADD", "s", "4-*", "a", "1")
    with pytest.raises(redis.ResponseError, match="must be greater than 0-0"):
        r.execute_command("XADD", "new", "0-0", "a", "1")
    assert not r.exists("new")
    with pytest.raises(redis.ResponseError, match="Invalid stream ID"):
        r.execute_command("XADD", "s", "abc", "a", "1")
    with pytest.raises(redis.ResponseError, match=arity("xadd")):
        r.execute_command("XADD", "s", "*", "a")
    with pytest.raises(redis.ResponseError, match=arity("xadd")):
        r.execute_command("XADD", "s", "*")
    auto = r.execute_command("XADD", "s", "*", "a", "1")
    ms, seq = auto.split(b"-")
    assert int(ms) > 5
    assert r.xlen("s") == 4
    assert r.type("s") == b"stream"
    assert encoding(r, "s") == b"stream"


def test_xadd_nomkstream_and_trim_options(r):
    assert r.execute_command("XADD", "s", "NOMKSTREAM", "*", "a", "1") is None
    assert not r.exists("s")
    for i in range(1, 11):
        r.execute_command("XADD", "s", "MAXLEN", "5", f"{i}-0", "f", "v")
    assert r.xlen("s") == 5
    r.execute_command("XADD", "s", "MINID", "=", "9", "11-0", "f", "v")
    assert ids(raw(r, "XRANGE", "s", "-", "+")) == [b"9-0", b"10-0", b"11-0"]
    with pytest.raises(redis.ResponseError, match="MAXLEN and MINID options at the same time"):
        r.execute_command("XADD", "s", "MAXLEN", "1", "MINID", "1", "*", "f", "v")
    with pytest.raises(redis.ResponseError, match="The MAXLEN argument must be >= 0"):
        r.execute_command("XADD", "s", "MAXLEN", "-1", "*", "f", "v")
    with pytest.raises(redis.ResponseError, match="not an integer"):
        r.execute_command("XADD", "s", "MAXLEN", "x", "*", "f", "v")
    with pytest.raises(redis.ResponseError, match="LIMIT cannot be used without the special ~"):
        r.execute_command("XADD", "s", "MAXLEN", "1", "LIMIT", "10", "*", "f", "v")
    with pytest.raises(redis.ResponseError, match="The LIMIT argument must be >= 0"):
        r.execute_command("XADD", "s", "MAXLEN", "~", "1", "LIMIT", "-1", "*", "f", "v")
    with pytest.raises(redis.ResponseError,
                       match="LIMIT cannot be used without specifying a trimming strategy"):
        r.execute_command("XADD", "s", "LIMIT", "10", "*", "f", "v")


def test_approximate_trimming_keeps_whole_nodes(r):
    r.config_set("stream-node-max-entries", 10)
    try:
        add(r, "s", 100)
        assert r.execute_command("XTRIM", "s", "MAXLEN", "~", "55") == 40
        assert r.xlen("s") == 60
        assert r.execute_command("XTRIM", "s", "MAXLEN", "~", "55", "LIMIT", "5") == 0
        assert r.execute_command("XTRIM", "s", "MAXLEN", "55") == 5
        # The node of 41..50 (five left after the exact trim) goes whole with the next two.
        assert r.execute_command("XTRIM", "s", "MINID", "~", "71") == 25
        assert r.execute_command("XTRIM", "s", "MINID", "73") == 2
        assert raw(r, "XRANGE", "s", "-", "+", "COUNT", "1")[0][0] == b"73-0"
    finally:
        r.config_set("stream-node-max-entries", 100)


def test_xtrim_errors(r, strkey):
    with pytest.raises(redis.ResponseError, match="XTRIM must be called with a trimming strategy"):
        r.execute_command("XTRIM", "s", "LIMIT", "0")
    with pytest.raises(redis.ResponseError,
                       match="LIMIT cannot be used without specifying a trimming strategy"):
        r.execute_command("XTRIM", "s", "LIMIT", "1")
    with pytest.raises(redis.ResponseError, match="syntax error"):
        r.execute_command("XTRIM", "s", "FOO", "1")
    assert r.execute_command("XTRIM", "missing", "MAXLEN", "1") == 0
    with pytest.raises(redis.ResponseError, match="WRONGTYPE"):
        r.execute_command("XTRIM", strkey, "MAXLEN", "1")


# ---- XRANGE / XREVRANGE / XLEN / XDEL -----------------------------------------------------

def test_xrange_bounds_and_count(r, strkey):
    add(r, "s", 5)
    r.execute_command("XADD", "s", "5-1", "f", "x")
    assert ids(raw(r, "XRANGE", "s", "-", "+")) == [b"1-0", b"2-0", b"3-0", b"4-0", b"5-0", b"5-1"]
    assert ids(raw(r, "XRANGE", "s", "(2-0", "(5-1")) == [b"3-0", b"4-0", b"5-0"]
    assert ids(raw(r, "XRANGE", "s", "5", "5")) == [b"5-0", b"5-1"]
    assert ids(raw(r, "XREVRANGE", "s", "+", "-", "COUNT", "2")) == [b"5-1", b"5-0"]
    assert ids(raw(r, "XREVRANGE", "s", "(5-1", "(1")) == [b"5-0", b"4-0", b"3-0", b"2-0"]
    assert raw(r, "XRANGE", "s", "-", "+", "COUNT", "0") is None
    assert raw(r, "XRANGE", "s", "-", "+", "COUNT", "-3") is None
    assert raw(r, "XRANGE", "s", "1-0", "1-0") == [[b"1-0", [b"f", b"1"]]]
    assert raw(r, "XRANGE", "missing", "-", "+") == []
    with pytest.raises(redis.ResponseError, match="Invalid stream ID"):
        r.execute_command("XRANGE", "s", "(-", "+")
    with pytest.raises(redis.ResponseError, match="invalid end ID for the interval"):
        r.execute_command("XRANGE", "s", "-", "(0-0")
    with pytest.raises(redis.ResponseError,
                       match="invalid start ID for the interval"):
        r.execute_command("XRANGE", "s", "(18446744073709551615-18446744073709551615", "+")
    with pytest.raises(redis.ResponseError, match="syntax error"):
        r.execute_command("XRANGE", "s", "-", "+", "COUNT")
    with pytest.raises(redis.ResponseError, match="not an integer"):
        r.execute_command("XRANGE", "s", "-", "+", "COUNT", "x")
    with pytest.raises(redis.ResponseError, match="WRONGTYPE"):
        r.execute_command("XRANGE", strkey, "-", "+")
    with pytest.raises(redis.ResponseError, match=arity("xrange")):
        r.execute_command("XRANGE", "s", "-")
    assert r.xlen("missing") == 0
    with pytest.raises(redis.ResponseError, match="WRONGTYPE"):
        r.xlen(strkey)


def test_xdel_and_bookkeeping(r):
    add(r, "s", 3)
    assert r.execute_command("XDEL", "s", "2-0", "9-0", "2-0") == 1
    assert r.execute_command("XDEL", "missing", "1-0") == 0
    with pytest.raises(redis.ResponseError, match="Invalid stream ID"):
        r.execute_command("XDEL", "s", "x")
    info = raw(r, "XINFO", "STREAM", "s")
    d = dict(zip(info[::2], info[1::2]))
    assert d[b"length"] == 2
    assert d[b"max-deleted-entry-id"] == b"2-0"
    assert d[b"entries-added"] == 3
    assert d[b"recorded-first-entry-id"] == b"1-0"
    r.execute_command("XDEL", "s", "1-0", "3-0")
    info = raw(r, "XINFO", "STREAM", "s")
    d = dict(zip(info[::2], info[1::2]))
    assert d[b"length"] == 0
    assert d[b"first-entry"] is None and d[b"last-entry"] is None
    assert d[b"recorded-first-entry-id"] == b"0-0"
    assert d[b"last-generated-id"] == b"3-0"
    assert r.exists("s")  # an emptied stream stays


def test_xsetid(r):
    add(r, "s", 3)
    with pytest.raises(redis.ResponseError, match="smaller than the target stream top item"):
        r.execute_command("XSETID", "s", "2-0")
    with pytest.raises(redis.ResponseError, match="smaller than the target stream length"):
        r.execute_command("XSETID", "s", "5-0", "ENTRIESADDED", "1")
    with pytest.raises(redis.ResponseError, match="smaller than the provided max_deleted"):
        r.execute_command("XSETID", "s", "5-0", "MAXDELETEDID", "6-0")
    with pytest.raises(redis.ResponseError, match="entries_added must be positive"):
        r.execute_command("XSETID", "s", "5-0", "ENTRIESADDED", "-1")
    with pytest.raises(redis.ResponseError, match="no such key"):
        r.execute_command("XSETID", "missing", "5-0")
    with pytest.raises(redis.ResponseError, match="syntax error"):
        r.execute_command("XSETID", "s", "5-0", "FOO")
    assert r.execute_command("XSETID", "s", "10-0", "ENTRIESADDED", "7",
                             "MAXDELETEDID", "4-0") == b"OK"
    with pytest.raises(redis.ResponseError, match="equal or smaller"):
        r.execute_command("XADD", "s", "9-0", "f", "v")
    info = raw(r, "XINFO", "STREAM", "s")
    d = dict(zip(info[::2], info[1::2]))
    assert (d[b"last-generated-id"], d[b"entries-added"], d[b"max-deleted-entry-id"]) == (
        b"10-0", 7, b"4-0")


# ---- XREAD --------------------------------------------------------------------------------

def test_xread_basic_and_errors(r, strkey):
    add(r, "a", 3)
    add(r, "b", 1)
    assert raw(r, "XREAD", "COUNT", "2", "STREAMS", "a", "b", "0", "0") == [
        [b"a", [[b"1-0", [b"f", b"1"]], [b"2-0", [b"f", b"2"]]]],
        [b"b", [[b"1-0", [b"f", b"1"]]]]]
    assert raw(r, "XREAD", "STREAMS", "a", "b", "$", "1-0") is None
    assert raw(r, "XREAD", "STREAMS", "missing", "0") is None
    with pytest.raises(redis.ResponseError, match="Unbalanced XREAD list of streams"):
        r.execute_command("XREAD", "STREAMS", "a", "b", "0")
    with pytest.raises(redis.ResponseError, match="syntax error"):
        r.execute_command("XREAD", "COUNT", "1", "a", "0")
    with pytest.raises(redis.ResponseError, match="The GROUP option is only supported by XREADGROUP"):
        r.execute_command("XREAD", "GROUP", "g", "c", "STREAMS", "a", "0")
    with pytest.raises(redis.ResponseError, match="The NOACK option is only supported"):
        r.execute_command("XREAD", "NOACK", "STREAMS", "a", "0")
    with pytest.raises(redis.ResponseError, match="The > ID can be specified only"):
        r.execute_command("XREAD", "STREAMS", "a", ">")
    with pytest.raises(redis.ResponseError, match="timeout is not an integer"):
        r.execute_command("XREAD", "BLOCK", "x", "STREAMS", "a", "0")
    with pytest.raises(redis.ResponseError, match="timeout is negative"):
        r.execute_command("XREAD", "BLOCK", "-1", "STREAMS", "a", "0")
    with pytest.raises(redis.ResponseError, match="WRONGTYPE"):
        r.execute_command("XREAD", "STREAMS", strkey, "0")
    with pytest.raises(redis.ResponseError, match="Invalid stream ID"):
        r.execute_command("XREAD", "STREAMS", "a", "-")
    assert raw(r, "COMMAND", "GETKEYS", "XREAD", "COUNT", "1", "STREAMS",
                             "a", "b", "0", "0") == [b"a", b"b"]


def test_xread_block_timeout_and_wakeup(r, server):
    add(r, "s", 2)
    t0 = time.time()
    assert raw(r, "XREAD", "BLOCK", "100", "STREAMS", "s", "$") is None
    assert time.time() - t0 >= 0.09
    other = server.client() if hasattr(server, "client") else None
    result = {}

    def reader():
        c = server.client()
        result["v"] = raw(c, "XREAD", "BLOCK", "5000", "STREAMS", "s", "$")

    th = threading.Thread(target=reader)
    th.start()
    time.sleep(0.2)
    # "$" means the last ID when XREAD was called: the entry added now is delivered, and
    # so would be any entry with an ID above 2-0 even if the stream changed in between.
    other.execute_command("XADD", "s", "7-0", "k", "v")
    th.join(5)
    assert result["v"] == [[b"s", [[b"7-0", [b"k", b"v"]]]]]
    other.close()


def test_xread_block_on_missing_key_then_xadd(r, server):
    result = {}

    def reader():
        c = server.client()
        result["v"] = raw(c, "XREAD", "BLOCK", "0", "STREAMS", "k", "$")

    th = threading.Thread(target=reader)
    th.start()
    time.sleep(0.2)
    r.execute_command("XADD", "k", "1-0", "a", "b")
    th.join(5)
    assert result["v"] == [[b"k", [[b"1-0", [b"a", b"b"]]]]]


def test_xread_block_in_multi_is_a_timeout(r):
    add(r, "s", 1)
    p = r.pipeline(transaction=True)
    p.execute_command("XREAD", "BLOCK", "0", "STREAMS", "s", "$")
    assert p.execute()[0] in (None, [])  # redis-py turns the null array into []


# ---- consumer groups ----------------------------------------------------------------------

def test_xgroup_subcommands_and_errors(r, strkey):
    with pytest.raises(redis.ResponseError, match="requires the key to exist"):
        r.execute_command("XGROUP", "CREATE", "s", "g", "$")
    assert r.execute_command("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM") == b"OK"
    assert r.exists("s") and r.xlen("s") == 0
    with pytest.raises(redis.ResponseError, match="BUSYGROUP Consumer Group name already exists"):
        r.execute_command("XGROUP", "CREATE", "s", "g", "$")
    with pytest.raises(redis.ResponseError, match="ENTRIESREAD must be positive or -1"):
        r.execute_command("XGROUP", "CREATE", "s", "g2", "$", "ENTRIESREAD", "-5")
    with pytest.raises(redis.ResponseError, match="unknown subcommand or wrong number of arguments"):
        r.execute_command("XGROUP", "CREATE", "s", "g2", "$", "FOO")
    with pytest.raises(redis.ResponseError, match="Invalid stream ID"):
        r.execute_command("XGROUP", "CREATE", "s", "g2", "x")
    with pytest.raises(redis.ResponseError, match="WRONGTYPE"):
        r.execute_command("XGROUP", "CREATE", strkey, "g", "$")
    with pytest.raises(redis.ResponseError,
                       match="NOGROUP No such consumer group 'nope' for key name 's'"):
        r.execute_command("XGROUP", "SETID", "s", "nope", "0")
    assert r.execute_command("XGROUP", "CREATECONSUMER", "s", "g", "alice") == 1
    assert r.execute_command("XGROUP", "CREATECONSUMER", "s", "g", "alice") == 0
    assert r.execute_command("XGROUP", "DELCONSUMER", "s", "g", "bob") == 0
    assert r.execute_command("XGROUP", "SETID", "s", "g", "0", "ENTRIESREAD", "0") == b"OK"
    assert r.execute_command("XGROUP", "DESTROY", "s", "nope") == 0
    assert r.execute_command("XGROUP", "DESTROY", "s", "g") == 1
    with pytest.raises(redis.ResponseError, match=arity("xgroup|destroy")):
        r.execute_command("XGROUP", "DESTROY", "s")
    help_lines = r.execute_command("XGROUP", "HELP")
    assert help_lines[0].startswith(b"XGROUP <subcommand>")
    assert help_lines[-1] == b"    Prints this help."


def test_xreadgroup_pel_and_history(r):
    add(r, "s", 3)
    r.execute_command("XGROUP", "CREATE", "s", "g", "0")
    got = raw(r, "XREADGROUP", "GROUP", "g", "c1", "COUNT", "2", "STREAMS", "s", ">")
    assert ids(got[0][1]) == [b"1-0", b"2-0"]
    got = raw(r, "XREADGROUP", "GROUP", "g", "c2", "STREAMS", "s", ">")
    assert ids(got[0][1]) == [b"3-0"]
    assert raw(r, "XREADGROUP", "GROUP", "g", "c2", "STREAMS", "s", ">") is None
    # History starts after the given ID.
    assert raw(r, "XREADGROUP", "GROUP", "g", "c2", "STREAMS", "s", "3-0") == [[b"s", []]]
    assert ids(raw(r, "XREADGROUP", "GROUP", "g", "c2", "STREAMS", "s", "2-9")[0][1]) == [b"3-0"]
    # History: the consumer's own pending entries.
    hist = raw(r, "XREADGROUP", "GROUP", "g", "c1", "STREAMS", "s", "0")
    assert ids(hist[0][1]) == [b"1-0", b"2-0"]
    r.execute_command("XDEL", "s", "1-0")
    hist = raw(r, "XREADGROUP", "GROUP", "g", "c1", "STREAMS", "s", "0")
    assert hist[0][1][0] == [b"1-0", None]
    assert r.execute_command("XACK", "s", "g", "1-0", "2-0", "9-0") == 2
    assert raw(r, "XREADGROUP", "GROUP", "g", "c1", "STREAMS", "s", "0") == [[b"s", []]]
    summary = raw(r, "XPENDING", "s", "g")
    assert summary == [1, b"3-0", b"3-0", [[b"c2", b"1"]]]
    # NOACK: delivered without entering the PEL.
    r.execute_command("XADD", "s", "4-0", "f", "4")
    got = raw(r, "XREADGROUP", "GROUP", "g", "c1", "NOACK", "STREAMS", "s", ">")
    assert ids(got[0][1]) == [b"4-0"]
    assert raw(r, "XPENDING", "s", "g")[0] == 1


def test_xreadgroup_errors(r, strkey):
    add(r, "s", 1)
    with pytest.raises(redis.ResponseError, match="Missing GROUP option for XREADGROUP"):
        r.execute_command("XREADGROUP", "COUNT", "1", "BLOCK", "0", "STREAMS", "s", ">")
    with pytest.raises(redis.ResponseError,
                       match="NOGROUP No such key 's' or consumer group 'g' in XREADGROUP"):
        r.execute_command("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">")
    r.execute_command("XGROUP", "CREATE", "s", "g", "0")
    with pytest.raises(redis.ResponseError, match="The \\$ ID is meaningless"):
        r.execute_command("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "$")
    with pytest.raises(redis.ResponseError, match="WRONGTYPE"):
        r.execute_command("XREADGROUP", "GROUP", "g", "c", "STREAMS", strkey, ">")
    with pytest.raises(redis.ResponseError, match=arity("xreadgroup")):
        r.execute_command("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s")


def test_xreadgroup_blocks_until_xadd(r, server):
    r.execute_command("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM")
    result = {}

    def reader():
        c = server.client()
        result["v"] = raw(c, "XREADGROUP", "GROUP", "g", "c", "BLOCK", "5000",
                                        "STREAMS", "s", ">")

    th = threading.Thread(target=reader)
    th.start()
    time.sleep(0.2)
    r.execute_command("XADD", "s", "1-0", "a", "1")
    th.join(5)
    assert result["v"] == [[b"s", [[b"1-0", [b"a", b"1"]]]]]
    assert raw(r, "XPENDING", "s", "g")[0] == 1


def test_xreadgroup_blocked_group_destroyed(r, server):
    r.execute_command("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM")
    result = {}

    def reader():
        c = server.client()
        try:
            c.execute_command("XREADGROUP", "GROUP", "g", "c", "BLOCK", "5000",
                              "STREAMS", "s", ">")
        except redis.ResponseError as e:
            result["err"] = str(e)

    th = threading.Thread(target=reader)
    th.start()
    time.sleep(0.2)
    r.execute_command("XGROUP", "DESTROY", "s", "g")
    th.join(5)
    assert "the consumer group this client was blocked on no longer exists" in result["err"]


def test_xpending_extended(r):
    add(r, "s", 4)
    r.execute_command("XGROUP", "CREATE", "s", "g", "0")
    raw(r, "XREADGROUP", "GROUP", "g", "c1", "COUNT", "3", "STREAMS", "s", ">")
    raw(r, "XREADGROUP", "GROUP", "g", "c2", "STREAMS", "s", ">")
    rows = raw(r, "XPENDING", "s", "g", "-", "+", "10")
    assert [(e[0], e[1], e[3]) for e in rows] == [
        (b"1-0", b"c1", 1), (b"2-0", b"c1", 1), (b"3-0", b"c1", 1), (b"4-0", b"c2", 1)]
    assert ids(raw(r, "XPENDING", "s", "g", "(1-0", "+", "2")) == [b"2-0", b"3-0"]
    assert ids(raw(r, "XPENDING", "s", "g", "-", "+", "10", "c2")) == [b"4-0"]
    assert raw(r, "XPENDING", "s", "g", "-", "+", "10", "nobody") == []
    assert raw(r, "XPENDING", "s", "g", "IDLE", "100000", "-", "+", "10") == []
    time.sleep(0.05)
    assert len(raw(r, "XPENDING", "s", "g", "IDLE", "10", "-", "+", "10")) == 4
    with pytest.raises(redis.ResponseError, match="syntax error"):
        r.execute_command("XPENDING", "s", "g", "-", "+")
    with pytest.raises(redis.ResponseError, match="syntax error"):
        r.execute_command("XPENDING", "s", "g", "IDLE", "10", "-", "+")
    with pytest.raises(redis.ResponseError, match="not an integer"):
        r.execute_command("XPENDING", "s", "g", "-", "+", "x")
    with pytest.raises(redis.ResponseError, match="NOGROUP No such key 's' or consumer group 'x'"):
        r.execute_command("XPENDING", "s", "x")
    r.execute_command("XGROUP", "CREATE", "s", "empty", "$")
    assert raw(r, "XPENDING", "s", "empty") == [0, None, None, None]


def test_xclaim(r):
    add(r, "s", 3)
    r.execute_command("XGROUP", "CREATE", "s", "g", "0")
    raw(r, "XREADGROUP", "GROUP", "g", "c1", "STREAMS", "s", ">")
    # Not idle long enough: nothing claimed.
    assert raw(r, "XCLAIM", "s", "g", "c2", "100000", "1-0") == []
    got = raw(r, "XCLAIM", "s", "g", "c2", "0", "1-0", "2-0")
    assert got == [[b"1-0", [b"f", b"1"]], [b"2-0", [b"f", b"2"]]]
    rows = raw(r, "XPENDING", "s", "g", "-", "+", "10")
    assert [(e[0], e[1], e[3]) for e in rows] == [
        (b"1-0", b"c2", 2), (b"2-0", b"c2", 2), (b"3-0", b"c1", 1)]
    assert raw(r, "XCLAIM", "s", "g", "c3", "0", "3-0", "JUSTID", "RETRYCOUNT", "7") == [b"3-0"]
    assert raw(r, "XPENDING", "s", "g", "3-0", "3-0", "1")[0][3] == 7
    # IDLE sets the delivery time in the past.
    raw(r, "XCLAIM", "s", "g", "c3", "0", "3-0", "IDLE", "500000", "JUSTID")
    assert raw(r, "XPENDING", "s", "g", "3-0", "3-0", "1")[0][2] >= 500000
    # A deleted entry is dropped from the PEL.
    r.execute_command("XDEL", "s", "2-0")
    assert raw(r, "XCLAIM", "s", "g", "c3", "0", "2-0") == []
    assert raw(r, "XPENDING", "s", "g")[0] == 2
    # FORCE creates a pending entry for an existing, never-delivered entry.
    r.execute_command("XADD", "s", "5-0", "f", "5")
    assert raw(r, "XCLAIM", "s", "g", "c1", "0", "5-0", "FORCE", "JUSTID") == [b"5-0"]
    raw(r, "XCLAIM", "s", "g", "c1", "0", "1-0", "LASTID", "9-0", "JUSTID")
    groups = raw(r, "XINFO", "GROUPS", "s")
    assert dict(zip(groups[0][::2], groups[0][1::2]))[b"last-delivered-id"] == b"9-0"
    with pytest.raises(redis.ResponseError, match="Invalid min-idle-time argument for XCLAIM"):
        r.execute_command("XCLAIM", "s", "g", "c", "x", "1-0")
    with pytest.raises(redis.ResponseError, match="Unrecognized XCLAIM option 'FOO'"):
        r.execute_command("XCLAIM", "s", "g", "c", "0", "1-0", "FOO")
    with pytest.raises(redis.ResponseError, match="Invalid IDLE option argument for XCLAIM"):
        r.execute_command("XCLAIM", "s", "g", "c", "0", "1-0", "IDLE", "x")
    with pytest.raises(redis.ResponseError, match="NOGROUP No such key 's' or consumer group 'x'"):
        r.execute_command("XCLAIM", "s", "x", "c", "0", "1-0")


def test_xautoclaim_with_deleted_entries(r):
    add(r, "s", 5)
    r.execute_command("XGROUP", "CREATE", "s", "g", "0")
    raw(r, "XREADGROUP", "GROUP", "g", "c1", "STREAMS", "s", ">")
    r.execute_command("XDEL", "s", "2-0")
    # A deleted entry counts against COUNT and is reported in the third element.
    got = raw(r, "XAUTOCLAIM", "s", "g", "c2", "0", "0", "COUNT", "2")
    assert got == [b"3-0", [[b"1-0", [b"f", b"1"]]], [b"2-0"]]
    got = raw(r, "XAUTOCLAIM", "s", "g", "c2", "0", "3-0", "JUSTID")
    assert got == [b"0-0", [b"3-0", b"4-0", b"5-0"], []]
    assert raw(r, "XAUTOCLAIM", "s", "g", "c3", "100000", "-") == [b"0-0", [], []]
    with pytest.raises(redis.ResponseError, match="COUNT must be > 0"):
        r.execute_command("XAUTOCLAIM", "s", "g", "c", "0", "0", "COUNT", "0")
    with pytest.raises(redis.ResponseError, match="Invalid min-idle-time argument for XAUTOCLAIM"):
        r.execute_command("XAUTOCLAIM", "s", "g", "c", "x", "0")
    with pytest.raises(redis.ResponseError, match="syntax error"):
        r.execute_command("XAUTOCLAIM", "s", "g", "c", "0", "0", "FOO")
    with pytest.raises(redis.ResponseError, match="NOGROUP"):
        r.execute_command("XAUTOCLAIM", "s", "nope", "c", "0", "0")


def test_xinfo_and_lag(r, strkey):
    add(r, "s", 5)
    r.execute_command("XGROUP", "CREATE", "s", "g", "0")
    raw(r, "XREADGROUP", "GROUP", "g", "c", "COUNT", "2", "STREAMS", "s", ">")
    g = raw(r, "XINFO", "GROUPS", "s")[0]
    d = dict(zip(g[::2], g[1::2]))
    assert d == {b"name": b"g", b"consumers": 1, b"pending": 2,
                 b"last-delivered-id": b"2-0", b"entries-read": 2, b"lag": 3}
    # A deletion after the group's position makes the lag unknown.
    r.execute_command("XDEL", "s", "4-0")
    d = dict(zip(*[iter(raw(r, "XINFO", "GROUPS", "s")[0])] * 2))
    assert d[b"lag"] is None
    r.execute_command("XGROUP", "CREATE", "s", "late", "$")
    d = dict(zip(*[iter(raw(r, "XINFO", "GROUPS", "s")[1])] * 2))
    assert d[b"entries-read"] is None and d[b"lag"] == 0
    c = raw(r, "XINFO", "CONSUMERS", "s", "g")[0]
    cd = dict(zip(c[::2], c[1::2]))
    assert cd[b"name"] == b"c" and cd[b"pending"] == 2 and cd[b"idle"] >= 0
    full = raw(r, "XINFO", "STREAM", "s", "FULL", "COUNT", "1")
    fd = dict(zip(full[::2], full[1::2]))
    assert ids(fd[b"entries"]) == [b"1-0"]
    gd = dict(zip(*[iter(fd[b"groups"][0])] * 2))
    assert gd[b"pel-count"] == 2 and len(gd[b"pending"]) == 1
    with pytest.raises(redis.ResponseError, match="no such key"):
        r.execute_command("XINFO", "STREAM", "missing")
    with pytest.raises(redis.ResponseError, match="WRONGTYPE"):
        r.execute_command("XINFO", "STREAM", strkey)
    with pytest.raises(redis.ResponseError,
                       match="NOGROUP No such consumer group 'x' for key name 's'"):
        r.execute_command("XINFO", "CONSUMERS", "s", "x")
    with pytest.raises(redis.ResponseError, match="unknown subcommand or wrong number"):
        r.execute_command("XINFO", "STREAM", "s", "FOO")
    assert r.execute_command("XINFO", "HELP")[0].startswith(b"XINFO <subcommand>")


def test_copy_rename_digest(make_server):
    srv = make_server("--enable-debug-command", "yes")
    r = srv.client()
    add(r, "s", 3)
    r.execute_command("XGROUP", "CREATE", "s", "g", "0")
    raw(r, "XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">")
    assert r.execute_command("COPY", "s", "s2") == 1
    assert raw(r, "XPENDING", "s2", "g")[0] == 3
    r.execute_command("XACK", "s2", "g", "1-0")
    assert raw(r, "XPENDING", "s", "g")[0] == 3  # a deep copy
    r.rename("s2", "s3")
    assert r.type("s3") == b"stream"
    assert r.execute_command("SCAN", "0", "TYPE", "stream")[1] == [b"s", b"s3"] or \
        sorted(r.execute_command("SCAN", "0", "TYPE", "stream")[1]) == [b"s", b"s3"]
    assert r.execute_command("DEBUG", "DIGEST-VALUE", "s") == \
        r.execute_command("DEBUG", "DIGEST-VALUE", "s3")


# ---- a worker pool ------------------------------------------------------------------------

def test_worker_pool_exactly_once_with_autoclaim(r, server):
    """4 consumers share a group; one dies holding messages; another XAUTOCLAIMs them;
    every message is processed exactly once and acknowledged."""
    n = 200
    for i in range(n):
        r.execute_command("XADD", "jobs", "*", "n", str(i))
    r.execute_command("XGROUP", "CREATE", "jobs", "workers", "0")
    processed = []
    lock = threading.Lock()

    def worker(name, die_after=None):
        c = server.client()
        done = 0
        while True:
            got = raw(c, "XREADGROUP", "GROUP", "workers", name, "COUNT", "5",
                    "BLOCK", "200", "STREAMS", "jobs", ">")
            if not got:
                break
            for eid, fields in got[0][1]:
                if die_after is not None and done >= die_after:
                    c.close()
                    return  # dies with messages delivered but never acknowledged
                with lock:
                    processed.append(fields[1])
                c.execute_command("XACK", "jobs", "workers", eid)
                done += 1
        c.close()

    threads = [threading.Thread(target=worker, args=(f"w{i}", 3 if i == 0 else None))
               for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    # The dead worker's pending entries go to w1.
    assert raw(r, "XPENDING", "jobs", "workers")[0] > 0
    cursor = b"0-0"
    while True:
        nxt, claimed, deleted = raw(r, "XAUTOCLAIM", "jobs", "workers", "w1", "0", cursor,
                                  "COUNT", "10")
        for eid, fields in claimed:
            processed.append(fields[1])
            r.execute_command("XACK", "jobs", "workers", eid)
        assert deleted == []
        if nxt == b"0-0":
            break
        cursor = nxt
    assert sorted(int(p) for p in processed) == list(range(n))
    assert raw(r, "XPENDING", "jobs", "workers")[0] == 0
