#include "store/rocksdb/index_stream.h"

#include <algorithm>

#include "store/rocksdb/rocks_status.h"

namespace actlog::store {
namespace {

class IteratorStream final : public PositionStream {
 public:
  IteratorStream(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* cf,
                 const rocksdb::Snapshot* snapshot, std::string prefix, StreamBounds bounds,
                 Order order, ScanBudget* budget)
      : prefix_(std::move(prefix)), order_(order), budget_(budget) {
    lower_ = prefix_;
    if (bounds.from_us.has_value()) AppendPosition(&lower_, {*bounds.from_us, 0});
    if (bounds.to_us.has_value()) {
      upper_ = prefix_;
      AppendPosition(&upper_, {*bounds.to_us, 0});
    } else {
      upper_ = PrefixSuccessor(prefix_);
    }
    lower_slice_ = rocksdb::Slice(lower_);
    upper_slice_ = rocksdb::Slice(upper_);
    rocksdb::ReadOptions read;
    read.snapshot = snapshot;
    read.iterate_lower_bound = &lower_slice_;
    read.iterate_upper_bound = &upper_slice_;
    read.prefix_same_as_start = true;
    it_.reset(db->NewIterator(read, cf));
  }

  void Seek(Position target) override {
    key_.assign(prefix_);
    AppendPosition(&key_, target);
    ++budget_->used;
    if (order_ == Order::kAsc) {
      it_->Seek(key_);
    } else {
      it_->SeekForPrev(key_);
    }
  }
  void Next() override {
    ++budget_->used;
    if (order_ == Order::kAsc) {
      it_->Next();
    } else {
      it_->Prev();
    }
  }
  bool Valid() const override { return it_->Valid(); }
  Position Current() const override {
    rocksdb::Slice k = it_->key();
    return ParsePositionSuffix(std::string_view(k.data(), k.size()));
  }
  Status status() const override { return FromRocks(it_->status(), "index scan"); }

 private:
  std::string prefix_, lower_, upper_, key_;
  rocksdb::Slice lower_slice_, upper_slice_;
  Order order_;
  ScanBudget* budget_;
  std::unique_ptr<rocksdb::Iterator> it_;
};

// A heap of the children that are still valid, the one with the first position (in the
// query's order) on top: a step costs O(log k) for k children, so a code prefix over
// many codes stays cheap.
class UnionStream final : public PositionStream {
 public:
  UnionStream(std::vector<std::unique_ptr<PositionStream>> children, Order order)
      : children_(std::move(children)), order_(order) {}

  void Seek(Position target) override {
    heap_.clear();
    for (auto& c : children_) {
      c->Seek(target);
      if (c->Valid()) heap_.push_back(c.get());
    }
    std::make_heap(heap_.begin(), heap_.end(), Later{order_});
  }
  void Next() override {
    // Every child at the current position moves on: an event in two of the streams is
    // produced once.
    Position cur = Current();
    while (!heap_.empty() && heap_.front()->Current() == cur) {
      std::pop_heap(heap_.begin(), heap_.end(), Later{order_});
      PositionStream* child = heap_.back();
      child->Next();
      if (child->Valid()) {
        std::push_heap(heap_.begin(), heap_.end(), Later{order_});
      } else {
        heap_.pop_back();
      }
    }
  }
  bool Valid() const override { return !heap_.empty(); }
  Position Current() const override { return heap_.front()->Current(); }
  Status status() const override {
    for (const auto& c : children_) ACTLOG_RETURN_IF_ERROR(c->status());
    return Status::Ok();
  }

 private:
  // The heap's "less": a child is lower in the heap when its position comes later.
  struct Later {
    Order order;
    bool operator()(const PositionStream* a, const PositionStream* b) const {
      return After(order, a->Current(), b->Current());
    }
  };
  std::vector<std::unique_ptr<PositionStream>> children_;
  std::vector<PositionStream*> heap_;  // the valid children
  Order order_;
};

class IntersectStream final : public PositionStream {
 public:
  IntersectStream(std::vector<std::unique_ptr<PositionStream>> children, Order order,
                  ScanBudget* budget)
      : children_(std::move(children)), order_(order), budget_(budget) {}

  void Seek(Position target) override {
    interrupted_at_.reset();
    for (auto& c : children_) c->Seek(target);
    Align();
  }
  void Next() override {
    children_[0]->Next();
    Align();
  }
  bool Valid() const override { return valid_; }
  Position Current() const override { return current_; }
  Status status() const override {
    for (const auto& c : children_) ACTLOG_RETURN_IF_ERROR(c->status());
    return Status::Ok();
  }
  std::optional<Position> Interrupted() const override { return interrupted_at_; }

 private:
  // Leapfrog: the candidate is the furthest position any input has reached; every input
  // seeks to it, until all agree (a match) or one runs out (no more matches).
  void Align() {
    valid_ = false;
    if (!children_[0]->Valid()) return;
    Position target = children_[0]->Current();
    size_t agreed = 1;
    size_t i = 1;
    while (agreed < children_.size()) {
      if (budget_->Spent()) {
        interrupted_at_ = target;
        return;
      }
      PositionStream& c = *children_[i];
      // Inputs only move forward, so one that is at or past the target stays put.
      if (!c.Valid() || After(order_, target, c.Current())) c.Seek(target);
      if (!c.Valid()) return;
      if (c.Current() == target) {
        ++agreed;
      } else {
        target = c.Current();
        agreed = 1;
      }
      i = (i + 1) % children_.size();
    }
    current_ = target;
    valid_ = true;
  }

  std::vector<std::unique_ptr<PositionStream>> children_;
  Order order_;
  ScanBudget* budget_;
  bool valid_ = false;
  Position current_;
  std::optional<Position> interrupted_at_;
};

}  // namespace

std::unique_ptr<PositionStream> NewIteratorStream(rocksdb::DB* db,
                                                  rocksdb::ColumnFamilyHandle* index_cf,
                                                  const rocksdb::Snapshot* snapshot,
                                                  std::string prefix, StreamBounds bounds,
                                                  Order order, ScanBudget* budget) {
  return std::make_unique<IteratorStream>(db, index_cf, snapshot, std::move(prefix), bounds,
                                          order, budget);
}

std::unique_ptr<PositionStream> NewUnionStream(
    std::vector<std::unique_ptr<PositionStream>> children, Order order) {
  return std::make_unique<UnionStream>(std::move(children), order);
}

std::unique_ptr<PositionStream> NewIntersectStream(
    std::vector<std::unique_ptr<PositionStream>> children, Order order, ScanBudget* budget) {
  return std::make_unique<IntersectStream>(std::move(children), order, budget);
}

}  // namespace actlog::store
