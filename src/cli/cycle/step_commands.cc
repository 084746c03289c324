// jcm pin|pdd|validation|registration|project change|renew|withdraw: the project's steps.
#include "cli/cycle/cycle_session.h"

namespace jcm::cli::cycle_cli {

using cycle::Actor;
using cycle::Role;

namespace {

std::string PartnerOf(const Session& s, const std::string& project) {
  const cycle::Project* p = s.state.FindProject(project);
  return p == nullptr ? "" : p->partner;
}

// The Joint Committee of the project's pair (an unknown project is Decide's to reject).
Actor JointCommitteeOf(const Session& s, const std::string& project) {
  return Actor{Role::kJointCommittee, PartnerOf(s, project)};
}

// "JP:government:50" or "MN:Tenuun Gerel LLC:12.5" → a share in basis points.
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

int PinSubmit(const Flags& f, Session& s) {
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
  if (!funding) {
    return ReportStatus(core::InvalidArgument("unknown --funding"), s.json, *s.out, *s.err);
  }
  pin.funding = *funding;
  JCM_CLI_ASSIGN(pin.document, DocumentFrom(s, f, "document", "pin"));
  JCM_CLI_ASSIGN(pin.date, f.RequireDate("date"));
  JCM_CLI_ASSIGN(std::string by, f.Require("by"));
  return DecideAndAppend(s, Actor{Role::kParticipant, by}, pin);
}

int PinDecide(const Flags& f, Session& s) {
  JCM_CLI_ASSIGN(std::string project, f.Require("project"));
  JCM_CLI_ASSIGN(core::Date date, f.RequireDate("date"));
  return DecideAndAppend(s, JointCommitteeOf(s, project),
                         cycle::DecidePin{project, !f.Has("objection"), date});
}

int PddSubmit(const Flags& f, Session& s) {
  cycle::SubmitPdd pdd;
  JCM_CLI_ASSIGN(pdd.project, f.Require("project"));
  JCM_CLI_ASSIGN(pdd.document, DocumentFrom(s, f, "document", "pdd", f.Has("confidential")));
  if (f.Has("public-copy") || f.Has("public-copy-sha256")) {
    JCM_CLI_ASSIGN(pdd.public_copy, DocumentFrom(s, f, "public-copy", "pdd_public"));
  }
  JCM_CLI_ASSIGN(pdd.date, f.RequireDate("date"));
  JCM_CLI_ASSIGN(std::string by, f.Require("by"));
  return DecideAndAppend(s, Actor{Role::kParticipant, by}, pdd);
}

int ValidationSubmit(const Flags& f, Session& s) {
  cycle::SubmitValidation v;
  JCM_CLI_ASSIGN(v.project, f.Require("project"));
  JCM_CLI_ASSIGN(std::string tpe, f.Require("tpe"));
  v.positive = !f.Has("negative");
  JCM_CLI_ASSIGN(v.report, DocumentFrom(s, f, "report", "validation_report"));
  JCM_CLI_ASSIGN(v.date, f.RequireDate("date"));
  return DecideAndAppend(s, Actor{Role::kTpe, tpe}, v);
}

int RegistrationRequest(const Flags& f, Session& s) {
  cycle::RequestRegistration r;
  JCM_CLI_ASSIGN(r.project, f.Require("project"));
  for (const std::string& text : f.GetAll("share")) {
    JCM_CLI_ASSIGN(cycle::Share share, ParseShare(text));
    r.allocation.push_back(share);
  }
  JCM_CLI_ASSIGN(r.document, DocumentFrom(s, f, "document", "registration_request"));
  JCM_CLI_ASSIGN(r.date, f.RequireDate("date"));
  JCM_CLI_ASSIGN(std::string by, f.Require("by"));
  return DecideAndAppend(s, Actor{Role::kParticipant, by}, r);
}

int RegistrationDecide(const Flags& f, Session& s) {
  JCM_CLI_ASSIGN(std::string project, f.Require("project"));
  JCM_CLI_ASSIGN(core::Date date, f.RequireDate("date"));
  return DecideAndAppend(
      s, JointCommitteeOf(s, project),
      cycle::DecideRegistration{project, !f.Has("reject"), f.Get("reference").value_or(""), date});
}

int RegistrationWithdraw(const Flags& f, Session& s) {
  JCM_CLI_ASSIGN(std::string project, f.Require("project"));
  JCM_CLI_ASSIGN(core::Date date, f.RequireDate("date"));
  JCM_CLI_ASSIGN(std::string by, f.Require("by"));
  return DecideAndAppend(s, Actor{Role::kParticipant, by},
                         cycle::WithdrawRegistrationRequest{project, date});
}

int ProjectChange(const Flags& f, Session& s) {
  JCM_CLI_ASSIGN(std::string project, f.Require("project"));
  JCM_CLI_ASSIGN(std::string description, f.Require("description"));
  JCM_CLI_ASSIGN(cycle::Document doc, DocumentFrom(s, f, "document", "post_registration_change"));
  JCM_CLI_ASSIGN(core::Date date, f.RequireDate("date"));
  return DecideAndAppend(s, JointCommitteeOf(s, project),
                         cycle::ApprovePostRegistrationChange{project, description, doc, date});
}

int ProjectRenew(const Flags& f, Session& s) {
  JCM_CLI_ASSIGN(std::string project, f.Require("project"));
  JCM_CLI_ASSIGN(core::Date until, f.RequireDate("until"));
  JCM_CLI_ASSIGN(core::Date date, f.RequireDate("date"));
  return DecideAndAppend(s, JointCommitteeOf(s, project),
                         cycle::RenewCreditingPeriod{project, until, date});
}

int ProjectWithdraw(const Flags& f, Session& s) {
  JCM_CLI_ASSIGN(std::string project, f.Require("project"));
  JCM_CLI_ASSIGN(core::Date date, f.RequireDate("date"));
  return DecideAndAppend(s, JointCommitteeOf(s, project), cycle::WithdrawProject{project, date});
}

const VerbSpec kProjectVerbs[] = {
    {"pin",
     "submit",
     {"id", "partner", "title", "host", "japanese", "focal-point", "methodology",
      "methodology-version", "scope", "funding", "document", "document-sha256", "version", "date",
      "by"},
     {},
     PinSubmit},
    {"pin", "decide", {"project", "date"}, {"no-objection", "objection"}, PinDecide},
    {"pdd",
     "submit",
     {"project", "document", "document-sha256", "public-copy", "public-copy-sha256", "version",
      "date", "by"},
     {"confidential"},
     PddSubmit},
    {"validation",
     "submit",
     {"project", "tpe", "report", "report-sha256", "version", "date"},
     {"positive", "negative"},
     ValidationSubmit},
    {"registration",
     "request",
     {"project", "share", "document", "document-sha256", "version", "date", "by"},
     {},
     RegistrationRequest},
    {"registration",
     "decide",
     {"project", "reference", "date"},
     {"approve", "reject"},
     RegistrationDecide},
    {"registration", "withdraw", {"project", "date", "by"}, {}, RegistrationWithdraw},
    {"project",
     "change",
     {"project", "description", "document", "document-sha256", "version", "date"},
     {},
     ProjectChange},
    {"project", "renew", {"project", "until", "date"}, {}, ProjectRenew},
    {"project", "withdraw", {"project", "date"}, {}, ProjectWithdraw},
};

}  // namespace

std::span<const VerbSpec> ProjectVerbs() { return kProjectVerbs; }

}  // namespace jcm::cli::cycle_cli
