// What the hash command files (hash.cc: the classic commands; hash_field_expiry.cc: Redis
// 7.4's HEXPIRE family) share: the thresholds from the config and key lookup helpers.
#pragma once

#include <string_view>

#include "db/database.h"
#include "server/command_context.h"
#include "types/hash.h"

namespace basalt {

class CommandTable;

// Registered by RegisterHashCommands.
void RegisterHashFieldExpiryCommands(CommandTable& table);

inline HashLimits HashLimitsOf(CommandContext& ctx) {
  const ServerConfig& c = ctx.server.config();
  return HashLimits{static_cast<size_t>(c.hash_max_listpack_entries),
                    static_cast<size_t>(c.hash_max_listpack_value)};
}

// Looks up `key` for a hash command. Returns nullptr either when the key is missing
// (*wrong_type false) or when it holds another type (WRONGTYPE already replied, *wrong_type
// true). Expired fields are already gone (Database::Lookup).
inline DbEntry* LookupHash(CommandContext& ctx, std::string_view key, bool write,
                           bool* wrong_type) {
  DbEntry* e = write ? ctx.LookupWrite(key) : ctx.LookupRead(key);
  *wrong_type = false;
  if (e != nullptr && !ctx.CheckType(e, ValueType::kHash)) {
    *wrong_type = true;
    return nullptr;
  }
  return e;
}

}  // namespace basalt
