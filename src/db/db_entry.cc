#include "db/db_entry.h"

#include <new>

namespace basalt {

DbEntry* DbEntry::Construct(void* mem, std::string_view key, Value&& value, size_t room,
                            bool expire_slot) {
  auto* e = static_cast<DbEntry*>(mem);
  e->next = nullptr;
  if (room == 0) {
    new (&e->value) Value(std::move(value));  // nothing to embed beyond the payload
  } else {
    new (&e->value) Value();
    e->value.AssignEmbedding(std::move(value), room);
  }
  uint16_t bits = static_cast<uint16_t>(room << kRoomShift) | (expire_slot ? kExpireSlotBit : 0);
  char* k = e->tail + room;
  if (key.size() >= kShortKeyLimit) {
    bits |= kLongKeyMark;
    const auto len = static_cast<uint32_t>(key.size());
    std::memcpy(k, &len, sizeof(len));
    k += sizeof(len);
  } else {
    bits |= static_cast<uint16_t>(key.size());
  }
  if (!key.empty()) std::memcpy(k, key.data(), key.size());
  e->value.set_host_bits(bits);
  return e;
}

}  // namespace basalt
