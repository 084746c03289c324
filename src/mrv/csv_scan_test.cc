#include "mrv/csv_scan.h"

#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <string>
#include <vector>

namespace jcm::mrv {
namespace {

// Every line of the file is returned by exactly one of the ranges, whatever the boundaries,
// in both the pread and the mapped mode, with a '\n' or '\r' sentinel after it.
TEST(RangeLineReaderTest, AdjacentRangesPartitionTheLines) {
  const std::string text = "header\nab\r\n\nc,d,e\nlonger line here\nx\ny\nlast without newline";
  const int fd = memfd_create("jcm-csv-scan-test", MFD_CLOEXEC);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
  const uint64_t size = text.size();
  void* mapping = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  ASSERT_NE(mapping, MAP_FAILED);
  const std::vector<std::string> expected = {"header",           "ab", "",  "c,d,e",
                                             "longer line here", "x",  "y", "last without newline"};
  for (bool mapped : {false, true}) {
    for (uint64_t cut1 = 0; cut1 <= size; ++cut1) {
      for (uint64_t cut2 = cut1; cut2 <= size; cut2 += 3) {
        std::vector<std::string> lines;
        const uint64_t bounds[] = {0, cut1, cut2, size};
        for (int r = 0; r < 3; ++r) {
          RangeLineReader reader = mapped ? RangeLineReader(static_cast<const char*>(mapping), size,
                                                            bounds[r], bounds[r + 1], 64)
                                          : RangeLineReader(fd, bounds[r], bounds[r + 1], 64);
          std::string_view line;
          uint64_t offset = 0;
          while (reader.Next(&line, &offset)) {
            lines.emplace_back(line);
            const char sentinel = line.data()[line.size()];
            EXPECT_TRUE(sentinel == '\n' || sentinel == '\r');
            EXPECT_EQ(text.compare(offset, line.size(), line), 0);
          }
          EXPECT_TRUE(reader.status().ok());
        }
        ASSERT_EQ(lines, expected) << "mapped " << mapped << " cuts " << cut1 << " " << cut2;
      }
    }
  }
  munmap(mapping, size);
  close(fd);
}

TEST(RangeLineReaderTest, LinesLongerThanTheBlockAreErrors) {
  const std::string text = "short\n" + std::string(100, 'x') + "\n";
  const int fd = memfd_create("jcm-csv-scan-test", MFD_CLOEXEC);
  ASSERT_EQ(write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
  RangeLineReader reader(fd, 0, text.size(), 32);
  std::string_view line;
  uint64_t offset = 0;
  EXPECT_TRUE(reader.Next(&line, &offset));
  EXPECT_FALSE(reader.Next(&line, &offset));
  EXPECT_NE(reader.status().message().find("line longer than 32 bytes"), std::string::npos);
  close(fd);
}

TEST(CsvScanTest, TimestampsAndQuotedFields) {
  Timestamp t;
  EXPECT_TRUE(ParseTimestamp("2024-02-29T23:45", &t));
  EXPECT_EQ(t.minute_of_day, 23 * 60 + 45);
  EXPECT_FALSE(ParseTimestamp("2023-02-29", &t));
  EXPECT_FALSE(ParseTimestamp("2023-01-01T24:00", &t));
  EXPECT_TRUE(ParseTimestamp("2023-01-01 00:00:59Z", &t));
  std::vector<std::string_view> fields;
  std::vector<std::string> storage;
  size_t column = 0;
  ASSERT_TRUE(SplitCsvLine("\"PV,01\",\"say \"\"hi\"\"\",,x", &fields, &storage, &column));
  ASSERT_EQ(fields.size(), 4u);
  EXPECT_EQ(fields[0], "PV,01");
  EXPECT_EQ(fields[1], "say \"hi\"");
  EXPECT_EQ(fields[2], "");
  EXPECT_FALSE(SplitCsvLine("a,\"open", &fields, &storage, &column));
  EXPECT_EQ(column, 3u);
}

}  // namespace
}  // namespace jcm::mrv
