// Property tests of ingest + calculation (seeded, deterministic): permuting rows, splitting
// files, writing kWh instead of MWh, the thread count and the layout (long or wide) leave the
// report unchanged; scaling every monitored energy by k scales RE and PE by k.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "mrv/calculator.h"
#include "mrv/keyed_text.h"
#include "mrv/monitoring_csv.h"

namespace jcm::mrv {
namespace {

class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed * 0x9E3779B97F4A7C15ull + 1) {}
  uint64_t Next() {
    state_ ^= state_ << 13;
    state_ ^= state_ >> 7;
    state_ ^= state_ << 17;
    return state_;
  }
  int64_t Below(int64_t n) { return static_cast<int64_t>(Next() % static_cast<uint64_t>(n)); }

 private:
  uint64_t state_;
};

struct Reading {
  std::string point, parameter;
  int64_t hour = 0;      // hours since 2023-01-01T00:00
  int64_t value_wh = 0;  // exact value in Wh (may be negative: out of range)
};

std::string Timestamp(int64_t hour) {
  const int64_t day = hour / 24;
  const int month = day < 31 ? 1 : 2;
  const int64_t dom = month == 1 ? day + 1 : day - 30;
  char text[64];
  std::snprintf(text, sizeof text, "2023-%02d-%02lldT%02lld:00", month, static_cast<long long>(dom),
                static_cast<long long>(hour % 24));
  return text;
}

// Exact decimal text of value_wh / 10^digits.
std::string Scaled(int64_t value_wh, int digits) {
  const bool negative = value_wh < 0;
  std::string magnitude = std::to_string(negative ? -value_wh : value_wh);
  if (magnitude.size() <= static_cast<size_t>(digits)) {
    magnitude.insert(0, static_cast<size_t>(digits) + 1 - magnitude.size(), '0');
  }
  magnitude.insert(magnitude.size() - static_cast<size_t>(digits), ".");
  return (negative ? "-" : "") + magnitude;
}

std::string Row(const Reading& r, bool kwh) {
  return r.point + "," + r.parameter + "," + Timestamp(r.hour) + "," +
         (kwh ? Scaled(r.value_wh, 3) + ",kWh" : Scaled(r.value_wh, 6) + ",MWh");
}

std::vector<Reading> Generate(uint64_t seed, int64_t scale_k = 1) {
  Random random(seed);
  std::vector<Reading> readings;
  for (const char* point : {"PV01", "PV02", "PV03"}) {
    for (const char* parameter : {"EG", "EG_aux"}) {
      std::set<int64_t> hours;
      const int64_t count = 20 + random.Below(200);
      while (static_cast<int64_t>(hours.size()) < count) hours.insert(random.Below(59 * 24));
      for (int64_t hour : hours) {
        int64_t value = random.Below(5'000'000);
        if (random.Below(40) == 0) value = -value;  // out of range (EG, EG_aux >= 0)
        readings.push_back({point, parameter, hour, value * scale_k});
        // Now and then a second, different reading of the same hour (a duplicate).
        if (random.Below(25) == 0)
          readings.push_back({point, parameter, hour, random.Below(5'000'000) * scale_k});
      }
    }
  }
  return readings;
}

class IngestPropertyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* source = std::getenv("JCM_SOURCE_DIR");
    auto m = LoadMethodologyFile(std::string(source ? source : ".") +
                                 "/methodologies/MN_AM003_NETAUX/v1.0.jcmm");
    ASSERT_TRUE(m.ok()) << m.status().message();
    methodology_ = std::move(m).value();
    // Every meter declared: PV02 without calibration (flagged), PV03 calibrated for part of the
    // periods (checked per reading), the others for all of them (no check needed).
    std::string params =
        "[project]\nid = prop\ninterval_minutes = 60\n[values]\ncaptive = 0\n"
        "[point PV02]\n[point PV03]\ncalibration = 2023-01-10..2023-02-20\ncaptive = 1\n";
    for (int i = 1; i <= 30; ++i) {
      if (i == 2 || i == 3) continue;
      params += "[point PV" + std::string(i < 10 ? "0" : "") + std::to_string(i) +
                "]\ncalibration = 2022-06-01..2024-12-31\n";
    }
    auto p = ParseProjectParams(params, "params");
    ASSERT_TRUE(p.ok()) << p.status().message();
    project_ = std::move(p).value();
    periods_ = *ParsePeriodList("2023-01-01..2023-01-31, 2023-02-01..2023-02-28");
    dir_ = std::filesystem::temp_directory_path() / ("jcm_mrv_prop_" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, const std::vector<std::string>& rows,
                    const std::string& header = "point,parameter,timestamp,value,unit") {
    const std::string path = (dir_ / name).string();
    std::ofstream out(path);
    out << header << "\n";
    for (const std::string& row : rows) out << row << "\n";
    return path;
  }

  // The report as one canonical string: every exact value, rounded ER and finding.
  std::string Run(const std::vector<std::string>& paths, int threads) {
    IngestOptions options;
    options.threads = threads;
    options.bytes_per_thread_min = 64;
    auto data = IngestMonitoringCsv(paths, methodology_, project_, periods_, options);
    EXPECT_TRUE(data.ok()) << data.status().message();
    if (!data.ok()) return "error";
    auto report = Calculate(methodology_, project_, *data);
    EXPECT_TRUE(report.ok()) << report.status().message();
    std::string text;
    for (const PeriodResult& p : report->periods) {
      text += p.period.ToString() + " RE=" + p.re_tco2e.ToFractionString() +
              " PE=" + p.pe_tco2e.ToFractionString() + " ER=" + std::to_string(p.er_rounded_tco2e) +
              "\n";
      for (const PointResult& point : p.points) {
        text += "  " + point.point + " " + point.er_tco2e.ToFractionString() + "\n";
      }
    }
    std::vector<std::string> findings;
    for (const Finding& f : report->findings) {
      findings.push_back(f.code + " " + f.period + " " + f.point + " " + f.parameter + " " +
                         std::to_string(f.count));
    }
    std::sort(findings.begin(), findings.end());
    for (const std::string& f : findings) text += f + "\n";
    return text;
  }

  Methodology methodology_;
  ProjectParams project_;
  std::vector<core::Period> periods_;
  std::filesystem::path dir_;
};

TEST_F(IngestPropertyTest, ResultIsIndependentOfOrderSplittingUnitsAndThreads) {
  for (uint64_t seed = 1; seed <= 12; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::vector<Reading> readings = Generate(seed);
    std::vector<std::string> rows;
    for (const Reading& r : readings) rows.push_back(Row(r, false));
    const std::string expected = Run({Write("base.csv", rows)}, 1);
    ASSERT_NE(expected.find("out_of_range"), std::string::npos);  // the checks are exercised
    ASSERT_NE(expected.find("duplicate"), std::string::npos);

    Random random(seed + 1000);
    std::vector<std::string> shuffled = rows;
    for (size_t i = shuffled.size() - 1; i > 0; --i) {
      std::swap(shuffled[i],
                shuffled[static_cast<size_t>(random.Below(static_cast<int64_t>(i + 1)))]);
    }
    EXPECT_EQ(Run({Write("shuffled.csv", shuffled)}, 1), expected) << "row order";
    EXPECT_EQ(Run({Write("shuffled.csv", shuffled)}, 2), expected) << "2 threads";
    EXPECT_EQ(Run({Write("shuffled.csv", shuffled)}, 7), expected) << "7 threads";

    std::vector<std::string> parts[3];
    for (size_t i = 0; i < shuffled.size(); ++i) parts[random.Below(3)].push_back(shuffled[i]);
    EXPECT_EQ(
        Run({Write("a.csv", parts[0]), Write("b.csv", parts[1]), Write("c.csv", parts[2])}, 2),
        expected)
        << "split into three files";

    std::vector<std::string> mixed_units;
    for (const Reading& r : readings) mixed_units.push_back(Row(r, random.Below(2) == 0));
    EXPECT_EQ(Run({Write("units.csv", mixed_units)}, 1), expected) << "kWh instead of MWh";
  }
}

TEST_F(IngestPropertyTest, ScalingMonitoredEnergyByKScalesReAndPe) {
  for (uint64_t seed = 1; seed <= 6; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    for (int64_t k : {2, 7}) {
      std::vector<std::string> base_rows, scaled_rows;
      for (const Reading& r : Generate(seed)) {
        if (r.value_wh < 0) continue;  // out-of-range replacement by 0 is not linear in k
        base_rows.push_back(Row(r, false));
        Reading scaled = r;
        scaled.value_wh *= k;
        scaled_rows.push_back(Row(scaled, false));
      }
      // Without the gap filling of PE-side series (max × missing is linear too, but keep the
      // property simple): a project file without interval_minutes.
      project_.interval_minutes = 0;
      IngestOptions options;
      const std::vector<std::string> base_paths{Write("base.csv", base_rows)};
      const std::vector<std::string> scaled_paths{Write("scaled.csv", scaled_rows)};
      auto base = IngestMonitoringCsv(base_paths, methodology_, project_, periods_, options);
      auto scaled = IngestMonitoringCsv(scaled_paths, methodology_, project_, periods_, options);
      ASSERT_TRUE(base.ok() && scaled.ok());
      auto base_report = Calculate(methodology_, project_, *base);
      auto scaled_report = Calculate(methodology_, project_, *scaled);
      ASSERT_TRUE(base_report.ok() && scaled_report.ok());
      for (size_t p = 0; p < periods_.size(); ++p) {
        const Rational factor = Rational::FromInt(k);
        EXPECT_EQ(scaled_report->periods[p].re_tco2e, base_report->periods[p].re_tco2e * factor);
        EXPECT_EQ(scaled_report->periods[p].pe_tco2e, base_report->periods[p].pe_tco2e * factor);
      }
    }
  }
}

TEST_F(IngestPropertyTest, WideAndLongLayoutsAgree) {
  std::vector<std::string> long_rows, wide_rows;
  for (int64_t hour = 0; hour < 59 * 24; ++hour) {
    const std::string a = Scaled(hour * 37 % 5000, 3), b = Scaled(hour * 11 % 900, 3);
    long_rows.push_back("PV01,EG," + Timestamp(hour) + "," + a + ",kWh");
    long_rows.push_back("PV02,EG," + Timestamp(hour) + "," + b + ",kWh");
    wide_rows.push_back(Timestamp(hour) + "," + a + "," + b);
  }
  const std::string expected = Run({Write("long.csv", long_rows)}, 1);
  EXPECT_EQ(Run({Write("wide.csv", wide_rows, "timestamp,PV01:EG[kWh],PV02:EG[kWh]")}, 1),
            expected);
  EXPECT_EQ(Run({Write("wide.csv", wide_rows, "timestamp,PV01:EG[kWh],PV02:EG[kWh]")}, 3),
            expected);
}

// Rows longer than the 64-byte blocks of the wide fast path, with every shape of field mixed
// in (other scales, long, negative, leading zeros, signs): the same totals as the long form.
TEST_F(IngestPropertyTest, LongWideRowsWithMixedFieldsAgreeWithLongLayout) {
  Random random(42);
  std::vector<std::string> long_rows, wide_rows;
  std::string header = "timestamp";
  const int points = 30;
  for (int i = 1; i <= points; ++i)
    header += ",PV" + std::string(i < 10 ? "0" : "") + std::to_string(i) + ":EG[kWh]";
  for (int64_t hour = 0; hour < 59 * 24; ++hour) {
    std::string wide = Timestamp(hour);
    for (int i = 1; i <= points; ++i) {
      const int64_t wh = random.Below(i % 7 == 0 ? 100'000'000 : 50'000);
      std::string value = Scaled(wh, 3);  // kWh with 3 decimals: the common shape
      switch (random.Below(40)) {
        case 0:  // 6 decimals
          value = Scaled(wh * 1000, 6);
          break;
        case 1:  // 2 decimals
          value = Scaled(wh / 10, 2);
          break;
        case 2:  // 19+ digits
          value = "000000000000000000" + Scaled(wh, 3);
          break;
        case 3:
          value = "+" + value;
          break;
        case 4:  // below the minimum
          value = Scaled(-wh, 3);
          break;
        case 5:  // integer
          value = std::to_string(wh / 1000);
          break;
        case 6:
          value = "0" + value;
          break;
        default:
          break;
      }
      wide += "," + value;
      const std::string point = "PV" + std::string(i < 10 ? "0" : "") + std::to_string(i);
      long_rows.push_back(point + ",EG," + Timestamp(hour) + "," + value + ",kWh");
    }
    wide_rows.push_back(wide);
  }
  const std::string expected = Run({Write("long.csv", long_rows)}, 1);
  EXPECT_EQ(Run({Write("wide.csv", wide_rows, header)}, 1), expected);
  EXPECT_EQ(Run({Write("wide.csv", wide_rows, header)}, 3), expected);
}

// The long-form fast path (ingest_long.h) against the general per-line parser: a quote
// anywhere in a line sends it to the general parser, so the file with every field quoted is
// the oracle. The same readings unquoted in the canonical column order (the template path,
// with CRLF endings, a space before the time, empty lines and lines of other series mixed
// in), in another column order (the per-field path), and in half-quoted files must give the
// same report whatever the thread count.
TEST_F(IngestPropertyTest, LongFormFastPathAgreesWithTheGeneralParser) {
  auto quoted = [](const std::vector<std::string>& fields) {
    std::string line;
    for (const std::string& f : fields) line += (line.empty() ? "\"" : ",\"") + f + "\"";
    return line;
  };
  for (uint64_t seed = 1; seed <= 8; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    Random random(seed + 77);
    std::vector<std::string> oracle, canonical, reordered, half;
    for (const Reading& r : Generate(seed)) {
      std::string stamp = Timestamp(r.hour);
      if (random.Below(5) == 0) stamp[10] = ' ';
      const std::string value = Scaled(r.value_wh, 3);
      oracle.push_back(quoted({r.point, r.parameter, stamp, value, "kWh"}));
      const std::string plain = r.point + "," + r.parameter + "," + stamp + "," + value + ",kWh";
      canonical.push_back(plain + (random.Below(4) == 0 ? "\r" : ""));
      if (random.Below(30) == 0) canonical.push_back("");
      reordered.push_back("kWh," + value + "," + stamp + "," + r.parameter + "," + r.point);
      half.push_back(random.Below(2) == 0 ? plain : oracle.back());
    }
    // Readings dated outside the periods and inside no series yet: general parser.
    canonical.push_back("PV01,EG,2023-03-05T00:00,1.000,kWh");
    reordered.push_back("kWh,1.000,2023-03-05T00:00,EG,PV01");
    half.push_back(canonical.back());
    oracle.push_back(quoted({"PV01", "EG", "2023-03-05T00:00", "1.000", "kWh"}));
    const std::string expected = Run({Write("oracle.csv", oracle)}, 1);
    ASSERT_NE(expected.find("duplicate"), std::string::npos);
    for (int threads : {1, 2, 7}) {
      SCOPED_TRACE(std::to_string(threads) + " threads");
      EXPECT_EQ(Run({Write("canonical.csv", canonical)}, threads), expected);
      EXPECT_EQ(
          Run({Write("reordered.csv", reordered, "unit,value,timestamp,parameter,point")}, threads),
          expected);
      EXPECT_EQ(Run({Write("half.csv", half)}, threads), expected);
    }
  }
}

// An error among fast-path lines is reported at the same line and column as before.
TEST_F(IngestPropertyTest, LongFormErrorsKeepTheirPosition) {
  std::vector<std::string> rows;
  for (int64_t hour = 0; hour < 400; ++hour) {
    rows.push_back("PV01,EG," + Timestamp(hour) + "," + Scaled(hour * 37 % 5000, 3) + ",kWh");
  }
  rows[300] = "PV01,EG," + Timestamp(300) + ",12.x45,kWh";
  IngestOptions options;
  options.threads = 2;
  options.bytes_per_thread_min = 64;
  const std::vector<std::string> paths{Write("bad.csv", rows)};
  auto data = IngestMonitoringCsv(paths, methodology_, project_, periods_, options);
  EXPECT_EQ(data.status().message(), paths[0] + ":302:26: not a decimal number");
  rows[300] = "PV99,EG," + Timestamp(300) + ",12.345,kWh";
  const std::vector<std::string> undeclared{Write("undeclared.csv", rows)};
  data = IngestMonitoringCsv(undeclared, methodology_, project_, periods_, options);
  EXPECT_TRUE(data.status().message().starts_with(undeclared[0] + ":302:1: monitoring point"))
      << data.status().message();
}

}  // namespace
}  // namespace jcm::mrv
