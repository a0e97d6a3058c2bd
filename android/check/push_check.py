#!/usr/bin/python3
"""The Android half of push (Web Push wake-ups through UnifiedPush), checked
without the Android SDK.

What only the files can say, each point run on the real files and then on a
copy broken on that point, which the check must refuse (build_check.py's
way):

1. the plugin's manifest declares its PushService subclass, not exported,
   with the connector's PUSH_EVENT intent filter (the connector finds the
   service by that action; an exported one would take events from any app);
2. the plugin declares POST_NOTIFICATIONS (Android 13+ shows nothing
   without it, and Tauri's permission request refuses an undeclared one);
3. build.gradle.kts depends on the UnifiedPush connector from Maven Central,
   pinned to a 3.x release (the stubs stand for its 3.x API);
4. the login notification: a high-importance channel (heads-up), private
   on the lock screen with a public version, a tap that opens the launch
   activity through an immutable PendingIntent, gone after 60 s, and the
   permission checked before notify;
5. R8 keeps every @InvokeArg class of the plugin (Jackson fills them by
   reflection) in consumer-rules.pro;
6. "Selalu aktif": the plugin's manifest declares AlwaysOnService, a
   Service subclass of the plugin, not exported, foregroundServiceType
   specialUse, with the PROPERTY_SPECIAL_USE_FGS_SUBTYPE property (Android
   14+ refuses startForeground without the type, Play's review reads the
   subtype);
7. FOREGROUND_SERVICE (Android 9+) and FOREGROUND_SERVICE_SPECIAL_USE
   (Android 14+) declared by the plugin;
8. the service starts in the foreground with the specialUse type on
   Android 14+, on its own low-importance channel, and returns
   START_NOT_STICKY (a killed process has no Rust to poll: no restart).

9. build.gradle.kts depends on the embedded FCM distributor
   (org.unifiedpush.android:embedded-fcm-distributor), pinned to a 3.x
   release: the 3.x line has no Google proprietary code and needs no
   Firebase project, unlike 2.x;
10. the embedded distributor as its library wants it for an app with VAPID
   keys: the library's own merged receivers, so no receiver of the plugin
   with the distributor's REGISTER action (one with a higher priority would
   silence the library's UnifiedPushReceiver) and no
   EmbeddedDistributorReceiver subclass; every registration carries the
   site's VAPID key (without one it answers VAPID_REQUIRED); Play services
   visible through <queries>;
11. the choice prefers a real distributor: pushSubscribe goes through
   PushDistributor.choose (not tryUseCurrentOrDefaultDistributor, which
   would keep the embedded one after an app is installed); a saved
   distributor app is kept, a distributor app is tried before the embedded
   one, the embedded one only with Google Play services (the library's own
   check, getPackageInfo of com.google.android.gms), and the app's own
   package is not counted among the distributor apps;
12. the push state names the embedded distributor "fcm" (the UI's
   "Google (FCM)"), not the app's own package.

Points 6, 7, 9, 10 and 11 are broken on each of their parts, one copy per part.

That the Kotlin compiles is kotlin_check.py's. Usage: push_check.py
Standard library only (Debian's /usr/bin/python3).
"""

import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
A = "{http://schemas.android.com/apk/res/android}"
PLUGIN = "android/plugin/android"
MANIFEST = f"{PLUGIN}/src/main/AndroidManifest.xml"
GRADLE = f"{PLUGIN}/build.gradle.kts"
RULES = f"{PLUGIN}/consumer-rules.pro"
KOTLIN_DIR = f"{PLUGIN}/src/main/java/id/spse/auth/android"
PUSH = f"{KOTLIN_DIR}/Push.kt"
PLUGIN_KT = f"{KOTLIN_DIR}/SpsePlugin.kt"
PUSH_EVENT = "org.unifiedpush.android.connector.PUSH_EVENT"
ALWAYS_ON = f"{KOTLIN_DIR}/AlwaysOn.kt"
ALWAYS_ON_SERVICE = "id.spse.auth.android.AlwaysOnService"
SUBTYPE = "android.app.PROPERTY_SPECIAL_USE_FGS_SUBTYPE"


def load() -> dict:
    files = {path: (ROOT / path).read_text(encoding="utf-8") for path in [MANIFEST, GRADLE, RULES]}
    for path in sorted((ROOT / KOTLIN_DIR).glob("*.kt")):
        files[str(path.relative_to(ROOT))] = path.read_text(encoding="utf-8")
    return files


def kotlin(f: dict) -> str:
    return "\n".join(text for path, text in f.items() if path.endswith(".kt"))


def function(text: str, name: str) -> str:
    """The text of a Kotlin function, from `fun name(` to its closing brace
    at the same indentation."""
    match = re.search(r"^( *)(?:\w+ )*fun " + re.escape(name) + r"\(", text, re.M)
    if not match:
        return ""
    end = text.find("\n" + match.group(1) + "}\n", match.end())
    return text[match.start():end + 1] if end >= 0 else text[match.start():]


# ---- the checks: each returns "" when it holds, else why not ----

def check_service(f: dict) -> str:
    try:
        manifest = ET.fromstring(f[MANIFEST])
    except ET.ParseError as error:
        return f"{MANIFEST} is not XML: {error}"
    services = manifest.findall("application/service")
    push = [s for s in services
            if any(a.get(A + "name") == PUSH_EVENT for a in s.findall("intent-filter/action"))]
    if len(push) != 1:
        return f"{len(push)} services with the {PUSH_EVENT} filter, want 1"
    service = push[0]
    if service.get(A + "exported") != "false":
        return f'the push service is exported="{service.get(A + "exported")}", want "false"'
    name = service.get(A + "name") or ""
    simple = name.rsplit(".", 1)[-1]
    if not name.startswith("id.spse.auth.android.") or not re.search(
            r"^class " + re.escape(simple) + r" : PushService\(\)", kotlin(f), re.M):
        return f"the push service {name} is not a PushService subclass of the plugin"
    return ""


def check_notification_permission(f: dict) -> str:
    manifest = ET.fromstring(f[MANIFEST])
    names = {p.get(A + "name") for p in manifest.findall("uses-permission")}
    if "android.permission.POST_NOTIFICATIONS" not in names:
        return "the plugin does not declare POST_NOTIFICATIONS"
    return ""


def check_connector(f: dict) -> str:
    found = re.findall(r'implementation\("org\.unifiedpush\.android:connector:([^"]+)"\)', f[GRADLE])
    if len(found) != 1:
        return f"{GRADLE} does not depend on org.unifiedpush.android:connector once ({found})"
    if not re.fullmatch(r"3\.\d+\.\d+", found[0]):
        return f"connector {found[0]}, want a pinned 3.x.y (the stubs are of the 3.x API)"
    return ""


def check_login_notification(f: dict) -> str:
    push = f.get(PUSH, "")
    # Both paths (a push wake-up's, the running app's) post through one builder.
    show = function(push, "post")
    problems = []
    for path in ("show", "showLogin"):
        if not re.search(r"\n\s*post\(context, ", function(push, path)):
            problems.append(f"{path} does not post through the shared builder")
    if 'const val LOGIN_TAG = "login"' not in push or \
            "manager.cancel(LOGIN_TAG, id)" not in function(push, "cancelLogin"):
        problems.append('cancelLogin does not cancel the tag "login"')
    wanted = {
        "a high-importance channel": "NotificationManager.IMPORTANCE_HIGH",
        "private on the lock screen": ".setVisibility(Notification.VISIBILITY_PRIVATE)",
        "a public version": ".setPublicVersion(",
        "the launch activity": "getLaunchIntentForPackage(context.packageName)",
        "single top": "Intent.FLAG_ACTIVITY_SINGLE_TOP or Intent.FLAG_ACTIVITY_CLEAR_TOP",
        "an immutable PendingIntent": "PendingIntent.FLAG_IMMUTABLE",
        "a 60 s timeout": "setTimeoutAfter(LOGIN_LIFETIME_MS)",
    }
    for what, text in wanted.items():
        if text not in show:
            problems.append(f"no {what} ({text})")
    if "FLAG_MUTABLE" in show:
        problems.append("a mutable PendingIntent")
    if not re.search(r"const val LOGIN_LIFETIME_MS = 60_000L", push):
        problems.append("LOGIN_LIFETIME_MS is not 60 s")
    allowed, notify = show.find("if (!notificationsAllowed(context)) return"), show.find(".notify(")
    if allowed < 0 or notify < 0 or allowed > notify:
        problems.append("notify is not preceded by the permission check")
    if "Manifest.permission.POST_NOTIFICATIONS" not in function(push, "notificationsAllowed"):
        problems.append("notificationsAllowed does not check POST_NOTIFICATIONS")
    return "; ".join(problems)


def check_args_kept(f: dict) -> str:
    classes = re.findall(r"@InvokeArg\s+class (\w+)", kotlin(f))
    missing = [c for c in classes if f"-keep class id.spse.auth.android.{c} {{ *; }}" not in f[RULES]]
    if not classes:
        return "no @InvokeArg class found"
    return "not kept by consumer-rules.pro: " + ", ".join(missing) if missing else ""


def always_on_service(f: dict):
    """The manifest's AlwaysOnService element, or why there is none."""
    try:
        manifest = ET.fromstring(f[MANIFEST])
    except ET.ParseError as error:
        return None, f"{MANIFEST} is not XML: {error}"
    found = [s for s in manifest.findall("application/service") if s.get(A + "name") == ALWAYS_ON_SERVICE]
    if len(found) != 1:
        return None, f"{len(found)} services named {ALWAYS_ON_SERVICE}, want 1"
    return found[0], ""


def check_always_on_declared(f: dict) -> str:
    service, why = always_on_service(f)
    if service is None:
        return why
    problems = []
    if service.get(A + "exported") != "false":
        problems.append(f'exported="{service.get(A + "exported")}", want "false"')
    if service.get(A + "foregroundServiceType") != "specialUse":
        problems.append(f'foregroundServiceType="{service.get(A + "foregroundServiceType")}", want "specialUse"')
    subtype = [p.get(A + "value") or "" for p in service.findall("property") if p.get(A + "name") == SUBTYPE]
    if len(subtype) != 1 or len(subtype[0]) < 40:
        problems.append(f"no {SUBTYPE} property saying what it is for")
    if service.findall("intent-filter"):
        problems.append("an intent filter (nothing outside the plugin starts it)")
    if not re.search(r"^class AlwaysOnService : Service\(\)", f.get(ALWAYS_ON, ""), re.M):
        problems.append("AlwaysOnService is not a Service subclass in AlwaysOn.kt")
    return "; ".join(problems)


def check_always_on_permissions(f: dict) -> str:
    manifest = ET.fromstring(f[MANIFEST])
    names = {p.get(A + "name") for p in manifest.findall("uses-permission")}
    missing = [n for n in ("android.permission.FOREGROUND_SERVICE",
                           "android.permission.FOREGROUND_SERVICE_SPECIAL_USE") if n not in names]
    return "the plugin does not declare " + ", ".join(missing) if missing else ""


def check_always_on_start(f: dict) -> str:
    kt = f.get(ALWAYS_ON, "")
    start = function(kt, "onStartCommand")
    problems = []
    if not re.search(r"return START_NOT_STICKY\n", start) or "START_STICKY" in start.replace("START_NOT_STICKY", ""):
        problems.append("onStartCommand does not return START_NOT_STICKY (only)")
    if "START_REDELIVER_INTENT" in kt:
        problems.append("START_REDELIVER_INTENT (a restart)")
    typed = re.search(r"if \(Build\.VERSION\.SDK_INT >= 34\) \{\s*startForeground\([^)]*"
                      r"ServiceInfo\.FOREGROUND_SERVICE_TYPE_SPECIAL_USE\)", start)
    if not typed:
        problems.append("no startForeground with FOREGROUND_SERVICE_TYPE_SPECIAL_USE on Android 14+")
    if 'const val ALWAYS_ON_CHANNEL = "always_on"' not in kt or \
            "NotificationChannel(ALWAYS_ON_CHANNEL, texts.channel, NotificationManager.IMPORTANCE_LOW)" not in kt:
        problems.append('not on its own low-importance channel "always_on"')
    if ".setOngoing(true)" not in kt or "PendingIntent.FLAG_IMMUTABLE" not in kt or "FLAG_MUTABLE" in kt:
        problems.append("the notification is not ongoing with an immutable tap")
    if "stopForeground(STOP_FOREGROUND_REMOVE)" not in function(kt, "onDestroy"):
        problems.append("onDestroy does not remove the notification")
    return "; ".join(problems)


EMBEDDED = "org.unifiedpush.android:embedded-fcm-distributor"
REGISTER = "org.unifiedpush.android.distributor.REGISTER"
PLAY_SERVICES = "com.google.android.gms"


def method(text: str, signature: str) -> str:
    """The text of a Kotlin function from its exact signature to its
    closing brace at the same indentation."""
    match = re.search(r"^( *)" + re.escape(signature), text, re.M)
    if not match:
        return ""
    end = text.find("\n" + match.group(1) + "}\n", match.end())
    return text[match.start():end + 1] if end >= 0 else text[match.start():]


def check_embedded_dependency(f: dict) -> str:
    found = re.findall(r'implementation\("' + re.escape(EMBEDDED) + r':([^"]+)"\)', f[GRADLE])
    if len(found) != 1:
        return f"{GRADLE} does not depend on {EMBEDDED} once ({found})"
    if not re.fullmatch(r"3\.\d+\.\d+", found[0]):
        return f"embedded-fcm-distributor {found[0]}, want a pinned 3.x.y (2.x needs Firebase; a range is no pin)"
    return ""


def check_embedded_declared(f: dict) -> str:
    try:
        manifest = ET.fromstring(f[MANIFEST])
    except ET.ParseError as error:
        return f"{MANIFEST} is not XML: {error}"
    problems = []
    for kind in ("receiver", "service"):
        for element in manifest.findall("application/" + kind):
            if any(a.get(A + "name") == REGISTER for a in element.findall("intent-filter/action")):
                problems.append(f"the plugin's {kind} {element.get(A + 'name')} takes {REGISTER} "
                                "(the library's UnifiedPushReceiver is the distributor)")
    if re.search(r":\s*EmbeddedDistributorReceiver\(", kotlin(f)):
        problems.append("an EmbeddedDistributorReceiver subclass (needed only without VAPID)")
    if PLAY_SERVICES not in {p.get(A + "name") for p in manifest.findall("queries/package")}:
        problems.append(f"no <queries><package {PLAY_SERVICES}/>: Play services invisible on Android 11+")
    register = re.findall(r"UnifiedPush\.register\(([^)]*)\)", kotlin(f))
    if not register or any(not re.search(r"\bone\.vapidKey$", r.strip()) for r in register):
        problems.append(f"a registration without the site's VAPID key ({register})")
    return "; ".join(problems)


def check_choice(f: dict) -> str:
    push, plugin = f.get(PUSH, ""), f.get(PLUGIN_KT, "")
    problems = []
    subscribe = function(plugin, "pushSubscribe")
    if "PushDistributor.choose(activity)" not in subscribe or "tryUseCurrentOrDefaultDistributor" in subscribe:
        problems.append("pushSubscribe does not choose through PushDistributor.choose")
    choose = function(push, "choose")
    kept = choose.find("if (saved != null && saved != context.packageName) {")
    default = choose.find("UnifiedPush.tryUseDefaultDistributor(activity)")
    embedded = choose.find("useEmbedded(context, done)")
    if not 0 <= kept < default < embedded:
        problems.append("choose does not keep a saved distributor app, then try the default app, "
                        "before the embedded one")
    if "saveDistributor" in choose:
        problems.append("choose saves a distributor itself")
    use = function(push, "useEmbedded")
    if not re.search(r"if \(playServicesAvailable\(context\) && [^\n]*\) \{\s*"
                     r"UnifiedPush\.saveDistributor\(context, own\)", use):
        problems.append("the embedded distributor is saved without Play services checked")
    services = function(push, "playServicesAvailable")
    if "getPackageInfo(PLAY_SERVICES, PackageManager.GET_ACTIVITIES)" not in services or \
            "catch (e: PackageManager.NameNotFoundException)" not in services or \
            f'const val PLAY_SERVICES = "{PLAY_SERVICES}"' not in push:
        problems.append("Play services not checked as the library does (getPackageInfo of com.google.android.gms)")
    if ".filter { it != context.packageName }" not in function(push, "apps"):
        problems.append("the app's own package counts as a distributor app")
    return "; ".join(problems)


def check_fcm_named(f: dict) -> str:
    push, plugin = f.get(PUSH, ""), f.get(PLUGIN_KT, "")
    problems = []
    if 'const val EMBEDDED_FCM = "fcm"' not in push or \
            "if (distributor == context.packageName) EMBEDDED_FCM else distributor" not in function(push, "name"):
        problems.append("PushDistributor.name does not call the app's own package \"fcm\"")
    state = method(plugin, "private fun pushState(): JSObject {")
    if "PushDistributor.name(activity.applicationContext, distributor)" not in state:
        problems.append("pushState does not name the distributor through PushDistributor.name")
    return "; ".join(problems)


def without_attribute(name: str):
    return lambda f: {MANIFEST: re.sub(r'(<service\s+android:name="' + re.escape(ALWAYS_ON_SERVICE) + r'"[^>]*?)\s+'
                                      + re.escape(name), r"\1", f[MANIFEST], flags=re.S)}


def without_permission(name: str):
    return lambda f: {MANIFEST: re.sub(r'\s*<uses-permission android:name="' + re.escape(name) + r'" />',
                                      "", f[MANIFEST])}


# Each check with the edits that break it (the negative test): one copy
# broken on each, all of which it must refuse.
CHECKS = [
    ("1. the push service declared, not exported, with the PUSH_EVENT filter", check_service,
     lambda f: {MANIFEST: f[MANIFEST].replace(PUSH_EVENT, "org.unifiedpush.android.connector.MESSAGE")}),
    ("2. POST_NOTIFICATIONS declared by the plugin", check_notification_permission,
     lambda f: {MANIFEST: re.sub(r'\s*<uses-permission android:name="android.permission.POST_NOTIFICATIONS" />',
                                 "", f[MANIFEST])}),
    ("3. the UnifiedPush connector, pinned 3.x, in build.gradle.kts", check_connector,
     lambda f: {GRADLE: re.sub(r'[^\n]*"org\.unifiedpush\.android:connector:[^\n]*\n', "", f[GRADLE])}),
    ("4. the login notification: heads-up, private, immutable tap, 60 s, permission checked", check_login_notification,
     lambda f: {PUSH: f[PUSH].replace("PendingIntent.FLAG_IMMUTABLE", "PendingIntent.FLAG_MUTABLE")}),
    ("5. R8 keeps the plugin's @InvokeArg classes", check_args_kept,
     lambda f: {RULES: f[RULES].replace("-keep class id.spse.auth.android.PushSubscribeArgs { *; }\n", "")}),
    ("6. the always-on service declared: not exported, specialUse, its subtype property", check_always_on_declared,
     [lambda f: {MANIFEST: f[MANIFEST].replace('android:exported="false"\n            android:foregroundServiceType',
                                               'android:exported="true"\n            android:foregroundServiceType')},
      without_attribute('android:foregroundServiceType="specialUse"'),
      lambda f: {MANIFEST: f[MANIFEST].replace('android:foregroundServiceType="specialUse"',
                                               'android:foregroundServiceType="dataSync"')},
      lambda f: {MANIFEST: re.sub(r"\s*<property\s+android:name=\"" + re.escape(SUBTYPE) + r"\"[^>]*/>",
                                  "", f[MANIFEST])},
      lambda f: {MANIFEST: f[MANIFEST].replace(ALWAYS_ON_SERVICE, "id.spse.auth.android.SpseAlwaysOn")}]),
    ("7. FOREGROUND_SERVICE and FOREGROUND_SERVICE_SPECIAL_USE declared by the plugin", check_always_on_permissions,
     [without_permission("android.permission.FOREGROUND_SERVICE"),
      without_permission("android.permission.FOREGROUND_SERVICE_SPECIAL_USE")]),
    ("8. the always-on service: specialUse on 14+, its low channel, START_NOT_STICKY", check_always_on_start,
     [lambda f: {ALWAYS_ON: f[ALWAYS_ON].replace("return START_NOT_STICKY", "return START_STICKY")},
      lambda f: {ALWAYS_ON: f[ALWAYS_ON].replace(
          ", ServiceInfo.FOREGROUND_SERVICE_TYPE_SPECIAL_USE)", ")")}]),
    ("9. the embedded FCM distributor, pinned 3.x, in build.gradle.kts", check_embedded_dependency,
     [lambda f: {GRADLE: re.sub(r'[^\n]*"' + re.escape(EMBEDDED) + r':[^\n]*\n', "", f[GRADLE])},
      lambda f: {GRADLE: re.sub(re.escape(EMBEDDED) + r':[^"]+"', EMBEDDED + ':3.+"', f[GRADLE])},
      lambda f: {GRADLE: re.sub(re.escape(EMBEDDED) + r':[^"]+"', EMBEDDED + ':2.5.0"', f[GRADLE])}]),
    ("10. the embedded distributor's own receivers, VAPID on every registration, Play services visible",
     check_embedded_declared,
     [lambda f: {MANIFEST: f[MANIFEST].replace(
         "    </application>",
         '        <receiver android:name="id.spse.auth.android.EmbeddedDistributor" android:exported="false">\n'
         "            <intent-filter>\n"
         f'                <action android:name="{REGISTER}" />\n'
         "            </intent-filter>\n"
         "        </receiver>\n"
         "    </application>")},
      lambda f: {PUSH: f[PUSH] + "\nclass EmbeddedDistributor : EmbeddedDistributorReceiver()\n"},
      lambda f: {MANIFEST: re.sub(r"\s*<queries>.*?</queries>", "", f[MANIFEST], flags=re.S)},
      lambda f: {PLUGIN_KT: f[PLUGIN_KT].replace("REGISTRATION_LABEL, one.vapidKey)", "REGISTRATION_LABEL)")}]),
    ("11. the choice: a distributor app first, the embedded one only with Play services", check_choice,
     [lambda f: {PLUGIN_KT: f[PLUGIN_KT].replace("PushDistributor.choose(activity)",
                                                 "UnifiedPush.tryUseCurrentOrDefaultDistributor(activity)")},
      lambda f: {PUSH: f[PUSH].replace("if (saved != null && saved != context.packageName) {",
                                       "if (saved != null) {")},
      lambda f: {PUSH: f[PUSH].replace("        if (apps(context).isNotEmpty()) {",
                                       "        useEmbedded(context, done)\n"
                                       "        if (apps(context).isNotEmpty()) {")},
      lambda f: {PUSH: f[PUSH].replace("if (playServicesAvailable(context) && ", "if (")},
      lambda f: {PUSH: f[PUSH].replace(f'const val PLAY_SERVICES = "{PLAY_SERVICES}"',
                                       'const val PLAY_SERVICES = "com.android.vending"')},
      lambda f: {PUSH: f[PUSH].replace(".filter { it != context.packageName }", "")}]),
    ("12. the push state calls the embedded distributor \"fcm\"", check_fcm_named,
     lambda f: {PLUGIN_KT: f[PLUGIN_KT].replace(
         "PushDistributor.name(activity.applicationContext, distributor)", "distributor")}),
]


def main() -> int:
    files = load()
    failed = 0
    for name, check, breakings in CHECKS:
        why = check(files)
        if why:
            print(f"  FAIL: {name}: {why}")
            failed += 1
            continue
        breakings = breakings if isinstance(breakings, list) else [breakings]
        problems = []
        for n, breaking in enumerate(breakings, 1):
            broken = dict(files, **breaking(files))
            if broken == files:
                problems.append(f"negative test {n} changed nothing")
            elif not check(broken):
                problems.append(f"holds on copy {n}, broken on that point")
        if problems:
            print(f"  FAIL: {name}: " + "; ".join(problems))
            failed += 1
        elif len(breakings) == 1:
            print(f"  ok: {name} (a copy broken on that point is refused)")
        else:
            print(f"  ok: {name} ({len(breakings)} copies, each broken on one point, refused)")
    print(f"push-check: {len(CHECKS) - failed} of {len(CHECKS)} hold")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
