// Documents and MRV calculations over the API (docs/api.md, "Documents", "MRV calculations"),
// over a real SQLite registry: uploads with their description journaled, who may read a
// confidential document, path traversal in names, and a calculation over uploaded files.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/sha256.h"
#include "cycle_api_test.h"
#include "service/document_service.h"

namespace jcm::server {
namespace {

namespace bj = boost::json;

std::string SourceFile(const std::string& relative) {
  const char* root = std::getenv("JCM_SOURCE_DIR");
  std::ifstream in(std::string(root == nullptr ? "." : root) + "/" + relative, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

class DocumentApiTest : public CycleApiFixture {
 protected:
  void SetUp() override {
    CycleApiFixture::SetUp();
    EstablishMongolia();
  }
  HttpResponse Upload(const std::string& query, std::string bytes,
                      const RequestContext& context = Secretariat(), const std::string& key = "") {
    return Send("POST", "/api/v1/documents?" + query, std::move(bytes), context,
                key.empty() ? "up-" + std::to_string(++keys_) : key);
  }
  // Uploads `bytes` as the MN secretariat; its SHA-256.
  std::string MustUpload(const std::string& bytes, bool confidential) {
    const HttpResponse response =
        Upload(std::string("name=report.pdf&joint_committee=MN&confidential=") +
                   (confidential ? "true" : "false"),
               bytes);
    EXPECT_EQ(response.status, 201) << response.body;
    return core::Sha256Hex(bytes);
  }
  int GetStatus(const std::string& sha256, const RequestContext& context) {
    return Send("GET", "/api/v1/documents/" + sha256, "", context).status;
  }
};

TEST_F(DocumentApiTest, AnUploadIsStoredAndItsDescriptionJournaled) {
  const HttpResponse response = Upload("name=pdd%20v1.pdf&joint_committee=MN", "%PDF-1.7 public");
  ASSERT_EQ(response.status, 201) << response.body;
  const bj::object document = Body(response).at("document").as_object();
  const std::string sha = core::Sha256Hex("%PDF-1.7 public");
  EXPECT_EQ(document.at("sha256").as_string(), sha);
  EXPECT_EQ(document.at("name").as_string(), "pdd v1.pdf");
  EXPECT_EQ(document.at("bytes").as_int64(), 15);
  EXPECT_FALSE(document.at("confidential").as_bool());
  EXPECT_EQ(document.at("uploaded_by").as_string(), "sec-mn");
  EXPECT_EQ(response.headers.at(0),
            (std::pair<std::string, std::string>{"Location", "/api/v1/documents/" + sha}));
  EXPECT_EQ(*store_->GetDocument(sha), std::optional<std::string>("%PDF-1.7 public"));
  const auto entries = store_->ReadJournal(1, "document.");
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ(entries->at(0).body.Find("name"), std::optional<std::string_view>("pdd v1.pdf"));
  // Anyone reads a public document, with its name for the download.
  const HttpResponse got = Send("GET", "/api/v1/documents/" + sha, "", As(""));
  EXPECT_EQ(got.status, 200);
  EXPECT_EQ(got.content_type, "application/octet-stream");
  EXPECT_EQ(got.body, "%PDF-1.7 public");
  EXPECT_EQ(got.headers.at(0).second, "attachment; filename*=UTF-8''pdd%20v1.pdf");
}

TEST_F(DocumentApiTest, ARetryReturnsTheFirstUploadAndAReusedKeyIsRejected) {
  const HttpResponse first = Upload("name=a.txt&joint_committee=MN", "one", Secretariat(), "u1");
  const HttpResponse retry = Upload("name=a.txt&joint_committee=MN", "one", Secretariat(), "u1");
  ASSERT_EQ(first.status, 201);
  ASSERT_EQ(retry.status, 201) << retry.log_detail;
  EXPECT_EQ(Body(first).at("document").at("seq"), Body(retry).at("document").at("seq"));
  EXPECT_TRUE(Body(retry).at("document").at("replayed").as_bool());
  const HttpResponse other = Upload("name=a.txt&joint_committee=MN", "two", Secretariat(), "u1");
  ExpectProblem(other, 422, "rejected");
  EXPECT_EQ(Body(other).at("check").as_int64(), 1);
  EXPECT_EQ(store_->ReadJournal(1, "document.")->size(), 1u);
}

TEST_F(DocumentApiTest, PathTraversalAndBadNamesAre400) {
  for (const char* name : {"..", ".", "..%2Fetc%2Fpasswd", "a%2Fb", "%2Fetc%2Fpasswd", "a/b",
                           "..%5C..%5Cwin.ini", "a%5Cb", "a%0Ab", "", "x%FF"}) {
    const HttpResponse response =
        Upload(std::string("name=") + name + "&joint_committee=MN", "bytes");
    EXPECT_EQ(response.status, 400) << name;
    // An encoded '/' is refused by the target's parser already (bad_target), the rest here.
    const std::string code(Body(response).at("code").as_string());
    EXPECT_TRUE(code == "invalid_argument" || code == "bad_target") << name << ": " << code;
  }
  ExpectProblem(Upload("joint_committee=MN", "bytes"), 400, "invalid_argument");  // no name
  ExpectProblem(Upload("name=a&joint_committee=MN&confidential=yes", "bytes"), 400,
                "invalid_argument");
  ExpectProblem(Upload("name=a&joint_committee=MN", ""), 400, "invalid_argument");
  ExpectProblem(Upload("name=a&joint_committee=MN&colour=red", "x"), 400,
                "unknown_query_parameter");
  EXPECT_TRUE(store_->ReadJournal(1, "document.")->empty());
}

TEST_F(DocumentApiTest, OnlyTheCommitteesSecretariatAndItsTpesUpload) {
  ExpectProblem(Upload("name=a&joint_committee=VN", "x"), 404, "not_found");  // no such JC
  ExpectProblem(Upload("name=a&joint_committee=MN", "x", As("")), 401, "unauthorized");
  ExpectProblem(Upload("name=a&joint_committee=MN", "x", As("sec-vn", {"jc_secretariat:VN"})), 403,
                "forbidden");
  ExpectProblem(Upload("name=a&joint_committee=MN", "x", As("tpe-b", {"tpe:tpe-b"})), 403,
                "forbidden");
  EXPECT_EQ(Upload("name=a&joint_committee=MN", "x", As("tpe-a", {"tpe:tpe-a"})).status, 201);
}

TEST_F(DocumentApiTest, AConfidentialUploadIsReadOnlyByItsCommitteeItsTpesAndAuditors) {
  const std::string sha = MustUpload("confidential PDD", true);
  EXPECT_EQ(GetStatus(sha, As("")), 401);
  EXPECT_EQ(GetStatus(sha, As("rep", {"authorised_representative:" + alice_ + ":approve"})), 403);
  EXPECT_EQ(GetStatus(sha, As("sec-vn", {"jc_secretariat:VN"})), 403);
  EXPECT_EQ(GetStatus(sha, As("tpe-b", {"tpe:tpe-b"})), 403);
  EXPECT_EQ(GetStatus(sha, As("admin", {"system_administrator"})), 403);
  EXPECT_EQ(GetStatus(sha, Secretariat()), 200);
  EXPECT_EQ(GetStatus(sha, As("tpe-a", {"tpe:tpe-a"})), 200);
  EXPECT_EQ(GetStatus(sha, As("auditor", {"auditor"})), 200);
  // The same bytes uploaded again as public stay confidential: any confidential mark wins.
  MustUpload("confidential PDD", false);
  EXPECT_EQ(GetStatus(sha, As("")), 401);
}

TEST_F(DocumentApiTest, ADocumentACycleEventMarksConfidentialIsRestrictedToo) {
  // Stored by the CLI's route (the bytes of a step), described only by the event citing it.
  const std::string bytes = "methodology proposal, confidential annex";
  const std::string sha = core::Sha256Hex(bytes);
  ASSERT_TRUE(store_->PutDocument(sha, bytes).ok());
  EXPECT_EQ(GetStatus(sha, As("")), 401);
  EXPECT_EQ(GetStatus(sha, Secretariat()), 403);  // nothing describes it: auditors only
  EXPECT_EQ(GetStatus(sha, As("auditor", {"auditor"})), 200);
  MustStep("methodology-propose", {{"proposal_code", "MN_PM010"},
                                   {"partner", "MN"},
                                   {"title", "Solar PV"},
                                   {"proponent", "gobi-solar"},
                                   {"sectoral_scope", 1},
                                   {"document", {{"sha256", sha}, {"confidential", true}}},
                                   {"date", "2025-01-06"}});
  EXPECT_EQ(GetStatus(sha, As("")), 401);
  EXPECT_EQ(GetStatus(sha, Secretariat()), 200);
}

TEST_F(DocumentApiTest, UnknownAndMalformedHashes) {
  ExpectProblem(Send("GET", "/api/v1/documents/" + std::string(64, 'e'), "", As("")), 404,
                "not_found");
  ExpectProblem(Send("GET", "/api/v1/documents/ABC", "", As("")), 400, "invalid_argument");
  ExpectProblem(Send("GET", "/api/v1/documents/" + std::string(64, 'E'), "", As("")), 400,
                "invalid_argument");
}

TEST(TakesDocumentBodyTest, OnlyTheUploadRouteGetsTheDocumentLimit) {
  EXPECT_TRUE(TakesDocumentBody("POST", "/api/v1/documents"));
  EXPECT_TRUE(TakesDocumentBody("POST", "/api/v1/documents?name=a&joint_committee=MN"));
  EXPECT_FALSE(TakesDocumentBody("GET", "/api/v1/documents"));
  EXPECT_FALSE(TakesDocumentBody("POST", "/api/v1/documents/x"));
  EXPECT_FALSE(TakesDocumentBody("POST", "/api/v1/cycle/steps/pin-submit"));
  EXPECT_FALSE(TakesDocumentBody("POST", "/api/v1/documentsx"));
}

TEST_F(DocumentApiTest, AnMrvCalculationOverUploadedFiles) {
  const std::string params = MustUpload(SourceFile("src/mrv/testdata/pv_params.txt"), false);
  const std::string data = MustUpload(SourceFile("src/mrv/testdata/pv_long.csv"), true);
  const std::string body =
      bj::serialize(bj::object{{"params_sha256", params}, {"data_sha256", {data}}});
  // The monitoring data are confidential: the public may not calculate with them.
  ExpectProblem(Send("POST", "/api/v1/mrv/calculations", body, As(""), "m"), 401, "unauthorized");
  ExpectProblem(
      Send("POST", "/api/v1/mrv/calculations", body, As("sec-vn", {"jc_secretariat:VN"}), "m"), 403,
      "forbidden");
  const HttpResponse response = Send("POST", "/api/v1/mrv/calculations", body, Secretariat(), "m");
  ASSERT_EQ(response.status, 200) << response.body;
  const bj::object report = Body(response);
  EXPECT_EQ(report.at("methodology").at("ref").as_string(), "MN_AM003@2.0") << response.body;
  bool saw_data = false;
  for (const bj::value& input : report.at("inputs").as_array()) {
    const std::string path(input.at("path").as_string());
    EXPECT_NE(path.front(), '/') << path << ": no server directory";
    EXPECT_EQ(path.find("jcm-mrv-"), std::string::npos) << path;
    if (input.at("role") == "data") {
      EXPECT_EQ(path, "data-1.csv");
      EXPECT_EQ(input.at("sha256").as_string(), data);
      saw_data = true;
    }
  }
  EXPECT_TRUE(saw_data);
}

TEST_F(DocumentApiTest, MrvCalculationRefusals) {
  const std::string params = MustUpload(SourceFile("src/mrv/testdata/pv_params.txt"), false);
  const auto post = [&](const std::string& body) {
    return Send("POST", "/api/v1/mrv/calculations", body, Secretariat(), "m");
  };
  ExpectProblem(post(bj::serialize(bj::object{{"params_sha256", params},
                                              {"data_sha256", {std::string(64, 'f')}}})),
                404, "not_found");
  ExpectProblem(post(bj::serialize(bj::object{{"params_sha256", params}, {"data_sha256", {"x"}}})),
                400, "invalid_argument");
  ExpectProblem(post(bj::serialize(bj::object{
                    {"params_sha256", params}, {"data_sha256", {params}}, {"threads", 8}})),
                400, "invalid_argument");
  ExpectProblem(post(bj::serialize(bj::object{{"params_sha256", params}, {"data_sha256", 1}})), 400,
                "invalid_argument");
  ExpectProblem(post(R"({"params_sha256": )"), 400, "invalid_argument");
}

}  // namespace
}  // namespace jcm::server
