"""Server administration commands: TIME, LASTSAVE, CONFIG GET/SET/RESETSTAT/REWRITE/HELP,
SHUTDOWN, DEBUG (OBJECT, SLEEP, SET-ACTIVE-EXPIRE, HELP) and MONITOR."""
import re
import socket
import time

import pytest
import redis

from resp_util import as_dict, encode, raw, request


def wrong_args(name):
    return rf"^wrong number of arguments for '{re.escape(name)}' command$"


# ---- TIME, LASTSAVE --------------------------------------------------------------------------

def test_time(r):
    reply = raw(r, "TIME")
    assert len(reply) == 2
    seconds, micros = reply
    assert re.fullmatch(rb"\d+", seconds) and re.fullmatch(rb"\d+", micros)
    assert 0 <= int(micros) < 1_000_000
    assert abs(int(seconds) + int(micros) / 1e6 - time.time()) < 2
    with pytest.raises(redis.ResponseError, match=wrong_args("time")):
        raw(r, "TIME", "x")


def test_time_advances(r):
    first = [int(x) for x in raw(r, "TIME")]
    time.sleep(0.01)
    second = [int(x) for x in raw(r, "TIME")]
    assert second[0] * 1_000_000 + second[1] > first[0] * 1_000_000 + first[1]


def test_lastsave(r):
    t = raw(r, "LASTSAVE")
    assert isinstance(t, int)
    assert time.time() - 3600 < t <= time.time() + 1
    assert raw(r, "LASTSAVE") == t
    with pytest.raises(redis.ResponseError, match=wrong_args("lastsave")):
        raw(r, "LASTSAVE", "x")


# ---- CONFIG ----------------------------------------------------------------------------------

def test_config_get(r):
    assert raw(r, "CONFIG", "GET", "maxmemory") == [b"maxmemory", b"0"]
    assert raw(r, "CONFIG", "GET", "nosuchparameter") == []
    reply = raw(r, "CONFIG", "GET", "maxmemory", "hz")
    assert as_dict(reply) == {b"maxmemory": b"0", b"hz": b"10"}


def test_config_get_glob(r):
    reply = raw(r, "CONFIG", "GET", "maxmemory*")
    names = set(reply[::2])
    assert {b"maxmemory", b"maxmemory-policy", b"maxmemory-samples"} <= names
    assert all(name.startswith(b"maxmemory") for name in names)
    everything = raw(r, "CONFIG", "GET", "*")
    assert len(everything) > 100 and len(everything) % 2 == 0


def test_config_get_resp3_map(server):
    [reply] = request(server.port, ("CONFIG", "GET", "maxmemory"), resp3=True)
    assert reply.kind == "%"
    assert reply.plain() == {b"maxmemory": b"0"}


def test_config_set_roundtrip(r):
    assert raw(r, "CONFIG", "SET", "maxmemory-samples", "7") == b"OK"
    try:
        assert raw(r, "CONFIG", "GET", "maxmemory-samples") == [b"maxmemory-samples", b"7"]
        assert raw(r, "CONFIG", "SET", "maxmemory-samples", "3", "hz", "20") == b"OK"
        assert raw(r, "CONFIG", "GET", "hz") == [b"hz", b"20"]
    finally:
        raw(r, "CONFIG", "SET", "maxmemory-samples", "5", "hz", "10")


def test_config_set_errors(r):
    with pytest.raises(redis.ResponseError,
                       match=r"^Unknown option or number of arguments for CONFIG SET - "
                             r"'nosuchparameter'$"):
        raw(r, "CONFIG", "SET", "nosuchparameter", "1")
    with pytest.raises(redis.ResponseError, match=r"^syntax error$"):
        raw(r, "CONFIG", "SET", "maxmemory", "10", "hz")
    with pytest.raises(redis.ResponseError, match=r"argument couldn't be parsed into an integer"):
        raw(r, "CONFIG", "SET", "hz", "abc")
    # All or nothing: a bad value leaves the good one unset.
    with pytest.raises(redis.ResponseError):
        raw(r, "CONFIG", "SET", "maxmemory-samples", "9", "hz", "abc")
    assert raw(r, "CONFIG", "GET", "maxmemory-samples") == [b"maxmemory-samples", b"5"]


def test_config_arity(r):
    with pytest.raises(redis.ResponseError, match=wrong_args("config")):
        raw(r, "CONFIG")
    with pytest.raises(redis.ResponseError, match=wrong_args("config|get")):
        raw(r, "CONFIG", "GET")
    with pytest.raises(redis.ResponseError, match=wrong_args("config|set")):
        raw(r, "CONFIG", "SET", "maxmemory")
    with pytest.raises(redis.ResponseError, match=wrong_args("config|resetstat")):
        raw(r, "CONFIG", "RESETSTAT", "x")
    with pytest.raises(redis.ResponseError, match=wrong_args("config|rewrite")):
        raw(r, "CONFIG", "REWRITE", "x")
    with pytest.raises(redis.ResponseError,
                       match=r"^unknown subcommand 'foo'. Try CONFIG HELP.$"):
        raw(r, "CONFIG", "foo")


def test_config_resetstat(r):
    r.get("x")
    assert raw(r, "CONFIG", "RESETSTAT") == b"OK"
    assert r.info("stats")["keyspace_misses"] == 0


def test_config_rewrite_without_config_file(r):
    with pytest.raises(redis.ResponseError,
                       match=r"^The server is running without a config file$"):
        raw(r, "CONFIG", "REWRITE")


def test_config_help(r):
    lines = raw(r, "CONFIG", "HELP")
    assert lines[0] == b"CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"
    for line in (b"GET <pattern>", b"SET <directive> <value>", b"RESETSTAT", b"REWRITE",
                 b"HELP"):
        assert line in lines
    assert lines[-1] == b"    Prints this help."


# ---- SHUTDOWN --------------------------------------------------------------------------------

def expect_exit(s, *args):
    with socket.create_connection(("127.0.0.1", s.port), timeout=5) as sock:
        sock.sendall(encode("SHUTDOWN", *args))
        assert sock.recv(100) == b""          # no reply: the connection just closes
    assert s.proc.wait(timeout=10) == 0


@pytest.mark.parametrize("args", [(), ("NOSAVE",), ("nosave", "now", "force"), ("NOW",)])
def test_shutdown_stops_the_server(make_server, args):
    s = make_server()
    expect_exit(s, *args)


@pytest.mark.parametrize("args", [
    ("foo",),
    ("SAVE", "NOSAVE"),
    ("ABORT", "NOW"),
    ("NOSAVE", "ABORT"),
    ("ABORT", "FORCE"),
])
def test_shutdown_syntax_errors(r, server, args):
    with pytest.raises(redis.ResponseError, match=r"^syntax error$"):
        raw(r, "SHUTDOWN", *args)
    assert server.alive()
    assert r.ping()


def test_shutdown_abort_without_shutdown(r):
    with pytest.raises(redis.ResponseError, match=r"^No shutdown in progress.$"):
        raw(r, "SHUTDOWN", "ABORT")


# ---- DEBUG -----------------------------------------------------------------------------------

DEBUG_DENIED = (r'^DEBUG command not allowed. If the enable-debug-command option is set to '
                r'"local", you can run it from a local connection, otherwise you need to set '
                r'this option in the configuration file, and then restart the server.$')


@pytest.fixture
def dbg(make_server):
    s = make_server("--enable-debug-command", "yes")
    c = s.client()
    yield c
    c.close()


def test_debug_denied_by_default(r):
    with pytest.raises(redis.ResponseError, match=DEBUG_DENIED):
        raw(r, "DEBUG", "SLEEP", "0")
    with pytest.raises(redis.ResponseError, match=DEBUG_DENIED):
        raw(r, "DEBUG", "nosuchsub")


def test_debug_local(make_server):
    s = make_server("--enable-debug-command", "local")
    c = s.client()
    assert raw(c, "DEBUG", "SLEEP", "0") == b"OK"
    c.close()


def test_debug_arity_and_unknown(dbg, r):
    with pytest.raises(redis.ResponseError, match=wrong_args("debug")):
        raw(dbg, "DEBUG")
    with pytest.raises(redis.ResponseError, match=wrong_args("debug")):
        raw(r, "DEBUG")
    for args in (("foo",), ("object",), ("object", "a", "b"), ("sleep",),
                 ("set-active-expire",)):
        sub = re.escape(args[0])
        with pytest.raises(redis.ResponseError,
                           match=rf"^unknown subcommand or wrong number of arguments for "
                                 rf"'{sub}'. Try DEBUG HELP.$"):
            raw(dbg, "DEBUG", *args)


DEBUG_OBJECT = re.compile(rb"Value at:0x[0-9a-f]+ refcount:(\d+) encoding:(\w+) "
                          rb"serializedlength:(\d+) lru:(\d+) lru_seconds_idle:(\d+)")


def debug_object(c, key):
    reply = raw(c, "DEBUG", "OBJECT", key)
    m = DEBUG_OBJECT.fullmatch(reply)
    assert m, reply
    return {"refcount": int(m.group(1)), "encoding": m.group(2).decode(),
            "serializedlength": int(m.group(3)), "lru": int(m.group(4)),
            "idle": int(m.group(5))}


def test_debug_object_strings(dbg):
    dbg.set("s", "hello")
    dbg.set("n", "12345")
    dbg.set("big", "1234567890123")
    dbg.set("shared", "100")
    dbg.set("long", "x" * 15)
    o = debug_object(dbg, "s")
    assert (o["refcount"], o["encoding"], o["serializedlength"]) == (1, "embstr", 6)
    o = debug_object(dbg, "n")
    assert (o["refcount"], o["encoding"], o["serializedlength"]) == (1, "int", 3)
    o = debug_object(dbg, "big")
    assert (o["encoding"], o["serializedlength"]) == ("int", 14)
    o = debug_object(dbg, "shared")
    assert (o["refcount"], o["encoding"], o["serializedlength"]) == (2147483647, "int", 2)
    o = debug_object(dbg, "long")
    assert (o["encoding"], o["serializedlength"]) == ("embstr", 16)
    dbg.set("raw", "y" * 50)
    assert debug_object(dbg, "raw")["encoding"] == "raw"


def test_debug_object_lru(dbg):
    dbg.set("k", "v")
    o = debug_object(dbg, "k")
    assert o["idle"] <= 1
    assert 0 < o["lru"] < (1 << 24)


def test_debug_object_missing_key(dbg):
    with pytest.raises(redis.ResponseError, match=r"^no such key$"):
        raw(dbg, "DEBUG", "OBJECT", "nosuchkey")


def test_debug_sleep(dbg):
    start = time.time()
    assert raw(dbg, "DEBUG", "SLEEP", "0.3") == b"OK"
    assert time.time() - start >= 0.29
    assert raw(dbg, "DEBUG", "SLEEP", "0") == b"OK"
    assert raw(dbg, "debug", "sleep", "-1") == b"OK"
    assert raw(dbg, "DEBUG", "SLEEP", "abc") == b"OK"


def test_debug_sleep_blocks_other_clients(dbg):
    port = dbg.connection_pool.connection_kwargs["port"]
    sleeper = socket.create_connection(("127.0.0.1", port))
    sleeper.sendall(encode("DEBUG", "SLEEP", "0.3"))
    time.sleep(0.05)
    start = time.time()
    assert dbg.ping()
    assert time.time() - start >= 0.2
    assert sleeper.recv(100) == b"+OK\r\n"
    sleeper.close()


def keys_in_db0(c):
    return c.info("keyspace").get("db0", {}).get("keys", 0)


def test_debug_set_active_expire(dbg):
    assert raw(dbg, "DEBUG", "SET-ACTIVE-EXPIRE", "0") == b"OK"
    dbg.set("k", "v", px=50)
    time.sleep(0.5)
    assert keys_in_db0(dbg) == 1       # expired, but only lazy expiry may remove it now
    assert raw(dbg, "DEBUG", "SET-ACTIVE-EXPIRE", "1") == b"OK"
    deadline = time.time() + 5
    while keys_in_db0(dbg) != 0 and time.time() < deadline:
        time.sleep(0.05)
    assert keys_in_db0(dbg) == 0


def test_debug_help(dbg):
    lines = raw(dbg, "DEBUG", "HELP")
    assert lines[0] == b"DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"
    assert any(line.startswith(b"OBJECT <key>") for line in lines)
    assert any(line.startswith(b"SLEEP") for line in lines)
    assert lines[-2:] == [b"HELP", b"    Prints this help."]


# ---- MONITOR ---------------------------------------------------------------------------------

LINE = re.compile(rb'\+(\d+)\.(\d{6}) \[(\d+) ([^\]]+)\] (.*)')


class Monitor:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.sock.sendall(b"MONITOR\r\n")
        self.buf = b""
        assert self.next_line() == b"+OK"

    def next_line(self):
        while b"\r\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError
            self.buf += chunk
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def next_command(self):
        m = LINE.fullmatch(self.next_line())
        assert m
        return int(m.group(3)), m.group(4), m.group(5)

    def close(self):
        self.sock.close()


def test_monitor_shows_commands(server):
    mon = Monitor(server.port)
    c = server.client()
    try:
        c.set("k", "v")
        db, peer, args = mon.next_command()
        assert db == 0
        assert re.fullmatch(rb"127\.0\.0\.1:\d+", peer)
        assert args == b'"SET" "k" "v"'
        c.get("k")
        assert mon.next_command()[2] == b'"GET" "k"'
    finally:
        c.close()
        mon.close()


def test_monitor_line_format(server):
    mon = Monitor(server.port)
    try:
        with socket.create_connection(("127.0.0.1", server.port)) as s:
            s.sendall(encode("ECHO", "x"))
            assert s.recv(100) == b"$1\r\nx\r\n"
            before = time.time()
            line = mon.next_line()
            m = LINE.fullmatch(line)
            assert m, line
            assert abs(int(m.group(1)) + int(m.group(2)) / 1e6 - before) < 2
            host, port = s.getsockname()
            assert m.group(4) == f"{host}:{port}".encode()
            assert m.group(5) == b'"ECHO" "x"'
    finally:
        mon.close()


def test_monitor_quotes_arguments(server):
    mon = Monitor(server.port)
    c = server.client()
    try:
        c.execute_command("ECHO", b'a b"\\\n\r\t\x01\xff')
        assert mon.next_command()[2] == b'"ECHO" "a b\\"\\\\\\n\\r\\t\\x01\\xff"'
        c.execute_command("ECHO", b"")
        assert mon.next_command()[2] == b'"ECHO" ""'
    finally:
        c.close()
        mon.close()


def test_monitor_shows_selected_db(server):
    mon = Monitor(server.port)
    c = server.client()
    try:
        c.execute_command("SELECT", 2)
        assert mon.next_command()[0] == 2    # the db the command left the client in
        c.execute_command("PING")
        assert mon.next_command()[0] == 2
    finally:
        c.close()
        mon.close()


def test_monitor_hides_admin_commands_and_passwords(server):
    mon = Monitor(server.port)
    c = server.client()
    try:
        c.config_get("maxmemory")
        c.execute_command("LASTSAVE")
        with pytest.raises(redis.ResponseError):
            c.execute_command("AUTH", "secretpassword")
        with pytest.raises(redis.ResponseError):
            c.execute_command("HELLO", "2", "AUTH", "user", "secretpassword")
        c.execute_command("PING")
        assert mon.next_command()[2] == b'"LASTSAVE"'
        assert mon.next_command()[2] == b'"AUTH" "(redacted)"'
        assert mon.next_command()[2] == b'"HELLO" "2" "AUTH" "(redacted)" "(redacted)"'
        assert mon.next_command()[2] == b'"PING"'
    finally:
        c.close()
        mon.close()


def test_monitor_skips_rejected_commands(server):
    mon = Monitor(server.port)
    c = server.client()
    try:
        with pytest.raises(redis.ResponseError):
            c.execute_command("NOSUCHCOMMAND")
        with pytest.raises(redis.ResponseError):
            c.execute_command("GET")
        c.execute_command("PING")
        assert mon.next_command()[2] == b'"PING"'
    finally:
        c.close()
        mon.close()


def test_monitor_twice_and_commands_from_monitor(server):
    mon = Monitor(server.port)
    try:
        mon.sock.sendall(b"MONITOR\r\n")        # ignored: no second +OK
        mon.sock.sendall(b"PING\r\n")
        assert mon.next_line() == b"+PONG"
        assert mon.next_command()[2] == b'"PING"'
    finally:
        mon.close()


def test_monitor_disconnect(server):
    mon = Monitor(server.port)
    mon.close()
    c = server.client()
    for _ in range(3):
        assert c.ping()
    other = Monitor(server.port)
    try:
        c.set("a", "b")
        assert other.next_command()[2] == b'"SET" "a" "b"'
    finally:
        other.close()
        c.close()


def test_monitor_arity(r):
    with pytest.raises(redis.ResponseError, match=wrong_args("monitor")):
        raw(r, "MONITOR", "x")
