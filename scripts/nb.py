#!/usr/bin/env python3
"""Edit notebooks as text: a round trip between .ipynb and a percent-format script.

  nb.py to-text notebooks/01-clip.ipynb > /tmp/01.ts    # edit the text
  nb.py from-text /tmp/01.ts notebooks/01-clip.ipynb    # write it back, outputs stripped

Cells start with `// %%` (code) or `// %% [markdown]` (markdown lines prefixed by `// `).
An exercise cell starts with `// %% [exercise <id>]` (metadata.exercise = id) and its check cell with
`// %% [check <id>]`; their code comes from solutions/ (run `npx tsx scripts/exercises.ts` after
from-text: it rewrites them, so write `// %% [exercise diffusion/ddpmStep]` and leave the body empty).
Notebooks are always written without outputs and with the course kernel.
"""
import re
import sys

import nbformat

KERNEL = {"name": "tslab", "display_name": "TypeScript (course)", "language": "typescript"}


def to_text(path):
    nb = nbformat.read(path, as_version=4)
    parts = []
    for c in nb.cells:
        if c.cell_type == "markdown":
            body = "\n".join(("// " + l) if l else "//" for l in c.source.split("\n"))
            parts.append("// %% [markdown]\n" + body)
        elif c.metadata.get("exercise"):
            parts.append(f"// %% [exercise {c.metadata['exercise']}]\n" + c.source)
        elif c.metadata.get("check"):
            parts.append(f"// %% [check {c.metadata['check']}]\n" + c.source)
        else:
            parts.append("// %%\n" + c.source)
    return "\n\n".join(parts) + "\n"


def from_text(text):
    cells = []
    kind, meta, buf = None, {}, []

    def flush():
        if kind is None:
            return
        src = "\n".join(buf).strip("\n")
        if kind == "markdown":
            src = "\n".join(l[3:] if l.startswith("// ") else l[2:] if l.startswith("//") else l for l in src.split("\n"))
            cells.append(nbformat.v4.new_markdown_cell(src))
        else:
            cells.append(nbformat.v4.new_code_cell(src, metadata=dict(meta)))

    for line in text.split("\n"):
        if line.startswith("// %%"):
            flush()
            kind, buf = ("markdown" if "[markdown]" in line else "code"), []
            m = re.match(r"// %% \[(exercise|check) ([\w/]+)\]", line)
            meta = {m.group(1): m.group(2)} if m else {}
        else:
            buf.append(line)
    flush()
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = KERNEL
    nb.metadata["language_info"] = {"name": "typescript", "file_extension": ".ts"}
    nb.cells = cells
    for i, c in enumerate(nb.cells):
        c.id = f"c{i:02d}"  # stable ids: regenerating a notebook gives a clean diff
    return nb


def strip(path):
    nb = nbformat.read(path, as_version=4)
    for c in nb.cells:
        if c.cell_type == "code":
            c.outputs, c.execution_count = [], None
        c.metadata.pop("course_seconds", None)
    nbformat.write(nb, path)


if __name__ == "__main__":
    cmd = sys.argv[1:2]
    if cmd == ["to-text"]:
        sys.stdout.write(to_text(sys.argv[2]))
    elif cmd == ["from-text"]:
        nb = from_text(open(sys.argv[2]).read())
        nbformat.write(nb, sys.argv[3])
    elif cmd == ["strip"]:
        for p in sys.argv[2:]:
            strip(p)
    else:
        sys.exit(__doc__)
