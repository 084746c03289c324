#include "cli/mrv/mrv_command.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>
#include <sstream>

namespace jcm::cli {
namespace {

struct Outcome {
  int code;
  std::string out, err;
};

Outcome Mrv(std::vector<std::string_view> args) {
  std::ostringstream out, err;
  const int code = RunMrvCommand(args, out, err);
  return {code, out.str(), err.str()};
}

TEST(MrvCommandTest, ListsTheFourTechnologies) {
  const Outcome o = Mrv({"methodologies", "--json"});
  ASSERT_EQ(o.code, 0) << o.err;
  const boost::json::array list = boost::json::parse(o.out).as_array();
  std::set<std::string> technologies;
  for (const auto& item : list) technologies.insert(std::string(item.at("technology").as_string()));
  EXPECT_EQ(technologies, (std::set<std::string>{"chiller", "solar_pv", "transformer", "waste_to_energy"}));
}

TEST(MrvCommandTest, UsageErrorsExitWithTwo) {
  EXPECT_EQ(Mrv({}).code, 2);
  EXPECT_EQ(Mrv({"frobnicate"}).code, 2);
  EXPECT_EQ(Mrv({"calc", "--nope"}).code, 2);
  EXPECT_EQ(Mrv({"calc", "--params"}).code, 2);
}

TEST(MrvCommandTest, UnknownMethodologyIsAnOperatingError) {
  const Outcome o = Mrv({"show", "XX_AM999"});
  EXPECT_EQ(o.code, 1);
  EXPECT_NE(o.err.find("not installed"), std::string::npos);
}

TEST(MrvCommandTest, ShowPrintsEquationsWithTags) {
  const Outcome o = Mrv({"show", "MN_AM003@2.0"});
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_NE(o.out.find("MN_AM003 v2.0 Eq.1"), std::string::npos);
  EXPECT_NE(o.out.find("0.797"), std::string::npos);
}

}  // namespace
}  // namespace jcm::cli
