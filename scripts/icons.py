#!/usr/bin/python3
"""Every icon of the app, made from one source: src-tauri/icons/app-icon.svg
(the maroon square with the white shield, as ui/public/favicon.svg) and,
for Android's adaptive icon, app-icon-fg.svg on the maroon background
(src-tauri/icons/icons.json, the manifest `tauri icon` reads).

`tauri icon` (the Tauri CLI of android/package-lock.json) renders them; this
keeps what the app ships: the desktop PNGs (32 to 512 px, the .deb and
.rpm's hicolor sizes), icon.ico (Windows), icon.icns (macOS), and Android's
launcher mipmaps with their background colour.

  scripts/icons.py          writes them into src-tauri/icons and
                            src-tauri/gen/android/app/src/main/res
  scripts/icons.py --check  renders them afresh and fails if a committed
                            icon differs (make lint): no committed icon
                            that the source cannot make again.

icon.icns is compared by its elements: `tauri icon` writes them in a
random order (a hash map), each element itself the same bytes every run.
Standard library only; needs node (npx) and android/node_modules.
"""

import json
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ICONS = ROOT / "src-tauri/icons"
RES = ROOT / "src-tauri/gen/android/app/src/main/res"
DESKTOP = ["32x32.png", "64x64.png", "128x128.png", "icon.png", "icon.ico", "icon.icns"]
# Named by size for the .deb and .rpm's hicolor theme (Tauri files
# 128x128@2x.png under 256x256@2, a folder no icon theme has).
RENAMED = {"256x256.png": "128x128@2x.png"}
DENSITIES = ["mdpi", "hdpi", "xhdpi", "xxhdpi", "xxxhdpi"]
ANDROID = [f"mipmap-{d}/{n}" for d in DENSITIES for n in ("ic_launcher.png", "ic_launcher_round.png", "ic_launcher_foreground.png")]
ANDROID += ["mipmap-anydpi-v26/ic_launcher.xml", "values/ic_launcher_background.xml"]


def render(out: Path) -> None:
    """Runs `tauri icon` on the manifest into `out`."""
    run = subprocess.run(
        ["npx", "--no-install", "tauri", "icon", str(ICONS / "icons.json"), "-o", str(out)],
        cwd=ROOT / "android", capture_output=True, text=True,
    )
    if run.returncode != 0:
        sys.stderr.write(run.stdout + run.stderr)
        raise SystemExit("icons: tauri icon failed (android/node_modules installed? make android-check installs it)")


def icns_elements(data: bytes) -> list:
    """The (type, bytes) elements of an .icns file, sorted."""
    if data[:4] != b"icns":
        raise ValueError("not an icns file")
    items, at = [], 8
    while at < len(data):
        kind, size = data[at:at + 4], struct.unpack(">I", data[at + 4:at + 8])[0]
        if size < 8:
            raise ValueError("a broken icns element")
        items.append((kind, data[at + 8:at + size]))
        at += size
    return sorted(items)


def same(a: Path, b: Path) -> bool:
    """Whether icon `a` is icon `b` (icns: the same elements)."""
    if not a.is_file() or not b.is_file():
        return False
    x, y = a.read_bytes(), b.read_bytes()
    return icns_elements(x) == icns_elements(y) if a.suffix == ".icns" else x == y


def pairs(fresh: Path):
    """(rendered, committed) for every icon the app ships."""
    for name in DESKTOP:
        yield fresh / name, ICONS / name
    for name, rendered in RENAMED.items():
        yield fresh / rendered, ICONS / name
    for name in ANDROID:
        yield fresh / "android" / name, RES / name


def main() -> int:
    check = sys.argv[1:] == ["--check"]
    if sys.argv[1:] not in ([], ["--check"]):
        print("usage: scripts/icons.py [--check]", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp)
        render(fresh)
        stale = []
        for rendered, committed in pairs(fresh):
            if check:
                if not same(rendered, committed):
                    stale.append(str(committed.relative_to(ROOT)))
            else:
                committed.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(rendered, committed)
    if stale:
        print("icons: not what src-tauri/icons/app-icon.svg makes (run scripts/icons.py):", file=sys.stderr)
        for path in stale:
            print(f"  {path}", file=sys.stderr)
        return 1
    print(f"icons: {len(DESKTOP) + len(RENAMED) + len(ANDROID)} icons {'match their source' if check else 'written'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
