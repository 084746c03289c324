#!/usr/bin/env python3
"""The project's own lint, run as a CTest test (style-anchors: TigerBeetle's tidy.zig).

Usage: tidy.py [ROOT]. Rules, over the C++ files (.cc, .h) below src/, bench/, tests/ and fuzz/
that git tracks (or, outside a checkout, every such file below ROOT):
  1. formatted as .clang-format says (clang-format --dry-run), when clang-format is installed;
  2. lines at most 100 characters;
  3. no `using namespace`;
  4. no floating point in the ledger and the project cycle: credits are whole tonnes.
  5. include direction. A file may include only project headers of the modules its row of
     ALLOWED names (a module is a directory of src/, e.g. `store/sqlite`; bench/, tests/ and
     fuzz/ are one module each):
       core <- ledger, mrv, cycle (<- cycle/import) <- store (<- store/memory, store/sqlite,
       store/testing) <- service <- cli/*, api <- app.
     bench may include service, store and its adapters, ledger, cli/common and core; fuzz only
     mrv and core; tests/ anything. A test beside its code (`*_test.cc`, `*_test.h`) may also
     include the test support (TEST_SUPPORT: `core/testing`, `store/testing` and the store
     adapters it wraps) of any module its code may include: a test is its own composition root.
     A header under `X/internal/` may be included only from files under `X/`: adapter-internal
     headers stay inside their adapter. Only "..."-includes that resolve to a file below src/,
     bench/ (as `bench/…`) or the including file's directory are checked, so system and
     third-party headers are not. Every directory of src/ holding C++ files must have a row of
     ALLOWED, so a new module states its dependencies when it is created. KNOWN_VIOLATIONS lists
     today's exceptions, each with its reason; an entry that no longer matches is itself an error,
     so the list only shrinks.
Prints each violation as FILE:LINE: rule, exits 1 if there is any.
"""
import pathlib
import re
import shutil
import subprocess
import sys

DIRS = ("src", "bench", "tests", "fuzz")
NO_FLOAT_DIRS = ("src/ledger", "src/cycle")
FLOAT = re.compile(r"\b(float|double|long double)\b")

# ---- Rule 5: include direction ------------------------------------------------------------------

_BELOW_STORE = ("store", "ledger", "mrv", "cycle", "cycle/import", "core")
_SERVICE_AND_BELOW = ("service",) + _BELOW_STORE
# Modules a test of an including module may also reach when its code may reach the key module.
TEST_SUPPORT = {
    "core": ("core/testing",),
    "store": ("store/testing", "store/memory", "store/sqlite"),
}
# Including module -> the modules whose headers it may include (its own row included). "*" means
# anything. Keep it in the dependency order of docs/testing.md and architecture.md.
ALLOWED = {
    "core": ("core",),
    "core/testing": ("core/testing", "core"),
    "ledger": ("ledger", "core"),
    "mrv": ("mrv", "core"),
    "cycle": ("cycle", "core"),
    "cycle/import": ("cycle/import", "cycle", "core"),
    "store": ("store", "ledger", "core"),
    "store/memory": ("store/memory", "store", "ledger", "core"),
    "store/sqlite": ("store/sqlite", "store", "ledger", "core"),
    # The fixture runs one registry through either adapter: it wraps both.
    "store/testing": ("store/testing", "store/memory", "store/sqlite", "store", "ledger", "core"),
    "service": _SERVICE_AND_BELOW,
    "cli/common": ("cli/common",) + _SERVICE_AND_BELOW,
    "cli/mrv": ("cli/mrv", "cli/common") + _SERVICE_AND_BELOW,
    "cli/cycle": ("cli/cycle", "cli/common") + _SERVICE_AND_BELOW,
    "cli": ("cli", "cli/common", "cli/mrv", "cli/cycle") + _SERVICE_AND_BELOW,
    "api": ("api",) + _SERVICE_AND_BELOW,
    # The composition root wires everything of src/ but the test support; bench is no module
    # of the program (it is reached as a command of cli).
    "app": ("app", "api", "cli", "cli/common", "cli/mrv", "cli/cycle", "store/memory",
            "store/sqlite") + _SERVICE_AND_BELOW,
    # ledger: the store's port is written in ledger types.
    "bench": ("bench", "service", "store", "store/memory", "store/sqlite", "ledger", "cli/common",
              "core"),
    "fuzz": ("fuzz", "mrv", "core"),
    "tests": "*",
}
# (including file, included header as written) -> why it is tolerated for now. Delete an entry
# when its include is gone; tidy reports entries that no longer match.
KNOWN_VIOLATIONS = {
    ("bench/ledger_bench.cc", "cli/output.h"):
        "bench prints through the CLI-internal output helpers; needs them in cli/common (W2)",
    ("src/app/main.cc", "bench/ledger_bench.h"):
        "`jcm bench ledger` is wired in main; bench should be an ordinary command module (W2)",
}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
TEST_FILE = re.compile(r"_test\.(cc|h)$")


def module_of(rel):
    """The module of a root-relative path: src/<dir> without internal/ parts, or the top folder.

    None for a file directly in src/ or outside the checked folders."""
    parts = rel.split("/")
    if parts[0] != "src":
        return parts[0] if parts[0] in DIRS and len(parts) > 1 else None
    dirs = [p for p in parts[1:-1] if p != "internal"]
    return "/".join(dirs) if dirs else None


def resolve_include(includer, header, known):
    """The root-relative path a "..."-include names, or None when it is not a project header."""
    candidates = ["src/" + header]
    if header.startswith("bench/"):
        candidates.append(header)
    candidates.append(str(pathlib.PurePosixPath(includer).parent / header))
    for candidate in candidates:
        if candidate in known:
            return candidate
    return None


def include_allowed(includer, target):
    """None when `includer` may include `target` (both root-relative), else the reason."""
    match = re.match(r"(.*?)/internal/", target)
    if match and not includer.startswith(match.group(1) + "/"):
        return f"{target} is internal to {match.group(1)}/"
    source, dest = module_of(includer), module_of(target)
    allowed = ALLOWED.get(source)
    if allowed == "*":
        return None
    if allowed is None:
        return f"{source or includer} has no row in tidy.py's ALLOWED table"
    reachable = set(allowed)
    if TEST_FILE.search(includer):
        for module in allowed:
            reachable.update(TEST_SUPPORT.get(module, ()))
    if dest in reachable:
        return None
    return f"module {source} may not include {dest} (allowed: {', '.join(sorted(reachable))})"


def check_includes(sources, known, known_violations=None):
    """Rule 5 over {root-relative path: text}; `known` is every root-relative file path."""
    if known_violations is None:
        known_violations = KNOWN_VIOLATIONS
    problems, used = [], set()
    for rel, text in sorted(sources.items()):
        if module_of(rel) is None:
            continue
        for number, line in enumerate(text.splitlines(), 1):
            match = INCLUDE.match(line)
            if not match:
                continue
            target = resolve_include(rel, match.group(1), known)
            if target is None:
                continue
            reason = include_allowed(rel, target)
            if reason is None:
                continue
            if (rel, match.group(1)) in known_violations:
                used.add((rel, match.group(1)))
                continue
            problems.append(f'{rel}:{number}: include "{match.group(1)}": {reason}')
    for includer, header in sorted(set(known_violations) - used):
        problems.append(f'{includer}: KNOWN_VIOLATIONS entry for "{header}" no longer matches; '
                        "delete it from tools/tidy.py")
    return problems


# ---- The tree -----------------------------------------------------------------------------------

def files(root):
    try:
        top = subprocess.run(["git", "-C", str(root), "rev-parse", "--show-toplevel"], check=True,
                             capture_output=True, text=True).stdout.strip()
        if pathlib.Path(top).resolve() != root:
            raise FileNotFoundError(top)
        listed = subprocess.run(["git", "-C", str(root), "ls-files", *DIRS], check=True,
                                capture_output=True, text=True).stdout.split()
        paths = [root / p for p in listed]
    except (subprocess.CalledProcessError, FileNotFoundError):
        paths = [p for d in DIRS for p in (root / d).rglob("*")]
    return sorted(p for p in paths if p.suffix in (".cc", ".h") and p.is_file())


def code_part(line):
    """The line without a trailing // comment (good enough for this lint)."""
    return line.split("//", 1)[0]


def main(argv):
    root = pathlib.Path(argv[1] if len(argv) > 1 else ".").resolve()
    problems = []
    paths = files(root)
    sources = {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8") for p in paths}
    for rel, text in sources.items():
        for number, line in enumerate(text.splitlines(), 1):
            if len(line) > 100:
                problems.append(f"{rel}:{number}: line longer than 100 characters")
            if "using namespace" in code_part(line):
                problems.append(f"{rel}:{number}: `using namespace`")
            if rel.startswith(NO_FLOAT_DIRS) and FLOAT.search(code_part(line)):
                problems.append(f"{rel}:{number}: floating point in ledger/cycle code")
    problems += check_includes(sources, set(sources))
    clang_format = shutil.which("clang-format")
    if clang_format:
        result = subprocess.run([clang_format, "--dry-run", "--Werror", *map(str, paths)],
                                cwd=root, capture_output=True, text=True)
        for line in result.stderr.splitlines():
            if ": error:" in line:
                problems.append(line.replace(str(root) + "/", "") + " (run `make format`)")
    for p in problems:
        print(p)
    print(f"tidy: {len(paths)} files, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
