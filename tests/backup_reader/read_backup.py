#!/usr/bin/env python3
"""An independent reader of the SPSE Auth backup file, written from
docs/backup.md alone (Python + cryptography + argon2-cffi), to prove the page
is enough to read what the app writes.

    read_backup.py BACKUP_FILE < PASSWORD    prints the contents (UTF-8 JSON)

The password is read from standard input (a final newline dropped), never
from the command line, where other users could see it.

Exit 0 and the contents on stdout; otherwise one line on stderr and
    3  not an SPSE Auth backup     4  wrong password
    5  damaged (names the part)    6  newer version than this reader
    7  KDF parameters refused      2  usage
"""
import base64
import binascii
import hashlib
import hmac
import json
import re
import sys

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

VERSION = 1
MEMBERS = ("format", "version", "kdf", "memory_kib", "iterations", "parallelism",
           "salt", "key_check", "cipher", "nonce", "sealed")
MAX_MEMORY_KIB = 1024 * 1024          # what a computer allows: 1 GiB
MAX_WORK_KIB = 4194304                # memory_kib x iterations


class Refused(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


def damaged(message):
    return Refused(5, f"damaged: {message}")


def b64u(header, name, length=None):
    """base64url without padding, strictly."""
    text = header[name]
    if not isinstance(text, str) or not re.fullmatch(r"[A-Za-z0-9_-]*", text) or len(text) % 4 == 1:
        raise damaged(f"{name}: not unpadded base64url")
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise damaged(f"{name}: not unpadded base64url")
    if base64.urlsafe_b64encode(data).rstrip(b"=").decode() != text:
        raise damaged(f"{name}: not unpadded base64url (trailing bits)")
    if length is not None and len(data) != length:
        raise damaged(f"{name}: not {length} bytes")
    return data


def integer(header, name):
    value = header[name]
    if type(value) is not int or not 0 <= value < 2 ** 32:
        raise damaged(f"{name}: not an integer below 2^32")
    return value


def open_backup(data, password):
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        header = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        compact = re.sub(rb"\s", b"", data[:256])
        if compact.startswith(b'{"format":"spse-auth-backup"'):
            raise damaged("the file is not whole JSON (cut short?)")
        raise Refused(3, "not an SPSE Auth backup")
    if not isinstance(header, dict) or header.get("format") != "spse-auth-backup":
        raise Refused(3, "not an SPSE Auth backup")
    version = header.get("version")
    if type(version) is not int or version < 1:
        raise damaged("version: not a positive integer")
    if version > VERSION:
        raise Refused(6, f"newer version: version {version}, this reader knows {VERSION}")
    missing = [m for m in MEMBERS if m not in header]
    if missing:
        raise damaged(f"{missing[0]}: missing")
    extra = sorted(set(header) - set(MEMBERS))
    if extra:
        raise damaged(f"{extra[0]}: not a version 1 member")
    if header["kdf"] != "argon2id":
        raise damaged("kdf: not argon2id")
    if header["cipher"] != "AES-256-GCM":
        raise damaged("cipher: not AES-256-GCM")
    m, t, p = (integer(header, n) for n in ("memory_kib", "iterations", "parallelism"))
    salt = b64u(header, "salt", 16)
    check = b64u(header, "key_check", 8)
    nonce = b64u(header, "nonce", 12)
    sealed = b64u(header, "sealed")
    if len(sealed) < 16:
        raise damaged("sealed: shorter than its tag")
    if not 1 <= p <= 16 or not 1 <= t <= 32 or not 8 * p <= m <= MAX_MEMORY_KIB \
            or m * t > MAX_WORK_KIB:
        raise Refused(7, f"KDF parameters refused: m={m} t={t} p={p}")

    key = hash_secret_raw(secret=password.encode("utf-8"), salt=salt, time_cost=t,
                          memory_cost=m, parallelism=p, hash_len=32, type=Type.ID,
                          version=19)
    expected = hmac.new(key, b"spse-auth-backup key check v1", hashlib.sha256).digest()[:8]
    if not hmac.compare_digest(expected, check):
        raise Refused(4, "wrong password")
    associated = "\n".join([
        "spse-auth-backup",
        f"version={version}",
        "kdf=argon2id",
        f"memory_kib={m}",
        f"iterations={t}",
        f"parallelism={p}",
        f"salt={header['salt']}",
        f"key_check={header['key_check']}",
        "cipher=AES-256-GCM",
        f"nonce={header['nonce']}",
    ]).encode("utf-8")
    try:
        return AESGCM(key).decrypt(nonce, sealed, associated)
    except InvalidTag:
        raise damaged("sealed: failed its integrity check (altered or damaged)")


def main(argv):
    if len(argv) != 2:
        print("usage: read_backup.py BACKUP_FILE < PASSWORD", file=sys.stderr)
        return 2
    with open(argv[1], "rb") as f:
        data = f.read()
    password = sys.stdin.buffer.read().decode("utf-8")
    if password.endswith("\n"):
        password = password[:-1]
    try:
        plaintext = open_backup(data, password)
        contents = json.loads(plaintext)
        if not isinstance(contents, dict) or contents.get("app") != "spse-auth":
            raise damaged("contents: not an SPSE Auth backup's contents")
    except Refused as e:
        print(f"error: {e}", file=sys.stderr)
        return e.status
    except ValueError as e:  # the contents are not JSON
        print(f"error: damaged: contents: {e}", file=sys.stderr)
        return 5
    sys.stdout.buffer.write(plaintext)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
