#!/usr/bin/env python3
"""The project's own lint, run as a CTest test (style-anchors: TigerBeetle's tidy.zig).

Rules, over the C++ files git tracks (or, outside a checkout, every file below the root):
  1. formatted as .clang-format says (clang-format --dry-run), when clang-format is installed;
  2. lines at most 100 characters;
  3. no `using namespace`;
  4. no floating point in the ledger and the project cycle: credits are whole tonnes.
Prints each violation as FILE:LINE: rule, exits 1 if there is any.
"""
import pathlib
import re
import shutil
import subprocess
import sys

ROOT = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()
DIRS = ("src", "bench", "tests", "fuzz")
NO_FLOAT_DIRS = ("src/ledger", "src/cycle")
FLOAT = re.compile(r"\b(float|double|long double)\b")


def files():
    try:
        listed = subprocess.run(["git", "-C", str(ROOT), "ls-files", *DIRS], check=True,
                                capture_output=True, text=True).stdout.split()
        paths = [ROOT / p for p in listed]
    except (subprocess.CalledProcessError, FileNotFoundError):
        paths = [p for d in DIRS for p in (ROOT / d).rglob("*")]
    return sorted(p for p in paths if p.suffix in (".cc", ".h") and p.is_file())


def code_part(line):
    """The line without a trailing // comment (good enough for this lint)."""
    return line.split("//", 1)[0]


def main():
    problems = []
    sources = files()
    for path in sources:
        rel = path.relative_to(ROOT).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if len(line) > 100:
                problems.append(f"{rel}:{number}: line longer than 100 characters")
            if "using namespace" in code_part(line):
                problems.append(f"{rel}:{number}: `using namespace`")
            if rel.startswith(NO_FLOAT_DIRS) and FLOAT.search(code_part(line)):
                problems.append(f"{rel}:{number}: floating point in ledger/cycle code")
    clang_format = shutil.which("clang-format")
    if clang_format:
        result = subprocess.run([clang_format, "--dry-run", "--Werror", *map(str, sources)],
                                cwd=ROOT, capture_output=True, text=True)
        for line in result.stderr.splitlines():
            if ": error:" in line:
                problems.append(line.replace(str(ROOT) + "/", "") + " (run `make format`)")
    for p in problems:
        print(p)
    print(f"tidy: {len(sources)} files, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
