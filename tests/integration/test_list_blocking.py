"""Blocking list commands: BLPOP BRPOP BLMOVE BRPOPLPUSH BLMPOP, with several clients: FIFO
service, float timeouts, BLMOVE chains, CLIENT UNBLOCK, pipelined commands behind a blocked
one, wrong types, keys replaced or deleted while clients wait, and INFO blocked_clients."""
import socket
import time

import pytest

from conftest import WRONGTYPE
from resp_util import encode, error, parse_all


class Conn:
    """A raw connection that can send a blocking command and read its reply later."""

    def __init__(self, port, resp3=False):
        self.s = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.buf = b""
        self.pending = []
        if resp3:
            self.call("HELLO", "3")

    def send(self, *args):
        self.s.sendall(encode(*args))

    def send_raw(self, payload):
        self.s.sendall(payload)

    def read(self, n=1, timeout=5.0):
        deadline = time.time() + timeout
        while True:
            try:
                replies = parse_all(self.buf)
                if len(replies) >= n:
                    break
            except (ValueError, IndexError):
                pass
            left = deadline - time.time()
            if left <= 0:
                raise TimeoutError("no reply")
            self.s.settimeout(left)
            chunk = self.s.recv(1 << 16)
            if not chunk:
                raise ConnectionError("closed")
            self.buf += chunk
        # Keep what follows the n replies for later reads.
        consumed = replies[:n]
        self.buf = b""
        return consumed if n > 1 else consumed[0]

    def has_reply(self, wait=0.2):
        self.s.settimeout(wait)
        try:
            chunk = self.s.recv(1 << 16)
        except socket.timeout:
            return False
        self.buf += chunk
        return bool(chunk)

    def call(self, *args):
        self.send(*args)
        return self.read()

    def close(self):
        self.s.close()


@pytest.fixture
def conns(server):
    made = []

    def make(resp3=False):
        c = Conn(server.port, resp3)
        made.append(c)
        return c

    yield make
    for c in made:
        c.close()


def blocked_clients(r):
    return r.info("clients")["blocked_clients"]


def wait_blocked(r, n, timeout=5.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if blocked_clients(r) == n:
            return
        time.sleep(0.01)
    raise AssertionError(f"blocked_clients never reached {n} (is {blocked_clients(r)})")


def val(reply):
    """A parsed reply as plain Python values."""
    if isinstance(reply.value, list):
        return [val(x) for x in reply.value]
    return reply.value


def test_served_at_once_when_data_exists(r):
    r.rpush("l", "a", "b")
    assert r.blpop(["missing", "l"], 0) == (b"l", b"a")
    assert r.brpop(["l"], 1) == (b"l", b"b")
    assert r.exists("l") == 0
    r.rpush("l", "a", "b", "c")
    assert r.execute_command("BLMPOP", 0, 2, "x", "l", "RIGHT", "COUNT", 2) == [b"l", [b"c", b"b"]]
    assert r.blmove("l", "d", 0, "LEFT", "RIGHT") == b"a"
    assert r.brpoplpush("d", "e", 0) == b"a"
    assert r.lrange("e", 0, -1) == [b"a"]


def test_block_then_push(r, conns):
    c = conns()
    c.send("BLPOP", "k1", "k2", 0)
    wait_blocked(r, 1)
    assert r.rpush("k2", "v1", "v2") == 2
    assert val(c.read()) == [b"k2", b"v1"]
    assert r.lrange("k2", 0, -1) == [b"v2"]
    wait_blocked(r, 0)
    c.send("BRPOP", "k3", 0)
    wait_blocked(r, 1)
    r.lpush("k3", "x", "y")
    assert val(c.read()) == [b"k3", b"x"]


def test_fifo_order(r, conns):
    clients = []
    for _ in range(3):
        c = conns()
        c.send("BLPOP", "q", 0)
        clients.append(c)
        wait_blocked(r, len(clients))
    r.rpush("q", "a", "b", "c", "d")
    assert [val(c.read()) for c in clients] == [[b"q", b"a"], [b"q", b"b"], [b"q", b"c"]]
    assert r.lrange("q", 0, -1) == [b"d"]


def test_one_push_serves_only_as_many_as_elements(r, conns):
    c1, c2 = conns(), conns()
    c1.send("BLPOP", "q", 0)
    wait_blocked(r, 1)
    c2.send("BLPOP", "q", 0)
    wait_blocked(r, 2)
    r.rpush("q", "only")
    assert val(c1.read()) == [b"q", b"only"]
    assert not c2.has_reply()
    assert blocked_clients(r) == 1
    r.rpush("q", "next")
    assert val(c2.read()) == [b"q", b"next"]


def test_float_timeouts(r, conns):
    start = time.time()
    assert r.blpop(["nothing"], 0.2) is None
    assert 0.15 <= time.time() - start < 2
    c = conns()
    # Redis 7.0 times every blocked list command out with a null array, BLMOVE too.
    c.send("BLMOVE", "nothing", "dst", "LEFT", "LEFT", "0.05")
    reply = c.read()
    assert (reply.kind, reply.value) == ("*", None)
    c.send("BLMPOP", "0.05", 1, "nothing", "LEFT")
    reply = c.read()
    assert (reply.kind, reply.value) == ("*", None)
    c3 = conns(resp3=True)
    c3.send("BLPOP", "nothing", "0.01")
    assert c3.read().kind == "_"
    c3.send("BRPOPLPUSH", "nothing", "x", "0.01")
    assert c3.read().kind == "_"


def test_timeout_errors(r):
    assert error(r, "BLPOP", "l", -1) == "timeout is negative"
    assert error(r, "BLPOP", "l", "abc") == "timeout is not a float or out of range"
    assert error(r, "BRPOP", "l", "nan") == "timeout is not a float or out of range"
    assert error(r, "BLMOVE", "l", "d", "LEFT", "LEFT", "x") == \
        "timeout is not a float or out of range"
    assert error(r, "BLMOVE", "l", "d", "UP", "LEFT", "x") == "syntax error"
    assert error(r, "BRPOPLPUSH", "l", "d", -0.5) == "timeout is negative"
    assert error(r, "BLMPOP", "x", 0, "l", "LEFT") == "numkeys should be greater than 0"
    assert error(r, "BLMPOP", "x", 1, "l", "LEFT") == "timeout is not a float or out of range"
    assert error(r, "BLMPOP", 0, 2, "l", "LEFT") == "syntax error"
    assert error(r, "BLMPOP", 0, 1, "l", "LEFT", "COUNT", 0) == "count should be greater than 0"
    assert error(r, "BLPOP", "l") == "wrong number of arguments for 'blpop' command"


def test_blmove_chain(r, conns):
    c1, c2 = conns(), conns()
    c1.send("BLMOVE", "a", "b", "LEFT", "RIGHT", 0)
    wait_blocked(r, 1)
    c2.send("BRPOPLPUSH", "b", "c", 0)
    wait_blocked(r, 2)
    r.rpush("a", "x")
    assert val(c1.read()) == b"x"
    assert val(c2.read()) == b"x"
    assert r.exists("a", "b") == 0
    assert r.lrange("c", 0, -1) == [b"x"]
    wait_blocked(r, 0)


def test_blmove_to_self_and_lmove_wakes(r, conns):
    c = conns()
    c.send("BLPOP", "dst", 0)
    wait_blocked(r, 1)
    r.rpush("src", "v")
    assert r.lmove("src", "dst", "LEFT", "LEFT") == b"v"
    assert val(c.read()) == [b"dst", b"v"]
    assert r.exists("dst") == 0


def test_client_unblock(r, conns):
    c = conns()
    cid = c.call("CLIENT", "ID").value
    c.send("BLPOP", "l", 0)
    wait_blocked(r, 1)
    assert r.client_unblock(cid) is True
    reply = c.read()
    assert (reply.kind, reply.value) == ("*", None)
    c.send("BRPOPLPUSH", "l", "d", 0)
    wait_blocked(r, 1)
    assert r.client_unblock(cid) is True
    reply = c.read()
    assert (reply.kind, reply.value) == ("*", None)
    c.send("BLMOVE", "l", "d", "LEFT", "LEFT", 0)
    wait_blocked(r, 1)
    assert r.client_unblock(cid, error=True) is True
    reply = c.read()
    assert reply.kind == "-"
    assert reply.value == b"UNBLOCKED client unblocked via CLIENT UNBLOCK"
    assert r.client_unblock(cid) is False
    wait_blocked(r, 0)


def test_pipelined_command_runs_after_service(r, conns):
    c = conns()
    c.send_raw(encode("BLPOP", "l", 0) + encode("RPUSH", "after", "1") + encode("PING"))
    wait_blocked(r, 1)
    assert r.exists("after") == 0  # the pipelined RPUSH waits behind the blocked BLPOP
    r.rpush("l", "v")
    replies = c.read(3)
    assert [val(x) for x in replies] == [[b"l", b"v"], 1, b"PONG"]
    assert r.lrange("after", 0, -1) == [b"1"]


def test_wrong_type(r, conns):
    r.set("s", "x")
    assert error(r, "BLPOP", "s", 0) == WRONGTYPE
    assert error(r, "BLMOVE", "s", "d", "LEFT", "LEFT", 0) == WRONGTYPE
    r.rpush("l", "v")
    assert error(r, "BLMOVE", "l", "s", "LEFT", "LEFT", 0) == WRONGTYPE
    assert r.lrange("l", 0, -1) == [b"v"]
    assert error(r, "BLMPOP", 0, 2, "s", "l", "LEFT") == WRONGTYPE
    # The first non-empty list is served before a later wrong-typed key is looked at.
    assert r.blpop(["l", "s"], 0) == (b"l", b"v")


def test_key_replaced_and_deleted_while_blocked(r, conns):
    c = conns()
    c.send("BLPOP", "k", 0)
    wait_blocked(r, 1)
    r.set("k", "string")  # another type: the client keeps waiting
    assert not c.has_reply()
    r.delete("k")
    assert not c.has_reply()
    assert blocked_clients(r) == 1
    r.rpush("k", "finally")
    assert val(c.read()) == [b"k", b"finally"]


def test_blocked_clients_in_info(r, conns):
    assert blocked_clients(r) == 0
    c1, c2 = conns(), conns()
    c1.send("BLPOP", "a", 0)
    c2.send("BLMPOP", 0, 2, "a", "b", "LEFT", "COUNT", 5)
    wait_blocked(r, 2)
    r.rpush("b", "1", "2")
    assert val(c2.read()) == [b"b", [b"1", b"2"]]
    wait_blocked(r, 1)
    r.rpush("a", "z")
    assert val(c1.read()) == [b"a", b"z"]
    wait_blocked(r, 0)


def test_timeout_keeps_list_untouched_and_closing_client_unblocks(r, conns):
    c = conns()
    c.send("BLPOP", "l", 0)
    wait_blocked(r, 1)
    c.close()
    wait_blocked(r, 0)
    r.rpush("l", "v")
    assert r.lrange("l", 0, -1) == [b"v"]
