"""SLOWLOG GET/LEN/RESET/HELP and the slowlog-* parameters."""
import time

import pytest
import redis

from conftest import arity


def slowlog(r, *args):
    # Through execute_command("SLOWLOG", ...) redis-py applies no reply conversion.
    return r.execute_command("SLOWLOG", *args)


@pytest.fixture
def sl(r):
    old = r.config_get("slowlog-*")
    r.config_set("slowlog-log-slower-than", 0)
    r.config_set("slowlog-max-len", 128)
    slowlog(r, "RESET")
    yield r
    for k, v in old.items():
        r.config_set(k, v)
    slowlog(r, "RESET")


def test_entries_have_redis_shape(sl):
    r = sl
    r.client_setname("slow-client")
    r.set("foo", "bar")
    entries = slowlog(r, "GET")
    # Newest first: SET, then CLIENT SETNAME, then the RESET itself.
    assert len(entries) == 3
    e = entries[0]
    assert len(e) == 6
    id_, ts, duration, argv, addr, name = e
    assert argv == [b"SET", b"foo", b"bar"]  # as sent
    assert abs(ts - time.time()) < 5
    assert duration >= 0
    assert name == b"slow-client"
    host, port = addr.decode().rsplit(":", 1)
    assert host == "127.0.0.1" and int(port) > 0
    assert entries[1][3] == [b"CLIENT", b"SETNAME", b"slow-client"]
    assert entries[2][3] == [b"SLOWLOG", b"RESET"]
    assert [x[0] for x in entries] == [id_, id_ - 1, id_ - 2]


def test_len_and_reset(sl):
    r = sl
    for i in range(5):
        r.set(f"k{i}", i)
    assert slowlog(r, "LEN") == 6  # RESET and 5 SETs: the LEN is logged after it replied
    assert slowlog(r, "RESET") == b"OK"
    assert slowlog(r, "LEN") == 1  # the RESET itself


def test_get_count(sl):
    r = sl
    for i in range(20):
        r.set(f"k{i}", i)
    assert len(slowlog(r, "GET")) == 10  # default
    assert len(slowlog(r, "GET", 3)) == 3
    assert len(slowlog(r, "GET", 0)) == 0
    assert len(slowlog(r, "GET", -1)) == 24  # RESET, 20 SETs, 3 GETs
    for bad in ("-2", "abc", "1.5"):
        with pytest.raises(redis.ResponseError) as e:
            slowlog(r, "GET", bad)
        assert str(e.value) == "count should be greater than or equal to -1"


def test_max_len(sl):
    r = sl
    r.config_set("slowlog-max-len", 3)
    for i in range(10):
        r.set(f"k{i}", i)
    assert slowlog(r, "LEN") == 3
    r.config_set("slowlog-max-len", 0)
    r.set("a", 1)
    assert slowlog(r, "LEN") == 0


def test_threshold(make_server):
    r = make_server("--enable-debug-command", "yes").client()
    r.config_set("slowlog-log-slower-than", 100000)  # 100 ms
    slowlog(r, "RESET")
    r.set("fast", 1)
    r.execute_command("DEBUG", "SLEEP", "0.2")
    entries = slowlog(r, "GET")
    assert len(entries) == 1
    assert entries[0][3] == [b"DEBUG", b"SLEEP", b"0.2"]
    assert entries[0][2] >= 200000
    # Negative: disabled.
    r.config_set("slowlog-log-slower-than", -1)
    slowlog(r, "RESET")
    r.execute_command("DEBUG", "SLEEP", "0")
    assert slowlog(r, "LEN") == 0


def test_arguments_are_trimmed(sl):
    r = sl
    r.execute_command("SADD", "set", *[str(i) for i in range(40)])
    argv = slowlog(r, "GET", 1)[0][3]
    assert len(argv) == 32
    assert argv[:3] == [b"SADD", b"set", b"0"]
    assert argv[30] == b"28"
    assert argv[31] == b"... (11 more arguments)"  # 42 arguments, 31 shown
    r.set("long", "x" * 200)
    argv = slowlog(r, "GET", 1)[0][3]
    assert argv[2] == b"x" * 128 + b"... (72 more bytes)"


def test_passwords_are_redacted(sl):
    r = sl
    with pytest.raises(redis.ResponseError):
        r.execute_command("AUTH", "nopass-user", "secret")
    argv = slowlog(r, "GET", 1)[0][3]
    assert argv == [b"AUTH", b"(redacted)", b"(redacted)"]


def test_exec_is_not_logged_but_its_commands_are(sl):
    r = sl
    p = r.pipeline(transaction=True)
    p.set("a", 1)
    p.incr("a")
    p.execute()
    names = [e[3][0].lower() for e in slowlog(r, "GET", 3)]
    assert names == [b"incrby", b"set", b"multi"]


def test_help_and_errors(r):
    lines = slowlog(r, "HELP")
    assert lines[0] == b"SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"
    assert b"GET [<count>]" in lines
    with pytest.raises(redis.ResponseError) as e:
        slowlog(r, "HELP", "x")
    assert str(e.value) == arity("slowlog|help")
    with pytest.raises(redis.ResponseError) as e:
        slowlog(r, "LEN", "x")
    assert str(e.value) == arity("slowlog|len")
    with pytest.raises(redis.ResponseError) as e:
        slowlog(r, "FOO")
    assert str(e.value) == "unknown subcommand 'FOO'. Try SLOWLOG HELP."
    with pytest.raises(redis.ResponseError) as e:
        slowlog(r)
    assert str(e.value) == arity("slowlog")


def test_redis_py_parses_slowlog(sl):
    r = sl
    r.set("x", "y")
    entries = r.slowlog_get(1)
    assert entries[0]["command"] == b"SET x y"
    assert r.slowlog_len() >= 1
