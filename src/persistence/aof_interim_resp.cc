// INTERIM, deleted when main's src/server/propagation.cc is merged: AppendRespCommand so
// that this branch links before then.
#include "server/propagation.h"

namespace basalt {
namespace {
template <typename S>
void Append(std::string* out, std::span<const S> argv) {
  out->append("*" + std::to_string(argv.size()) + "\r\n");
  for (const auto& a : argv) {
    out->append("$" + std::to_string(a.size()) + "\r\n");
    out->append(a.data(), a.size());
    out->append("\r\n");
  }
}
}  // namespace
void AppendRespCommand(std::string* out, std::span<const std::string_view> argv) {
  Append(out, argv);
}
void AppendRespCommand(std::string* out, std::span<const std::string> argv) { Append(out, argv); }
}  // namespace basalt
