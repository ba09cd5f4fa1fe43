#include "db/digest.h"

#include <algorithm>
#include <string>

#include "types/hash.h"
#include "types/list.h"
#include "types/set.h"
#include "types/stream.h"
#include "types/zset.h"
#include "util/sha1.h"
#include "util/strconv.h"

namespace basalt {

void Digest::Xor(std::string_view bytes) {
  Sha1::Hash h = Sha1::Of(bytes);
  for (size_t i = 0; i < bytes_.size(); ++i) bytes_[i] ^= h[i];
}

void Digest::Mix(std::string_view bytes) {
  Xor(bytes);
  Sha1 h;
  h.Update(bytes_.data(), bytes_.size());
  Sha1::Hash next = h.Final();
  std::copy(next.begin(), next.end(), bytes_.begin());
}

void Digest::XorDigest(const Digest& other) {
  Xor(std::string_view(reinterpret_cast<const char*>(other.bytes_.data()), other.bytes_.size()));
}

void Digest::MixUint32(uint32_t v) {
  const char be[4] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16),
                      static_cast<char>(v >> 8), static_cast<char>(v)};
  Mix(std::string_view(be, sizeof(be)));
}

bool Digest::IsZero() const {
  for (uint8_t b : bytes_) {
    if (b != 0) return false;
  }
  return true;
}

std::string Digest::Hex() const { return Sha1::Hex(bytes_); }

void MixValueDigest(const DbEntry& entry, Digest* d) {
  const Value& v = entry.value;
  d->MixUint32(static_cast<uint32_t>(v.type()));
  switch (v.type()) {
    case ValueType::kString: {
      char scratch[kInt64StrLen];
      d->Mix(v.StringView(scratch));
      break;
    }
    case ValueType::kSet:
      ForEachSetMember(v, [d](std::string_view member) { d->Xor(member); });
      break;
    case ValueType::kHash: {
      // Per field: a fresh digest of field then value, XORed in (order-insensitive).
      ForEachHashField(v, [d](std::string_view field, std::string_view value) {
        Digest e;
        e.Mix(field);
        e.Mix(value);
        d->XorDigest(e);
      });
      break;
    }
    case ValueType::kList: {
      // Each element, head to tail, order-sensitive.
      ForEachListElement(v, [d](const ListpackEntry& e) {
        if (e.is_int) {
          char buf[kInt64StrLen];
          d->Mix(std::string_view(buf, FormatInt64(e.ival, buf)));
        } else {
          d->Mix(e.sval);
        }
      });
      break;
    }
    case ValueType::kZSet: {
      // Per member: a fresh digest of member then "%.17g" score, XORed in.
      ForEachZSetMember(v, [d](std::string_view member, double score) {
        Digest e;
        e.Mix(member);
        char buf[kDoubleBufSize];
        e.Mix(std::string_view(buf, FormatDouble(score, buf)));
        d->XorDigest(e);
        return true;
      });
      break;
    }
    case ValueType::kStream: {
      // Per entry: "<ms>.<seq>", then each field and value, in ID order.
      v.object<Stream>().Range(
          StreamID::Min(), StreamID::Max(), false, [d](const StreamEntryView& e) {
            d->Mix(std::to_string(e.id.ms) + "." + std::to_string(e.id.seq));
            for (const auto& [field, value] : e.fields) {
              d->Mix(field);
              d->Mix(value);
            }
            return true;
          });
      break;
    }
    // The collection types add their contents here, by the rules in the header, as they
    // are implemented.
    default:
      break;
  }
  if (entry.has_expire()) d->Xor("!!expire!!");
}

Digest KeyDigest(const DbEntry& entry) {
  Digest d;
  d.Mix(entry.key());
  MixValueDigest(entry, &d);
  return d;
}

void AddDatabaseDigest(Database& db, Digest* d) {
  if (db.size() == 0) return;
  // The db id goes in first so the same keys in another database give another digest.
  d->MixUint32(static_cast<uint32_t>(db.id()));
  db.ForEach([d](DbEntry* e) { d->XorDigest(KeyDigest(*e)); });
}

}  // namespace basalt
