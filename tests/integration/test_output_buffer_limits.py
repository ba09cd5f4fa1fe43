"""client-output-buffer-limit: clients whose pending replies grow past their class's hard
limit, or stay past the soft limit for longer than its seconds, are disconnected, so that a
subscriber that stops reading cannot grow the server's memory without bound.

Expectations are Redis 7.0's (run with BASALT_TEST_TARGET=redis to check them)."""
import os
import socket
import time

import pytest

from conftest import TARGET
from resp_util import encode

MB = 1024 * 1024


def rss_bytes(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


def slow_subscriber(port, channel, name):
    """A subscriber that will never read again after its confirmation: a tiny receive
    buffer keeps the kernel from absorbing much of what the server sends."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.connect(("127.0.0.1", port))
    s.settimeout(5)
    s.sendall(encode("CLIENT", "SETNAME", name) + encode("SUBSCRIBE", channel))
    want = b"+OK\r\n*3\r\n$9\r\nsubscribe\r\n"
    data = b""
    while not data.endswith(b":1\r\n"):
        data += s.recv(4096)
    assert data.startswith(want)
    return s


def client_fields(r, name):
    """CLIENT LIST fields of the client called `name`, or None if it is gone."""
    for line in r.execute_command("CLIENT", "LIST").decode().splitlines():
        fields = dict(f.split("=", 1) for f in line.split(" "))
        if fields.get("name") == name:
            return fields
    return None


def wait_for(cond, timeout=5.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if cond():
            return True
        time.sleep(0.02)
    return cond()


def closed_by_server(sock, timeout=5.0):
    """Drains the socket until the server closes it; True if it did within `timeout`."""
    sock.settimeout(0.2)
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if sock.recv(1 << 20) == b"":
                return True
        except socket.timeout:
            continue
        except ConnectionResetError:
            return True
    return False


def test_slow_subscriber_hits_hard_limit_and_memory_stays_bounded(make_server, tmp_path):
    log = tmp_path / "server.log"
    srv = make_server("--client-output-buffer-limit", "pubsub 4mb 0 0", "--logfile", str(log))
    r = srv.client()
    sub = slow_subscriber(srv.port, "firehose", "slow")
    rss_before = rss_bytes(srv.proc.pid)
    payload = b"x" * (100 * 1024)
    # 64 MB in total: far past the 4 MB limit plus what the kernel buffers can hold.
    receivers = []
    for _ in range(8):
        pipe = r.pipeline(transaction=False)
        for _ in range(80):
            pipe.publish("firehose", payload)
        receivers += pipe.execute()
    assert receivers[0] == 1
    assert receivers[-1] == 0  # disconnected long before the end
    assert client_fields(r, "slow") is None
    assert r.execute_command("PUBSUB", "NUMSUB", "firehose") == [b"firehose", 0]
    # Bounded: what was published is 64 MB, the limit 4 MB.
    assert rss_bytes(srv.proc.pid) - rss_before < 24 * MB
    assert closed_by_server(sub)
    sub.close()
    if TARGET != "redis":  # the INFO field is Redis 7.2's
        assert r.info("stats")["client_output_buffer_limit_disconnections"] == 1
    assert wait_for(lambda: "for overcoming of output buffer limits" in log.read_text())
    line = [x for x in log.read_text().splitlines() if "output buffer limits" in x][0]
    assert "scheduled to be closed ASAP" in line and "name=slow" in line and "flags=P" in line
    r.close()


def test_omem_shows_pending_output(make_server):
    srv = make_server("--client-output-buffer-limit", "pubsub 0 0 0")
    r = srv.client()
    sub = slow_subscriber(srv.port, "c", "watcher")
    payload = b"y" * (64 * 1024)
    pipe = r.pipeline(transaction=False)
    for _ in range(200):  # 12.5 MB: more than the socket buffers take
        pipe.publish("c", payload)
    assert pipe.execute() == [1] * 200
    fields = client_fields(r, "watcher")
    assert int(fields["omem"]) > 1 * MB
    assert int(fields["tot-mem"]) > int(fields["omem"])
    assert fields["flags"] == "P" and fields["sub"] == "1"
    sub.close()
    r.close()


def test_soft_limit_needs_its_seconds(make_server):
    srv = make_server("--client-output-buffer-limit", "pubsub 0 1mb 2")
    r = srv.client()
    sub = slow_subscriber(srv.port, "soft", "softie")
    payload = b"z" * (32 * 1024)
    start = None
    # Publish until the pending output is well over the soft limit (the kernel's socket
    # buffers may still take some of it, which must not bring it back under).
    for _ in range(2000):
        r.publish("soft", payload)
        fields = client_fields(r, "softie")
        assert fields is not None
        if int(fields["omem"]) > 2 * MB:
            start = time.time()
            break
    assert start is not None
    # Over the soft limit, but not for 2 seconds yet: still connected, even while the
    # traffic goes on for a while.
    for _ in range(5):
        r.publish("soft", payload)
        time.sleep(0.1)
    assert client_fields(r, "softie") is not None
    # Without any more traffic, the limit's seconds run out (Redis checks in its cron).
    assert wait_for(lambda: client_fields(r, "softie") is None, timeout=6)
    assert time.time() - start >= 2
    if TARGET != "redis":
        assert r.info("stats")["client_output_buffer_limit_disconnections"] == 1
    sub.close()
    r.close()


def test_soft_limit_clock_restarts_under_the_limit(make_server):
    srv = make_server("--client-output-buffer-limit", "pubsub 0 1mb 1")
    r = srv.client()
    c = socket.create_connection(("127.0.0.1", srv.port))
    c.sendall(encode("CLIENT", "SETNAME", "reader") + encode("SUBSCRIBE", "ch"))
    payload = b"w" * (16 * 1024)
    # A subscriber that keeps reading never stays over the soft limit.
    deadline = time.time() + 2.5
    received = 0
    c.settimeout(0.01)
    while time.time() < deadline:
        r.publish("ch", payload)
        try:
            while True:
                chunk = c.recv(1 << 20)
                if not chunk:
                    break
                received += len(chunk)
        except socket.timeout:
            pass
    assert received > 1 * MB
    assert client_fields(r, "reader") is not None
    c.close()
    r.close()


def test_normal_client_gets_no_reply_over_hard_limit(make_server):
    srv = make_server("--client-output-buffer-limit", "normal 100000 0 0")
    r = srv.client()
    r.set("big", b"v" * 200000)
    r.set("small", "ok")
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
    # The big reply goes over the limit: the client is closed with nothing sent, and the
    # command pipelined after it never runs.
    s.sendall(encode("GET", "big") + encode("SET", "after", "1"))
    data = b""
    try:
        while True:
            chunk = s.recv(1 << 20)
            if not chunk:
                break
            data += chunk
    except ConnectionResetError:
        pass
    assert data == b""
    s.close()
    assert r.get("after") is None
    # Small replies are unaffected.
    assert r.get("small") == b"ok"
    # CONFIG SET changes the limit for connected clients too.
    r.config_set("client-output-buffer-limit", "normal 0 0 0")
    assert len(r.get("big")) == 200000
    r.close()


def test_config_get_set_roundtrip(make_server):
    srv = make_server()
    r = srv.client()
    r.config_set("client-output-buffer-limit",
                 "normal 1mb 2mb 60 replica 3mb 4mb 70 pubsub 5mb 6mb 80")
    assert r.config_get("client-output-buffer-limit")["client-output-buffer-limit"] == \
        "normal 1048576 2097152 60 slave 3145728 4194304 70 pubsub 5242880 6291456 80"
    r.close()
