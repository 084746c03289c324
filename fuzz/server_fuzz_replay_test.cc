// Replays the committed server fuzz corpus (fuzz/corpus/server_request/) and seeded mutations of
// it through the fuzz target's entry function in the normal (GCC + ASan/UBSan) test build, so
// `make test` runs a short fuzz of the request pipeline without libFuzzer. A failed check of the
// target aborts the test.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int FuzzServerRequest(const uint8_t* data, size_t size);

namespace {

std::vector<std::string> Seeds() {
  const char* source = std::getenv("JCM_SOURCE_DIR");
  const std::filesystem::path dir =
      std::filesystem::path(source ? source : ".") / "fuzz" / "corpus" / "server_request";
  std::vector<std::string> seeds;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(entry.path(), std::ios::binary);
    seeds.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  std::sort(seeds.begin(), seeds.end());  // directory order is not deterministic
  return seeds;
}

void Feed(const std::string& input) {
  FuzzServerRequest(reinterpret_cast<const uint8_t*>(input.data()), input.size());
}

// Pieces of targets, queries, media types and JSON the pipeline parses.
const char* const kPieces[] = {"/",        "?",
                               "&",        "=",
                               "%",        "%2f",
                               "%00",      "%ff",
                               "%e2%82",   "..",
                               "+",        "-",
                               "\n",       "format",
                               "csv",      "jsonl",
                               "cursor",   "limit",
                               "since",    "1001",
                               "-1",       "9223372036854775808",
                               "text/csv", ";q=",
                               ",",        "*/*",
                               "[{\"a\":", "\"=1\"",
                               "\xff",     "\xc3",
                               "MN-",      "/api/v1/"};

std::string Mutate(const std::vector<std::string>& seeds, std::mt19937_64& random) {
  std::string input = seeds[random() % seeds.size()];
  for (int edits = 1 + static_cast<int>(random() % 6); edits > 0; --edits) {
    const size_t at = input.empty() ? 0 : random() % (input.size() + 1);
    switch (random() % 4) {
      case 0:
        input.insert(at, kPieces[random() % std::size(kPieces)]);
        break;
      case 1:
        input.erase(at, random() % 8);
        break;
      case 2:
        if (at < input.size()) input[at] = static_cast<char>(random());
        break;
      default:
        input.insert(at, input.substr(random() % (input.size() + 1), random() % 32));
    }
  }
  return input;
}

TEST(ServerFuzzReplayTest, CorpusAndMutations) {
  const std::vector<std::string> seeds = Seeds();
  ASSERT_GE(seeds.size(), 10u);
  for (const std::string& seed : seeds) Feed(seed);
  std::mt19937_64 random(20261130);
  for (int i = 0; i < 5000; ++i) Feed(Mutate(seeds, random));
}

}  // namespace
