// The AEF's cell validation (check 646 names table, row and field) and the book of frozen
// holdings and submitted versions.
#include "article6/aef.h"

#include <gtest/gtest.h>

namespace jcm::article6 {
namespace {

std::vector<std::string> ValidAction() {
  return {"2026-11-01T00:00:07.000Z",
          "First transfer",
          "First transfer to another Party",
          "CA0004",
          "A1",
          "MNG",
          "JPN01",
          "1",
          "400",
          "JCM",
          "101",
          "500",
          "GHG",
          "AR5 GWP100",
          "NA",
          "400",
          "NA",
          "Emission reductions",
          "2019",
          "NA",
          "JPN",
          "NA",
          "NA",
          "NA",
          "NA",
          "",
          "NA"};
}

std::optional<Rejection> ValidateActions(std::vector<std::string> row) {
  std::vector<AefTable> tables = EmptyAefTables();
  tables[2].rows.push_back(ValidAction());
  tables[2].rows.push_back(std::move(row));
  return ValidateAefTables(tables);
}

// The message of the violation after changing `column` of a valid action to `value`.
std::string ActionWith(std::string_view column, std::string value) {
  std::vector<std::string> row = ValidAction();
  const auto columns = AefColumns(AefTableId::kActions);
  row[static_cast<size_t>(std::find(columns.begin(), columns.end(), column) - columns.begin())] =
      std::move(value);
  const std::optional<Rejection> rejection = ValidateActions(std::move(row));
  if (!rejection) return "valid";
  EXPECT_EQ(rejection->check, Article6Check::kAefValueInvalid);
  return rejection->message;
}

TEST(AefTables, TheNomenclaturesColumnCounts) {
  EXPECT_EQ(AefColumns(AefTableId::kSubmission).size(), 9u);
  EXPECT_EQ(AefColumns(AefTableId::kAuthorisations).size(), 19u);
  EXPECT_EQ(AefColumns(AefTableId::kActions).size(), 27u);
  EXPECT_EQ(AefColumns(AefTableId::kHoldings).size(), 16u);
  EXPECT_EQ(AefColumns(AefTableId::kEntities).size(), 8u);
}

TEST(AefTables, AValidActionPasses) { EXPECT_FALSE(ValidateActions(ValidAction())); }

TEST(AefTables, EachViolationNamesTheRowAndField) {
  EXPECT_EQ(ActionWith("Vintage", ""),
            "T3 Actions row 2, field \"Vintage\": \"\" is not a year (the vintage is required)");
  EXPECT_EQ(ActionWith("Action type", "Gift"),
            "T3 Actions row 2, field \"Action type\": \"Gift\" is not an action type");
  EXPECT_NE(ActionWith("Action subtype", "Mandatory"), "valid");  // Transfer's, not this
  EXPECT_EQ(ActionWith("Action subtype", "Not yet defined"), "valid");
  EXPECT_NE(ActionWith("Cooperative approach ID", "CA04"), "valid");
  EXPECT_NE(ActionWith("Party ITMO registry ID", "JPN1"), "valid");
  EXPECT_NE(ActionWith("Last ID", "0"), "valid");
  EXPECT_EQ(ActionWith("Last ID", "401"),
            "T3 Actions row 2, field \"Last ID\": \"401\" does not span the quantity of the row");
  EXPECT_NE(ActionWith("Underlying last unit ID", "100"), "valid");  // below the first
  EXPECT_NE(ActionWith("Underlying unit registry ID", "CDM"), "valid");
  EXPECT_NE(ActionWith("Action date", "2026-11-01T00:00:07Z"), "valid");  // no milliseconds
  EXPECT_NE(ActionWith("Mitigation type", "Reductions"), "valid");
  EXPECT_NE(ActionWith("Metric", "ghg"), "valid");
  EXPECT_NE(ActionWith("Acquiring Party ID", "Japan"), "valid");
  EXPECT_EQ(ActionWith("Acquiring Party ID", "NA"), "valid");  // an OIMP first transfer has none
  // A field that does not apply must be NA; a CARP-filled one must be empty.
  EXPECT_EQ(ActionWith("Transferring Party ID", "MNG"),
            "T3 Actions row 2, field \"Transferring Party ID\": \"MNG\" must be NA here: the "
            "field does not apply");
  EXPECT_NE(ActionWith("Year used toward NDC", "2026"), "valid");  // only for Use
  EXPECT_NE(ActionWith("Consistency check result", "passed"), "valid");
  EXPECT_NE(ActionWith("Non-GHG metric", "kWh"), "valid");  // the metric is GHG
}

TEST(AefTables, SubmissionAuthorisationAndEntityFields) {
  std::vector<AefTable> tables = EmptyAefTables();
  tables[0].rows.push_back({"JPN", "1.0", "2026", "31/02/2027", "2021", "2030", "", "", ""});
  std::optional<Rejection> rejection = ValidateAefTables(tables);
  ASSERT_TRUE(rejection);
  EXPECT_EQ(rejection->message,
            "T1 Submission row 1, field \"Date of submission\": \"31/02/2027\" is not a date "
            "dd/mm/yyyy");
  tables[0].rows[0][3] = "15/04/2027";
  EXPECT_FALSE(ValidateAefTables(tables));
  tables[0].rows[0][1] = "1";
  EXPECT_TRUE(ValidateAefTables(tables));
  tables[0].rows[0][1] = "1.2";
  tables[1].rows.push_back({"A1", "01/03/2026", "CA0004", "1", "NA", "GHG", "AR5 GWP100", "NA",
                            "Energy generation; Waste management", "Solar", "NDC", "MNG",
                            "Mongol Solar LLC", "NA", "2021 - 2030", "NA", "", "NA", "NA"});
  EXPECT_FALSE(ValidateAefTables(tables));
  tables[1].rows[0][17] = "Issuance";  // a first-transfer definition for NDC use only
  EXPECT_TRUE(ValidateAefTables(tables));
  tables[1].rows[0][17] = "NA";
  tables[1].rows[0][8] = "Energy";
  EXPECT_TRUE(ValidateAefTables(tables));
  tables[1].rows[0][8] = "Energy generation";
  tables[4].rows.push_back(
      {"01/03/2026", "Mongol Solar LLC", "MN", "9011223344", "CA0004", "NA", "NA", "NA"});
  rejection = ValidateAefTables(tables);
  ASSERT_TRUE(rejection);
  EXPECT_EQ(rejection->message,
            "T5 Authorized entities row 1, field \"Country of incorporation\": \"MN\" is not a "
            "country (alpha-3)");
}

TEST(AefBook, FreezesOnceAndNumbersVersions) {
  AefBook book;
  FrozenHoldings holdings{"JPN",
                          2026,
                          41,
                          {{"CA0004", "A1", "MNG", "JPN01", "1", "250", "JCM", "101", "350", "GHG",
                            "AR5 GWP100", "NA", "250", "NA", "Emission reductions", "2019"}}};
  ASSERT_TRUE(book.Apply(kEventAefHoldings, holdings.ToRecord(), 50).ok());
  ASSERT_NE(book.Holdings("JPN", 2026), nullptr);
  EXPECT_EQ(book.Holdings("JPN", 2026)->rows, holdings.rows);
  EXPECT_EQ(book.Holdings("JPN", 2026)->as_of_seq, 41);
  EXPECT_EQ(book.Apply(kEventAefHoldings, holdings.ToRecord(), 51).code(),
            core::StatusCode::kDataLoss);  // frozen twice
  EXPECT_EQ(book.NextVersion("JPN", 2026, "d1"), std::make_pair(std::string("1.0"), false));
  ASSERT_TRUE(book.Apply(kEventAefSubmission,
                         AefSubmission{"JPN", 2026, "1.0", "01/02/2027", "d1"}.ToRecord(), 52)
                  .ok());
  EXPECT_EQ(book.NextVersion("JPN", 2026, "d1"), std::make_pair(std::string("1.0"), true));
  EXPECT_EQ(book.NextVersion("JPN", 2026, "d2"), std::make_pair(std::string("1.1"), false));
  EXPECT_EQ(
      book.Apply(kEventAefSubmission, AefSubmission{"JPN", 2026, "1.5", "", "d2"}.ToRecord(), 53)
          .code(),
      core::StatusCode::kDataLoss);                                            // out of order
  EXPECT_TRUE(book.Apply("article6.authorisation", core::Record(), 54).ok());  // skipped
  EXPECT_EQ(book.last_seq(), 54);
}

TEST(AefFormats, DatesAsTheAefWritesThem) {
  EXPECT_EQ(AefDate(core::Date::FromCivil(2027, 4, 15)), "15/04/2027");
  EXPECT_EQ(AefActionDate("2026-11-01T04:10:00Z"), "2026-11-01T04:10:00.000Z");
  EXPECT_EQ(AefActionDate("2026-11-01T04:10:00.25Z"), "2026-11-01T04:10:00.250Z");
}

}  // namespace
}  // namespace jcm::article6
