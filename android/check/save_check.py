#!/usr/bin/python3
"""Saving backups and exports through Android's file picker, checked
without the Android SDK.

The app's Rust calls `Android::save_document` (android/plugin/src/lib.rs),
which runs the Kotlin command `saveDocument` (SpsePlugin.kt): it opens the
system's picker (ACTION_CREATE_DOCUMENT) through Tauri's
`startActivityForResult`, and Tauri hands the picker's answer to the
`@ActivityCallback` method named there, which writes the document. A name
that matches no such method is not an error anywhere: Tauri's PluginHandle
just never calls back, and the Rust side waits for ever. So what only the
files can say, each point run on the real files and then on copies broken
on that point, which the check must refuse (push_check.py's way):

1. saveDocument is a @Command opening ACTION_CREATE_DOCUMENT, openable
   documents only, the type and suggested name (EXTRA_TITLE) from its
   arguments, through startActivityForResult;
2. every startActivityForResult of the plugin names an @ActivityCallback
   method of the same file taking (invoke: Invoke, result: ActivityResult);
3. savedDocument writes only on RESULT_OK, off the main thread, truncating
   ("wt"), wipes the decoded bytes in a finally, names the document by
   OpenableColumns.DISPLAY_NAME, and answers a cancel {saved: false};
4. the invoke is answered exactly once (every resolve or reject of the
   callback but the last is followed by a return; the helpers never
   answer), and no message of a failure carries the data;
5. the Rust side: `save_document(&self, name: &str, bytes: &[u8]) ->
   Result<Option<String>, Error>`, an error off Android, calling a command
   the Kotlin half has (as every other run_mobile_plugin of the plugin),
   its arguments' JSON names those of the Kotlin SaveDocumentArgs, the
   answer's fields those savedAnswer puts, type application/octet-stream.

That the Kotlin compiles is kotlin_check.py's (its stubs have the picker's
classes); R8 keeping SaveDocumentArgs is push_check.py's point 5 (every
@InvokeArg class). Usage: save_check.py
Standard library only (Debian's /usr/bin/python3).
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KOTLIN_DIR = "android/plugin/android/src/main/java/id/spse/auth/android"
PLUGIN_KT = f"{KOTLIN_DIR}/SpsePlugin.kt"
LIB_RS = "android/plugin/src/lib.rs"
CALLBACK = re.compile(r'startActivityForResult\(invoke, \w+, "(\w+)"\)')
ANSWER = re.compile(r"\binvoke\.(resolve|reject)\(")


def load() -> dict:
    files = {LIB_RS: (ROOT / LIB_RS).read_text(encoding="utf-8")}
    for path in sorted((ROOT / KOTLIN_DIR).glob("*.kt")):
        files[str(path.relative_to(ROOT))] = path.read_text(encoding="utf-8")
    return files


def function(text: str, name: str) -> str:
    """The text of a Kotlin or Rust function, from `fun name(` (or `fn`) to
    its closing brace at the same indentation."""
    match = re.search(r"^( *)(?:[\w:]+ )*(?:fun|fn) " + re.escape(name) + r"\b", text, re.M)
    if not match:
        return ""
    end = text.find("\n" + match.group(1) + "}\n", match.end())
    return text[match.start():end + 1] if end >= 0 else text[match.start():]


def block(text: str, head: str) -> str:
    """The body of a class or struct from its head to the first line that is `}`."""
    start = text.find(head)
    if start < 0:
        return ""
    end = text.find("\n}\n", start)
    return text[start:end] if end >= 0 else text[start:]


def commands(f: dict) -> set:
    """The names of the plugin's Kotlin @Command methods."""
    kotlin = "\n".join(t for p, t in f.items() if p.endswith(".kt"))
    return set(re.findall(r"@Command\s+fun (\w+)\(invoke: Invoke\)", kotlin))


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


# ---- the checks: each returns "" when it holds, else why not ----

def check_command(f: dict) -> str:
    plugin = f[PLUGIN_KT]
    problems = []
    if "saveDocument" not in commands(f):
        problems.append("no @Command fun saveDocument(invoke: Invoke)")
    save = function(plugin, "saveDocument")
    wanted = {
        "ACTION_CREATE_DOCUMENT": "Intent(Intent.ACTION_CREATE_DOCUMENT)",
        "openable documents only": "intent.addCategory(Intent.CATEGORY_OPENABLE)",
        "the type from the arguments": "intent.type = args.mimeType",
        "the suggested name": "intent.putExtra(Intent.EXTRA_TITLE, args.name)",
        "Tauri's startActivityForResult": "startActivityForResult(invoke, intent, ",
        "the arguments parsed": "invoke.parseArgs(SaveDocumentArgs::class.java)",
    }
    for what, text in wanted.items():
        if text not in save:
            problems.append(f"saveDocument: no {what} ({text})")
    return "; ".join(problems)


def check_callbacks(f: dict) -> str:
    problems = []
    names = []
    for path, text in f.items():
        if not path.endswith(".kt"):
            continue
        for name in CALLBACK.findall(text):
            names.append(name)
            if not re.search(r"@ActivityCallback\s+(?:private )?fun " + re.escape(name)
                             + r"\(invoke: Invoke, result: ActivityResult\)", text):
                problems.append(f'startActivityForResult names "{name}", which is no '
                                f"@ActivityCallback fun {name}(invoke: Invoke, result: ActivityResult) in {path}")
    if not CALLBACK.search(function(f[PLUGIN_KT], "saveDocument")):
        problems.append("saveDocument starts no activity for a result")
    return "; ".join(problems)


def check_write(f: dict) -> str:
    plugin = f[PLUGIN_KT]
    problems = []
    saved = function(plugin, "savedDocument")
    if not re.search(r"if \(result\.resultCode != Activity\.RESULT_OK\) \{\s*"
                     r"invoke\.resolve\(savedAnswer\(null\)\)\s*return\s*\}", saved):
        problems.append("a result other than RESULT_OK is not answered {saved: false} at once")
    writing = re.search(r"thread\(name = \"[\w-]+\"\) \{(.*?)\n        \}\n", saved, re.S)
    if not writing or "writeDocument(invoke, uri)" not in writing.group(1):
        problems.append("the document is not written on a thread of its own (the callback runs on the main thread)")
    write = function(plugin, "writeDocument")
    if 'openOutputStream(uri, "wt")' not in write:
        problems.append('the document is not opened truncating ("wt")')
    if "Base64.decode(args.data, Base64.DEFAULT)" not in write:
        problems.append("the data is not decoded as standard base64 in writeDocument")
    if not re.search(r"\} finally \{\s*bytes\.fill\(0\)", write):
        problems.append("the decoded bytes are not wiped in a finally")
    if write.count("discardDocument(uri)") < 3:
        problems.append("a document not written whole is not deleted on every failure")
    if "OpenableColumns.DISPLAY_NAME" not in function(plugin, "displayName") or \
            "displayName(uri)" not in write:
        problems.append("the name answered is not the document's OpenableColumns.DISPLAY_NAME")
    answer = function(plugin, "savedAnswer")
    if 'answer.put("saved", name != null)' not in answer or \
            'answer.put("name", name ?: JSONObject.NULL)' not in answer:
        problems.append("savedAnswer does not put saved and name (null when cancelled)")
    return "; ".join(problems)


def check_answered_once(f: dict) -> str:
    plugin = f[PLUGIN_KT]
    problems = []
    lines = [line.strip() for line in function(plugin, "savedDocument").splitlines()]
    answers = [n for n, line in enumerate(lines) if ANSWER.search(line)]
    if not answers:
        problems.append("savedDocument never answers")
    for n in answers:
        rest = [line for line in lines[n + 1:] if line]
        last = all(line == "}" for line in rest)
        if not last and not (rest and rest[0].startswith("return")):
            problems.append(f"savedDocument goes on after `{lines[n]}` (a second answer)")
    for helper in ("saveDocument", "writeDocument", "discardDocument", "displayName", "savedAnswer"):
        body = function(plugin, helper)
        if helper != "saveDocument" and ANSWER.search(body):
            problems.append(f"{helper} answers the invoke itself")
    save = function(plugin, "saveDocument")
    if len(ANSWER.findall(save)) != 1 or "invoke.reject(SaveFailed(" not in save:
        problems.append("saveDocument does not answer only when the picker cannot be opened")
    texts = "\n".join(function(plugin, name) for name in ("saveDocument", "savedDocument", "writeDocument"))
    leaks = re.findall(r'"[^"\n]*\$\{?(?:args|bytes|data)\b[^"\n]*"', texts)
    leaks += re.findall(r"(?:reject|SaveFailed)\([^)\n]*\b(?:args\.data|bytes)\b", texts)
    if leaks:
        problems.append(f"a message carries the data: {leaks}")
    failed = block(plugin, "private class SaveFailed(")
    if '"save document: $step"' not in failed or "cause.javaClass.simpleName" not in failed:
        problems.append("SaveFailed's message is not the step and the exception's class")
    return "; ".join(problems)


def check_rust(f: dict) -> str:
    lib, plugin = f[LIB_RS], f[PLUGIN_KT]
    problems = []
    signature = "pub fn save_document(&self, name: &str, bytes: &[u8]) -> Result<Option<String>, Error> {"
    if signature not in lib:
        problems.append(f"no `{signature}`")
    body = function(lib, "save_document")
    called = re.findall(r"run_mobile_plugin::<SavedDocument>\(\s*\"(\w+)\"", body)
    if called != ["saveDocument"]:
        problems.append(f"save_document does not run saveDocument ({called})")
    if not re.search(r'#\[cfg\(not\(target_os = "android"\)\)\]\s*\{\s*let _ = \(name, bytes\);\s*Err\(', body):
        problems.append("save_document is not an error off Android")
    if "encoded.fill(0)" not in body:
        problems.append("save_document does not wipe its base64")
    # Every command the Rust side runs is one the Kotlin half has.
    missing = sorted(set(re.findall(r"run_mobile_plugin::<[^>]*>\(\s*\"(\w+)\"", lib)) - commands(f))
    if missing:
        problems.append("run_mobile_plugin of commands the Kotlin half lacks: " + ", ".join(missing))
    args = block(lib, "struct SaveDocumentArgs<'a> {")
    head = lib[max(0, lib.find("struct SaveDocumentArgs<'a> {") - 120):lib.find("struct SaveDocumentArgs<'a> {")]
    fields = re.findall(r"^\s+(\w+): ", args, re.M)
    if '#[serde(rename_all = "camelCase")]' in head:
        fields = [camel(name) for name in fields]
    kotlin_fields = re.findall(r"^\s+var (\w+): ", block(plugin, "class SaveDocumentArgs {"), re.M)
    if not fields or sorted(fields) != sorted(kotlin_fields):
        problems.append(f"Rust sends {fields}, the Kotlin SaveDocumentArgs reads {kotlin_fields}")
    answer = re.findall(r"^\s+(\w+): ", block(lib, "struct SavedDocument {"), re.M)
    put = re.findall(r'answer\.put\("(\w+)"', function(plugin, "savedAnswer"))
    if not answer or sorted(answer) != sorted(put):
        problems.append(f"Rust reads {answer}, savedAnswer puts {put}")
    if 'const SAVE_MIME_TYPE: &str = "application/octet-stream";' not in lib or \
            "mime_type: SAVE_MIME_TYPE" not in body:
        problems.append("the document's type is not application/octet-stream")
    return "; ".join(problems)


def kt(edit):
    return lambda f: {PLUGIN_KT: edit(f[PLUGIN_KT])}


def rs(edit):
    return lambda f: {LIB_RS: edit(f[LIB_RS])}


# Each check with the edits that break it (the negative test): one copy
# broken on each, all of which it must refuse.
CHECKS = [
    ("1. saveDocument: a @Command opening ACTION_CREATE_DOCUMENT (openable, the type and name given)", check_command,
     [kt(lambda t: t.replace("    @Command\n    fun saveDocument(", "    fun saveDocument(")),
      kt(lambda t: t.replace("Intent(Intent.ACTION_CREATE_DOCUMENT)", "Intent(Intent.ACTION_OPEN_DOCUMENT)")),
      kt(lambda t: t.replace("        intent.addCategory(Intent.CATEGORY_OPENABLE)\n", "")),
      kt(lambda t: t.replace("intent.putExtra(Intent.EXTRA_TITLE, args.name)", "intent.putExtra(Intent.EXTRA_TITLE, \"\")"))]),
    ("2. every startActivityForResult names an @ActivityCallback (invoke, ActivityResult)", check_callbacks,
     [kt(lambda t: t.replace('startActivityForResult(invoke, intent, "savedDocument")',
                             'startActivityForResult(invoke, intent, "saveDocumentResult")')),
      kt(lambda t: t.replace("    @ActivityCallback\n    fun savedDocument(", "    fun savedDocument(")),
      kt(lambda t: t.replace("fun savedDocument(invoke: Invoke, result: ActivityResult)",
                             "fun savedDocument(invoke: Invoke, result: Intent)"))]),
    ("3. savedDocument: written on RESULT_OK off the main thread, \"wt\", bytes wiped, DISPLAY_NAME, cancel answered",
     check_write,
     [kt(lambda t: t.replace('openOutputStream(uri, "wt")', 'openOutputStream(uri, "w")')),
      kt(lambda t: re.sub(r"(\} finally \{\s*)bytes\.fill\(0\)", r"\1bytes.size", t)),
      kt(lambda t: t.replace('thread(name = "spse-save-document") {', "run {")),
      kt(lambda t: t.replace("            invoke.resolve(savedAnswer(null))\n",
                             '            invoke.reject("cancelled")\n')),
      kt(lambda t: t.replace("return displayName(uri) ?: args.name", "return args.name"))]),
    ("4. the invoke answered exactly once; no failure message carries the data", check_answered_once,
     [kt(lambda t: t.replace("                invoke.reject(e.message)\n                return@thread\n",
                             "                invoke.reject(e.message)\n", 1)),
      kt(lambda t: t.replace('throw SaveFailed("decoding the data", e)',
                             'throw SaveFailed("decoding ${args.data}", e)')),
      kt(lambda t: t.replace("            discardDocument(uri)\n            throw e\n",
                             "            discardDocument(uri)\n            invoke.reject(e.message)\n            throw e\n"))]),
    ("5. Rust's save_document runs saveDocument with the Kotlin half's argument and answer names", check_rust,
     [rs(lambda t: t.replace('"saveDocument",\n', '"saveFile",\n')),
      rs(lambda t: t.replace('#[serde(rename_all = "camelCase")]\nstruct SaveDocumentArgs',
                             "struct SaveDocumentArgs")),
      kt(lambda t: t.replace("    var mimeType: String = DOCUMENT_TYPE", "    var type: String = DOCUMENT_TYPE")),
      rs(lambda t: t.replace("    saved: bool,\n", "    written: bool,\n")),
      rs(lambda t: t.replace('"setAlwaysOn"', '"setAlwaysOnService"')),
      rs(lambda t: t.replace("            encoded.fill(0);\n", ""))]),
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
        else:
            print(f"  ok: {name} ({len(breakings)} copies, each broken on one point, refused)")
    print(f"save-check: {len(CHECKS) - failed} of {len(CHECKS)} hold")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
