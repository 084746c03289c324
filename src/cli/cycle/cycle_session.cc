#include "cli/cycle/cycle_session.h"

#include <fstream>
#include <ostream>
#include <sstream>

#include "core/record.h"
#include "core/sha256.h"
#include "cycle/codec.h"
#include "cycle/decide.h"
#include "ledger/check_code.h"

namespace jcm::cli::cycle_cli {

namespace json = boost::json;

core::Result<Flags> ParseFlags(std::span<const std::string_view> argv,
                               std::initializer_list<std::string_view> value_flags,
                               std::initializer_list<std::string_view> switches) {
  std::vector<std::string_view> values(value_flags);
  values.insert(values.end(), {"db", "today"});
  std::vector<std::string_view> bare(switches);
  bare.push_back("json");
  return Args::Parse(argv, values, bare);
}

core::Result<Session> OpenSession(const Flags& flags, Environment& env) {
  Session session;
  session.json = flags.Has("json");
  session.out = &env.out;
  session.err = &env.err;
  JCM_ASSIGN_OR_RETURN(std::string path, flags.Require("db"));
  if (auto today = flags.Get("today")) {
    JCM_ASSIGN_OR_RETURN(session.today, core::Date::Parse(*today));
  } else {
    JCM_ASSIGN_OR_RETURN(session.today, core::Date::Parse(env.clock.NowUtc().substr(0, 10)));
  }
  JCM_ASSIGN_OR_RETURN(session.store, env.open_store(path));
  JCM_ASSIGN_OR_RETURN(std::vector<ledger::JournalEntry> entries,
                       session.store->ReadJournal(1, std::string(cycle::kEventKindPrefix)));
  for (const ledger::JournalEntry& entry : entries) {
    auto event = cycle::DecodeEvent(entry.kind, entry.body);
    if (!event.ok()) {
      return core::DataLoss("journal entry " + std::to_string(entry.seq) + ": " +
                            event.status().message());
    }
    cycle::Apply(session.state, *event);
    session.last_event_seq = entry.seq;
  }
  return session;
}

core::Result<store::Outcome> AppendEvent(Session& session, const cycle::Event& event) {
  cycle::EncodedEvent encoded = cycle::EncodeEvent(event);
  std::string key = "cycle-" + core::Sha256Hex(encoded.kind + "\n" + encoded.body.Encode());
  auto outcome = session.store->Submit(
      ledger::AppendEvent{encoded.kind, encoded.body, key, session.last_event_seq});
  if (outcome.ok() && !outcome->rejection && !outcome->replayed) {
    session.last_event_seq = outcome->entry.seq;
  }
  return outcome;
}

int ReportStatus(const core::Status& status, bool as_json, std::ostream& out, std::ostream& err) {
  if (as_json) {
    PrintJson(json::object{{"error",
                            {{"code", core::StatusCodeName(status.code())},
                             {"message", status.message()}}}},
              out);
  } else {
    err << "jcm: " << status.ToString() << "\n";
  }
  return status.code() == core::StatusCode::kInvalidArgument ? kUsage : kError;
}

int ReportRejection(const cycle::Rejection& r, bool as_json, std::ostream& out, std::ostream& err) {
  if (as_json) {
    PrintJson(json::object{{"rejected",
                            {{"check", r.number()}, {"name", r.name()}, {"message", r.message}}}},
              out);
  } else {
    err << "rejected by check " << r.number() << " (" << r.name() << "): " << r.message << "\n";
  }
  return kRejected;
}

int ReportLedgerRejection(const ledger::Rejection& r, bool as_json, std::ostream& out,
                          std::ostream& err) {
  if (as_json) {
    PrintJson(json::object{{"rejected",
                            {{"check", static_cast<int>(r.check)},
                             {"name", ledger::CheckName(r.check)},
                             {"message", r.message}}}},
              out);
  } else {
    err << "rejected by check " << static_cast<int>(r.check) << " (" << ledger::CheckName(r.check)
        << "): " << r.message << "\n";
  }
  return kRejected;
}

int DecideAndAppend(Session& session, const cycle::Actor& actor, cycle::Payload payload,
                    cycle::Event* accepted) {
  cycle::Outcome outcome =
      cycle::Decide(session.state, cycle::Command{actor, std::move(payload)}, session.today);
  if (auto* rejection = std::get_if<cycle::Rejection>(&outcome)) {
    return ReportRejection(*rejection, session.json, *session.out, *session.err);
  }
  const cycle::Event& event = std::get<cycle::Event>(outcome);
  auto appended = AppendEvent(session, event);
  if (!appended.ok())
    return ReportStatus(appended.status(), session.json, *session.out, *session.err);
  if (appended->rejection) {
    return ReportLedgerRejection(*appended->rejection, session.json, *session.out, *session.err);
  }
  cycle::Apply(session.state, event);
  if (accepted != nullptr) *accepted = event;
  const ledger::JournalEntry& entry = appended->entry;
  if (session.json) {
    json::object fields;
    for (const auto& [k, v] : entry.body.fields()) {
      if (!fields.contains(k)) fields[k] = v;
    }
    PrintJson(json::object{{"event",
                            {{"seq", entry.seq},
                             {"kind", entry.kind},
                             {"time", entry.time},
                             {"hash", entry.hash},
                             {"replayed", appended->replayed},
                             {"fields", std::move(fields)}}}},
              *session.out);
  } else {
    *session.out << entry.kind << " journaled as entry " << entry.seq
                 << (appended->replayed ? " (already journaled)" : "") << "\n";
  }
  return kOk;
}

core::Result<cycle::Document> DocumentFrom(Session& session, const Flags& flags,
                                           std::string_view flag, std::string type,
                                           bool confidential) {
  cycle::Document document;
  document.type = std::move(type);
  document.version = flags.Get("version").value_or("1");
  document.confidential = confidential;
  if (auto hex = flags.Get(std::string(flag) + "-sha256")) {
    document.sha256 = *hex;  // referenced only: the bytes are kept elsewhere
    return document;
  }
  auto path = flags.Get(flag);
  if (!path) return core::InvalidArgument("missing --" + std::string(flag) + " FILE");
  std::ifstream in(*path, std::ios::binary);
  if (!in) return core::InvalidArgument("cannot read document '" + *path + "'");
  std::string bytes;
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    bytes.append(buffer, static_cast<size_t>(in.gcount()));
    if (bytes.size() > store::kDocumentBytesMax) {
      return core::ResourceExhausted("document '" + *path + "' is larger than " +
                                     std::to_string(store::kDocumentBytesMax) + " bytes");
    }
  }
  document.sha256 = core::Sha256Hex(bytes);
  JCM_RETURN_IF_ERROR(session.store->PutDocument(document.sha256, bytes));
  return document;
}

namespace {

json::array Strings(const std::vector<std::string>& items) {
  json::array out;
  for (const std::string& s : items) out.emplace_back(s);
  return out;
}

json::value DateOrNull(const std::optional<core::Date>& date) {
  if (!date) return nullptr;
  return json::value(date->ToString());
}

}  // namespace

json::object ProjectSummaryJson(const cycle::Project& p) {
  std::string methodology;
  for (const std::string& m : p.methodologies) methodology += (methodology.empty() ? "" : " ") + m;
  return {{"reference", p.reference.empty() ? p.id : p.reference},
          {"id", p.id},
          {"country", p.partner},
          {"status", cycle::ToString(p.status)},
          {"methodology", methodology},
          {"methodologies", Strings(p.methodologies)},
          {"title", p.title},
          {"registration_date", DateOrNull(p.registration_date)}};
}

json::object ProjectDetailJson(const cycle::Project& p) {
  json::object o = ProjectSummaryJson(p);
  o["host_participants"] = Strings(p.host_participants);
  o["japanese_participants"] = Strings(p.japanese_participants);
  o["focal_point"] = p.focal_point;
  o["funding"] = cycle::ToString(p.funding);
  o["sectoral_scope"] = p.sectoral_scope;
  o["validator"] = p.validator;
  o["crediting_end"] = DateOrNull(p.crediting_end);
  json::array allocation;
  for (const cycle::Share& s : p.allocation) {
    allocation.push_back({{"side", s.side}, {"holder", s.holder}, {"share_bp", s.share_bp}});
  }
  o["allocation"] = std::move(allocation);
  json::array documents;
  for (const cycle::Document& d : p.documents) {
    documents.push_back({{"sha256", d.sha256},
                         {"type", d.type},
                         {"version", d.version},
                         {"confidential", d.confidential}});
  }
  o["documents"] = std::move(documents);
  json::array periods;
  for (const cycle::MonitoringPeriodState& m : p.periods) {
    json::array sides;
    for (const cycle::SideState& s : m.sides) {
      sides.push_back(
          {{"registry", s.side},
           {"notified_tco2e", s.amount_tco2e},
           {"issued_on", DateOrNull(s.executed)},
           {"status",
            s.executed ? "issued" : (s.amount_tco2e == 0 ? "nothing_to_issue" : "pending")},
           {"ledger_transaction", s.ledger_transaction}});
    }
    periods.push_back({{"period", m.period.ToString()},
                       {"status", cycle::ToString(m.status)},
                       {"reported_tco2e", m.reported_tco2e},
                       {"verified_tco2e", m.verified_tco2e},
                       {"verifier", m.verifier},
                       {"mrv_calculation_sha256", m.mrv_calculation_sha256},
                       {"requested_tco2e", m.requested_tco2e},
                       {"decision_date", DateOrNull(m.decision_date)},
                       {"decided_tco2e", m.decided_tco2e},
                       {"sides", std::move(sides)}});
  }
  o["monitoring_periods"] = std::move(periods);
  json::array history;
  for (const cycle::HistoryEntry& h : p.history) {
    history.push_back({{"date", h.date.ToString()}, {"kind", h.kind}, {"note", h.note}});
  }
  o["history"] = std::move(history);
  return o;
}

}  // namespace jcm::cli::cycle_cli
