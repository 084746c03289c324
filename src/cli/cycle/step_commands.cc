// jcm pin|pdd|validation|registration|project change|renew|withdraw: the project's steps.
#include <limits>

#include "cli/cycle/cycle_session.h"

namespace jcm::cli::cycle_cli {

using cycle::Actor;
using cycle::Role;

namespace {

std::string PartnerOf(const Session& s, const std::string& project) {
  const cycle::Project* p = s.state.FindProject(project);
  return p == nullptr ? "" : p->partner;
}

// "JP:government:50" or "MN:Tenuun Gerel LLC:12.5" → share in basis points.
core::Result<cycle::Share> ParseShare(const std::string& text) {
  size_t first = text.find(':');
  size_t last = text.rfind(':');
  if (first == std::string::npos || first == last) {
    return core::InvalidArgument("--share SIDE:HOLDER:PERCENT, got '" + text + "'");
  }
  std::string percent = text.substr(last + 1);
  size_t dot = percent.find('.');
  std::string whole = percent.substr(0, dot);
  std::string fraction = dot == std::string::npos ? "" : percent.substr(dot + 1);
  if (fraction.size() > 2) return core::InvalidArgument("percent has more than 2 decimals");
  fraction.append(2 - fraction.size(), '0');
  auto w = core::ParseInt64(whole);
  auto f = core::ParseInt64(fraction);
  if (!w || !f || *f < 0 || *w < 0 || *w > 100) {
    return core::InvalidArgument("bad percent '" + percent + "'");
  }
  return cycle::Share{text.substr(0, first), text.substr(first + 1, last - first - 1),
                      *w * 100 + *f};
}

int Usage(std::string_view text, std::ostream& out, std::ostream& err) {
  return ReportStatus(core::InvalidArgument(std::string("usage: ") + std::string(text)), false,
                      out, err);
}

}  // namespace

int RunProjectStep(std::string_view verb, std::span<const std::string_view> args,
                   std::ostream& out, std::ostream& err) {
  const std::string_view sub = args.empty() ? "" : args[0];
  auto rest = args.empty() ? args : args.subspan(1);
  if (verb == "pin" && sub == "submit") {
    return WithSession(
        rest, {"id", "partner", "title", "host", "japanese", "focal-point", "methodology",
               "methodology-version", "scope", "funding", "document", "document-sha256",
               "version", "date", "by"},
        {}, out, err, [&](const Flags& f, Session& s) {
          cycle::SubmitPin pin;
          JCM_CLI_ASSIGN(pin.pin_id, f.Require("id"));
          JCM_CLI_ASSIGN(pin.partner, f.Require("partner"));
          JCM_CLI_ASSIGN(pin.title, f.Require("title"));
          pin.host_participants = f.GetAll("host");
          pin.japanese_participants = f.GetAll("japanese");
          JCM_CLI_ASSIGN(pin.focal_point, f.Require("focal-point"));
          JCM_CLI_ASSIGN(pin.methodology, f.Require("methodology"));
          JCM_CLI_ASSIGN(pin.methodology_version, f.Require("methodology-version"));
          JCM_CLI_ASSIGN(pin.sectoral_scope, f.RequireInt("scope"));
          auto funding = cycle::ParseFundingSource(f.Get("funding").value_or("unknown"));
          if (!funding) return ReportStatus(core::InvalidArgument("unknown --funding"), s.json, out, err);
          pin.funding = *funding;
          JCM_CLI_ASSIGN(pin.document, DocumentFrom(f, "document", "pin"));
          JCM_CLI_ASSIGN(pin.date, f.RequireDate("date"));
          JCM_CLI_ASSIGN(std::string by, f.Require("by"));
          return DecideAndAppend(s, Actor{Role::kParticipant, by}, pin);
        });
  }
  if (verb == "pin" && sub == "decide") {
    return WithSession(rest, {"project", "date"}, {"no-objection", "objection"}, out, err,
                       [&](const Flags& f, Session& s) {
                         JCM_CLI_ASSIGN(std::string project, f.Require("project"));
                         JCM_CLI_ASSIGN(core::Date date, f.RequireDate("date"));
                         return DecideAndAppend(
                             s, Actor{Role::kJointCommittee, PartnerOf(s, project)},
                             cycle::DecidePin{project, !f.Has("objection"), date});
                       });
  }
  if (verb == "pdd" && sub == "submit") {
    return WithSession(
        rest, {"project", "document", "document-sha256", "public-copy", "public-copy-sha256",
               "version", "date", "by"},
        {"confidential"}, out, err, [&](const Flags& f, Session& s) {
          cycle::SubmitPdd pdd;
          JCM_CLI_ASSIGN(pdd.project, f.Require("project"));
          JCM_CLI_ASSIGN(pdd.document, DocumentFrom(f, "document", "pdd", f.Has("confidential")));
          if (f.Has("public-copy") || f.Has("public-copy-sha256")) {
            JCM_CLI_ASSIGN(pdd.public_copy, DocumentFrom(f, "public-copy", "pdd_public"));
          }
          JCM_CLI_ASSIGN(pdd.date, f.RequireDate("date"));
          JCM_CLI_ASSIGN(std::string by, f.Require("by"));
          return DecideAndAppend(s, Actor{Role::kParticipant, by}, pdd);
        });
  }
  if (verb == "validation" && sub == "submit") {
    return WithSession(rest, {"project", "tpe", "report", "report-sha256", "version", "date"},
                       {"positive", "negative"}, out, err, [&](const Flags& f, Session& s) {
                         cycle::SubmitValidation v;
                         JCM_CLI_ASSIGN(v.project, f.Require("project"));
                         JCM_CLI_ASSIGN(std::string tpe, f.Require("tpe"));
                         v.positive = !f.Has("negative");
                         JCM_CLI_ASSIGN(v.report, DocumentFrom(f, "report", "validation_report"));
                         JCM_CLI_ASSIGN(v.date, f.RequireDate("date"));
                         return DecideAndAppend(s, Actor{Role::kTpe, tpe}, v);
                       });
  }
  if (verb == "registration" && sub == "request") {
    return WithSession(rest, {"project", "share", "document", "document-sha256", "version",
                              "date", "by"},
                       {}, out, err, [&](const Flags& f, Session& s) {
                         cycle::RequestRegistration r;
                         JCM_CLI_ASSIGN(r.project, f.Require("project"));
                         for (const std::string& text : f.GetAll("share")) {
                           JCM_CLI_ASSIGN(cycle::Share share, ParseShare(text));
                           r.allocation.push_back(share);
                         }
                         JCM_CLI_ASSIGN(r.document,
                                        DocumentFrom(f, "document", "registration_request"));
                         JCM_CLI_ASSIGN(r.date, f.RequireDate("date"));
                         JCM_CLI_ASSIGN(std::string by, f.Require("by"));
                         return DecideAndAppend(s, Actor{Role::kParticipant, by}, r);
                       });
  }
  if (verb == "registration" && sub == "decide") {
    return WithSession(rest, {"project", "reference", "date"}, {"approve", "reject"}, out, err,
                       [&](const Flags& f, Session& s) {
                         JCM_CLI_ASSIGN(std::string project, f.Require("project"));
                         JCM_CLI_ASSIGN(core::Date date, f.RequireDate("date"));
                         return DecideAndAppend(
                             s, Actor{Role::kJointCommittee, PartnerOf(s, project)},
                             cycle::DecideRegistration{project, !f.Has("reject"),
                                                       f.Get("reference").value_or(""), date});
                       });
  }
  if (verb == "registration" && sub == "withdraw") {
    return WithSession(rest, {"project", "date", "by"}, {}, out, err,
                       [&](const Flags& f, Session& s) {
                         JCM_CLI_ASSIGN(std::string project, f.Require("project"));
                         JCM_CLI_ASSIGN(core::Date date, f.RequireDate("date"));
                         JCM_CLI_ASSIGN(std::string by, f.Require("by"));
                         return DecideAndAppend(s, Actor{Role::kParticipant, by},
                                                cycle::WithdrawRegistrationRequest{project, date});
                       });
  }
  if (verb == "project" && (sub == "change" || sub == "renew" || sub == "withdraw")) {
    return WithSession(rest, {"project", "description", "document", "document-sha256", "version",
                              "until", "date"},
                       {}, out, err, [&](const Flags& f, Session& s) {
                         JCM_CLI_ASSIGN(std::string project, f.Require("project"));
                         JCM_CLI_ASSIGN(core::Date date, f.RequireDate("date"));
                         Actor jc{Role::kJointCommittee, PartnerOf(s, project)};
                         if (sub == "withdraw") {
                           return DecideAndAppend(s, jc, cycle::WithdrawProject{project, date});
                         }
                         if (sub == "renew") {
                           JCM_CLI_ASSIGN(core::Date until, f.RequireDate("until"));
                           return DecideAndAppend(s, jc,
                                                  cycle::RenewCreditingPeriod{project, until, date});
                         }
                         JCM_CLI_ASSIGN(std::string description, f.Require("description"));
                         JCM_CLI_ASSIGN(cycle::Document doc,
                                        DocumentFrom(f, "document", "post_registration_change"));
                         return DecideAndAppend(s, jc,
                                                cycle::ApprovePostRegistrationChange{
                                                    project, description, doc, date});
                       });
  }
  return Usage("jcm pin submit|decide | pdd submit | validation submit | "
               "registration request|decide|withdraw | project change|renew|withdraw",
               out, err);
}

}  // namespace jcm::cli::cycle_cli
