// AofCommandReader: reads the commands of an AOF file image (after any RDB preamble) the way
// Redis 7.0's loader does: each command is a RESP array of bulk strings
//
//   *<argc>\r\n  ($<len>\r\n <len bytes> \r\n) x argc
//
// and lines starting with '#' between commands are annotations (#TS:<unix time>), skipped.
// The reader tells a clean end of file, a file cut short inside a command (what a crash
// leaves, loadable with aof-load-truncated), and bytes that are not a command at all (a
// corrupt file, never loaded). Redis reads header lines with fgets into a 1024-byte buffer;
// longer header lines are malformed here too.
//
// Pure: no I/O, no server. The argv views point into the image.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace basalt {

class AofCommandReader {
 public:
  enum class Status { kCommand, kEof, kTruncated, kFormatError };

  explicit AofCommandReader(std::string_view image, size_t start = 0)
      : image_(image), pos_(start) {}

  // Reads the next command into argv(). After kTruncated or kFormatError, error_offset()
  // is where the bad command starts (kFormatError: where the bad byte is).
  Status Next();

  const std::vector<std::string_view>& argv() const { return argv_; }
  // The offset just past the last whole command (or annotation) read.
  size_t offset() const { return pos_; }
  size_t error_offset() const { return error_offset_; }

 private:
  // A header line ("*3" or "$5") at `p`: its text without CRLF, and where the next line
  // starts. Returns false (setting *truncated when the file ends first) if there is none.
  bool ReadLine(size_t p, std::string_view* line, size_t* next, bool* truncated) const;

  std::string_view image_;
  size_t pos_;
  size_t error_offset_ = 0;
  std::vector<std::string_view> argv_;
};

}  // namespace basalt
