#!/usr/bin/env python3
"""Writes docs/vault-vector-v2.json and docs/vault-vector-v3.json (and their
plaintexts) from docs/vault.md alone, with Python + cryptography: vectors
made by a second, independent writer, that the Rust vault must open.

Run once by hand when a format changes; the output is committed and checked
by crates/vault/tests/vector.rs and by read_vault.py (make test). The
trust root of the format 3 vector is a fresh self-signed certificate, so a
rerun changes that vector's bytes (not its meaning).
"""
import base64
import datetime
import hashlib
import hmac
import json
import pathlib

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.x509.oid import NameOID

DOCS = pathlib.Path(__file__).resolve().parents[2] / "docs"
KEY = bytes(range(32))
KEY_ID = "vault-0123456789abcdef"
PROTOCOL = json.loads((DOCS / "protocol-vectors.json").read_text())


def b64u(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def compact(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def seal(version, plaintext, nonce):
    check = b64u(hmac.new(KEY, b"spse-auth-vault key check v1", hashlib.sha256).digest()[:8])
    header = {
        "format": "spse-auth-vault",
        "version": version,
        "cipher": "AES-256-GCM",
        "key_source": "keyring",
        "key_id": KEY_ID,
        "key_check": check,
        "nonce": b64u(nonce),
    }
    associated = "\n".join(
        [header["format"]] + [f"{k}={header[k]}" for k in list(header)[1:]]
    ).encode()
    header["sealed"] = b64u(AESGCM(KEY).encrypt(nonce, plaintext, associated))
    return (json.dumps(header, indent=2) + "\n").encode()


PPK2 = {
    "id": "a00112233445566aa",
    "otpauth": "otpauth://totp/LPSE%20Kudus:PPK2?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    "&issuer=LPSE%20Kudus&algorithm=SHA1&digits=6&period=30",
    "site": {
        "server": "https://lpse.kuduskab.go.id",
        "name": "LPSE Kudus",
        "training": False,
        "device": {"id": PROTOCOL["device_id"], "key": PROTOCOL["device_key_pkcs8"]},
    },
    "label": None,
    "order": 0,
    "created_at": 1763856000,
}
CAROL = {
    "id": "a8899aabbccddeeff",
    "otpauth": "otpauth://hotp/ACME:carol?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    "&issuer=ACME&algorithm=SHA1&digits=6&counter=5",
    "site": None,
    "label": "Kantor",
    "order": 1,
    "created_at": 1763856001,
}


def training_root():
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "LPSE Pelatihan training root")])
    start = datetime.datetime(2026, 11, 1, tzinfo=datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.DER)


def main():
    v2 = compact({"accounts": [PPK2, CAROL]}).encode()
    pokja = {
        "id": "a0123456789abcdef",
        "otpauth": "otpauth://totp/LPSE%20Pelatihan:pokja1?secret=JBSWY3DPEHPK3PXP"
        "&issuer=LPSE%20Pelatihan&algorithm=SHA1&digits=6&period=30",
        "site": {
            "server": "https://192.168.1.10:8443",
            "name": None,
            "training": False,
            "device": {"id": b64u(b"\x22" * 16), "key": PROTOCOL["device_key_pkcs8"]},
            "trust_root": b64u(training_root()),
            "pending": {"started_at": 1763856002000, "replaces": None},
        },
        "label": None,
        "order": 2,
        "created_at": 1763856002,
    }
    clocks = {"https://lpse.kuduskab.go.id": {"offset_ms": -92000, "measured_at": 1763856003000}}
    v3 = compact({"accounts": [PPK2, CAROL, pokja], "clocks": clocks}).encode()
    for version, plaintext, nonce in [(2, v2, b"\x02" * 12), (3, v3, b"\x03" * 12)]:
        (DOCS / f"vault-vector-v{version}.json").write_bytes(seal(version, plaintext, nonce))
        (DOCS / f"vault-vector-v{version}.plaintext.json").write_bytes(plaintext + b"\n")


if __name__ == "__main__":
    main()
