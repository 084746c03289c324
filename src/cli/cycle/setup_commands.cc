// jcm party|org|tpe|jc|methodology: parties, organisations, TPEs, Joint Committees, methodologies.
#include "cli/cycle/cycle_session.h"

namespace jcm::cli::cycle_cli {

using cycle::Actor;
using cycle::Role;

namespace {

int Usage(std::string_view text, std::ostream& out, std::ostream& err) {
  return ReportStatus(core::InvalidArgument(std::string("usage: ") + std::string(text)), false,
                      out, err);
}

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

}  // namespace

int RunSetup(std::string_view verb, std::span<const std::string_view> args, std::ostream& out,
             std::ostream& err) {
  const std::string_view sub = args.empty() ? "" : args[0];
  auto rest = args.empty() ? args : args.subspan(1);
  if (verb == "party" && sub == "register") {
    return WithSession(rest, {"partner", "name", "bilateral-date"}, {}, out, err,
                       [&](const Flags& f, Session& s) {
                         core::Status bad;
                         auto date = OptionalDate(f, "bilateral-date", &bad);
                         if (!bad.ok()) return ReportStatus(bad, s.json, out, err);
                         JCM_CLI_ASSIGN(std::string partner, f.Require("partner"));
                         JCM_CLI_ASSIGN(std::string name, f.Require("name"));
                         return DecideAndAppend(s, Actor{Role::kGovernment, "JP"},
                                                cycle::RegisterParty{partner, name, date});
                       });
  }
  if (verb == "org" && sub == "register") {
    return WithSession(rest, {"id", "name", "country"}, {}, out, err,
                       [&](const Flags& f, Session& s) {
                         JCM_CLI_ASSIGN(std::string id, f.Require("id"));
                         JCM_CLI_ASSIGN(std::string name, f.Require("name"));
                         JCM_CLI_ASSIGN(std::string country, f.Require("country"));
                         return DecideAndAppend(s, Actor{Role::kSecretariat, country},
                                                cycle::RegisterOrganisation{id, name, country});
                       });
  }
  if (verb == "tpe" && sub == "designate") {
    return WithSession(rest, {"partner", "org", "scope", "function", "date"}, {}, out, err,
                       [&](const Flags& f, Session& s) {
                         JCM_CLI_ASSIGN(std::string partner, f.Require("partner"));
                         JCM_CLI_ASSIGN(std::string org, f.Require("org"));
                         JCM_CLI_ASSIGN(int64_t scope, f.RequireInt("scope"));
                         JCM_CLI_ASSIGN(std::string function_text, f.Require("function"));
                         JCM_CLI_ASSIGN(core::Date date, f.RequireDate("date"));
                         auto function = cycle::ParseTpeFunction(function_text);
                         if (!function) {
                           return ReportStatus(
                               core::InvalidArgument("--function validation|verification"),
                               s.json, out, err);
                         }
                         return DecideAndAppend(
                             s, Actor{Role::kJointCommittee, partner},
                             cycle::DesignateTpe{partner, org, scope, *function, date});
                       });
  }
  if (verb == "jc" && sub == "establish") {
    return WithSession(rest, {"partner", "member", "secretariat", "date"}, {}, out, err,
                       [&](const Flags& f, Session& s) {
                         JCM_CLI_ASSIGN(std::string partner, f.Require("partner"));
                         JCM_CLI_ASSIGN(std::string secretariat, f.Require("secretariat"));
                         JCM_CLI_ASSIGN(core::Date date, f.RequireDate("date"));
                         return DecideAndAppend(
                             s, Actor{Role::kGovernment, "JP"},
                             cycle::EstablishJointCommittee{partner, f.GetAll("member"),
                                                            secretariat, date});
                       });
  }
  if (verb == "jc" && sub == "decision") {
    return WithSession(rest, {"partner", "type", "subject", "annex", "date"}, {"electronic"}, out,
                       err, [&](const Flags& f, Session& s) {
                         JCM_CLI_ASSIGN(std::string partner, f.Require("partner"));
                         JCM_CLI_ASSIGN(std::string type, f.Require("type"));
                         JCM_CLI_ASSIGN(std::string subject, f.Require("subject"));
                         JCM_CLI_ASSIGN(core::Date date, f.RequireDate("date"));
                         return DecideAndAppend(
                             s, Actor{Role::kJointCommittee, partner},
                             cycle::RecordJcDecision{partner, type, subject, f.Has("electronic"),
                                                     f.GetAll("annex"), date});
                       });
  }
  if (verb == "jc" && sub == "form") {
    return WithSession(rest, {"partner", "form", "version", "effective"}, {}, out, err,
                       [&](const Flags& f, Session& s) {
                         core::Status bad;
                         auto effective = OptionalDate(f, "effective", &bad);
                         if (!bad.ok()) return ReportStatus(bad, s.json, out, err);
                         JCM_CLI_ASSIGN(std::string partner, f.Require("partner"));
                         JCM_CLI_ASSIGN(std::string form, f.Require("form"));
                         JCM_CLI_ASSIGN(std::string version, f.Require("version"));
                         return DecideAndAppend(
                             s, Actor{Role::kJointCommittee, partner},
                             cycle::AdoptForm{partner, form, version, effective});
                       });
  }
  return Usage("jcm party register | org register | tpe designate | jc establish|decision|form",
               out, err);
}

int RunMethodology(std::span<const std::string_view> args, std::ostream& out, std::ostream& err) {
  const std::string_view sub = args.empty() ? "" : args[0];
  auto rest = args.empty() ? args : args.subspan(1);
  // The JC and secretariat of the methodology's pair act; the pair is its code's prefix.
  auto pair_of = [](const std::string& code) { return code.substr(0, code.find('_')); };
  if (sub == "propose") {
    return WithSession(
        rest, {"code", "partner", "title", "proponent", "scope", "document", "document-sha256",
               "version", "date"},
        {}, out, err, [&](const Flags& f, Session& s) {
          JCM_CLI_ASSIGN(std::string code, f.Require("code"));
          JCM_CLI_ASSIGN(std::string partner, f.Require("partner"));
          JCM_CLI_ASSIGN(std::string title, f.Require("title"));
          JCM_CLI_ASSIGN(std::string proponent, f.Require("proponent"));
          JCM_CLI_ASSIGN(int64_t scope, f.RequireInt("scope"));
          JCM_CLI_ASSIGN(cycle::Document doc, DocumentFrom(f, "document", "proposed_methodology"));
          JCM_CLI_ASSIGN(core::Date date, f.RequireDate("date"));
          return DecideAndAppend(s, Actor{Role::kProponent, proponent},
                                 cycle::ProposeMethodology{code, partner, title, proponent, scope,
                                                           doc, date});
        });
  }
  if (sub == "check") {
    return WithSession(rest, {"code", "date"}, {"complete", "incomplete"}, out, err,
                       [&](const Flags& f, Session& s) {
                         JCM_CLI_ASSIGN(std::string code, f.Require("code"));
                         JCM_CLI_ASSIGN(core::Date date, f.RequireDate("date"));
                         return DecideAndAppend(
                             s, Actor{Role::kSecretariat, pair_of(code)},
                             cycle::CheckMethodologyCompleteness{code, !f.Has("incomplete"), date});
                       });
  }
  if (sub == "extend") {
    return WithSession(rest, {"code", "date"}, {}, out, err, [&](const Flags& f, Session& s) {
      JCM_CLI_ASSIGN(std::string code, f.Require("code"));
      JCM_CLI_ASSIGN(core::Date date, f.RequireDate("date"));
      return DecideAndAppend(s, Actor{Role::kJointCommittee, pair_of(code)},
                             cycle::ExtendMethodologyConsideration{code, date});
    });
  }
  if (sub == "decide") {
    return WithSession(rest, {"code", "approved-code", "version", "date"}, {"approve", "reject"},
                       out, err, [&](const Flags& f, Session& s) {
                         JCM_CLI_ASSIGN(std::string code, f.Require("code"));
                         JCM_CLI_ASSIGN(core::Date date, f.RequireDate("date"));
                         bool approve = !f.Has("reject");
                         return DecideAndAppend(
                             s, Actor{Role::kJointCommittee, pair_of(code)},
                             cycle::DecideMethodology{code, approve,
                                                      f.Get("approved-code").value_or(""),
                                                      f.Get("version").value_or(""), date});
                       });
  }
  if (sub == "revise") {
    return WithSession(rest, {"code", "version", "document", "document-sha256", "date"}, {}, out,
                       err, [&](const Flags& f, Session& s) {
                         JCM_CLI_ASSIGN(std::string code, f.Require("code"));
                         JCM_CLI_ASSIGN(std::string version, f.Require("version"));
                         JCM_CLI_ASSIGN(cycle::Document doc, DocumentFrom(f, "document", "amr"));
                         JCM_CLI_ASSIGN(core::Date date, f.RequireDate("date"));
                         return DecideAndAppend(s, Actor{Role::kJointCommittee, pair_of(code)},
                                                cycle::ReviseMethodology{code, version, doc, date});
                       });
  }
  if (sub == "list") {
    return WithSession(rest, {}, {}, out, err, [&](const Flags&, Session& s) {
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
          out << (m.approved_code.empty() ? m.proposal_code : m.approved_code) << "\t"
              << cycle::ToString(m.status) << "\t" << m.title << "\n";
        }
      }
      if (s.json) PrintJson(list, out);
      return kOk;
    });
  }
  return Usage("jcm methodology propose|check|extend|decide|revise|list", out, err);
}

}  // namespace jcm::cli::cycle_cli
