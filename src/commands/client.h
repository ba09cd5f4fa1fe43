// CLIENT command family (client.cc), and what connection.cc shares with it.
#pragma once

#include <string_view>

namespace basalt {

class CommandTable;

// Whether `name` may be a connection name (CLIENT SETNAME, HELLO SETNAME): printable ASCII
// without spaces, as Redis requires.
bool ValidClientName(std::string_view name);

void RegisterClientCommands(CommandTable& table);

}  // namespace basalt
