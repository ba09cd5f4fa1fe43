"""CLIENT LIST / CLIENT INFO fields (Redis 7.0's, in its order) and CLIENT KILL's forms."""
import socket
import time

import pytest
import redis

from conftest import TARGET

# Redis 7.0's fields in order (7.2 appends lib-name and lib-ver).
FIELDS_7_0 = ["id", "addr", "laddr", "fd", "name", "age", "idle", "flags", "db", "sub", "psub",
              "ssub", "multi", "qbuf", "qbuf-free", "argv-mem", "multi-mem", "rbs", "rbp", "obl",
              "oll", "omem", "tot-mem", "events", "cmd", "user", "redir", "resp"]
INT_FIELDS = ["id", "fd", "age", "idle", "db", "sub", "psub", "ssub", "multi", "qbuf",
              "qbuf-free", "argv-mem", "multi-mem", "rbs", "rbp", "obl", "oll", "omem",
              "tot-mem", "redir", "resp"]


def parse_line(line):
    return [kv.split("=", 1) for kv in line.strip().split(" ")]


def me(r):
    return dict(parse_line(r.execute_command("CLIENT", "INFO").decode()))


def test_fields_and_order(r):
    line = r.execute_command("CLIENT", "INFO").decode()
    assert line.endswith("\n")
    names = [k for k, _ in parse_line(line)]
    assert names[:len(FIELDS_7_0)] == FIELDS_7_0
    info = dict(parse_line(line))
    for f in INT_FIELDS:
        int(info[f])
    assert info["cmd"] == "client|info"
    assert info["flags"] == "N"
    assert info["user"] == "default"
    assert info["multi"] == "-1"
    assert info["redir"] == "-1"
    assert info["resp"] == "2"
    assert info["events"] == "r"
    assert info["laddr"].endswith(":" + str(r.connection_pool.connection_kwargs["port"]))


def test_redis_py_parses_client_list(r):
    r.client_setname("parsed")
    clients = r.client_list()
    mine = [c for c in clients if c["name"] == "parsed"]
    assert len(mine) == 1
    c = mine[0]
    for f in FIELDS_7_0:
        assert f in c
    assert c["cmd"] == "client|list"
    assert r.client_info()["name"] == "parsed"


def test_list_reflects_state(server, r):
    other = server.client(single_connection_client=True)
    other.client_setname("watcher")
    other.select(3)
    other.execute_command("MULTI")
    other.execute_command("SET", "a", "1")
    other.execute_command("SET", "b", "2")
    ps = server.client().pubsub()
    ps.subscribe("ch1", "ch2")
    ps.psubscribe("p*")
    ps.get_message(timeout=1)
    time.sleep(0.1)
    clients = {c["name"]: c for c in r.client_list()}
    w = clients["watcher"]
    assert w["db"] == "3"
    assert w["multi"] == "2"
    assert "x" in w["flags"]
    subs = [c for c in r.client_list() if "P" in c["flags"]]
    assert len(subs) == 1
    assert subs[0]["sub"] == "2" and subs[0]["psub"] == "1"
    other.execute_command("DISCARD")
    other.close()
    ps.close()


def test_list_type_and_id(server, r):
    my_id = r.client_id()
    assert [c["id"] for c in r.client_list(client_id=[str(my_id)])] == [str(my_id)]
    ps = server.client().pubsub()
    ps.subscribe("ch")
    ps.get_message(timeout=1)
    pubsub = r.client_list(_type="pubsub")
    assert len(pubsub) == 1 and pubsub[0]["sub"] == "1"
    assert all(c["sub"] == "0" for c in r.client_list(_type="normal"))
    assert r.client_list(_type="replica") == []
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command("CLIENT", "LIST", "TYPE", "bogus")
    assert str(e.value) == "Unknown client type 'bogus'"
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command("CLIENT", "LIST", "ID", "x")
    assert str(e.value) == "Invalid client ID"
    ps.close()


def victim(server, name):
    c = server.client(single_connection_client=True)
    c.client_setname(name)
    return c


def find(r, name):
    return [c for c in r.client_list() if c["name"] == name]


def test_kill_old_form(server, r):
    v = victim(server, "old-form")
    addr = find(r, "old-form")[0]["addr"]
    assert r.execute_command("CLIENT", "KILL", addr) == b"OK"
    time.sleep(0.05)
    assert find(r, "old-form") == []
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command("CLIENT", "KILL", addr)
    assert str(e.value) == "No such client"
    v.close()


def test_kill_filters(server, r):
    v = victim(server, "by-id")
    vid = int(find(r, "by-id")[0]["id"])
    assert r.execute_command("CLIENT", "KILL", "ID", vid) == 1
    assert r.execute_command("CLIENT", "KILL", "ID", vid) == 0
    v.close()

    v = victim(server, "by-addr")
    info = find(r, "by-addr")[0]
    assert r.execute_command("CLIENT", "KILL", "ADDR", info["addr"], "SKIPME", "no") == 1
    v.close()

    v = victim(server, "by-user")
    assert r.execute_command("CLIENT", "KILL", "USER", "default") >= 1  # skips me
    assert r.ping()
    v.close()

    ps = server.client().pubsub()
    ps.subscribe("ch")
    ps.get_message(timeout=1)
    assert r.execute_command("CLIENT", "KILL", "TYPE", "pubsub") == 1
    ps.close()

    v = victim(server, "by-laddr")
    laddr = find(r, "by-laddr")[0]["laddr"]
    vid = int(find(r, "by-laddr")[0]["id"])
    assert r.execute_command("CLIENT", "KILL", "LADDR", laddr, "ID", vid) == 1
    v.close()


def test_kill_skipme(r):
    my_id = r.client_id()
    assert r.execute_command("CLIENT", "KILL", "ID", my_id) == 0  # SKIPME yes by default
    conn = r.connection_pool.get_connection("CLIENT")
    try:
        conn.send_command("CLIENT", "ID")
        conn_id = conn.read_response()
        conn.send_command("CLIENT", "KILL", "ID", str(conn_id), "SKIPME", "no")
        assert conn.read_response() == 1  # the reply is sent, then the connection closes
        with pytest.raises(redis.ConnectionError):
            conn.send_command("PING")
            conn.read_response()
    finally:
        conn.disconnect()
        r.connection_pool.release(conn)


def test_kill_errors(r):
    cases = [
        (("ID", "abc"), "client-id should be greater than 0"),
        (("ID", "0"), "client-id should be greater than 0"),
        (("SKIPME", "maybe"), "syntax error"),
        (("TYPE", "foo"), "Unknown client type 'foo'"),
        (("USER", "nobody"), "No such user 'nobody'"),
        (("ID", "1", "TYPE"), "syntax error"),
        (("FOO", "bar"), "syntax error"),
    ]
    for args, message in cases:
        with pytest.raises(redis.ResponseError) as e:
            r.execute_command("CLIENT", "KILL", *args)
        assert str(e.value) == message, args


@pytest.mark.skipif(TARGET == "redis", reason="CLIENT KILL MAXAGE is a Redis 7.4 filter")
def test_kill_maxage(server, r):
    v = victim(server, "aged")
    assert r.execute_command("CLIENT", "KILL", "MAXAGE", 100) == 0
    time.sleep(1.1)
    assert r.execute_command("CLIENT", "KILL", "MAXAGE", 1) >= 1
    assert find(r, "aged") == []
    v.close()


def clients_by_cmd(r, cmd):
    lines = r.execute_command("CLIENT", "LIST").decode().splitlines()
    return [dict(parse_line(line)) for line in lines if f" cmd={cmd} " in line]


def test_argv_mem_counts_the_running_command(r):
    # "CLIENT" + "INFO": the arguments of the command being run, as redis-server reports.
    assert me(r)["argv-mem"] == "10"
    r.execute_command("CLIENT", "SETNAME", "abc")
    assert me(r)["argv-mem"] == "10"
    [line] = [c for c in clients_by_cmd(r, "client|list") if c["name"] == "abc"]
    assert line["argv-mem"] == "10"
    # Another client that is not running anything holds no arguments.
    other = redis.Redis(port=r.connection_pool.connection_kwargs["port"])
    other.client_setname("idle")
    [idle] = [c for c in clients_by_cmd(r, "client|setname") if c["name"] == "idle"]
    assert idle["argv-mem"] == "0"
    other.close()


def test_argv_mem_of_a_blocked_client(r):
    key = "k" * 5000
    port = r.connection_pool.connection_kwargs["port"]
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.sendall(b"*3\r\n$5\r\nBLPOP\r\n$5000\r\n" + key.encode() + b"\r\n$1\r\n0\r\n")
        deadline = time.time() + 3
        while not clients_by_cmd(r, "blpop") and time.time() < deadline:
            time.sleep(0.01)
        [blocked] = clients_by_cmd(r, "blpop")
        # BLPOP + the key + the timeout, held while it waits.
        assert blocked["argv-mem"] == "5006"
        assert int(blocked["tot-mem"]) > 5006
        r.rpush(key, "v")
        assert s.recv(100).startswith(b"*2\r\n")
    r.delete(key)
