// The bridge between RDB files and the function libraries of FUNCTION LOAD (scripting/):
// each library is saved as one FUNCTION2 record holding its code, and loaded back through
// FunctionStore::Load, as Redis 7.0's rdbSaveFunctions / rdbFunctionLoad.
// Execution thread only (the BGSAVE child only reads).
#pragma once

#include <string>
#include <vector>

namespace basalt {

class Server;

// The code of every library, in name order.
std::vector<std::string> FunctionLibrariesToSave(Server& server);

// Loads `codes` as libraries; with `replace_all`, the existing ones are flushed first (a
// startup or DEBUG RELOAD load replaces them). On failure sets *error (Redis's text).
bool LoadFunctionLibraries(Server& server, const std::vector<std::string>& codes,
                           bool replace_all, std::string* error);

}  // namespace basalt
