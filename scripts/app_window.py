#!/usr/bin/python3
"""Starts a desktop program on the current X display (Xvfb in the tests) and
times it as a user sees it: from exec to its window mapped on screen, and,
with --painted, to the line `startup: painted` the program prints on stderr
once its first content is on screen (SPSE Auth prints it after the first
codes are painted, when SPSE_AUTH_TRACE_STARTUP=1). Every `startup: NAME`
line is timed the same way, and so is the first sight of a child process
named WebKitWebProcess (the web view's page process): the trace of a cold
start. With --close it then
closes the window as a window manager would (WM_DELETE_WINDOW, what the
title bar's close button sends) and waits for the program to exit; with
--close-to-tray instead it waits for the window to be hidden while the
program runs on (SPSE Auth's close to the tray), then ends it (SIGTERM).

With --painted it also times the first frame of the window that holds
more than its background colour (`content_ms`): the time between the
window mapped and its content is the time it showed blank.

Prints one JSON object: {"window_ms", "painted_ms", "content_ms", "trace": {NAME: ms},
"exit_code", "hidden_to_tray"}; exits 1
(with the reason on stderr) when the window does not appear within
--timeout seconds or the program does not exit cleanly after closing.

Usage: app_window.py --title TITLE [--painted] [--close | --close-to-tray] [--timeout S] -- CMD [ARGS...]
Debian's python3 with python3-xlib (scripts/install-deps.sh installs it).
"""
import argparse
import json
import os
import subprocess
import sys
import threading
import time

from Xlib import X, display, protocol


def window_named(d, title):
    """The first viewable window whose name contains `title`, or None."""
    net_name = d.intern_atom("_NET_WM_NAME")
    utf8 = d.intern_atom("UTF8_STRING")
    stack = [d.screen().root]
    while stack:
        window = stack.pop()
        try:
            attrs = window.get_attributes()
            if attrs.map_state == X.IsViewable:
                name = window.get_full_property(net_name, utf8)
                text = name.value.decode("utf-8", "replace") if name else (window.get_wm_name() or "")
                if isinstance(text, bytes):
                    text = text.decode("latin-1")
                if title in text:
                    return window
            stack.extend(window.query_tree().children)
        except Exception:  # the window went away while being looked at
            continue
    return None


def web_process_of(pid):
    """Whether a child of `pid` is WebKit's page process."""
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        parent = int(stat[stat.rindex(")") + 2:].split()[1])
        if parent == pid and name.startswith("WebKitWebProces"):
            return True
    return False


def has_content(window):
    """Whether `window` shows more than one colour (a bare window is one:
    its background), sampling every 97th pixel."""
    geometry = window.get_geometry()
    data = window.get_image(0, 0, geometry.width, geometry.height, X.ZPixmap, 0xFFFFFFFF).data
    first = data[0:4]
    return any(data[i:i + 4] != first for i in range(0, len(data) - 3, 4 * 97))


def close(d, window):
    """Closes `window` as a window manager would: WM_DELETE_WINDOW."""
    protocols = d.intern_atom("WM_PROTOCOLS")
    delete = d.intern_atom("WM_DELETE_WINDOW")
    event = protocol.event.ClientMessage(
        window=window, client_type=protocols, data=(32, [delete, X.CurrentTime, 0, 0, 0])
    )
    window.send_event(event, event_mask=X.NoEventMask)
    d.flush()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--title", required=True)
    parser.add_argument("--painted", action="store_true")
    parser.add_argument("--close", action="store_true")
    parser.add_argument("--close-to-tray", action="store_true")
    parser.add_argument("--timeout", type=float, default=10.0)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command

    d = display.Display()
    painted = threading.Event()
    painted_at = [None]
    started = time.monotonic()
    child = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, errors="replace")
    stderr_lines = []
    trace = {}

    def read_stderr():
        for line in child.stderr:
            if line.startswith("startup: "):
                name = line.split()[1]
                trace.setdefault(name, round((time.monotonic() - started) * 1000, 1))
                if name == "painted" and painted_at[0] is None:
                    painted_at[0] = time.monotonic()
                    painted.set()
            else:
                stderr_lines.append(line)

    def watch_web_process():
        while child.poll() is None and not painted.is_set():
            if web_process_of(child.pid):
                trace.setdefault("web-process", round((time.monotonic() - started) * 1000, 1))
                return
            time.sleep(0.002)

    threading.Thread(target=read_stderr, daemon=True).start()
    if args.painted:
        threading.Thread(target=watch_web_process, daemon=True).start()

    def fail(reason):
        child.kill()
        child.wait()
        sys.stderr.write(f"app_window: {reason}\n" + "".join(stderr_lines[-20:]))
        sys.exit(1)

    deadline = started + args.timeout
    window = None
    while window is None:
        if child.poll() is not None:
            fail(f"{command[0]} exited with {child.returncode} before its window appeared")
        if time.monotonic() > deadline:
            fail(f"no window named {args.title!r} within {args.timeout} s")
        window = window_named(d, args.title)
        if window is None:
            time.sleep(0.002)
    window_ms = (time.monotonic() - started) * 1000

    # What is on screen once mapped: the first frame with content in it.
    content_ms = None
    if args.painted:
        while content_ms is None and time.monotonic() < deadline:
            try:
                if has_content(window):
                    content_ms = (time.monotonic() - started) * 1000
            except Exception:  # unmapped again, or resized, while being read
                pass
            time.sleep(0.002)
        if content_ms is None:
            fail(f"its window showed nothing but its background for {args.timeout} s")

    painted_ms = None
    if args.painted:
        if not painted.wait(max(0.0, deadline - time.monotonic())):
            fail(f"no 'startup: painted' line within {args.timeout} s")
        painted_ms = (painted_at[0] - started) * 1000

    exit_code = None
    hidden = None
    if args.close or args.close_to_tray:
        close(d, window)
    if args.close_to_tray:
        hide_by = time.monotonic() + 5
        while window_named(d, args.title) is not None:
            if child.poll() is not None:
                fail(f"exited with {child.returncode} instead of hiding to the tray")
            if time.monotonic() > hide_by:
                fail("its window still shows 5 s after it was closed")
            time.sleep(0.01)
        time.sleep(0.5)
        if child.poll() is not None:
            fail(f"exited with {child.returncode} after hiding to the tray")
        hidden = True
        child.terminate()
        child.wait()
    elif args.close:
        try:
            exit_code = child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            fail("still running 10 s after its window was closed")
        if exit_code != 0:
            fail(f"exited with {exit_code} after its window was closed")
    else:
        child.terminate()
        child.wait()

    print(json.dumps({"window_ms": round(window_ms, 1),
                      "painted_ms": None if painted_ms is None else round(painted_ms, 1),
                      "content_ms": None if content_ms is None else round(content_ms, 1),
                      "trace": dict(sorted(trace.items(), key=lambda kv: kv[1])),
                      "exit_code": exit_code, "hidden_to_tray": hidden}))


if __name__ == "__main__":
    main()
