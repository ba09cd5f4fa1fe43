#include "db/db_entry.h"

#include <new>

namespace basalt {

DbEntry* DbEntry::Construct(void* mem, std::string_view key, Value&& value, size_t room,
                            bool expire_slot) {
  auto* e = static_cast<DbEntry*>(mem);
  e->next = nullptr;
  new (&e->value) Value();
  uint16_t bits = static_cast<uint16_t>(room << kRoomShift) | (expire_slot ? kExpireSlotBit : 0);
  char* k = e->tail + room;
  if (key.size() >= kShortKeyLimit) {
    bits |= kLongKeyBit;
    const auto len = static_cast<uint32_t>(key.size());
    std::memcpy(k, &len, sizeof(len));
    k += sizeof(len);
  } else {
    bits |= static_cast<uint16_t>(key.size());
  }
  if (!key.empty()) std::memcpy(k, key.data(), key.size());
  e->value.set_host_bits(bits);
  e->value.AssignEmbedding(std::move(value), room);
  return e;
}

}  // namespace basalt
