#!/usr/bin/env python3
"""Draws a flame graph as one SVG file from async-profiler's collapsed stacks ("frame;frame;frame count" a
line). The SVG shows on any web page that shows images (GitHub renders it in place); hovering a frame shows
its name, samples and share in the frame's <title>.

    python3 bench/flamegraph.py PROFILE.collapsed OUT.svg "title"
"""
import html
import sys

WIDTH = 1200
ROW = 16
FONT = 11
CHAR = 6.2  # average width of a character at FONT, to decide whether a name fits its box


class Frame:
    __slots__ = ("name", "samples", "children")

    def __init__(self, name):
        self.name = name
        self.samples = 0
        self.children = {}


def read(path):
    root = Frame("all")
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            stack, _, count = line.rstrip("\n").rpartition(" ")
            if not stack or not count.isdigit():
                continue
            n = int(count)
            node = root
            node.samples += n
            for name in stack.split(";"):
                node = node.children.setdefault(name, Frame(name))
                node.samples += n
    return root


def colour(name):
    """Kernel frames orange, Java frames green, native (C, JVM) frames red: async-profiler's own scheme."""
    if name.endswith("_[k]"):
        return "#e89b3c"
    if "." in name or "/" in name or name.endswith(("_[j]", "_[i]", "_[0]", "_[1]")):
        return "#6fbf5a"
    return "#e36a5a"


def depth(node):
    return 1 + max((depth(c) for c in node.children.values()), default=0)


def draw(root, title):
    rows = depth(root)
    height = (rows + 2) * ROW + 10
    scale = WIDTH / root.samples if root.samples else 0
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
           f'font-family="monospace" font-size="{FONT}">',
           f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>',
           f'<text x="{WIDTH / 2}" y="{ROW}" text-anchor="middle" font-size="{FONT + 3}">'
           f'{html.escape(title)}</text>']

    def frame(node, x, level):
        w = node.samples * scale
        if w < 1.0:
            return
        y = height - (level + 1) * ROW
        share = 100.0 * node.samples / root.samples
        name = html.escape(node.name)
        out.append(f'<g><title>{name} ({node.samples} samples, {share:.2f}%)</title>'
                   f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{ROW - 1}" fill="{colour(node.name)}"/>')
        fits = int((w - 4) / CHAR)
        if fits >= 3:
            label = node.name if len(node.name) <= fits else node.name[:fits - 2] + ".."
            out.append(f'<text x="{x + 2:.1f}" y="{y + ROW - 4}">{html.escape(label)}</text>')
        out.append("</g>")
        for child in sorted(node.children.values(), key=lambda c: c.name):
            frame(child, x, level + 1)
            x += child.samples * scale

    frame(root, 0.0, 0)
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main(argv):
    if len(argv) != 4:
        sys.exit(__doc__)
    root = read(argv[1])
    if root.samples == 0:
        sys.exit(f"{argv[1]}: no samples")
    with open(argv[2], "w", encoding="utf-8") as f:
        f.write(draw(root, argv[3]))


if __name__ == "__main__":
    main(sys.argv)
