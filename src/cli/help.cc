#include "cli/help.h"

#include <array>
#include <utility>

namespace jcm::cli {
namespace {

constexpr std::string_view kUsage =
    R"(usage: jcm COMMAND [options]      jcm help COMMAND, or COMMAND --help, for one command

registry
  init         create the registries (JP and partners) and their government accounts
  account      open | list | suspend | reopen | close accounts
  issue        issue units into holding accounts of one registry
  transfer     move units between holding accounts of one registry
  retire       move units into the retirement account (use toward the NDC)
  cancel       move units into the cancellation account
  holdings     the blocks an account holds
  audit        verify: recompute the journal chain and every invariant
  document     get: a stored document (PDD, report, …) by its SHA-256
MRV
  mrv          methodologies | show ID[@VERSION] | calc: emission reductions from monitoring data
project cycle
  import       jcm-data: load the public JCM data set
  project      list | show | change | renew | withdraw
  registry     summary: units per account type, issued, retired, pending issuance
  due          deadlines due or overdue
  party, jc, org, tpe, methodology, pin, pdd, validation, registration, monitoring,
  verification, issuance, cycle verify          the steps of the project cycle
benchmarks
  bench        ledger | mrv

Every command takes --json for machine-readable output; mutating commands take --key K (an
idempotency key: a retry with the same key returns the first result and applies nothing).
Exit status: 0 ok, 1 failure, 2 usage error, 3 rejected by a numbered check, 4 audit failed.
Full reference: docs/cli.md; the checks: docs/checks.md.
)";

constexpr std::array<std::pair<std::string_view, std::string_view>, 27> kCommands = {{
    {"document",
     "jcm document get --db FILE --sha256 HEX [--out FILE]\n"
     "  The bytes of a document stored by a project-cycle step (--document FILE).\n"},
    {"init",
     "jcm init --db FILE [--registries JP,MN,…]\n"
     "  Creates the database (migrating its schema) and each registry not yet present, with\n"
     "  its government holding, retirement and cancellation accounts. Default: JP,MN.\n"},
    {"account",
     "jcm account open --db FILE --registry CC [--type holding|government_holding]\n"
     "                 --holder-name \"…\" [--holder-name-ja \"…\"] [--representative \"…\"]\n"
     "                 [--address \"…\"] [--contact \"…\"] [--key K] [--json]\n"
     "jcm account list --db FILE [--registry CC] [--json]\n"
     "jcm account suspend|reopen|close --db FILE --account ACCOUNT [--reason \"…\"] [--key K]\n"
     "  Account numbers are CC-TTT-NNNNNNN-KK with ISO 7064 check digits: a typo is rejected.\n"},
    {"issue",
     "jcm issue --db FILE --registry CC --project REF --period START..END\n"
     "          --to ACCOUNT:QTY [--to ACCOUNT:QTY …] [--authorization none|ndc|oimp|ndc+oimp]\n"
     "          [--decision JC-REF] [--key K] [--json]\n"
     "  One block of new consecutive serials per --to, in open holding accounts of CC.\n"},
    {"transfer",
     "jcm transfer --db FILE --from ACCOUNT --to ACCOUNT --quantity N [--serials FIRST..LAST]\n"
     "             [--key K] [--json]\n"
     "  Without --serials the lowest serials go first. Both accounts in one registry.\n"},
    {"retire",
     "jcm retire --db FILE --from ACCOUNT --quantity N [--serials FIRST..LAST]\n"
     "           [--beneficiary \"…\"] [--key K] [--json]\n"
     "  Into the registry's retirement account; only units authorised for NDC use.\n"},
    {"cancel",
     "jcm cancel --db FILE --from ACCOUNT --quantity N [--serials FIRST..LAST] --reason \"…\"\n"
     "           [--key K] [--json]\n"},
    {"holdings", "jcm holdings --db FILE --account ACCOUNT [--json]\n"},
    {"audit",
     "jcm audit verify --db FILE [--json]\n"
     "  Recomputes the journal's hash chain and every invariant (docs/invariants.md) from the\n"
     "  stored data alone; exit 4 and the violations, each naming its entry, if any.\n"},
    {"bench",
     "jcm bench ledger [--transactions N] [--dir DIR] [--quick] [--json]\n"
     "jcm bench mrv [--keep] [--json] …   (docs/mrv.md)\n"},
    {"mrv",
     "jcm mrv methodologies [--json]\n"
     "jcm mrv show ID[@VERSION]\n"
     "jcm mrv calc --methodology ID[@VERSION] --params FILE --data FILE [--data FILE …]\n"
     "             [--period START..END] [--report-xlsx OUT.xlsx] [--json]\n"
     "  Details: docs/mrv.md.\n"},
    {"import",
     "jcm import jcm-data --db FILE --dir DIR [--json]\n"
     "  Loads the public JCM data set (data/jcm); idempotent; reports each quirk.\n"},
    {"project",
     "jcm project list --db FILE [--country CC] [--status S] [--json]\n"
     "jcm project show --db FILE REF [--json]\n"
     "jcm project change|renew|withdraw --db FILE --project REF … (docs/cli.md)\n"},
    {"registry", "jcm registry summary --db FILE --registry CC [--json]\n"},
    {"due", "jcm due --db FILE [--today YYYY-MM-DD] [--json]\n"},
    {"party", "jcm party register --db FILE --partner CC --name N [--bilateral-date D]\n"},
    {"jc", "jcm jc establish|decision|form --db FILE --partner CC … (docs/cli.md)\n"},
    {"org", "jcm org register --db FILE --id ID --name N --country CC\n"},
    {"tpe",
     "jcm tpe designate --db FILE --partner CC --org ID --scope N\n"
     "                  --function validation|verification --date D\n"},
    {"methodology",
     "jcm methodology list|propose|check|extend|decide|revise --db FILE … "
     "(docs/cli.md)\n"},
    {"pin", "jcm pin submit|decide --db FILE … (docs/cli.md)\n"},
    {"pdd",
     "jcm pdd submit --db FILE --project ID --document F [--confidential --public-copy F]\n"
     "               --date D --by ORG\n"},
    {"validation",
     "jcm validation submit --db FILE --project ID --tpe ORG (--positive|--negative)\n"
     "                      --report F --date D\n"},
    {"registration", "jcm registration request|decide|withdraw --db FILE … (docs/cli.md)\n"},
    {"monitoring",
     "jcm monitoring period|report --db FILE --project REF --period P … "
     "(docs/cli.md)\n"},
    {"verification",
     "jcm verification submit --db FILE --project REF --period P --verified N\n"
     "                        --tpe ORG --report F --date D\n"},
    {"issuance",
     "jcm issuance request|withdraw|decide|execute --db FILE --project REF "
     "--period P …\n  (docs/cli.md; execute issues into the side's registry)\n"},
}};

}  // namespace

std::string_view UsageText() { return kUsage; }

std::string_view CommandHelp(std::string_view command) {
  if (command == "cycle") return "jcm cycle verify --db FILE [--json]\n";
  for (const auto& [name, text] : kCommands) {
    if (name == command) return text;
  }
  return {};
}

}  // namespace jcm::cli
