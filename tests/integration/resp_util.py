"""A small RESP2/RESP3 reader for tests that check reply shapes (sets vs arrays, maps,
verbatim strings), which redis-py 4.3 cannot show.

parse_all(data) turns raw server bytes into a list of replies; each reply is a Reply with
`kind` (the RESP type byte: '*', '%', '~', '$', '+', ':', '=', '_', '-', ...) and `value`
(a list for aggregates, a list of (key, value) pairs for maps, bytes or int otherwise).

Also the tests' shared ways of reaching under redis-py: raw(r, ...) and error(r, ...) read a
reply without redis-py's per-command conversions, raw_command / first_reply_line / raw_scan
talk to the server over a plain socket.
"""
import socket
import time

import pytest
import redis


class Reply:
    def __init__(self, kind, value):
        self.kind = kind
        self.value = value

    def __repr__(self):
        return f"Reply({self.kind!r}, {self.value!r})"

    def plain(self):
        """The value with the RESP types dropped (maps become dicts)."""
        if self.kind == "%":
            return {k.plain(): v.plain() for k, v in self.value}
        if self.kind in "*~>":
            return None if self.value is None else [x.plain() for x in self.value]
        return self.value


def _parse(data, pos):
    kind = chr(data[pos])
    end = data.index(b"\r\n", pos)
    line = data[pos + 1:end]
    pos = end + 2
    if kind in "+-":
        return Reply(kind, line), pos
    if kind in ":(":
        return Reply(kind, int(line)), pos
    if kind == ",":
        return Reply(kind, line), pos
    if kind == "#":
        return Reply(kind, line == b"t"), pos
    if kind == "_":
        return Reply(kind, None), pos
    if kind in "$=!":
        n = int(line)
        if n < 0:
            return Reply(kind, None), pos
        if pos + n + 2 > len(data):
            raise IndexError("truncated bulk")
        return Reply(kind, data[pos:pos + n]), pos + n + 2
    if kind in "*~>":
        n = int(line)
        if n < 0:
            return Reply(kind, None), pos
        items = []
        for _ in range(n):
            item, pos = _parse(data, pos)
            items.append(item)
        return Reply(kind, items), pos
    if kind == "%":
        pairs = []
        for _ in range(int(line)):
            k, pos = _parse(data, pos)
            v, pos = _parse(data, pos)
            pairs.append((k, v))
        return Reply(kind, pairs), pos
    raise ValueError(f"unknown RESP type {kind!r} at {pos}")


def parse_all(data):
    replies = []
    pos = 0
    while pos < len(data):
        reply, pos = _parse(data, pos)
        replies.append(reply)
    return replies


def encode(*args):
    """A command as a RESP multibulk request (str and int arguments are sent as text)."""
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        if isinstance(a, str):
            a = a.encode()
        elif isinstance(a, int):
            a = str(a).encode()
        out.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(out)


def request(port, *commands, resp3=False, timeout=5.0):
    """Sends each command (a tuple of arguments) on one connection, after HELLO 3 when
    resp3, and returns their parsed replies (the HELLO reply excluded)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        payload = b""
        if resp3:
            payload += encode("HELLO", "3")
        for cmd in commands:
            payload += encode(*cmd)
        s.sendall(payload)
        want = len(commands) + (1 if resp3 else 0)
        data = b""
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                replies = parse_all(data)
                if len(replies) >= want:
                    return replies[1:] if resp3 else replies
            except (ValueError, IndexError):
                pass
            chunk = s.recv(1 << 20)
            if not chunk:
                break
            data += chunk
        replies = parse_all(data)
        return replies[1:] if resp3 else replies


def raw_command(port, payload: bytes, read_timeout=2.0):
    """Sends raw bytes and returns everything the server answers until it closes or idles."""
    with socket.create_connection(("127.0.0.1", port), timeout=read_timeout) as s:
        s.sendall(payload)
        chunks = []
        try:
            while True:
                data = s.recv(65536)
                if not data:
                    break
                chunks.append(data)
        except (socket.timeout, ConnectionResetError):
            pass
        return b"".join(chunks)


def first_reply_line(port, *args):
    """Sends one command on a fresh connection; returns the first line of the raw reply."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(encode(*args))
        data = b""
        while b"\r\n" not in data:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    return data.split(b"\r\n", 1)[0]


def raw_scan(port, *args):
    """SCAN's raw RESP2 reply, read until the key array is complete."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(encode("SCAN", *args))
        data = b""
        while True:
            chunk = s.recv(65536)
            data += chunk
            if not chunk or data.startswith(b"-") and data.endswith(b"\r\n"):
                return data
            lines = data.split(b"\r\n")
            # *2, $n, cursor, *m, then 2 lines per key, then the trailing empty piece.
            if len(lines) >= 5 and lines[3].startswith(b"*"):
                if len(lines) >= 5 + 2 * int(lines[3][1:]):
                    return data


def raw(r, *args):
    """Runs a command through redis-py client r and returns its reply as parsed RESP2,
    without redis-py's per-command reply conversions (which turn SET's reply into a bool
    and reshape COMMAND's, for instance)."""
    conn = r.connection_pool.get_connection(args[0])
    try:
        conn.send_command(*args)
        return conn.read_response()
    finally:
        r.connection_pool.release(conn)


def error(r, *args):
    """The error text of a command (redis-py strips the leading 'ERR ')."""
    with pytest.raises(redis.ResponseError) as e:
        raw(r, *args)
    return str(e.value)


def as_dict(flat):
    """A RESP2 flat [key, value, key, value, ...] array as a dict."""
    return {flat[i]: flat[i + 1] for i in range(0, len(flat), 2)}


class Conn:
    """A plain socket connection that sends commands and reads replies one at a time,
    keeping RESP types visible (push frames '>' vs arrays '*')."""

    def __init__(self, port, resp3=False):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.buf = b""
        self.pending = []
        if resp3:
            self.call("HELLO", "3")

    def send(self, *args):
        self.sock.sendall(encode(*args))

    def read(self):
        """The next reply as a resp_util.Reply."""
        while not self.pending:
            try:
                replies = parse_all(self.buf)
                if replies:
                    self.pending.extend(replies)
                    self.buf = b""
                    break
            except (ValueError, IndexError):
                pass
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                raise ConnectionError("closed")
            self.buf += chunk
        return self.pending.pop(0)

    def read_n(self, n):
        return [self.read() for _ in range(n)]

    def call(self, *args):
        self.send(*args)
        return self.read()

    def nothing_pending(self, wait=0.15):
        """True when nothing more arrives within `wait` seconds (and none is buffered)."""
        self.sock.settimeout(wait)
        try:
            data = self.sock.recv(1 << 16)
        except socket.timeout:
            data = b""
        finally:
            self.sock.settimeout(5)
        self.buf += data
        return data == b"" and not self.pending

    def close(self):
        self.sock.close()


def parse_resp_commands(data):
    """The commands of an AOF text: RESP arrays of bulk strings (and #TS annotations)."""
    cmds, i = [], 0
    while i < len(data):
        if data[i:i + 1] == b"#":
            i = data.index(b"\r\n", i) + 2
            continue
        assert data[i:i + 1] == b"*", data[i:i + 40]
        end = data.index(b"\r\n", i)
        argc = int(data[i + 1:end])
        i = end + 2
        argv = []
        for _ in range(argc):
            assert data[i:i + 1] == b"$"
            end = data.index(b"\r\n", i)
            n = int(data[i + 1:end])
            argv.append(data[end + 2:end + 2 + n].decode("latin-1"))
            i = end + 2 + n + 2
        cmds.append(argv)
    return cmds
