// The CSV encoder (util/csv.hpp): RFC 4180 quoting and spreadsheet formula neutralisation.
#include "util/csv.hpp"

#include <gtest/gtest.h>

namespace oms::util {
namespace {

std::string field(std::string_view f) {
  std::string out;
  append_csv_field(out, f);
  return out;
}

TEST(Csv, PlainFieldsAreWrittenAsTheyAre) {
  EXPECT_EQ(field("Contoso"), "Contoso");
  EXPECT_EQ(field(""), "");
  EXPECT_EQ(field("125000.00"), "125000.00");
  EXPECT_EQ(field("Zürich – 東京"), "Zürich – 東京");  // UTF-8 passes through
}

TEST(Csv, CommasQuotesAndLineBreaksAreQuotedWithQuotesDoubled) {
  EXPECT_EQ(field("a,b"), "\"a,b\"");
  EXPECT_EQ(field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(field("line1\nline2"), "\"line1\nline2\"");
  EXPECT_EQ(field("line1\r\nline2"), "\"line1\r\nline2\"");
  EXPECT_EQ(field("\""), "\"\"\"\"");
}

TEST(Csv, CellsThatAFormulaCouldStartWithGetALeadingApostrophe) {
  EXPECT_EQ(field("=1+2"), "'=1+2");
  EXPECT_EQ(field("+49 30 1234"), "'+49 30 1234");
  EXPECT_EQ(field("-5"), "'-5");
  EXPECT_EQ(field("@SUM(A1:A2)"), "'@SUM(A1:A2)");
  EXPECT_EQ(field("\tcmd"), "'\tcmd");
  EXPECT_EQ(field("a=b"), "a=b");  // only a leading character matters
}

TEST(Csv, NeutralisedFieldsThatNeedQuotesAreQuotedAroundTheApostrophe) {
  EXPECT_EQ(field("=HYPERLINK(\"http://x\",\"y\")"), "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
  EXPECT_EQ(field("\rinjected"), "\"'\rinjected\"");
  EXPECT_EQ(field("-1,2"), "\"'-1,2\"");
}

TEST(Csv, ARecordIsCommaSeparatedAndEndsInCrLf) {
  std::string out;
  append_csv_record(out, {"id", "title, with comma", "", "=cmd"});
  append_csv_record(out, {"x"});
  EXPECT_EQ(out, "id,\"title, with comma\",,'=cmd\r\nx\r\n");
}

}  // namespace
}  // namespace oms::util
