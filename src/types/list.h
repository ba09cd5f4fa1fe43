// List operations over a list Value in either of its encodings, with Redis 7.2's rules for
// moving between them:
//
//   listpack  (OBJECT ENCODING "listpack"): the whole list in one listpack, inline in the
//             Value, while it fits in one quicklist node (list-max-listpack-size);
//   quicklist (OBJECT ENCODING "quicklist"): a Quicklist (types/quicklist.h) otherwise.
//
// Growing: before elements are added, a listpack list becomes a quicklist when its bytes plus
// the new elements' lengths, or its length plus their count, would pass the node caps (an
// element too big for a node converts it too). Shrinking: after elements are removed, a
// quicklist of one packed node within HALF the caps becomes a listpack again (the
// hysteresis keeps a list at the boundary from converting on every push and pop). A list
// built at once (MakeList, SORT STORE) is a listpack when it fits the full caps.
//
// Elements are binary-safe byte strings; strings that are canonical integers are stored as
// integers (the listpack does it) and read back as the same text.
//
// None of these functions delete an emptied key: callers do (the empty-collection rule).
// Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "types/listpack.h"
#include "types/quicklist.h"
#include "types/value.h"

namespace basalt {

// The thresholds that govern a list's encoding, from the server's config.
struct ListConfig {
  int max_listpack_size = -2;  // list-max-listpack-size
  int compress_depth = 0;      // list-compress-depth (accepted, not implemented)
};

enum class ListEnd { kHead, kTail };

// A new, empty list (listpack encoding).
Value NewList();

size_t ListLength(const Value& list);

// Converts a listpack list to a quicklist if adding `add_count` elements of `add_bytes`
// total length would pass the caps (Redis's LIST_CONV_GROWING). Call before adding.
void ListPrepareGrowth(Value& list, size_t add_bytes, size_t add_count, const ListConfig& cfg);
// Converts a quicklist back to a listpack if it is one packed node within half the caps
// (Redis's LIST_CONV_SHRINKING). Call after removing elements from a non-empty list.
void ListAfterShrink(Value& list, const ListConfig& cfg);

// Adds one element at an end. Does not convert: call ListPrepareGrowth first.
void ListPush(Value& list, std::string_view element, ListEnd where);
// Removes and returns the element at an end. REQUIRES: the list is not empty. Does not
// convert: call ListAfterShrink after.
std::string ListPop(Value& list, ListEnd where);

// The element at `index` (negative: from the tail), or nullopt when out of range.
std::optional<std::string> ListIndex(const Value& list, int64_t index);
// LSET: replaces the element at `index`; false when out of range (nothing changes).
// Converts both ways as Redis does.
bool ListSet(Value& list, int64_t index, std::string_view element, const ListConfig& cfg);
// LINSERT: inserts `element` before or after the first element equal to `pivot` (head to
// tail). Returns false when there is no such pivot. Grows the encoding first in any case,
// as Redis does.
bool ListInsert(Value& list, bool after, std::string_view pivot, std::string_view element,
                const ListConfig& cfg);
// LREM: removes elements equal to `element`: the first `count` from the head (count > 0),
// the last -count from the tail (count < 0), or all (count == 0). Returns how many.
// Does not convert: call ListAfterShrink if it removed some and the list is not empty.
size_t ListRemove(Value& list, int64_t count, std::string_view element);
// Removes up to `count` elements from element number `start` (negative: from the tail),
// as Redis's listTypeDelRange. Does not convert.
void ListDeleteRange(Value& list, int64_t start, int64_t count);

// Reads a list element by element, either way, from any index.
class ListIterator {
 public:
  // Starts at element `index` (negative: from the tail) going towards the tail (forward)
  // or the head. Done() at once when the index is out of range.
  ListIterator(const Value& list, int64_t index, bool forward);

  bool Done() const;
  // REQUIRES: !Done(). Strings view the list's bytes until the next mutation.
  ListpackEntry Get() const;
  void Advance();

 private:
  const Value& list_;
  bool forward_;
  bool quicklist_;
  ListpackPos lp_pos_;
  Quicklist::Entry ql_entry_;
};

// Calls f(const ListpackEntry&) for every element, head to tail.
template <typename F>
void ForEachListElement(const Value& list, F f) {
  for (ListIterator it(list, 0, /*forward=*/true); !it.Done(); it.Advance()) f(it.Get());
}

// A list holding `elements` head to tail, in the encoding Redis would give it.
Value MakeList(std::span<const std::string> elements, const ListConfig& cfg);

}  // namespace basalt
