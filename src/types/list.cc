#include "types/list.h"

#include <memory>
#include <utility>

namespace basalt {

namespace {

bool IsQuicklist(const Value& list) { return list.encoding() == Encoding::kQuicklist; }

Quicklist& QL(Value& list) { return list.object<Quicklist>(); }
const Quicklist& QL(const Value& list) { return list.object<Quicklist>(); }

// Back to a listpack when the quicklist is one packed node within the caps (halved when
// `shrinking`, see the header).
void TryConvertQuicklist(Value& list, bool shrinking, const ListConfig& cfg) {
  Quicklist& ql = QL(list);
  if (!ql.IsSinglePackedNode()) return;
  size_t size_limit;
  size_t count_limit;
  Quicklist::NodeLimit(cfg.max_listpack_size, &size_limit, &count_limit);
  if (shrinking) {
    size_limit /= 2;
    count_limit /= 2;
  }
  if (ql.head()->sz() > size_limit || ql.size() > count_limit) return;
  Listpack lp = ql.TakeSingleListpack();
  list.ConvertTo(std::move(lp));
}

}  // namespace

Value NewList() { return Value::FromListpack(ValueType::kList, Listpack()); }

size_t ListLength(const Value& list) {
  return IsQuicklist(list) ? QL(list).size() : list.listpack().size();
}

void ListPrepareGrowth(Value& list, size_t add_bytes, size_t add_count, const ListConfig& cfg) {
  if (IsQuicklist(list)) return;
  Listpack& lp = list.listpack();
  if (!Quicklist::NodeExceedsLimit(cfg.max_listpack_size, lp.bytes_len() + add_bytes,
                                   lp.size() + add_count)) {
    return;
  }
  auto ql = std::make_unique<Quicklist>(cfg.max_listpack_size);
  if (!lp.empty()) ql->AppendListpack(std::move(lp));
  list.ConvertTo(Encoding::kQuicklist, std::move(ql));
}

void ListAfterShrink(Value& list, const ListConfig& cfg) {
  if (IsQuicklist(list)) TryConvertQuicklist(list, /*shrinking=*/true, cfg);
}

void ListPush(Value& list, std::string_view element, ListEnd where) {
  if (IsQuicklist(list)) {
    if (where == ListEnd::kHead) {
      QL(list).PushHead(element);
    } else {
      QL(list).PushTail(element);
    }
  } else if (where == ListEnd::kHead) {
    list.listpack().Prepend(element);
  } else {
    list.listpack().Append(element);
  }
}

std::string ListPop(Value& list, ListEnd where) {
  if (IsQuicklist(list)) {
    Quicklist& ql = QL(list);
    Quicklist::Entry e = where == ListEnd::kHead ? ql.First() : ql.Last();
    std::string out = ql.GetString(e);
    ql.Delete(e, /*forward=*/true);
    return out;
  }
  Listpack& lp = list.listpack();
  ListpackPos p = where == ListEnd::kHead ? lp.First() : lp.Last();
  std::string out = lp.Get(p).ToString();
  lp.Delete(p);
  return out;
}

std::optional<std::string> ListIndex(const Value& list, int64_t index) {
  if (IsQuicklist(list)) {
    Quicklist::Entry e = QL(list).At(index);
    if (!e.valid()) return std::nullopt;
    return QL(list).GetString(e);
  }
  ListpackPos p = list.listpack().Seek(index);
  if (!p.valid()) return std::nullopt;
  return list.listpack().Get(p).ToString();
}

bool ListSet(Value& list, int64_t index, std::string_view element, const ListConfig& cfg) {
  ListPrepareGrowth(list, element.size(), 1, cfg);
  if (IsQuicklist(list)) {
    Quicklist::Entry e = QL(list).At(index);
    if (!e.valid()) return false;
    QL(list).Replace(e, element);
    // A big element may have been replaced by a small one.
    TryConvertQuicklist(list, /*shrinking=*/true, cfg);
    return true;
  }
  ListpackPos p = list.listpack().Seek(index);
  if (!p.valid()) return false;
  list.listpack().Replace(p, element);
  return true;
}

bool ListInsert(Value& list, bool after, std::string_view pivot, std::string_view element,
                const ListConfig& cfg) {
  // As Redis: the encoding grows before the pivot is known to exist.
  ListPrepareGrowth(list, element.size(), 1, cfg);
  if (IsQuicklist(list)) {
    Quicklist& ql = QL(list);
    for (Quicklist::Entry e = ql.First(); e.valid(); e = ql.Next(e)) {
      if (ql.Get(e).Equals(pivot)) {
        ql.Insert(e, element, after);
        return true;
      }
    }
    return false;
  }
  Listpack& lp = list.listpack();
  for (ListpackPos p = lp.First(); p.valid(); p = lp.Next(p)) {
    if (lp.Get(p).Equals(pivot)) {
      lp.Insert(p, after ? Listpack::Where::kAfter : Listpack::Where::kBefore, element);
      return true;
    }
  }
  return false;
}

size_t ListRemove(Value& list, int64_t count, std::string_view element) {
  const bool forward = count >= 0;
  // -INT64_MIN does not exist; any limit that large means "all" anyway.
  const uint64_t limit =
      count >= 0 ? static_cast<uint64_t>(count) : static_cast<uint64_t>(-(count + 1)) + 1;
  size_t removed = 0;
  if (IsQuicklist(list)) {
    Quicklist& ql = QL(list);
    Quicklist::Entry e = forward ? ql.First() : ql.Last();
    while (e.valid()) {
      if (ql.Get(e).Equals(element)) {
        e = ql.Delete(e, forward);
        ++removed;
        if (limit != 0 && removed == limit) break;
      } else {
        e = forward ? ql.Next(e) : ql.Prev(e);
      }
    }
    return removed;
  }
  Listpack& lp = list.listpack();
  ListpackPos p = forward ? lp.First() : lp.Last();
  while (p.valid()) {
    if (lp.Get(p).Equals(element)) {
      ListpackPos next = lp.Delete(p);
      if (forward) {
        p = next;
      } else {
        p = next.valid() ? lp.Prev(next) : lp.Last();
      }
      ++removed;
      if (limit != 0 && removed == limit) break;
    } else {
      p = forward ? lp.Next(p) : lp.Prev(p);
    }
  }
  return removed;
}

void ListDeleteRange(Value& list, int64_t start, int64_t count) {
  if (count <= 0) return;
  if (IsQuicklist(list)) {
    QL(list).DeleteRange(start, count);
  } else {
    list.listpack().DeleteRange(start, static_cast<size_t>(count));
  }
}

ListIterator::ListIterator(const Value& list, int64_t index, bool forward)
    : list_(list), forward_(forward), quicklist_(IsQuicklist(list)) {
  if (quicklist_) {
    ql_entry_ = QL(list).At(index);
  } else {
    lp_pos_ = list.listpack().Seek(index);
  }
}

bool ListIterator::Done() const { return quicklist_ ? !ql_entry_.valid() : !lp_pos_.valid(); }

ListpackEntry ListIterator::Get() const {
  return quicklist_ ? QL(list_).Get(ql_entry_) : list_.listpack().Get(lp_pos_);
}

void ListIterator::Advance() {
  if (quicklist_) {
    ql_entry_ = forward_ ? QL(list_).Next(ql_entry_) : QL(list_).Prev(ql_entry_);
  } else {
    lp_pos_ = forward_ ? list_.listpack().Next(lp_pos_) : list_.listpack().Prev(lp_pos_);
  }
}

Value MakeList(std::span<const std::string> elements, const ListConfig& cfg) {
  // As Redis's SORT STORE: fill a quicklist, then let the result pick its encoding.
  auto ql = std::make_unique<Quicklist>(cfg.max_listpack_size);
  for (const std::string& e : elements) ql->PushTail(e);
  Value list = Value::FromObject(ValueType::kList, Encoding::kQuicklist, std::move(ql));
  if (QL(list).size() == 0) return NewList();
  TryConvertQuicklist(list, /*shrinking=*/false, cfg);
  return list;
}

}  // namespace basalt
