#!/usr/bin/python3
"""Asserts SPSE Auth's Android hardening on the release build's manifest.

The release manifest is read as Gradle's merger would make it: the app's
src/main/AndroidManifest.xml (and a src/release overlay, if any), its
${placeholders} resolved from app/build.gradle.kts for a release build that
is not a training build, and the <uses-permission>/<uses-feature> of every
Android library the app links (tauri's and its plugins', found through
`cargo metadata` for aarch64-linux-android). Besides the manifest, the few
lines of Gradle and Kotlin that decide the same points are read.

Usage: manifest_check.py [--project DIR] [--expect-fail]
  --project      the Android project (default: src-tauri/gen/android)
  --expect-fail  the negative test: succeed only if every check fails
                 (android/check/fixtures/insecure is insecure on each point)

Standard library only (Debian's /usr/bin/python3).
"""

import argparse
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
A = "{http://schemas.android.com/apk/res/android}"
ALL_DOMAINS = {"root", "file", "database", "sharedpref", "external"}
DEEP_LINK_SCHEMES = {"otpauth", "otpauth-migration"}
# Runtime ("dangerous") permissions the app may declare, each from one
# library: the camera, for the barcode scanner, asked for only when the user
# scans; notifications (Android 13+), for login wake-ups, from the
# spse-android plugin, asked for only by its askNotifications command.
RUNTIME_ALLOWED = {
    "android.permission.CAMERA": "tauri-plugin-barcode-scanner",
    "android.permission.POST_NOTIFICATIONS": "tauri-plugin-spse-android",
}
RUNTIME_PERMISSIONS = {
    "android.permission.CAMERA", "android.permission.RECORD_AUDIO",
    "android.permission.READ_CONTACTS", "android.permission.WRITE_CONTACTS",
    "android.permission.GET_ACCOUNTS", "android.permission.ACCESS_FINE_LOCATION",
    "android.permission.ACCESS_COARSE_LOCATION", "android.permission.ACCESS_BACKGROUND_LOCATION",
    "android.permission.READ_EXTERNAL_STORAGE", "android.permission.WRITE_EXTERNAL_STORAGE",
    "android.permission.READ_MEDIA_IMAGES", "android.permission.READ_MEDIA_VIDEO",
    "android.permission.READ_PHONE_STATE", "android.permission.READ_PHONE_NUMBERS",
    "android.permission.CALL_PHONE", "android.permission.READ_SMS", "android.permission.RECEIVE_SMS",
    "android.permission.SEND_SMS", "android.permission.READ_CALENDAR", "android.permission.WRITE_CALENDAR",
    "android.permission.BODY_SENSORS", "android.permission.POST_NOTIFICATIONS",
    "android.permission.NEARBY_WIFI_DEVICES", "android.permission.BLUETOOTH_CONNECT",
    "android.permission.BLUETOOTH_SCAN", "android.permission.READ_CALL_LOG",
}


class Project:
    def __init__(self, root: Path):
        self.root = root
        self.app = root / "app"
        self.gradle = read(self.app / "build.gradle.kts")
        main = self.app / "src/main/AndroidManifest.xml"
        self.text = read(main)
        for name, value in placeholders(self.gradle).items():
            self.text = self.text.replace("${" + name + "}", value)
        self.text = self.text.replace("${applicationId}", "id.spse.auth")
        self.manifest = ET.fromstring(self.text)
        overlay = self.app / "src/release/AndroidManifest.xml"
        if overlay.exists():
            merge(self.manifest, ET.fromstring(read(overlay)))
        self.application = self.manifest.find("application")
        self.libraries = library_manifests()
        activity = sorted(self.app.glob("src/main/java/**/MainActivity.kt"))
        self.main_activity = read(activity[0]) if activity else ""

    def xml_resource(self, reference: str):
        """The parsed res/xml file an attribute like @xml/backup_rules names."""
        if not reference or not reference.startswith("@xml/"):
            return None
        path = self.app / "src/main/res/xml" / (reference[len("@xml/"):] + ".xml")
        return ET.fromstring(read(path)) if path.exists() else None


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def block(gradle: str, name: str) -> str:
    """The text of the first `name { ... }` block (braces balanced)."""
    match = re.search(r"\b" + re.escape(name) + r"\s*(\([^)]*\))?\s*\{", gradle)
    if not match:
        return ""
    depth, start = 0, match.end() - 1
    for i in range(start, len(gradle)):
        depth += {"{": 1, "}": -1}.get(gradle[i], 0)
        if depth == 0:
            return gradle[start + 1:i]
    return gradle[start + 1:]


def release_block(gradle: str) -> str:
    return block(block(gradle, "buildTypes"), 'getByName("release")')


def placeholders(gradle: str) -> dict:
    """manifestPlaceholders of a release build that is not a training build:
    defaultConfig's, then the release build type's; a value written
    `if (trainingCleartext) "a" else "b"` is "b" (training is off)."""
    values = {}
    for part in (block(gradle, "defaultConfig"), release_block(gradle)):
        for name, expression in re.findall(
                r'manifestPlaceholders\["([^"]+)"\]\s*=\s*([^\n]+)', part):
            expression = expression.strip()
            training = re.fullmatch(r'if \(trainingCleartext\) "([^"]*)" else "([^"]*)"', expression)
            plain = re.fullmatch(r'"([^"]*)"', expression)
            if training:
                values[name] = training.group(2)
            elif plain:
                values[name] = plain.group(1)
            else:
                values[name] = "<unknown: " + expression + ">"
    return values


def merge(manifest, overlay):
    """A release overlay's attributes and children over the main manifest's."""
    app, extra = manifest.find("application"), overlay.find("application")
    if extra is not None and app is not None:
        app.attrib.update(extra.attrib)
        for child in extra:
            app.append(child)
    for child in overlay:
        if child.tag != "application":
            manifest.append(child)


def library_manifests() -> list:
    """(crate, manifest) of every Android library linked into the app."""
    out = subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--locked",
         "--filter-platform", "aarch64-linux-android"],
        cwd=ROOT, check=True, capture_output=True, text=True).stdout
    meta = json.loads(out)
    found = []
    for package in meta["packages"]:
        links = package.get("links") or ""
        if links != "Tauri" and not links.startswith("tauri-plugin-"):
            continue
        base = Path(package["manifest_path"]).parent
        for candidate in ("android/src/main/AndroidManifest.xml",
                          "mobile/android/src/main/AndroidManifest.xml"):
            path = base / candidate
            if path.exists():
                found.append((package["name"], ET.fromstring(read(path))))
    return found


def attr(element, name):
    return None if element is None else element.get(A + name)


def excludes_everything(rules, section) -> str:
    """Why `section` of a backup rules file does not exclude everything, or ""."""
    if rules is None:
        return "missing"
    parts = [rules] if section is None else rules.findall(section)
    if not parts:
        return f"no <{section}>"
    for part in parts:
        if part.findall("include"):
            return "includes something"
        excluded = {e.get("domain") for e in part.findall("exclude") if e.get("path") in (".", "/", "")}
        if not ALL_DOMAINS <= excluded:
            return "does not exclude " + ", ".join(sorted(ALL_DOMAINS - excluded))
    return ""


def components(application):
    for tag in ("activity", "activity-alias", "service", "receiver", "provider"):
        for element in application.findall(tag):
            yield tag, element


def exported(element) -> bool:
    value = attr(element, "exported")
    if value is not None:
        return value == "true"
    return element.find("intent-filter") is not None


def is_launcher(filter_) -> bool:
    actions = {attr(a, "name") for a in filter_.findall("action")}
    categories = {attr(c, "name") for c in filter_.findall("category")}
    return "android.intent.action.MAIN" in actions and "android.intent.category.LAUNCHER" in categories


# ---- the checks: each returns "" when it holds, else why not ----

def check_no_backup(p: Project) -> str:
    value = attr(p.application, "allowBackup")
    return "" if value == "false" else f'<application android:allowBackup="{value}">, want "false"'


def check_backup_rules(p: Project) -> str:
    why = excludes_everything(p.xml_resource(attr(p.application, "fullBackupContent")), None)
    return f"fullBackupContent (Android 11 and older): {why}" if why else ""


def check_data_extraction(p: Project) -> str:
    rules = p.xml_resource(attr(p.application, "dataExtractionRules"))
    for section in ("cloud-backup", "device-transfer"):
        why = excludes_everything(rules, section)
        if why:
            return f"dataExtractionRules <{section}>: {why}"
    return ""


def check_no_cleartext(p: Project) -> str:
    value = attr(p.application, "usesCleartextTraffic")
    if value != "false":
        return f'release usesCleartextTraffic="{value}", want "false"'
    config = p.xml_resource(attr(p.application, "networkSecurityConfig"))
    if config is not None:
        for element in config.iter():
            if element.get("cleartextTrafficPermitted") == "true":
                return "the network security config permits cleartext"
    if 'findProperty("spseTrainingCleartext")' not in p.gradle:
        return "cleartext is not tied to the documented spseTrainingCleartext property"
    return ""


def check_only_launcher_exported(p: Project) -> str:
    extra = []
    for tag, element in components(p.application):
        if not exported(element):
            continue
        if tag == "activity" and any(is_launcher(f) for f in element.findall("intent-filter")):
            continue
        extra.append(f"{tag} {attr(element, 'name')}")
    launchers = [e for t, e in components(p.application)
                 if t == "activity" and any(is_launcher(f) for f in e.findall("intent-filter"))]
    if len(launchers) != 1:
        extra.append(f"{len(launchers)} launcher activities, want 1")
    return "exported besides the launcher: " + "; ".join(extra) if extra else ""


def check_links_and_no_tv(p: Project) -> str:
    problems = []
    for feature in p.manifest.findall("uses-feature"):
        if attr(feature, "name") == "android.software.leanback":
            problems.append("declares android.software.leanback")
    schemes = set()
    for _, element in components(p.application):
        for filter_ in element.findall("intent-filter"):
            categories = {attr(c, "name") for c in filter_.findall("category")}
            if "android.intent.category.LEANBACK_LAUNCHER" in categories:
                problems.append("an Android TV launcher (LEANBACK_LAUNCHER)")
            if filter_.get(A + "autoVerify") == "true":
                problems.append("an auto-verified app link")
            schemes |= {attr(d, "scheme") for d in filter_.findall("data") if attr(d, "scheme")}
    if schemes != DEEP_LINK_SCHEMES:
        problems.append(f"link schemes {sorted(schemes)}, want {sorted(DEEP_LINK_SCHEMES)}")
    return "; ".join(problems)


def check_permissions(p: Project) -> str:
    declared = {}
    for source, manifest in [("app", p.manifest)] + p.libraries:
        for permission in manifest.findall("uses-permission") + manifest.findall("uses-permission-sdk-23"):
            declared.setdefault(attr(permission, "name"), []).append(source)
    problems = []
    libraries = {name for name, _ in p.libraries}
    if not {"tauri", "tauri-plugin-barcode-scanner", "tauri-plugin-spse-android"} <= libraries:
        problems.append(f"the libraries' manifests were not all found: {sorted(libraries)}")
    for name, sources in sorted(declared.items()):
        if name in RUNTIME_PERMISSIONS and name not in RUNTIME_ALLOWED:
            problems.append(f"{name} (from {', '.join(sources)})")
    for name, library in RUNTIME_ALLOWED.items():
        sources = declared.get(name, [])
        if sources and sources != [library]:
            problems.append(f"{name} declared by {sources}, want only {library}")
    for feature in p.manifest.findall("uses-feature"):
        if attr(feature, "name") == "android.hardware.camera.any" and attr(feature, "required") != "false":
            problems.append("the camera is required (the app works without one: pictures)")
    # Asked for at run time only by the scanner: the UI's one request is in
    # scanQr (ui/src/lib/native.ts); no Kotlin of the app asks for any.
    requests = []
    for path in sorted((ROOT / "ui/src").rglob("*.ts")) + sorted((ROOT / "ui/src").rglob("*.svelte")):
        if ".test." in path.name:
            continue
        if "requestPermissions(" in read(path):
            requests.append(str(path.relative_to(ROOT)))
    native = read(ROOT / "ui/src/lib/native.ts")
    scan = native[native.find("export async function scanQr"):]
    if requests != ["ui/src/lib/native.ts"] or "requestPermissions(" not in scan:
        problems.append(f"permission requests in {requests}, want only scanQr in ui/src/lib/native.ts")
    # The app's Kotlin asks for one permission only: Android 17's local
    # network, in builds that may reach a training server (cleartext), never
    # in a release for officials, whose manifest does not declare it.
    main = p.main_activity
    training_ask = main[main.find("private fun askForTheLocalNetworkInTrainingBuilds"):]
    training_ask = training_ask[:training_ask.find("\n  }\n") + 1]
    outside = main.replace(training_ask, "") if training_ask else main
    # The plugin asks for notifications only in askNotifications, through
    # the alias of POST_NOTIFICATIONS and nothing else.
    kotlin = [outside]
    for path in sorted((ROOT / "android").rglob("*.kt")):
        if {"node_modules", "stubs", "fixtures", ".tauri"} & set(path.parts):
            continue
        text = read(path)
        ask = text[text.find("fun askNotifications("):] if "fun askNotifications(" in text else ""
        ask = ask[:ask.find("\n    }\n") + 1]
        if ask:
            declared_aliases = re.findall(r"Permission\(strings = \[([^\]]*)\], alias = (\w+)\)", text)
            if "requestPermissionForAlias(NOTIFICATIONS," not in ask or declared_aliases != [
                    ("Manifest.permission.POST_NOTIFICATIONS", "NOTIFICATIONS")]:
                problems.append(f"{path.relative_to(ROOT)}: askNotifications asks for more than notifications")
            text = text.replace(ask, "")
        kotlin.append(text)
    if any(re.search(r"request\w*Permission", k) for k in kotlin):
        problems.append("the app's Kotlin asks for a permission")
    if "requestPermissions" in training_ask and (
            "isCleartextTrafficPermitted" not in training_ask or "ACCESS_LOCAL_NETWORK" not in training_ask):
        problems.append("MainActivity asks for a permission outside training builds' local network")
    if "android.permission.ACCESS_LOCAL_NETWORK" in declared:
        problems.append("the release manifest declares ACCESS_LOCAL_NETWORK (training builds only)")
    return "; ".join(problems)


def check_local_network_for_training(p: Project) -> str:
    """Training and debug builds (not releases) declare Android 17's local network."""
    training = p.app / "src/training/AndroidManifest.xml"
    if not training.exists():
        return "no src/training/AndroidManifest.xml"
    names = {attr(e, "name") for e in ET.fromstring(read(training)).findall("uses-permission")}
    if names != {"android.permission.ACCESS_LOCAL_NETWORK"}:
        return f"the training manifest declares {sorted(names)}, want ACCESS_LOCAL_NETWORK only"
    source_sets = block(p.gradle, "sourceSets")
    debug = re.search(r'getByName\("debug"\)\.manifest\.srcFile\("src/training/AndroidManifest\.xml"\)',
                      source_sets)
    release = re.search(r'if \(trainingCleartext\) \{\s*getByName\("release"\)\.manifest\.srcFile\('
                        r'"src/training/AndroidManifest\.xml"\)', source_sets)
    if not (debug and release):
        return "app/build.gradle.kts does not merge the training manifest into debug and training builds only"
    return ""


def check_no_tapjacking(p: Project) -> str:
    problems = []
    activities = p.application.findall("activity")
    if not activities or any(attr(a, "taskAffinity") != "" for a in activities):
        problems.append('an activity without taskAffinity="" (task hijacking)')
    names = {attr(e, "name") for e in p.manifest.findall("uses-permission")}
    if "android.permission.HIDE_OVERLAY_WINDOWS" not in names:
        problems.append("HIDE_OVERLAY_WINDOWS is not declared")
    if "window.setHideOverlayWindows(true)" not in p.main_activity:
        problems.append("MainActivity does not hide overlay windows (API 31+)")
    if "webView.filterTouchesWhenObscured = true" not in p.main_activity:
        problems.append("the web view does not filter touches through other windows")
    return "; ".join(problems)


def check_insets(p: Project) -> str:
    body = p.main_activity
    wanted = ["setOnApplyWindowInsetsListener", "WindowInsetsCompat.Type.systemBars()",
              "WindowInsetsCompat.Type.ime()", "WindowInsetsCompat.Type.displayCutout()", "setPadding("]
    missing = [w for w in wanted if w not in body]
    return "MainActivity does not keep the web view clear of " + ", ".join(missing) if missing else ""


def check_scanner_model(p: Project) -> str:
    for meta in p.application.findall("meta-data"):
        if attr(meta, "name") == "com.google.mlkit.vision.DEPENDENCIES" and \
                "barcode" in (attr(meta, "value") or "").split(","):
            return ""
    return "the ML Kit barcode model is not downloaded at install (com.google.mlkit.vision.DEPENDENCIES)"


def check_no_webview_debugging(p: Project) -> str:
    problems = []
    if attr(p.application, "debuggable") == "true":
        problems.append('android:debuggable="true"')
    release = release_block(p.gradle)
    if "isDebuggable = true" in release or "isDebuggable = false" not in release:
        problems.append("the release build type is not isDebuggable = false")
    if "WebView.setWebContentsDebuggingEnabled(BuildConfig.DEBUG)" not in p.main_activity:
        problems.append("MainActivity does not set WebView debugging to BuildConfig.DEBUG")
    cargo = read(ROOT / "Cargo.toml") + read(ROOT / "src-tauri/Cargo.toml")
    if re.search(r'^tauri\s*=.*"devtools"', cargo, re.M):
        problems.append("tauri's devtools feature is on")
    return "; ".join(problems)


def check_flag_secure(p: Project) -> str:
    body = p.main_activity
    at = body.find("FLAG_SECURE")
    if at < 0 or "window.setFlags(" not in body:
        return "MainActivity does not turn FLAG_SECURE on"
    if body.find("super.onCreate(") < at:
        return "FLAG_SECURE is set after super.onCreate (the first frame is unprotected)"
    return ""


def check_min_sdk(p: Project) -> str:
    match = re.search(r"minSdk\s*=\s*(\d+)", p.gradle)
    sdk = int(match.group(1)) if match else 0
    config = json.loads(read(ROOT / "src-tauri/tauri.android.conf.json"))
    conf_sdk = config.get("bundle", {}).get("android", {}).get("minSdkVersion", 0)
    if sdk < 24 or conf_sdk < 24:
        return f"minSdk {sdk} (tauri.android.conf.json {conf_sdk}); the barcode scanner needs 24"
    return ""


CHECKS = [
    ("backup off (allowBackup=false)", check_no_backup),
    ("backup rules exclude everything (Android <= 11)", check_backup_rules),
    ("data extraction rules exclude everything (Android 12+)", check_data_extraction),
    ("no cleartext in release (training builds only)", check_no_cleartext),
    ("only the launcher activity exported", check_only_launcher_exported),
    ("otpauth links only, no TV launcher", check_links_and_no_tv),
    ("camera and notifications the only runtime permissions, each asked in one place", check_permissions),
    ("no WebView debugging in release", check_no_webview_debugging),
    ("FLAG_SECURE on from the first frame", check_flag_secure),
    ("minSdk 24 for the barcode scanner", check_min_sdk),
    ("no tapjacking: overlays hidden, obscured touches dropped, taskAffinity empty", check_no_tapjacking),
    ("the web view kept clear of the system bars and the keyboard", check_insets),
    ("the scanner's model downloaded at install", check_scanner_model),
    ("the local network permission in training and debug builds only", check_local_network_for_training),
]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--project", type=Path, default=ROOT / "src-tauri/gen/android")
    parser.add_argument("--expect-fail", action="store_true")
    args = parser.parse_args()
    project = Project(args.project.resolve())
    held = 0
    for name, check in CHECKS:
        why = check(project)
        if why:
            print(f"  {'refused' if args.expect_fail else 'FAIL'}: {name}: {why}")
        else:
            held += 1
            print(f"  {'NOT REFUSED' if args.expect_fail else 'ok'}: {name}")
    total = len(CHECKS)
    if args.expect_fail:
        print(f"manifest-check (insecure fixture): {total - held} of {total} checks refuse it")
        return 0 if held == 0 else 1
    print(f"manifest-check: {held} of {total} checks hold")
    return 0 if held == total else 1


if __name__ == "__main__":
    sys.exit(main())
