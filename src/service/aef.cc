#include "service/aef.h"

#include <algorithm>
#include <map>

#include "article6/corresponding_adjustment.h"
#include "service/article6_service.h"
#include "service/internal/aef_rows.h"
#include "service/internal/append_attempts.h"
#include "service/internal/journal_replay.h"

namespace jcm::service {

using internal::kAppendAttempts;
namespace {

using article6::AefTableId;

// The article6.* records the AEF reads, replayed in one pass.
struct Article6Records {
  article6::AuthorisationBook authorisations;
  article6::NdcBook ndc;
  article6::AefBook aef;
  int64_t last_seq = 0;
  core::Status Apply(std::string_view kind, const core::Record& body, int64_t seq) {
    last_seq = std::max(last_seq, seq);
    JCM_RETURN_IF_ERROR(authorisations.Apply(kind, body, seq));
    JCM_RETURN_IF_ERROR(ndc.Apply(kind, body, seq));
    return aef.Apply(kind, body, seq);
  }
};

// Everything the tables derive from, read once.
struct Snapshot {
  Article6Records records;
  ledger::StoredState state;
  std::vector<ledger::JournalEntry> transactions;
  internal::AefSources sources;
  int64_t year_end_seq = 0;  // the last entry of the year (of any kind); 0 when none
};

// Fills `s` in place: its sources point into it. The journal is read before the blocks, so
// the blocks read are those of its last entry or later ones; every table and check is taken at
// an entry of the journal read (`year_end_seq` at most its head), where the blocks' lineage
// (created_seq, ended_seq) gives the position exactly, whatever another process wrote since.
core::Status ReadSnapshot(store::Store& store, int year, Snapshot& s) {
  JCM_ASSIGN_OR_RETURN(
      s.records, internal::ReplayJournalFamily<Article6Records>(store, article6::kEventKindPrefix));
  JCM_ASSIGN_OR_RETURN(std::vector<ledger::JournalEntry> journal, store.ReadJournal(1));
  JCM_ASSIGN_OR_RETURN(s.state, store.ReadState());
  const std::string next_year = std::to_string(year + 1) + "-01-01";
  for (ledger::JournalEntry& entry : journal) {
    if (entry.time < next_year) s.year_end_seq = std::max(s.year_end_seq, entry.seq);
    if (entry.kind == "transaction") s.transactions.push_back(std::move(entry));
  }
  for (const ledger::JournalEntry& entry : s.transactions) {
    s.sources.transaction_at[entry.seq] = &entry;
  }
  for (const ledger::Account& account : s.state.accounts) {
    s.sources.account_type[account.number] = account.type;
  }
  s.sources.authorisations = &s.records.authorisations;
  return core::OkStatus();
}

std::string Join(const std::vector<std::string>& values) {
  std::string out;
  for (const std::string& value : values) out += (out.empty() ? "" : "; ") + value;
  return out.empty() ? std::string(article6::kNotApplicable) : out;
}

// The version of each of the Party's authorisations in force on 31 December of `year`.
std::vector<const article6::Authorisation*> AuthorisationsInForce(
    const article6::AuthorisationBook& book, const std::string& party, int year) {
  const core::Date year_end = core::Date::FromCivil(year, 12, 31);
  std::vector<const article6::Authorisation*> out;
  for (const article6::Authorisation* latest : book.LatestAll(party)) {
    const std::vector<article6::Authorisation>* versions = book.Versions(party, latest->id);
    const article6::Authorisation* in_force = nullptr;
    for (const article6::Authorisation& v : *versions) {
      if (v.date <= year_end) in_force = &v;
    }
    if (in_force != nullptr) out.push_back(in_force);
  }
  return out;
}

std::vector<std::string> AuthorisationRow(const article6::Authorisation& a) {
  const std::string na(article6::kNotApplicable);
  const bool oimp = article6::CoversOimp(a.purposes);
  return {a.id,
          article6::AefDate(a.date),
          a.cooperative_approach,
          std::to_string(a.version),
          a.quantity_cap_tco2e ? std::to_string(*a.quantity_cap_tco2e) : na,
          std::string(article6::MetricName(a.metric)),
          "AR5 GWP100",
          a.metric == article6::Metric::kNonGhg ? "" : na,
          Join(a.sectors),
          Join(a.activity_types),
          std::string(article6::PurposeName(a.purposes)),
          a.party,
          Join(a.entities),
          oimp ? std::string(article6::PurposeName(a.purposes)) : na,
          a.timeframe ? a.timeframe->ToString() : na,
          na,
          "",
          oimp ? std::string(article6::FirstTransferDefinitionName(a.first_transfer)) : na,
          na};
}

// T5: an authorised entity written "Name; AAA; identification" (docs/article6.md, "The AEF")
// gives its name, country of incorporation and identification number; any other form leaves
// the last two empty, which the validation names rather than the report guessing them.
std::vector<std::string> EntityRow(const article6::Authorisation& a, const std::string& entity) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (parts.size() < 3) {
    const size_t end = entity.find("; ", start);
    parts.push_back(entity.substr(start, end - start));
    if (end == std::string::npos) break;
    start = end + 2;
  }
  parts.resize(3);
  const std::string na(article6::kNotApplicable);
  return {article6::AefDate(a.date), parts[0], parts[1], parts[2],
          a.cooperative_approach,    na,       na,       na};
}

// Whether an external completion up to `seq` ended `block`: its units went to another
// registry (docs/exchange.md), where this registry's blocks no longer show them.
bool SentAbroadBy(const Snapshot& s, const ledger::UnitBlock& block, int64_t seq) {
  if (block.ended_seq == 0 || block.ended_seq > seq) return false;
  const auto entry = s.sources.transaction_at.find(block.ended_seq);
  return entry != s.sources.transaction_at.end() &&
         entry->second->body.Find("type").value_or("") == "external_completion";
}

// For each of the Party's authorisations: the units it authorised (its Authorization actions
// up to `seq`) against where they are at `seq`, in every registry.
void CheckAuthorisedUnits(const Snapshot& s, const std::vector<internal::AefAction>& actions,
                          const std::vector<const article6::Authorisation*>& in_force, int64_t seq,
                          AefReport& report) {
  for (const article6::Authorisation* a : in_force) {
    const std::string reference = ledger::Article6Reference(a->party, a->id);
    int64_t authorised = 0, first_transferred = 0, held = 0, used = 0, cancelled = 0;
    for (const internal::AefAction& action : actions) {
      if (action.reference == reference && action.type == "Authorization" && action.seq <= seq) {
        authorised += action.quantity;
      }
    }
    for (const ledger::UnitBlock& block : s.state.blocks) {
      if (block.article6_authorisation != reference) continue;
      if (SentAbroadBy(s, block, seq)) {  // first transferred now, or before it left
        (block.first_transferred || ledger::AllowsNdcUse(block.authorization) ? first_transferred
                                                                              : held) +=
            block.unit_count;
        continue;
      }
      if (!internal::LiveAt(block, seq)) continue;
      const auto type = s.sources.account_type.find(block.account);
      const auto account =
          type == s.sources.account_type.end() ? ledger::AccountType::kEntityHolding : type->second;
      int64_t& bucket = account == ledger::AccountType::kRetirement     ? used
                        : account == ledger::AccountType::kCancellation ? cancelled
                        : block.first_transferred                       ? first_transferred
                                                                        : held;
      bucket += block.unit_count;
    }
    const int64_t sum = first_transferred + held + used + cancelled;
    report.consistency.push_back(
        {"authorised = first transferred + held + used + cancelled", reference, authorised == sum,
         std::to_string(authorised) + " = " + std::to_string(first_transferred) + " + " +
             std::to_string(held) + " + " + std::to_string(used) + " + " +
             std::to_string(cancelled) + (authorised == sum ? "" : " (differs)")});
  }
}

// T3 as the blocks table gives it against T3 as the journal's record of the blocks gives it.
core::Status CheckActionsAgainstJournal(const Snapshot& s,
                                        const std::vector<std::vector<std::string>>& rows,
                                        const std::string& party, int year, int64_t seq,
                                        AefReport& report) {
  JCM_ASSIGN_OR_RETURN(std::vector<ledger::UnitBlock> journal_blocks,
                       internal::BlocksOfJournal(s.transactions));
  std::vector<std::vector<std::string>> from_journal;
  for (internal::AefAction& action : internal::DeriveAefActions(journal_blocks, s.sources, seq)) {
    if (action.party == party && action.year == year) from_journal.push_back(action.cells);
  }
  const bool same = from_journal == rows;
  report.consistency.push_back({"actions = the journal's record of them", "T3", same,
                                std::to_string(rows.size()) + " rows from the blocks, " +
                                    std::to_string(from_journal.size()) + " from the journal" +
                                    (same ? ", identical" : ", different")});
  return core::OkStatus();
}

void CheckHoldingsAgainstBlocks(const Snapshot& s, const article6::FrozenHoldings& frozen,
                                AefReport& report) {
  const auto rows =
      internal::DeriveAefHoldings(s.state.blocks, s.sources, frozen.party, frozen.as_of_seq);
  const bool same = rows == frozen.rows;
  report.consistency.push_back({"holdings = the blocks' position at its entry", "T4", same,
                                std::to_string(frozen.rows.size()) + " rows frozen at entry " +
                                    std::to_string(frozen.as_of_seq) + ", " +
                                    std::to_string(rows.size()) + " from the blocks" +
                                    (same ? ", identical" : ", different")});
}

void NoteUnitsWithoutAuthorisation(const Snapshot& s, const std::string& party, int64_t seq,
                                   AefReport& report) {
  int64_t units = 0;
  for (const ledger::UnitBlock& block : s.state.blocks) {
    if (internal::HoldingParty(block) == party && block.itmo_first == 0 &&
        internal::LiveAt(block, seq)) {
      units += block.unit_count;
    }
  }
  if (units == 0) return;
  report.notes.push_back(std::to_string(units) + " units in " + party +
                         "'s registry cite no Article 6.2 authorisation: they are not ITMOs and "
                         "have no row until an authorisation is recorded for them");
}

// Journals T4 as frozen, with the article6 family head as the optimistic lock; when another
// process froze it meanwhile, its record is the one (nothing is frozen twice).
core::Result<article6::FrozenHoldings> Freeze(store::Store& store,
                                              article6::FrozenHoldings holdings,
                                              int64_t family_seq) {
  for (int attempt = 0; attempt < kAppendAttempts; ++attempt) {
    ledger::AppendEvent command{std::string(article6::kEventAefHoldings), holdings.ToRecord(), "",
                                family_seq};
    JCM_ASSIGN_OR_RETURN(store::Outcome outcome, store.Submit(command));
    if (!outcome.rejection) return holdings;
    if (outcome.rejection->check != ledger::CheckCode::kEventFamilyMoved) {
      return core::Internal(outcome.rejection->message);
    }
    JCM_ASSIGN_OR_RETURN(Article6Records records, internal::ReplayJournalFamily<Article6Records>(
                                                      store, article6::kEventKindPrefix));
    if (const auto* frozen = records.aef.Holdings(holdings.party, holdings.year)) return *frozen;
    family_seq = records.last_seq;
  }
  return core::Unavailable("Article 6 records kept changing under this request; try again");
}

}  // namespace
}  // namespace jcm::service

namespace jcm::service {
namespace {

OrRejection<AefReport> Refuse(article6::Article6Check check, std::string message) {
  return OrRejection<AefReport>(FromArticle6({check, std::move(message)}));
}

// Journals the submission of `report`'s content unless the last version has it.
core::Status Submit(store::Store& store, AefReport& report, const std::string& date) {
  const std::string digest = article6::AefDigest(report.tables);
  for (int attempt = 0; attempt < kAppendAttempts; ++attempt) {
    JCM_ASSIGN_OR_RETURN(Article6Records records, internal::ReplayJournalFamily<Article6Records>(
                                                      store, article6::kEventKindPrefix));
    const auto [version, replay] = records.aef.NextVersion(report.party, report.year, digest);
    report.version = version;
    report.tables[0].rows[0][1] = version;
    report.replayed = replay;
    if (replay) return core::OkStatus();
    const article6::AefSubmission submission{report.party, report.year, version, date, digest};
    ledger::AppendEvent command{std::string(article6::kEventAefSubmission), submission.ToRecord(),
                                "", records.last_seq};
    JCM_ASSIGN_OR_RETURN(store::Outcome outcome, store.Submit(command));
    if (!outcome.rejection) {
      report.submitted = true;
      return core::OkStatus();
    }
    if (outcome.rejection->check != ledger::CheckCode::kEventFamilyMoved) {
      return core::Internal(outcome.rejection->message);
    }
  }
  return core::Unavailable("Article 6 records kept changing under this request; try again");
}

void FillTables(const Snapshot& s, const std::vector<internal::AefAction>& actions,
                const std::vector<const article6::Authorisation*>& in_force,
                const article6::NdcDeclaration& ndc, const std::string& date, AefReport& report) {
  report.tables = article6::EmptyAefTables();
  report.tables[0].rows.push_back({report.party, "", std::to_string(report.year), date,
                                   std::to_string(ndc.first_year), std::to_string(ndc.last_year),
                                   "", "", ""});
  for (const article6::Authorisation* a : in_force) {
    report.tables[1].rows.push_back(AuthorisationRow(*a));
    for (const std::string& entity : a->entities) {
      report.tables[4].rows.push_back(EntityRow(*a, entity));
    }
  }
  for (const internal::AefAction& action : actions) {
    if (action.party == report.party && action.year == report.year) {
      report.tables[2].rows.push_back(action.cells);
    }
  }
  if (const auto* frozen = s.records.aef.Holdings(report.party, report.year)) {
    report.tables[3].rows = frozen->rows;
    report.as_of_seq = frozen->as_of_seq;
    report.holdings_frozen = true;
  } else {
    report.tables[3].rows =
        internal::DeriveAefHoldings(s.state.blocks, s.sources, report.party, s.year_end_seq);
    report.as_of_seq = s.year_end_seq;
  }
  const std::string digest = article6::AefDigest(report.tables);
  report.version = s.records.aef.NextVersion(report.party, report.year, digest).first;
  report.tables[0].rows[0][1] = report.version;
}

}  // namespace

core::Result<OrRejection<AefReport>> ArticleSixAef(store::Store& store, const AefRequest& request,
                                                   const std::string& now_utc) {
  if (!article6::IsPartyCode(request.party)) {
    return Refuse(article6::Article6Check::kPartyMalformed,
                  "\"" + request.party + "\" is not a Party (three capital letters)");
  }
  if (request.year < 1990 || request.year > 2100) {
    return core::InvalidArgument("the reported year must be 1990–2100");
  }
  Snapshot s;
  JCM_RETURN_IF_ERROR(ReadSnapshot(store, request.year, s));
  const article6::NdcDeclaration* ndc = s.records.ndc.Latest(request.party);
  if (ndc == nullptr) {
    return Refuse(article6::Article6Check::kAefNdcNotDeclared,
                  request.party +
                      " declared no NDC: T1 needs its first and last years "
                      "(jcm article6 ndc declare)");
  }
  AefReport report;
  report.party = request.party;
  report.year = request.year;
  report.year_over = now_utc.substr(0, 4) > std::to_string(request.year);
  const core::Result<core::Date> today = core::Date::Parse(now_utc.substr(0, 10));
  if (!today.ok()) return core::Internal("the clock gave \"" + now_utc + "\"");
  const std::string date = article6::AefDate(*today);
  const std::vector<internal::AefAction> actions =
      internal::DeriveAefActions(s.state.blocks, s.sources, s.year_end_seq);
  const auto in_force =
      AuthorisationsInForce(s.records.authorisations, request.party, request.year);
  FillTables(s, actions, in_force, *ndc, date, report);
  if (auto violation = article6::ValidateAefTables(report.tables)) {
    return OrRejection<AefReport>(FromArticle6(*violation));
  }
  if (report.year_over && !report.holdings_frozen && (request.freeze || request.submit)) {
    JCM_ASSIGN_OR_RETURN(
        article6::FrozenHoldings frozen,
        Freeze(store, {report.party, report.year, report.as_of_seq, report.tables[3].rows},
               s.records.last_seq));
    report.tables[3].rows = frozen.rows;
    report.as_of_seq = frozen.as_of_seq;
    report.holdings_frozen = true;
  }
  CheckAuthorisedUnits(s, actions, in_force, report.as_of_seq, report);
  JCM_RETURN_IF_ERROR(CheckActionsAgainstJournal(s, report.tables[2].rows, report.party,
                                                 report.year, s.year_end_seq, report));
  if (report.holdings_frozen) {
    CheckHoldingsAgainstBlocks(
        s, {report.party, report.year, report.as_of_seq, report.tables[3].rows}, report);
  }
  NoteUnitsWithoutAuthorisation(s, report.party, report.as_of_seq, report);
  if (!request.submit) return OrRejection<AefReport>(std::move(report));
  if (!report.year_over) {
    return Refuse(article6::Article6Check::kAefYearNotOver,
                  std::to_string(request.year) +
                      " is not over: T4 is the position on its 31 "
                      "December, so the AEF is submitted after it");
  }
  for (const AefConsistency& c : report.consistency) {
    if (!c.ok) {
      return Refuse(article6::Article6Check::kAefNotReconciled,
                    "consistency check \"" + c.check + "\" of " + c.subject + ": " + c.detail);
    }
  }
  JCM_RETURN_IF_ERROR(Submit(store, report, date));
  return OrRejection<AefReport>(std::move(report));
}

std::vector<Table> AefAsTables(const AefReport& report) {
  std::vector<Table> out;
  for (const article6::AefTable& aef : report.tables) {
    Table table{std::string(article6::AefTableName(aef.id)), {}, {}};
    for (std::string_view column : article6::AefColumns(aef.id)) table.columns.emplace_back(column);
    for (const std::vector<std::string>& row : aef.rows) {
      table.rows.emplace_back(row.begin(), row.end());
    }
    out.push_back(std::move(table));
  }
  return out;
}

}  // namespace jcm::service
