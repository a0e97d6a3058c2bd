#!/usr/bin/python3
"""The app's window as a window manager sees it, for the tray scenario:
`close TITLE` sends WM_DELETE_WINDOW to the viewable window named TITLE
(what the title bar's close button sends; exits 1 when there is none);
`viewable TITLE` prints "true" or "false".

Debian's python3 with python3-xlib (scripts/install-deps.sh installs it).
"""
import os
import sys

from Xlib import display

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "scripts"))
from app_window import close, window_named  # noqa: E402


def main():
    what, title = sys.argv[1], sys.argv[2]
    d = display.Display()
    window = window_named(d, title)
    if what == "viewable":
        print("true" if window is not None else "false")
        return
    if window is None:
        sys.stderr.write(f"x11: no viewable window named {title!r}\n")
        sys.exit(1)
    close(d, window)


if __name__ == "__main__":
    main()
