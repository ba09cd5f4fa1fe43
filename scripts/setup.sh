#!/usr/bin/env bash
# Installs every Debian package that building, testing and benchmarking Basalt needs.
# Idempotent: packages already present are skipped by apt-get. Must run as root (or via sudo).
set -euo pipefail

packages=(
  # build
  cmake ninja-build g++ ccache pkg-config
  # allocator and memory statistics
  libjemalloc-dev
  # SHA-1 (DEBUG DIGEST, scripting), later TLS
  libssl-dev
  # key hashing (XXH3)
  libxxhash-dev
  # batched client I/O through io_uring (optional at build time: epoll only without it)
  liburing-dev
  # Lua scripting: the Lua 5.1 Redis scripts are written for, with its cjson and bit libraries
  liblua5.1-0-dev lua-cjson-dev lua-bitop-dev
  # LZF, the compression of RDB strings and compressed quicklist nodes
  liblzf-dev
  # unit tests and micro-benchmarks (Abseil: the Swiss-table side of the keyspace benchmark)
  libgtest-dev libgmock-dev libbenchmark-dev libabsl-dev
  # integration tests: real clients, and the reference server to compare with
  python3 python3-pytest python3-redis redis-tools redis-server
  # Valkey/Redis TCL suite runner
  tcl
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
# Debian starts redis-server as a service on install; the tests start their own.
if command -v systemctl >/dev/null 2>&1; then
  $SUDO systemctl disable --now redis-server >/dev/null 2>&1 || true
fi
