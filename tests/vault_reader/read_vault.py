#!/usr/bin/env python3
"""An independent reader of the SPSE Auth vault, written from docs/vault.md
alone (Python + cryptography), to prove the page is enough to read what the
app writes.

    read_vault.py VAULT_JSON KEY_HEX     prints the sealed content (UTF-8 JSON)

Exit 0 and the plaintext on stdout; exit 1 and one line on stderr when the
file is not a vault this page describes, the key is wrong, or the content
fails its tag.
"""
import base64
import hashlib
import hmac
import json
import sys

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KNOWN_VERSIONS = (1, 2, 3)
MEMBERS = {"format", "version", "cipher", "key_source", "key_id", "key_check", "nonce", "sealed"}


def b64u(text):
    """base64url without padding, strictly."""
    if not isinstance(text, str) or "=" in text:
        raise ValueError("not unpadded base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def open_vault(data, key):
    header = json.loads(data)
    if set(header) != MEMBERS:
        raise ValueError("members are not exactly the documented ones")
    if header["format"] != "spse-auth-vault":
        raise ValueError("not an SPSE Auth vault")
    if header["version"] not in KNOWN_VERSIONS:
        raise ValueError(f"unknown version {header['version']}")
    if header["cipher"] != "AES-256-GCM" or header["key_source"] != "keyring":
        raise ValueError("unknown cipher or key source")
    check = hmac.new(key, b"spse-auth-vault key check v1", hashlib.sha256).digest()[:8]
    if b64u(header["key_check"]) != check:
        raise ValueError("wrong key")
    nonce = b64u(header["nonce"])
    if len(nonce) != 12:
        raise ValueError("nonce is not 12 bytes")
    associated = "\n".join([
        header["format"],
        f"version={header['version']}",
        f"cipher={header['cipher']}",
        f"key_source={header['key_source']}",
        f"key_id={header['key_id']}",
        f"key_check={header['key_check']}",
        f"nonce={header['nonce']}",
    ]).encode()
    return AESGCM(key).decrypt(nonce, b64u(header["sealed"]), associated)


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[-6], file=sys.stderr)
        return 2
    with open(argv[1], "rb") as f:
        data = f.read()
    try:
        plaintext = open_vault(data, bytes.fromhex(argv[2]))
        json.loads(plaintext)
    except Exception as e:  # one line, whatever went wrong
        print(f"error: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
    sys.stdout.buffer.write(plaintext)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
