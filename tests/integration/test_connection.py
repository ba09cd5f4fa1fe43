"""Connection commands: PING ECHO QUIT SELECT AUTH HELLO RESET and CLIENT."""
import re
import socket
import threading
import time

import pytest
import redis

from conftest import redis_7_2_only
from resp_util import raw_command


def test_ping_echo(server, r):
    assert raw_command(server.port, b"PING\r\nPING hi\r\n", read_timeout=0.3) == \
        b"+PONG\r\n$2\r\nhi\r\n"
    assert r.echo("x y") == b"x y"
    with pytest.raises(redis.ResponseError, match="wrong number of arguments for 'ping' command"):
        r.execute_command("PING", "a", "b")
    with pytest.raises(redis.ResponseError, match="wrong number of arguments for 'echo' command"):
        r.execute_command("ECHO")


def test_unknown_command(r):
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command("FOOBAR", "a", "b")
    assert str(e.value) == "unknown command 'FOOBAR', with args beginning with: 'a' 'b' "


def test_unknown_subcommand(r):
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command("CLIENT", "NOPE")
    assert str(e.value) == "unknown subcommand 'NOPE'. Try CLIENT HELP."


def test_quit(server):
    out = raw_command(server.port, b"QUIT\r\nPING\r\n", read_timeout=2)
    assert out == b"+OK\r\n"


def test_select(r):
    r.set("k", "db0")
    r.execute_command("SELECT", 1)
    assert r.get("k") is None
    r.set("k", "db1")
    r.execute_command("SELECT", 0)
    assert r.get("k") == b"db0"
    with pytest.raises(redis.ResponseError, match="DB index is out of range"):
        r.execute_command("SELECT", 16)
    with pytest.raises(redis.ResponseError, match="DB index is out of range"):
        r.execute_command("SELECT", -1)
    with pytest.raises(redis.ResponseError, match="value is not an integer or out of range"):
        r.execute_command("SELECT", "x")


def test_auth_without_password_configured(r):
    with pytest.raises(redis.ResponseError, match="called without any password configured"):
        r.execute_command("AUTH", "foo")


def test_requirepass(make_server):
    s = make_server("--requirepass", "secret")
    c = s.client()
    with pytest.raises(redis.AuthenticationError):
        c.get("k")
    with pytest.raises(redis.ResponseError,
                       match="WRONGPASS invalid username-password pair or user is disabled."):
        c.execute_command("AUTH", "wrong")
    assert c.execute_command("AUTH", "secret") is True  # redis-py maps AUTH +OK to True
    assert c.set("k", "v")
    d = s.client()
    assert d.execute_command("AUTH", "default", "secret") is True
    assert d.get("k") == b"v"
    out = raw_command(s.port, b"GET k\r\n", read_timeout=0.3)
    assert out == b"-NOAUTH Authentication required.\r\n"
    out = raw_command(s.port, b"HELLO 3 AUTH default secret\r\n", read_timeout=0.3)
    assert out.startswith(b"%7\r\n")
    authed = s.client(password="secret")
    assert authed.ping()


def test_reset(r):
    r.execute_command("SELECT", 3)
    r.execute_command("CLIENT", "SETNAME", "foo")
    assert r.execute_command("RESET") == "RESET"  # redis-py decodes this reply
    assert r.execute_command("CLIENT", "GETNAME") is None
    r.set("k", "v")
    r.execute_command("SELECT", 0)
    assert r.get("k") == b"v"


def test_reset_ends_monitor(server, r):
    with socket.create_connection(("127.0.0.1", server.port), timeout=2) as s:
        s.sendall(b"MONITOR\r\n")
        assert s.recv(64) == b"+OK\r\n"
        s.sendall(b"RESET\r\n")
        assert s.recv(64) == b"+RESET\r\n"
        r.set("after-reset", "x")  # a monitor would now receive this command
        s.settimeout(0.3)
        with pytest.raises(socket.timeout):
            s.recv(64)
    lines = r.execute_command("CLIENT", "LIST").decode().splitlines()
    assert not any("flags=O" in line for line in lines)


def test_client_id_and_names(r):
    cid = r.execute_command("CLIENT", "ID")
    assert isinstance(cid, int) and cid > 0
    assert r.execute_command("CLIENT", "GETNAME") is None
    assert r.execute_command("CLIENT", "SETNAME", "worker-1") == b"OK"
    assert r.execute_command("CLIENT", "GETNAME") == b"worker-1"
    with pytest.raises(redis.ResponseError, match="Client names cannot contain spaces"):
        r.execute_command("CLIENT", "SETNAME", "a b")
    info = r.execute_command("CLIENT", "INFO").decode()
    assert f"id={cid} " in info and "name=worker-1 " in info


@redis_7_2_only
def test_client_setinfo(r):
    assert r.execute_command("CLIENT", "SETINFO", "LIB-NAME", "mylib") == b"OK"
    assert "lib-name=mylib" in r.execute_command("CLIENT", "INFO").decode()
    with pytest.raises(redis.ResponseError, match="Unrecognized option 'foo'"):
        r.execute_command("CLIENT", "SETINFO", "foo", "bar")


def test_client_list_format(r):
    r.execute_command("CLIENT", "SETNAME", "lister")
    out = r.execute_command("CLIENT", "LIST").decode()
    line = [l for l in out.splitlines() if "name=lister" in l][0]
    assert re.match(r"id=\d+ addr=127\.0\.0\.1:\d+ laddr=127\.0\.0\.1:\d+ fd=\d+ name=lister "
                    r"age=\d+ idle=\d+ flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 (watch=0 )?qbuf=26 "
                    r"qbuf-free=\d+ argv-mem=\d+ multi-mem=0 rbs=\d+ rbp=\d+ obl=0 oll=0 omem=0 "
                    r"tot-mem=\d+ events=r cmd=client\|list user=default redir=-1 resp=2", line), line
    cid = r.execute_command("CLIENT", "ID")
    only = r.execute_command("CLIENT", "LIST", "ID", cid).decode()
    assert only.count("\n") == 1 and f"id={cid} " in only
    with pytest.raises(redis.ResponseError, match="Unknown client type 'foo'"):
        r.execute_command("CLIENT", "LIST", "TYPE", "foo")


def test_client_kill(server, r):
    victim = server.client()
    victim.execute_command("CLIENT", "SETNAME", "victim")
    vid = victim.execute_command("CLIENT", "ID")
    assert r.execute_command("CLIENT", "KILL", "ID", vid) == 1
    assert r.execute_command("CLIENT", "KILL", "ID", vid) == 0
    with pytest.raises(redis.ResponseError, match="No such client"):
        r.execute_command("CLIENT", "KILL", "1.2.3.4:5")
    other = server.client()
    other.ping()
    addr = [l for l in r.execute_command("CLIENT", "LIST").decode().splitlines()
            if f"id={other.execute_command('CLIENT', 'ID')} " in l][0].split()[1][5:]
    assert r.execute_command("CLIENT", "KILL", addr) == b"OK"
    with pytest.raises(redis.ResponseError, match="syntax error"):
        r.execute_command("CLIENT", "KILL", "ID", 1, "SKIPME")


def test_client_reply_off_skip(server):
    out = raw_command(server.port,
                      b"CLIENT REPLY OFF\r\nPING\r\nCLIENT REPLY ON\r\nPING\r\n"
                      b"CLIENT REPLY SKIP\r\nPING\r\nPING\r\n", read_timeout=0.5)
    assert out == b"+OK\r\n+PONG\r\n+PONG\r\n"


def test_client_pause_write(server, r):
    r.set("k", "0")
    r.execute_command("CLIENT", "PAUSE", 400, "WRITE")
    other = server.client()
    start = time.time()
    assert other.get("k") == b"0"  # reads are not paused
    assert time.time() - start < 0.3
    other.set("k", "1")  # waits for the pause to end
    assert time.time() - start >= 0.3
    assert r.get("k") == b"1"


def test_client_pause_all_delays_everything(server, r):
    r.execute_command("CLIENT", "PAUSE", 500, "ALL")
    start = time.time()
    assert server.client().ping()
    assert time.time() - start >= 0.4


def test_client_unpause_releases_paused_writes(server, r):
    r.execute_command("CLIENT", "PAUSE", 100000, "WRITE")
    result = {}

    def writer():
        result["v"] = server.client().set("paused", "1")

    t = threading.Thread(target=writer)
    t.start()
    time.sleep(0.3)
    assert "v" not in result
    assert r.execute_command("CLIENT", "UNPAUSE") == b"OK"
    t.join(timeout=5)
    assert result.get("v") is True
    assert r.get("paused") == b"1"
