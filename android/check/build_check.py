#!/usr/bin/python3
"""The APK build's known failures, checked without the Android SDK.

An outside review of the build (shared research, android-review.md) found
that the committed workflow could not make an APK, and why. Each point is a
check here, run on the real files, and then on a copy of them with that one
point broken, which the check must refuse (a check that cannot fail proves
nothing):

1. android-actions/setup-android is v4 or later (v3 installs the SDK's
   `tools` package, which Google no longer serves), and no `tools` package;
2. SDK platforms from API 37 on are named with their minor version
   (`platforms;android-37.0`; sdkmanager exits 1 on `platforms;android-37`),
   in the workflow and in docs/android.md;
3. Gradle's Rust task runs the Tauri CLI that android/package-lock.json
   installs, by a path that resolves from src-tauri/ (a bare `tauri` makes
   node look for a file src-tauri/tauri);
4. every Rust/npm pair the Tauri CLI compares is on the same major.minor:
   the tauri crate and @tauri-apps/api (ui/) and @tauri-apps/cli (android/),
   each tauri-plugin-X crate and @tauri-apps/plugin-X (ui/), and the
   workflow names ui/ as the frontend the CLI compares;
5. 16 KB pages: the NDK is r28 or later and the same in the workflow and in
   Gradle, the app's build script passes `-Wl,-z,max-page-size=16384` for
   Android (read from its output of the Android build), and the docs do not
   zipalign the APK back to 4 KB;
6. versionCode changes on every CI build (the run number, through
   -PspseVersionCode);
7. no `kotlinOptions` in any Gradle script (an error from Kotlin Gradle
   plugin 2.3; `compilerOptions` instead).

Usage: build_check.py BUILD_SCRIPT_OUTPUT
  BUILD_SCRIPT_OUTPUT  the `output` file of spse-auth-app's build script in
                       the aarch64-linux-android build (android-check.sh)

Standard library only (Debian's /usr/bin/python3).
"""

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ".github/workflows/android.yml"
DOCS = "docs/android.md"
BUILD_TASK = "src-tauri/gen/android/buildSrc/src/main/java/id/spse/auth/kotlin/BuildTask.kt"
APP_GRADLE = "src-tauri/gen/android/app/build.gradle.kts"
UI_LOCK = "ui/package-lock.json"
TOOLS_LOCK = "android/package-lock.json"
PAGE_SIZE_FLAG = "cargo::rustc-cdylib-link-arg=-Wl,-z,max-page-size=16384"


def gradle_scripts() -> list:
    """Every Gradle Kotlin script of the app and the local plugin."""
    found = []
    for base in ("src-tauri/gen/android", "android/plugin/android"):
        found += [str(p.relative_to(ROOT)) for p in sorted((ROOT / base).rglob("*.gradle.kts"))
                  if "build" not in p.relative_to(ROOT / base).parts[:-1]]
    return found


def load(build_output: Path) -> dict:
    """The files the checks read, by path (the build script's output too)."""
    files = {path: (ROOT / path).read_text(encoding="utf-8")
             for path in [WORKFLOW, DOCS, BUILD_TASK, APP_GRADLE, UI_LOCK, TOOLS_LOCK, "Cargo.lock"]}
    for path in gradle_scripts():
        files[path] = (ROOT / path).read_text(encoding="utf-8")
    files["build-output"] = build_output.read_text(encoding="utf-8") if build_output.exists() else ""
    return files


# ---- the checks: each returns "" when it holds, else why not ----

def check_setup_android(f: dict) -> str:
    uses = re.findall(r"uses:\s*android-actions/setup-android@v(\d+)", f[WORKFLOW])
    if not uses:
        return "the workflow does not use android-actions/setup-android"
    if any(int(major) < 4 for major in uses):
        return f"setup-android@v{min(uses)}: v3 and older install the `tools` package, no longer served"
    packages = re.findall(r"packages:\s*([^\n]+)", f[WORKFLOW])
    if any(re.search(r"(^|\s)tools(\s|$)", p.strip().strip("'\"")) for p in packages):
        return "setup-android is asked for the `tools` package, no longer served"
    return ""


def check_sdk_package_names(f: dict) -> str:
    bad = []
    for path in (WORKFLOW, DOCS):
        for api, minor in re.findall(r"platforms;android-(\d+)(\.\d+)?", f[path]):
            if int(api) >= 37 and not minor:
                bad.append(f"{path}: platforms;android-{api} (published as platforms;android-{api}.0)")
    if "platforms;android-" not in f[WORKFLOW]:
        bad.append(f"{WORKFLOW} installs no SDK platform")
    return "; ".join(bad)


def check_build_task_cli(f: dict) -> str:
    match = re.search(r'val args = listOf\("([^"]+)"', f[BUILD_TASK])
    executable = re.search(r'val executable = """([^"]+)"""', f[BUILD_TASK])
    if not match or not executable:
        return "BuildTask.kt: no `val executable` / `val args = listOf(...)` found"
    if executable.group(1) != "node":
        return f"BuildTask.kt runs {executable.group(1)!r}, want node and the CLI's script"
    script = (ROOT / "src-tauri" / match.group(1)).resolve()
    cli = ROOT / "android/node_modules/@tauri-apps/cli"
    try:
        bin_ = json.loads((cli / "package.json").read_text(encoding="utf-8"))["bin"]["tauri"]
    except (OSError, KeyError, ValueError) as error:
        return f"the Tauri CLI of {TOOLS_LOCK} is not installed ({error})"
    if script != (cli / bin_).resolve():
        return f"BuildTask.kt runs node {match.group(1)!r} in src-tauri/, which is not the CLI's {cli / bin_}"
    if not script.is_file():
        return f"BuildTask.kt's {match.group(1)!r} does not resolve from src-tauri/"
    return ""


def cargo_versions(lock: str) -> dict:
    return dict(re.findall(r'\[\[package\]\]\nname = "([^"]+)"\nversion = "([^"]+)"', lock))


def npm_versions(lock: str) -> dict:
    packages = json.loads(lock).get("packages", {})
    return {name[len("node_modules/"):]: meta.get("version", "")
            for name, meta in packages.items() if name.startswith("node_modules/@tauri-apps/")}


def minor(version: str) -> str:
    return ".".join(version.split(".")[:2])


def check_version_pairs(f: dict) -> str:
    crates = cargo_versions(f["Cargo.lock"])
    ui, tools = npm_versions(f[UI_LOCK]), npm_versions(f[TOOLS_LOCK])
    pairs = [("tauri", "@tauri-apps/api", ui), ("tauri", "@tauri-apps/cli", tools)]
    pairs += [("tauri-plugin-" + name[len("@tauri-apps/plugin-"):], name, ui)
              for name in sorted(ui) if name.startswith("@tauri-apps/plugin-")]
    problems = []
    for crate, package, versions in pairs:
        if crate not in crates or package not in versions:
            problems.append(f"{crate} / {package}: not both locked")
        elif minor(crates[crate]) != minor(versions[package]):
            problems.append(f"{crate} {crates[crate]} / {package} {versions[package]}")
    frontend = re.findall(r"TAURI_FRONTEND_PATH:\s*([^\n]+)", f[WORKFLOW])
    if not frontend or any(not v.strip().endswith("/ui") for v in frontend):
        problems.append(f"the workflow's TAURI_FRONTEND_PATH is {frontend}, want the ui/ folder")
    return "; ".join(problems)


def check_16k_pages(f: dict) -> str:
    problems = []
    ndk = re.search(r'NDK_VERSION:\s*"?(\d+)\.(\d+)\.(\d+)"?', f[WORKFLOW])
    if not ndk:
        problems.append("the workflow names no NDK_VERSION")
    else:
        if int(ndk.group(1)) < 28:
            problems.append(f"NDK {ndk.group(1)} links 4 KB-aligned libraries (r28 or later)")
        gradle = re.search(r'ndkVersion\s*=\s*"([^"]+)"', f[APP_GRADLE])
        wanted = ".".join(ndk.groups())
        if not gradle or gradle.group(1) != wanted:
            problems.append(f"app/build.gradle.kts ndkVersion {gradle.group(1) if gradle else None}, "
                            f"the workflow installs {wanted}")
    if PAGE_SIZE_FLAG not in f["build-output"].splitlines():
        problems.append("spse-auth-app's build script does not pass -Wl,-z,max-page-size=16384 for Android")
    if re.search(r"zipalign[^\n]*-p\b[^\n]*\b4\b", f[DOCS]) and "-P 16" not in f[DOCS]:
        problems.append("docs/android.md zipaligns to 4 KB (undoes AGP's 16 KB alignment)")
    return "; ".join(problems)


def check_version_code(f: dict) -> str:
    problems = []
    if not re.search(r"ORG_GRADLE_PROJECT_spseVersionCode:\s*\$\{\{\s*github\.run_number\s*\}\}", f[WORKFLOW]):
        problems.append("the workflow does not pass its run number as spseVersionCode")
    if 'findProperty("spseVersionCode")' not in f[APP_GRADLE] or \
            not re.search(r"versionCode\s*=\s*versionCodeOverride", f[APP_GRADLE]):
        problems.append("app/build.gradle.kts does not take versionCode from spseVersionCode")
    return "; ".join(problems)


def check_no_kotlin_options(f: dict) -> str:
    found = [path for path in f if path.endswith(".gradle.kts") and re.search(r"\bkotlinOptions\s*\{", f[path])]
    return "kotlinOptions (an error from Kotlin Gradle plugin 2.3) in " + ", ".join(found) if found else ""


# Each check with the one edit that breaks it (the negative test).
CHECKS = [
    ("1. setup-android v4+, no `tools` package", check_setup_android,
     lambda f: {WORKFLOW: re.sub(r"setup-android@v\d+", "setup-android@v3", f[WORKFLOW])}),
    ("2. SDK platforms named platforms;android-37.0", check_sdk_package_names,
     lambda f: {WORKFLOW: f[WORKFLOW].replace("platforms;android-37.0", "platforms;android-37")}),
    ("3. Gradle's Rust task finds the Tauri CLI from src-tauri/", check_build_task_cli,
     lambda f: {BUILD_TASK: re.sub(r'val args = listOf\("[^"]+"', 'val args = listOf("tauri"', f[BUILD_TASK])}),
    ("4. Rust crates and npm packages on the same major.minor", check_version_pairs,
     lambda f: {UI_LOCK: re.sub(r'("node_modules/@tauri-apps/api": \{\s*"version": ")[^"]+', r"\g<1>2.11.0",
                                f[UI_LOCK])}),
    ("5. 16 KB pages (NDK r28+, max-page-size, no 4 KB zipalign)", check_16k_pages,
     lambda f: {"build-output": f["build-output"].replace(PAGE_SIZE_FLAG, "")}),
    ("6. versionCode from the CI run number", check_version_code,
     lambda f: {WORKFLOW: re.sub(r"ORG_GRADLE_PROJECT_spseVersionCode:[^\n]*\n", "", f[WORKFLOW])}),
    ("7. compilerOptions, no kotlinOptions", check_no_kotlin_options,
     lambda f: {"android/plugin/android/build.gradle.kts":
                f["android/plugin/android/build.gradle.kts"] + '\nandroid { kotlinOptions { jvmTarget = "1.8" } }\n'}),
]


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__.split("\n\n")[-2])
        return 2
    files = load(Path(sys.argv[1]))
    failed = 0
    for name, check, breaking in CHECKS:
        why = check(files)
        if why:
            print(f"  FAIL: {name}: {why}")
            failed += 1
            continue
        broken = dict(files, **breaking(files))
        if broken == files:
            print(f"  FAIL: {name}: the negative test changed nothing")
            failed += 1
        elif not check(broken):
            print(f"  FAIL: {name}: holds on a copy broken on that point")
            failed += 1
        else:
            print(f"  ok: {name} (a copy broken on that point is refused)")
    print(f"build-check: {len(CHECKS) - failed} of {len(CHECKS)} hold")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
