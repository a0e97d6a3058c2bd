#!/usr/bin/python3
"""kotlinc over the app's Android Kotlin, without the Android SDK.

Compiled together (JVM 1.8 target, as Gradle would):
- every Kotlin file of the spse-android plugin (android/plugin/android);
- the app's MainActivity (src-tauri/gen/android) and the TauriActivity that
  tauri's build script generated beside it (GENERATED, from the Rust check);
- tauri's own Android sources that the plugin API is made of (annotations,
  Invoke, JSObject, JSArray, PluginResult, Channel, Logger,
  PermissionState), from the tauri crate in the cargo registry;
- small stubs (android/stubs): the Android SDK, AndroidX, org.json and
  Jackson as Java declarations (kotlinc resolves against .java sources
  without compiling them), and the few tauri/wry classes not compiled from
  source. Each member a tauri/wry stub declares is looked for in the real
  file, so a stub cannot drift from the API it stands for.

Then a negative test: the plugin with one type error must be refused.

Usage: kotlin_check.py KOTLINC GENERATED_DIR OUT_DIR
"""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STUBS = ROOT / "android/stubs"
TAURI_SOURCES = [
    "annotation/ActivityCallback.kt", "annotation/InvokeArg.kt", "annotation/Permission.kt",
    "annotation/PermissionCallback.kt", "annotation/PluginMethod.kt", "annotation/TauriPlugin.kt",
    "plugin/Invoke.kt", "plugin/JSObject.kt", "plugin/JSArray.kt", "plugin/PluginResult.kt",
    "plugin/Channel.kt", "Logger.kt", "PermissionState.kt",
]


def crate_dir(name: str) -> Path:
    out = subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--locked",
         "--filter-platform", "aarch64-linux-android"],
        cwd=ROOT, check=True, capture_output=True, text=True).stdout
    for package in json.loads(out)["packages"]:
        if package["name"] == name:
            return Path(package["manifest_path"]).parent
    raise SystemExit(f"kotlin-check: crate {name} not in the dependency graph")


def declarations(stub: Path) -> list:
    """The declaration lines of a Kotlin stub, bodies cut off."""
    found = []
    for line in stub.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("//") or not re.match(
                r"(abstract |open |override |private |protected |internal )*(class|object|fun|val|var)\b", line):
            continue
        found.append(line.split("{")[0].strip())
    return found


def check_stubs(real_dirs: dict) -> list:
    problems = []
    for stub_dir, real_dir in real_dirs.items():
        real = "\n".join(p.read_text(encoding="utf-8") for p in real_dir.rglob("*.kt"))
        for stub in sorted(stub_dir.rglob("*.kt")):
            for declaration in declarations(stub):
                if declaration not in real:
                    problems.append(f"{stub.relative_to(ROOT)}: `{declaration}` is not in {real_dir}")
    return problems


def kotlinc(kotlinc_path: str, sources: list, out: Path) -> subprocess.CompletedProcess:
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    return subprocess.run(
        [kotlinc_path, "-jvm-target", "1.8", "-nowarn", "-d", str(out)] + [str(s) for s in sources],
        capture_output=True, text=True)


def main() -> int:
    kotlinc_path, generated, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    tauri = crate_dir("tauri")
    wry = crate_dir("wry")
    tauri_java = tauri / "mobile/android/src/main/java/app/tauri"

    problems = check_stubs({
        STUBS / "tauri/app/tauri/plugin": tauri_java / "plugin",
        STUBS / "app/id/spse/auth": wry / "src/android/kotlin",
    })
    for problem in problems:
        print("  FAIL:", problem)
    if problems:
        return 1
    print("  ok: every tauri/wry stub member is in the real sources")

    activity = generated / "TauriActivity.kt"
    if not activity.exists():
        print(f"  FAIL: {activity} missing: tauri's build script did not write the Kotlin glue")
        return 1
    plugin = sorted((ROOT / "android/plugin/android/src").rglob("*.kt"))
    main_activity = ROOT / "src-tauri/gen/android/app/src/main/java/id/spse/auth/MainActivity.kt"
    stubs = sorted(STUBS.rglob("*.java")) + sorted(STUBS.rglob("*.kt"))
    tauri_sources = [tauri_java / s for s in TAURI_SOURCES]
    sources = plugin + [main_activity, activity] + tauri_sources + stubs

    result = kotlinc(kotlinc_path, sources, out / "classes")
    if result.returncode != 0:
        print(result.stdout + result.stderr)
        print(f"  FAIL: kotlinc refused the app's Kotlin ({len(sources)} files)")
        return 1
    classes = {p.name for p in (out / "classes").rglob("*.class")}
    for wanted in ("SpsePlugin.class", "MainActivity.class", "TauriActivity.class", "Keyring.class"):
        if wanted not in classes:
            print(f"  FAIL: kotlinc made no {wanted}")
            return 1
    names = ", ".join(str(p.relative_to(ROOT)) for p in plugin + [main_activity])
    print(f"  ok: kotlinc compiled {names} and the generated TauriActivity.kt "
          f"({len(sources)} files with tauri's sources and the stubs)")

    # The negative test: one type error in the plugin must be refused.
    broken_dir = out / "broken"
    shutil.rmtree(broken_dir, ignore_errors=True)
    broken_dir.mkdir(parents=True)
    spse = next(p for p in plugin if p.name == "SpsePlugin.kt")
    text = spse.read_text(encoding="utf-8")
    broken_text = text.replace("addFlags(WindowManager.LayoutParams.FLAG_SECURE)", 'addFlags("secure")')
    if broken_text == text:
        print("  FAIL: the negative test found nothing to break in SpsePlugin.kt")
        return 1
    broken = broken_dir / "SpsePlugin.kt"
    broken.write_text(broken_text, encoding="utf-8")
    result = kotlinc(kotlinc_path, [broken if p == spse else p for p in sources], out / "broken-classes")
    if result.returncode == 0 or "type mismatch" not in (result.stdout + result.stderr).lower():
        print(result.stdout + result.stderr)
        print("  FAIL: kotlinc accepted a plugin with a type error")
        return 1
    print("  ok: kotlinc refuses the plugin with a type error (addFlags(\"secure\"))")
    return 0


if __name__ == "__main__":
    sys.exit(main())
