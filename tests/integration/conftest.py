"""Fixtures that run a real server and hand tests real clients.

By default the server under test is build/src/basalt-server. Set BASALT_TEST_TARGET=redis
to run the same tests against Debian's redis-server instead: that is how expectations are
checked against Redis itself (every test must pass against both).
"""
import os
import socket
import subprocess
import threading
import time

import pytest
import redis

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TARGET = os.environ.get("BASALT_TEST_TARGET", "basalt")


# Features newer than the reference redis-server (7.0): the test runs against Basalt only.
redis_7_2_only = pytest.mark.skipif(TARGET == "redis",
                                    reason="Redis 7.2 feature; the reference server is 7.0")
redis_7_4_only = pytest.mark.skipif(TARGET == "redis",
                                    reason="Redis 7.4 feature; the reference server is 7.0")


# Reply texts and limits that several test files check against.
I64_MAX = 9223372036854775807
I64_MIN = -9223372036854775808
WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value"
NOT_INT = "value is not an integer or out of range"


def server_binary():
    if TARGET == "redis":
        return "/usr/bin/redis-server"
    return os.environ.get("BASALT_SERVER", os.path.join(ROOT, "build", "src", "basalt-server"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_listening(proc, port, timeout=10):
    """Waits until the server started as `proc` accepts connections on `port`."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            if proc.poll() is not None:
                out = proc.stdout.read().decode(errors="replace")
                raise RuntimeError(f"server exited early: {out}")
            time.sleep(0.02)
    raise RuntimeError("server did not start listening")


class ServerProcess:
    """A server started on a free port with the given extra config arguments."""

    def __init__(self, *args, tmp_path=None, env=None):
        self.port = free_port()
        self.dir = str(tmp_path) if tmp_path else "/tmp"
        cmd = [server_binary(), "--port", str(self.port), "--bind", "127.0.0.1",
               "--save", "", "--appendonly", "no", "--dir", self.dir, *args]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     env={**os.environ, **(env or {})})
        wait_listening(self.proc, self.port)

    def client(self, **kwargs):
        return redis.Redis(host="127.0.0.1", port=self.port, **kwargs)

    def alive(self):
        return self.proc.poll() is None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc.stdout:
            self.proc.stdout.close()


@pytest.fixture(scope="session")
def server():
    s = ServerProcess()
    yield s
    s.stop()


@pytest.fixture
def r(server):
    """A RESP2 client on a clean server (all databases flushed)."""
    c = server.client()
    c.flushall()
    yield c
    c.close()


@pytest.fixture
def make_server(tmp_path):
    """Starts extra servers with custom arguments; stops them at the end of the test."""
    started = []

    def make(*args, env=None):
        s = ServerProcess(*args, tmp_path=tmp_path, env=env)
        started.append(s)
        return s

    yield make
    for s in started:
        s.stop()


@pytest.fixture
def nonstring(r):
    """Name of a key holding a non-string value (a list, set, hash or sorted set: whichever
    the server under test supports). Skips while the server supports no collection type."""
    for cmd in (("RPUSH", "nonstring", "a"), ("SADD", "nonstring", "a"),
                ("HSET", "nonstring", "f", "v"), ("ZADD", "nonstring", "1", "a")):
        try:
            r.execute_command(*cmd)
            return "nonstring"
        except redis.ResponseError:
            continue
    pytest.skip("the server supports no collection type yet")


def arity(cmd):
    """Redis's wrong-arity error text for `cmd` (as redis-py reports it, without "ERR ")."""
    return f"wrong number of arguments for '{cmd}' command"


@pytest.fixture
def strkey(r):
    """Name of a key holding a string (for WRONGTYPE checks)."""
    r.set("str", "x")
    return "str"


def encoding(r, key):
    """OBJECT ENCODING of key (redis-py's OBJECT callback needs `infotype`)."""
    return r.execute_command("OBJECT", "ENCODING", key, infotype="encoding")


def dirty(r):
    """The server's dirty counter: the writes since the last save, as INFO reports them."""
    return r.info("persistence")["rdb_changes_since_last_save"]


def redis_cli(port, *args, stdin=None, resp3=False):
    """Runs redis-cli against the server and returns its stdout (RESP3 with resp3=True).

    Debian's redis-py (4.3) speaks only RESP2, so RESP3 replies are checked through
    redis-cli -3 or raw_command."""
    cmd = ["redis-cli", "-p", str(port)] + (["-3"] if resp3 else []) + list(args)
    out = subprocess.run(cmd, input=stdin, capture_output=True, timeout=30)
    return out.stdout.decode(errors="replace")


def start_busy_script(call, other, timeout=5):
    """Runs `call` (a client call running a script that keeps the server busy) in a thread,
    then waits until `other` gets an error to PING. Returns (thread, outcome, busy_error):
    outcome["error"] is the text of the error `call` raised, if any, once the thread ends;
    busy_error is the error PING got, or None if the server never turned busy."""
    outcome = {}

    def run():
        try:
            call()
        except redis.ResponseError as e:
            outcome["error"] = str(e)
        except redis.ConnectionError as e:  # SHUTDOWN NOSAVE ends the script's connection
            outcome["error"] = str(e)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            other.ping()
            time.sleep(0.05)
        except redis.ResponseError as e:
            return thread, outcome, str(e)
    return thread, outcome, None


@pytest.fixture
def conns(server):
    """Opens raw RESP connections (resp_util.Conn) to the session server: conns(resp3=False);
    all are closed after the test."""
    from resp_util import Conn
    opened = []

    def make(resp3=False):
        c = Conn(server.port, resp3)
        opened.append(c)
        return c

    yield make
    for c in opened:
        c.close()
