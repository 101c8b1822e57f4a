// Export formats shared by the CLI and GET /v1/export.
#include "core/export_format.h"

#include <gtest/gtest.h>

#include "actlog/json.h"

namespace actlog {
namespace {

Event Stored() {
  Event e;
  e.org = "acme";
  e.code = "org.member:invited";
  e.id = "evt_1";
  e.seq = 7;
  e.actor = Actor{ActorType::kUser, "u_7", "=HYPERLINK(\"x\")", std::nullopt};
  e.occurred_at_us = 1'000'000;
  e.received_at_us = 2'000'000;
  return e;
}

TEST(ExportFormat, JsonLinesIsOneCanonicalEventPerLine) {
  std::string out;
  AppendExportHeader(ExportFormat::kJsonl, &out);
  EXPECT_EQ(out, "");
  AppendExportEvent(Stored(), Catalog::BuiltIn(), ExportFormat::kJsonl, &out);
  ASSERT_FALSE(out.empty());
  EXPECT_EQ(out.back(), '\n');
  EXPECT_EQ(out.find('\n'), out.size() - 1);
  EXPECT_EQ(out.substr(0, out.size() - 1), CanonicalEvent(Stored()));
}

TEST(ExportFormat, CsvHasAHeaderAndGuardsFormulas) {
  std::string out;
  AppendExportHeader(ExportFormat::kCsv, &out);
  EXPECT_EQ(out.rfind("seq,id,occurred_at,", 0), 0u);
  size_t header_end = out.size();
  AppendExportEvent(Stored(), Catalog::BuiltIn(), ExportFormat::kCsv, &out);
  std::string row = out.substr(header_end);
  EXPECT_EQ(row.rfind("7,evt_1,", 0), 0u) << row;
  EXPECT_NE(row.find("\"'=HYPERLINK(\"\"x\"\")\""), std::string::npos) << row;
  EXPECT_NE(row.find(",Team member invited,"), std::string::npos)
      << "description from the catalog: " << row;
  EXPECT_EQ(row.substr(row.size() - 2), "\r\n");
}

TEST(ExportFormat, ParsesFormatNames) {
  EXPECT_EQ(ParseExportFormat("jsonl"), ExportFormat::kJsonl);
  EXPECT_EQ(ParseExportFormat("csv"), ExportFormat::kCsv);
  EXPECT_EQ(ParseExportFormat("xlsx"), std::nullopt);
  EXPECT_EQ(ExportContentType(ExportFormat::kCsv), "text/csv; charset=utf-8");
}

}  // namespace
}  // namespace actlog
