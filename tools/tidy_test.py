#!/usr/bin/env python3
"""Unit tests of tools/tidy.py's include-direction (5), function-length (6) and dependency (7)
rules, on synthetic files: each must accept what the design allows and reject what it forbids."""
import pathlib
import sys
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import tidy  # noqa: E402  (the path is set just above)

HEADERS = [
    "src/core/status.h", "src/core/testing/status_matchers.h", "src/ledger/types.h",
    "src/mrv/rational.h", "src/cycle/state.h", "src/cycle/import/csv.h", "src/store/store.h",
    "src/store/sqlite/sqlite_store.h", "src/store/sqlite/internal/statement.h",
    "src/store/memory/memory_store.h", "src/store/testing/ledger_fixture.h",
    "src/service/ledger_service.h", "src/cli/output.h", "src/cli/common/args.h",
    "src/cli/cycle/cycle_session.h", "src/server/http_server.h", "bench/ledger_bench.h",
]


def include_problems(includer, header, known_violations=None):
    """Rule 5's problems for one file that includes `header`."""
    sources = {includer: f'#include <vector>\n#include "sqlite3.h"\n#include "{header}"\n'}
    return tidy.check_includes(sources, set(HEADERS) | {includer}, known_violations or {})


class IncludeDirectionTest(unittest.TestCase):
    def assert_allowed(self, includer, header):
        self.assertEqual(include_problems(includer, header), [], f"{includer} -> {header}")

    def assert_rejected(self, includer, header, reason):
        problems = include_problems(includer, header)
        self.assertEqual(len(problems), 1, f"{includer} -> {header}: {problems}")
        self.assertIn(f'{includer}:3: include "{header}"', problems[0])
        self.assertIn(reason, problems[0])

    def test_modules_include_themselves_and_modules_below(self):
        self.assert_allowed("src/core/date.cc", "core/status.h")
        self.assert_allowed("src/ledger/decide.cc", "core/status.h")
        self.assert_allowed("src/cycle/import/sheet.cc", "cycle/state.h")
        self.assert_allowed("src/store/sqlite/schema.cc", "ledger/types.h")
        self.assert_allowed("src/service/issue.cc", "store/store.h")
        self.assert_allowed("src/service/issue.cc", "mrv/rational.h")
        self.assert_allowed("src/cli/cli.cc", "cli/cycle/cycle_session.h")
        self.assert_allowed("src/cli/cycle/report.cc", "service/ledger_service.h")
        self.assert_allowed("src/server/api.cc", "service/ledger_service.h")
        self.assert_allowed("src/app/main.cc", "store/sqlite/sqlite_store.h")
        self.assert_allowed("src/app/main.cc", "server/http_server.h")
        self.assert_allowed("src/cli/serve_command.cc", "server/http_server.h")

    def test_upward_and_sideways_includes_are_rejected(self):
        self.assert_rejected("src/core/date.cc", "ledger/types.h",
                             "module core may not include ledger")
        self.assert_rejected("src/ledger/decide.cc", "store/store.h", "may not include store")
        self.assert_rejected("src/mrv/expr.cc", "cycle/state.h", "module mrv may not include cycle")
        self.assert_rejected("src/cycle/decide.cc", "cycle/import/csv.h", "include cycle/import")
        self.assert_rejected("src/store/store.cc", "mrv/rational.h", "may not include mrv")
        self.assert_rejected("src/service/x.cc", "store/sqlite/sqlite_store.h",
                             "module service may not include store/sqlite")
        self.assert_rejected("src/service/x.cc", "cli/common/args.h", "may not include cli/common")
        self.assert_rejected("src/cli/common/args.cc", "cli/output.h", "may not include cli")
        self.assert_rejected("src/cli/mrv/mrv.cc", "cli/cycle/cycle_session.h", "cli/cycle")
        self.assert_rejected("src/server/api.cc", "cli/output.h", "module server may not include cli")
        self.assert_rejected("src/service/x.cc", "server/http_server.h",
                             "module service may not include server")

    def test_bench_fuzz_and_tests(self):
        self.assert_allowed("bench/transfer_load.cc", "bench/ledger_bench.h")
        self.assert_allowed("bench/transfer_load.cc", "cli/common/args.h")
        self.assert_allowed("bench/transfer_load.cc", "store/sqlite/sqlite_store.h")
        self.assert_rejected("bench/ledger_bench.cc", "cli/output.h", "bench may not include cli")
        self.assert_rejected("src/app/main.cc", "bench/ledger_bench.h", "app may not include bench")
        self.assert_allowed("fuzz/mrv_csv_fuzz.cc", "mrv/rational.h")
        self.assert_allowed("fuzz/server_request_fuzz.cc", "store/memory/memory_store.h")
        self.assert_rejected("fuzz/mrv_csv_fuzz.cc", "store/sqlite/sqlite_store.h",
                             "module fuzz may not include store/sqlite")
        self.assert_rejected("fuzz/mrv_csv_fuzz.cc", "cli/output.h", "module fuzz may not include cli")
        self.assert_allowed("tests/crash/crash_loader.cc", "cli/output.h")
        self.assert_allowed("tests/audit_tamper_test.cc", "store/testing/ledger_fixture.h")

    def test_tests_beside_code_reach_the_test_support_of_modules_below(self):
        self.assert_allowed("src/mrv/expr_test.cc", "core/testing/status_matchers.h")
        self.assert_allowed("src/cycle/cycle_fixture_test.h", "core/testing/status_matchers.h")
        self.assert_allowed("src/store/sqlite/sqlite_store_test.cc",
                            "store/testing/ledger_fixture.h")
        self.assert_allowed("src/cli/cycle/cli_cycle_test.cc", "store/sqlite/sqlite_store.h")
        self.assert_allowed("src/store/testing/ledger_fixture.h", "core/testing/status_matchers.h")
        self.assert_rejected("src/mrv/expr.cc", "core/testing/status_matchers.h",
                             "module mrv may not include core/testing")
        self.assert_rejected("src/ledger/types_test.cc", "store/testing/ledger_fixture.h",
                             "module ledger may not include store/testing")

    def test_internal_headers_stay_inside_their_folder(self):
        header = "store/sqlite/internal/statement.h"
        self.assert_allowed("src/store/sqlite/sqlite_store.cc", header)
        self.assert_allowed("src/store/sqlite/internal/statement.cc", header)
        self.assert_allowed("src/store/sqlite/sqlite_store_test.cc", header)
        self.assert_rejected("src/store/memory/memory_store.cc", header,
                             "internal to src/store/sqlite/")
        self.assert_rejected("bench/sqlite_baseline.cc", header, "internal to src/store/sqlite/")
        self.assert_rejected("src/app/main.cc", header, "internal to src/store/sqlite/")

    def test_only_project_headers_are_checked(self):
        sources = {"src/core/a.cc": '#include "core/a.h"\n#include "b.h"\n'
                                    '#include "gtest/gtest.h"\n#include <store/store.h>\n',
                   "src/core/b.h": '#include "store/store.h"\n'}
        problems = tidy.check_includes(sources, set(HEADERS) | set(sources), {})
        self.assertEqual(problems, [f'src/core/b.h:1: include "store/store.h": module core may not '
                                    "include store (allowed: core)"])

    def test_a_new_src_directory_needs_a_row(self):
        problems = include_problems("src/web/page.cc", "core/status.h")
        self.assertEqual(len(problems), 1)
        self.assertIn("web has no row", problems[0])

    def test_known_violations_are_tolerated_until_fixed(self):
        known = {("bench/ledger_bench.cc", "cli/output.h"): "why"}
        self.assertEqual(include_problems("bench/ledger_bench.cc", "cli/output.h", known), [])
        stale = include_problems("bench/ledger_bench.cc", "cli/common/args.h", known)
        self.assertEqual(len(stale), 1)
        self.assertIn('KNOWN_VIOLATIONS entry for "cli/output.h" no longer matches', stale[0])

    def test_every_known_violation_gives_its_reason(self):
        for key, reason in tidy.KNOWN_VIOLATIONS.items():
            self.assertTrue(reason.strip(), key)


def body(lines):
    """A function body of `lines` lines by rule 6's count (closing line - opening line)."""
    return "{\n" + "  x();\n" * (lines - 1) + "}\n"


class FunctionLengthTest(unittest.TestCase):
    def lengths(self, text):
        return {name: length for name, _, length in tidy.find_functions(text)}

    def test_counts_from_the_opening_to_the_closing_brace(self):
        text = ("namespace jcm {\nint Short() " + body(70) + "void Long(int a,\n    int b) "
                + body(71) + "}  // namespace jcm\n")
        self.assertEqual(self.lengths(text), {"Short": 70, "Long": 71})
        problems = tidy.check_function_lengths({"src/a.cc": text}, {})
        self.assertEqual(problems, ["src/a.cc:73: function Long is 71 lines, more than 70; "
                                    "split it"])

    def test_names_members_operators_and_test_macros(self):
        text = ("class Worker {\n public:\n  bool Line(int x) const " + body(3) +
                "  bool operator==(const Worker&) const " + body(2) +
                "  int operator()(int) " + body(2) + "  int x_{0};\n};\n" +
                "Worker::Worker() : a_(1), b_{2, {3}} " + body(4) +
                "template <typename T = int>\nstd::vector<T> Ns<T>::Make() noexcept " + body(5) +
                "TEST_F(Suite, ReadsLikeASentence) " + body(6) +
                'extern "C" int LLVMFuzzerTestOneInput(const char* d, int n) ' + body(7))
        self.assertEqual(self.lengths(text), {
            "Worker::Line": 3, "Worker::operator==": 2, "Worker::operator()": 2,
            "Worker::Worker": 4, "Ns<T>::Make": 5, "TEST_F(Suite,ReadsLikeASentence)": 6,
            "LLVMFuzzerTestOneInput": 7})

    def test_lambdas_blocks_and_literals_belong_to_the_enclosing_function(self):
        text = ("void F() {\n  auto g = [](int x) {\n    if (x) { return '{'; }\n  };\n"
                '  const char* s = "}}}"; // }\n  /* { */ auto r = R"x(\n}\n)x";\n'
                "  int n = 1'000'000;\n#define OPEN {\n}\nint After() " + body(2))
        self.assertEqual(self.lengths(text), {"F": 10, "After": 2})

    def test_initialisers_enums_and_declarations_are_no_functions(self):
        text = ("enum class E {\n  kA,\n  kB,\n};\nconstexpr int kTable[] = {\n  1,\n  2,\n};\n"
                "const auto kLambda = [](int x) { return x; };\n"
                "const std::map<int, int> kMap{{1, 2}};\n"
                "struct S { int F(); S() = default; };\n"
                "static_assert(sizeof(int) == 4);\n")
        self.assertEqual(self.lengths(text), {})

    def test_the_baseline_only_shrinks(self):
        text = "void A() " + body(80) + "void B() " + body(75) + "void C() " + body(72)
        sources = {"src/a.cc": text}
        baseline = {("src/a.cc", "A"): 80, ("src/a.cc", "B"): 74, ("src/a.cc", "C"): 73,
                    ("src/a.cc", "Gone"): 90, ("src/b.cc", "Short"): 71}
        self.assertEqual(tidy.check_function_lengths(sources, baseline), [
            "src/a.cc:82: function B grew to 75 lines, its baseline is 74 "
            "(tools/function_length_baseline.txt); split it",
            "tools/function_length_baseline.txt: src/a.cc:C shrank to 72 lines; lower its entry",
            "tools/function_length_baseline.txt: src/a.cc:Gone is no longer over 70 lines (or is "
            "gone); delete its entry",
            "tools/function_length_baseline.txt: src/b.cc:Short is no longer over 70 lines (or is "
            "gone); delete its entry",
        ])

    def test_baseline_file_format(self):
        text = ("# comment\n\nsrc/a.cc:Worker::Line:72\n"
                "src/t_test.cc:TEST_F(S,N):80  # why\n")
        self.assertEqual(tidy.read_baseline(text), {("src/a.cc", "Worker::Line"): 72,
                                                    ("src/t_test.cc", "TEST_F(S,N)"): 80})


class DependenciesTest(unittest.TestCase):
    BOOTSTRAP = ("#!/usr/bin/env bash\npackages=(\n  # Build.\n  cmake ninja-build  # why\n"
                 "  libgtest-dev\n)\nfor p in x; do :; done\n")

    def test_bootstrap_and_the_table_name_the_same_packages(self):
        doc = ("| package | used by | why |\n|---|---|---|\n| `cmake`, `ninja-build` | b | `x` |\n"
               "| `libgtest-dev` | tests | gtest |\n")
        self.assertEqual(tidy.check_dependencies(self.BOOTSTRAP, doc), [])

    def test_a_package_without_a_reason_or_a_reason_without_a_package_is_reported(self):
        doc = "| package | why |\n|---|---|\n| `cmake` | b |\n| `librapidcheck-dev` | none |\n"
        self.assertEqual(tidy.check_dependencies(self.BOOTSTRAP, doc), [
            "scripts/bootstrap: installs libgtest-dev, which docs/dependencies.md does not list",
            "scripts/bootstrap: installs ninja-build, which docs/dependencies.md does not list",
            "docs/dependencies.md: lists librapidcheck-dev, which scripts/bootstrap does not "
            "install",
        ])


if __name__ == "__main__":
    unittest.main()
