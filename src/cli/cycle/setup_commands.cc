// jcm party|org|tpe|jc|methodology: parties, organisations, TPEs, Joint Committees, methodologies.
#include <ostream>

#include "cli/cycle/cycle_cli.h"
#include "service/json/cycle_json.h"

namespace jcm::cli::cycle_cli {
namespace {

// An optional date flag: nullopt when absent.
core::Result<std::optional<core::Date>> OptionalDate(const Args& args, std::string_view name) {
  auto text = args.Get(name);
  if (!text) return std::optional<core::Date>();
  JCM_ASSIGN_OR_RETURN(core::Date date, core::Date::Parse(*text));
  return std::optional<core::Date>(date);
}

core::Status PartyRegister(CycleRun& c) {
  cycle::RegisterParty c_;
  JCM_ASSIGN_OR_RETURN(c_.bilateral_date, OptionalDate(c.args(), "bilateral-date"));
  JCM_ASSIGN_OR_RETURN(c_.partner, c.args().Require("partner"));
  JCM_ASSIGN_OR_RETURN(c_.name, c.args().Require("name"));
  return RunStep(c, c_);
}

core::Status OrgRegister(CycleRun& c) {
  cycle::RegisterOrganisation org;
  JCM_ASSIGN_OR_RETURN(org.org_id, c.args().Require("id"));
  JCM_ASSIGN_OR_RETURN(org.name, c.args().Require("name"));
  JCM_ASSIGN_OR_RETURN(org.country, c.args().Require("country"));
  return RunStep(c, org);
}

core::Status TpeDesignate(CycleRun& c) {
  cycle::DesignateTpe tpe;
  JCM_ASSIGN_OR_RETURN(tpe.partner, c.args().Require("partner"));
  JCM_ASSIGN_OR_RETURN(tpe.org_id, c.args().Require("org"));
  JCM_ASSIGN_OR_RETURN(tpe.sectoral_scope, c.args().RequireInt("scope"));
  JCM_ASSIGN_OR_RETURN(std::string function, c.args().Require("function"));
  JCM_ASSIGN_OR_RETURN(tpe.date, c.args().RequireDate("date"));
  auto parsed = cycle::ParseTpeFunction(function);
  if (!parsed) return core::InvalidArgument("--function validation|verification");
  tpe.function = *parsed;
  return RunStep(c, tpe);
}

core::Status JcEstablish(CycleRun& c) {
  cycle::EstablishJointCommittee jc;
  JCM_ASSIGN_OR_RETURN(jc.partner, c.args().Require("partner"));
  JCM_ASSIGN_OR_RETURN(jc.secretariat, c.args().Require("secretariat"));
  JCM_ASSIGN_OR_RETURN(jc.date, c.args().RequireDate("date"));
  jc.members = c.args().GetAll("member");
  return RunStep(c, jc);
}

core::Status JcDecision(CycleRun& c) {
  cycle::RecordJcDecision d;
  JCM_ASSIGN_OR_RETURN(d.partner, c.args().Require("partner"));
  JCM_ASSIGN_OR_RETURN(d.type, c.args().Require("type"));
  JCM_ASSIGN_OR_RETURN(d.subject, c.args().Require("subject"));
  JCM_ASSIGN_OR_RETURN(d.date, c.args().RequireDate("date"));
  d.electronic = c.args().Has("electronic");
  d.annexes = c.args().GetAll("annex");
  return RunStep(c, d);
}

core::Status JcForm(CycleRun& c) {
  cycle::AdoptForm form;
  JCM_ASSIGN_OR_RETURN(form.effective, OptionalDate(c.args(), "effective"));
  JCM_ASSIGN_OR_RETURN(form.partner, c.args().Require("partner"));
  JCM_ASSIGN_OR_RETURN(form.form, c.args().Require("form"));
  JCM_ASSIGN_OR_RETURN(form.version, c.args().Require("version"));
  return RunStep(c, form);
}

core::Status MethodologyPropose(CycleRun& c) {
  cycle::ProposeMethodology m;
  JCM_ASSIGN_OR_RETURN(m.proposal_code, c.args().Require("code"));
  JCM_ASSIGN_OR_RETURN(m.partner, c.args().Require("partner"));
  JCM_ASSIGN_OR_RETURN(m.title, c.args().Require("title"));
  JCM_ASSIGN_OR_RETURN(m.proponent, c.args().Require("proponent"));
  JCM_ASSIGN_OR_RETURN(m.sectoral_scope, c.args().RequireInt("scope"));
  JCM_ASSIGN_OR_RETURN(m.date, c.args().RequireDate("date"));
  JCM_ASSIGN_OR_RETURN(m.document, DocumentFrom(c, "document", "proposed_methodology"));
  return RunStep(c, m);
}

core::Status MethodologyCheck(CycleRun& c) {
  cycle::CheckMethodologyCompleteness m;
  JCM_ASSIGN_OR_RETURN(m.proposal_code, c.args().Require("code"));
  JCM_ASSIGN_OR_RETURN(m.date, c.args().RequireDate("date"));
  m.complete = !c.args().Has("incomplete");
  return RunStep(c, m);
}

core::Status MethodologyExtend(CycleRun& c) {
  cycle::ExtendMethodologyConsideration m;
  JCM_ASSIGN_OR_RETURN(m.proposal_code, c.args().Require("code"));
  JCM_ASSIGN_OR_RETURN(m.date, c.args().RequireDate("date"));
  return RunStep(c, m);
}

core::Status MethodologyDecide(CycleRun& c) {
  cycle::DecideMethodology m;
  JCM_ASSIGN_OR_RETURN(m.proposal_code, c.args().Require("code"));
  JCM_ASSIGN_OR_RETURN(m.date, c.args().RequireDate("date"));
  m.approve = !c.args().Has("reject");
  m.approved_code = c.args().Get("approved-code").value_or("");
  m.version = c.args().Get("version").value_or("");
  return RunStep(c, m);
}

core::Status MethodologyRevise(CycleRun& c) {
  cycle::ReviseMethodology m;
  JCM_ASSIGN_OR_RETURN(m.approved_code, c.args().Require("code"));
  JCM_ASSIGN_OR_RETURN(m.version, c.args().Require("version"));
  JCM_ASSIGN_OR_RETURN(m.date, c.args().RequireDate("date"));
  JCM_ASSIGN_OR_RETURN(m.document, DocumentFrom(c, "document", "amr"));
  return RunStep(c, m);
}

core::Status MethodologyList(CycleRun& c) {
  JCM_ASSIGN_OR_RETURN(std::vector<cycle::Methodology> list, c.service.Methodologies());
  c.run.print.Json(service::json::CycleMethodologyListJson(list));
  if (c.run.print.json()) return core::OkStatus();
  for (const cycle::Methodology& m : list) {
    c.run.print.out() << (m.approved_code.empty() ? m.proposal_code : m.approved_code) << "\t"
                      << cycle::ToString(m.status) << "\t" << m.title << "\n";
  }
  return core::OkStatus();
}

constexpr std::string_view kGroup = "project cycle";

const CommandSpec kCommands[] = {
    {"party register",
     kGroup,
     "register: a partner country of a bilateral JCM",
     "jcm party register --db FILE --partner CC --name N [--bilateral-date D] [--key K]\n",
     StepFlags({"partner", "name", "bilateral-date"}),
     {},
     WithCycle<PartyRegister>},
    {"org register",
     kGroup,
     "register: an organisation (participant, proponent, TPE)",
     "jcm org register --db FILE --id ID --name N --country CC [--key K]\n",
     StepFlags({"id", "name", "country"}),
     {},
     WithCycle<OrgRegister>},
    {"tpe designate",
     kGroup,
     "designate: a third-party entity for a scope and function",
     "jcm tpe designate --db FILE --partner CC --org ID --scope N\n"
     "                  --function validation|verification --date D [--key K]\n",
     StepFlags({"partner", "org", "scope", "function", "date"}),
     {},
     WithCycle<TpeDesignate>},
    {"jc establish",
     kGroup,
     "establish | decision | form: the Joint Committee of a pair",
     "jcm jc establish --db FILE --partner CC --secretariat S [--member M …] --date D\n",
     StepFlags({"partner", "member...", "secretariat", "date"}),
     {},
     WithCycle<JcEstablish>},
    {"jc decision",
     kGroup,
     "",
     "jcm jc decision --db FILE --partner CC --type T --subject S [--electronic]\n"
     "                [--annex A …] --date D\n",
     StepFlags({"partner", "type", "subject", "annex...", "date"}),
     {"electronic"},
     WithCycle<JcDecision>},
    {"jc form",
     kGroup,
     "",
     "jcm jc form --db FILE --partner CC --form JCM_CC_F_X --version V [--effective D]\n"
     "  Every jc step takes [--key K] [--today D] [--json].\n",
     StepFlags({"partner", "form", "version", "effective"}),
     {},
     WithCycle<JcForm>},
    {"methodology propose",
     kGroup,
     "list | propose | check | extend | decide | revise",
     "jcm methodology list --db FILE [--json]\n"
     "jcm methodology propose --db FILE --code CC_PMnnn --partner CC --title T --proponent ORG\n"
     "                        --scope N --document F --date D\n",
     StepFlags({"code", "partner", "title", "proponent", "scope", "document", "document-sha256",
                "version", "date"}),
     {},
     WithCycle<MethodologyPropose>},
    {"methodology check",
     kGroup,
     "",
     "jcm methodology check --db FILE --code C (--complete|--incomplete) --date D\n",
     StepFlags({"code", "date"}),
     {"complete", "incomplete"},
     WithCycle<MethodologyCheck>},
    {"methodology extend",
     kGroup,
     "",
     "jcm methodology extend --db FILE --code C --date D\n",
     StepFlags({"code", "date"}),
     {},
     WithCycle<MethodologyExtend>},
    {"methodology decide",
     kGroup,
     "",
     "jcm methodology decide --db FILE --code C (--approve --approved-code CC_AMnnn\n"
     "                       --version 1.0 | --reject) --date D\n",
     StepFlags({"code", "approved-code", "version", "date"}),
     {"approve", "reject"},
     WithCycle<MethodologyDecide>},
    {"methodology revise",
     kGroup,
     "",
     "jcm methodology revise --db FILE --code CC_AMnnn --version V --document F --date D\n"
     "  Every step takes [--key K] [--today D] [--json].\n",
     StepFlags({"code", "version", "document", "document-sha256", "date"}),
     {},
     WithCycle<MethodologyRevise>},
    {"methodology list", kGroup, "", "", ReadFlags({}), {}, ReadingCycle<MethodologyList>},
};
}  // namespace

std::span<const CommandSpec> SetupCommands() { return kCommands; }

}  // namespace jcm::cli::cycle_cli
