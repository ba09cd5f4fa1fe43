"""The wire protocol: RESP2/RESP3 framing, inline commands, pipelining, limits, garbage."""
import os
import random
import socket
import time

import pytest
import redis

from resp_util import raw_command


def test_inline_command(server):
    assert raw_command(server.port, b"PING\r\n", read_timeout=0.3) == b"+PONG\r\n"


def test_inline_quoted_args(server):
    out = raw_command(server.port, b'SET "in line" "a b"\r\nGET "in line"\r\n', read_timeout=0.3)
    assert out == b"+OK\r\n$3\r\na b\r\n"


def test_inline_spaces_as_redis(server):
    # Replies of Debian's redis-server 7.0: \v and \f end no argument once it started (only
    # space, \t, \r, \n do), leading ones are skipped, and a NUL before the newline leaves
    # the line unfinished (Redis finds it with strchr), so nothing is answered.
    assert raw_command(server.port, b"ECHO a\x0bb\r\n", read_timeout=0.3) == b"$3\r\na\x0bb\r\n"
    assert raw_command(server.port, b"ECHO a\x0cb\r\n", read_timeout=0.3) == b"$3\r\na\x0cb\r\n"
    assert raw_command(server.port, b"\x0bECHO x\r\n", read_timeout=0.3) == b"$1\r\nx\r\n"
    assert raw_command(server.port, b"ECHO a\x00b c\r\n", read_timeout=0.3) == b""


def test_inline_unbalanced_quotes(server):
    out = raw_command(server.port, b'SET "foo bar\r\n')
    assert out == b"-ERR Protocol error: unbalanced quotes in request\r\n"


def test_pipeline_replies_in_order(server):
    payload = b"".join(b"*3\r\n$3\r\nSET\r\n$3\r\nk%02d\r\n$1\r\n%d\r\n" % (i, i % 10)
                       for i in range(100))
    payload += b"*2\r\n$3\r\nGET\r\n$3\r\nk42\r\n"
    out = raw_command(server.port, payload, read_timeout=0.5)
    assert out == b"+OK\r\n" * 100 + b"$1\r\n2\r\n"


def test_empty_multibulk_is_ignored(server):
    assert raw_command(server.port, b"*0\r\n*1\r\n$4\r\nPING\r\n", read_timeout=0.3) == b"+PONG\r\n"


@pytest.mark.parametrize("payload,error", [
    (b"*abc\r\n", b"-ERR Protocol error: invalid multibulk length\r\n"),
    (b"*1\r\n$-5\r\n", b"-ERR Protocol error: invalid bulk length\r\n"),
    (b"*1\r\nfoo\r\n", b"-ERR Protocol error: expected '$', got 'f'\r\n"),
    (b"*1\r\n$4294967296\r\n", b"-ERR Protocol error: invalid bulk length\r\n"),
    (b"*3000000000\r\n", b"-ERR Protocol error: invalid multibulk length\r\n"),
])
def test_malformed_protocol_errors_and_closes(server, payload, error):
    # raw_command reads until the server closes the connection.
    assert raw_command(server.port, payload, read_timeout=3) == error


def test_too_big_inline_request(server):
    out = raw_command(server.port, b"a" * (70 * 1024), read_timeout=3)
    assert out == b"-ERR Protocol error: too big inline request\r\n"


def test_huge_bulk_header_does_not_allocate_or_crash(server):
    # 512 MB announced, a few bytes sent: the server waits for the rest, others still served.
    with socket.create_connection(("127.0.0.1", server.port)) as s:
        s.sendall(b"*2\r\n$3\r\nSET\r\n$536870912\r\nabc")
        c = server.client()
        assert c.ping()
        info = c.info("memory")
        assert info["used_memory_rss"] < 400 * 1024 * 1024


def test_unauthenticated_limits(make_server):
    s = make_server("--requirepass", "secret")
    out = raw_command(s.port, b"*20\r\n", read_timeout=3)
    assert out == b"-ERR Protocol error: unauthenticated multibulk length\r\n"
    out = raw_command(s.port, b"*1\r\n$100000\r\n", read_timeout=3)
    assert out == b"-ERR Protocol error: unauthenticated bulk length\r\n"


def test_proto_max_bulk_len(make_server):
    s = make_server("--proto-max-bulk-len", "1mb")
    out = raw_command(s.port, b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2000000\r\n", read_timeout=3)
    assert out == b"-ERR Protocol error: invalid bulk length\r\n"


def test_big_value_round_trip(r):
    value = os.urandom(3 * 1024 * 1024)
    r.set("big", value)
    assert r.get("big") == value


def test_garbage_never_crashes(server):
    rng = random.Random(1234)
    for i in range(200):
        blob = bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 300)))
        if i % 3 == 0:
            blob = b"*" + blob
        elif i % 3 == 1:
            blob = b"*2\r\n$" + blob
        try:
            with socket.create_connection(("127.0.0.1", server.port), timeout=0.2) as s:
                s.sendall(blob)
                try:
                    s.recv(4096)
                except (socket.timeout, ConnectionResetError):
                    pass
        except (ConnectionResetError, BrokenPipeError):
            pass
    assert server.alive()
    assert server.client().ping()


def test_truncated_frames_then_close(server):
    full = b"*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n"
    for cut in range(1, len(full)):
        with socket.create_connection(("127.0.0.1", server.port)) as s:
            s.sendall(full[:cut])
    assert server.client().ping()


def test_maxclients(make_server):
    s = make_server("--maxclients", "2")
    a = s.client()
    b = s.client()
    assert a.ping() and b.ping()
    out = raw_command(s.port, b"PING\r\n", read_timeout=2)
    assert out == b"-ERR max number of clients reached\r\n"


def test_idle_timeout_closes_connection(make_server):
    s = make_server("--timeout", "1")
    with socket.create_connection(("127.0.0.1", s.port)) as sock:
        sock.settimeout(5)
        start = time.time()
        assert sock.recv(100) == b""
        assert time.time() - start < 4.5


def test_resp3_hello_and_types(server):
    out = raw_command(server.port, b"HELLO 3\r\nSET k 1\r\nGET missing\r\nPING\r\n",
                      read_timeout=0.5)
    assert out.startswith(b"%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n")
    assert out.endswith(b"+OK\r\n_\r\n+PONG\r\n")


def test_hello_errors(r):
    with pytest.raises(redis.ResponseError, match="NOPROTO unsupported protocol version"):
        r.execute_command("HELLO", 4)
    with pytest.raises(redis.ResponseError,
                       match="Protocol version is not an integer or out of range"):
        r.execute_command("HELLO", "x")
    with pytest.raises(redis.ResponseError, match="Syntax error in HELLO option 'foo'"):
        r.execute_command("HELLO", 2, "foo")
