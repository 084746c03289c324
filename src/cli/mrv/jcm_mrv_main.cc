// jcm-mrv: a thin driver over RunMrvCommand / RunBenchMrv ("jcm-mrv mrv calc …",
// "jcm-mrv bench mrv …"), equivalent to the same words after `jcm`.
#include <iostream>
#include <string_view>
#include <vector>

#include "cli/mrv/mrv_command.h"

int main(int argc, char** argv) {
  std::vector<std::string_view> args(argv + 1, argv + argc);
  if (args.size() >= 2 && args[0] == "bench" && args[1] == "mrv") {
    return jcm::cli::RunBenchMrv(std::span(args).subspan(2), std::cout, std::cerr);
  }
  if (!args.empty() && args[0] == "mrv") {
    return jcm::cli::RunMrvCommand(std::span(args).subspan(1), std::cout, std::cerr);
  }
  std::cerr << "usage: jcm-mrv mrv SUBCOMMAND … | jcm-mrv bench mrv …\n";
  return 2;
}
