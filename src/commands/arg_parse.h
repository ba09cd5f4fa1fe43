// Integer arguments with Redis's replies: the getLongFromObjectOrReply family of server.c,
// shared by every command family. Each parses `arg`, and on failure replies the error and
// returns false. `message` (without the "ERR " prefix; nullptr for Redis's default) replaces
// both the not-an-integer and the out-of-range texts, as in Redis.
#pragma once

#include <cstdint>
#include <string_view>

namespace basalt {

class CommandContext;

// getLongLongFromObjectOrReply: any int64.
bool ParseIntegerOrReply(CommandContext& ctx, std::string_view arg, int64_t* out,
                         const char* message = nullptr);
// getRangeLongFromObjectOrReply: an integer in [min, max].
bool ParseRangeOrReply(CommandContext& ctx, std::string_view arg, int64_t min, int64_t max,
                       const char* message, int64_t* out);
// getPositiveLongFromObjectOrReply: an integer >= 0.
bool ParsePositiveOrReply(CommandContext& ctx, std::string_view arg, const char* message,
                          int64_t* out);

// The "numkeys key [key ...]" count at argv[numkeys_index] (LMPOP, ZMPOP and their blocking
// forms): at least 1 ("numkeys should be greater than 0"), and the keys plus `args_after`
// more arguments must fit in argv (else "syntax error").
bool ParseNumKeysOrReply(CommandContext& ctx, size_t numkeys_index, size_t args_after,
                         int64_t* numkeys);

}  // namespace basalt
