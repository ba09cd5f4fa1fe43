#include "types/stream_id.h"

#include "util/strconv.h"

namespace basalt {

bool StreamID::Increment() {
  if (seq == UINT64_MAX) {
    if (ms == UINT64_MAX) return false;
    ++ms;
    seq = 0;
  } else {
    ++seq;
  }
  return true;
}

bool StreamID::Decrement() {
  if (seq == 0) {
    if (ms == 0) return false;
    --ms;
    seq = UINT64_MAX;
  } else {
    --seq;
  }
  return true;
}

namespace {

size_t FormatU64(uint64_t v, char* buf) {
  char tmp[20];
  size_t n = 0;
  do {
    tmp[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  for (size_t i = 0; i < n; ++i) buf[i] = tmp[n - 1 - i];
  return n;
}

// Redis's string2ull: a non-negative int64 by string2ll's rules, or else what strtoull
// accepts over the whole input (which lets values above INT64_MAX through).
std::optional<uint64_t> ParseU64(std::string_view s) {
  if (std::optional<int64_t> v = ParseInt64(s)) {
    if (*v < 0) return std::nullopt;
    return static_cast<uint64_t>(*v);
  }
  return ParseUint64(s);
}

}  // namespace

size_t StreamID::Format(char* buf) const {
  size_t n = FormatU64(ms, buf);
  buf[n++] = '-';
  return n + FormatU64(seq, buf + n);
}

std::string StreamID::ToString() const {
  char buf[kMaxLen];
  return std::string(buf, Format(buf));
}

std::optional<ParsedStreamID> ParseStreamID(std::string_view s, uint64_t missing_seq,
                                            bool strict, bool allow_seq_star) {
  if (s.size() > 127) return std::nullopt;
  if (s == "-" || s == "+") {
    if (strict) return std::nullopt;
    return ParsedStreamID{s == "-" ? StreamID::Min() : StreamID::Max(), true};
  }
  ParsedStreamID out;
  size_t dash = s.find('-');
  if (dash == std::string_view::npos) {
    std::optional<uint64_t> ms = ParseU64(s);
    if (!ms) return std::nullopt;
    out.id = {*ms, missing_seq};
    return out;
  }
  std::optional<uint64_t> ms = ParseU64(s.substr(0, dash));
  if (!ms) return std::nullopt;
  std::string_view rest = s.substr(dash + 1);
  if (allow_seq_star && rest == "*") {
    out.id = {*ms, 0};
    out.seq_given = false;
    return out;
  }
  std::optional<uint64_t> seq = ParseU64(rest);
  if (!seq) return std::nullopt;
  out.id = {*ms, *seq};
  return out;
}

std::optional<StreamBound> ParseStreamBound(std::string_view s, uint64_t missing_seq) {
  StreamBound b;
  if (s.size() > 1 && s[0] == '(') {
    b.exclusive = true;
    std::optional<ParsedStreamID> p = ParseStreamID(s.substr(1), missing_seq, /*strict=*/true);
    if (!p) return std::nullopt;
    b.id = p->id;
    return b;
  }
  std::optional<ParsedStreamID> p = ParseStreamID(s, missing_seq, /*strict=*/false);
  if (!p) return std::nullopt;
  b.id = p->id;
  return b;
}

}  // namespace basalt
