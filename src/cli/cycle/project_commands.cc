// jcm pin|pdd|validation|registration|project change|renew|withdraw: the project's steps.
#include "cli/cycle/cycle_cli.h"
#include "core/record.h"

namespace jcm::cli::cycle_cli {
namespace {

// "JP:government:50" or "MN:Tenuun Gerel LLC:12.5" → a share in basis points.
core::Result<cycle::Share> ParseShare(const std::string& text) {
  const size_t first = text.find(':');
  const size_t last = text.rfind(':');
  if (first == std::string::npos || first == last) {
    return core::InvalidArgument("--share SIDE:HOLDER:PERCENT, got '" + text + "'");
  }
  const std::string percent = text.substr(last + 1);
  const size_t dot = percent.find('.');
  const std::string whole = percent.substr(0, dot);
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

core::Status PinSubmit(CycleRun& c) {
  const Args& a = c.args();
  cycle::SubmitPin pin;
  JCM_ASSIGN_OR_RETURN(pin.pin_id, a.Require("id"));
  JCM_ASSIGN_OR_RETURN(pin.partner, a.Require("partner"));
  JCM_ASSIGN_OR_RETURN(pin.title, a.Require("title"));
  pin.host_participants = a.GetAll("host");
  pin.japanese_participants = a.GetAll("japanese");
  JCM_ASSIGN_OR_RETURN(pin.focal_point, a.Require("focal-point"));
  JCM_ASSIGN_OR_RETURN(pin.methodology, a.Require("methodology"));
  JCM_ASSIGN_OR_RETURN(pin.methodology_version, a.Require("methodology-version"));
  JCM_ASSIGN_OR_RETURN(pin.sectoral_scope, a.RequireInt("scope"));
  auto funding = cycle::ParseFundingSource(a.Get("funding").value_or("unknown"));
  if (!funding) return core::InvalidArgument("unknown --funding");
  pin.funding = *funding;
  JCM_ASSIGN_OR_RETURN(pin.date, a.RequireDate("date"));
  JCM_ASSIGN_OR_RETURN(std::string by, a.Require("by"));
  JCM_ASSIGN_OR_RETURN(pin.document, DocumentFrom(c, "document", "pin"));
  return RunStep(c, pin, by);
}

core::Status PinDecide(CycleRun& c) {
  cycle::DecidePin d;
  JCM_ASSIGN_OR_RETURN(d.project, c.args().Require("project"));
  JCM_ASSIGN_OR_RETURN(d.date, c.args().RequireDate("date"));
  d.no_objection = !c.args().Has("objection");
  return RunStep(c, d);
}

core::Status PddSubmit(CycleRun& c) {
  cycle::SubmitPdd pdd;
  JCM_ASSIGN_OR_RETURN(pdd.project, c.args().Require("project"));
  JCM_ASSIGN_OR_RETURN(pdd.date, c.args().RequireDate("date"));
  JCM_ASSIGN_OR_RETURN(std::string by, c.args().Require("by"));
  JCM_ASSIGN_OR_RETURN(pdd.document,
                       DocumentFrom(c, "document", "pdd", c.args().Has("confidential")));
  if (c.args().Has("public-copy") || c.args().Has("public-copy-sha256")) {
    JCM_ASSIGN_OR_RETURN(pdd.public_copy, DocumentFrom(c, "public-copy", "pdd_public"));
  }
  return RunStep(c, pdd, by);
}

core::Status ValidationSubmit(CycleRun& c) {
  cycle::SubmitValidation v;
  JCM_ASSIGN_OR_RETURN(v.project, c.args().Require("project"));
  JCM_ASSIGN_OR_RETURN(std::string tpe, c.args().Require("tpe"));
  JCM_ASSIGN_OR_RETURN(v.date, c.args().RequireDate("date"));
  v.positive = !c.args().Has("negative");
  JCM_ASSIGN_OR_RETURN(v.report, DocumentFrom(c, "report", "validation_report"));
  return RunStep(c, v, tpe);
}

core::Status RegistrationRequest(CycleRun& c) {
  cycle::RequestRegistration r;
  JCM_ASSIGN_OR_RETURN(r.project, c.args().Require("project"));
  for (const std::string& text : c.args().GetAll("share")) {
    JCM_ASSIGN_OR_RETURN(cycle::Share share, ParseShare(text));
    r.allocation.push_back(share);
  }
  JCM_ASSIGN_OR_RETURN(r.date, c.args().RequireDate("date"));
  JCM_ASSIGN_OR_RETURN(std::string by, c.args().Require("by"));
  JCM_ASSIGN_OR_RETURN(r.document, DocumentFrom(c, "document", "registration_request"));
  return RunStep(c, r, by);
}

core::Status RegistrationDecide(CycleRun& c) {
  cycle::DecideRegistration d;
  JCM_ASSIGN_OR_RETURN(d.project, c.args().Require("project"));
  JCM_ASSIGN_OR_RETURN(d.date, c.args().RequireDate("date"));
  d.approve = !c.args().Has("reject");
  d.reference = c.args().Get("reference").value_or("");
  return RunStep(c, d);
}

core::Status RegistrationWithdraw(CycleRun& c) {
  cycle::WithdrawRegistrationRequest w;
  JCM_ASSIGN_OR_RETURN(w.project, c.args().Require("project"));
  JCM_ASSIGN_OR_RETURN(w.date, c.args().RequireDate("date"));
  JCM_ASSIGN_OR_RETURN(std::string by, c.args().Require("by"));
  return RunStep(c, w, by);
}

core::Status ProjectChange(CycleRun& c) {
  cycle::ApprovePostRegistrationChange change;
  JCM_ASSIGN_OR_RETURN(change.project, c.args().Require("project"));
  JCM_ASSIGN_OR_RETURN(change.description, c.args().Require("description"));
  JCM_ASSIGN_OR_RETURN(change.date, c.args().RequireDate("date"));
  JCM_ASSIGN_OR_RETURN(change.document, DocumentFrom(c, "document", "post_registration_change"));
  return RunStep(c, change);
}

core::Status ProjectRenew(CycleRun& c) {
  cycle::RenewCreditingPeriod renew;
  JCM_ASSIGN_OR_RETURN(renew.project, c.args().Require("project"));
  JCM_ASSIGN_OR_RETURN(renew.until, c.args().RequireDate("until"));
  JCM_ASSIGN_OR_RETURN(renew.date, c.args().RequireDate("date"));
  return RunStep(c, renew);
}

core::Status ProjectWithdraw(CycleRun& c) {
  cycle::WithdrawProject withdraw;
  JCM_ASSIGN_OR_RETURN(withdraw.project, c.args().Require("project"));
  JCM_ASSIGN_OR_RETURN(withdraw.date, c.args().RequireDate("date"));
  return RunStep(c, withdraw);
}

constexpr std::string_view kGroup = "project cycle";

const CommandSpec kCommands[] = {
    {"pin submit",
     kGroup,
     "submit | decide: a Project Idea Note and the JC's answer",
     "jcm pin submit --db FILE --id CC_PINnnn --partner CC --title T --host ORG …\n"
     "               --japanese ORG … --focal-point ORG --methodology CC_AMnnn\n"
     "               --methodology-version V --scope N [--funding SOURCE] --document F\n"
     "               --date D --by ORG\n",
     StepFlags({"id", "partner", "title", "host...", "japanese...", "focal-point", "methodology",
                "methodology-version", "scope", "funding", "document", "document-sha256", "version",
                "date", "by"}),
     {},
     WithCycle<PinSubmit>},
    {"pin decide",
     kGroup,
     "",
     "jcm pin decide --db FILE --project ID (--no-objection|--objection) --date D\n",
     StepFlags({"project", "date"}),
     {"no-objection", "objection"},
     WithCycle<PinDecide>},
    {"pdd submit",
     kGroup,
     "submit: the project design document",
     "jcm pdd submit --db FILE --project ID --document F [--confidential --public-copy F]\n"
     "               --date D --by ORG\n",
     StepFlags({"project", "document", "document-sha256", "public-copy", "public-copy-sha256",
                "version", "date", "by"}),
     {"confidential"},
     WithCycle<PddSubmit>},
    {"validation submit",
     kGroup,
     "submit: a TPE's validation opinion",
     "jcm validation submit --db FILE --project ID --tpe ORG (--positive|--negative)\n"
     "                      --report F --date D\n",
     StepFlags({"project", "tpe", "report", "report-sha256", "version", "date"}),
     {"positive", "negative"},
     WithCycle<ValidationSubmit>},
    {"registration request",
     kGroup,
     "request | decide | withdraw: registration by the JC",
     "jcm registration request --db FILE --project ID --share SIDE:HOLDER:PERCENT …\n"
     "                         --document F --date D --by ORG\n",
     StepFlags({"project", "share...", "document", "document-sha256", "version", "date", "by"}),
     {},
     WithCycle<RegistrationRequest>},
    {"registration decide",
     kGroup,
     "",
     "jcm registration decide --db FILE --project ID (--approve [--reference REF]|--reject)\n"
     "                        --date D\n",
     StepFlags({"project", "reference", "date"}),
     {"approve", "reject"},
     WithCycle<RegistrationDecide>},
    {"registration withdraw",
     kGroup,
     "",
     "jcm registration withdraw --db FILE --project ID --date D --by ORG\n"
     "  Every step takes [--key K] [--today D] [--json].\n",
     StepFlags({"project", "date", "by"}),
     {},
     WithCycle<RegistrationWithdraw>},
    {"project change",
     kGroup,
     "",
     "jcm project change --db FILE --project REF --description T --document F --date D\n",
     StepFlags({"project", "description", "document", "document-sha256", "version", "date"}),
     {},
     WithCycle<ProjectChange>},
    {"project renew",
     kGroup,
     "",
     "jcm project renew --db FILE --project REF --until D --date D\n",
     StepFlags({"project", "until", "date"}),
     {},
     WithCycle<ProjectRenew>},
    {"project withdraw",
     kGroup,
     "",
     "jcm project withdraw --db FILE --project REF --date D\n"
     "  Every step takes [--key K] [--today D] [--json].\n",
     StepFlags({"project", "date"}),
     {},
     WithCycle<ProjectWithdraw>},
};
}  // namespace

std::span<const CommandSpec> ProjectCommands() { return kCommands; }

}  // namespace jcm::cli::cycle_cli
