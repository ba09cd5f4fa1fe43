// RequestParser: turns the bytes a client sent into commands (argv vectors).
//
// Understands RESP multibulk requests (`*2\r\n$3\r\nGET\r\n$1\r\nk\r\n`) and inline
// requests (`GET k\r\n`, what telnet and `redis-cli` pipes send), with Redis's limits and
// Redis's error texts. The parser is resumable: when a request is incomplete it remembers how
// far it got, so a 500 MB bulk arriving in 16 KB reads is scanned once, not once per read.
//
// Arguments are returned as offsets into the caller's buffer, valid until the caller
// discards the consumed prefix. Not thread-safe; one parser per connection.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <new>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace basalt {

struct ParserLimits {
  int64_t max_bulk_len = 512LL * 1024 * 1024;  // proto-max-bulk-len
  // Before AUTH, Redis refuses big requests so an unauthenticated peer can't make the
  // server allocate much memory.
  bool authenticated = true;
};

// Whole requests parsed ahead of running them (RequestParser::ParseAhead): the start of a
// pipeline, so that the server can prefetch their keys before the first one runs and need not
// parse them a second time. Views into the parsed buffer, like RequestParser::args().
struct RequestBatch {
  static constexpr size_t kMaxRequests = 16;
  static constexpr size_t kMaxArgs = 64;
  // Request i's arguments are arg(first_arg[i]) up to arg(first_arg[i + 1]).
  std::array<uint8_t, kMaxRequests + 1> first_arg;
  std::array<size_t, kMaxRequests> bytes;  // request i's length in the buffer
  size_t count = 0;

  std::span<const std::string_view> request(size_t i) const {
    return std::span<const std::string_view>(args() + first_arg[i],
                                             first_arg[i + 1] - first_arg[i]);
  }
  void set_arg(size_t i, std::string_view arg) {
    new (&arg_storage_[i * sizeof(std::string_view)]) std::string_view(arg);
  }

 private:
  const std::string_view* args() const {
    return std::launder(reinterpret_cast<const std::string_view*>(arg_storage_));
  }
  // Raw storage: a batch lives on the stack of every ProcessInput call, often for one request,
  // and an array of string_views would zero 1 KB each time. Only the set slots are read.
  alignas(std::string_view) unsigned char arg_storage_[kMaxArgs * sizeof(std::string_view)];
};

class RequestParser {
 public:
  enum class Status {
    kNeedMore,  // the buffer holds no complete request yet
    kCommand,   // one request parsed: args() holds it, consumed() bytes belong to it
    kEmpty,     // an empty request (blank inline line, `*0`): skip consumed() bytes
    kError,     // protocol error: reply error() and close the connection
  };

  // Parses the next request at the start of `buf`. Call again with the same buffer start
  // (plus more bytes appended) after kNeedMore.
  Status Parse(std::string_view buf, const ParserLimits& limits);

  // After kCommand: the arguments, as views into the buffer passed to Parse.
  const std::vector<std::string_view>& args() const { return args_; }
  size_t consumed() const { return consumed_; }
  // A request has been partly read (the next Parse resumes it).
  bool in_progress() const { return multibulk_len_ >= 0; }
  const std::string& error() const { return error_; }

  // How many bytes the current request still needs at least, when known (a large bulk
  // is being read). Lets the caller size its buffer once instead of growing it repeatedly.
  size_t BytesWanted() const;

  // Parses the whole multibulk requests with plain lengths at the start of `buf` (which
  // starts at a request boundary), as many as `out` holds, into `out`; stops at the first
  // request that is partial, inline, or needs the general path (which Parse then takes).
  // The same limits and results as Parse, without touching the parser's state: the caller
  // runs the batch's requests, consuming each one's bytes, and parses the rest as usual.
  static void ParseAhead(std::string_view buf, const ParserLimits& limits, RequestBatch* out);

  // Forgets any partial request; call after a kCommand/kEmpty was consumed by the caller.
  void Reset();

 private:
  Status ParseInline(std::string_view buf);
  Status ParseMultibulk(std::string_view buf, const ParserLimits& limits);
  // The fast path: a request wholly in `buf` whose lengths are plain numbers. Returns false,
  // having consumed nothing, when the general path must handle it.
  bool ParseWholeRequest(std::string_view buf, const ParserLimits& limits);
  // Longer requests take the general path, whose reservation policy bounds memory.
  static constexpr int64_t kMaxFastPathArgs = 1024;
  Status Fail(std::string message);

  // Resumable multibulk state, relative to the start of the buffer.
  int64_t multibulk_len_ = -1;  // -1: header not read yet
  int64_t bulk_len_ = -1;       // -1: next bulk header not read yet
  size_t pos_ = 0;              // bytes of the current request already parsed
  std::vector<std::pair<size_t, size_t>> arg_offsets_;  // (offset, length) of each arg
  std::vector<std::string_view> args_;
  std::vector<std::string> inline_args_;  // owned storage for unquoted inline args
  size_t consumed_ = 0;
  std::string error_;
};

}  // namespace basalt
