// The certificate read back as a person's tools read it: poppler's pdftotext for the text,
// pdffonts for the embedded font, pdftoppm + zbarimg for the QR code (Debian's poppler-utils and
// zbar-tools, installed by scripts/bootstrap).
#include "service/pdf/retirement_certificate.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "core/ed25519.h"
#include "core/merkle.h"
#include "core/record.h"
#include "core/text.h"
#include "ledger/journal.h"
#include "store/testing/ledger_fixture.h"

namespace jcm::service::pdf {
namespace {

// The standard output of a shell command.
std::string Shell(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buffer[4096];
  size_t read = 0;
  while ((read = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, read);
  ::pclose(pipe);
  return out;
}

class CertificateTest : public store::LedgerFixture {
 protected:
  // A retirement of 10 of 60 units, so the retired block is split off its parent.
  Retirement Retired() {
    Issue("MN003", "2017-08-26..2018-05-31", {{bob_, 60}});
    const int64_t seq = Retire(bob_, 10).entry.seq;
    core::Result<Retirement> retirement = FindRetirement(*store_, seq);
    EXPECT_TRUE(retirement.ok()) << retirement.status().ToString();
    return *retirement;
  }
  std::string WritePdf(const std::string& bytes) {
    const std::string file = path_ + ".pdf";
    std::ofstream(file, std::ios::binary) << bytes;
    files_.push_back(file);
    return file;
  }
  void TearDown() override {
    for (const std::string& file : files_) std::filesystem::remove(file);
    LedgerFixture::TearDown();
  }
  std::vector<std::string> files_;
};

TEST_F(CertificateTest, RetirementIsReadBackFromItsJournalEntry) {
  const Retirement retirement = Retired();
  EXPECT_EQ(retirement.registry, "MN");
  EXPECT_EQ(retirement.from_account, bob_);
  EXPECT_EQ(retirement.retirement_account, retirement_);
  EXPECT_EQ(retirement.quantity, 10);
  EXPECT_EQ(retirement.beneficiary, "Government of Japan NDC");
  ASSERT_EQ(retirement.blocks.size(), 1u);  // the remainder (50 units) stays with bob: not listed
  EXPECT_EQ(retirement.blocks[0].serial_first, 1);
  EXPECT_EQ(retirement.blocks[0].unit_count, 10);
  EXPECT_EQ(retirement.blocks[0].project, "MN003");
  EXPECT_EQ(retirement.hash.size(), 64u);
  EXPECT_EQ(FindRetirement(*store_, retirement.seq - 1).status().code(),
            core::StatusCode::kNotFound);  // the issuance is no retirement
}

TEST_F(CertificateTest, PagesListRetirementsAfterTheCursorPerRegistry) {
  Issue("MN003", "2017-08-26..2018-05-31", {{bob_, 60}});
  for (int i = 0; i < 5; ++i) Retire(bob_, 1);
  core::Result<RetirementPage> first = ListRetirements(*store_, "MN", 0, 2);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->retirements.size(), 2u);
  EXPECT_EQ(first->next_after_seq, first->retirements[1].seq);
  core::Result<RetirementPage> rest = ListRetirements(*store_, "MN", first->next_after_seq, 10);
  ASSERT_TRUE(rest.ok());
  EXPECT_EQ(rest->retirements.size(), 3u);
  EXPECT_EQ(rest->next_after_seq, 0);
  EXPECT_EQ(rest->retirements[0].blocks[0].serial_first, 3);  // serials retired in order
  EXPECT_TRUE(ListRetirements(*store_, "VN", 0, 10)->retirements.empty());
  EXPECT_EQ(ListRetirements(*store_, std::nullopt, 0, 0).status().code(),
            core::StatusCode::kInvalidArgument);
}

TEST_F(CertificateTest, CertificateStatesTheRetirementAndEmbedsTheJapaneseFont) {
  const Retirement retirement = Retired();
  core::Result<std::string> pdf = RetirementCertificatePdf(
      retirement, {kJapaneseFontDefault, "https://jcm.example/", std::nullopt});
  ASSERT_TRUE(pdf.ok()) << pdf.status().ToString();
  ASSERT_TRUE(pdf->starts_with("%PDF-"));
  const std::string file = WritePdf(*pdf);
  const std::string text = Shell("pdftotext -enc UTF-8 " + file + " -");
  for (const std::string& expected :
       {std::string("Government of Japan NDC"), std::string("MN-1 .. MN-10"), retirement.hash,
        std::string("償却証明書"), std::string("MN003"), std::string("2017-08-26..2018-05-31")}) {
    EXPECT_NE(text.find(expected), std::string::npos) << expected << " not in:\n" << text;
  }
  const std::string fonts = Shell("pdffonts " + file);
  EXPECT_NE(fonts.find("IPAexGothic"), std::string::npos) << fonts;
  EXPECT_NE(fonts.find(" yes "), std::string::npos) << "the font is not embedded:\n" << fonts;
  // Same retirement, same bytes: nothing time-dependent is written.
  EXPECT_EQ(*pdf, *RetirementCertificatePdf(
                      retirement, {kJapaneseFontDefault, "https://jcm.example/", std::nullopt}));
}

// Units citing an Article 6.2 authorisation: the certificate names it (PARTY/ID), their ITMO
// IDs and cooperative approach, and the vintage.
TEST_F(CertificateTest, CertificateStatesTheAuthorisationAndItmoIds) {
  RecordDecision("D-A6", "MN", "MN003", "2019-01-01..2019-12-31", 60);
  ledger::TransactionRequest issue;
  issue.type = ledger::TransactionType::kIssuance;
  issue.registry = "MN";
  issue.decision = "D-A6";
  issue.targets = {{bob_, 60}};
  issue.authorization = ledger::Authorization::kNdc;
  issue.article6_authorisation = "MNG/MN-2026-1";
  issue.article6_cooperative_approach = "CA0004";
  ASSERT_FALSE(Must(issue).rejection);
  const int64_t seq = Retire(bob_, 10).entry.seq;
  const core::Result<Retirement> retirement = FindRetirement(*store_, seq);
  ASSERT_TRUE(retirement.ok()) << retirement.status().ToString();
  core::Result<std::string> pdf = RetirementCertificatePdf(
      *retirement, {kJapaneseFontDefault, "https://jcm.example/", std::nullopt});
  ASSERT_TRUE(pdf.ok()) << pdf.status().ToString();
  const std::string text = Shell("pdftotext -enc UTF-8 " + WritePdf(*pdf) + " -");
  for (const char* expected : {"MNG/MN-2026-1", "MNG01-1 .. MNG01-10", "CA0004", "2019"}) {
    EXPECT_NE(text.find(expected), std::string::npos) << expected << " not in:\n" << text;
  }
}

TEST_F(CertificateTest, QrCodeLinksToThePublicLookUpOfTheFirstSerial) {
  const Retirement retirement = Retired();
  const std::string file = WritePdf(*RetirementCertificatePdf(
      retirement, {kJapaneseFontDefault, "https://jcm.example", std::nullopt}));
  const std::string png = file + "-page";
  files_.push_back(png + "-1.png");
  Shell("pdftoppm -png -r 200 -f 1 -l 1 " + file + " " + png);
  const std::string decoded = Shell("zbarimg --quiet --raw " + png + "-1.png");
  EXPECT_EQ(decoded, "https://jcm.example/credits?serial=MN-1\n");
}

// The "name value" lines of the certificate's text (the inclusion proof's section); "path"
// repeats, in order.
std::multimap<std::string, std::string> NamedLines(const std::string& text) {
  std::multimap<std::string, std::string> named;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    const size_t space = line.find(' ');
    if (space != std::string::npos) named.emplace(line.substr(0, space), line.substr(space + 1));
  }
  return named;
}

TEST_F(CertificateTest, WithASignedHeadItCarriesTheInclusionProofAndItsQrCodeLinksToIt) {
  const Retirement retirement = Retired();
  for (int i = 0; i < 3; ++i) Retire(bob_, 1);  // the head is later than the retirement
  auto key = core::Ed25519PrivateKey::Generate();
  ASSERT_TRUE(key.ok());
  auto inclusion = ProveInSignedHead(*store_, *key, "2026-11-30T10:00:00Z", retirement.seq);
  ASSERT_TRUE(inclusion.ok()) << inclusion.status().ToString();
  CertificateOptions options{kJapaneseFontDefault, "https://jcm.example/", *inclusion};
  const std::string file = WritePdf(*RetirementCertificatePdf(retirement, options));
  const auto named = NamedLines(Shell("pdftotext -enc UTF-8 " + file + " -"));
  auto one = [&](const std::string& name) {
    EXPECT_EQ(named.count(name), 1u) << name;
    return named.count(name) == 1 ? named.find(name)->second : std::string();
  };
  // Everything a verifier needs, read back from the text alone.
  const int64_t leaf_index = *core::ParseInt64(one("leaf_index"));
  const int64_t tree_size = *core::ParseInt64(one("tree_size"));
  EXPECT_EQ(leaf_index, retirement.seq - 1);
  EXPECT_EQ(tree_size, retirement.seq + 3);
  std::vector<core::merkle::Hash> path;
  for (auto [at, end] = named.equal_range("path"); at != end; ++at) {
    path.push_back(*core::merkle::FromHex(at->second));
  }
  EXPECT_EQ(path.size(), inclusion->proof.audit_path.size());
  const auto leaf = ledger::LogLeafHash(retirement.hash);
  ASSERT_TRUE(leaf.ok());
  EXPECT_TRUE(core::merkle::VerifyInclusion(leaf_index, tree_size, *leaf, path,
                                            *core::merkle::FromHex(one("root_hash"))));
  const std::string message = TreeHeadMessage(tree_size, one("root_hash"), one("timestamp"));
  EXPECT_TRUE(core::Ed25519Verify(*core::HexToBytes(one("public_key")), message,
                                  *core::HexToBytes(one("signature"))));
  EXPECT_EQ(one("public_key"), core::BytesToHex(key->PublicKey()));
  // The QR code links to the public API's proof of the same entry in the same head.
  const std::string png = file + "-page";
  files_.push_back(png + "-1.png");
  Shell("pdftoppm -png -r 200 -f 1 -l 1 " + file + " " + png);
  const std::string url =
      "https://jcm.example/api/v1/log/proof?seq=" + std::to_string(retirement.seq) +
      "&tree_size=" + std::to_string(tree_size);
  EXPECT_EQ(Shell("zbarimg --quiet --raw " + png + "-1.png"), url + "\n");
  EXPECT_EQ(one("proof_url"), url);
}

TEST_F(CertificateTest, AMissingFontIsAClearError) {
  const Retirement retirement = Retired();
  core::Result<std::string> pdf =
      RetirementCertificatePdf(retirement, {"/nonexistent.ttf", "", std::nullopt});
  EXPECT_EQ(pdf.status().code(), core::StatusCode::kInvalidArgument);
  EXPECT_NE(pdf.status().message().find("fonts-ipaexfont-gothic"), std::string::npos);
}

}  // namespace
}  // namespace jcm::service::pdf
