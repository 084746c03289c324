// CycleService: the project cycle's use cases (docs/cycle.md, docs/cli.md "Project cycle") for
// every front end: the steps (decided by cycle::Decide, journaled through the ledger's chain),
// the execution of a Joint Committee issuance decision, the public-data import and the queries.
//
// The cycle State is never stored: it is replayed from the journal's "cycle.*" entries. The
// service caches it with the seq of the last cycle entry applied, and before each use reads
// only the entries journaled after that one (Refresh), so a long-lived service (the API) does
// not replay the whole journal per request. A step is appended with that seq as its optimistic
// lock (check 23 when another process journaled a cycle event meanwhile); the service then
// refreshes and decides once more before reporting the rejection.
//
// Idempotency (docs/cli.md): with a key, a step's request (actor and payload as asked, before
// Decide derives anything) is digested and journaled beside the event; the same key with the
// same request returns the first event (replayed = true), with another request check 1.
// Without a key the event's content is the key, so an identical event is never journaled twice.
//
// Not thread-safe: one CycleService per thread (it holds a cache), sharing one store.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/record.h"
#include "core/status.h"
#include "cycle/command.h"
#include "cycle/due.h"
#include "cycle/import/jcm_data.h"
#include "cycle/state.h"
#include "cycle/tpe_work.h"
#include "ledger/types.h"
#include "programme/indicators.h"
#include "service/errors.h"
#include "service/mrv_evidence.h"
#include "service/mrv_service.h"
#include "store/store.h"

namespace jcm::service {

// A journaled project-cycle event as reported to the person who asked.
struct CycleEventResult {
  int64_t seq = 0;
  std::string kind;  // "cycle.pin_submitted", …
  std::string time;
  std::string hash;
  bool replayed = false;
  core::Record fields;  // the event's journal body (docs/formats/journal.md)
};

// One step of the cycle. `by` names the organisation acting where the step is a participant's,
// a proponent's or a TPE's; other steps are taken by the body the step implies (the JC of the
// project's pair, the secretariat, the government of Japan, the side's registry manager).
struct StepRequest {
  cycle::Payload payload;
  std::string by;
  core::Date today;             // the date the checks use
  std::string idempotency_key;  // empty: the event's content is the key
  // The bytes of documents the payload references (CycleService::DocumentOf): stored only once
  // the step is accepted, before its event is journaled, so a rejected step stores nothing and
  // no event cites a document that is not stored.
  std::vector<std::string> documents;
};

// A monitoring report, optionally backed by an MRV calculation (mrv_service.h) whose figure,
// calculation hash and input hashes it then carries.
struct MonitoringReportRequest {
  cycle::SubmitMonitoringReport report;
  bool reported_given = false;  // report.reported_tco2e was given and must match the MRV result
  std::optional<MrvResult> mrv;
  std::string by;
  core::Date today;
  std::string idempotency_key;
  std::vector<std::string> documents;  // as StepRequest::documents
  // MRV evidence (mrv_evidence.h): when report.mrv_params_sha256 and mrv_data_sha256 cite the
  // files (their bytes among `documents` or already stored), the service calculates the period
  // from them with the methodology of `methodologies`, publishes the report with
  // `print_mrv_report`, and stores the files, the methodology definition and the report with
  // the event. `mrv_calculation`, when given, receives the calculation (a refused figure's report).
  const mrv::MethodologyCatalog* methodologies = nullptr;
  MrvReportPrinter print_mrv_report = nullptr;
  int mrv_threads = 1;
  MrvCalculation* mrv_calculation = nullptr;
};

struct ExecutionRequest {
  std::string project;
  core::Period period;
  std::string registry;  // the side executing, in its own registry
  core::Date date;
  ledger::Authorization authorization = ledger::Authorization::kNone;
  // Holder (as named in the allocation) → account. "government" defaults to the registry's
  // government holding account.
  std::map<std::string, std::string> holder_accounts;
  core::Date today;
  std::string idempotency_key;
};

struct ExecutionResult {
  CycleEventResult event;
  int64_t transaction_seq = 0;  // the ledger issuance
  std::string decision;         // the decision reference the issuance cites
  int64_t quantity = 0;
  std::vector<ledger::IssuanceTarget> targets;
};

struct ImportReport {
  int64_t events_added = 0;
  int64_t unchanged = 0;
  int64_t issuances_executed = 0;
  int64_t rows_rejected = 0;
  int64_t projects = 0;
  std::vector<cycle::import::ImportNote> notes;
};

struct RegistrySummary {
  std::string registry;
  int64_t issued_tco2e = 0;
  int64_t held_tco2e = 0;
  int64_t retired_tco2e = 0;
  int64_t cancelled_tco2e = 0;
  int64_t pending_issuance_tco2e = 0;  // notified to this side by a JC, not yet executed
  int64_t pending_issuance_decisions = 0;
  // Of issued_tco2e: executed under recorded JC decisions, and imported from historical records
  // (an import may cite the decision of its record: the two may overlap; INV-11).
  int64_t issued_under_decisions_tco2e = 0;
  int64_t imported_tco2e = 0;
  int64_t accounts = 0;
  std::map<ledger::AccountType, int64_t> units_by_account_type;
};

struct ProjectFilter {
  std::optional<std::string> country;
  std::optional<cycle::ProjectStatus> status;
  // A methodology code without its version ("MN_AM003" matches "MN_AM003 Ver2.0").
  std::optional<std::string> methodology;
  std::optional<programme::Technology> technology;  // ProjectTechnology

  // The filter from its text form, as the CLI's flags and the API's query give it;
  // InvalidArgument for a status or technology that is not one's name.
  static core::Result<ProjectFilter> FromText(std::optional<std::string> country,
                                              const std::optional<std::string>& status,
                                              std::optional<std::string> methodology,
                                              const std::optional<std::string>& technology);
};

// A project's technology, read from its title and its methodologies' titles (docs/programme.md,
// "By partner country, technology and channel"): the one rule the programme report and the
// project filter share.
programme::Technology ProjectTechnology(const cycle::State& state, const cycle::Project& p);

class CycleService {
 public:
  // `store` must outlive the service.
  explicit CycleService(store::Store& store) : store_(store) {}

  // Applies the cycle events journaled since the last refresh. DataLoss on an undecodable one.
  core::Status Refresh();
  // The state as of the last Refresh (every use case below refreshes first).
  const cycle::State& state() const { return state_; }

  core::Result<OrRejection<CycleEventResult>> Step(const StepRequest& request);
  core::Result<OrRejection<CycleEventResult>> SubmitMonitoringReport(
      const MonitoringReportRequest& request);
  // The ledger issuance of one side's share of a JC decision and the event recording it.
  core::Result<OrRejection<ExecutionResult>> ExecuteIssuanceDecision(
      const ExecutionRequest& request);
  // The public JCM data set; idempotent (a second import adds nothing).
  core::Result<ImportReport> ImportJcmData(const cycle::import::JcmDataFiles& files,
                                           core::Date today);

  // The reference of a document with these bytes (its SHA-256); a step that cites it passes
  // the bytes in its request's `documents`, to be stored when the step is accepted.
  static cycle::Document DocumentOf(std::string_view bytes, std::string type, std::string version,
                                    bool confidential);

  // InvalidArgument when filter.country is not a JCM partner's code.
  core::Result<std::vector<cycle::Project>> Projects(const ProjectFilter& filter);
  // By id or reference; NotFound when unknown.
  core::Result<cycle::Project> Project(const std::string& id_or_reference);
  core::Result<std::vector<cycle::Methodology>> Methodologies();
  core::Result<std::vector<cycle::DueItem>> Due(core::Date today);
  // The validations and verifications open to TPE `org` on `today` and those it submitted
  // (cycle/tpe_work.h); InvalidArgument for an organisation the cycle does not know.
  core::Result<std::vector<cycle::TpeWorkItem>> TpeWork(const std::string& org, core::Date today);
  // InvalidArgument for a code that is not JP or a partner's, NotFound for a registry not
  // initialised here: neither is a registry with nothing in it.
  core::Result<RegistrySummary> Summary(const std::string& registry);

 private:
  struct KeyedRequest {
    std::string request_sha256;
    ledger::JournalEntry entry;
  };
  // A decided event ready to append, with the request digest a key is bound to.
  struct Pending {
    cycle::Event event;
    std::string idempotency_key;
    std::string request_sha256;
  };

  cycle::Actor ImpliedActor(const cycle::Payload& payload, const std::string& by) const;
  ledger::Command ToCommand(const Pending& pending) const;
  // The first result for a known key, check 1 for a key used with another request, or nullopt.
  std::optional<OrRejection<CycleEventResult>> Replayed(const std::string& key,
                                                        const std::string& request_sha256) const;
  // Decides and appends, retrying once on check 23 (see the file comment).
  // `documents` are stored once the command is decided, before its event is appended.
  core::Result<OrRejection<CycleEventResult>> DecideAndAppend(
      const cycle::Command& command, core::Date today, const std::string& key,
      const std::vector<std::string>& documents = {});
  ledger::AppendEvent ToAppend(const Pending& pending) const;
  // Records an appended (or replayed) event in the cache.
  CycleEventResult Applied(const Pending& pending, const store::Outcome& outcome);
  core::Result<OrRejection<ExecutionResult>> Execute(const ExecutionRequest& request,
                                                     const std::string& request_sha256);
  core::Status AppendImported(const cycle::import::ImportResult& imported, int64_t* executed);

  store::Store& store_;
  cycle::State state_;
  int64_t last_event_seq_ = 0;                 // the last cycle entry applied to state_
  std::map<std::string, KeyedRequest> keyed_;  // idempotency key → its first request
};

}  // namespace jcm::service
