// Blocking socket I/O with deadlines, for the few places where Redis itself blocks the event
// loop on purpose and a user expects it: MIGRATE talking to the target instance (and later
// a replica's handshake). Each call waits at most `timeout_ms` in total.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace basalt {

// Connects to `host` (a name or an address) and `port` over TCP, with TCP_NODELAY. Returns
// the connected blocking-mode fd, or -1 (errno says why; ETIMEDOUT on the deadline).
int SyncConnect(const std::string& host, int port, int64_t timeout_ms);

// Writes all of `data`. False on error or when the deadline passes (errno ETIMEDOUT).
bool SyncWrite(int fd, std::string_view data, int64_t timeout_ms);

// Reads one line, without its "\r\n" (or "\n"), of at most `max_len` bytes. nullopt on
// error, end of stream or deadline (errno ETIMEDOUT).
std::optional<std::string> SyncReadLine(int fd, int64_t timeout_ms, size_t max_len = 1024);

}  // namespace basalt
