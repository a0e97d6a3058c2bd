#!/usr/bin/env python3
"""Writes docs/push-vectors.json from docs/protocol.md section 6.6 alone, with
Python + cryptography (no code of this project): the wake-up message sealed
with RFC 8291's example keys and salt, and a VAPID token (RFC 8292) signed with
a key made here. crates/sandbox checks that its own code makes the same body
and that the token verifies; tests/push_check/check_push.py decrypts the body
with http-ece. Run once; the output is committed.

    /usr/bin/python3 tests/push_check/make_vector.py > docs/push-vectors.json
"""
import base64
import json
import sys

from cryptography.hazmat.primitives import hashes, hmac, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64u(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def hmac_sha256(key: bytes, data: bytes) -> bytes:
    h = hmac.HMAC(key, hashes.SHA256())
    h.update(data)
    return h.finalize()


def private_key(d: bytes) -> ec.EllipticCurvePrivateKey:
    return ec.derive_private_key(int.from_bytes(d, "big"), ec.SECP256R1())


def point(key) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )


# RFC 8291 appendix A: the receiver's and the sender's keys, the salt.
UA_PRIVATE = unb64u("q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94")
AS_PRIVATE = unb64u("yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw")
AUTH = unb64u("BTBZMqHH6r4Tts7J_aSIgg")
SALT = unb64u("DGv6ra1nlYgDCS1FRnbzlw")
PLAINTEXT = b'{"v":1,"kind":"login"}'

ua = private_key(UA_PRIVATE)
sender = private_key(AS_PRIVATE)
ua_public, as_public = point(ua), point(sender)
ecdh = sender.exchange(ec.ECDH(), ua.public_key())
# RFC 8291 section 3.3 and 3.4 (HKDF with one block each).
prk_key = hmac_sha256(AUTH, ecdh)
ikm = hmac_sha256(prk_key, b"WebPush: info\0" + ua_public + as_public + b"\1")
prk = hmac_sha256(SALT, ikm)
cek = hmac_sha256(prk, b"Content-Encoding: aes128gcm\0\1")[:16]
nonce = hmac_sha256(prk, b"Content-Encoding: nonce\0\1")[:12]
record = AESGCM(cek).encrypt(nonce, PLAINTEXT + b"\2", None)
body = SALT + (4096).to_bytes(4, "big") + bytes([65]) + as_public + record

vapid = ec.generate_private_key(ec.SECP256R1())
vapid_public = point(vapid)
aud, exp, sub = "https://push.example.net", 1763942400, "https://latihan-lpse.lkpp.go.id"
header = b64u(b'{"typ":"JWT","alg":"ES256"}')
claims = b64u(json.dumps({"aud": aud, "exp": exp, "sub": sub}, separators=(",", ":")).encode())
signing_input = f"{header}.{claims}"
r, s = decode_dss_signature(vapid.sign(signing_input.encode(), ec.ECDSA(hashes.SHA256())))
jwt = f"{signing_input}.{b64u(r.to_bytes(32, 'big') + s.to_bytes(32, 'big'))}"
pkcs8 = vapid.private_bytes(
    serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
)

json.dump(
    {
        "message": {
            "comment": "RFC 8291 appendix A's keys and salt, the protocol's wake-up text",
            "plaintext": PLAINTEXT.decode(),
            "ua_private": b64u(UA_PRIVATE),
            "ua_public": b64u(ua_public),
            "auth": b64u(AUTH),
            "as_private": b64u(AS_PRIVATE),
            "as_public": b64u(as_public),
            "salt": b64u(SALT),
            "ecdh_secret": b64u(ecdh),
            "cek": b64u(cek),
            "nonce": b64u(nonce),
            "body": b64u(body),
        },
        "vapid": {
            "comment": "ECDSA is randomised: a new token of the same claims differs and verifies the same",
            "private_key_pkcs8": b64u(pkcs8),
            "public_key": b64u(vapid_public),
            "aud": aud,
            "exp": exp,
            "sub": sub,
            "signing_input": signing_input,
            "jwt": jwt,
            "authorization": f"vapid t={jwt}, k={b64u(vapid_public)}",
        },
    },
    sys.stdout,
    indent=2,
)
sys.stdout.write("\n")
