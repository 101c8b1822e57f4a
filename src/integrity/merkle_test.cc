// Hashing and the incremental tree against the published RFC 6962 test vectors
// (transparency-dev/merkle testonly/constants.go; the same data as certificate-transparency).
#include "actlog/merkle.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "integrity/encoding.h"

namespace actlog::integrity {
namespace {

std::string Unhex(std::string_view hex) { return *encoding::HexDecode(hex); }
Hash H(std::string_view hex) { return *HashFromHex(hex); }

const std::vector<std::string>& ReferenceLeaves() {
  static const auto* leaves =
      new std::vector<std::string>{Unhex(""),
                                   Unhex("00"),
                                   Unhex("10"),
                                   Unhex("2021"),
                                   Unhex("3031"),
                                   Unhex("40414243"),
                                   Unhex("5051525354555657"),
                                   Unhex("606162636465666768696a6b6c6d6e6f")};
  return *leaves;
}

// Root for each size 0..8.
const char* const kReferenceRoots[] = {
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

// Every complete node of the 8-leaf tree, [level][index].
const std::vector<std::vector<const char*>> kReferenceNodes = {
    {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
     "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
     "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
     "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
     "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
     "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
     "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
     "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1"},
    {"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
     "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
     "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
     "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"},
    {"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
     "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"},
    {"5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"},
};

TEST(MerkleHash, EmptyRootIsSha256OfNothing) {
  EXPECT_EQ(HashToHex(EmptyRootHash()), kReferenceRoots[0]);
}

TEST(MerkleHash, RootsMatchPublishedVectorsForEverySize) {
  std::vector<Hash> leaves;
  for (const std::string& leaf : ReferenceLeaves()) leaves.push_back(LeafHash(leaf));
  for (std::size_t n = 0; n <= leaves.size(); ++n) {
    EXPECT_EQ(HashToHex(RootFromLeafHashes(std::span(leaves).first(n))), kReferenceRoots[n])
        << "size " << n;
  }
}

TEST(MerkleHash, LongLeavesHashLikeShortOnes) {
  // Leaves past the inline buffer take another code path; both must be SHA-256(0x00||x).
  const std::string big(5000, 'z');
  IncrementalTree a;
  ASSERT_TRUE(a.Append(big).ok());
  EXPECT_EQ(LeafHash(big), a.Root());
  EXPECT_NE(LeafHash(big), LeafHash(big.substr(1)));
}

TEST(MerkleHash, ThreadsHashingAtOnceAllGetTheReferenceRoots) {
  // Each thread hashes through its own digest context.
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int round = 0; round < 200; ++round) {
        IncrementalTree tree;
        for (const std::string& leaf : ReferenceLeaves()) (void)tree.Append(leaf);
        if (HashToHex(tree.Root()) != kReferenceRoots[8]) ++mismatches;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(mismatches.load(), 0);
}

TEST(MerkleHash, SplitPointIsLargestPowerOfTwoBelow) {
  EXPECT_EQ(SplitPoint(2), 1u);
  EXPECT_EQ(SplitPoint(3), 2u);
  EXPECT_EQ(SplitPoint(4), 2u);
  EXPECT_EQ(SplitPoint(5), 4u);
  EXPECT_EQ(SplitPoint(8), 4u);
  EXPECT_EQ(SplitPoint(9), 8u);
  EXPECT_EQ(SplitPoint(uint64_t{1} << 40), uint64_t{1} << 39);
  EXPECT_EQ(SplitPoint((uint64_t{1} << 63) + 1), uint64_t{1} << 63);
}

TEST(IncrementalTree, RootAfterEveryAppendMatchesVectors) {
  IncrementalTree tree;
  EXPECT_EQ(HashToHex(tree.Root()), kReferenceRoots[0]);
  for (std::size_t i = 0; i < ReferenceLeaves().size(); ++i) {
    ASSERT_TRUE(tree.Append(ReferenceLeaves()[i]).ok());
    EXPECT_EQ(tree.size(), i + 1);
    EXPECT_EQ(HashToHex(tree.Root()), kReferenceRoots[i + 1]) << "size " << i + 1;
  }
}

TEST(IncrementalTree, ReportsEveryCompletedNodeOnceWithItsHash) {
  IncrementalTree tree;
  std::vector<std::pair<NodeId, Hash>> seen;
  auto sink = [&](const NodeId& node, const Hash& hash) { seen.emplace_back(node, hash); };
  for (const std::string& leaf : ReferenceLeaves()) ASSERT_TRUE(tree.Append(leaf, sink).ok());
  std::size_t want = 0;
  for (std::size_t level = 0; level < kReferenceNodes.size(); ++level) {
    for (std::size_t index = 0; index < kReferenceNodes[level].size(); ++index) {
      ++want;
      NodeId id{static_cast<uint8_t>(level), index};
      int found = 0;
      for (const auto& [node, hash] : seen) {
        if (node == id) {
          ++found;
          EXPECT_EQ(HashToHex(hash), kReferenceNodes[level][index]);
        }
      }
      EXPECT_EQ(found, 1) << "level " << level << " index " << index;
    }
  }
  EXPECT_EQ(seen.size(), want);
  // A parent is reported after both of its children.
  EXPECT_EQ(seen.back().first, (NodeId{3, 0}));
}

TEST(IncrementalTree, ResumesFromItsFrontier) {
  IncrementalTree full;
  IncrementalTree first_half;
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(full.Append(ReferenceLeaves()[i]).ok());
    ASSERT_TRUE(first_half.Append(ReferenceLeaves()[i]).ok());
  }
  // Frontier of 5 = {MTH(0:4), leaf 4}.
  ASSERT_EQ(first_half.frontier().size(), 2u);
  EXPECT_EQ(HashToHex(first_half.frontier()[0]), kReferenceNodes[2][0]);
  EXPECT_EQ(HashToHex(first_half.frontier()[1]), kReferenceNodes[0][4]);
  StatusOr<IncrementalTree> resumed = IncrementalTree::FromFrontier(5, first_half.frontier());
  ASSERT_TRUE(resumed.ok());
  for (int i = 5; i < 8; ++i) {
    ASSERT_TRUE(full.Append(ReferenceLeaves()[i]).ok());
    ASSERT_TRUE(resumed->Append(ReferenceLeaves()[i]).ok());
  }
  EXPECT_EQ(resumed->Root(), full.Root());
}

TEST(IncrementalTree, RejectsAFrontierOfTheWrongLength) {
  EXPECT_EQ(IncrementalTree::FromFrontier(5, {EmptyRootHash()}).status().error_code(),
            "invalid_frontier");
  EXPECT_EQ(IncrementalTree::FromFrontier(0, {EmptyRootHash()}).status().error_code(),
            "invalid_frontier");
  EXPECT_TRUE(IncrementalTree::FromFrontier(0, {}).ok());
}

TEST(IncrementalTree, RefusesToGrowPastTwoToTheSixtyFour) {
  std::vector<Hash> frontier(64, EmptyRootHash());
  StatusOr<IncrementalTree> tree = IncrementalTree::FromFrontier(~uint64_t{0}, frontier);
  ASSERT_TRUE(tree.ok());
  EXPECT_EQ(tree->AppendLeafHash(EmptyRootHash()).code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(tree->size(), ~uint64_t{0});
}

TEST(MerkleProofs, PublishedInclusionVectorsVerify) {
  struct Vector {
    uint64_t index, size;
    std::vector<const char*> proof;
  };
  const Vector vectors[] = {
      {0, 1, {}},
      {0,
       8,
       {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
      {5,
       8,
       {"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
      {2, 3, {"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"}},
      {1,
       5,
       {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
  };
  for (const Vector& v : vectors) {
    std::vector<Hash> proof;
    for (const char* h : v.proof) proof.push_back(H(h));
    const Hash leaf = LeafHash(ReferenceLeaves()[v.index]);
    EXPECT_TRUE(VerifyInclusion(leaf, v.index, v.size, proof, H(kReferenceRoots[v.size])).ok())
        << v.index << "/" << v.size;
  }
}

TEST(MerkleProofs, PublishedConsistencyVectorsVerify) {
  struct Vector {
    uint64_t m, n;
    std::vector<const char*> proof;
  };
  const Vector vectors[] = {
      {1, 1, {}},
      {1,
       8,
       {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
      {6,
       8,
       {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
      {2,
       5,
       {"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
      {6,
       7,
       {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
  };
  for (const Vector& v : vectors) {
    std::vector<Hash> proof;
    for (const char* h : v.proof) proof.push_back(H(h));
    EXPECT_TRUE(
        VerifyConsistency(v.m, v.n, H(kReferenceRoots[v.m]), H(kReferenceRoots[v.n]), proof).ok())
        << v.m << "->" << v.n;
  }
}

TEST(MerkleProofs, EdgeSizesFollowTheDocumentedRules) {
  const Hash empty = EmptyRootHash();
  const Hash r1 = H(kReferenceRoots[1]);
  const Hash r2 = H(kReferenceRoots[2]);
  EXPECT_TRUE(VerifyConsistency(0, 0, empty, empty, {}).ok());
  EXPECT_TRUE(VerifyConsistency(0, 5, empty, r2, {}).ok());
  EXPECT_FALSE(VerifyConsistency(0, 5, r1, r2, {}).ok());  // size 0 has one root
  EXPECT_FALSE(VerifyConsistency(0, 5, empty, r2, std::vector<Hash>{empty}).ok());
  EXPECT_TRUE(VerifyConsistency(2, 2, r2, r2, {}).ok());
  EXPECT_FALSE(VerifyConsistency(2, 2, r1, r2, {}).ok());
  EXPECT_FALSE(VerifyConsistency(2, 2, r2, r2, std::vector<Hash>{r2}).ok());
  EXPECT_FALSE(VerifyConsistency(2, 1, r2, r1, {}).ok());  // time travel
  EXPECT_FALSE(VerifyConsistency(1, 2, r1, r2, {}).ok());  // empty proof
  EXPECT_EQ(VerifyInclusion(r1, 0, 0, {}, empty).error_code(), "invalid_proof");
  EXPECT_FALSE(VerifyInclusion(r1, 1, 1, {}, r1).ok());
  EXPECT_TRUE(VerifyInclusion(r1, 0, 1, {}, r1).ok());
  // A proof longer than any tree needs is refused before any hashing.
  std::vector<Hash> huge(kMaxProofHashes + 1, r1);
  EXPECT_FALSE(VerifyInclusion(r1, 0, ~uint64_t{0}, huge, r1).ok());
  EXPECT_FALSE(VerifyConsistency(1, ~uint64_t{0}, r1, r2, huge).ok());
}

TEST(HashEncoding, RoundTripsAndRejectsNonCanonicalInput) {
  const Hash h = H(kReferenceRoots[8]);
  EXPECT_EQ(*HashFromBase64(HashToBase64(h)), h);
  EXPECT_EQ(*HashFromHex(HashToHex(h)), h);
  EXPECT_EQ(HashToBase64(h), "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=");
  EXPECT_FALSE(HashFromBase64("XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg").ok());   // no pad
  EXPECT_FALSE(HashFromBase64("XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyh=").ok());  // bits
  EXPECT_FALSE(HashFromBase64(" XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=").ok());
  EXPECT_FALSE(HashFromBase64("AAAA").ok());  // too short
  // Regression: libsodium alone decodes some bytes >= 0x80 as '/', which would give one
  // hash a second spelling.
  std::string high = "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=";
  high[high.find('/')] = '\x94';
  EXPECT_FALSE(HashFromBase64(high).ok());
  EXPECT_FALSE(HashFromBase64("XcnaeacGWamtVZy3Ad7Zoqud=jqtL0lgz+Nw7/RgQyg=").ok());
  EXPECT_FALSE(HashFromHex(std::string(kReferenceRoots[8]).substr(2)).ok());
  EXPECT_FALSE(HashFromHex(std::string(63, 'a') + "g").ok());
}

TEST(HashEncoding, ProofBytesRoundTripAndBadLengthsAreRejected) {
  std::vector<Hash> proof = {H(kReferenceRoots[1]), H(kReferenceRoots[2])};
  const std::string bytes = EncodeProof(proof);
  ASSERT_EQ(bytes.size(), 64u);
  EXPECT_EQ(*DecodeProof(bytes), proof);
  EXPECT_TRUE(DecodeProof("")->empty());
  EXPECT_EQ(DecodeProof(bytes.substr(1)).status().error_code(), "invalid_proof");
  EXPECT_FALSE(DecodeProof(std::string((kMaxProofHashes + 1) * kHashSize, 'a')).ok());
}

}  // namespace
}  // namespace actlog::integrity
