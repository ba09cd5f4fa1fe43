// Process title: what `ps` and /proc/PID/cmdline show for the server, as redis-server 7.0
// sets it from `proc-title-template` (default "{title} {listen-addr} {server-mode}", which
// gives e.g. "/usr/bin/basalt-server *:6379").
//
// Two halves:
//  - Template expansion (pure, testable): "{name}" is replaced by a variable, "{{" is a
//    literal '{', an unknown name or an unterminated "{" makes the template invalid, and
//    the result is trimmed of spaces. A template is valid only if it also expands (with an
//    empty title) to something non-blank.
//  - Title setting (Linux): the kernel reports the bytes of the original argv strings, so
//    InitProcTitle moves environ and the argv strings elsewhere to free that contiguous
//    area (argv and, right after it, the environment strings) and SetProcTitle overwrites it.
//    Elsewhere SetProcTitle does nothing.
//
// Threading: InitProcTitle must run first in main(), before anything reads the environment
// or keeps pointers into argv/environ strings; it and SetProcTitle are main-thread only.
#ifndef BASALT_SERVER_PROC_TITLE_H_
#define BASALT_SERVER_PROC_TITLE_H_

#include <optional>
#include <string>
#include <string_view>

#include "server/config.h"

namespace basalt {

// The error CONFIG SET and the config loader give for a template that does not expand.
inline constexpr std::string_view kProcTitleTemplateError =
    "template format is invalid or contains unknown variables";

// What the template variables other than {title} read.
struct ProcTitleVars {
  const ServerConfig* config = nullptr;  // port, tls-port, bind, unixsocket, cluster mode
  std::string_view config_file;          // absolute path; "" when started without one
  bool sentinel = false;                 // {server-mode} is "[sentinel]"
};

// Expands `tmpl` (see above). Returns nullopt if it is malformed or names an unknown
// variable. {listen-addr} is "<first bind address or *>:<port, or tls-port if port is 0>",
// or "unixsocket:<path>" when neither TCP port is set.
std::optional<std::string> ExpandProcTitleTemplate(std::string_view tmpl, std::string_view title,
                                                   const ProcTitleVars& vars);

// True if `tmpl` expands and the expansion with an empty title is not blank.
bool ValidProcTitleTemplate(std::string_view tmpl, const ProcTitleVars& vars);

// Frees the argv/environ area for SetProcTitle: copies environ and every argv string to the
// heap and points environ and argv[i] (argv[0] included) at the copies, so callers keep
// using argv as before. Remembers argv[0] as ProcTitleArgv0(). Call once, first in main().
void InitProcTitle(int argc, char** argv);

// argv[0] as the server was started (the {title} Redis uses); "" before InitProcTitle.
const std::string& ProcTitleArgv0();

// Shows `title` as the whole command line (truncated to the available area and to 255
// bytes, as Redis does). Returns false if InitProcTitle found no area to use.
bool SetProcTitle(std::string_view title);

// Expands `tmpl` with ProcTitleArgv0() as {title} and sets the result. Returns false
// (leaving the title unchanged) if the template does not expand.
bool SetServerProcTitle(std::string_view tmpl, const ProcTitleVars& vars);

}  // namespace basalt

#endif  // BASALT_SERVER_PROC_TITLE_H_
