"""Startup: command line, config files and their errors, listeners, shutdown."""
import os
import signal
import socket
import subprocess

import pytest
import redis

from conftest import ServerProcess, free_port, server_binary


def run_server(*args, timeout=5, stdin=None):
    return subprocess.run([server_binary(), *args], capture_output=True, timeout=timeout,
                          input=stdin)


def test_version_flags():
    for flag in ("-v", "--version"):
        out = run_server(flag)
        assert out.returncode == 0
        assert b"v=" in out.stdout


def test_unknown_directive_names_file_line_and_directive(tmp_path):
    conf = tmp_path / "bad.conf"
    conf.write_text("port 7000\n\nfoo-bar 12\n")
    out = run_server(str(conf))
    assert out.returncode == 1
    err = out.stderr.decode()
    assert "*** FATAL CONFIG FILE ERROR" in err
    assert "at line 3" in err
    assert ">>> 'foo-bar 12'" in err
    assert "Bad directive or wrong number of arguments" in err


def test_malformed_value_is_an_error(tmp_path):
    conf = tmp_path / "bad.conf"
    conf.write_text("port notanumber\n")
    out = run_server(str(conf))
    assert out.returncode == 1
    assert ">>> 'port \"notanumber\"'" in out.stderr.decode() or \
        ">>> 'port notanumber'" in out.stderr.decode()


def test_bad_command_line_option():
    out = run_server("--port", "1", "--no-such-option", "x")
    assert out.returncode == 1
    assert "Bad directive or wrong number of arguments" in out.stderr.decode()


def test_config_file_with_include_and_overrides(tmp_path):
    port = free_port()
    inc = tmp_path / "inc.conf"
    inc.write_text('databases 4\nrequirepass "p w"\n')
    conf = tmp_path / "main.conf"
    conf.write_text(f"port 1\nbind 127.0.0.1\ninclude {inc}\nsave \"\"\n")
    proc = subprocess.Popen([server_binary(), str(conf), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        c = None
        for _ in range(200):
            try:
                c = redis.Redis(port=port, password="p w")
                c.ping()
                break
            except redis.ConnectionError:
                import time
                time.sleep(0.02)
        assert c.config_get("databases") == {"databases": "4"}
        with pytest.raises(redis.ResponseError, match="DB index is out of range"):
            c.execute_command("SELECT", 4)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        proc.stdout.close()


def test_config_from_stdin():
    port = free_port()
    proc = subprocess.Popen([server_binary(), "-"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    proc.stdin.write(f"port {port}\nbind 127.0.0.1\nsave ''\n".encode())
    proc.stdin.close()
    try:
        import time
        for _ in range(200):
            try:
                assert redis.Redis(port=port).ping()
                break
            except redis.ConnectionError:
                time.sleep(0.02)
        else:
            pytest.fail("server did not start")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        proc.stdout.close()


def test_unix_socket(make_server, tmp_path):
    path = str(tmp_path / "s.sock")
    s = make_server("--unixsocket", path, "--unixsocketperm", "700")
    assert oct(os.stat(path).st_mode & 0o777) == "0o700"
    c = redis.Redis(unix_socket_path=path)
    assert c.set("k", "v")
    assert s.client().get("k") == b"v"


def test_ipv6_listener(make_server):
    if not socket.has_ipv6:
        pytest.skip("no IPv6 on this host")
    try:
        probe = socket.socket(socket.AF_INET6)
        probe.bind(("::1", 0))
        probe.close()
    except OSError:
        pytest.skip("no ::1 on this host")
    s = make_server("--bind", "127.0.0.1", "::1")
    assert redis.Redis(host="::1", port=s.port).ping()


def test_listen_failure_exits(server):
    out = run_server("--port", str(server.port), "--bind", "127.0.0.1", timeout=10)
    assert out.returncode != 0


def test_thousands_of_clients(make_server):
    s = make_server("--maxclients", "3000")
    socks = []
    try:
        for _ in range(2000):
            socks.append(socket.create_connection(("127.0.0.1", s.port)))
        for sock in socks[::100]:
            sock.sendall(b"PING\r\n")
            assert sock.recv(100) == b"+PONG\r\n"
        info = s.client().info("clients")
        assert info["connected_clients"] >= 2000
    finally:
        for sock in socks:
            sock.close()


def test_sigterm_shuts_down_cleanly():
    s = ServerProcess()
    s.proc.send_signal(signal.SIGTERM)
    assert s.proc.wait(timeout=10) == 0
    s.stop()


def test_rename_command(make_server):
    s = make_server("--rename-command", "flushdb", "badger", "--rename-command", "debug", "")
    c = s.client()
    with pytest.raises(redis.ResponseError, match="unknown command 'FLUSHDB'"):
        c.execute_command("FLUSHDB")
    with pytest.raises(redis.ResponseError, match="unknown command 'DEBUG'"):
        c.execute_command("DEBUG", "HELP")
    c.set("k", "v")
    assert c.execute_command("BADGER") == b"OK"
    assert c.dbsize() == 0


def test_rename_unknown_command_fails():
    out = run_server("--port", "0", "--rename-command", "nosuchcmd", "x")
    assert out.returncode == 1
    assert "No such command in rename-command" in (out.stdout + out.stderr).decode()
