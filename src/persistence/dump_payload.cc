#include "persistence/dump_payload.h"

#include "persistence/crc64.h"

namespace basalt {
namespace {

constexpr size_t kVersionLen = 2;
constexpr size_t kCrcLen = 8;
constexpr size_t kFooterLen = kVersionLen + kCrcLen;

void PutLE(std::string* out, uint64_t v, size_t bytes) {
  for (size_t i = 0; i < bytes; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

uint64_t GetLE(std::string_view b) {
  uint64_t v = 0;
  for (size_t i = 0; i < b.size(); ++i) v |= uint64_t{static_cast<uint8_t>(b[i])} << (8 * i);
  return v;
}

// The body of a payload already known to hold a footer.
std::string_view BodyOf(std::string_view p) { return p.substr(0, p.size() - kFooterLen); }

}  // namespace

void AppendDumpFooter(std::string* payload) {
  PutLE(payload, kRdbVersion, kVersionLen);
  PutLE(payload, Crc64Of(0, *payload), kCrcLen);
}

std::optional<std::string_view> VerifiedDumpBody(std::string_view p, int max_version,
                                                 bool check_crc) {
  if (p.size() < kFooterLen) return std::nullopt;
  const std::string_view body = BodyOf(p);
  const uint64_t version = GetLE(p.substr(body.size(), kVersionLen));
  if (version > static_cast<uint64_t>(max_version)) return std::nullopt;
  const size_t crc_at = p.size() - kCrcLen;
  if (check_crc && Crc64Of(0, p.substr(0, crc_at)) != GetLE(p.substr(crc_at))) {
    return std::nullopt;
  }
  return body;
}

std::string CreateDumpPayload(const Value& v, const RdbSaveOptions& opts) {
  std::string out;
  out.push_back(static_cast<char>(RdbTypeOf(v)));
  RdbPutValue(&out, v, opts);
  AppendDumpFooter(&out);
  return out;
}

bool VerifyDumpPayload(std::string_view p, bool check_crc) {
  return VerifiedDumpBody(p, kRdbMaxVersion, check_crc).has_value();
}

RdbLoadedValue DecodeDumpPayload(std::string_view p, const RdbLoadLimits& limits) {
  if (p.size() < kFooterLen) return {};
  RdbInput in(BodyOf(p));
  auto type = in.ReadByte();
  if (!type || !IsRdbValueType(*type)) return {};
  RdbLoadedValue v = RdbReadValue(in, *type, limits);
  if (!in.ok()) return {};
  return v;
}

}  // namespace basalt
