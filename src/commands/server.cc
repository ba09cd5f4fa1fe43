#include "commands/registry.h"
#include "server/command_table.h"

namespace basalt {

void RegisterServerCommands(CommandTable& table) {}

}  // namespace basalt
