#!/usr/bin/env python3
"""An independent check of the site's Web Push (docs/protocol.md section 6.6):
decrypts a push with PyPI's http-ece (RFC 8188 / RFC 8291, not this project's
code) and checks its VAPID token (RFC 8292) with Python's cryptography.

    check_push.py capture PUSH.json   # what crates/sandbox/tests/push.rs captured
    check_push.py vector docs/push-vectors.json

Prints `ok <plaintext>`; exits 1 with the reason otherwise. A capture holds the
receiver's keys (`ua_private`, `ua_public`, `auth`), the endpoint's origin
(`aud`), the site's `vapid_key`, the request's `headers` and its `body`.
"""
import base64
import json
import sys
import time

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

MESSAGE = b'{"v":1,"kind":"login"}'


def unb64u(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def fail(reason: str) -> None:
    print(f"fail: {reason}")
    sys.exit(1)


def decrypt(body: bytes, ua_private: bytes, auth: bytes) -> bytes:
    key = ec.derive_private_key(int.from_bytes(ua_private, "big"), ec.SECP256R1())
    if int.from_bytes(body[16:20], "big") != 4096:
        fail("record size is not 4096")
    return http_ece.decrypt(body, private_key=key, auth_secret=auth, version="aes128gcm")


def check_token(jwt: str, key_b64: str, aud: str, now: float | None) -> None:
    parts = jwt.split(".")
    if len(parts) != 3:
        fail("the token is not a JWS compact serialisation")
    header = json.loads(unb64u(parts[0]))
    claims = json.loads(unb64u(parts[1]))
    if header.get("alg") != "ES256":
        fail(f"alg {header.get('alg')!r}")
    signature = unb64u(parts[2])
    if len(signature) != 64:
        fail("the signature is not 64 bytes")
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64u(key_b64))
    der = encode_dss_signature(
        int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    )
    try:
        public.verify(der, f"{parts[0]}.{parts[1]}".encode(), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        fail("the token's signature does not verify with k")
    if claims.get("aud") != aud:
        fail(f"aud {claims.get('aud')!r} is not the endpoint's origin {aud!r}")
    sub = claims.get("sub", "")
    if not (sub.startswith("mailto:") or sub.startswith("https:")):
        fail(f"sub {sub!r} is neither mailto: nor https:")
    exp = claims.get("exp")
    if not isinstance(exp, int):
        fail("exp is not an integer")
    if now is not None and not now < exp <= now + 24 * 3600:
        fail(f"exp {exp} is not within 24 h from now")


def capture(path: str) -> bytes:
    with open(path, encoding="utf-8") as f:
        c = json.load(f)
    headers = c["headers"]
    for name, value in (("ttl", "60"), ("urgency", "high"), ("content-encoding", "aes128gcm")):
        if headers.get(name) != value:
            fail(f"header {name}: {headers.get(name)!r}")
    authorization = headers.get("authorization", "")
    if not authorization.startswith("vapid t="):
        fail("Authorization is not vapid t=..., k=...")
    token, _, k = authorization[len("vapid t="):].partition(", k=")
    if k != c["vapid_key"]:
        fail("k is not the site's vapid_key")
    check_token(token, k, c["aud"], time.time())
    return decrypt(unb64u(c["body"]), unb64u(c["ua_private"]), unb64u(c["auth"]))


def vector(path: str) -> bytes:
    with open(path, encoding="utf-8") as f:
        v = json.load(f)
    m, j = v["message"], v["vapid"]
    if j["authorization"] != f"vapid t={j['jwt']}, k={j['public_key']}":
        fail("the vector's Authorization")
    check_token(j["jwt"], j["public_key"], j["aud"], None)
    plaintext = decrypt(unb64u(m["body"]), unb64u(m["ua_private"]), unb64u(m["auth"]))
    if plaintext != m["plaintext"].encode():
        fail("the vector's body is not its plaintext")
    return plaintext


def main() -> None:
    if len(sys.argv) != 3 or sys.argv[1] not in ("capture", "vector"):
        fail("usage: check_push.py capture|vector FILE")
    plaintext = (capture if sys.argv[1] == "capture" else vector)(sys.argv[2])
    if plaintext != MESSAGE:
        fail(f"plaintext {plaintext!r}")
    print(f"ok {plaintext.decode()}")


if __name__ == "__main__":
    main()
