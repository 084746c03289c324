#include "mrv/monitoring_csv.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "mrv/calculator.h"
#include "mrv/report_sheet.h"

namespace jcm::mrv {
namespace {

class MonitoringCsvTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* source = std::getenv("JCM_SOURCE_DIR");
    methodology_ = LoadMethodologyFile(std::string(source ? source : ".") +
                                       "/methodologies/MN_AM003_NETAUX/v1.0.jcmm")
                       .value();
    dir_ = std::filesystem::temp_directory_path() / ("jcm_mrv_csv_" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
    SetProject("");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // `extra`: [project] keys, then [point] sections; PV01 and PV02 are declared (calibrated for
  // all of 2023) unless `extra` declares them.
  void SetProject(const std::string& extra) {
    std::string points;
    for (std::string name : {"PV01", "PV02"}) {
      if (extra.find("[point " + name + "]") == std::string::npos) {
        points += "[point " + name + "]\ncalibration = 2023-01-01..2023-12-31\n";
      }
    }
    project_ = ParseProjectParams("[project]\nid = t\nperiods = 2023-01-01..2023-01-02\n" + extra +
                                      points + "[values]\ncaptive = 0\n",
                                  "p")
                   .value();
  }
  std::string Write(const std::string& text) {
    const std::string path = (dir_ / ("f" + std::to_string(++files_) + ".csv")).string();
    std::ofstream(path) << text;
    return path;
  }
  core::Result<MonitoringData> Ingest(const std::string& text) {
    const std::vector<std::string> paths{Write(text)};
    return IngestMonitoringCsv(paths, methodology_, project_, project_.periods, IngestOptions{});
  }
  std::string ErrorOf(const std::string& text) {
    auto data = Ingest(text);
    if (data.ok()) return "";
    const std::string& message = data.status().message();
    return message.substr(message.find(".csv:") + 5);  // LINE:COLUMN: message
  }

  Methodology methodology_;
  ProjectParams project_;
  std::filesystem::path dir_;
  int files_ = 0;
};

constexpr const char* kLong = "point,parameter,timestamp,value,unit\n";

TEST_F(MonitoringCsvTest, BadInputNamesLineAndColumn) {
  EXPECT_EQ(
      ErrorOf(std::string(kLong) + "PV01,EG,2023-01-01,1,MWh\nPV01,EG,2023-01-01,1.2.3,MWh\n"),
      "3:20: not a decimal number");
  EXPECT_EQ(ErrorOf(std::string(kLong) + "PV01,EG,2023-02-30,1,MWh\n"), "2:9: bad timestamp");
  EXPECT_EQ(ErrorOf(std::string(kLong) + "PV01,EG,2023-01-01,1,kg\n"),
            "2:6: unit mismatch: kg does not measure MWh (parameter EG)");
  EXPECT_EQ(
      ErrorOf(std::string(kLong) + "PV01,XX,2023-01-01,1,MWh\n"),
      "2:6: \"XX\" is not a monitored parameter of MN_AM003_NETAUX@1.0 (monitored: EG EG_aux)");
  EXPECT_EQ(ErrorOf(std::string(kLong) + "PV01,EG,2023-01-01,1\n"),
            "2:1: row has 4 fields, header has 5");
  EXPECT_EQ(ErrorOf("timestamp,PV01:EG[kWh]\n2023-01-01T00:00,12x\n"),
            "2:18: not a decimal number");
  EXPECT_EQ(ErrorOf("timestamp,PV01-EG\n"),
            "1:11: wide column must be POINT:PARAMETER[UNIT], got \"PV01-EG\"");
  EXPECT_EQ(ErrorOf("point,parameter,period,value,unit\nPV01,EG,2022-12-30..2023-01-01,1,MWh\n"),
            "2:9: reading period 2022-12-30..2023-01-01 straddles a monitoring period boundary");
}

std::vector<std::string> Codes(const MonitoringData& data) {
  std::vector<std::string> codes;
  for (const Finding& f : data.findings) codes.push_back(f.code + ":" + std::to_string(f.count));
  return codes;
}

TEST_F(MonitoringCsvTest, DataQualityIsReportedAndTreatedConservatively) {
  SetProject(
      "interval_minutes = 720\nreported = 2022-12-01..2022-12-31\n"
      "[point PV02]\ncalibration = 2023-01-02..2023-12-31\n");
  auto data = Ingest(std::string(kLong) +
                     "PV01,EG,2023-01-01T00:00,10,MWh\n"
                     "PV01,EG,2023-01-01T06:00,-4,MWh\n"     // same 12 h slot: duplicate, < 0
                     "PV01,EG_aux,2023-01-01T00:00,2,MWh\n"  // PE side with 3 of 4 slots missing
                     "PV02,EG,2023-01-01T00:00,7,MWh\n"      // before calibration: dropped (RE)
                     "PV02,EG,2023-01-02T00:00,5,MWh\n"
                     "PV01,EG,2022-12-31T00:00,99,MWh\n");  // inside an earlier report
  ASSERT_TRUE(data.ok()) << data.status().message();
  // 10 and -4 (-> 0) share a 12 h interval: the lower, 0, is kept (reference side).
  EXPECT_EQ(data->Find(0, "PV01", "EG")->total, Rational::FromInt(0));
  EXPECT_EQ(data->Find(0, "PV01", "EG_aux")->total, Rational::FromInt(8));  // 2 + 3 × 2
  EXPECT_EQ(data->Find(0, "PV02", "EG")->total, Rational::FromInt(5));
  const std::vector<std::string> codes = Codes(*data);
  for (const char* expected : {"out_of_range:1", "duplicate:1", "gap:3", "uncalibrated:1",
                               "overlap_earlier_report:1", "outside_periods:1"}) {
    EXPECT_NE(std::find(codes.begin(), codes.end(), expected), codes.end()) << expected;
  }
}

TEST_F(MonitoringCsvTest, DuplicatesKeepTheConservativeReadingWhateverTheOrder) {
  SetProject("interval_minutes = 60\n");
  const std::string rows[] = {"PV01,EG,2023-01-01T10:00,10,MWh",
                              "PV01,EG,2023-01-01T10:30,7000,kWh", "PV01,EG,2023-01-01T11:00,1,MWh",
                              "PV01,EG_aux,2023-01-01T10:00,2,MWh",
                              "PV01,EG_aux,2023-01-01T10:15,3,MWh"};
  for (std::string_view order : {"01234", "43210", "24130"}) {
    std::string text = kLong;
    for (char i : order) text += rows[i - '0'] + "\n";
    auto data = Ingest(text);
    ASSERT_TRUE(data.ok()) << data.status().message();
    EXPECT_EQ(data->Find(0, "PV01", "EG")->total, Rational::FromInt(8));  // 7 of {10, 7} + 1
    // 3 of {2, 3}, plus the 47 other hours of the two days filled with the highest reading, 3.
    EXPECT_EQ(data->Find(0, "PV01", "EG_aux")->total, Rational::FromInt(3 + 47 * 3));
    const std::vector<std::string> codes = Codes(*data);
    EXPECT_NE(std::find(codes.begin(), codes.end(), "duplicate:1"), codes.end());
  }
}

// Issue 8 item 1: a point name holding the byte 0x1F with two readings in one interval used to
// crash the duplicate pass (it joined point and parameter with 0x1F and split them again).
TEST_F(MonitoringCsvTest, ControlCharactersInNamesAreRefusedWithTheirPosition) {
  SetProject("interval_minutes = 1440\n");
  EXPECT_EQ(ErrorOf(std::string(kLong) + "PV\x1f"
                                         "01,EG,2023-01-01T00:00,1,MWh\nPV\x1f"
                                         "01,EG,2023-01-01T06:00,2,MWh\n"),
            "2:1: control character 0x1F at byte 3 of the point name (control characters are "
            "not allowed in names)");
  EXPECT_EQ(ErrorOf(std::string(kLong) + "PV01,EG,2023-01-01,1,MWh\nPV\t01,EG,2023-01-01,1,MWh\n"),
            "3:1: control character 0x09 at byte 3 of the point name (control characters are "
            "not allowed in names)");
  EXPECT_EQ(ErrorOf(std::string(kLong) + "PV01,E\x7fG,2023-01-01,1,MWh\n"),
            "2:6: control character 0x7F at byte 2 of the parameter name (control characters "
            "are not allowed in names)");
  EXPECT_EQ(ErrorOf("timestamp,PV01:EG[kWh],P\x01:EG[kWh]\n2023-01-01T00:00,1,2\n"),
            "1:24: control character 0x01 at byte 2 of the point name (control characters are "
            "not allowed in names)");
  auto params = ParseProjectParams(
      "[project]\nid = t\n[point PV\x1f"
      "01]\n",
      "p");
  ASSERT_FALSE(params.ok());
  EXPECT_EQ(params.status().message(),
            "p:3:1: control character 0x1F at byte 3 of the point name (control characters are "
            "not allowed in names)");
}

// Issue 8 item 5: readings of a meter the parameter file does not declare were credited with
// no calibration check, so renaming a meter escaped the uncalibrated-meter treatment.
TEST_F(MonitoringCsvTest, UndeclaredPointsAreErrorsAndUncalibratedOnesAreFlagged) {
  EXPECT_EQ(ErrorOf(std::string(kLong) + "PV01,EG,2023-01-01,1,MWh\nPV01b,EG,2023-01-01,1,MWh\n"),
            "3:1: monitoring point \"PV01b\" is not declared in the parameter file p: add "
            "[point PV01b] with calibration = START..END (declared: PV01 PV02)");
  EXPECT_EQ(ErrorOf("timestamp,PV01:EG[kWh],PV09:EG[kWh]\n"),
            "1:24: monitoring point \"PV09\" is not declared in the parameter file p: add "
            "[point PV09] with calibration = START..END (declared: PV01 PV02)");
  // PV02 declared without calibration: credited, and flagged once per period and parameter.
  SetProject("[point PV02]\n");
  auto data = Ingest(std::string(kLong) +
                     "PV01,EG,2023-01-01,1,MWh\nPV02,EG,2023-01-01,2,MWh\n"
                     "PV02,EG,2023-01-02,3,MWh\n");
  ASSERT_TRUE(data.ok()) << data.status().message();
  EXPECT_EQ(data->Find(0, "PV02", "EG")->total, Rational::FromInt(5));
  EXPECT_EQ(Codes(*data),
            (std::vector<std::string>{"calibration_not_declared:2", "interval_not_declared:0"}));
  EXPECT_EQ(data->findings[0].point, "PV02");
  EXPECT_EQ(data->findings[0].severity, Severity::kWarning);
}

// Issue 8 item 14: validation gaps of the CSV header.
TEST_F(MonitoringCsvTest, DuplicateHeaderColumnsAreErrorsAndAByteOrderMarkIsSkipped) {
  EXPECT_EQ(ErrorOf("point,parameter,timestamp,value,unit,value\nPV01,EG,2023-01-01,1,MWh,2\n"),
            "1:38: duplicate column \"value\" (first is field 4)");
  EXPECT_EQ(ErrorOf("point,parameter,timestamp,value,Unit,UNIT\n"),
            "1:38: duplicate column \"unit\" (first is field 5)");
  for (const std::string& text :
       {std::string("\xEF\xBB\xBF") + kLong + "PV01,EG,2023-01-01,1.5,MWh\n",
        std::string("\xEF\xBB\xBFtimestamp,PV01:EG[MWh]\n2023-01-01T00:00,1.5\n")}) {
    auto data = Ingest(text);
    ASSERT_TRUE(data.ok()) << data.status().message();
    EXPECT_EQ(data->Find(0, "PV01", "EG")->total, *Rational::Parse("1.5"));
  }
}

// Issue 8 item 14: a sum that passed 128 bits when the workers' or the files' sums were merged
// was an error without a line ("FILE: a series sum exceeds 128 bits", exit 1).
TEST_F(MonitoringCsvTest, SumOverflowNamesTheLineOrTheSeries) {
  auto rows = [](int count) {
    std::string text = kLong;
    for (int i = 0; i < count; ++i) {
      text += "PV01,EG,2023-01-01T00:00,900000000000000000000000000000000000,MWh\n";
    }
    return text;
  };
  IngestOptions two_workers;
  two_workers.threads = 2;
  two_workers.bytes_per_thread_min = 64;
  // 190 × 9·10^35 > 2^127: the 190th reading (line 191) overflows, whichever worker read it.
  const std::vector<std::string> one{Write(rows(200))};
  auto data = IngestMonitoringCsv(one, methodology_, project_, project_.periods, two_workers);
  EXPECT_EQ(data.status().code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(data.status().message(), one[0] + ":191:26: sum exceeds 128 bits");
  // 100 readings per file: each file alone is fine, together they overflow.
  const std::vector<std::string> two{Write(rows(100)), Write(rows(100))};
  data = IngestMonitoringCsv(two, methodology_, project_, project_.periods, IngestOptions{});
  EXPECT_EQ(data.status().code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(data.status().message(),
            two[1] +
                ": the sum of EG at PV01 over this and the earlier --data files exceeds 128 bits "
                "(about 1.7e38 at the sum's decimal scale)");
}

TEST_F(MonitoringCsvTest, PeriodReadingsAreNotCheckedForIntervalGaps) {
  SetProject("interval_minutes = 15\n");
  auto data = Ingest(
      "point,parameter,period,value,unit\nPV01,EG_aux,2023-01-01..2023-01-02,3,MWh\n"
      "PV01,EG,2023-01-01..2023-01-01,10,MWh\nPV01,EG,2023-01-02..2023-01-02,12,MWh\n");
  ASSERT_TRUE(data.ok()) << data.status().message();
  EXPECT_EQ(data->Find(0, "PV01", "EG_aux")->total, Rational::FromInt(3));
  EXPECT_EQ(data->Find(0, "PV01", "EG")->total, Rational::FromInt(22));
  for (const Finding& f : data->findings) EXPECT_NE(f.code, "gap");
}

// Issue 14 §2: gap filling on the project-emission side multiplies the highest reading by the
// missing intervals; a reading covering a whole period (an invoice, 500 MWh) is a total, not
// an interval reading, and must never be that multiplier. Two intervals of 2 days × 12 h are
// read (2 and 3 MWh), two are missing: filled with 3, not with 500.
TEST_F(MonitoringCsvTest, GapFillingNeverMultipliesAReadingThatCoversAPeriod) {
  SetProject("interval_minutes = 720\n");
  const std::string intervals = Write(std::string(kLong) +
                                      "PV01,EG_aux,2023-01-01T00:00,2,MWh\n"
                                      "PV01,EG_aux,2023-01-02T00:00,3,MWh\n");
  const std::string invoice =
      Write("point,parameter,period,value,unit\nPV01,EG_aux,2023-01-01..2023-01-02,500,MWh\n");
  for (const auto& paths : {std::vector<std::string>{intervals, invoice},
                            std::vector<std::string>{invoice, intervals}}) {
    auto data = IngestMonitoringCsv(paths, methodology_, project_, project_.periods, {});
    ASSERT_TRUE(data.ok()) << data.status().message();
    EXPECT_EQ(data->Find(0, "PV01", "EG_aux")->total, Rational::FromInt(2 + 3 + 500 + 2 * 3));
    const std::vector<std::string> codes = Codes(*data);
    EXPECT_NE(std::find(codes.begin(), codes.end(), "gap:2"), codes.end());
  }
}

TEST_F(MonitoringCsvTest, ReportSheetRoundTripsThroughCsvAndXlsx) {
  auto data = Ingest(std::string(kLong) +
                     "PV01,EG,2023-01-01,1234.5678,MWh\nPV01,EG_aux,2023-01-02,1.25,MWh\n"
                     "PV02,EG,2023-01-01,100000,kWh\n");
  ASSERT_TRUE(data.ok());
  auto report = Calculate(methodology_, project_, *data);
  ASSERT_TRUE(report.ok());
  for (const std::string name : {"sheet.csv", "sheet.xlsx"}) {
    SCOPED_TRACE(name);
    const std::string path = (dir_ / name).string();
    const core::Status written = name.ends_with(".xlsx")
                                     ? WriteReportSheetXlsx(path, methodology_, *report)
                                     : WriteReportSheetCsv(path, methodology_, *report);
    ASSERT_TRUE(written.ok()) << written.message();
    EXPECT_TRUE(IsReportSheetFile(path));
    MonitoringData back;
    back.periods = project_.periods;
    const core::Status read = AddReportSheet(path, methodology_, project_.periods, &back);
    ASSERT_TRUE(read.ok()) << read.message();
    auto again = Calculate(methodology_, project_, back);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->periods[0].er_tco2e, report->periods[0].er_tco2e);
    EXPECT_EQ(back.Find(0, "PV01", "EG")->total, *Rational::Parse("1234.5678"));
  }
}

}  // namespace
}  // namespace jcm::mrv

namespace jcm::mrv {
namespace {

// A file that shrinks (pages past its new end were mapped), grows or is rewritten while it
// is read: a data_loss error naming it, never a crash (SIGBUS) or a result from part of it.
class ChangedWhileReadTest : public MonitoringCsvTest {
 protected:
  core::Status IngestChanging(const std::function<void(const std::string&)>& change) {
    std::string text = "point,parameter,timestamp,value,unit\n";
    for (int i = 0; i < 40'000; ++i) {  // ~1.5 MB: several pages and two workers
      text += "PV01,EG,2023-01-01T00:00," + std::to_string(i % 997) + ".125,kWh\n";
    }
    const std::vector<std::string> paths{Write(text)};
    IngestOptions options;
    options.threads = 2;
    options.before_read_for_test = change;
    return IngestMonitoringCsv(paths, methodology_, project_, project_.periods, options).status();
  }
};

TEST_F(ChangedWhileReadTest, ShrinkingGrowingAndRewrittenFilesAreErrorsNamingThem) {
  core::Status status = IngestChanging([](const std::string& path) {
    std::filesystem::resize_file(path, 4096);  // the mapping still covers ~1.5 MB
  });
  EXPECT_EQ(status.code(), core::StatusCode::kDataLoss);
  EXPECT_NE(status.message().find(".csv: the file changed while it was read ("), std::string::npos)
      << status.message();
  EXPECT_NE(status.message().find("4096 now"), std::string::npos) << status.message();

  status = IngestChanging([](const std::string& path) {
    std::ofstream(path, std::ios::app) << "PV01,EG,2023-01-01T00:00,1.0,kWh\n";
  });
  EXPECT_EQ(status.code(), core::StatusCode::kDataLoss) << status.message();

  status = IngestChanging([](const std::string& path) {  // same size, new modification time
    std::fstream file(path, std::ios::in | std::ios::out);
    file.seekp(60);
    file << '7';
    file.close();
    const auto later = std::filesystem::last_write_time(path) + std::chrono::seconds(5);
    std::filesystem::last_write_time(path, later);
  });
  EXPECT_EQ(status.code(), core::StatusCode::kDataLoss) << status.message();
  // Unchanged: no error.
  EXPECT_TRUE(IngestChanging([](const std::string&) {}).ok());
}

// Findings of treated readings carry the file and line of the first reading concerned.
TEST_F(MonitoringCsvTest, TreatmentFindingsCarryFileAndLine) {
  const std::vector<std::string> paths{
      Write("point,parameter,timestamp,value,unit\n"
            "PV01,EG,2023-01-01T00:00,1.5,kWh\n"
            "PV01,EG,2023-01-01T01:00,2.5,kWh\n"
            "PV01,EG,2023-01-01T02:00,-3.0,kWh\n"
            "PV01,EG,2023-01-01T03:00,-4.0,kWh\n")};
  auto data = IngestMonitoringCsv(paths, methodology_, project_, project_.periods, {});
  ASSERT_TRUE(data.ok()) << data.status().message();
  const Finding* out_of_range = nullptr;
  for (const Finding& f : data->findings) {
    if (f.code == "out_of_range") out_of_range = &f;
  }
  ASSERT_NE(out_of_range, nullptr);
  EXPECT_EQ(out_of_range->count, 2);
  EXPECT_EQ(out_of_range->location.file, paths[0]);
  EXPECT_EQ(out_of_range->location.line, 4);
}

}  // namespace
}  // namespace jcm::mrv
