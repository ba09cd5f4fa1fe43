"""A server under benchmark: one process on a free loopback port, and what we read from it.

Both basalt-server and redis-server are started here with the same arguments, so every
difference in the figures comes from the servers and not from their settings. Besides a
minimal RESP client (enough for probes, FLUSHALL, DBSIZE and INFO), this reads the two
things that only the kernel knows honestly: the process's own CPU time (/proc/PID/stat,
all threads included) and its resident set (/proc/PID/status VmRSS).
"""
import os
import socket
import subprocess
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")

# Same for both servers: no persistence of any kind, loopback only, foreground.
COMMON_ARGS = ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ReplyError:
    """An error reply (-ERR ...). A value, so callers check it instead of catching."""

    def __init__(self, message):
        self.message = message

    def __repr__(self):
        return f"ReplyError({self.message!r})"


def encode_command(args):
    """RESP array of bulk strings for one command; args are str or bytes."""
    out = [b"*%d\r\n" % len(args)]
    for arg in args:
        if isinstance(arg, str):
            arg = arg.encode()
        out.append(b"$%d\r\n%s\r\n" % (len(arg), arg))
    return b"".join(out)


class Client:
    """A blocking RESP2 client for a handful of control commands (not for load)."""

    def __init__(self, port, timeout=30.0):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.buf = b""

    def close(self):
        self.sock.close()

    def call(self, *args):
        self.sock.sendall(encode_command(args))
        return self._read_reply()

    def _read_line(self):
        while b"\r\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("server closed the connection")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def _read_exact(self, n):
        while len(self.buf) < n + 2:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("server closed the connection")
            self.buf += chunk
        data, self.buf = self.buf[:n], self.buf[n + 2:]
        return data

    def _read_reply(self):
        line = self._read_line()
        kind, rest = line[:1], line[1:]
        if kind == b"+":
            return rest.decode()
        if kind == b"-":
            return ReplyError(rest.decode(errors="replace"))
        if kind == b":":
            return int(rest)
        if kind == b"$":
            n = int(rest)
            return None if n < 0 else self._read_exact(n)
        if kind == b"*":
            n = int(rest)
            return None if n < 0 else [self._read_reply() for _ in range(n)]
        raise ValueError(f"unexpected reply line {line!r}")


class Server:
    """One server process. start() waits until it answers PING; stop() ends it."""

    def __init__(self, name, binary, workdir):
        self.name = name
        self.binary = binary
        self.workdir = os.path.join(workdir, name)
        os.makedirs(self.workdir, exist_ok=True)
        self.port = None
        self.proc = None
        self.client = None
        self.log_path = os.path.join(self.workdir, "server.log")

    def start(self, timeout=15.0, args=()):
        """`args`: extra config arguments, after (so overriding) COMMON_ARGS."""
        self.port = free_port()
        cmd = ([self.binary, "--port", str(self.port), "--dir", self.workdir] + COMMON_ARGS +
               list(args))
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited at startup (code {self.proc.returncode})"
                                   f":\n{self.log_tail()}")
            try:
                client = Client(self.port)
                if client.call("PING") == "PONG":
                    self.client = client
                    return
                client.close()
            except OSError:
                pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"{self.name} did not answer PING within {timeout:.0f}s:\n"
                           f"{self.log_tail()}")

    def stop(self):
        if self.client is not None:
            try:
                self.client.close()
            except OSError:
                pass
            self.client = None
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def log_tail(self, lines=20):
        try:
            with open(self.log_path, errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return ""

    def call(self, *args):
        return self.client.call(*args)

    def cpu_seconds(self):
        """User + system CPU time of the whole process (every thread), in seconds."""
        with open(f"/proc/{self.proc.pid}/stat") as f:
            stat = f.read()
        # The command name may contain spaces and parentheses: fields start after the last ')'.
        fields = stat[stat.rindex(")") + 2:].split()
        utime, stime = int(fields[11]), int(fields[12])  # fields 14 and 15 of proc(5)
        return (utime + stime) / CLK_TCK

    def rss_bytes(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
        raise RuntimeError("no VmRSS in /proc status")

    def used_memory(self):
        info = self.call("INFO", "memory")
        if isinstance(info, ReplyError):
            return None
        for line in info.decode().splitlines():
            if line.startswith("used_memory:"):
                return int(line.split(":", 1)[1])
        return None

    def version(self):
        try:
            out = subprocess.run([self.binary, "--version"], capture_output=True, text=True,
                                 timeout=10)
            return out.stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            return "unknown"
