#!/usr/bin/python3
"""The licences of everything the app ships, for the About screen and the packages.

    scripts/licences.py            writes src-tauri/licences.json
    scripts/licences.py --check    fails when src-tauri/licences.json is not
                                   what a fresh generation gives (make lint)
    scripts/licences.py --text F   writes F, a THIRD-PARTY-LICENSES file for a
                                   package: the list by licence, then each
                                   package's own licence files (from cargo's
                                   registry sources and ui/node_modules), every
                                   distinct text once

Crates: those the app binary (package spse-auth-app) links on each platform
it is released for (TARGETS): `cargo tree -e normal,no-proc-macro` over
Cargo.lock, with cargo's real feature resolution, so no dev- or
build-dependency and no proc-macro (run at build time, never linked); each
crate's licence from `cargo metadata`. The workspace's own crates are left
out (they are SPSE Auth). npm: the `dependencies` of ui/package.json through
ui/package-lock.json, and the Svelte runtime that the compiler puts into
ui/dist (BUNDLED_DEV_DEPENDENCIES), each with the licence its lockfile entry
records. Only the Python standard library; cargo reads the network only when
a crate of Cargo.lock is not downloaded yet.
"""

import argparse
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "src-tauri", "licences.json")
APP = "spse-auth-app"
# The platforms the app is released for: Linux, Windows, macOS (both
# architectures of its universal build) and Android's aarch64.
TARGETS = [
    "x86_64-unknown-linux-gnu",
    "x86_64-pc-windows-msvc",
    "aarch64-apple-darwin",
    "x86_64-apple-darwin",
    "aarch64-linux-android",
]
# devDependencies of ui/package.json whose code the build puts into ui/dist:
# the Svelte compiler's output imports its runtime, and that runtime imports
# clsx (the sources of a `vite build --sourcemap` name exactly these and the
# `dependencies`).
BUNDLED_DEV_DEPENDENCIES = ["svelte", "clsx"]
LICENCE_FILE_PREFIXES = ("license", "licence", "copying", "notice", "unlicense")


def canonical(expression):
    """The licence expression in one spelling, so that equal ones group together.

    Cargo's old `MIT/Apache-2.0` is `MIT OR Apache-2.0`; an expression that
    is only alternatives (no parentheses) has them in alphabetical order.
    Anything else is kept as written.
    """
    text = " ".join(expression.replace("/", " OR ").split())
    if "(" in text:
        return text
    return " OR ".join(sorted(set(text.split(" OR ")), key=str.lower))


def run(args):
    """A command's standard output; its failure ends the script."""
    result = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"licences: {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout


def cargo_packages():
    """Every package of Cargo.lock by (name, version), from `cargo metadata`."""
    cargo = os.environ.get("CARGO", "cargo")
    metadata = json.loads(run([cargo, "metadata", "--locked", "--format-version", "1"]))
    packages = {}
    for package in metadata["packages"]:
        packages[(package["name"], package["version"])] = package
    return packages


def linked_crates(packages):
    """The third-party crates the app links on any of TARGETS, sorted."""
    cargo = os.environ.get("CARGO", "cargo")
    args = [cargo, "tree", "--locked", "-p", APP, "-e", "normal,no-proc-macro", "--prefix", "none"]
    args += ["-f", "{p}"]
    for target in TARGETS:
        args += ["--target", target]
    crates = {}
    for line in run(args).splitlines():
        words = line.split()
        if len(words) < 2 or not words[1].startswith("v"):
            continue
        package = packages.get((words[0], words[1][1:]))
        if package is None:
            sys.exit(f"licences: {words[0]} {words[1]} is not in cargo metadata")
        if package["source"] is None:
            continue  # the workspace's own crates
        if not package.get("license"):
            sys.exit(f"licences: {words[0]} {words[1]} declares no licence expression")
        crates[(package["name"], package["version"])] = package
    return [crates[key] for key in sorted(crates)]


def npm_packages():
    """The npm packages bundled into ui/dist, resolved through ui/package-lock.json, sorted."""
    with open(os.path.join(ROOT, "ui", "package-lock.json"), encoding="utf-8") as file:
        lock = json.load(file)["packages"]
    names = list(lock[""].get("dependencies", {})) + BUNDLED_DEV_DEPENDENCIES
    found = {}
    queue = [("", name) for name in names]
    while queue:
        parent, name = queue.pop()
        # Node's resolution: node_modules beside the requiring package, then up.
        base = parent
        while True:
            path = f"{base}/node_modules/{name}" if base else f"node_modules/{name}"
            if path in lock:
                break
            if not base:
                sys.exit(f"licences: {name} (needed by {parent or 'ui'}) is not in ui/package-lock.json")
            cut = base.rfind("/node_modules/")
            base = base[:cut] if cut >= 0 else ""
        if path in found:
            continue
        entry = lock[path]
        found[path] = {"name": name, "version": entry["version"], "licence": entry.get("license"), "path": path}
        if not found[path]["licence"]:
            sys.exit(f"licences: the npm package {name} records no licence")
        # Svelte's own dependencies are its compiler's; only its runtime ships.
        if name != "svelte":
            queue += [(path, dep) for dep in entry.get("dependencies", {})]
    return sorted(found.values(), key=lambda p: (p["name"], p["version"]))


def generate():
    """The JSON document of licences.json, and the sources behind it."""
    packages = cargo_packages()
    crates = linked_crates(packages)
    npm = npm_packages()
    document = {
        "generatedBy": "scripts/licences.py: do not edit, run it",
        "targets": TARGETS,
        "crates": [
            {"name": c["name"], "version": c["version"], "licence": canonical(c["license"])} for c in crates
        ],
        "npm": [{"name": p["name"], "version": p["version"], "licence": canonical(p["licence"])} for p in npm],
    }
    return document, crates, npm


def dumps(document):
    """licences.json's exact text: one package a line, for readable diffs."""
    def one(value):
        return json.dumps(value, ensure_ascii=False)

    parts = [f' "generatedBy": {one(document["generatedBy"])}', f' "targets": {one(document["targets"])}']
    for key in ("crates", "npm"):
        rows = ",\n".join("  " + one(p) for p in document[key])
        parts.append(f' "{key}": [\n{rows}\n ]')
    return "{\n" + ",\n".join(parts) + "\n}\n"


def licence_files(directory):
    """The licence and notice files at the top of a package's folder, sorted."""
    try:
        names = sorted(os.listdir(directory))
    except OSError:
        return []
    return [
        os.path.join(directory, name)
        for name in names
        if name.lower().startswith(LICENCE_FILE_PREFIXES) and os.path.isfile(os.path.join(directory, name))
    ]


def text(document, crates, npm):
    """THIRD-PARTY-LICENSES: the list by licence, then every distinct licence text once."""
    lines = [
        "SPSE Auth: third-party software",
        "",
        "SPSE Auth (MIT OR Apache-2.0) is built from the following crates and npm packages,",
        f"on {', '.join(document['targets'])}.",
        "",
    ]
    entries = [("crate", p) for p in document["crates"]] + [("npm", p) for p in document["npm"]]
    groups = {}
    for kind, p in entries:
        groups.setdefault(p["licence"], []).append(f"{p['name']} {p['version']} ({kind})")
    for licence in sorted(groups, key=lambda key: (-len(groups[key]), key)):
        lines += [f"== {licence} ({len(groups[licence])})", *("  " + item for item in groups[licence]), ""]
    texts = {}
    folders = [
        (f"{c['name']} {c['version']}", canonical(c["license"]), os.path.dirname(c["manifest_path"])) for c in crates
    ]
    folders += [
        (f"{p['name']} {p['version']} (npm)", canonical(p["licence"]), os.path.join(ROOT, "ui", p["path"])) for p in npm
    ]
    missing = []
    for label, licence, folder in folders:
        files = licence_files(folder)
        if not files:
            missing.append(f"{label}: {licence}")
        for path in files:
            with open(path, encoding="utf-8", errors="replace") as file:
                body = file.read().strip()
            texts.setdefault(body, []).append(f"{label}: {os.path.basename(path)}")
    lines += ["", "Licence texts, as each package ships them", ""]
    for body, owners in texts.items():
        lines += ["-" * 78, *owners, "-" * 78, body, ""]
    if missing:
        lines += ["-" * 78, "Packages that ship no licence file of their own (the standard text of their licence applies):"]
        lines += ["  " + label for label in missing]
    return "\n".join(lines) + "\n"


def main():
    """Parses the command line and writes or checks."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="fail if src-tauri/licences.json is stale")
    parser.add_argument("--text", metavar="FILE", help="write a THIRD-PARTY-LICENSES file")
    options = parser.parse_args()
    document, crates, npm = generate()
    fresh = dumps(document)
    if options.check:
        try:
            with open(OUT, encoding="utf-8") as file:
                committed = file.read()
        except OSError:
            committed = ""
        if committed != fresh:
            sys.exit("licences: src-tauri/licences.json is stale: run scripts/licences.py and commit it")
        print(f"licences: up to date ({len(crates)} crates, {len(npm)} npm packages)")
        return
    if options.text:
        with open(options.text, "w", encoding="utf-8") as file:
            file.write(text(document, crates, npm))
        print(f"licences: wrote {options.text}")
        return
    with open(OUT, "w", encoding="utf-8") as file:
        file.write(fresh)
    count = len({p["licence"] for p in document["crates"] + document["npm"]})
    print(f"licences: wrote {OUT} ({len(crates)} crates, {len(npm)} npm packages, {count} licence expressions)")


if __name__ == "__main__":
    main()
