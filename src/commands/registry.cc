#include "commands/registry.h"

namespace basalt {

void RegisterAllCommands(CommandTable& table) {
  RegisterConnectionCommands(table);
  RegisterStringCommands(table);
  RegisterBitCommands(table);
  RegisterGenericCommands(table);
  RegisterServerCommands(table);
  RegisterHashCommands(table);
  RegisterSetCommands(table);
  RegisterListCommands(table);
  RegisterZSetCommands(table);
  RegisterGeoCommands(table);
  RegisterSortCommands(table);
  RegisterMemoryCommands(table);
  RegisterSlowlogCommands(table);
  RegisterLatencyCommands(table);
  RegisterPubSubCommands(table);
  RegisterTransactionCommands(table);
  RegisterStreamCommands(table);
  RegisterPersistenceCommands(table);
  RegisterMigrateCommand(table);
  RegisterScriptingCommands(table);
  RegisterFunctionCommands(table);
}

}  // namespace basalt
