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
       core <- ledger, mrv, cycle (<- cycle/import), identity <- store (<- store/memory,
       store/sqlite, store/postgres <- store/open, store/testing) <- service <- server <- cli/*
       <- app.
     bench may include service, store and its adapters, ledger, cli/common and core; fuzz
     mrv, server, service, store, store/memory, ledger and core; tests/ anything. A test beside
     its code (`*_test.cc`, `*_test.h`) may also include the test support (TEST_SUPPORT: `core/testing`, `store/testing` and the store
     adapters it wraps) of any module its code may include: a test is its own composition root.
     A header under `X/internal/` may be included only from files under `X/`: adapter-internal
     headers stay inside their adapter. Only "..."-includes that resolve to a file below src/,
     bench/ (as `bench/…`) or the including file's directory are checked, so system and
     third-party headers are not. Every directory of src/ holding C++ files must have a row of
     ALLOWED, so a new module states its dependencies when it is created. KNOWN_VIOLATIONS lists
     today's exceptions, each with its reason; an entry that no longer matches is itself an error,
     so the list only shrinks.
  6. function length: no function body longer than FUNCTION_LINES_MAX (70) lines, counted as
     clang-tidy's readability-function-size counts them: the line of the closing brace minus the
     line of the opening brace. Functions are found by brace matching over the code with comments,
     literals and preprocessor lines blanked: a `{` at namespace or class scope whose header has a
     parameter list opens a function (lambdas and local classes count as part of the function
     that contains them). tools/function_length_baseline.txt lists today's longer functions as
     FILE:FUNCTION:LENGTH; such a function may not grow, and an entry whose function no longer
     exceeds the limit (or no longer exists) must be deleted: the baseline only shrinks.
  7. dependencies: the packages scripts/bootstrap installs are exactly those named in the first
     column of docs/dependencies.md's table, so each installed package has a stated reason.
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

_BELOW_STORE = ("store", "ledger", "mrv", "cycle", "cycle/import", "identity", "approval",
                "programme", "article6", "exchange", "core")
_SERVICE_AND_BELOW = ("service",) + _BELOW_STORE
# Modules a test of an including module may also reach when its code may reach the key module.
TEST_SUPPORT = {
    "core": ("core/testing",),
    "store": ("store/testing", "store/memory", "store/sqlite", "store/postgres", "store/open"),
}
# Including module -> the modules whose headers it may include (its own row included). "*" means
# anything. Keep it in the dependency order of docs/testing.md and architecture.md.
_CLI = ("cli", "cli/common", "cli/mrv", "cli/cycle")
ALLOWED = {
    "core": ("core",),
    "core/testing": ("core/testing", "core"),
    "ledger": ("ledger", "core"),
    "mrv": ("mrv", "core"),
    "cycle": ("cycle", "core"),
    "cycle/import": ("cycle/import", "cycle", "core"),
    # Users, passwords, TOTP, lockout and roles: pure domain code, like the cycle.
    "identity": ("identity", "core"),
    # Four-eyes approval and trusted accounts: pure decisions naming ledger transactions and
    # deciding rights with identity's Authorize.
    "approval": ("approval", "ledger", "identity", "core"),
    # Programme management (funding, contributions, the GoJ's share, indicators): pure.
    "programme": ("programme", "core"),
    # Article 6.2 authorisations: pure records and decisions, like the cycle.
    "article6": ("article6", "core"),
    # Transfers between registries: signed envelopes and the external transfer's state
    # machines, pure like the cycle.
    "exchange": ("exchange", "core"),
    "store": ("store", "ledger", "core"),
    "store/memory": ("store/memory", "store", "ledger", "core"),
    "store/sqlite": ("store/sqlite", "store", "ledger", "core"),
    # libpq stays inside the PostgreSQL adapter (its internal/ headers).
    "store/postgres": ("store/postgres", "store", "ledger", "core"),
    # The one factory from --db to a store: a PostgreSQL URI or an SQLite file.
    "store/open": ("store/open", "store/sqlite", "store/postgres", "store", "ledger", "core"),
    # The fixture runs one registry through either adapter: it wraps both. Test support may use
    # the test support below it.
    "store/testing": ("store/testing", "store/memory", "store/sqlite", "store/postgres", "store",
                      "ledger", "core/testing", "core"),
    "service": _SERVICE_AND_BELOW,
    # The JSON codecs every front end shares (the CLI now, the API next): above the use cases.
    "service/json": ("service/json",) + _SERVICE_AND_BELOW,
    # Documents issued as PDF (the retirement certificate): beside the JSON codecs.
    "service/pdf": ("service/pdf",) + _SERVICE_AND_BELOW,
    # Tables written as CSV, JSON and XLSX (the public reports): beside the JSON codecs.
    "service/tables": ("service/tables",) + _SERVICE_AND_BELOW,
    # The command line's parts register their commands in its one table (cli/commands.h), so
    # they may include cli; never each other.
    "cli/common": ("cli/common", "service/json") + _SERVICE_AND_BELOW,
    "cli/mrv": ("cli/mrv", "cli", "cli/common", "service/json") + _SERVICE_AND_BELOW,
    "cli/cycle": ("cli/cycle", "cli", "cli/common", "service/json") + _SERVICE_AND_BELOW,
    # `jcm serve` (cli/serve_command.cc) runs the HTTP API.
    "cli": _CLI + ("server", "service/json", "service/pdf", "service/tables") + _SERVICE_AND_BELOW,
    # The HTTP API: the routing and handlers over the service and its JSON codecs; nothing
    # below it includes it.
    "server": ("server", "service/json", "service/pdf", "service/tables") + _SERVICE_AND_BELOW,
    # The composition root wires everything of src/ but the test support; bench is no module
    # of the program (it is reached as a command of cli).
    "app": ("app", "server", "cli", "cli/common", "cli/mrv", "cli/cycle", "service/json",
            "store/memory", "store/sqlite", "store/open") + _SERVICE_AND_BELOW,
    # ledger: the store's port is written in ledger types.
    # It measures concrete stores: SQLite, and PostgreSQL with --db postgresql://…. identity:
    # `bench api`'s approvers sign their approvals with TOTP codes (bench/approval_bench.cc).
    "bench": ("bench", "service", "identity", "store", "store/memory", "store/sqlite", "store/postgres",
              "store/open", "ledger", "cli/common", "core"),
    # The server target drives the HTTP API's pipeline over the memory store.
    "fuzz": ("fuzz", "mrv", "server", "service", "store", "store/memory", "ledger", "core"),
    "tests": "*",
}
# (including file, included header as written) -> why it is tolerated for now. Delete an entry
# when its include is gone; tidy reports entries that no longer match.
KNOWN_VIOLATIONS = {}
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


# ---- Rule 6: function length --------------------------------------------------------------------

FUNCTION_LINES_MAX = 70
BASELINE = "tools/function_length_baseline.txt"
CONTROL = {"if", "for", "while", "switch", "catch", "return", "sizeof", "decltype", "alignof",
           "noexcept", "requires", "static_assert"}


def blank_code(text):
    """`text` with comments, string and character literals and preprocessor lines turned into
    spaces, keeping every newline so line numbers stay."""
    out, i, n = [], 0, len(text)
    at_line_start = True
    while i < n:
        c = text[i]
        if at_line_start and c == "#" or (at_line_start and c in " \t" and
                                            text[i:].lstrip(" \t").startswith("#")):
            # A directive, with its backslash continuations.
            j = i
            while j < n:
                if text[j] == "\n" and text[j - 1] != "\\":
                    break
                j += 1
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
            continue
        at_line_start = c == "\n" or (at_line_start and c in " \t")
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
        elif c == "R" and text.startswith('"', i + 1) and not _ident_char(text, i - 1):
            delim = text[i + 2:text.find("(", i + 2)]
            j = text.find(")" + delim + '"', i)
            j = n if j < 0 else j + len(delim) + 2
            out.append("R\"\"" + re.sub(r"[^\n]", " ", text[i + 3:j - 1]))
            i = j
            continue
        elif c in "\"'" and not (c == "'" and _digit_separator(text, i)):
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(c + re.sub(r"[^\n]", " ", text[i + 1:j - 1]) + c)
            i = j
            continue
        else:
            out.append(c)
            i += 1
            continue
        out.append(re.sub(r"[^\n]", " ", text[i:j]))
        i = j
    return "".join(out)


def _ident_char(text, i):
    return i >= 0 and (text[i].isalnum() or text[i] == "_")


def _digit_separator(text, i):
    """Whether the ' at i separates digits (1'000'000) rather than opening a literal."""
    j = i
    while j > 0 and (text[j - 1].isalnum() or text[j - 1] in "_."):
        j -= 1
    return j < i and text[j].isdigit()


def _strip_groups(s, open_c, close_c, keep=""):
    """`s` with the contents of every outermost open_c...close_c group replaced by `keep`."""
    out, depth = [], 0
    for c in s:
        if c == open_c:
            if depth == 0:
                out.append(open_c + keep)
            depth += 1
        elif c == close_c and depth > 0:
            depth -= 1
            if depth == 0:
                out.append(close_c)
        elif depth == 0:
            out.append(c)
    return "".join(out)


def _function_name(header):
    """The name of the function whose header (the text before its `{`) is `header`, or None
    when the header is not a function's."""
    s = " ".join(header.split())
    s = re.sub(r"^((public|private|protected)\s*:\s*)+", "", s)
    s = re.sub(r"\[\[.*?\]\]|__attribute__\s*\(\(.*?\)\)", " ", s).strip()
    if re.match(r"template\s*<", s):
        depth, end = 0, 0
        for end, c in enumerate(s):
            depth += {"<": 1, ">": -1}.get(c, 0)
            if c == ">" and depth == 0:
                break
        s = s[end + 1:].strip()
    first = re.match(r"(\w+)", s)
    if first is None or "(" not in s:
        return None
    if first.group(1) in ("namespace", "class", "struct", "union", "enum", "typedef", "using"):
        return None
    if s.endswith("=") or s.endswith(","):
        return None
    flat = _strip_groups(s, "(", ")")
    before = flat[:flat.index("(")]
    # `x = [](…) {` and `auto f = g(…)` are no definitions; `operator=(…)` is.
    if "=" in re.sub(r"operator\s*[^\s(]*", "", before):
        return None
    name = re.search(r"((?:[\w~]+(?:<[^()<>]*>)?::)*(?:operator\s*[^\s\w]*|~?\w+))\s*$", before)
    if name is None or name.group(1) in CONTROL:
        return None
    result = name.group(1).replace(" ", "")
    if result.endswith("operator"):
        result += "()"
    if re.fullmatch(r"[A-Z][A-Z0-9_]+", result) and before.strip() == result:
        # A macro such as TEST_F(Suite, Name): its arguments name the function.
        args = s[s.index("(") + 1:]
        depth, end = 1, 0
        for end, c in enumerate(args):
            depth += {"(": 1, ")": -1}.get(c, 0)
            if depth == 0:
                break
        result += "(" + args[:end].replace(" ", "") + ")"
    return result


def _member_init_brace(header):
    """Whether a `{` after `header` opens a brace-initialiser of a constructor's member init list
    (`Foo() : a_(1), b_{2} {`): after `) :` only a `)` or `}` ends the list before the body."""
    flat = " ".join(_strip_groups(_strip_groups(header, "(", ")"), "{", "}").split())
    return (re.search(r"\)\s*(const\s*)?(noexcept\s*)?:(?!:)", flat) is not None
            and re.search(r"[)}]\s*$", flat) is None)


def find_functions(text):
    """[(name, line of its header, length)] for each function defined in C++ `text` (rule 6)."""
    code = blank_code(text)
    functions = []
    # Each open brace: (kind, name, line); kind is "scope" (namespace, class or file), "function"
    # or "other" (an initialiser, an enum or a block inside a function).
    stack = [("scope", "", 0)]
    header = []
    line = header_line = 1
    for c in code:
        if c == "\n":
            line += 1
        kind = stack[-1][0]
        if kind != "scope":
            if c == "{":
                stack.append(("other", "", line))
            elif c == "}":
                closed = stack.pop()
                if closed[0] == "function":
                    functions.append((closed[1], closed[3], line - closed[2]))
                    header = []
                elif stack[-1][0] == "scope":
                    header.append("{}")
            continue
        if c == "{":
            text_before = "".join(header)
            name = None if _member_init_brace(text_before) else _function_name(text_before)
            if name is not None:
                classes = [entry[1] for entry in stack if entry[0] == "scope" and entry[1]]
                if "::" not in name and classes:
                    name = classes[-1] + "::" + name
                stack.append(("function", name, line, header_line))
            elif re.match(r"\s*(template\s*<.*>\s*)?(class|struct|union)\b", text_before,
                          re.S):
                tag = re.match(r"\s*(?:template\s*<.*>\s*)?(?:class|struct|union)\s+"
                               r"(?:\[\[.*?\]\]\s*)?(\w+)", text_before, re.S)
                stack.append(("scope", tag.group(1) if tag else "", line))
                header = []
            elif re.match(r"\s*((inline\s+)?namespace|extern)\b", text_before):
                stack.append(("scope", "", line))
                header = []
            else:
                stack.append(("other", "", line))
        elif c == "}":
            if len(stack) > 1:
                stack.pop()
            header = []
        elif c == ";":
            header = []
        else:
            if not c.isspace() and not "".join(header).strip():
                header_line = line
            header.append(c)
    return functions


def read_baseline(text):
    """{(file, function): length} from the baseline's FILE:FUNCTION:LENGTH lines."""
    baseline = {}
    for raw in text.splitlines():
        entry = raw.split("#", 1)[0].strip()
        if entry:
            path, rest = entry.split(":", 1)
            function, length = rest.rsplit(":", 1)
            baseline[(path, function)] = int(length)
    return baseline


def check_function_lengths(sources, baseline, limit=FUNCTION_LINES_MAX):
    """Rule 6 over {root-relative path: text} against {(file, function): length}."""
    problems, longest = [], {}
    for rel, text in sorted(sources.items()):
        for name, first, length in find_functions(text):
            if length <= limit:
                continue
            key = (rel, name)
            longest[key] = max(longest.get(key, 0), length)
            allowed = baseline.get(key)
            if allowed is None:
                problems.append(f"{rel}:{first}: function {name} is {length} lines, more than "
                                f"{limit}; split it")
            elif length > allowed:
                problems.append(f"{rel}:{first}: function {name} grew to {length} lines, its "
                                f"baseline is {allowed} ({BASELINE}); split it")
    for (rel, name), allowed in sorted(baseline.items()):
        if (rel, name) not in longest:
            problems.append(f"{BASELINE}: {rel}:{name} is no longer over {limit} lines (or is "
                            "gone); delete its entry")
        elif longest[(rel, name)] < allowed:
            problems.append(f"{BASELINE}: {rel}:{name} shrank to {longest[(rel, name)]} lines; "
                            "lower its entry")
    return problems


# ---- Rule 7: dependencies ----------------------------------------------------------------------

def bootstrap_packages(text):
    """The packages of scripts/bootstrap's `packages=( … )` array."""
    block = re.search(r"^packages=\((.*?)^\)", text, re.S | re.M)
    if block is None:
        return set()
    return {word for line in block.group(1).splitlines()
            for word in line.split("#", 1)[0].split()}


def documented_packages(text):
    """The `backticked` names in the first column of the Markdown table of dependencies.md."""
    names = set()
    for line in text.splitlines():
        cells = line.split("|")
        if line.startswith("|") and len(cells) > 2 and not set(cells[1].strip()) <= {"-"}:
            names.update(re.findall(r"`([^`]+)`", cells[1]))
    return names


def check_dependencies(bootstrap_text, doc_text):
    installed, documented = bootstrap_packages(bootstrap_text), documented_packages(doc_text)
    problems = [f"scripts/bootstrap: installs {p}, which docs/dependencies.md does not list"
                for p in sorted(installed - documented)]
    problems += [f"docs/dependencies.md: lists {p}, which scripts/bootstrap does not install"
                 for p in sorted(documented - installed)]
    if not installed:
        problems.append("scripts/bootstrap: no packages=( … ) array found")
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
    baseline_path = root / BASELINE
    baseline = read_baseline(baseline_path.read_text(encoding="utf-8")
                             if baseline_path.exists() else "")
    problems += check_function_lengths(sources, baseline)
    bootstrap, doc = root / "scripts/bootstrap", root / "docs/dependencies.md"
    if bootstrap.exists() and doc.exists():
        problems += check_dependencies(bootstrap.read_text(encoding="utf-8"),
                                       doc.read_text(encoding="utf-8"))
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
