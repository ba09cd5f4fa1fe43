"""Generic keyspace commands: DEL UNLINK EXISTS TYPE KEYS RANDOMKEY RENAME RENAMENX COPY MOVE
SWAPDB DBSIZE FLUSHDB FLUSHALL TOUCH OBJECT, with Redis 7.0's replies and error texts."""
import time

import pytest

from conftest import dirty
from resp_util import error, first_reply_line, raw_command

INT_MAX = 2147483647


def object_command(r, *args):
    """OBJECT through execute_command (redis-py's OBJECT callback needs `infotype`)."""
    return r.execute_command("OBJECT", *args, infotype=args[0].lower())


# --- DEL, UNLINK, EXISTS, TYPE -------------------------------------------------------------


@pytest.mark.parametrize("cmd", ["DEL", "UNLINK"])
def test_del_and_unlink(r, cmd):
    r.mset({"a": 1, "b": 2, "c": 3})
    assert r.execute_command(cmd, "a", "b", "nosuch", "a") == 2
    assert r.exists("a", "b") == 0
    assert r.get("c") == b"3"
    assert r.execute_command(cmd, "nosuch") == 0
    assert error(r, cmd) == f"wrong number of arguments for '{cmd.lower()}' command"


def test_del_does_not_count_expired_keys(r):
    r.set("k", "v", px=1)
    time.sleep(0.02)
    assert r.delete("k") == 0


def test_exists_counts_duplicates(r):
    r.set("a", "1")
    assert r.exists("a") == 1
    assert r.exists("a", "a", "b", "a") == 3
    assert r.exists("nosuch") == 0
    assert error(r, "EXISTS") == "wrong number of arguments for 'exists' command"


def test_exists_counts_keyspace_hits_and_misses(r):
    r.config_resetstat()
    r.set("a", "1")
    r.exists("a", "b", "a")
    stats = r.info("stats")
    assert stats["keyspace_hits"] == 2
    assert stats["keyspace_misses"] == 1


def test_type(server, r):
    r.set("s", "x")
    r.set("i", 12)
    assert r.type("s") == b"string"
    assert r.type("i") == b"string"
    assert r.type("nosuch") == b"none"
    # A status reply, not a bulk string.
    assert first_reply_line(server.port, "TYPE", "nosuch") == b"+none"
    assert error(r, "TYPE") == "wrong number of arguments for 'type' command"
    assert error(r, "TYPE", "a", "b") == "wrong number of arguments for 'type' command"


# --- KEYS ------------------------------------------------------------------------------------


def test_keys_patterns(r):
    r.mset({"hello": 1, "hallo": 2, "hxllo": 3, "hllo": 4, "heeeello": 5, "a*b": 6, "": 7})
    assert sorted(r.keys("*")) == [b"", b"a*b", b"hallo", b"heeeello", b"hello", b"hllo",
                                   b"hxllo"]
    assert sorted(r.keys("h?llo")) == [b"hallo", b"hello", b"hxllo"]
    assert sorted(r.keys("h*llo")) == [b"hallo", b"heeeello", b"hello", b"hllo", b"hxllo"]
    assert sorted(r.keys("h[ae]llo")) == [b"hallo", b"hello"]
    assert sorted(r.keys("h[^e]llo")) == [b"hallo", b"hxllo"]
    assert sorted(r.keys("h[a-b]llo")) == [b"hallo"]
    assert r.keys("a\\*b") == [b"a*b"]
    assert r.keys("nomatch*") == []
    assert error(r, "KEYS") == "wrong number of arguments for 'keys' command"


def test_keys_skips_expired_keys(r):
    r.set("live", "1")
    for i in range(20):
        r.set(f"dead{i}", "x", px=1)
    time.sleep(0.02)
    assert r.keys("*") == [b"live"]


def test_keys_empty_database(r):
    assert r.keys("*") == []


# --- RANDOMKEY -------------------------------------------------------------------------------


def test_randomkey(r):
    assert r.randomkey() is None
    r.set("only", "1")
    assert r.randomkey() == b"only"
    r.mset({"a": 1, "b": 2})
    seen = {r.randomkey() for _ in range(200)}
    assert seen == {b"only", b"a", b"b"}
    assert error(r, "RANDOMKEY", "x") == "wrong number of arguments for 'randomkey' command"


def test_randomkey_skips_expired_keys(r):
    p = r.pipeline(transaction=False)
    for i in range(500):
        p.set(f"dead{i}", "x", px=1)
    p.execute()
    time.sleep(0.02)
    assert r.randomkey() is None
    p = r.pipeline(transaction=False)
    for i in range(500):
        p.set(f"dead{i}", "x", px=1)
    p.execute()
    r.set("live", "1")
    time.sleep(0.02)
    # Even with hundreds of expired keys around, the one live key is found.
    assert r.randomkey() == b"live"


# --- RENAME, RENAMENX ------------------------------------------------------------------------


def test_rename(r):
    r.set("a", "va")
    assert r.rename("a", "b") is True
    assert r.get("a") is None
    assert r.get("b") == b"va"
    assert error(r, "RENAME", "nosuch", "x") == "no such key"
    assert error(r, "RENAME", "nosuch", "nosuch") == "no such key"
    assert error(r, "RENAME", "a") == "wrong number of arguments for 'rename' command"


def test_rename_overwrites_destination_and_its_ttl(r):
    r.set("src", "1")
    r.set("dst", "2", ex=100)
    assert r.rename("src", "dst")
    assert r.get("dst") == b"1"
    assert r.ttl("dst") == -1
    assert r.dbsize() == 1


def test_rename_keeps_ttl(r):
    r.set("src", "1", ex=100)
    r.rename("src", "dst")
    assert 95 <= r.ttl("dst") <= 100
    r.persist("dst")
    r.rename("dst", "dst2")
    assert r.ttl("dst2") == -1


def test_rename_same_key(r):
    r.set("k", "v", ex=100)
    assert r.rename("k", "k") is True
    assert r.get("k") == b"v"
    assert r.ttl("k") > 0
    assert r.renamenx("k", "k") is False


def test_rename_expired_source_is_no_such_key(r):
    r.set("k", "v", px=1)
    time.sleep(0.02)
    assert error(r, "RENAME", "k", "x") == "no such key"
    assert error(r, "RENAMENX", "k", "x") == "no such key"


def test_renamenx(r):
    r.set("a", "1")
    r.set("b", "2")
    assert r.renamenx("a", "b") is False
    assert r.get("a") == b"1"
    assert r.get("b") == b"2"
    assert r.renamenx("a", "c") is True
    assert r.get("a") is None
    assert r.get("c") == b"1"
    assert error(r, "RENAMENX", "nosuch", "x") == "no such key"
    assert error(r, "RENAMENX", "a", "b", "c") == \
        "wrong number of arguments for 'renamenx' command"


# --- COPY ------------------------------------------------------------------------------------


def test_copy(r):
    r.set("src", "hello")
    assert r.copy("src", "dst") is True
    assert r.get("dst") == b"hello"
    # Independent values: changing the source leaves the copy alone.
    r.set("src", "changed")
    assert r.get("dst") == b"hello"
    assert r.copy("nosuch", "x") is False
    assert r.exists("x") == 0


def test_copy_existing_destination_and_replace(r):
    r.set("src", "1")
    r.set("dst", "2", ex=100)
    assert r.copy("src", "dst") is False
    assert r.get("dst") == b"2"
    assert r.execute_command("COPY", "src", "dst", "REPLACE") == 1
    assert r.get("dst") == b"1"
    assert r.ttl("dst") == -1


def test_copy_keeps_ttl(r):
    r.set("src", "1", px=100000)
    assert r.copy("src", "dst")
    assert 95000 < r.pttl("dst") <= 100000


def test_copy_to_another_db(server, r):
    r.set("src", "v", ex=100)
    assert r.execute_command("COPY", "src", "dst", "DB", "1") == 1
    assert r.exists("dst") == 0
    r1 = server.client(db=1)
    try:
        assert r1.get("dst") == b"v"
        assert 95 <= r1.ttl("dst") <= 100
        # The same name in another database is a different key.
        assert r.execute_command("COPY", "src", "src", "db", "1") == 1
        assert r1.get("src") == b"v"
        assert r.execute_command("COPY", "src", "src", "DB", "1") == 0
        r.set("src", "new")
        assert r.execute_command("COPY", "src", "src", "DB", 1, "REPLACE") == 1
        assert r1.get("src") == b"new"
    finally:
        r1.close()


def test_copy_errors(r):
    r.set("k", "v")
    assert error(r, "COPY", "k", "k") == "source and destination objects are the same"
    assert error(r, "COPY", "k", "k", "DB", "0") == "source and destination objects are the same"
    assert error(r, "COPY", "k", "k2", "DB", "x") == "value is not an integer or out of range"
    assert error(r, "COPY", "k", "k2", "DB", "16") == "DB index is out of range"
    assert error(r, "COPY", "k", "k2", "DB", "-1") == "DB index is out of range"
    assert error(r, "COPY", "k", "k2", "DB", "2147483648") == \
        "value is out of range, value must between -2147483648 and 2147483647"
    assert error(r, "COPY", "k", "k2", "DB") == "syntax error"
    assert error(r, "COPY", "k", "k2", "FOO") == "syntax error"
    assert error(r, "COPY", "k") == "wrong number of arguments for 'copy' command"
    # Arguments are checked before the source key is looked at.
    assert error(r, "COPY", "nosuch", "x", "BAR") == "syntax error"
    assert r.exists("k2") == 0


# --- MOVE ------------------------------------------------------------------------------------


def test_move(server, r):
    r.set("k", "v", ex=100)
    assert r.move("k", 1) is True
    assert r.exists("k") == 0
    r1 = server.client(db=1)
    try:
        assert r1.get("k") == b"v"
        assert 95 <= r1.ttl("k") <= 100
        # Destination holds the key already: nothing moves.
        r.set("k", "other")
        assert r.move("k", 1) is False
        assert r.get("k") == b"other"
        assert r1.get("k") == b"v"
        assert r.move("nosuch", 1) is False
    finally:
        r1.close()


def test_move_errors(r):
    r.set("k", "v")
    assert error(r, "MOVE", "k", "0") == "source and destination objects are the same"
    assert error(r, "MOVE", "k", "16") == "DB index is out of range"
    assert error(r, "MOVE", "k", "-1") == "DB index is out of range"
    assert error(r, "MOVE", "k", "x") == "value is not an integer or out of range"
    assert error(r, "MOVE", "k", "99999999999") == \
        "value is out of range, value must between -2147483648 and 2147483647"
    assert error(r, "MOVE", "k") == "wrong number of arguments for 'move' command"
    assert r.get("k") == b"v"


# --- SWAPDB, DBSIZE, FLUSHDB, FLUSHALL --------------------------------------------------------


def test_swapdb(server, r):
    r.set("a", "db0", ex=100)
    r1 = server.client(db=1)
    try:
        r1.set("b", "db1")
        assert r.swapdb(0, 1) is True
        assert r.get("b") == b"db1"
        assert r.get("a") is None
        assert r1.get("a") == b"db0"
        assert 95 <= r1.ttl("a") <= 100
        assert r.swapdb(1, 1) is True
        assert r1.get("a") == b"db0"
    finally:
        r1.close()


def test_swapdb_errors(r):
    assert error(r, "SWAPDB", "x", "1") == "invalid first DB index"
    assert error(r, "SWAPDB", "1", "x") == "invalid second DB index"
    assert error(r, "SWAPDB", "99999999999", "1") == "invalid first DB index"
    assert error(r, "SWAPDB", "0", "16") == "DB index is out of range"
    assert error(r, "SWAPDB", "-1", "0") == "DB index is out of range"
    assert error(r, "SWAPDB", "99", "x") == "invalid second DB index"
    assert error(r, "SWAPDB", "0") == "wrong number of arguments for 'swapdb' command"


def test_dbsize(r):
    assert r.dbsize() == 0
    r.mset({"a": 1, "b": 2})
    assert r.dbsize() == 2
    r.delete("a")
    assert r.dbsize() == 1
    assert error(r, "DBSIZE", "x") == "wrong number of arguments for 'dbsize' command"


@pytest.mark.parametrize("mode", [None, "SYNC", "ASYNC", "async"])
def test_flushdb_only_current_db(server, r, mode):
    r.mset({"a": 1, "b": 2})
    r1 = server.client(db=1)
    try:
        r1.set("c", 3)
        args = ["FLUSHDB"] + ([mode] if mode else [])
        r.execute_command(*args)
        assert r.dbsize() == 0
        assert r1.get("c") == b"3"
    finally:
        r1.close()


@pytest.mark.parametrize("mode", [None, "SYNC", "ASYNC"])
def test_flushall(server, r, mode):
    r.mset({"a": 1, "b": 2})
    r1 = server.client(db=1)
    try:
        r1.set("c", 3, ex=100)
        args = ["FLUSHALL"] + ([mode] if mode else [])
        r.execute_command(*args)
        assert r.dbsize() == 0
        assert r1.dbsize() == 0
    finally:
        r1.close()


def test_flush_errors(r):
    r.set("k", "v")
    assert error(r, "FLUSHDB", "FOO") == "syntax error"
    assert error(r, "FLUSHDB", "ASYNC", "SYNC") == "syntax error"
    assert error(r, "FLUSHALL", "FOO") == "syntax error"
    assert error(r, "FLUSHALL", "SYNC", "SYNC") == "syntax error"
    assert r.get("k") == b"v"


# --- TOUCH -----------------------------------------------------------------------------------


def test_touch(r):
    r.mset({"a": 1, "b": 2})
    assert r.touch("a", "b", "nosuch", "a") == 3
    assert r.touch("nosuch") == 0
    assert error(r, "TOUCH") == "wrong number of arguments for 'touch' command"


# --- OBJECT ----------------------------------------------------------------------------------


def test_object_encoding(r):
    r.set("int", "12345")
    r.set("neg", "-7")
    r.set("embstr", "hello")
    r.set("raw", "x" * 45)
    r.set("notcanonical", "012")
    assert r.object("encoding", "int") == b"int"
    assert r.object("encoding", "neg") == b"int"
    assert r.object("encoding", "embstr") == b"embstr"
    assert r.object("encoding", "raw") == b"raw"
    assert r.object("encoding", "notcanonical") == b"embstr"
    assert r.object("encoding", "nosuch") is None


def test_object_refcount(r):
    r.set("small", "5")
    r.set("zero", "0")
    r.set("big", "10000")
    r.set("neg", "-1")
    r.set("str", "abc")
    # Redis shares one object per integer 0..9999 and reports INT_MAX for it.
    assert r.object("refcount", "small") == INT_MAX
    assert r.object("refcount", "zero") == INT_MAX
    assert r.object("refcount", "big") == 1
    assert r.object("refcount", "neg") == 1
    assert r.object("refcount", "str") == 1
    assert r.object("refcount", "nosuch") is None


def test_object_refcount_no_sharing_with_lru_maxmemory(make_server):
    s = make_server("--maxmemory", "100mb", "--maxmemory-policy", "allkeys-lru")
    c = s.client()
    c.set("small", "5")
    assert c.object("refcount", "small") == 1
    c.close()


def test_object_idletime(r):
    r.set("k", "v")
    assert r.object("idletime", "k") == 0
    assert r.object("idletime", "nosuch") is None
    time.sleep(2.1)
    # EXISTS, TYPE, TTL and OBJECT itself do not refresh the access time.
    r.exists("k")
    r.type("k")
    r.ttl("k")
    assert r.object("idletime", "k") >= 1
    assert r.touch("k") == 1
    assert r.object("idletime", "k") == 0


def test_object_freq_requires_lfu_policy(r):
    r.set("k", "v")
    assert error(r, "OBJECT", "FREQ", "k") == (
        "An LFU maxmemory policy is not selected, access frequency not tracked. Please note "
        "that when switching between policies at runtime LRU and LFU data will take some time "
        "to adjust.")
    assert object_command(r, "FREQ", "nosuch") is None


def test_object_under_lfu_policy(make_server):
    s = make_server("--maxmemory-policy", "allkeys-lfu")
    c = s.client()
    c.set("k", "v")
    freq = object_command(c, "FREQ", "k")
    assert isinstance(freq, int) and 0 <= freq <= 255
    assert error(c, "OBJECT", "IDLETIME", "k") == (
        "An LFU maxmemory policy is selected, idle time not tracked. Please note that when "
        "switching between policies at runtime LRU and LFU data will take some time to adjust.")
    c.close()


def test_object_help_and_errors(server, r):
    lines = object_command(r, "HELP")
    assert lines[0] == b"OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"
    assert b"ENCODING <key>" in lines
    assert b"FREQ <key>" in lines
    assert b"IDLETIME <key>" in lines
    assert b"REFCOUNT <key>" in lines
    assert lines[-2:] == [b"HELP", b"    Prints this help."]
    assert len(lines) == 15
    assert first_reply_line(server.port, "OBJECT", "HELP") == b"*15"
    assert error(r, "OBJECT", "foo", "k") == "unknown subcommand 'foo'. Try OBJECT HELP."
    assert error(r, "OBJECT") == "wrong number of arguments for 'object' command"
    assert error(r, "OBJECT", "ENCODING") == \
        "wrong number of arguments for 'object|encoding' command"
    assert error(r, "OBJECT", "HELP", "x") == "wrong number of arguments for 'object|help' command"
    assert first_reply_line(server.port, "OBJECT", "ENCODING", "nosuch") == b"$-1"


def test_resp3_nulls(server, r):
    out = raw_command(server.port, b"HELLO 3\r\nOBJECT ENCODING nosuch\r\nRANDOMKEY\r\n"
                      b"OBJECT REFCOUNT nosuch\r\n", read_timeout=0.5)
    assert out.endswith(b"_\r\n_\r\n_\r\n")


# --- Dirty counter (rdb_changes_since_last_save) ---------------------------------------------


def test_writes_count_dirty_as_redis(r):
    r.mset({"a": 1, "b": 2, "c": 3})
    base = dirty(r)
    r.delete("a", "b", "nosuch")
    assert dirty(r) == base + 2
    r.rename("c", "d")
    assert dirty(r) == base + 3
    r.renamenx("d", "d")
    r.copy("nosuch", "x")
    assert dirty(r) == base + 3
    r.copy("d", "e")
    assert dirty(r) == base + 4
    r.move("e", 1)
    assert dirty(r) == base + 5
    r.swapdb(0, 0)
    assert dirty(r) == base + 6
    r.flushdb()  # one key left in db 0
    assert dirty(r) == base + 7
    r.flushall()  # one key in db 1
    assert dirty(r) == base + 8
    r.flushall()
    assert dirty(r) == base + 8
