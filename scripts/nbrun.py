#!/usr/bin/env python3
"""Execute notebooks headlessly with the course's tslab kernel.

Stops a notebook at its first failing cell and reports that cell (index, source,
message). tslab reports TypeScript compile errors only on stderr with status
"error", and it aborts requests that arrive right after an error, so nothing
after a failure is trusted.

usage: nbrun.py NOTEBOOK... [--out DIR] [--html] [--timeout S] [--json FILE]
"""
import argparse
import json
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError


def text_of(output):
    if output.get("output_type") == "stream":
        return output.get("text", "")
    if output.get("output_type") == "error":
        tb = "\n".join(output.get("traceback") or [])
        return f"{output.get('ename', '')}: {output.get('evalue', '')}\n{tb}".strip()
    return ""


def cell_failure(cell):
    """An error output, or stderr that tslab uses for compile errors."""
    for o in cell.get("outputs", []):
        if o.get("output_type") == "error":
            return text_of(o)
    return None


def run(path, timeout, kernel):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name=kernel,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}},
    )
    started = time.time()
    result = {"notebook": path, "ok": True, "seconds": None, "cells": len(nb.cells), "failure": None}
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            t0 = time.time()
            message = None
            try:
                client.execute_cell(cell, index)
                message = cell_failure(cell)
            except CellTimeoutError:
                message = f"timed out after {timeout} s"
            except DeadKernelError as e:
                message = f"kernel died: {e}"
            except CellExecutionError as e:
                streams = "".join(text_of(o) for o in cell.get("outputs", []) if o.get("output_type") in ("stream", "error"))
                message = (streams.strip() or str(e)).strip()
            cell.setdefault("metadata", {})["course_seconds"] = round(time.time() - t0, 2)
            if message:
                result["ok"] = False
                result["failure"] = {"cell": index, "source": cell.source, "message": message}
                break
    result["seconds"] = round(time.time() - started, 2)
    return nb, result


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("notebooks", nargs="+")
    ap.add_argument("--out", help="folder for executed notebooks (and HTML with --html)")
    ap.add_argument("--html", action="store_true")
    ap.add_argument("--timeout", type=int, default=600)
    ap.add_argument("--kernel", default="tslab")
    ap.add_argument("--json", help="write the results here")
    a = ap.parse_args()
    results = []
    for path in a.notebooks:
        print(f"[nbrun] {path} ...", file=sys.stderr, flush=True)
        nb, r = run(path, a.timeout, a.kernel)
        results.append(r)
        if r["ok"]:
            print(f"[nbrun] {path}: ok in {r['seconds']} s", file=sys.stderr, flush=True)
        else:
            f = r["failure"]
            print(f"[nbrun] {path}: FAILED at cell {f['cell']}\n--- source ---\n{f['source']}\n--- message ---\n{f['message']}\n", file=sys.stderr, flush=True)
        if a.out:
            os.makedirs(a.out, exist_ok=True)
            stem = os.path.splitext(os.path.basename(path))[0]
            nbformat.write(nb, os.path.join(a.out, stem + ".ipynb"))
            if a.html:
                from nbconvert import HTMLExporter
                body, _ = HTMLExporter().from_notebook_node(nb)
                with open(os.path.join(a.out, stem + ".html"), "w", encoding="utf-8") as fh:
                    fh.write(body)
    if a.json:
        with open(a.json, "w") as fh:
            json.dump(results, fh, indent=2)
    sys.exit(0 if all(r["ok"] for r in results) else 1)


if __name__ == "__main__":
    main()
