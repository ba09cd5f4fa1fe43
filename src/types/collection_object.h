// CollectionObject: the heap object behind a collection's scalable encoding.
//
// Small collections live inline in their Value (a listpack or an intset is one pointer, held
// in the Value's payload). Large ones (a quicklist, a hashtable set or hash, a skiplist zset,
// a stream) are one heap object each, derived from this class, so that Value can free, copy
// and measure any of them without knowing the type modules: the virtual table costs one
// pointer per large collection, which is noise beside its elements.
#pragma once

#include <cstddef>
#include <memory>

namespace basalt {

class CollectionObject {
 public:
  virtual ~CollectionObject() = default;
  // A deep copy (COPY, and anything else that duplicates a value).
  virtual std::unique_ptr<CollectionObject> Clone() const = 0;
  // Bytes allocated for the object and everything it owns (MEMORY USAGE). The object itself
  // counts as sizeof: it may live outside the heap (tests build them on the stack), where
  // malloc_usable_size(this) would be undefined.
  virtual size_t AllocatedBytes() const = 0;
};

}  // namespace basalt
