//! docs/protocol-vectors.json: the canonical bytes of every signing input are
//! rebuilt from their fields, and every signature verifies with the public
//! key derived from the documented private key.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use serde_json::Value;
use spse_protocol::signing::{DecideFields, decide_input, enroll_input, request_input};
use spse_protocol::{DeviceAuth, DeviceKey, Error, PublicKey};
use zeroize::Zeroizing;

fn vectors() -> Value {
    serde_json::from_str(include_str!("../../../docs/protocol-vectors.json")).unwrap()
}

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap()
}

#[test]
fn the_documented_key_gives_the_documented_public_key() {
    let v = vectors();
    let pkcs8 = B64.decode(s(&v, "device_key_pkcs8")).unwrap();
    let key = DeviceKey::from_pkcs8(Zeroizing::new(pkcs8)).unwrap();
    assert_eq!(key.public_key(), s(&v, "public_key"));
    assert_eq!(B64.decode(s(&v, "public_key")).unwrap().len(), 91);
    assert_eq!(B64.decode(s(&v, "device_id")).unwrap().len(), 16);
}

#[test]
fn signing_inputs_are_rebuilt_byte_for_byte_and_verify() {
    let v = vectors();
    let public = PublicKey::parse(s(&v, "public_key")).unwrap();
    let device_id = s(&v, "device_id");

    let e = &v["enroll"];
    let input = enroll_input(
        s(e, "enroll"),
        s(e, "user_id"),
        device_id,
        s(&v, "public_key"),
    )
    .unwrap();
    assert_eq!(input, s(e, "input"));
    public.verify(&input, s(e, "sig")).unwrap();

    let r = &v["request"];
    let ts = r["ts"].as_u64().unwrap();
    let input = request_input(s(r, "method"), s(r, "path"), ts, s(r, "body").as_bytes()).unwrap();
    assert_eq!(input, s(r, "input"));
    public.verify(&input, s(r, "sig")).unwrap();
    let auth = DeviceAuth::parse(s(r, "authorization")).unwrap();
    assert_eq!(
        (auth.device_id.as_str(), auth.ts, auth.sig.as_str()),
        (device_id, ts, s(r, "sig"))
    );

    let d = &v["decide"];
    let fields = DecideFields {
        tx_id: s(d, "tx_id"),
        nonce: s(d, "nonce"),
        origin: s(d, "origin"),
        user_id: s(d, "user_id"),
        decision: s(d, "decision"),
        number: s(d, "number"),
        device_id,
        iat: d["iat"].as_u64().unwrap(),
    };
    let input = decide_input(&fields).unwrap();
    assert_eq!(input, s(d, "input"));
    public.verify(&input, s(d, "sig")).unwrap();
}

#[test]
fn a_signature_binds_every_byte_and_its_purpose() {
    let v = vectors();
    let public = PublicKey::parse(s(&v, "public_key")).unwrap();
    let d = &v["decide"];
    let input = s(d, "input");
    // The same signature over a changed decision, or as an enroll input, fails.
    let denied = input.replace("\napprove\n", "\ndeny\n");
    assert_eq!(
        public.verify(&denied, s(d, "sig")),
        Err(Error::BadSignature)
    );
    assert_eq!(
        public.verify(s(&v["enroll"], "input"), s(d, "sig")),
        Err(Error::BadSignature)
    );
    // Another device's key does not verify it.
    let other = DeviceKey::generate().unwrap();
    let other_public = PublicKey::parse(&other.public_key()).unwrap();
    assert_eq!(
        other_public.verify(input, s(d, "sig")),
        Err(Error::BadSignature)
    );
    // Malformed signatures are refused, not panicked on.
    for bad in ["", "!!", "AAAA", &"A".repeat(200)] {
        assert_eq!(public.verify(input, bad), Err(Error::BadSignature));
    }
}

#[test]
fn fresh_keys_sign_and_verify_and_hide_their_private_half() {
    let key = DeviceKey::generate().unwrap();
    let sig = key.sign("hello").unwrap();
    assert_eq!(B64.decode(&sig).unwrap().len(), 64);
    PublicKey::parse(&key.public_key())
        .unwrap()
        .verify("hello", &sig)
        .unwrap();
    let shown = format!("{key:?}");
    assert!(shown.contains("[REDACTED]"));
    assert!(!shown.contains(&B64.encode(key.pkcs8())));
    let again = DeviceKey::from_pkcs8(Zeroizing::new(key.pkcs8().to_vec())).unwrap();
    assert_eq!(again.public_key(), key.public_key());
}

#[test]
fn bad_keys_are_refused() {
    for bad in ["", "!!", "AAAA", &B64.encode([0u8; 91])] {
        assert_eq!(PublicKey::parse(bad), Err(Error::BadPublicKey), "{bad}");
    }
    assert_eq!(
        DeviceKey::from_pkcs8(Zeroizing::new(vec![1, 2, 3])).unwrap_err(),
        Error::BadPrivateKey
    );
}
