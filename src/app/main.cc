// The composition root: the only place a concrete store and clock are chosen, and where the
// commands that need them (`bench ledger` measures the SQLite store, `bench api` runs this binary
// as its server) join the command table.
#include <chrono>
#include <ctime>
#include <iostream>
#include <string_view>
#include <vector>

#include "api_bench.h"
#include "cli/cli.h"
#include "ledger_bench.h"
#include "log_bench.h"
#include "store/open/open_store.h"
#include "store/sqlite/sqlite_store.h"

namespace {

class SystemClock : public jcm::store::Clock {
 public:
  std::string NowUtc() override {
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm utc{};
    gmtime_r(&now, &utc);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return buf;
  }
};

}  // namespace

int main(int argc, char** argv) {
  SystemClock clock;
  jcm::cli::Environment env{[&clock](const std::string& path, jcm::store::OpenMode mode) {
                              return jcm::store::OpenStore(path, clock, mode);
                            },
                            clock, std::cout, std::cerr};
  std::vector<jcm::cli::CommandSpec> commands = jcm::cli::BuiltinCommands();
  commands.push_back(jcm::bench::LedgerBenchCommand());
  commands.push_back(jcm::bench::ApiBenchCommand());
  commands.push_back(jcm::bench::LogBenchCommand());
  std::vector<std::string_view> args(argv + 1, argv + argc);
  return jcm::cli::FinishOutput(env, jcm::cli::RunCli(args, env, commands));
}
