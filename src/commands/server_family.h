// Handlers of the server family (server.cc registers them all): the COMMAND introspection
// commands (command_docs.cc), INFO (info.cc) and DEBUG (debug.cc).
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace basalt {

class Client;
class CommandContext;
class Server;

// command_docs.cc
void CommandCommand(CommandContext& ctx);  // COMMAND with no subcommand: every command's info
void CommandCountCommand(CommandContext& ctx);
void CommandInfoCommand(CommandContext& ctx);
void CommandDocsCommand(CommandContext& ctx);
void CommandListCommand(CommandContext& ctx);
void CommandGetKeysCommand(CommandContext& ctx);
void CommandGetKeysAndFlagsCommand(CommandContext& ctx);
void CommandHelpCommand(CommandContext& ctx);

// info.cc
void InfoCommand(CommandContext& ctx);
// The INFO text for `sections` (INFO's arguments: section names, "all", "everything",
// "default"; empty means default), exactly as INFO replies it.
std::string GenerateInfo(Server& server, std::span<const std::string_view> sections);

// debug.cc
void DebugCommand(CommandContext& ctx);

}  // namespace basalt
