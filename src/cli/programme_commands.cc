// jcm programme …: programme management (docs/programme.md, docs/cli.md "Programme") — funding
// per project, contributions to ADB and UNIDO, and the Government of Japan's share of subsidised
// projects' credits. argv → service::ProgrammeService → the printer.
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "cli/commands.h"
#include "service/json/programme_json.h"
#include "service/programme_service.h"
#include "service/tables/tables.h"

namespace jcm::cli {
namespace {

core::Result<programme::Channel> ChannelFlag(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(std::string text, run.args.Require("channel"));
  const std::optional<programme::Channel> channel = programme::ParseChannel(text);
  if (!channel) {
    return core::InvalidArgument(
        "--channel is moej_subsidy, hydrogen_subsidy, adb_jfjcm, unido, nedo, private or other; "
        "got '" +
        text + "'");
  }
  return *channel;
}

core::Result<int> FiscalYearFlag(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(int64_t year, run.args.RequireInt("fiscal-year"));
  if (year < 2000 || year > 2100) return core::InvalidArgument("--fiscal-year is 2000-2100");
  return static_cast<int>(year);
}

void PrintFunding(const programme::Funding& f, std::ostream& out) {
  out << f.project << "  " << programme::ChannelName(f.channel) << "  FY" << f.fiscal_year
      << "  cost " << f.total_cost_yen << " yen  subsidy " << f.subsidy_yen << " yen  "
      << f.expected_annual_tco2e << " t/yr  " << f.crediting_period.ToString() << "\n";
}

void PrintContribution(const service::ContributionView& v, std::ostream& out) {
  out << programme::ChannelName(v.contribution.channel) << "  FY" << v.contribution.fiscal_year
      << "  " << v.contribution.amount_yen << " yen  " << v.projects.size() << " projects  "
      << v.credits_issued_tco2e << " t issued\n";
}

core::Status FundingAdd(CommandRun& run) {
  programme::Funding f;
  JCM_ASSIGN_OR_RETURN(f.project, run.args.Require("project"));
  JCM_ASSIGN_OR_RETURN(f.channel, ChannelFlag(run));
  JCM_ASSIGN_OR_RETURN(f.fiscal_year, FiscalYearFlag(run));
  JCM_ASSIGN_OR_RETURN(f.total_cost_yen, run.args.RequireInt("cost-yen"));
  JCM_ASSIGN_OR_RETURN(f.subsidy_yen, run.args.RequireInt("subsidy-yen", 0));
  f.japanese_members = run.args.GetAll("japanese-member");
  f.partner_members = run.args.GetAll("partner-member");
  JCM_ASSIGN_OR_RETURN(f.expected_annual_tco2e, run.args.RequireInt("expected-annual-tco2e"));
  JCM_ASSIGN_OR_RETURN(f.crediting_period, run.args.RequirePeriod("crediting-period"));
  JCM_ASSIGN_OR_RETURN(auto store, OpenStore(run));
  service::ProgrammeService programme(*store);
  JCM_ASSIGN_OR_RETURN(auto outcome,
                       programme.RecordFunding(std::move(f), run.args.Get("key").value_or("")));
  run.print.Outcome(outcome, service::json::FundingJson, PrintFunding);
  return core::OkStatus();
}

core::Status FundingList(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(auto store, OpenStore(run, store::OpenMode::kReadOnly));
  service::ProgrammeService programme(*store);
  JCM_ASSIGN_OR_RETURN(auto funding, programme.ListFunding());
  run.print.Json(service::json::FundingListJson(funding));
  if (!run.print.json()) {
    for (const programme::Funding& f : funding) PrintFunding(f, run.print.out());
  }
  return core::OkStatus();
}

core::Status ContributionAdd(CommandRun& run) {
  programme::Contribution c;
  JCM_ASSIGN_OR_RETURN(c.channel, ChannelFlag(run));
  JCM_ASSIGN_OR_RETURN(c.fiscal_year, FiscalYearFlag(run));
  JCM_ASSIGN_OR_RETURN(c.amount_yen, run.args.RequireInt("amount-yen"));
  c.note = run.args.Get("note").value_or("");
  JCM_ASSIGN_OR_RETURN(auto store, OpenStore(run));
  service::ProgrammeService programme(*store);
  JCM_ASSIGN_OR_RETURN(
      auto outcome, programme.RecordContribution(std::move(c), run.args.Get("key").value_or("")));
  run.print.Outcome(outcome, service::json::ContributionJson, PrintContribution);
  return core::OkStatus();
}

core::Status ContributionList(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(auto store, OpenStore(run, store::OpenMode::kReadOnly));
  service::ProgrammeService programme(*store);
  JCM_ASSIGN_OR_RETURN(auto views, programme.ListContributions());
  run.print.Json(service::json::ContributionListJson(views));
  if (!run.print.json()) {
    for (const service::ContributionView& v : views) PrintContribution(v, run.print.out());
  }
  return core::OkStatus();
}

core::Status Delivery(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(auto store, OpenStore(run, store::OpenMode::kReadOnly));
  service::ProgrammeService programme(*store);
  JCM_ASSIGN_OR_RETURN(auto rows, programme.GojDelivery());
  run.print.Json(service::json::DeliveryJson(rows));
  if (!run.print.json()) {
    for (const programme::ProjectDelivery& p : rows) {
      run.print.out() << p.project << "  issued " << p.issued_tco2e << "  to GoJ "
                      << p.delivered_tco2e << "  required " << p.required_tco2e << "  shortfall "
                      << p.shortfall_tco2e << "\n";
    }
  }
  return core::OkStatus();
}

void PrintGroups(std::string_view title, const std::vector<programme::GroupRow>& rows,
                 std::ostream& out) {
  out << title << " (projects, registered, issued t, subsidy yen, yen/t expected, yen/t issued)\n";
  for (const programme::GroupRow& g : rows) {
    out << "  " << g.key << "  " << g.projects << "  " << g.registered << "  " << g.issued_tco2e
        << "  " << g.subsidy_yen << "  "
        << (g.yen_per_tco2e_expected ? std::to_string(*g.yen_per_tco2e_expected) : "-") << "  "
        << (g.yen_per_tco2e_issued ? std::to_string(*g.yen_per_tco2e_issued) : "-") << "\n";
  }
}

void PrintReport(const programme::IndicatorReport& r, std::ostream& out) {
  out << "issued " << r.issued_tco2e << " t, acquired by the GoJ " << r.goj_acquired_tco2e
      << " t, used toward the NDC " << r.ndc_used_tco2e << " t\n";
  out << "partner countries with a Joint Committee: " << r.partner_countries_with_jc << " of "
      << r.partner_countries_target << "\n";
  out << "fiscal year  issued  GoJ  NDC  cumulative\n";
  for (const programme::FiscalYearRow& y : r.fiscal_years) {
    out << "  FY" << y.fiscal_year << "  " << y.issued_tco2e << "  " << y.goj_acquired_tco2e << "  "
        << y.ndc_used_tco2e << "  " << y.cumulative_issued_tco2e << "\n";
  }
  for (const programme::TargetRow& t : r.targets) {
    out << "FY" << t.fiscal_year << " target " << t.target_tco2e << " t: forecast "
        << t.forecast_low_tco2e << ".." << t.forecast_high_tco2e << " t, gap " << t.gap_low_tco2e
        << ".." << t.gap_high_tco2e << " t\n";
  }
  PrintGroups("by partner country", r.by_country, out);
  PrintGroups("by technology", r.by_technology, out);
  PrintGroups("by funding channel", r.by_channel, out);
  PrintGroups("by project (with a funding record)", r.by_project, out);
}

core::Status Report(CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(core::Date today, Today(run, DateUse::kReadOnly));
  JCM_ASSIGN_OR_RETURN(auto store, OpenStore(run, store::OpenMode::kReadOnly));
  service::ProgrammeService programme(*store);
  JCM_ASSIGN_OR_RETURN(programme::IndicatorReport report, programme.Report(today));
  if (const std::optional<std::string> xlsx = run.args.Get("xlsx")) {
    JCM_RETURN_IF_ERROR(
        service::tables::WriteXlsx(service::ProgrammeReportTables(report, today), *xlsx));
  }
  run.print.Json(service::json::ReportJson(report, today));
  if (!run.print.json()) PrintReport(report, run.print.out());
  return core::OkStatus();
}

const CommandSpec kProgrammeCommands[] = {
    {"programme funding add",
     "programme",
     "funding, contribution, delivery, report: the JCM programme (docs/programme.md)",
     "jcm programme funding add --db FILE --project REF --channel CHANNEL --fiscal-year N\n"
     "    --cost-yen N [--subsidy-yen N] [--japanese-member NAME]... [--partner-member NAME]...\n"
     "    --expected-annual-tco2e N --crediting-period START..END [--key K] [--json]\n"
     "  How a project of the cycle is financed. CHANNEL: moej_subsidy (subsidy <= 1/2 of the\n"
     "  cost), hydrogen_subsidy (<= 2/3), adb_jfjcm, unido, nedo, private, other. Checks "
     "700-704.\n",
     {"db", "project", "channel", "fiscal-year", "cost-yen", "subsidy-yen", "japanese-member...",
      "partner-member...", "expected-annual-tco2e", "crediting-period", "key"},
     {},
     FundingAdd},
    {"programme funding list",
     "programme",
     "",
     "jcm programme funding list --db FILE [--json]\n  Every funding record, by project.\n",
     {"db"},
     {},
     FundingList},
    {"programme contribution add",
     "programme",
     "",
     "jcm programme contribution add --db FILE --channel adb_jfjcm|unido --fiscal-year N\n"
     "    --amount-yen N [--note TEXT] [--key K] [--json]\n"
     "  Japan's contribution to a fund for a fiscal year (checks 705-706), with the projects\n"
     "  funded through the channel in that year and their credits issued.\n",
     {"db", "channel", "fiscal-year", "amount-yen", "note", "key"},
     {},
     ContributionAdd},
    {"programme contribution list",
     "programme",
     "",
     "jcm programme contribution list --db FILE [--json]\n",
     {"db"},
     {},
     ContributionList},
    {"programme delivery",
     "programme",
     "",
     "jcm programme delivery --db FILE [--json]\n"
     "  Subsidised projects' credits delivered to the Government of Japan per issuance and per\n"
     "  project against the half they owe, and the shortfall.\n",
     {"db"},
     {},
     Delivery},
    {"programme report",
     "programme",
     "",
     "jcm programme report --db FILE [--today YYYY-MM-DD] [--xlsx FILE] [--json]\n"
     "  Credits issued, acquired by the GoJ and used toward the NDC per Japanese fiscal year,\n"
     "  against the FY2030 (100 Mt) and FY2040 (200 Mt) targets, with the pipeline's forecast\n"
     "  band; by partner country, technology, channel and funded project, with yen per tonne.\n"
     "  --xlsx FILE: also the report's tables as a workbook, one sheet each.\n",
     {"db", "today", "xlsx"},
     {},
     Report},
};

}  // namespace

std::span<const CommandSpec> ProgrammeCommands() { return kProgrammeCommands; }

}  // namespace jcm::cli
