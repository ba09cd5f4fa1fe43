#include "server/config_rewrite.h"

#include <fcntl.h>
#include <libgen.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>

#include "util/split_args.h"

namespace basalt {
namespace {

// Directives a config file may hold that are not CONFIG parameters; their lines
// are kept (or rewritten, for `user`) rather than commented out as unknown.
bool IsFileOnlyDirective(std::string_view name) {
  return name == "include" || name == "rename-command" || name == "user" || name == "loadmodule" ||
         name == "sentinel";
}

std::string_view Trim(std::string_view s) {
  constexpr std::string_view kBlanks = "\r\n\t ";
  size_t start = s.find_first_not_of(kBlanks);
  if (start == std::string_view::npos) return {};
  size_t end = s.find_last_not_of(kBlanks);
  return s.substr(start, end - start + 1);
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string ErrnoText() { return std::strerror(errno); }

}  // namespace

ConfigRewriter::ConfigRewriter(std::string_view old_text, const CanonicalName& canonical) {
  if (old_text.empty()) return;
  // Split on every '\n', so text ending in a newline gives a last empty line,
  // as Redis's sdssplitlen does (it becomes the blank line before the generated
  // section).
  size_t start = 0;
  while (true) {
    size_t nl = old_text.find('\n', start);
    std::string_view raw = old_text.substr(start, nl == std::string_view::npos ? nl : nl - start);
    std::string_view line = Trim(raw);
    if (line.empty() || line[0] == '#') {
      if (line == kConfigRewriteSignature) needs_signature_ = false;
      lines_.emplace_back(line);
    } else {
      auto args = SplitArgs(line);
      std::optional<std::string> option;
      if (args && !args->empty()) {
        std::string name = Lower((*args)[0]);
        option = IsFileOnlyDirective(name) ? std::optional<std::string>(name) : canonical(name);
      }
      if (option) {
        option_lines_[*option].push_back(lines_.size());
        lines_.emplace_back(line);
      } else {
        // Unbalanced quotes, or a directive no longer known: keep it, as a
        // comment.
        lines_.push_back("# ??? " + std::string(line));
      }
    }
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
}

void ConfigRewriter::MarkProcessed(std::string_view option) { processed_.emplace(option); }

void ConfigRewriter::RewriteLine(std::string_view option, std::string line, bool force) {
  MarkProcessed(option);
  auto it = option_lines_.find(std::string(option));
  if (it != option_lines_.end() && !it->second.empty()) {
    lines_[it->second.front()] = std::move(line);
    it->second.erase(it->second.begin());
    return;
  }
  if (!force && !force_all_) return;
  if (needs_signature_) {
    lines_.emplace_back(kConfigRewriteSignature);
    needs_signature_ = false;
  }
  lines_.push_back(std::move(line));
}

std::string ConfigRewriter::Finish() {
  for (auto& [option, indexes] : option_lines_) {
    if (processed_.count(option) == 0) continue;  // not ours to drop
    for (size_t i : indexes) lines_[i].clear();
    indexes.clear();
  }
  std::string out;
  bool was_empty = false;
  for (const std::string& line : lines_) {
    if (line.empty()) {
      if (was_empty) continue;
      was_empty = true;
    } else {
      was_empty = false;
    }
    out += line;
    out += '\n';
  }
  return out;
}

std::optional<std::string> ReadConfigFileForRewrite(const std::string& path, std::string* text) {
  text->clear();
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return std::nullopt;
    return ErrnoText();
  }
  char buf[16384];
  while (true) {
    ssize_t n = read(fd, buf, sizeof(buf));
    if (n < 0) {
      if (errno == EINTR) continue;
      std::string err = ErrnoText();
      close(fd);
      return err;
    }
    if (n == 0) break;
    text->append(buf, static_cast<size_t>(n));
  }
  close(fd);
  return std::nullopt;
}

std::optional<std::string> WriteFileAtomically(const std::string& path, std::string_view content) {
  std::string tmp = path + ".XXXXXX";
  if (tmp.size() >= PATH_MAX) return std::string(std::strerror(ENAMETOOLONG));
  int fd = mkostemp(tmp.data(), O_CLOEXEC);
  if (fd < 0) return ErrnoText();

  std::optional<std::string> error;
  size_t offset = 0;
  while (offset < content.size() && !error) {
    ssize_t n = write(fd, content.data() + offset, content.size() - offset);
    if (n <= 0) {
      if (n < 0 && errno == EINTR) continue;
      error = ErrnoText();
    } else {
      offset += static_cast<size_t>(n);
    }
  }
  if (!error) {
    mode_t mask = umask(0);  // read it back: umask() can only be read by setting it
    umask(mask);
    if (fsync(fd) != 0 || fchmod(fd, 0644 & ~mask) != 0 || rename(tmp.c_str(), path.c_str()) != 0) {
      error = ErrnoText();
    }
  }
  if (!error) {
    // Make the rename itself durable.
    std::string dir_buf = path;
    int dir_fd = open(dirname(dir_buf.data()), O_RDONLY | O_CLOEXEC);
    if (dir_fd < 0 || fsync(dir_fd) != 0) error = ErrnoText();
    if (dir_fd >= 0) close(dir_fd);
  }
  int saved = errno;
  close(fd);
  if (error) unlink(tmp.c_str());
  errno = saved;
  return error;
}

std::string FormatMemoryForConfig(long long bytes) {
  constexpr long long kKb = 1024, kMb = 1024 * 1024, kGb = 1024 * 1024 * 1024;
  if (bytes != 0 && bytes % kGb == 0) return std::to_string(bytes / kGb) + "gb";
  if (bytes != 0 && bytes % kMb == 0) return std::to_string(bytes / kMb) + "mb";
  if (bytes != 0 && bytes % kKb == 0) return std::to_string(bytes / kKb) + "kb";
  return std::to_string(bytes);
}

}  // namespace basalt
