// SplitArgs: splits a line into arguments exactly as Redis's sdssplitargs does.
//
// Used for inline requests (`SET "a b" c`) and for redis.conf lines. Double quotes take
// the escapes \n \r \t \b \a \\ \" and \xHH; single quotes take only \'. A closing quote
// must be followed by a space or the end of the line. Returns nullopt for unbalanced quotes.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace basalt {

std::optional<std::vector<std::string>> SplitArgs(std::string_view line);

// SplitArgs for the common line without quotes, without copying: its arguments are then its
// runs of non-space bytes, appended to `out` as views into `line`. Returns false, leaving
// `out` as it was, when `line` holds a quote character (SplitArgs must unquote it).
bool SplitPlainArgs(std::string_view line, std::vector<std::string_view>* out);

}  // namespace basalt
