#include "protocol/request_parser.h"

#include <climits>
#include <cstring>

#include "util/split_args.h"

namespace basalt {
namespace {

// Longest inline request or multibulk/bulk header line Redis accepts (PROTO_INLINE_MAX_SIZE).
constexpr size_t kMaxInlineSize = 64 * 1024;
// Limits for clients that have not authenticated yet (as Redis 7).
constexpr int64_t kUnauthMaxMultibulk = 10;
constexpr int64_t kUnauthMaxBulk = 16384;

// Parses the decimal integer in [begin, end) with Redis's string2ll rules.
bool ParseLength(const char* begin, const char* end, int64_t* out) {
  size_t len = end - begin;
  if (len == 0 || len > 20) return false;
  const char* p = begin;
  bool negative = false;
  if (*p == '-') {
    negative = true;
    if (++p == end) return false;
  }
  if (*p == '0') {
    if (p + 1 != end || negative) return false;
    *out = 0;
    return true;
  }
  // Up to 19 digits cannot overflow a uint64 (2^64 - 1 has 20), so the common case runs
  // without the overflow check and its division.
  uint64_t v = 0;
  const bool may_overflow = end - p > 19;
  for (; p < end; ++p) {
    const unsigned digit = static_cast<unsigned char>(*p) - '0';
    if (digit > 9) return false;
    if (may_overflow && v > (UINT64_MAX - digit) / 10) return false;
    v = v * 10 + digit;
  }
  if (negative) {
    if (v > static_cast<uint64_t>(INT64_MAX) + 1) return false;
    *out = static_cast<int64_t>(-v);
  } else {
    if (v > static_cast<uint64_t>(INT64_MAX)) return false;
    *out = static_cast<int64_t>(v);
  }
  return true;
}

}  // namespace

void RequestParser::Reset() {
  multibulk_len_ = -1;
  bulk_len_ = -1;
  pos_ = 0;
  arg_offsets_.clear();
  args_.clear();
  inline_args_.clear();
  consumed_ = 0;
  // A command with a huge argument count (SADD of 100k members) must not leave megabytes of
  // argument arrays behind on an idle connection; below this they are reused, as Redis
  // reuses argv arrays of up to 1024 entries.
  constexpr size_t kKeptArgs = 1024;
  if (args_.capacity() > kKeptArgs) {
    std::vector<std::pair<size_t, size_t>>().swap(arg_offsets_);
    std::vector<std::string_view>().swap(args_);
    std::vector<std::string>().swap(inline_args_);
  }
}

size_t RequestParser::BytesWanted() const {
  if (bulk_len_ < 0) return 0;
  return pos_ + static_cast<size_t>(bulk_len_) + 2;
}

RequestParser::Status RequestParser::Fail(std::string message) {
  error_ = "Protocol error: " + std::move(message);
  return Status::kError;
}

RequestParser::Status RequestParser::Parse(std::string_view buf, const ParserLimits& limits) {
  if (buf.empty()) return Status::kNeedMore;
  if (multibulk_len_ < 0 && buf[0] != '*') return ParseInline(buf);
  return ParseMultibulk(buf, limits);
}

RequestParser::Status RequestParser::ParseInline(std::string_view buf) {
  size_t newline = buf.find('\n');
  // Redis finds the line's end with strchr, which stops at a NUL byte: a NUL before the
  // newline leaves the request incomplete (until it is too big), as there.
  if (newline != std::string_view::npos && std::memchr(buf.data(), '\0', newline) != nullptr) {
    newline = std::string_view::npos;
  }
  if (newline == std::string_view::npos) {
    if (buf.size() > kMaxInlineSize) return Fail("too big inline request");
    return Status::kNeedMore;
  }
  std::string_view line = buf.substr(0, newline);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  args_.clear();
  if (SplitPlainArgs(line, &args_)) {  // views into the buffer, as multibulk arguments are
    consumed_ = newline + 1;
    return args_.empty() ? Status::kEmpty : Status::kCommand;
  }
  auto split = SplitArgs(line);
  if (!split) return Fail("unbalanced quotes in request");
  consumed_ = newline + 1;
  if (split->empty()) return Status::kEmpty;
  inline_args_ = std::move(*split);
  args_.clear();
  for (const std::string& a : inline_args_) args_.emplace_back(a);
  return Status::kCommand;
}

namespace {

// Reads the digits of a header line ending in CRLF at `p`, in one pass. Takes only the plain
// form (1 to 9 digits, no sign, no leading zero): anything else, or a line not complete in
// the buffer, gives -1 and the general path decides.
// Runs once per header line, three times for a GET: the one- and two-digit lengths of nearly
// every request skip the loop.
inline __attribute__((always_inline)) int64_t ReadPlainLength(const char*& p, const char* end) {
  if (end - p >= 4) {
    const unsigned d0 = static_cast<unsigned char>(p[0]) - '0';
    if (d0 <= 9) {
      if (p[1] == '\r' && p[2] == '\n') {
        p += 3;
        return d0;
      }
      const unsigned d1 = static_cast<unsigned char>(p[1]) - '0';
      if (d0 != 0 && d1 <= 9 && p[2] == '\r' && p[3] == '\n') {
        p += 4;
        return d0 * 10 + d1;
      }
    }
  }
  const char* start = p;
  int64_t v = 0;
  while (p < end) {
    const unsigned digit = static_cast<unsigned char>(*p) - '0';
    if (digit > 9) break;
    v = v * 10 + digit;
    ++p;
  }
  const size_t digits = static_cast<size_t>(p - start);
  if (digits == 0 || digits > 9 || (*start == '0' && digits > 1)) return -1;
  if (end - p < 2 || p[0] != '\r' || p[1] != '\n') return -1;
  p += 2;
  return v;
}

// One whole request with plain lengths at the start of `buf`, each argument given to
// emit(view). Returns its length in bytes, or 0 when the general path must handle it
// (partial, a length in another form, over a limit) or it has more than `max_args`
// arguments; then the arguments emitted so far are to be dropped.
template <typename Emit>
inline __attribute__((always_inline)) size_t ParsePlainRequest(std::string_view buf,
                                                               const ParserLimits& limits,
                                                               int64_t max_args, Emit&& emit) {
  const char* p = buf.data() + 1;  // past '*'
  const char* const end = buf.data() + buf.size();
  const int64_t count = ReadPlainLength(p, end);
  if (count <= 0 || count > max_args || (!limits.authenticated && count > kUnauthMaxMultibulk)) {
    return 0;
  }
  for (int64_t i = 0; i < count; ++i) {
    if (p >= end || *p != '$') return 0;
    ++p;
    const int64_t len = ReadPlainLength(p, end);
    if (len < 0 || len > limits.max_bulk_len ||
        (!limits.authenticated && len > kUnauthMaxBulk) || end - p < len + 2) {
      return 0;
    }
    emit(std::string_view(p, static_cast<size_t>(len)));
    p += len + 2;  // as below, the CRLF after the payload is not checked
  }
  return static_cast<size_t>(p - buf.data());
}

}  // namespace

bool RequestParser::ParseWholeRequest(std::string_view buf, const ParserLimits& limits) {
  args_.clear();
  const size_t consumed = ParsePlainRequest(
      buf, limits, kMaxFastPathArgs, [this](std::string_view arg) { args_.push_back(arg); });
  if (consumed == 0) return false;
  consumed_ = consumed;
  return true;
}

void RequestParser::ParseAhead(std::string_view buf, const ParserLimits& limits,
                               RequestBatch* out) {
  size_t n = 0;
  size_t args = 0;
  size_t pos = 0;
  while (n < RequestBatch::kMaxRequests && pos < buf.size() && buf[pos] == '*') {
    out->first_arg[n] = static_cast<uint8_t>(args);
    const size_t consumed = ParsePlainRequest(
        buf.substr(pos), limits, static_cast<int64_t>(RequestBatch::kMaxArgs - args),
        [out, &args](std::string_view arg) { out->set_arg(args++, arg); });
    if (consumed == 0) {
      args = out->first_arg[n];
      break;
    }
    out->bytes[n++] = consumed;
    pos += consumed;
  }
  out->first_arg[n] = static_cast<uint8_t>(args);
  out->count = n;
}

RequestParser::Status RequestParser::ParseMultibulk(std::string_view buf,
                                                    const ParserLimits& limits) {
  const char* data = buf.data();
  const size_t size = buf.size();
  // Nearly every request arrives whole (pipelines bring many), with small lengths: one pass
  // straight into args_. Partial, huge or malformed requests take the resumable path below,
  // which starts over from the request's first byte and gives Redis's error texts.
  if (multibulk_len_ < 0 && ParseWholeRequest(buf, limits)) return Status::kCommand;
  if (multibulk_len_ < 0) {
    const void* cr = std::memchr(data, '\r', size);
    if (cr == nullptr) {
      if (size > kMaxInlineSize) return Fail("too big mbulk count string");
      return Status::kNeedMore;
    }
    size_t line_end = static_cast<const char*>(cr) - data;
    if (line_end + 2 > size) return Status::kNeedMore;  // the '\n' has not arrived
    int64_t count;
    if (!ParseLength(data + 1, data + line_end, &count) || count > INT_MAX) {
      return Fail("invalid multibulk length");
    }
    if (!limits.authenticated && count > kUnauthMaxMultibulk) {
      return Fail("unauthenticated multibulk length");
    }
    pos_ = line_end + 2;
    if (count <= 0) {
      consumed_ = pos_;
      return Status::kEmpty;
    }
    multibulk_len_ = count;
    // Don't trust the count for the reservation: a hostile peer can announce 2^31 args.
    arg_offsets_.reserve(static_cast<size_t>(count < 1024 ? count : 1024));
  }

  while (static_cast<int64_t>(arg_offsets_.size()) < multibulk_len_) {
    if (bulk_len_ < 0) {
      if (pos_ >= size) return Status::kNeedMore;
      const void* cr = std::memchr(data + pos_, '\r', size - pos_);
      if (cr == nullptr) {
        if (size - pos_ > kMaxInlineSize) return Fail("too big bulk count string");
        return Status::kNeedMore;
      }
      size_t line_end = static_cast<const char*>(cr) - data;
      if (line_end + 2 > size) return Status::kNeedMore;
      if (data[pos_] != '$') {
        return Fail(std::string("expected '$', got '") + data[pos_] + "'");
      }
      int64_t len;
      if (!ParseLength(data + pos_ + 1, data + line_end, &len) || len < 0 ||
          len > limits.max_bulk_len) {
        return Fail("invalid bulk length");
      }
      if (!limits.authenticated && len > kUnauthMaxBulk) {
        return Fail("unauthenticated bulk length");
      }
      bulk_len_ = len;
      pos_ = line_end + 2;
    }
    // Like Redis, the two bytes after the payload are taken as the CRLF unchecked.
    if (size - pos_ < static_cast<size_t>(bulk_len_) + 2) return Status::kNeedMore;
    arg_offsets_.emplace_back(pos_, static_cast<size_t>(bulk_len_));
    pos_ += static_cast<size_t>(bulk_len_) + 2;
    bulk_len_ = -1;
  }

  args_.clear();
  args_.reserve(arg_offsets_.size());
  for (auto [offset, len] : arg_offsets_) args_.emplace_back(data + offset, len);
  consumed_ = pos_;
  multibulk_len_ = -1;
  arg_offsets_.clear();
  pos_ = 0;
  return Status::kCommand;
}

}  // namespace basalt
