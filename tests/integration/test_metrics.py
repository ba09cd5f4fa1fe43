"""The Prometheus endpoint (metrics-port, Basalt's own: redis-server has no such thing)."""
import socket
import urllib.error
import urllib.request

import pytest
import redis

from conftest import TARGET, free_port

pytestmark = pytest.mark.skipif(TARGET == "redis", reason="Basalt's own metrics endpoint")


def scrape(port, path="/metrics"):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as resp:
        return resp.status, resp.headers.get("Content-Type"), resp.read().decode()


def samples(text):
    out = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            out[name] = float(value)
    return out


def test_off_by_default(r):
    assert r.config_get("metrics-port")["metrics-port"] == "0"


def test_scrape(make_server):
    port = free_port()
    s = make_server("--metrics-port", str(port))
    c = s.client()
    c.set("a", 1)
    c.set("b", 2, ex=100)
    c.get("a")
    c.get("missing")
    with pytest.raises(redis.ResponseError):
        c.execute_command("INCR", "a", "extra")  # wrong arity: a rejected call
    status, ctype, body = scrape(port)
    assert status == 200
    assert ctype.startswith("text/plain; version=0.0.4")
    m = samples(body)
    assert m["basalt_up"] == 1
    assert m["basalt_connected_clients"] >= 1
    assert m["basalt_memory_used_bytes"] > 0
    assert m["basalt_keyspace_hits_total"] == 1
    assert m["basalt_keyspace_misses_total"] == 1
    assert m['basalt_db_keys{db="db0"}'] == 2
    assert m['basalt_db_keys_expiring{db="db0"}'] == 1
    assert m['basalt_commands_total{cmd="set"}'] == 2
    assert m['basalt_commands_rejected_calls_total{cmd="incr"}'] == 1
    assert m['basalt_errors_total{err="ERR"}'] == 1
    assert "# TYPE basalt_commands_total counter" in body


def test_not_found_and_method(make_server):
    port = free_port()
    make_server("--metrics-port", str(port))
    with pytest.raises(urllib.error.HTTPError) as e:
        scrape(port, "/other")
    assert e.value.code == 404
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(b"POST /metrics HTTP/1.0\r\n\r\n")
        data = b""
        while True:
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
    assert data.startswith(b"HTTP/1.0 405")


def test_config_set_opens_and_closes(make_server):
    s = make_server()
    c = s.client()
    port = free_port()
    c.config_set("metrics-port", port)
    assert scrape(port)[0] == 200
    c.config_set("metrics-port", 0)
    with pytest.raises(urllib.error.URLError):
        scrape(port)
    # A port in use: CONFIG SET fails and the old value stays.
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen()
    with pytest.raises(redis.ResponseError):
        c.config_set("metrics-port", busy.getsockname()[1])
    assert c.config_get("metrics-port")["metrics-port"] == "0"
    busy.close()
