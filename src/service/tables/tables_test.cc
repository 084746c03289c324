// The writers of service::Table: CSV (RFC 4180 and the formula guard), JSON, sheet names and an
// XLSX workbook's parts. The workbook's cells are read back by tests/cli/reports_test.py.
#include "service/tables/tables.h"

#include <gtest/gtest.h>

namespace jcm::service::tables {
namespace {

Table Sample() {
  return {"Sample",
          {"name", "units", "ratio", "note"},
          {{std::string("=SUM(A1)"), int64_t{-5}, Decimal{"0.5000"}, std::monostate{}},
           {std::string("a,\"b\"\r\nc"), int64_t{42}, Decimal{"-1.25"}, std::string("+1")}}};
}

TEST(TablesCsv, QuotesAsRfc4180AndGuardsFormulasButNotNumbers) {
  EXPECT_EQ(CsvOf(Sample()),
            "name,units,ratio,note\r\n"
            "'=SUM(A1),-5,0.5000,\r\n"
            "\"a,\"\"b\"\"\r\nc\",42,-1.25,'+1\r\n");
}

TEST(TablesCsv, EveryFormulaPrefixIsGuarded) {
  for (const std::string prefix : {"=", "+", "-", "@", "\t", "\r"}) {
    std::string out;
    AppendCsvField(out, prefix + "1", true);
    EXPECT_EQ(out.substr(0, 2), prefix == "\r" ? "\"'" : "'" + prefix.substr(0, 1)) << prefix;
  }
  std::string number;
  AppendCsvField(number, "-1", false);
  EXPECT_EQ(number, "-1");
}

TEST(TablesCsv, SeveralTablesAreSeparatedByAnEmptyLine) {
  const Table one{"One", {"a"}, {{int64_t{1}}}};
  EXPECT_EQ(CsvOf(std::vector<Table>{one, one}), "a\r\n1\r\n\r\na\r\n1\r\n");
}

TEST(TablesJson, RowsAreObjectsWithNumbersAsNumbers) {
  const boost::json::object json = JsonOf("sample", {Sample()});
  EXPECT_EQ(json.at("report"), "sample");
  const boost::json::object& table = json.at("tables").at(0).as_object();
  EXPECT_EQ(table.at("name"), "Sample");
  EXPECT_EQ(boost::json::serialize(table.at("columns")), R"(["name","units","ratio","note"])");
  const boost::json::object& row = table.at("rows").at(0).as_object();
  EXPECT_EQ(row.at("name"), "=SUM(A1)");  // JSON is data: no guard
  EXPECT_EQ(row.at("units").as_int64(), -5);
  EXPECT_DOUBLE_EQ(row.at("ratio").as_double(), 0.5);
  EXPECT_TRUE(row.at("note").is_null());
  EXPECT_EQ(table.at("rows").at(1).at("note"), "+1");
}

TEST(TablesXlsx, SheetNamesAreValidShortAndUnique) {
  const std::vector<Table> tables = {{"By partner country: [all] / *?", {}, {}},
                                     {"A name much longer than thirty-one characters", {}, {}},
                                     {"a name much longer than thirty-one characters", {}, {}},
                                     {"'quoted'", {}, {}},
                                     {"", {}, {}}};
  const std::vector<std::string> names = SheetNames(tables);
  ASSERT_EQ(names.size(), 5u);
  EXPECT_EQ(names[0], "By partner country_ _all_ _ __");
  EXPECT_EQ(names[1], "A name much longer than thirty-");
  EXPECT_EQ(names[2], "a name much longer than thi (2)");
  EXPECT_EQ(names[3], "_quoted_");
  EXPECT_EQ(names[4], "Sheet");
  for (const std::string& name : names) EXPECT_LE(name.size(), 31u);
}

TEST(TablesXlsx, AWorkbookIsAZipWithOneSheetPerTable) {
  auto bytes = XlsxOf({Sample(), Table{"Second", {"x"}, {{int64_t{1}}}}});
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  ASSERT_GT(bytes->size(), 4u);
  EXPECT_EQ(bytes->substr(0, 2), "PK");  // a zip's local file header
  EXPECT_NE(bytes->find("xl/worksheets/sheet2.xml"), std::string::npos);
  EXPECT_EQ(bytes->find("xl/worksheets/sheet3.xml"), std::string::npos);
}

TEST(TablesXlsx, AnUnwritablePathIsUnavailable) {
  EXPECT_EQ(WriteXlsx({Sample()}, "/nonexistent-dir/x.xlsx").code(),
            core::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace jcm::service::tables
