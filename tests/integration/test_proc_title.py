"""Process title: set-proc-title and proc-title-template, read back from /proc/PID/cmdline.

Redis 7.0 overwrites its argv area with the expanded template after it starts listening and
again on CONFIG SET proc-title-template; these tests pass against both servers."""
import os
import socket
import subprocess
import sys
import time

import pytest
import redis

from conftest import free_port, server_binary

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="reads /proc/PID/cmdline")

BAD_TEMPLATE = ("CONFIG SET failed (possibly related to argument 'proc-title-template') - "
                "template format is invalid or contains unknown variables")


def cmdline(pid):
    with open(f"/proc/{pid}/cmdline", "rb") as f:
        return f.read()


def title(pid):
    """The title as ps shows it: the first NUL-terminated string (Redis leaves the rest of
    the old argv area zeroed)."""
    return cmdline(pid).split(b"\0", 1)[0].decode()


def wait_for_title(pid, expected):
    deadline = time.time() + 5
    while title(pid) != expected and time.time() < deadline:
        time.sleep(0.02)
    return title(pid)


def test_default_title_is_binary_and_listen_addr(make_server):
    s = make_server()
    # Set after listening: make_server returns once the port accepts connections.
    assert wait_for_title(s.proc.pid, f"{server_binary()} 127.0.0.1:{s.port}") == \
        f"{server_binary()} 127.0.0.1:{s.port}"
    if os.environ.get("BASALT_TEST_TARGET") == "redis":
        assert title(s.proc.pid).startswith("/usr/bin/redis-server ")


def test_custom_template_with_every_variable(make_server, tmp_path):
    sock = str(tmp_path / "title.sock")
    s = make_server("--unixsocket", sock)
    c = s.client()
    assert c.config_set("proc-title-template",
                        "TEST {title} {listen-addr} {port} {tls-port} {unixsocket} {config-file}")
    assert title(s.proc.pid) == \
        f"TEST {server_binary()} 127.0.0.1:{s.port} {s.port} 0 {sock} -"
    assert c.config_get("proc-title-template") == {
        "proc-title-template":
            "TEST {title} {listen-addr} {port} {tls-port} {unixsocket} {config-file}"}
    # "{{" is a literal brace; spaces around the expansion are trimmed.
    assert c.config_set("proc-title-template", "  {{x} {server-mode} {port}  ")
    assert title(s.proc.pid) == "{x}  " + str(s.port)  # the empty {server-mode} stays
    assert c.config_set("proc-title-template", "{title} {listen-addr} {server-mode}")
    assert title(s.proc.pid) == f"{server_binary()} 127.0.0.1:{s.port}"


def test_config_file_variable_is_absolute_path(tmp_path):
    port = free_port()
    conf = tmp_path / "title.conf"
    conf.write_text(f"port {port}\nbind 127.0.0.1\nsave \"\"\ndir {tmp_path}\n"
                    "proc-title-template \"{title} {config-file}\"\n")
    proc = subprocess.Popen([server_binary(), str(conf)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                assert proc.poll() is None and time.time() < deadline, "server did not start"
                time.sleep(0.02)
        expected = f"{server_binary()} {conf}"
        assert wait_for_title(proc.pid, expected) == expected
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.parametrize("template", ["{invalid-var}", "{title", "x {", "{title}", "  ", ""])
def test_invalid_template_refused_by_config_set(make_server, template):
    s = make_server()
    c = s.client()
    # The port accepts connections a moment before the startup title is set.
    before = wait_for_title(s.proc.pid, f"{server_binary()} 127.0.0.1:{s.port}")
    with pytest.raises(redis.ResponseError) as e:
        c.config_set("proc-title-template", template)
    assert str(e.value) == BAD_TEMPLATE
    assert title(s.proc.pid) == before
    assert c.config_get("proc-title-template") == {
        "proc-title-template": "{title} {listen-addr} {server-mode}"}


def test_invalid_template_refused_at_startup():
    out = subprocess.run([server_binary(), "--port", str(free_port()), "--save", "",
                          "--proc-title-template", "{bad}"], capture_output=True, timeout=10)
    assert out.returncode == 1
    text = (out.stdout + out.stderr).decode()
    assert "*** FATAL CONFIG FILE ERROR" in text
    assert "proc-title-template" in text
    assert "template format is invalid or contains unknown variables" in text


def test_set_proc_title_no_keeps_command_line(make_server):
    s = make_server("--set-proc-title", "no")
    args = cmdline(s.proc.pid).rstrip(b"\0").split(b"\0")
    assert args[0].decode() == server_binary()
    assert b"--set-proc-title" in args
    with pytest.raises(redis.ResponseError) as e:
        s.client().config_set("set-proc-title", "yes")
    assert "can't set immutable config" in str(e.value)
    # Redis 7.0 still applies a template set at runtime (set-proc-title is read at startup).
    assert s.client().config_set("proc-title-template", "X {port}")
    assert title(s.proc.pid) == f"X {s.port}"
