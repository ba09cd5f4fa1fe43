"""maxmemory-clients (client eviction): connections whose buffers together pass the limit are
closed, biggest first, sparing CLIENT NO-EVICT ones; INFO evicted_clients counts them.

Each test runs its own server, so the clients' total starts from a known set of connections.
"""
import socket
import time

import redis


def closed(sock, timeout=2):
    """Whether the server closed `sock` (reading whatever it sent first)."""
    sock.settimeout(timeout)
    try:
        while True:
            if not sock.recv(1 << 20):
                return True
    except ConnectionResetError:
        return True
    except socket.timeout:
        return False


def send(sock, data):
    """Send `data`; the server may close the connection before it has read all of it (it evicts
    the client as soon as the query buffer passes the limit), which is what the tests expect."""
    try:
        sock.sendall(data)
    except (BrokenPipeError, ConnectionResetError):
        pass


def evicted(c):
    return c.info("stats")["evicted_clients"]


def control(make_server):
    s = make_server()
    c = s.client()
    c.client_no_evict("on")
    return s, c


def test_client_with_a_big_query_buffer_is_evicted(make_server):
    s, c = control(make_server)
    c.config_set("maxmemory-clients", "1mb")
    small = [s.client() for _ in range(20)]
    for x in small:
        x.ping()
    assert evicted(c) == 0
    with socket.create_connection(("127.0.0.1", s.port)) as sock:
        # Half of a 3 MB SET: the argument waits in the query buffer.
        send(sock, b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3000000\r\n" + b"x" * 2000000)
        time.sleep(0.2)
        c.ping()
        assert closed(sock)
    assert evicted(c) == 1
    for x in small:  # the small clients stay
        assert x.ping() is True


def test_client_reading_no_replies_is_evicted(make_server):
    s, c = control(make_server)
    c.set("big", "x" * 3000000)
    c.config_set("maxmemory-clients", "1mb")
    with socket.create_connection(("127.0.0.1", s.port)) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.sendall(b"*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n" * 3)
        time.sleep(0.3)
        c.ping()
        assert evicted(c) >= 1
        assert closed(sock)
    assert c.ping() is True


def test_setting_the_limit_evicts_clients_already_over_it(make_server):
    s, c = control(make_server)
    with socket.create_connection(("127.0.0.1", s.port)) as sock:
        send(sock, b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3000000\r\n" + b"x" * 2000000)
        time.sleep(0.2)
        c.ping()
        assert evicted(c) == 0  # no limit yet
        c.config_set("maxmemory-clients", "1mb")
        c.ping()
        assert closed(sock)
    assert evicted(c) == 1
    c.config_set("maxmemory-clients", "0")


def test_no_evict_clients_are_spared(make_server):
    s, c = control(make_server)
    other = s.client()
    other.client_no_evict("on")
    c.config_set("maxmemory-clients", "1mb")
    # A NO-EVICT client with a big pending command stays, however far over the limit.
    with socket.create_connection(("127.0.0.1", s.port)) as sock:
        sock.sendall(b"*3\r\n$6\r\nCLIENT\r\n$8\r\nNO-EVICT\r\n$2\r\nON\r\n")
        assert sock.recv(100) == b"+OK\r\n"
        sock.sendall(b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3000000\r\n" + b"x" * 2000000)
        time.sleep(0.2)
        c.ping()
        assert not closed(sock, timeout=0.3)
        assert evicted(c) == 0
        sock.sendall(b"x" * 1000000 + b"\r\n")
        assert sock.recv(100) == b"+OK\r\n"
    assert c.strlen("k") == 3000000
    assert other.ping() is True
