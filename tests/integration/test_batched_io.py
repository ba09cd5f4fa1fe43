"""Many clients at once: every client gets exactly its own replies, in order.

Where the kernel allows io_uring, the server reads all ready connections in one submission and
writes all pending replies in another (src/net/batch_io.h); BASALT_IO_URING=0 keeps one read
and one write per connection. Both paths run here, with pipelines whose keys the server
prefetches across clients, replies too big for one send, and a client that vanishes with
requests in flight.
"""
import socket
import threading
import time

import pytest

from resp_util import encode

MODES = {"default": None, "no-io-uring": {"BASALT_IO_URING": "0"}}


@pytest.fixture(params=sorted(MODES))
def srv(request, make_server):
    return make_server(env=MODES[request.param])


def read_exactly(sock, size):
    data = b""
    while len(data) < size:
        chunk = sock.recv(min(1 << 16, size - len(data)))
        assert chunk, "server closed the connection"
        data += chunk
    return data


def test_concurrent_pipelines_get_their_own_replies(srv):
    clients, rounds, depth = 20, 5, 32
    errors = []

    def run(n):
        try:
            with socket.create_connection(("127.0.0.1", srv.port), timeout=20) as s:
                for rnd in range(rounds):
                    payload = b"".join(encode("INCR", f"c{n}:{i % 8}") for i in range(depth))
                    payload += encode("SET", f"k{n}", f"v{n}:{rnd}") + encode("GET", f"k{n}")
                    s.sendall(payload)
                    # Each of the 8 counters gets 4 of the 32 INCRs per round.
                    want = b"".join(b":%d\r\n" % (rnd * 4 + i // 8 + 1) for i in range(depth))
                    value = f"v{n}:{rnd}".encode()
                    want += b"+OK\r\n$%d\r\n%s\r\n" % (len(value), value)
                    assert read_exactly(s, len(want)) == want
        except Exception as e:  # noqa: BLE001 - reported below with the client's number
            errors.append((n, repr(e)))

    threads = [threading.Thread(target=run, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    c = srv.client()
    assert c.dbsize() == clients * 9
    assert c.get("c7:3") == str(rounds * 4).encode()


def test_big_replies_to_slow_readers_while_others_run(srv):
    c = srv.client()
    big = b"x" * (4 << 20)  # far more than a socket buffer: sent in many parts
    c.set("big", big)
    slow = [socket.create_connection(("127.0.0.1", srv.port), timeout=20) for _ in range(3)]
    for s in slow:
        s.sendall(encode("GET", "big") * 2)
    # Others are served while the big replies wait for their readers.
    for i in range(50):
        assert c.incr("n") == i + 1
    want = (b"$%d\r\n" % len(big) + big + b"\r\n") * 2
    for s in slow:
        assert read_exactly(s, len(want)) == want
        s.close()
    assert c.ping()


def test_client_gone_with_requests_in_flight(srv):
    for _ in range(10):
        s = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
        s.sendall(b"".join(encode("SET", f"gone{i}", "v") for i in range(200)))
        s.close()
    c = srv.client()
    assert c.ping()
    # What was sent before the close may or may not have run; nothing else did.
    assert set(c.keys("*")) <= {f"gone{i}".encode() for i in range(200)}


@pytest.mark.parametrize("mode", sorted(MODES))
def test_request_read_with_a_busy_script_is_answered_while_it_runs(make_server, mode):
    s = make_server("--busy-reply-threshold", "100", "--enable-debug-command", "yes",
                    env=MODES[mode])
    sleeper = s.client(socket_timeout=10)
    t = threading.Thread(target=lambda: sleeper.execute_command("DEBUG", "SLEEP", "0.3"))
    t.start()
    time.sleep(0.1)
    # While the server sleeps, the script and then the PING arrive: one loop turn reads both,
    # and the script starts first. The PING must be answered while the script runs.
    a = socket.create_connection(("127.0.0.1", s.port), timeout=10)
    b = socket.create_connection(("127.0.0.1", s.port), timeout=5)
    a.sendall(encode("EVAL", "while true do end", "0"))
    time.sleep(0.02)
    b.sendall(encode("PING"))
    assert read_exactly(b, 5) == b"-BUSY"
    b.recv(1 << 16)
    b.sendall(encode("SCRIPT", "KILL"))
    assert read_exactly(b, 5) == b"+OK\r\n"
    assert read_exactly(a, 5) == b"-ERR "
    t.join(5)
    a.close()
    b.close()


@pytest.mark.parametrize("mode", sorted(MODES))
def test_caller_writing_during_its_own_busy_script_waits_for_it(make_server, mode):
    # Redis stops reading the script's caller while the script runs (protectClient): what the
    # caller sends meanwhile is served after the script's reply, in order, and must not disturb
    # the running script's arguments, which point into that client's buffer.
    s = make_server("--busy-reply-threshold", "50", env=MODES[mode])
    a = socket.create_connection(("127.0.0.1", s.port), timeout=10)
    b = socket.create_connection(("127.0.0.1", s.port), timeout=5)
    script = ("local t = redis.call('TIME') local s = t[1] * 1000000 + t[2] "
              "while true do t = redis.call('TIME') "
              "if t[1] * 1000000 + t[2] - s > 300000 then break end end "
              "redis.call('SET', KEYS[1], ARGV[1]) return ARGV[1]")
    a.sendall(encode("EVAL", script, "1", "k" * 40, "v" * 30))
    time.sleep(0.15)
    # Enough bytes that reading them would move the caller's buffer.
    a.sendall(encode("SET", "other", "x" * 100000) + encode("GET", "k" * 40))
    b.sendall(encode("PING"))
    assert read_exactly(b, 5) == b"-BUSY"
    expected = b"$30\r\n" + b"v" * 30 + b"\r\n" + b"+OK\r\n" + b"$30\r\n" + b"v" * 30 + b"\r\n"
    assert read_exactly(a, len(expected)) == expected
    a.close()
    b.close()


def test_caller_writing_during_its_own_debug_loadaof_waits_for_it(make_server):
    # DEBUG LOADAOF serves other clients while it replays the file, as Redis does; the
    # caller's own next requests wait until it returns, and are answered in order.
    s = make_server("--appendonly", "yes", "--enable-debug-command", "yes")
    r = s.client()
    pipe = r.pipeline(transaction=False)
    for i in range(300000):
        pipe.set(f"key:{i}", i)
    pipe.execute()
    a = socket.create_connection(("127.0.0.1", s.port), timeout=30)
    a.sendall(encode("DEBUG", "LOADAOF"))
    time.sleep(0.05)
    a.sendall(encode("GET", "key:7") + encode("DBSIZE"))
    expected = b"+OK\r\n$1\r\n7\r\n:300000\r\n"
    assert read_exactly(a, len(expected)) == expected
    # Nothing else came. Read while it ran, the GET would have run LOADAOF a second time,
    # nested in the first (which then goes on replaying after the nested one has finished):
    # the count below would reach 2 once the outer one ends, well within the second.
    a.sendall(encode("PING"))
    assert read_exactly(a, 7) == b"+PONG\r\n"
    time.sleep(1)
    assert r.info("commandstats")["cmdstat_debug"]["calls"] == 1
    assert r.info("persistence")["loading"] == 0
    a.close()
