// jcm article6 …: Article 6.2 authorisations from the command line (docs/cli.md, "Article 6"),
// on service::Article6Service — the use cases the API will serve. The values are written as the
// Article 6.2 nomenclature spells them (quote those with spaces: --purposes "NDC and OIMP").
#include <ostream>

#include "cli/commands.h"
#include "ledger/serial_identifier.h"
#include "service/article6_service.h"
#include "service/json/article6_json.h"
#include "service/json/ledger_json.h"

namespace jcm::cli {
namespace {

namespace sj = service::json;

void Joined(std::ostream& out, const std::vector<std::string>& texts) {
  for (size_t i = 0; i < texts.size(); ++i) out << (i == 0 ? "" : "; ") << texts[i];
}

void AuthorisationText(const article6::Authorisation& a, std::ostream& out) {
  out << a.party << " " << a.id << " version " << a.version << " of " << a.date.ToString() << ": "
      << a.cooperative_approach << ", " << article6::PurposeName(a.purposes) << ", "
      << article6::MetricName(a.metric);
  if (a.quantity_cap_tco2e) out << ", up to " << *a.quantity_cap_tco2e << " tCO2e";
  if (a.timeframe) out << ", " << a.timeframe->ToString();
  out << " (journal entry " << a.recorded_seq << ")\n  sectors: ";
  Joined(out, a.sectors);
  if (!a.activity_types.empty()) {
    out << "\n  activity types: ";
    Joined(out, a.activity_types);
  }
  if (!a.entities.empty()) {
    out << "\n  authorised entities: ";
    Joined(out, a.entities);
  }
  if (a.first_transfer != article6::FirstTransferDefinition::kNone) {
    out << "\n  first transfer for OIMP: "
        << article6::FirstTransferDefinitionName(a.first_transfer);
  }
  out << "\n";
}

core::Result<article6::AuthorisationRequest> RequestOf(const Args& args) {
  article6::AuthorisationRequest r;
  JCM_ASSIGN_OR_RETURN(r.party, args.Require("party"));
  JCM_ASSIGN_OR_RETURN(r.id, args.Require("id"));
  JCM_ASSIGN_OR_RETURN(r.version, args.RequireInt("version", 1));
  JCM_ASSIGN_OR_RETURN(r.date, args.RequireDate("date"));
  JCM_ASSIGN_OR_RETURN(r.cooperative_approach, args.Require("cooperative-approach"));
  r.metric = args.Get("metric").value_or("GHG");
  r.sectors = args.GetAll("sector");
  r.activity_types = args.GetAll("activity-type");
  JCM_ASSIGN_OR_RETURN(r.purposes, args.Require("purposes"));
  if (args.Has("quantity-cap")) {
    JCM_ASSIGN_OR_RETURN(r.quantity_cap_tco2e, args.RequireInt("quantity-cap"));
  }
  r.timeframe = args.Get("timeframe").value_or("");
  r.entities = args.GetAll("entity");
  r.first_transfer = args.Get("first-transfer").value_or("");
  return r;
}

core::Status Add(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(const article6::AuthorisationRequest request, RequestOf(run.args));
  JCM_ASSIGN_OR_RETURN(auto store, OpenStore(run));
  service::Article6Service service(*store);
  JCM_ASSIGN_OR_RETURN(auto outcome, service.AddAuthorisation(request));
  run.print.Outcome(outcome, sj::AuthorisationResultJson,
                    [](const service::AuthorisationResult& r, std::ostream& out) {
                      if (r.replayed) out << "(already recorded) ";
                      AuthorisationText(r.authorisation, out);
                    });
  return core::OkStatus();
}

void ListText(const std::vector<article6::Authorisation>& all, std::ostream& out) {
  for (const article6::Authorisation& a : all) AuthorisationText(a, out);
}

core::Status List(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(auto store, OpenStore(run, store::OpenMode::kReadOnly));
  service::Article6Service service(*store);
  JCM_ASSIGN_OR_RETURN(auto all, service.ListAuthorisations(run.args.Get("party").value_or("")));
  run.print.Outcome(service::OrRejection<std::vector<article6::Authorisation>>(std::move(all)),
                    sj::AuthorisationListJson, ListText);
  return core::OkStatus();
}

core::Status Show(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(const std::string party, run.args.Require("party"));
  JCM_ASSIGN_OR_RETURN(const std::string id, run.args.Require("id"));
  JCM_ASSIGN_OR_RETURN(auto store, OpenStore(run, store::OpenMode::kReadOnly));
  service::Article6Service service(*store);
  JCM_ASSIGN_OR_RETURN(auto versions, service.AuthorisationVersions(party, id));
  run.print.Outcome(service::OrRejection<std::vector<article6::Authorisation>>(std::move(versions)),
                    sj::AuthorisationListJson, ListText);
  return core::OkStatus();
}

core::Status Authorise(CommandRun& run) {
  const Args& a = run.args;
  service::AuthoriseUnits units;
  JCM_ASSIGN_OR_RETURN(units.account, a.Require("account"));
  JCM_ASSIGN_OR_RETURN(units.quantity, a.RequireInt("quantity"));
  units.serials = a.Get("serials").value_or("");
  JCM_ASSIGN_OR_RETURN(units.reference, a.Require("authorisation"));
  units.idempotency_key = a.Get("key").value_or("");
  JCM_ASSIGN_OR_RETURN(auto store, OpenStore(run));
  JCM_ASSIGN_OR_RETURN(auto outcome, service::Article6Service(*store).Authorise(units));
  run.print.Outcome(outcome, sj::TransactionJson,
                    [&](const service::TransactionResult& t, std::ostream& out) {
                      out << "authorised " << t.seq << (t.replayed ? " (already committed)" : "")
                          << ": " << units.quantity << " units cite " << units.reference << "\n";
                      for (const ledger::UnitBlock& b : t.blocks) {
                        if (b.article6_authorisation.empty()) continue;
                        out << "  " << ledger::SerialIdentifier(b) << "\n";
                      }
                    });
  return core::OkStatus();
}

const CommandSpec kArticle6Commands[] = {
    {"article6 authorise",
     "Article 6",
     "authorise: units of an account come to cite an authorisation",
     "jcm article6 authorise --db FILE --account ACCOUNT --quantity N [--serials FIRST..LAST]\n"
     "    --authorisation PARTY/ID [--key K] [--json]\n"
     "  Without --serials, the oldest units citing no authorisation. The units stay in the\n"
     "  account; their blocks split as in a transfer, and every child keeps the authorisation.\n",
     {"db", "account", "quantity", "serials", "authorisation", "key"},
     {},
     Authorise},
    {"article6 authorisation add",
     "Article 6",
     "authorisation add|list|show: Article 6.2 authorisations, versioned records",
     "jcm article6 authorisation add --db FILE --party AAA --id ID [--version N] --date DATE\n"
     "    --cooperative-approach CANNNN [--metric GHG|non-GHG] --sector S [--sector S…]\n"
     "    [--activity-type T…] --purposes NDC|OIMP|IMP|OP|'NDC and OIMP'|'NDC and IMP'|'NDC and "
     "OP'\n"
     "    [--quantity-cap TCO2E] [--timeframe 'YYYY - YYYY'] [--entity NAME…]\n"
     "    [--first-transfer Authorisation|Issuance|'Use or Cancellation'] [--json]\n"
     "  Records version N (default 1) of a Party's authorisation; a later version supersedes it.\n",
     {"db", "party", "id", "version", "date", "cooperative-approach", "metric", "sector...",
      "activity-type...", "purposes", "quantity-cap", "timeframe", "entity...", "first-transfer"},
     {},
     Add},
    {"article6 authorisation list",
     "Article 6",
     "",
     "jcm article6 authorisation list --db FILE [--party AAA] [--json]\n"
     "  The version in force of every authorisation (of one Party).\n",
     {"db", "party"},
     {},
     List},
    {"article6 authorisation show",
     "Article 6",
     "",
     "jcm article6 authorisation show --db FILE --party AAA --id ID [--json]\n"
     "  Every version of one authorisation, oldest first.\n",
     {"db", "party", "id"},
     {},
     Show},
};

}  // namespace

std::span<const CommandSpec> Article6Commands() { return kArticle6Commands; }

}  // namespace jcm::cli
