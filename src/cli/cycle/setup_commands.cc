// jcm party|org|tpe|jc|methodology: parties, organisations, TPEs, Joint Committees, methodologies.
#include "cli/cycle/cycle_session.h"

namespace jcm::cli::cycle_cli {

using cycle::Actor;
using cycle::Role;

namespace {

// An optional date flag: nullopt when absent; the parse error in *status when malformed.
std::optional<core::Date> OptionalDate(const Flags& f, std::string_view name,
                                       core::Status* status) {
  auto text = f.Get(name);
  if (!text) return std::nullopt;
  auto date = core::Date::Parse(*text);
  if (!date.ok()) {
    *status = date.status();
    return std::nullopt;
  }
  return *date;
}

// The pair a methodology belongs to: the prefix of its code ("MN" of "MN_PM005").
std::string PairOf(const std::string& code) { return code.substr(0, code.find('_')); }

int PartyRegister(const Flags& f, Session& s) {
  core::Status bad;
  auto date = OptionalDate(f, "bilateral-date", &bad);
  if (!bad.ok()) return ReportStatus(bad, s.json, *s.out, *s.err);
  JCM_CLI_ASSIGN(std::string partner, f.Require("partner"));
  JCM_CLI_ASSIGN(std::string name, f.Require("name"));
  return DecideAndAppend(s, Actor{Role::kGovernment, "JP"},
                         cycle::RegisterParty{partner, name, date});
}

int OrgRegister(const Flags& f, Session& s) {
  JCM_CLI_ASSIGN(std::string id, f.Require("id"));
  JCM_CLI_ASSIGN(std::string name, f.Require("name"));
  JCM_CLI_ASSIGN(std::string country, f.Require("country"));
  return DecideAndAppend(s, Actor{Role::kSecretariat, country},
                         cycle::RegisterOrganisation{id, name, country});
}

int TpeDesignate(const Flags& f, Session& s) {
  JCM_CLI_ASSIGN(std::string partner, f.Require("partner"));
  JCM_CLI_ASSIGN(std::string org, f.Require("org"));
  JCM_CLI_ASSIGN(int64_t scope, f.RequireInt("scope"));
  JCM_CLI_ASSIGN(std::string function_text, f.Require("function"));
  JCM_CLI_ASSIGN(core::Date date, f.RequireDate("date"));
  auto function = cycle::ParseTpeFunction(function_text);
  if (!function) {
    return ReportStatus(core::InvalidArgument("--function validation|verification"), s.json, *s.out,
                        *s.err);
  }
  return DecideAndAppend(s, Actor{Role::kJointCommittee, partner},
                         cycle::DesignateTpe{partner, org, scope, *function, date});
}

int JcEstablish(const Flags& f, Session& s) {
  JCM_CLI_ASSIGN(std::string partner, f.Require("partner"));
  JCM_CLI_ASSIGN(std::string secretariat, f.Require("secretariat"));
  JCM_CLI_ASSIGN(core::Date date, f.RequireDate("date"));
  return DecideAndAppend(
      s, Actor{Role::kGovernment, "JP"},
      cycle::EstablishJointCommittee{partner, f.GetAll("member"), secretariat, date});
}

int JcDecision(const Flags& f, Session& s) {
  JCM_CLI_ASSIGN(std::string partner, f.Require("partner"));
  JCM_CLI_ASSIGN(std::string type, f.Require("type"));
  JCM_CLI_ASSIGN(std::string subject, f.Require("subject"));
  JCM_CLI_ASSIGN(core::Date date, f.RequireDate("date"));
  return DecideAndAppend(s, Actor{Role::kJointCommittee, partner},
                         cycle::RecordJcDecision{partner, type, subject, f.Has("electronic"),
                                                 f.GetAll("annex"), date});
}

int JcForm(const Flags& f, Session& s) {
  core::Status bad;
  auto effective = OptionalDate(f, "effective", &bad);
  if (!bad.ok()) return ReportStatus(bad, s.json, *s.out, *s.err);
  JCM_CLI_ASSIGN(std::string partner, f.Require("partner"));
  JCM_CLI_ASSIGN(std::string form, f.Require("form"));
  JCM_CLI_ASSIGN(std::string version, f.Require("version"));
  return DecideAndAppend(s, Actor{Role::kJointCommittee, partner},
                         cycle::AdoptForm{partner, form, version, effective});
}

int MethodologyPropose(const Flags& f, Session& s) {
  cycle::ProposeMethodology c;
  JCM_CLI_ASSIGN(c.proposal_code, f.Require("code"));
  JCM_CLI_ASSIGN(c.partner, f.Require("partner"));
  JCM_CLI_ASSIGN(c.title, f.Require("title"));
  JCM_CLI_ASSIGN(c.proponent, f.Require("proponent"));
  JCM_CLI_ASSIGN(c.sectoral_scope, f.RequireInt("scope"));
  JCM_CLI_ASSIGN(c.document, DocumentFrom(s, f, "document", "proposed_methodology"));
  JCM_CLI_ASSIGN(c.date, f.RequireDate("date"));
  return DecideAndAppend(s, Actor{Role::kProponent, c.proponent}, c);
}

int MethodologyCheck(const Flags& f, Session& s) {
  JCM_CLI_ASSIGN(std::string code, f.Require("code"));
  JCM_CLI_ASSIGN(core::Date date, f.RequireDate("date"));
  return DecideAndAppend(s, Actor{Role::kSecretariat, PairOf(code)},
                         cycle::CheckMethodologyCompleteness{code, !f.Has("incomplete"), date});
}

int MethodologyExtend(const Flags& f, Session& s) {
  JCM_CLI_ASSIGN(std::string code, f.Require("code"));
  JCM_CLI_ASSIGN(core::Date date, f.RequireDate("date"));
  return DecideAndAppend(s, Actor{Role::kJointCommittee, PairOf(code)},
                         cycle::ExtendMethodologyConsideration{code, date});
}

int MethodologyDecide(const Flags& f, Session& s) {
  JCM_CLI_ASSIGN(std::string code, f.Require("code"));
  JCM_CLI_ASSIGN(core::Date date, f.RequireDate("date"));
  return DecideAndAppend(
      s, Actor{Role::kJointCommittee, PairOf(code)},
      cycle::DecideMethodology{code, !f.Has("reject"), f.Get("approved-code").value_or(""),
                               f.Get("version").value_or(""), date});
}

int MethodologyRevise(const Flags& f, Session& s) {
  JCM_CLI_ASSIGN(std::string code, f.Require("code"));
  JCM_CLI_ASSIGN(std::string version, f.Require("version"));
  JCM_CLI_ASSIGN(cycle::Document doc, DocumentFrom(s, f, "document", "amr"));
  JCM_CLI_ASSIGN(core::Date date, f.RequireDate("date"));
  return DecideAndAppend(s, Actor{Role::kJointCommittee, PairOf(code)},
                         cycle::ReviseMethodology{code, version, doc, date});
}

int MethodologyList(const Flags&, Session& s) {
  boost::json::array list;
  for (const auto& [key, m] : s.state.methodologies) {
    boost::json::array versions;
    for (const auto& v : m.versions) versions.emplace_back(v.version);
    list.push_back({{"proposal_code", m.proposal_code},
                    {"approved_code", m.approved_code},
                    {"partner", m.partner},
                    {"status", cycle::ToString(m.status)},
                    {"title", m.title},
                    {"versions", std::move(versions)}});
    if (!s.json) {
      *s.out << (m.approved_code.empty() ? m.proposal_code : m.approved_code) << "\t"
             << cycle::ToString(m.status) << "\t" << m.title << "\n";
    }
  }
  if (s.json) PrintJson(list, *s.out);
  return kOk;
}

const VerbSpec kSetupVerbs[] = {
    {"party", "register", {"partner", "name", "bilateral-date"}, {}, PartyRegister},
    {"org", "register", {"id", "name", "country"}, {}, OrgRegister},
    {"tpe", "designate", {"partner", "org", "scope", "function", "date"}, {}, TpeDesignate},
    {"jc", "establish", {"partner", "member", "secretariat", "date"}, {}, JcEstablish},
    {"jc", "decision", {"partner", "type", "subject", "annex", "date"}, {"electronic"}, JcDecision},
    {"jc", "form", {"partner", "form", "version", "effective"}, {}, JcForm},
    {"methodology",
     "propose",
     {"code", "partner", "title", "proponent", "scope", "document", "document-sha256", "version",
      "date"},
     {},
     MethodologyPropose},
    {"methodology", "check", {"code", "date"}, {"complete", "incomplete"}, MethodologyCheck},
    {"methodology", "extend", {"code", "date"}, {}, MethodologyExtend},
    {"methodology",
     "decide",
     {"code", "approved-code", "version", "date"},
     {"approve", "reject"},
     MethodologyDecide},
    {"methodology",
     "revise",
     {"code", "version", "document", "document-sha256", "date"},
     {},
     MethodologyRevise},
    {"methodology", "list", {}, {}, MethodologyList},
};

}  // namespace

std::span<const VerbSpec> SetupVerbs() { return kSetupVerbs; }

}  // namespace jcm::cli::cycle_cli
