#include "util/split_args.h"

namespace basalt {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// sdssplitargs skips isspace() bytes between arguments and after a closing quote (the C
// locale's: space, \t \n \v \f \r; spelled out, as libc's isspace is a call per byte), but
// ends an unquoted argument only at space, \n, \r or \t: "a\vb" is one argument. It reads a
// C string, so a NUL byte ends the line.
bool IsSpace(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
bool EndsWord(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }
std::string_view UpToNul(std::string_view line) { return line.substr(0, line.find('\0')); }

}  // namespace

std::optional<std::vector<std::string>> SplitArgs(std::string_view line) {
  line = UpToNul(line);
  std::vector<std::string> out;
  size_t i = 0;
  const size_t n = line.size();
  while (true) {
    while (i < n && IsSpace(line[i])) ++i;
    if (i >= n) return out;
    std::string current;
    bool in_double = false, in_single = false, done = false;
    while (!done) {
      if (in_double) {
        if (i >= n) return std::nullopt;  // unterminated quotes
        char c = line[i];
        if (c == '\\' && i + 3 < n && line[i + 1] == 'x' && HexDigit(line[i + 2]) >= 0 &&
            HexDigit(line[i + 3]) >= 0) {
          current.push_back(static_cast<char>(HexDigit(line[i + 2]) * 16 + HexDigit(line[i + 3])));
          i += 3;
        } else if (c == '\\' && i + 1 < n) {
          ++i;
          switch (line[i]) {
            case 'n': current.push_back('\n'); break;
            case 'r': current.push_back('\r'); break;
            case 't': current.push_back('\t'); break;
            case 'b': current.push_back('\b'); break;
            case 'a': current.push_back('\a'); break;
            default: current.push_back(line[i]); break;
          }
        } else if (c == '"') {
          // The closing quote must be followed by a space or nothing.
          if (i + 1 < n && !IsSpace(line[i + 1])) return std::nullopt;
          done = true;
        } else {
          current.push_back(c);
        }
      } else if (in_single) {
        if (i >= n) return std::nullopt;
        char c = line[i];
        if (c == '\\' && i + 1 < n && line[i + 1] == '\'') {
          ++i;
          current.push_back('\'');
        } else if (c == '\'') {
          if (i + 1 < n && !IsSpace(line[i + 1])) return std::nullopt;
          done = true;
        } else {
          current.push_back(c);
        }
      } else {
        if (i >= n) {
          done = true;
          break;
        }
        char c = line[i];
        if (EndsWord(c)) {
          done = true;
        } else if (c == '"') {
          in_double = true;
        } else if (c == '\'') {
          in_single = true;
        } else {
          current.push_back(c);
        }
      }
      if (i < n) ++i;
    }
    out.push_back(std::move(current));
  }
}

bool SplitPlainArgs(std::string_view line, std::vector<std::string_view>* out) {
  line = UpToNul(line);
  if (line.find_first_of("\"'") != std::string_view::npos) return false;
  size_t i = 0;
  const size_t n = line.size();
  while (true) {
    while (i < n && IsSpace(line[i])) ++i;
    if (i >= n) return true;
    const size_t start = i;
    while (i < n && !EndsWord(line[i])) ++i;
    out->push_back(line.substr(start, i - start));
  }
}

}  // namespace basalt
