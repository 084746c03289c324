// List exports (server/export.h): the format chosen by `format` or Accept, RFC 4180 CSV with
// formula-injection-safe cells, JSON lines, and the Link to the next page, through the Api.
#include "server/export.h"

#include <gtest/gtest.h>

#include "server/api.h"
#include "store/testing/ledger_fixture.h"

namespace jcm::server {
namespace {

namespace bj = boost::json;

ListFormat FormatFor(const std::string& target, const std::string& accept = "") {
  HeaderList headers;
  if (!accept.empty()) headers.emplace_back("ACCEPT", accept);
  core::Result<ListFormat> format = ChooseListFormat(*ParseTarget(target), headers);
  EXPECT_TRUE(format.ok()) << format.status().message();
  return format.ok() ? *format : ListFormat::kJson;
}

TEST(ExportFormatTest, FormatParameterWinsOverAccept) {
  EXPECT_EQ(FormatFor("/x?format=csv", "application/json"), ListFormat::kCsv);
  EXPECT_EQ(FormatFor("/x?format=jsonl"), ListFormat::kJsonLines);
  EXPECT_EQ(FormatFor("/x?format=json", "text/csv"), ListFormat::kJson);
  const auto bad = ChooseListFormat(*ParseTarget("/x?format=xml"), {});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), core::StatusCode::kInvalidArgument);
}

TEST(ExportFormatTest, AcceptPicksTheHighestQualityKnownType) {
  EXPECT_EQ(FormatFor("/x"), ListFormat::kJson);
  EXPECT_EQ(FormatFor("/x", "text/csv"), ListFormat::kCsv);
  EXPECT_EQ(FormatFor("/x", "Application/X-NDJSON; charset=utf-8"), ListFormat::kJsonLines);
  EXPECT_EQ(FormatFor("/x", "text/csv;q=0.5, application/x-ndjson;q=0.9"), ListFormat::kJsonLines);
  EXPECT_EQ(FormatFor("/x", "text/csv, application/json"), ListFormat::kCsv);  // tie: first
  EXPECT_EQ(FormatFor("/x", "image/png, */*;q=0.1"), ListFormat::kJson);
  EXPECT_EQ(FormatFor("/x", "text/csv;q=0, application/json;q=0.2"), ListFormat::kJson);
  EXPECT_EQ(FormatFor("/x", "text/csv;q=nope"), ListFormat::kJson);  // malformed q: not wanted
}

TEST(CsvTest, HeaderRowQuotingAndCrlf) {
  const bj::array items = bj::parse(R"([{"id":"A1","name":"Solar, 2 MW","n":3},
      {"id":"B2","name":"say \"hi\"\nthere","n":null,"extra":true}])")
                              .as_array();
  EXPECT_EQ(CsvOf(items),
            "id,name,n,extra\r\n"
            "A1,\"Solar, 2 MW\",3,\r\n"
            "B2,\"say \"\"hi\"\"\nthere\",,true\r\n");
}

TEST(CsvTest, FormulaCellsArePrefixedWithAQuote) {
  const bj::array items =
      bj::parse(
          R"j([{"a":"=HYPERLINK(\"http://x\")","b":"+1","c":"-2+3","d":"@SUM(A1)","e":"\tx","f":-5,
          "g":"a=b"}])j")
          .as_array();
  EXPECT_EQ(CsvOf(items),
            "a,b,c,d,e,f,g\r\n"
            "\"'=HYPERLINK(\"\"http://x\"\")\",'+1,'-2+3,'@SUM(A1),'\tx,-5,a=b\r\n");
}

TEST(CsvTest, NestedObjectsFlattenAndArraysAreJsonCells) {
  const bj::array items =
      bj::parse(R"([{"side":{"country":"MN","tco2e":5},"fields":[["k","v"]]}])").as_array();
  EXPECT_EQ(CsvOf(items), "side.country,side.tco2e,fields\r\nMN,5,\"[[\"\"k\"\",\"\"v\"\"]]\"\r\n");
}

TEST(JsonLinesTest, OneObjectPerLine) {
  const bj::array items = bj::parse(R"([{"a":1},{"a":"x\ny"}])").as_array();
  EXPECT_EQ(JsonLinesOf(items), "{\"a\":1}\n{\"a\":\"x\\ny\"}\n");
}

TEST(TargetWithTest, SetsTheKeyAndEncodesValues) {
  EXPECT_EQ(TargetWith(*ParseTarget("/api/v1/projects?country=MN&cursor=old&format=csv"), "cursor",
                       "azE6"),
            "/api/v1/projects?country=MN&cursor=azE6&format=csv");
  EXPECT_EQ(TargetWith(*ParseTarget("/p?q=a%20b%26c"), "since", "7"), "/p?q=a%20b%26c&since=7");
}

class ExportApiTest : public store::LedgerFixture {
 protected:
  HttpResponse Get(const std::string& target, HeaderList headers = {}) {
    Api api(*store_, "{}");
    return api.Handle(HttpRequest{"GET", target, std::move(headers), ""},
                      RequestContext{"rid-1", {}, false});
  }
  static std::string LinkOf(const HttpResponse& response) {
    for (const auto& [name, value] : response.headers) {
      if (name == "Link") return value;
    }
    return "";
  }
};

TEST_F(ExportApiTest, RegistriesAsCsvPagedByLink) {
  const HttpResponse first = Get("/api/v1/registries?limit=2&format=csv");
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.content_type, kCsvContentType);
  EXPECT_TRUE(first.body.starts_with("registry,")) << first.body;
  EXPECT_EQ(std::count(first.body.begin(), first.body.end(), '\n'), 3);  // header + 2 rows
  const std::string link = LinkOf(first);
  ASSERT_TRUE(link.starts_with("</api/v1/registries?cursor=")) << link;
  EXPECT_TRUE(link.ends_with("&format=csv&limit=2>; rel=\"next\"")) << link;
  const std::string next = link.substr(1, link.find('>') - 1);
  const HttpResponse second = Get(next);
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_NE(second.body.find("\r\nVN,"), std::string::npos) << second.body;
  EXPECT_EQ(LinkOf(second), "");  // the last page
}

TEST_F(ExportApiTest, JournalAsJsonLinesByAccept) {
  const HttpResponse response =
      Get("/api/v1/journal?limit=2", {{"Accept", "application/x-ndjson"}});
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.content_type, kJsonLinesContentType);
  ASSERT_EQ(std::count(response.body.begin(), response.body.end(), '\n'), 2);
  const bj::object first = bj::parse(response.body.substr(0, response.body.find('\n'))).as_object();
  EXPECT_EQ(first.at("seq").as_int64(), 1);
  EXPECT_EQ(LinkOf(response), "</api/v1/journal?limit=2&since=2>; rel=\"next\"");
}

// XLSX: the CSV's table as one workbook sheet (service/tables; its cells are read back by
// server_reports_http_test).
TEST_F(ExportApiTest, RegistriesAsXlsxByFormatAndByAccept) {
  for (const HttpResponse& response :
       {Get("/api/v1/registries?format=xlsx"),
        Get("/api/v1/registries",
            {{"Accept", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}})}) {
    ASSERT_EQ(response.status, 200) << response.body;
    EXPECT_EQ(response.content_type,
              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    EXPECT_TRUE(response.body.starts_with("PK\x03\x04"));
  }
}

TEST_F(ExportApiTest, FormatOnlyOnListsAndOnlyKnownValues) {
  EXPECT_EQ(Get("/api/v1/registries/MN?format=csv").status, 400);  // not a list
  const HttpResponse bad = Get("/api/v1/decisions?format=xml");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("invalid_argument"), std::string::npos);
  // A single resource ignores Accept: it is JSON.
  EXPECT_EQ(Get("/api/v1/registries/MN", {{"Accept", "text/csv"}}).content_type,
            "application/json");
}

}  // namespace
}  // namespace jcm::server
