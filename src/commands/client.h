// CLIENT command family (client.cc), and what connection.cc shares with it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace basalt {

class Client;
class CommandTable;
class Server;

// One CLIENT LIST / CLIENT INFO line (no newline), in Redis 7.2's field order; also what
// the server logs when it closes a client over its output buffer limit.
std::string DescribeClient(const Server& server, const Client& client, int64_t now_ms);

// Whether `name` may be a connection name (CLIENT SETNAME, HELLO SETNAME): printable ASCII
// without spaces, as Redis requires.
bool ValidClientName(std::string_view name);

void RegisterClientCommands(CommandTable& table);

}  // namespace basalt
