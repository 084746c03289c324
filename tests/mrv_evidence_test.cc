// MRV evidence of a monitoring report (mrv_evidence.h, INV-30, INV-31) against both stores: the
// submission stores the files, the methodology definition and the report; recomputation from
// them alone is identical; an altered file (230), a changed publication (233), a missing file
// and a report without evidence are each named.
#include "service/mrv_evidence.h"

#include <fstream>
#include <sstream>

#include "core/sha256.h"
#include "cycle/cycle_fixture_test.h"
#include "service/audit_service.h"
#include "service/cycle_service.h"
#include "service/json/mrv_json.h"
#include "service/service_fixture_test.h"
#include "store/testing/forwarding_store.h"

namespace jcm::service {
namespace {

using cycle::testing::D;
using cycle::testing::Doc;

const core::Period kPeriod = core::Period::Parse("2017-01-01..2017-07-31").value();

std::string ReadSource(const std::string& relative) {
  std::ifstream in(SourcePath(relative), std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// The published report with its last digit of the total changed: a different publication.
std::string AlteredText(const MrvCalculation& calculation) {
  std::string text = json::MrvReportText(calculation);
  const size_t at = text.find("\"emission_reductions_tco2e\":") + 28;
  text[at] = text[at] == '9' ? '8' : static_cast<char>(text[at] + 1);
  return text;
}

// A store whose document `sha256` reads back as `bytes` (nullopt: missing).
class DocumentSwap : public store::testing::ForwardingStore {
 public:
  DocumentSwap(store::Store& inner, std::string sha256, std::optional<std::string> bytes)
      : ForwardingStore(inner), sha256_(std::move(sha256)), bytes_(std::move(bytes)) {}
  core::Result<std::optional<std::string>> GetDocument(const std::string& sha256) override {
    if (sha256 == sha256_) return bytes_;
    return ForwardingStore::GetDocument(sha256);
  }

 private:
  std::string sha256_;
  std::optional<std::string> bytes_;
};

class MrvEvidenceTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    auto catalog = OpenMethodologyCatalog(SourcePath("methodologies"));
    ASSERT_TRUE(catalog.ok()) << catalog.status().ToString();
    catalog_ = std::move(*catalog);
    service_ = std::make_unique<CycleService>(*store_);
    Step(cycle::RegisterParty{"MN", "Mongolia", D("2013-01-08")});
    Step(cycle::EstablishJointCommittee{"MN", {"MOFA"}, "S", D("2013-03-01")});
    for (const char* org : {"pp", "tpe"}) Step(cycle::RegisterOrganisation{org, org, "MN"});
    Step(cycle::DesignateTpe{"MN", "tpe", 1, cycle::TpeFunction::kValidation, D("2014-01-01")});
    Step(cycle::ProposeMethodology{"MN_PM005", "MN", "PV", "pp", 1, Doc("m"), D("2016-01-04")},
         "pp");
    Step(cycle::CheckMethodologyCompleteness{"MN_PM005", true, D("2016-01-05")});
    Step(cycle::DecideMethodology{"MN_PM005", true, "MN_AM003", "2.0", D("2016-02-01")});
    Step(cycle::SubmitPin{"MN_PIN001",
                          "MN",
                          "PV",
                          {"pp"},
                          {},
                          "pp",
                          "MN_AM003",
                          "2.0",
                          1,
                          cycle::FundingSource::kPrivate,
                          Doc("pin"),
                          D("2016-03-01"),
                          ""},
         "pp");
    Step(cycle::DecidePin{"MN_PIN001", true, D("2016-03-02")});
    Step(cycle::SubmitPdd{"MN_PIN001", Doc("pdd"), std::nullopt, D("2016-04-01"), ""}, "pp");
    Step(cycle::SubmitValidation{"MN_PIN001", true, Doc("v"), D("2016-06-01")}, "tpe");
    Step(cycle::RequestRegistration{"MN_PIN001",
                                    {{"JP", "government", 5000}, {"MN", "pp", 5000}},
                                    Doc("r"),
                                    D("2016-06-02")},
         "pp");
    Step(cycle::DecideRegistration{"MN_PIN001", true, "", D("2016-07-01")});
    Step(cycle::AddMonitoringPeriod{"MN001", kPeriod, D("2017-01-01")}, "pp");
  }

  void Step(cycle::Payload payload, std::string by = "") {
    auto outcome = service_->Step(StepRequest{std::move(payload), by, D("2026-11-01"), "", {}});
    ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
    ASSERT_FALSE(IsRejected(*outcome)) << std::get<Rejection>(*outcome).message;
  }

  // The report of kPeriod with the testdata's files as evidence; its journal entry.
  int64_t SubmitWithEvidence() {
    MonitoringReportRequest r;
    r.report.project = "MN001";
    r.report.period = kPeriod;
    r.report.document = Doc("monitoring_report");
    r.report.date = D("2017-09-01");
    params_ = ReadSource("src/mrv/testdata/pv_params.txt");
    data_ = ReadSource("src/mrv/testdata/pv_long.csv");
    r.report.mrv_params_sha256 = core::Sha256Hex(params_);
    r.report.mrv_data_sha256 = {core::Sha256Hex(data_)};
    r.documents = {params_, data_};
    r.by = "pp";
    r.today = D("2026-11-01");
    r.methodologies = &catalog_;
    r.print_mrv_report = json::MrvReportText;
    auto outcome = service_->SubmitMonitoringReport(r);
    EXPECT_TRUE(outcome.ok()) << outcome.status().ToString();
    if (!outcome.ok() || IsRejected(*outcome)) return 0;
    event_ = std::get<CycleEventResult>(*outcome).fields;
    return std::get<CycleEventResult>(*outcome).seq;
  }

  mrv::MethodologyCatalog catalog_;
  std::unique_ptr<CycleService> service_;
  std::string params_, data_;
  core::Record event_;
};

TEST_P(MrvEvidenceTest, TheSubmissionStoresItsEvidenceAndRecomputesIdentically) {
  const int64_t seq = SubmitWithEvidence();
  ASSERT_GT(seq, 0);
  const std::string definition = ReadSource("methodologies/MN_AM003/v2.0.jcmm");
  EXPECT_EQ(event_.Find("mrv_methodology"), "MN_AM003@2.0");
  EXPECT_EQ(event_.Find("mrv_methodology_sha256"), core::Sha256Hex(definition));
  EXPECT_EQ(event_.Find("mrv_params_sha256"), core::Sha256Hex(params_));
  // Every file is stored (INV-31), the published report under the recorded SHA-256.
  const std::string recorded(event_.Find("mrv_calculation_sha256").value_or(""));
  for (const std::string& sha256 :
       {core::Sha256Hex(definition), core::Sha256Hex(params_), core::Sha256Hex(data_), recorded}) {
    auto stored = store_->GetDocument(sha256);
    ASSERT_TRUE(stored.ok());
    EXPECT_TRUE(stored->has_value()) << sha256;
  }
  auto r = RecomputeMonitoringReport(*store_, seq, json::MrvReportText, 2);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->identical()) << r->difference->message;
  EXPECT_EQ(r->recomputed_sha256, recorded);
  EXPECT_EQ(r->recomputed_tco2e, r->reported_tco2e);
  ASSERT_EQ(r->files.size(), 4u);
  EXPECT_EQ(r->files[0].name, "MN_AM003/v2.0.jcmm");
  EXPECT_EQ(r->files[2].name, "data-1.csv");
  EXPECT_EQ(r->files[3].role, "report");

  AuditOptions options;
  options.print_mrv_report = json::MrvReportText;
  auto audit = AuditAll(*store_, options);
  ASSERT_TRUE(audit.ok()) << audit.status().ToString();
  EXPECT_TRUE(audit->ok()) << audit->violations.front().message;
  EXPECT_EQ(audit->mrv_reports_recomputed, 1);
}

TEST_P(MrvEvidenceTest, AnAlteredEvidenceFileIsCheck230NamingIt) {
  const int64_t seq = SubmitWithEvidence();
  ASSERT_GT(seq, 0);
  DocumentSwap swapped(*store_, core::Sha256Hex(data_), data_ + "PV02,EG,2017-01-02,1,MWh\n");
  auto r = RecomputeMonitoringReport(swapped, seq, json::MrvReportText, 1);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_FALSE(r->identical());
  EXPECT_EQ(r->difference->check, 230);
  EXPECT_EQ(r->difference->name, "mrv_evidence_altered");
  EXPECT_NE(r->difference->message.find("data file data-1"), std::string::npos);
  EXPECT_TRUE(r->recomputed_sha256.empty());  // the engine never ran on altered evidence
}

// INV-30 holds only if the comparison is byte for byte: one changed digit is check 233 at its
// offset, line and column.
TEST_P(MrvEvidenceTest, AReportThatRecomputesDifferentlyNamesTheFirstDifferingByte) {
  const int64_t seq = SubmitWithEvidence();
  ASSERT_GT(seq, 0);
  auto r = RecomputeMonitoringReport(*store_, seq, AlteredText, 1);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_FALSE(r->identical());
  EXPECT_EQ(r->difference->check, 233);
  EXPECT_EQ(r->difference->name, "mrv_result_differs");
  auto recorded = store_->GetDocument(r->recorded_sha256);
  ASSERT_TRUE(recorded.ok() && recorded->has_value());
  const size_t expected = (*recorded)->find("\"emission_reductions_tco2e\":") + 28;
  EXPECT_EQ(r->difference_offset, static_cast<int64_t>(expected));
  EXPECT_EQ(r->difference_line, 1);
  EXPECT_EQ(r->difference_column, static_cast<int64_t>(expected) + 1);
  EXPECT_NE(r->recomputed_sha256, r->recorded_sha256);
}

TEST_P(MrvEvidenceTest, AMissingFileOrAReportWithoutEvidenceIsAnErrorNamingIt) {
  const int64_t seq = SubmitWithEvidence();
  ASSERT_GT(seq, 0);
  DocumentSwap missing(*store_, core::Sha256Hex(params_), std::nullopt);
  auto r = RecomputeMonitoringReport(missing, seq, json::MrvReportText, 1);
  EXPECT_THAT(r.status(), HasCode(core::StatusCode::kNotFound));
  EXPECT_NE(r.status().message().find("params.txt"), std::string::npos) << r.status().ToString();
  EXPECT_THAT(RecomputeMonitoringReport(*store_, 1, json::MrvReportText, 1).status(),
              HasCode(core::StatusCode::kNotFound));
  auto reports = MonitoringReportsWithEvidence(*store_);
  ASSERT_TRUE(reports.ok());
  EXPECT_EQ(*reports, std::vector<int64_t>{seq});
}

TEST_P(MrvEvidenceTest, AReportWithAFigureOnlyHasNothingToRecompute) {
  MonitoringReportRequest r;
  r.report = {"MN001", kPeriod, 10, Doc("monitoring_report"), "", {}, D("2017-09-01")};
  r.reported_given = true;
  r.by = "pp";
  r.today = D("2026-11-01");
  auto outcome = service_->SubmitMonitoringReport(r);
  ASSERT_TRUE(outcome.ok() && !IsRejected(*outcome));
  const int64_t seq = std::get<CycleEventResult>(*outcome).seq;
  EXPECT_THAT(RecomputeMonitoringReport(*store_, seq, json::MrvReportText, 1).status(),
              HasCode(core::StatusCode::kFailedPrecondition));
  EXPECT_TRUE(MonitoringReportsWithEvidence(*store_)->empty());
}

INSTANTIATE_TEST_SUITE_P(Stores, MrvEvidenceTest,
                         ::testing::Values(StoreKind::kMemory, StoreKind::kSqlite), StoreKindName);

}  // namespace
}  // namespace jcm::service
