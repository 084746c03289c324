#!/usr/bin/env python3
"""Docs match the code: every `jcm COMMAND … --option` written in the given documents names a
command the binary knows and an option that command accepts.

Usage: docs_options.py PATH_TO_JCM DOC.md [DOC.md …]
Reads inline `jcm …` spans and code-block lines starting with "jcm "; runs each (command,
option) pair followed by an option no command has, so the parser always stops before the
command's body runs, and fails when the documented option is the one refused.
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


def main():
    jcm, docs = sys.argv[1], sys.argv[2:]
    pairs = set()
    for doc in docs:
        with open(doc, encoding="utf-8") as f:
            for span in synopses(f.read()):
                options = set(re.findall(r"--([a-z][a-z0-9-]*)", span)) - {"help"}
                for command in commands(span):
                    pairs.update((tuple(command), option) for option in options | {"json"})
    problems = []
    for command, option in sorted(pairs):
        argv = [jcm, *command, f"--{option}=x", "--json", f"--{SENTINEL}"]
        run = subprocess.run(argv, capture_output=True, text=True, timeout=60)
        try:
            message = json.loads(run.stdout)["error"]["message"]
        except (json.JSONDecodeError, KeyError, TypeError):
            problems.append(f"{' '.join(argv)}: not one error document: {run.stdout!r}")
            continue
        accepted = message in (f"unknown option --{SENTINEL}", f"--{option} takes no value")
        if not accepted:
            problems.append(f"jcm {' '.join(command)} --{option}: {message}")
    for problem in problems:
        print(problem)
    print(f"docs options: {len(pairs)} (command, option) pairs, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
