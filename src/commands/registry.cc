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
  RegisterPubSubCommands(table);
  RegisterTransactionCommands(table);
  RegisterStreamCommands(table);
}

}  // namespace basalt
