// Replays the committed fuzz corpus (fuzz/corpus/<target>/) and a few thousand seeded
// mutations of it through the fuzz targets' entry functions, compiled with the normal
// (GCC + ASan/UBSan) test build: a short fuzz run inside `make test`, no libFuzzer needed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

extern "C" int FuzzMrvCsv(const uint8_t* data, size_t size);
extern "C" int FuzzMrvExpr(const uint8_t* data, size_t size);
extern "C" int FuzzMrvMethodology(const uint8_t* data, size_t size);

namespace {

using Entry = int (*)(const uint8_t*, size_t);

std::vector<std::string> Corpus(const std::string& target) {
  const char* source = std::getenv("JCM_SOURCE_DIR");
  const std::filesystem::path dir =
      std::filesystem::path(source ? source : ".") / "fuzz" / "corpus" / target;
  std::vector<std::string> inputs;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    inputs.push_back(text.str());
  }
  std::sort(inputs.begin(), inputs.end());  // directory order is not deterministic
  return inputs;
}

uint64_t Next(uint64_t& state) {
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return state;
}

// Byte flips, insertions of interesting tokens, deletions, duplications and splices.
std::string Mutate(const std::vector<std::string>& corpus, uint64_t& state) {
  static const char* kTokens[] = {",",   "\n",  "\"", ".", "-",    "..", "[",    "]",
                                  "(",   ")",   "e",  "9", "0",    "=",  "sum(", "exp(",
                                  "kWh", "MWh", "T",  ":", "\r\n", "#"};
  std::string input = corpus[Next(state) % corpus.size()];
  const int edits = 1 + static_cast<int>(Next(state) % 8);
  for (int e = 0; e < edits; ++e) {
    const size_t pos = input.empty() ? 0 : Next(state) % input.size();
    switch (Next(state) % 5) {
      case 0:
        if (!input.empty()) input[pos] = static_cast<char>(Next(state));
        break;
      case 1:
        input.insert(pos, kTokens[Next(state) % std::size(kTokens)]);
        break;
      case 2:
        input.erase(pos, Next(state) % 16);
        break;
      case 3:
        input.insert(pos, input.substr(pos, Next(state) % 64));
        break;
      default: {
        const std::string& other = corpus[Next(state) % corpus.size()];
        const size_t from = other.empty() ? 0 : Next(state) % other.size();
        input.insert(pos, other.substr(from, Next(state) % 128));
      }
    }
  }
  return input;
}

void Replay(const std::string& target, Entry entry, int mutations) {
  const std::vector<std::string> corpus = Corpus(target);
  ASSERT_FALSE(corpus.empty()) << "empty corpus for " << target;
  for (const std::string& input : corpus) {
    entry(reinterpret_cast<const uint8_t*>(input.data()), input.size());
  }
  uint64_t state = 0x2545F4914F6CDD1Dull;
  for (int i = 0; i < mutations; ++i) {
    const std::string input = Mutate(corpus, state);
    entry(reinterpret_cast<const uint8_t*>(input.data()), input.size());
  }
}

TEST(MrvFuzzReplayTest, CsvIngest) { Replay("mrv_csv", FuzzMrvCsv, 3000); }
TEST(MrvFuzzReplayTest, Expressions) { Replay("mrv_expr", FuzzMrvExpr, 6000); }
TEST(MrvFuzzReplayTest, MethodologyFiles) { Replay("mrv_methodology", FuzzMrvMethodology, 2000); }

}  // namespace
