// jcm article6 ndc …: a Party's NDC declaration, which says how its corresponding adjustments
// apply (docs/cli.md, "Article 6"; docs/article6.md, "Corresponding adjustments"), on
// service/corresponding_adjustments.h.
#include <ostream>

#include "cli/commands.h"
#include "service/corresponding_adjustments.h"
#include "service/json/corresponding_adjustment_json.h"

namespace jcm::cli {
namespace {

namespace sj = service::json;

void DeclarationText(const article6::NdcDeclaration& d, std::ostream& out) {
  out << d.party << " NDC declaration version " << d.version << " of " << d.date.ToString() << ": "
      << article6::NdcTypeName(d.type) << " NDC " << d.first_year << "-" << d.last_year
      << ", method " << article6::CaMethodName(d.method) << "\n";
}

void DeclarationsText(const std::vector<article6::NdcDeclaration>& all, std::ostream& out) {
  for (const article6::NdcDeclaration& d : all) DeclarationText(d, out);
}

core::Status Declare(CommandRun& run) {
  const Args& a = run.args;
  article6::NdcDeclarationRequest request;
  JCM_ASSIGN_OR_RETURN(request.party, a.Require("party"));
  JCM_ASSIGN_OR_RETURN(request.version, a.RequireInt("version", 1));
  JCM_ASSIGN_OR_RETURN(request.date, a.RequireDate("date"));
  JCM_ASSIGN_OR_RETURN(request.type, a.Require("ndc-type"));
  JCM_ASSIGN_OR_RETURN(request.method, a.Require("method"));
  JCM_ASSIGN_OR_RETURN(const int64_t first_year, a.RequireInt("first-year"));
  JCM_ASSIGN_OR_RETURN(const int64_t last_year, a.RequireInt("last-year"));
  if (first_year < 0 || first_year > 9999 || last_year < 0 || last_year > 9999) {
    return core::InvalidArgument("--first-year and --last-year are calendar years");
  }
  request.first_year = static_cast<int>(first_year);
  request.last_year = static_cast<int>(last_year);
  JCM_ASSIGN_OR_RETURN(auto store, OpenStore(run));
  JCM_ASSIGN_OR_RETURN(auto outcome, service::DeclareNdc(*store, request));
  run.print.Outcome(outcome, sj::NdcDeclarationResultJson,
                    [](const service::NdcDeclarationResult& r, std::ostream& out) {
                      if (r.replayed) out << "(already recorded) ";
                      DeclarationText(r.declaration, out);
                    });
  return core::OkStatus();
}

core::Status List(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(auto store, OpenStore(run, store::OpenMode::kReadOnly));
  JCM_ASSIGN_OR_RETURN(auto all,
                       service::NdcDeclarations(*store, run.args.Get("party").value_or("")));
  run.print.Outcome(service::OrRejection<std::vector<article6::NdcDeclaration>>(std::move(all)),
                    sj::NdcDeclarationListJson, DeclarationsText);
  return core::OkStatus();
}

void LedgerText(const article6::CaLedger& ledger, std::ostream& out) {
  DeclarationText(ledger.ndc, out);
  out << "year  first transferred  used  annual  cumulative  applied (tCO2e)\n";
  for (const article6::CaYear& y : ledger.years) {
    out << y.year << "  " << y.first_transferred_tco2e << "  " << y.used_tco2e << "  "
        << y.annual_adjustment_tco2e << "  ";
    if (y.in_ndc_period) {
      out << y.cumulative_adjustment_tco2e << "  " << y.applied_tco2e->ToText();
    } else {
      out << "(outside the NDC period)";
    }
    out << "\n";
  }
}

core::Status Ledger(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(const std::string party, run.args.Require("party"));
  JCM_ASSIGN_OR_RETURN(auto store, OpenStore(run, store::OpenMode::kReadOnly));
  JCM_ASSIGN_OR_RETURN(article6::CaLedger ledger,
                       service::CorrespondingAdjustmentsOf(*store, party));
  run.print.Outcome(service::OrRejection<article6::CaLedger>(std::move(ledger)), sj::CaLedgerJson,
                    LedgerText);
  return core::OkStatus();
}

const CommandSpec kArticle6CaCommands[] = {
    {"article6 ndc declare",
     "Article 6",
     "ndc declare|list: a Party's NDC and how its corresponding adjustments apply",
     "jcm article6 ndc declare --db FILE --party AAA [--version N] --date DATE\n"
     "    --ndc-type single-year|multi-year --method trajectory|averaging|multi-year\n"
     "    --first-year YYYY --last-year YYYY [--json]\n"
     "  Records version N (default 1) of the Party's NDC declaration (2/CMA.3 annex para 7):\n"
     "  trajectory or averaging for a single-year NDC (its target year is --last-year),\n"
     "  multi-year for a multi-year NDC; a contradictory pair is check 642.\n",
     {"db", "party", "version", "date", "ndc-type", "method", "first-year", "last-year"},
     {},
     Declare},
    {"article6 ndc list",
     "Article 6",
     "",
     "jcm article6 ndc list --db FILE [--party AAA] [--json]\n"
     "  Every version of one Party's declaration, or the version in force of every Party's.\n",
     {"db", "party"},
     {},
     List},
    {"article6 ca",
     "Article 6",
     "ca: a Party's corresponding adjustments, year by year",
     "jcm article6 ca --db FILE --party AAA [--json]\n"
     "  The Party's corresponding-adjustment ledger under its NDC declaration in force: per\n"
     "  year, the ITMOs it first transferred and used, + first transferred - used, the\n"
     "  cumulative adjustment and what its method applies (docs/article6.md).\n",
     {"db", "party"},
     {},
     Ledger},
};

}  // namespace

std::span<const CommandSpec> Article6CaCommands() { return kArticle6CaCommands; }

}  // namespace jcm::cli
