#!/usr/bin/env python3
"""Docs match the code: every `jcm COMMAND … --option` written in the given documents names a
command the binary knows and an option that command accepts.

Usage: docs_options.py PATH_TO_JCM DOC.md [DOC.md …]
Reads inline `jcm …` spans and code-block lines starting with "jcm "; runs each command with
all its documented options (`--option=x`), then `--json` and an option no command has, so the
parser always stops before the command's body runs. The parser reads the options in order and
stops at the first it refuses: the one named `unknown option` is a documented option the command
does not take (a problem), the one that `takes no value` a switch the command does take; either
way the options before it were taken, and the next run starts after it. Reaching the last
option takes them all (and `--json`). One run per command and per switch, not per option: 586
(command, option) pairs cost 586 starts of the sanitized `jcm`, about 240 CPU-s, before.
"""
import json
import re
import subprocess
import sys

SENTINEL = "no-command-takes-this-option"
VERB = re.compile(r"^[a-z][a-z-]*(\|[a-z][a-z-]*)*$")
# Nouns whose commands are three words: `jcm article6 authorisation add`.


def synopses(text):
    for match in re.finditer(r"`(jcm [^`]+)`", text):
        yield match.group(1)
    for line in text.splitlines():
        if line.startswith("jcm "):
            yield line


def commands(span):
    words = span.replace("\\|", "|").split()
    # `jcm mrv` alone names a family, `jcm COMMAND` a placeholder: no options to check.
    if len(words) < 3 or words[1] == "help" or not words[1].islower():
        return []
    # The noun, then the verbs that follow it (`jcm programme funding add`: two), each maybe
    # a choice (`grant|revoke`).
    names = [[noun] for noun in words[1].split("|")]
    for word in words[2:4]:
        if not VERB.match(word):
            break
        names = [name + [verb] for name in names for verb in word.split("|")]
    return names


def check_command(jcm, command, options, problems):
    """Checks `options` (a set of names) on `command` (its words); appends each documented option
    the command refuses to `problems`. Returns the number of runs of jcm."""
    # `--json` is every command's switch: it is always passed, last but the sentinel, so the
    # error comes as one JSON document; reaching the sentinel shows it was taken.
    remaining = sorted(options - {"json"})
    runs = 0
    while True:
        argv = [jcm, *command, *(f"--{o}=x" for o in remaining), "--json", f"--{SENTINEL}"]
        run = subprocess.run(argv, capture_output=True, text=True, timeout=60)
        runs += 1
        try:
            message = json.loads(run.stdout)["error"]["message"]
        except (json.JSONDecodeError, KeyError, TypeError):
            problems.append(f"{' '.join(argv)}: not one error document: {run.stdout!r}")
            return runs
        if message == f"unknown option --{SENTINEL}":
            return runs
        stopped = re.fullmatch(r"(?:unknown option --(.+)|--(.+) takes no value)", message)
        name = stopped and (stopped.group(1) or stopped.group(2))
        if not name or name not in remaining:
            problems.append(f"jcm {' '.join(command)} --{', --'.join(sorted(options))}: {message}")
            return runs
        if stopped.group(1):
            problems.append(f"jcm {' '.join(command)} --{name}: {message}")
        remaining = remaining[remaining.index(name) + 1:]


def main():
    jcm, docs = sys.argv[1], sys.argv[2:]
    pairs = set()
    for doc in docs:
        with open(doc, encoding="utf-8") as f:
            for span in synopses(f.read()):
                options = set(re.findall(r"--([a-z][a-z0-9-]*)", span)) - {"help"}
                for command in commands(span):
                    pairs.update((tuple(command), option) for option in options | {"json"})
    by_command = {}
    for command, option in pairs:
        by_command.setdefault(command, set()).add(option)
    problems = []
    runs = 0
    for command, options in sorted(by_command.items()):
        runs += check_command(jcm, list(command), options, problems)
    for problem in problems:
        print(problem)
    print(f"docs options: {len(pairs)} (command, option) pairs in {runs} runs, "
          f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
