#!/usr/bin/env python3
"""Run a notebook on a learner's server through a JupyterHub, as the browser would.

Through the hub's REST API (a service token with admin:servers and access:servers): start the
user's server, wait until it is ready; through the server's REST API, read the notebook from the
learner's workspace and open a session (a kernel in the notebook's folder); through the kernel
websocket, execute every code cell, with each --before cell first and each --cell after, in order. Stops at the first cell
that fails (an error reply or output), as scripts/nbrun.py does. Prints one JSON object:
{"user", "notebook", "ok", "seconds", "cells": [{"index", "ok", "seconds", "text"}], "failure"}.

Only Python's standard library and tornado (a dependency of Debian's jupyterhub and notebook).

usage: hub-client.py (--hub http://127.0.0.1:PORT --user NAME | --server URL) --token T --notebook PATH
                     [--before CODE]... [--cell CODE]... [--timeout S]
"""
import argparse
import asyncio
import json
import sys
import time
import urllib.error
import urllib.request
import uuid

from tornado import ioloop, websocket, httpclient


def api(method, url, token, body=None, timeout=30):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers={"Authorization": f"token {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            text = r.read().decode()
            return r.status, (json.loads(text) if text else None)
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def spawn(hub, token, user, timeout):
    """Start the user's default server and wait until the hub says it is ready; returns its URL path."""
    status, body = api("POST", f"{hub}/hub/api/users/{user}/server", token)
    if status not in (201, 202, 400):  # 400: already running
        raise RuntimeError(f"spawning {user}'s server: HTTP {status} {body}")
    deadline = time.time() + timeout
    while time.time() < deadline:
        status, model = api("GET", f"{hub}/hub/api/users/{user}", token)
        if status == 200:
            server = (model.get("servers") or {}).get("")
            if server and server.get("ready"):
                return server["url"]
            if not model.get("pending") and not server:
                raise RuntimeError(f"{user}'s server stopped while starting: {model}")
        time.sleep(0.5)
    raise RuntimeError(f"{user}'s server was not ready after {timeout} s")


def text_of(msg):
    t, c = msg["header"]["msg_type"], msg["content"]
    if t == "stream":
        return c.get("text", "")
    if t == "error":
        return f"{c.get('ename')}: {c.get('evalue')}\n" + "\n".join(c.get("traceback") or [])
    if t in ("execute_result", "display_data"):
        d = c.get("data", {})
        return d.get("text/plain") or d.get("text/html") or ""
    return ""


async def execute_all(ws_url, token, sources, timeout):
    session = uuid.uuid4().hex
    # The server answers the upgrade once the kernel replied to kernel_info: tslab's start (loading
    # TypeScript, the first compile) takes tens of seconds on a busy machine.
    conn = await websocket.websocket_connect(httpclient.HTTPRequest(
        f"{ws_url}?session_id={session}", headers={"Authorization": f"token {token}"}, connect_timeout=timeout, request_timeout=timeout))
    results = []
    try:
        for index, code in sources:
            msg_id = uuid.uuid4().hex
            conn.write_message(json.dumps({
                "header": {"msg_id": msg_id, "username": "hub-client", "session": session, "msg_type": "execute_request", "version": "5.3"},
                "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
                "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {}, "allow_stdin": False, "stop_on_error": True},
            }))
            t0 = time.time()
            texts, failed, reply, idle = [], None, None, False
            while reply is None or not idle:
                left = timeout - (time.time() - t0)
                if left <= 0:
                    failed = f"timed out after {timeout} s"
                    break
                try:
                    raw = await _read(conn, left)
                except TimeoutError:
                    failed = f"timed out after {timeout} s"
                    break
                if raw is None:
                    failed = "the kernel websocket closed"
                    break
                msg = json.loads(raw)
                if msg.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                t = msg["header"]["msg_type"]
                if t == "execute_reply":
                    reply = msg["content"]
                elif t == "status" and msg["content"].get("execution_state") == "idle":
                    idle = True
                else:
                    s = text_of(msg)
                    if s:
                        texts.append(s)
                    if t == "error":
                        failed = s
            if reply is not None and reply.get("status") != "ok" and not failed:
                # tslab reports TypeScript compile errors on stderr with status "error".
                failed = "".join(texts) or f"{reply.get('ename')}: {reply.get('evalue')}"
            results.append({"index": index, "ok": not failed, "seconds": round(time.time() - t0, 2), "text": "".join(texts)[-4000:], "failure": failed})
            if failed:
                break
    finally:
        conn.close()
    return results


async def _read(conn, left):
    return await asyncio.wait_for(conn.read_message(), left)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hub", help="the hub's URL: start the user's server through its REST API")
    ap.add_argument("--server", help="instead of --hub: a notebook server's URL (a container), no spawn")
    ap.add_argument("--token", required=True)
    ap.add_argument("--user", default="")
    ap.add_argument("--notebook", required=True, help="path in the learner's workspace, e.g. 00-typescript-tensors-and-points.ipynb")
    ap.add_argument("--before", action="append", default=[], help="code run before the notebook's cells")
    ap.add_argument("--cell", action="append", default=[], help="code run after the notebook's cells")
    ap.add_argument("--timeout", type=int, default=300)
    ap.add_argument("--spawn-timeout", type=int, default=120)
    a = ap.parse_args()

    started = time.time()
    out = {"user": a.user, "notebook": a.notebook, "ok": False, "seconds": None, "cells": [], "failure": None}
    try:
        if a.server:
            base = a.server.rstrip("/")
        else:
            if not a.hub or not a.user:
                raise RuntimeError("give --hub and --user, or --server")
            prefix = spawn(a.hub, a.token, a.user, a.spawn_timeout)
            out["spawn_seconds"] = round(time.time() - started, 2)
            base = a.hub + prefix.rstrip("/")
        status, nb = api("GET", f"{base}/api/contents/{a.notebook}", a.token)
        if status != 200:
            raise RuntimeError(f"reading {a.notebook} from {a.user}'s workspace: HTTP {status} {nb}")
        cells = [(i, "".join(c["source"]) if isinstance(c["source"], list) else c["source"]) for i, c in enumerate(nb["content"]["cells"]) if c["cell_type"] == "code"]
        cells = [(f"before{j}", code) for j, code in enumerate(a.before)] + cells + [(f"extra{j}", code) for j, code in enumerate(a.cell)]
        status, sess = api("POST", f"{base}/api/sessions", a.token, {"path": a.notebook, "type": "notebook", "name": "", "kernel": {"name": "tslab"}})
        if status not in (200, 201):
            raise RuntimeError(f"starting a tslab kernel for {a.user}: HTTP {status} {sess}")
        kid = sess["kernel"]["id"]
        ws_url = base.replace("http://", "ws://").replace("https://", "wss://") + f"/api/kernels/{kid}/channels"
        try:
            out["cells"] = ioloop.IOLoop.current().run_sync(lambda: execute_all(ws_url, a.token, cells, a.timeout))
        finally:
            api("DELETE", f"{base}/api/sessions/{sess['id']}", a.token)
        bad = [c for c in out["cells"] if not c["ok"]]
        out["ok"] = not bad and len(out["cells"]) == len(cells)
        if bad:
            out["failure"] = bad[0]
        elif not out["ok"]:
            out["failure"] = f"ran {len(out['cells'])} of {len(cells)} cells"
    except Exception as e:  # noqa: BLE001 - reported in the JSON, the test prints it
        out["failure"] = f"{type(e).__name__}: {e}"
    out["seconds"] = round(time.time() - started, 2)
    print(json.dumps(out))
    sys.exit(0 if out["ok"] else 1)


if __name__ == "__main__":
    main()
