// The libpq layer's pure helpers. (Everything that needs a server is in the store
// conformance suite and tests/postgres_test.cc.)
#include "store/postgres/pg_conn.h"

#include <gtest/gtest.h>

namespace actlog::store::pg {
namespace {

TEST(PgConn, UrlWithDatabaseReplacesOnlyTheDatabaseName) {
  EXPECT_EQ(UrlWithDatabase("postgresql://u@127.0.0.1:5432/actlog", "t1"),
            "postgresql://u@127.0.0.1:5432/t1");
  EXPECT_EQ(UrlWithDatabase("postgres://h/db?sslmode=disable", "t1"),
            "postgres://h/t1?sslmode=disable");
  EXPECT_EQ(UrlWithDatabase("postgres://h", "t1"), "postgres://h/t1");
  EXPECT_EQ(UrlWithDatabase("postgres://h?connect_timeout=2", "t1"),
            "postgres://h/t1?connect_timeout=2");
}

TEST(PgConn, TextArrayQuotesEveryItem) {
  EXPECT_EQ(TextArray({}), "{}");
  EXPECT_EQ(TextArray({"org_a", "b"}), R"({"org_a","b"})");
  EXPECT_EQ(TextArray({R"(a"b\c)", "NULL"}), R"({"a\"b\\c","NULL"})")
      << "quotes and backslashes escaped; NULL stays a string";
}

TEST(PgConn, AnUnreachableServerIsUnavailable) {
  auto conn = PgConn::Connect("postgresql://actlog@127.0.0.1:1/actlog");
  ASSERT_FALSE(conn.ok());
  EXPECT_EQ(conn.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(conn.status().error_code(), "unavailable");
}

}  // namespace
}  // namespace actlog::store::pg
