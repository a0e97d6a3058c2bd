#!/usr/bin/python3
"""Every committed lockfile is used as committed (make lint).

The lockfiles are the committed Cargo.lock and package-lock.json files (git
ls-files). The files that run builds are read (committed or new, not
ignored): the Makefile, .ci/run,
scripts/*.sh and *.py, .github/workflows/*.yml, android/check/*.sh and
*.py, everything under tests/, every package.json's scripts and the
Tauri configs' build.before*Command.
In them:

1. every `cargo SUB` (also `$CARGO`, `${CARGO}`, `$(CARGO)`) whose SUB
   resolves dependencies and could write a new Cargo.lock (build, check,
   clippy, test, bench, run, rustc, doc, fix, tree, metadata, install,
   vendor) passes --locked (or --frozen);
2. `tauri build` (the Tauri CLI runs `cargo build`) passes `-- --locked`
   on to cargo;
3. commands that run cargo with no way to pass --locked are accepted only
   after a --locked cargo command on the same folder earlier in the same
   file (for instance `cargo metadata --locked`, which fails when cargo would
   change the lockfile):
     cargo fuzz      cargo-fuzz 0.13 has no --locked (scripts/fuzz.sh, on
                     fuzz/'s own Cargo.lock);
     cargo cyclonedx cargo-cyclonedx reads `cargo metadata` without it
                     (release.yml's SBOM);
     tauri android build  Gradle's Rust task runs cargo (android.yml);
4. no `npm install` / `npm i` / `npm add` / `npm update`: `npm ci`;
5. each lockfile's folder has a use: a --locked cargo command or `npm ci`
   run there (by `cd DIR`, a workflow step's `working-directory: DIR`,
   `--manifest-path DIR/Cargo.toml` or `--prefix DIR`).

Not checked, on purpose: `cargo fmt`, `cargo clean`, `cargo --version`,
`cargo deny` (it reads Cargo.lock as it is and writes nothing), `cargo
search`/`info`; `npx PACKAGE@VERSION` (a pinned tool, not a lockfile's
packages). Comment lines, workflow step names and descriptions, and a
subcommand followed by punctuation ("cargo clippy, every crate") are prose; in Python only real command lists and strings are read (not
docstrings), in JavaScript lines that are not comments.

Before the real files, a self-test: broken files in a temp folder (`cargo
build` with no --locked, `npm install`, `tauri build` with no `-- --locked`,
`cargo fuzz` with no check before it, a lockfile nobody uses) must each be
flagged, and the fixed ones not; and copies of the real Makefile, workflows
and scripts/fuzz.sh broken on one point each (--locked dropped, npm ci made
npm install, the lock check before tauri android build or cargo fuzz
dropped) must each be flagged.

Usage: lockfile_check.py [--list]   (from anywhere in the checkout; --list
       prints every command found, with its folder)
Standard library only (Debian's /usr/bin/python3).
"""

import ast
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

LOCKED_SUBS = {"build", "check", "clippy", "test", "bench", "run", "rustc", "doc", "fix",
               "tree", "metadata", "install", "vendor"}
GUARDED_SUBS = {"fuzz", "cyclonedx"}
CARGO = r"(?<![\w./-])(?:cargo|\$CARGO|\$\{CARGO\}|\$\(CARGO\))(?:\s+\+\S+)?\s+(?P<sub>[a-z][\w-]*)(?![\w,.:-])"
TAURI = r"(?<![\w-])tauri(?:\.js)?\s+(?P<mobile>(?:android|ios)\s+)?build\b"
NPM_CI = r"(?<![\w-])npm\s+ci\b"
NPM_INSTALL = r"(?<![\w-])npm\s+(?P<sub>install|i|add|update|up)\b(?!\s*--version)"
# Where a command ends in a shell line.
END = re.compile(r"&&|\|\||[;|`)]")


def is_locked(segment: str) -> bool:
    return bool(re.search(r"(?<![\w-])--(?:locked|frozen)\b", segment))


def norm_dir(raw: str, base: str = ".") -> str:
    """A folder named in a command, relative to the checkout ('.' = its root)."""
    raw = raw.strip().strip("'\"")
    if raw.endswith("Cargo.toml"):
        raw = os.path.dirname(raw) or "."
    if "$" in raw:  # cd "$(dirname "$0")/.." and the like: the root
        return "."
    joined = os.path.normpath(os.path.join(base, raw))
    return "." if joined.startswith("..") else joined


class Use:
    """One command found: what it is, where, and on which folder."""

    def __init__(self, path, line, kind, text, folder, locked):
        self.path, self.line, self.kind, self.text = path, line, kind, text.strip()
        self.folder, self.locked = folder, locked

    def where(self):
        return f"{self.path}:{self.line}"


def logical_lines(text: str):
    """(first line number, joined text) with backslash continuations joined."""
    out, buf, start = [], "", None
    for number, line in enumerate(text.splitlines(), 1):
        if start is None:
            start = number
        if line.rstrip().endswith("\\"):
            buf += line.rstrip()[:-1] + " "
            continue
        out.append((start, buf + line))
        buf, start = "", None
    if buf:
        out.append((start, buf))
    return out


def is_prose(line: str, kind: str) -> bool:
    stripped = line.strip()
    if kind == "js":
        return stripped.startswith(("//", "*", "/*"))
    if stripped.startswith("#"):
        return True
    return kind == "yml" and bool(re.match(r"-?\s*(name|description):", stripped))


def step_dirs(lines: list, index: int) -> list:
    """The working-directory of the workflow step holding lines[index]."""
    step = re.compile(r"^(\s*)- ")
    start = index
    while start > 0 and not step.match(lines[start]):
        start -= 1
    match = step.match(lines[start])
    if not match:
        return []
    indent = len(match.group(1))
    end = start + 1
    while end < len(lines):
        m = re.match(r"^(\s*)\S", lines[end])
        if m and len(m.group(1)) <= indent:
            break
        end += 1
    return re.findall(r"working-directory:\s*(\S+)", "\n".join(lines[start:end]))


def folder_of(prefix: str, segment: str, base: str, npm: bool) -> str:
    manifest = re.search(r"--manifest-path[=\s]+(\S+)", segment)
    if manifest:
        return norm_dir(manifest.group(1))
    npm_prefix = re.search(r"--prefix[=\s]+(\S+)", segment)
    if npm_prefix and npm:
        return norm_dir(npm_prefix.group(1), base)
    cds = re.findall(r"(?<![\w-])cd\s+([^\s;&|)]+)", prefix)
    return norm_dir(cds[-1], base) if cds else base


def shell_uses(path: str, text: str, kind: str) -> list:
    """The commands of a shell-like file: a script, the Makefile, a workflow."""
    uses = []
    raw_lines = text.splitlines()
    top_dir = "."  # a script's own `cd DIR` lines, in order
    previous = ""
    for number, line in logical_lines(text):
        if is_prose(line, kind):
            continue
        top_cd = re.match(r"\s*cd\s+(\S+)\s*$", line)
        if kind == "sh" and top_cd:
            top_dir = norm_dir(top_cd.group(1), top_dir)
        base = top_dir
        if kind == "yml":
            dirs = step_dirs(raw_lines, number - 1)
            base = norm_dir(dirs[-1]) if dirs else "."
        # A command inside `(cd DIR && {` opened on the line before.
        opened = previous.count("(") + previous.count("{") > previous.count(")") + previous.count("}")
        context = (previous + " ; " if opened else "")
        for pattern, kind_of in ((CARGO, "cargo"), (TAURI, "tauri"), (NPM_CI, "npm ci"),
                                 (NPM_INSTALL, "npm install")):
            for match in re.finditer(pattern, line):
                rest = line[match.end():]
                cut = END.search(rest)
                segment = rest[:cut.start()] if cut else rest
                if kind_of == "tauri":  # `tauri build ... -- --locked`: the `--` is not an end
                    segment = rest.split("&&")[0].split(";")[0]
                folder = folder_of(context + line[:match.start()], segment, base, kind_of.startswith("npm"))
                label = kind_of
                if kind_of == "cargo":
                    if match.group("sub") not in LOCKED_SUBS | GUARDED_SUBS:
                        continue
                    label = "cargo " + match.group("sub")
                elif kind_of == "tauri":
                    mobile = match.group("mobile")
                    label = f"tauri {mobile.strip()} build" if mobile else "tauri build"
                uses.append(Use(path, number, label, match.group(0) + segment, folder,
                                label == "npm ci" or is_locked(segment)))
        previous = line
    return uses


def python_uses(path: str, text: str) -> list:
    """cargo/npm commands a Python file runs: lists of strings and command strings."""
    uses = []
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return [Use(path, 0, "unreadable", "not Python", ".", False)]
    for node in ast.walk(tree):
        words = None
        if isinstance(node, (ast.List, ast.Tuple)) and node.elts and all(
                isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts[:2]):
            words = [e.value if isinstance(e, ast.Constant) and isinstance(e.value, str) else "?"
                     for e in node.elts]
        elif isinstance(node, ast.Call):
            for arg in node.args:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and \
                        re.match(r"\s*(cargo|npm)\s", arg.value):
                    words = arg.value.split()
        if not words or len(words) < 2:
            continue
        tool, sub = os.path.basename(words[0]), words[1]
        line = f"{' '.join(words)}"
        if tool == "cargo" and sub in LOCKED_SUBS | GUARDED_SUBS:
            uses.append(Use(path, node.lineno, "cargo " + sub, line, ".", is_locked(line)))
        elif tool == "npm" and sub == "ci":
            uses.append(Use(path, node.lineno, "npm ci", line, ".", True))
        elif tool == "npm" and sub in ("install", "i", "add", "update", "up"):
            uses.append(Use(path, node.lineno, "npm install", line, ".", False))
    return uses


def js_uses(path: str, text: str) -> list:
    kept = "\n".join("" if is_prose(line, "js") else line for line in text.splitlines())
    uses = []
    for match in re.finditer(r"""['"`]cargo['"`]\s*,\s*\[?\s*['"`]([a-z][\w-]*)['"`]([^\]\)]*)""", kept):
        sub, rest = match.group(1), match.group(2)
        if sub in LOCKED_SUBS | GUARDED_SUBS:
            uses.append(Use(path, kept[:match.start()].count("\n") + 1, "cargo " + sub,
                            match.group(0), ".", is_locked(rest)))
    for match in re.finditer(r"""['"`]((?:cargo|npm)\s[^'"`]*)['"`]""", kept):
        words = match.group(1).split()
        number = kept[:match.start()].count("\n") + 1
        if words[0] == "cargo" and len(words) > 1 and words[1] in LOCKED_SUBS | GUARDED_SUBS:
            uses.append(Use(path, number, "cargo " + words[1], match.group(1), ".", is_locked(match.group(1))))
        elif words[0] == "npm" and len(words) > 1 and words[1] in ("install", "i", "add", "update", "up"):
            uses.append(Use(path, number, "npm install", match.group(1), ".", False))
    return uses


def package_json_uses(path: str, text: str) -> list:
    try:
        scripts = json.loads(text).get("scripts", {})
    except ValueError:
        return [Use(path, 0, "unreadable", "not JSON", ".", False)]
    folder = os.path.dirname(path) or "."
    body = "\n".join(f"{name}: {command}" for name, command in scripts.items())
    uses = shell_uses(path, body, "sh")
    for use in uses:
        use.folder = norm_dir(use.folder, folder) if use.folder != "." else folder
    return uses


def tauri_conf_uses(path: str, text: str) -> list:
    """The commands a Tauri config runs around a build (build.before*Command)."""
    try:
        build = json.loads(text).get("build", {})
    except ValueError:
        return [Use(path, 0, "unreadable", "not JSON", ".", False)]
    commands = []
    for key in ("beforeDevCommand", "beforeBuildCommand", "beforeBundleCommand"):
        value = build.get(key)
        value = value.get("script", "") if isinstance(value, dict) else value
        if isinstance(value, str) and value:
            commands.append(f"{key}: {value}")
    return shell_uses(path, "\n".join(commands), "sh")


def uses_of(path: str, text: str) -> list:
    if re.fullmatch(r"src-tauri/tauri(\.[\w-]+)?\.conf\.json", path):
        return tauri_conf_uses(path, text)
    if path.endswith(".py"):
        return python_uses(path, text)
    if path.endswith((".js", ".mjs", ".cjs", ".ts")):
        return js_uses(path, text)
    if path.endswith("package.json"):
        return package_json_uses(path, text)
    if path.endswith((".yml", ".yaml")):
        return shell_uses(path, text, "yml")
    return shell_uses(path, text, "sh")


def problems_of(uses: list) -> list:
    """What is wrong with these commands (of one file, in order)."""
    problems = []
    locked_dirs = set()
    for use in uses:
        sub = use.kind.split(" ", 1)[1] if use.kind.startswith("cargo ") else ""
        if use.kind == "unreadable":
            problems.append(f"{use.where()}: {use.text}")
        elif sub in LOCKED_SUBS or use.kind == "tauri build":
            if use.locked:
                locked_dirs.add(use.folder)
            else:
                how = "-- --locked" if use.kind == "tauri build" else "--locked"
                problems.append(f"{use.where()}: `{use.text}` without {how} (it may rewrite {use.folder}/Cargo.lock)")
        elif sub in GUARDED_SUBS or use.kind in ("tauri android build", "tauri ios build"):
            if use.folder not in locked_dirs:
                problems.append(f"{use.where()}: `{use.text}` runs cargo with no --locked and no --locked cargo "
                                f"command on {use.folder}/ before it in this file (e.g. cargo metadata --locked)")
        elif use.kind == "npm install":
            problems.append(f"{use.where()}: `{use.text}`: use npm ci (the committed package-lock.json as it is)")
    return problems


def unused_lockfiles(lockfiles: list, uses: list) -> list:
    problems = []
    for lock in lockfiles:
        folder = os.path.dirname(lock) or "."
        if lock.endswith("Cargo.lock"):
            used = any(u.kind.startswith(("cargo ", "tauri")) and u.locked and u.folder == folder for u in uses)
            how = "cargo command with --locked"
        else:
            used = any(u.kind == "npm ci" and u.folder == folder for u in uses)
            how = "npm ci"
        if not used:
            problems.append(f"{lock}: no {how} runs in {folder}/")
    return problems


def git_files(*options) -> list:
    out = subprocess.run(["git", "ls-files", "-z", *options], cwd=ROOT, check=True, capture_output=True).stdout
    return [p for p in out.decode().split("\0") if p and (ROOT / p).is_file()]


def scanned(files: list) -> list:
    me = str(Path(__file__).resolve().relative_to(ROOT))
    wanted = []
    for path in files:
        if path == me or "node_modules/" in path or path.endswith("package-lock.json"):
            continue
        top = path.split("/")
        if path in ("Makefile", ".ci/run") or path.endswith("/package.json") or path == "package.json" \
                or re.fullmatch(r"src-tauri/tauri(\.[\w-]+)?\.conf\.json", path) \
                or re.fullmatch(r"scripts/[^/]+\.(sh|py)", path) \
                or re.fullmatch(r"\.github/workflows/[^/]+\.ya?ml", path) \
                or re.fullmatch(r"android/check/[^/]+\.(sh|py)", path) \
                or (top[0] == "tests" and not path.endswith((".json", ".png", ".jpg", ".bin", ".md"))):
            wanted.append(path)
    return wanted


def check(root: Path, files: list, lockfiles: list) -> tuple:
    all_uses, problems = [], []
    for path in files:
        try:
            text = (root / path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        uses = uses_of(path, text)
        all_uses += uses
        problems += problems_of(uses)
    return all_uses, problems + unused_lockfiles(lockfiles, all_uses)


# ---- the self-test: each broken copy flagged, each fixed one not ----

SELF_TESTS = [
    # (name, {file: text}, lockfiles, flagged?)
    ("cargo build without --locked in a script", {"scripts/t.sh": "cd \"$(dirname \"$0\")/..\"\ncargo build -p x\n"},
     ["Cargo.lock"], True),
    ("cargo build --locked in a script", {"scripts/t.sh": "cargo build --locked -p x\n"}, ["Cargo.lock"], False),
    ("$(CARGO) test without --locked in the Makefile, continued",
     {"Makefile": "unit:\n\t$(CARGO) test \\\n\t  --workspace\nx:\n\t$(CARGO) build --locked\n"}, ["Cargo.lock"], True),
    ("cargo clippy --locked in a (cd ...) on the line before",
     {"scripts/t.sh": "(cd sub && {\n  cargo clippy --locked; })\n"}, ["sub/Cargo.lock"], False),
    ("npm install in a workflow step", {".github/workflows/t.yml":
                                        "    steps:\n      - name: ui\n        working-directory: ui\n"
                                        "        run: |\n          npm install\n"}, ["ui/package-lock.json"], True),
    ("npm ci in a workflow step's working-directory", {".github/workflows/t.yml":
                                                       "    steps:\n      - name: ui\n        working-directory: ui\n"
                                                       "        run: |\n          npm ci --no-audit\n"},
     ["ui/package-lock.json"], False),
    ("npm ci in another folder than the lockfile's", {"Makefile": "ui:\n\tcd web && npm ci\n"},
     ["ui/package-lock.json"], True),
    ("npm i in a package.json script", {"ui/package.json": '{"scripts": {"setup": "npm i && vite"}}'}, [], True),
    ("npm install in tauri.conf.json's beforeBuildCommand",
     {"src-tauri/tauri.conf.json": '{"build": {"beforeBuildCommand": "cd ../ui && npm install && npm run build"}}'},
     [], True),
    ("tauri build without -- --locked", {"scripts/t.sh": "cargo test --locked\nnpx tauri build --bundles deb\n"},
     ["Cargo.lock"], True),
    ("tauri build -- --locked", {"scripts/t.sh": "node cli/tauri.js build --bundles deb -- --locked\n"},
     ["Cargo.lock"], False),
    ("cargo fuzz with no --locked check before it", {"scripts/t.sh": "cd fuzz\ncargo fuzz run x\n"},
     ["Cargo.lock"], True),
    ("cargo fuzz after cargo metadata --locked on its folder",
     {"scripts/t.sh": "cargo check --locked\ncargo metadata --locked --manifest-path fuzz/Cargo.toml\n"
                      "cd fuzz\ncargo fuzz run x\n"}, ["Cargo.lock", "fuzz/Cargo.lock"], False),
    ("a Python command list without --locked", {"android/check/t.py":
                                                '"""`cargo metadata` is prose here."""\n'
                                                'import subprocess\nsubprocess.run(["cargo", "metadata", "-q"])\n'},
     [], True),
    ("prose: comments and docstrings", {"android/check/t.py": '"""Runs `cargo build` and npm install."""\n',
                                        "scripts/t.sh": "# cargo build, npm install\ncargo build --locked\n"},
     ["Cargo.lock"], False),
    ("a committed lockfile nobody uses", {"Makefile": "t:\n\t$(CARGO) test --locked\n"},
     ["Cargo.lock", "tests/e2e/package-lock.json"], True),
]


# Copies of the real files, each broken on one point: (file, what, edit).
REAL_BREAKS = [
    ("Makefile", "--locked dropped from the Makefile", lambda t: t.replace(" --locked", "")),
    ("Makefile", "npm ci made npm install in the Makefile", lambda t: t.replace("npm ci", "npm install")),
    (".github/workflows/android.yml", "android.yml's cargo metadata --locked dropped before tauri android build",
     lambda t: t.replace("cargo metadata --locked", "cargo metadata")),
    (".github/workflows/release.yml", "release.yml's tauri build without -- --locked",
     lambda t: t.replace(" -- --locked", "")),
    ("scripts/fuzz.sh", "fuzz.sh's check of fuzz/Cargo.lock dropped",
     lambda t: t.replace("cargo metadata --locked", "cargo metadata")),
]


def real_breaks() -> list:
    """Broken copies of the real files: each must be flagged (tests the test)."""
    cases = []
    for path, name, edit in REAL_BREAKS:
        text = (ROOT / path).read_text(encoding="utf-8") if (ROOT / path).is_file() else ""
        broken = edit(text)
        cases.append((name + ("" if broken != text else " (THE EDIT CHANGED NOTHING)"),
                      {path: broken}, [], broken != text))
    return cases


def self_test() -> list:
    failures = []
    with tempfile.TemporaryDirectory() as temp:
        for name, files, lockfiles, flagged in SELF_TESTS + real_breaks():
            root = Path(temp) / str(abs(hash(name)))
            for path, text in files.items():
                (root / path).parent.mkdir(parents=True, exist_ok=True)
                (root / path).write_text(text, encoding="utf-8")
            _, problems = check(root, list(files), lockfiles)
            if bool(problems) != flagged:
                failures.append(f"self-test '{name}': {'not flagged' if flagged else 'flagged: ' + '; '.join(problems)}")
    return failures


def main() -> int:
    failures = self_test()
    for failure in failures:
        print(f"  FAIL: {failure}")
    # The lockfiles committed; the files read, new ones not yet committed too.
    lockfiles = [p for p in git_files() if os.path.basename(p) in ("Cargo.lock", "package-lock.json")]
    uses, problems = check(ROOT, scanned(git_files("--cached", "--others", "--exclude-standard")), lockfiles)
    for problem in problems:
        print(f"  FAIL: {problem}")
    if "--list" in sys.argv[1:]:
        for use in uses:
            print(f"  {use.where()}: {use.kind} in {use.folder}/{' (locked)' if use.locked else ''}: {use.text[:90]}")
    print(f"lockfile-check: {len(lockfiles)} lockfiles ({', '.join(lockfiles)}), {len(uses)} commands in "
          f"{len(set(u.path for u in uses))} files, {len(SELF_TESTS) + len(REAL_BREAKS) - len(failures)} of "
          f"{len(SELF_TESTS) + len(REAL_BREAKS)} "
          f"self-tests; {len(problems)} problem(s)")
    return 1 if problems or failures else 0


if __name__ == "__main__":
    sys.exit(main())
