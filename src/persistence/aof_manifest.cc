#include "persistence/aof_manifest.h"

#include <fcntl.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "server/config_file.h"
#include "server/log.h"
#include "util/split_args.h"

namespace basalt {
namespace {

// Redis's MANIFEST_MAX_LINE: longer lines are refused.
constexpr size_t kMaxLine = 1024;

// Redis's sdsneedsrepr.
bool NeedsQuoting(std::string_view s) {
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\\' || c == '"' || c == '\n' || c == '\r' || c == '\t' || c == '\a' || c == '\b' ||
        !std::isprint(u) || std::isspace(u)) {
      return true;
    }
  }
  return false;
}

bool IsBaseName(std::string_view name) { return name.find('/') == std::string_view::npos; }

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (b < e && space(s[b])) ++b;
  while (e > b && space(s[e - 1])) --e;
  return std::string(s.substr(b, e - b));
}

}  // namespace

ManifestParse ParseAofManifest(std::string_view text) {
  ManifestParse r;
  AofManifest m;
  int64_t max_incr_seq = 0;
  int linenum = 0;
  size_t pos = 0;
  auto fail = [&](std::string error, std::string_view line_text) {
    r.error = std::move(error);
    r.line = linenum;
    r.line_text = Trim(line_text);
    return r;
  };
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    // A line is read in pieces of kMaxLine bytes, as fgets does: a longer one has no '\n'
    // in its first piece.
    std::string_view raw =
        text.substr(pos, nl == std::string_view::npos ? text.size() - pos : nl - pos + 1);
    ++linenum;
    if (raw.size() > kMaxLine) raw = raw.substr(0, kMaxLine);
    pos += raw.size();
    if (raw[0] == '#') continue;
    if (raw.back() != '\n') return fail("The AOF manifest file contains too long line", "");
    const std::string line = Trim(raw);
    if (line.empty()) return fail("Invalid AOF manifest file format", line);
    auto args = SplitArgs(line);
    if (!args || args->size() < 6 || args->size() % 2 != 0) {
      return fail("Invalid AOF manifest file format", line);
    }
    AofFileInfo info;
    bool have_name = false;
    for (size_t i = 0; i < args->size(); i += 2) {
      const std::string& key = (*args)[i];
      const std::string& value = (*args)[i + 1];
      if (strcasecmp(key.c_str(), "file") == 0) {
        info.name = value;
        have_name = true;
        if (!IsBaseName(info.name)) return fail("File can't be a path, just a filename", line);
      } else if (strcasecmp(key.c_str(), "seq") == 0) {
        info.seq = std::atoll(value.c_str());
      } else if (strcasecmp(key.c_str(), "type") == 0) {
        info.type = value.empty() ? 0 : value[0];
      }
    }
    if (!have_name || info.name.empty() || info.seq == 0 || info.type == 0) {
      return fail("Invalid AOF manifest file format", line);
    }
    if (info.type == 'b') {
      if (m.base) return fail("Found duplicate base file information", line);
      m.base_seq = info.seq;
      m.base = std::move(info);
    } else if (info.type == 'h') {
      m.history.push_back(std::move(info));
    } else if (info.type == 'i') {
      if (info.seq <= max_incr_seq) return fail("Found a non-monotonic sequence number", line);
      max_incr_seq = m.incr_seq = info.seq;
      m.incrs.push_back(std::move(info));
    } else {
      return fail("Unknown AOF file type", line);
    }
  }
  if (linenum == 0) {
    r.error = "Found an empty AOF manifest";
    return r;
  }
  r.manifest = std::move(m);
  return r;
}

std::string FormatAofManifest(const AofManifest& m) {
  std::string out;
  auto line = [&out](const AofFileInfo& f, char type) {
    out += "file ";
    out += NeedsQuoting(f.name) ? QuoteArg(f.name) : f.name;
    out += " seq " + std::to_string(f.seq) + " type ";
    out += type;
    out += '\n';
  };
  if (m.base) line(*m.base, 'b');
  for (const AofFileInfo& f : m.history) line(f, 'h');
  for (const AofFileInfo& f : m.incrs) line(f, 'i');
  return out;
}

std::string ManifestFileName(std::string_view aof_filename) {
  return std::string(aof_filename) + ".manifest";
}

std::string TempManifestFileName(std::string_view aof_filename) {
  return "temp-" + ManifestFileName(aof_filename);
}

std::string TempIncrFileName(std::string_view aof_filename) {
  return "temp-" + std::string(aof_filename) + ".incr";
}

std::string AddNewBase(AofManifest& m, std::string_view aof_filename, bool rdb_preamble) {
  if (m.base) {
    m.base->type = 'h';
    m.history.insert(m.history.begin(), std::move(*m.base));
  }
  AofFileInfo info;
  info.seq = ++m.base_seq;
  info.name = std::string(aof_filename) + "." + std::to_string(info.seq) + ".base" +
              (rdb_preamble ? ".rdb" : ".aof");
  info.type = 'b';
  m.base = info;
  return info.name;
}

std::string AddNewIncr(AofManifest& m, std::string_view aof_filename) {
  AofFileInfo info;
  info.seq = ++m.incr_seq;
  info.name = std::string(aof_filename) + "." + std::to_string(info.seq) + ".incr.aof";
  info.type = 'i';
  m.incrs.push_back(info);
  return info.name;
}

void MarkRewrittenIncrsAsHistory(AofManifest& m, bool keep_last) {
  const size_t keep = keep_last && !m.incrs.empty() ? 1 : 0;
  // The newest rewritten incr goes first, as Redis walks them from the tail.
  for (size_t i = m.incrs.size() - keep; i-- > 0;) {
    AofFileInfo f = std::move(m.incrs[i]);
    f.type = 'h';
    m.history.insert(m.history.begin(), std::move(f));
  }
  m.incrs.erase(m.incrs.begin(), m.incrs.end() - static_cast<std::ptrdiff_t>(keep));
}

std::string AofPath(std::string_view dir, std::string_view name) {
  std::string path(dir);
  path += '/';
  path += name;
  return path;
}

bool PersistAofManifest(const AofManifest& m, const std::string& dir,
                        std::string_view aof_filename) {
  const std::string text = FormatAofManifest(m);
  const std::string tmp = AofPath(dir, TempManifestFileName(aof_filename));
  const std::string final_path = AofPath(dir, ManifestFileName(aof_filename));
  int fd = open(tmp.c_str(), O_WRONLY | O_TRUNC | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    Log(LogLevel::kWarning, "Can't open the AOF manifest file %s: %s",
        TempManifestFileName(aof_filename).c_str(), strerror(errno));
    return false;
  }
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      Log(LogLevel::kWarning, "Error trying to write the temporary AOF manifest file %s: %s",
          TempManifestFileName(aof_filename).c_str(), n < 0 ? strerror(errno) : "short write");
      close(fd);
      return false;
    }
    done += static_cast<size_t>(n);
  }
  if (fsync(fd) != 0) {
    Log(LogLevel::kWarning, "Fail to fsync the temp AOF file %s: %s.",
        TempManifestFileName(aof_filename).c_str(), strerror(errno));
    close(fd);
    return false;
  }
  close(fd);
  if (rename(tmp.c_str(), final_path.c_str()) != 0) {
    Log(LogLevel::kWarning, "Error trying to rename the temporary AOF manifest file %s into %s: %s",
        TempManifestFileName(aof_filename).c_str(), ManifestFileName(aof_filename).c_str(),
        strerror(errno));
    return false;
  }
  // The rename itself must survive a crash.
  int dir_fd = open(dir.c_str(), O_RDONLY | O_CLOEXEC);
  if (dir_fd < 0 || fsync(dir_fd) != 0) {
    Log(LogLevel::kWarning, "Fail to fsync AOF directory %s: %s.", dir.c_str(), strerror(errno));
    if (dir_fd >= 0) close(dir_fd);
    return false;
  }
  close(dir_fd);
  return true;
}

}  // namespace basalt
