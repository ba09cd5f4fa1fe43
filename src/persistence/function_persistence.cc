#include "persistence/function_persistence.h"

#include "scripting/function_library.h"
#include "scripting/scripting.h"
#include "server/server.h"

namespace basalt {

std::vector<std::string> FunctionLibrariesToSave(Server& server) {
  std::vector<std::string> codes;
  for (const auto& [name, lib] : server.scripting().functions().libraries()) {
    codes.push_back(lib->code);
  }
  return codes;
}

bool LoadFunctionLibraries(Server& server, const std::vector<std::string>& codes,
                           bool replace_all, std::string* error) {
  if (codes.empty() && !replace_all) return true;
  FunctionStore& store = server.scripting().functions();
  if (replace_all) store.Flush();
  for (const std::string& code : codes) {
    std::string name;
    if (!store.Load(code, /*replace=*/false, /*timeout_ms=*/0, &name, error)) return false;
  }
  return true;
}

}  // namespace basalt
