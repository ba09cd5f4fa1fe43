// Registration of every command family into the command table.
//
// Each family file (commands/<family>.cc) defines its handlers and one Register*Commands
// function holding its table rows; RegisterAllCommands calls them all.
#pragma once

namespace basalt {

class CommandTable;

void RegisterAllCommands(CommandTable& table);

void RegisterConnectionCommands(CommandTable& table);  // connection.cc
void RegisterStringCommands(CommandTable& table);      // string.cc
void RegisterBitCommands(CommandTable& table);         // bitops.cc
void RegisterGenericCommands(CommandTable& table);     // generic.cc
void RegisterServerCommands(CommandTable& table);      // server.cc
void RegisterHashCommands(CommandTable& table);        // hash.cc, hash_field_expiry.cc
void RegisterSetCommands(CommandTable& table);         // set.cc
void RegisterListCommands(CommandTable& table);        // list.cc
void RegisterZSetCommands(CommandTable& table);        // zset.cc, zset_store.cc
void RegisterGeoCommands(CommandTable& table);         // geo.cc
void RegisterSortCommands(CommandTable& table);        // sort.cc
void RegisterMemoryCommands(CommandTable& table);      // memory.cc
void RegisterSlowlogCommands(CommandTable& table);     // slowlog.cc
void RegisterLatencyCommands(CommandTable& table);     // latency.cc
void RegisterPubSubCommands(CommandTable& table);      // pubsub.cc
void RegisterTransactionCommands(CommandTable& table); // transaction.cc
void RegisterScriptingCommands(CommandTable& table);   // scripting.cc
void RegisterFunctionCommands(CommandTable& table);    // function.cc
void RegisterStreamCommands(CommandTable& table);      // stream.cc, stream_read.cc, stream_group.cc
void RegisterPersistenceCommands(CommandTable& table); // persistence.cc
void RegisterMigrateCommand(CommandTable& table);      // migrate.cc

}  // namespace basalt
