#include "store/rocksdb/index_stream.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

namespace actlog::store {
namespace {

// A stream over positions held in memory, in the query's order.
class VectorStream final : public PositionStream {
 public:
  VectorStream(std::vector<Position> positions, Order order) : order_(order) {
    std::sort(positions.begin(), positions.end());
    if (order == Order::kDesc) std::reverse(positions.begin(), positions.end());
    positions_ = std::move(positions);
  }
  void Seek(Position target) override {
    at_ = 0;
    while (at_ < positions_.size() && After(order_, target, positions_[at_])) ++at_;
  }
  void Next() override { ++at_; }
  bool Valid() const override { return at_ < positions_.size(); }
  Position Current() const override { return positions_[at_]; }
  Status status() const override { return Status::Ok(); }

 private:
  std::vector<Position> positions_;
  Order order_;
  size_t at_ = 0;
};

std::vector<Position> Drain(PositionStream& s, Position from) {
  std::vector<Position> out;
  for (s.Seek(from); s.Valid(); s.Next()) out.push_back(s.Current());
  return out;
}

// Many children with overlapping positions: the union is every position once, in
// order, from wherever it is sought — checked against a set.
TEST(UnionStream, MergesManyStreamsInOrderAndProducesSharedPositionsOnce) {
  std::mt19937 rng(7);
  for (Order order : {Order::kAsc, Order::kDesc}) {
    std::vector<std::vector<Position>> inputs(150);
    std::set<Position> all;
    for (auto& in : inputs) {
      int n = static_cast<int>(rng() % 20);  // some children are empty
      for (int i = 0; i < n; ++i) {
        Position p{static_cast<int64_t>(rng() % 400) - 200, rng() % 3};
        in.push_back(p);
        all.insert(p);
      }
    }
    std::vector<std::unique_ptr<PositionStream>> children;
    for (const auto& in : inputs) children.push_back(std::make_unique<VectorStream>(in, order));
    std::unique_ptr<PositionStream> u = NewUnionStream(std::move(children), order);

    for (Position from : {Position::Min(), Position::Max(), Position{0, 1}, Position{-50, 0}}) {
      std::vector<Position> want;
      for (Position p : all) {
        if (!After(order, from, p)) want.push_back(p);
      }
      if (order == Order::kDesc) std::reverse(want.begin(), want.end());
      EXPECT_EQ(Drain(*u, from), want);
    }
  }
}

TEST(UnionStream, OfOnlyEmptyStreamsIsEmpty) {
  std::vector<std::unique_ptr<PositionStream>> children;
  children.push_back(std::make_unique<VectorStream>(std::vector<Position>{}, Order::kAsc));
  children.push_back(std::make_unique<VectorStream>(std::vector<Position>{}, Order::kAsc));
  std::unique_ptr<PositionStream> u = NewUnionStream(std::move(children), Order::kAsc);
  u->Seek(Position::Min());
  EXPECT_FALSE(u->Valid());
}

}  // namespace
}  // namespace actlog::store
