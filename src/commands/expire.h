// Key expiry commands: EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT (with NX/XX/GT/LT), TTL, PTTL,
// EXPIRETIME, PEXPIRETIME and PERSIST, with Redis 7.0's replies and error texts.
//
// RegisterGenericCommands (generic.cc) calls RegisterExpireCommands, so the registry needs no
// separate entry for this file.
#pragma once

namespace basalt {

class CommandTable;

void RegisterExpireCommands(CommandTable& table);

}  // namespace basalt
