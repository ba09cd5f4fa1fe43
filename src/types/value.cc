#include "types/value.h"

#include <malloc.h>

#include <cassert>
#include <cstdlib>
#include <cstring>
#include <new>
#include <optional>

#include "util/strconv.h"

namespace basalt {

// A length-prefixed byte buffer; `capacity` bytes follow the header.
struct Value::StrBuf {
  uint32_t length;
  uint32_t capacity;
  char data[];

  static StrBuf* Create(std::string_view bytes, size_t capacity) {
    auto* b = static_cast<StrBuf*>(std::malloc(sizeof(StrBuf) + capacity));
    if (b == nullptr) throw std::bad_alloc();
    b->length = static_cast<uint32_t>(bytes.size());
    b->capacity = static_cast<uint32_t>(capacity);
    if (!bytes.empty()) std::memcpy(b->data, bytes.data(), bytes.size());
    return b;
  }
};

const char* TypeName(ValueType type) {
  switch (type) {
    case ValueType::kString: return "string";
    case ValueType::kList: return "list";
    case ValueType::kSet: return "set";
    case ValueType::kZSet: return "zset";
    case ValueType::kHash: return "hash";
    case ValueType::kStream: return "stream";
  }
  return "none";
}

const char* EncodingName(Encoding encoding) {
  switch (encoding) {
    case Encoding::kRaw: return "raw";
    case Encoding::kInt: return "int";
    case Encoding::kEmbStr: return "embstr";
    case Encoding::kHashtable: return "hashtable";
    case Encoding::kListpack: return "listpack";
    case Encoding::kQuicklist: return "quicklist";
    case Encoding::kIntset: return "intset";
    case Encoding::kSkiplist: return "skiplist";
    case Encoding::kStream: return "stream";
  }
  return "unknown";
}

void Value::StealPayloadSlow(Value& other) noexcept {
  type_ = other.type_;
  encoding_ = other.encoding_;
  lru_ = other.lru_;
  inline_ = 0;
  if (other.inline_ != 0) {
    // Bytes beyond the payload sit in other's owner's room, which this Value does not have.
    const std::string_view bytes(other.inline_bytes(), other.inline_ - 1);
    if (bytes.size() <= kPayloadBytes) {
      payload_ = other.payload_;
      inline_ = other.inline_;
    } else {
      payload_.str = StrBuf::Create(bytes, bytes.size());
    }
    other.inline_ = 0;
  } else if (other.has_inline_collection()) {
    if (encoding_ == Encoding::kListpack) {
      new (payload_.inline_obj) Listpack(std::move(other.listpack()));
      other.listpack().~Listpack();
    } else {
      new (payload_.inline_obj) IntSet(std::move(other.intset()));
      other.intset().~IntSet();
    }
  } else {
    payload_ = other.payload_;
  }
  other.type_ = ValueType::kString;
  other.encoding_ = Encoding::kInt;
  other.payload_.i = 0;
}

void Value::Release() {
  if (type_ == ValueType::kString) {
    if (encoding_ != Encoding::kInt && inline_ == 0) std::free(payload_.str);
  } else if (encoding_ == Encoding::kListpack) {
    listpack().~Listpack();
  } else if (encoding_ == Encoding::kIntset) {
    intset().~IntSet();
  } else {
    delete payload_.obj;
  }
  type_ = ValueType::kString;
  encoding_ = Encoding::kInt;
  inline_ = 0;
  payload_.i = 0;
}

void Value::SetInline(std::string_view bytes) {
  type_ = ValueType::kString;
  encoding_ = Encoding::kEmbStr;
  inline_ = static_cast<uint32_t>(bytes.size() + 1);
  if (!bytes.empty()) std::memcpy(inline_bytes(), bytes.data(), bytes.size());
}

size_t Value::RoomToEmbed(std::string_view bytes) {
  if (bytes.size() <= kPayloadBytes || bytes.size() > kEmbStrMaxLen) return 0;
  if (bytes.size() <= 20 && ParseInt64(bytes)) return 0;  // String() makes it an int
  return bytes.size() - kPayloadBytes;
}

void Value::AssignEmbeddedString(std::string_view bytes, size_t room) {
  const uint32_t lru = lru_;
  Release();
  SetInline(bytes);
  lru_ = lru;
  assert(bytes.size() <= kPayloadBytes + room && bytes.size() <= kEmbStrMaxLen);
  (void)room;  // only checked: the bytes simply run on into the room
}

void Value::AssignEmbedding(Value&& src, size_t room) {
  if (this == &src) return;
  if (src.type_ == ValueType::kString && src.encoding_ == Encoding::kEmbStr) {
    char scratch[kInt64StrLen];
    const std::string_view bytes = src.StringView(scratch);
    if (bytes.size() <= kPayloadBytes + room) {
      const uint32_t lru = src.lru_;
      Release();
      SetInline(bytes);  // src's bytes are its own (or its owner's), never in our room
      lru_ = lru;
      src.Release();
      return;
    }
  }
  *this = std::move(src);
}

void Value::Reencode(Value replacement) {
  replacement.lru_ = lru_;
  *this = std::move(replacement);
}

Value Value::FromListpack(ValueType type, Listpack lp) {
  Value out;
  out.type_ = type;
  out.encoding_ = Encoding::kListpack;
  new (out.payload_.inline_obj) Listpack(std::move(lp));
  return out;
}

Value Value::FromIntSet(IntSet set) {
  Value out;
  out.type_ = ValueType::kSet;
  out.encoding_ = Encoding::kIntset;
  new (out.payload_.inline_obj) IntSet(std::move(set));
  return out;
}

Value Value::FromObject(ValueType type, Encoding encoding, std::unique_ptr<CollectionObject> obj) {
  Value out;
  out.type_ = type;
  out.encoding_ = encoding;
  out.payload_.obj = obj.release();
  return out;
}

Value Value::Int(int64_t v) {
  Value out;
  out.payload_.i = v;
  return out;
}

Value Value::String(std::string_view bytes) {
  if (bytes.size() <= 20) {
    if (auto n = ParseInt64(bytes)) return Int(*n);
  }
  return PlainString(bytes);
}

Value Value::PlainString(std::string_view bytes) {
  Value out;
  if (bytes.size() <= kPayloadBytes) {
    out.SetInline(bytes);
    return out;
  }
  out.encoding_ = bytes.size() <= kEmbStrMaxLen ? Encoding::kEmbStr : Encoding::kRaw;
  out.payload_.str = StrBuf::Create(bytes, bytes.size());
  return out;
}

Value Value::RawString(std::string_view bytes) {
  Value out;
  out.encoding_ = Encoding::kRaw;
  out.payload_.str = StrBuf::Create(bytes, bytes.size());
  return out;
}

std::string_view Value::StringView(char (&scratch)[kInt64StrLen]) const {
  if (encoding_ == Encoding::kInt) {
    size_t len = FormatInt64(payload_.i, scratch);
    return std::string_view(scratch, len);
  }
  if (inline_ != 0) return std::string_view(inline_bytes(), inline_ - 1);
  return std::string_view(payload_.str->data, payload_.str->length);
}

size_t Value::StringLength() const {
  if (encoding_ == Encoding::kInt) {
    char scratch[kInt64StrLen];
    return FormatInt64(payload_.i, scratch);
  }
  if (inline_ != 0) return inline_ - 1;
  return payload_.str->length;
}

char* Value::MutableString(size_t min_len) {
  if (encoding_ == Encoding::kInt) {
    char scratch[kInt64StrLen];
    size_t len = FormatInt64(payload_.i, scratch);
    payload_.str = StrBuf::Create(std::string_view(scratch, len), len > min_len ? len : min_len);
  } else if (inline_ != 0) {
    const std::string_view bytes(inline_bytes(), inline_ - 1);
    payload_.str = StrBuf::Create(bytes, bytes.size() > min_len ? bytes.size() : min_len);
    inline_ = 0;
  }
  encoding_ = Encoding::kRaw;
  StrBuf* b = payload_.str;
  if (min_len > b->capacity) {
    // Grow geometrically below 1 MB, then by 1 MB, as sds does: repeated APPENDs stay linear.
    // An empty string is sized exactly, as Redis creates the value of a new key (SETRANGE,
    // APPEND) at its length: the headroom is for strings that are growing.
    size_t capacity = b->length == 0           ? min_len
                      : min_len < 1024 * 1024 ? min_len * 2
                                              : min_len + 1024 * 1024;
    b = static_cast<StrBuf*>(std::realloc(b, sizeof(StrBuf) + capacity));
    if (b == nullptr) throw std::bad_alloc();
    b->capacity = static_cast<uint32_t>(capacity);
    payload_.str = b;
  }
  if (min_len > b->length) {
    std::memset(b->data + b->length, 0, min_len - b->length);
    b->length = static_cast<uint32_t>(min_len);
  }
  return b->data;
}

void Value::Append(std::string_view bytes) {
  size_t old_len = StringLength();
  char* data = MutableString(old_len + bytes.size());
  if (!bytes.empty()) std::memcpy(data + old_len, bytes.data(), bytes.size());
}

Value Value::Clone() const {
  if (type_ == ValueType::kString) {
    Value out;
    char scratch[kInt64StrLen];
    if (encoding_ == Encoding::kInt) {
      out.payload_.i = payload_.i;
    } else if (encoding_ == Encoding::kEmbStr) {
      out = PlainString(StringView(scratch));
    } else {
      out = RawString(StringView(scratch));
    }
    out.lru_ = lru_;
    return out;
  }
  Value out;
  switch (encoding_) {
    case Encoding::kListpack: {
      std::optional<Listpack> copy = Listpack::FromBytes(listpack().bytes(), /*deep=*/false);
      out = FromListpack(type_, std::move(*copy));
      break;
    }
    case Encoding::kIntset: out = FromIntSet(intset().Clone()); break;
    default: out = FromObject(type_, encoding_, payload_.obj->Clone()); break;
  }
  out.lru_ = lru_;
  return out;
}

// What the allocator handed out (its size classes round requests up: an embstr's 39-byte
// buffer takes 48), so that MEMORY USAGE matches used_memory.
size_t Value::AllocatedBytes() const {
  if (type_ == ValueType::kString) {
    if (encoding_ == Encoding::kInt || inline_ != 0) return 0;  // the bytes are in the Value
    return malloc_usable_size(payload_.str);
  }
  switch (encoding_) {
    case Encoding::kListpack: return listpack().AllocatedBytes();
    case Encoding::kIntset:
      if (intset().AllocatedBytes() == 0) return 0;  // the shared empty header
      return malloc_usable_size(const_cast<char*>(intset().bytes().data()));
    default: return payload_.obj->AllocatedBytes();
  }
}

}  // namespace basalt
