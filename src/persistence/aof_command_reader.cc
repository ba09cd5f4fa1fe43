#include "persistence/aof_command_reader.h"

#include <cstdlib>
#include <string>

namespace basalt {
namespace {

// Redis's AOF_ANNOTATION_LINE_MAX_LEN: the fgets buffer for header and annotation lines.
constexpr size_t kMaxLine = 1024;

// strtol-like: the leading digits of `s` (with an optional sign); 0 when there are none.
long long LeadingNumber(std::string_view s) {
  std::string copy(s.substr(0, 32));
  return std::strtoll(copy.c_str(), nullptr, 10);
}

}  // namespace

bool AofCommandReader::ReadLine(size_t p, std::string_view* line, size_t* next,
                                bool* truncated) const {
  const size_t nl = image_.find('\n', p);
  if (nl == std::string_view::npos) {
    *truncated = true;
    return false;
  }
  // fgets would return a piece of a longer line: never a valid header.
  if (nl - p + 1 > kMaxLine - 1) {
    *truncated = false;
    return false;
  }
  size_t end = nl;
  if (end > p && image_[end - 1] == '\r') --end;
  *line = image_.substr(p, end - p);
  *next = nl + 1;
  return true;
}

AofCommandReader::Status AofCommandReader::Next() {
  argv_.clear();
  while (true) {
    if (pos_ >= image_.size()) return Status::kEof;
    const size_t start = pos_;
    std::string_view line;
    size_t next = 0;
    bool truncated = false;
    if (image_[start] == '#') {
      // An annotation: skipped whole. One cut short is just the end of the file.
      if (!ReadLine(start, &line, &next, &truncated)) {
        error_offset_ = start;
        return truncated ? Status::kTruncated : Status::kFormatError;
      }
      pos_ = next;
      continue;
    }
    error_offset_ = start;
    if (image_[start] != '*') return Status::kFormatError;
    if (!ReadLine(start, &line, &next, &truncated)) {
      return truncated ? Status::kTruncated : Status::kFormatError;
    }
    const long long argc = LeadingNumber(line.substr(1));
    if (argc < 1) return Status::kFormatError;
    size_t p = next;
    for (long long j = 0; j < argc; ++j) {
      if (p >= image_.size()) return Status::kTruncated;
      if (image_[p] != '$') {
        error_offset_ = p;
        return Status::kFormatError;
      }
      if (!ReadLine(p, &line, &next, &truncated)) {
        if (truncated) return Status::kTruncated;
        error_offset_ = p;
        return Status::kFormatError;
      }
      const long long len = LeadingNumber(line.substr(1));
      if (len < 0) {
        error_offset_ = p;
        return Status::kFormatError;
      }
      const size_t n = static_cast<size_t>(len);
      // The bytes and their CRLF (Redis skips the two bytes without checking them).
      if (image_.size() - next < n || image_.size() - next - n < 2) return Status::kTruncated;
      argv_.push_back(image_.substr(next, n));
      p = next + n + 2;
    }
    pos_ = p;
    return Status::kCommand;
  }
}

}  // namespace basalt
