#!/usr/bin/env python3
"""Every reference to the project's own docs resolves: the relative links of the Markdown files (a file, and
a heading or an anchor in it), and the `<page>.md#<anchor>` references in code, comments, list files and scripts.
Anchors are GitHub's: the heading in lower case, punctuation but '-' and '_' dropped, spaces as '-'.
Prints each broken reference and exits 1 when there is one."""
import os
import re
import subprocess
import sys

ROOT = subprocess.check_output(["git", "rev-parse", "--show-toplevel"], text=True).strip()
FILES = subprocess.check_output(["git", "ls-files"], cwd=ROOT, text=True).split()
_anchors = {}


def anchors(path):
    if path not in _anchors:
        found = set()
        with open(path, encoding="utf-8") as f:
            for line in f:
                heading = re.match(r"^#+\s+(.*)", line)
                if heading:
                    text = re.sub(r"[`*~]", "", heading.group(1).strip().lower())
                    found.add(re.sub(r"[^\w\- ]", "", text).replace(" ", "-"))
                found.update(re.findall(r'<a (?:id|name)="([^"]+)"', line))
        _anchors[path] = found
    return _anchors[path]


def check(source, link, target, anchor, broken):
    if not os.path.exists(target):
        broken.append("%s: %s: no such file" % (source, link))
    elif anchor and target.endswith(".md") and anchor.lower() not in anchors(target):
        broken.append("%s: %s: no such heading" % (source, link))


def main():
    broken = []
    for f in FILES:
        path = os.path.join(ROOT, f)
        if f.endswith(".md"):
            text = re.sub(r"```.*?```", "", open(path, encoding="utf-8").read(), flags=re.S)
            for link in re.findall(r"\]\(([^)\s]+)\)", text):
                if re.match(r"^[a-z]+:", link):
                    continue
                page, _, anchor = link.partition("#")
                target = os.path.normpath(os.path.join(os.path.dirname(path), page)) if page else path
                check(f, link, target, anchor, broken)
            continue
        try:
            text = open(path, encoding="utf-8").read()
        except (UnicodeDecodeError, IsADirectoryError):
            continue
        for page, anchor in re.findall(r"(?<![\w/.-])((?:docs/)?[\w-]+\.md)#([\w-]+)", text):
            places = [os.path.join(ROOT, page), os.path.join(ROOT, "docs", os.path.basename(page)),
                      os.path.join(os.path.dirname(path), page)]
            target = next((p for p in places if os.path.exists(p)), places[0])
            check(f, page + "#" + anchor, target, anchor, broken)
    for b in sorted(set(broken)):
        print(b)
    print(".ci/links.py: %d files read, %d broken references" % (len(FILES), len(set(broken))))
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
