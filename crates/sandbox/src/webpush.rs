//! Web Push message encryption (RFC 8291 over RFC 8188's `aes128gcm`) and
//! VAPID (RFC 8292), with ring alone: what a site needs to wake the app
//! through any standard push service (docs/protocol.md section 6.6).
//!
//! ring makes a sender key only as an [`EphemeralPrivateKey`], fresh per
//! message as RFC 8291 section 3.1 asks; so the deterministic part
//! ([`seal`]: from the ECDH secret on) is split off, and the RFC's worked
//! example (section 5, appendix A) is checked from its ECDH secret.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use ring::aead::{AES_128_GCM, Aad, LessSafeKey, Nonce, UnboundKey};
use ring::agreement::{ECDH_P256, EphemeralPrivateKey, UnparsedPublicKey, agree_ephemeral};
use ring::hkdf::{HKDF_SHA256, KeyType, Prk, Salt};
use ring::rand::{SecureRandom, SystemRandom};
use ring::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair};

/// The record size every message declares (RFC 8188 section 2; RFC 8291
/// section 4 limits a push message to one record of at most 4096 bytes).
pub(crate) const RECORD_SIZE: u32 = 4096;

/// Bytes of an uncompressed P-256 point (`04 || x || y`).
pub(crate) const POINT_LEN: usize = 65;

/// Bytes of the receiver's authentication secret (RFC 8291 section 3.2).
pub(crate) const AUTH_LEN: usize = 16;

/// The most plaintext one record holds: the record size less the AEAD tag
/// (16) and the last-record delimiter (1), RFC 8188 section 2.
const MAX_PLAINTEXT: usize = RECORD_SIZE as usize - 16 - 1;

/// Why a message could not be sealed or signed. Names the input, never
/// its bytes.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub(crate) enum WebPushError {
    /// `p256dh` is not a 65-byte uncompressed point on P-256.
    #[error("p256dh: not a 65-byte uncompressed P-256 point")]
    P256dh,
    /// `auth` is not 16 bytes.
    #[error("auth: not 16 bytes")]
    Auth,
    /// The plaintext does not fit one 4096-byte record.
    #[error("plaintext: over {MAX_PLAINTEXT} bytes")]
    TooLong,
    /// The system random generator or a primitive failed.
    #[error("crypto: the system random generator or a primitive failed")]
    Crypto,
    /// The stored VAPID key is not a P-256 PKCS#8 key.
    #[error("vapid key: not a P-256 PKCS#8 key")]
    VapidKey,
}

/// An HKDF output length for ring.
struct Len(usize);

impl KeyType for Len {
    fn len(&self) -> usize {
        self.0
    }
}

fn expand(prk: &Prk, info: &[&[u8]], out: &mut [u8]) -> Result<(), WebPushError> {
    prk.expand(info, Len(out.len()))
        .and_then(|okm| okm.fill(out))
        .map_err(|_| WebPushError::Crypto)
}

/// Encrypts `plaintext` for the receiver whose key is `ua_public` and
/// secret `auth` (RFC 8291 section 3): a fresh sender key pair and a fresh
/// 16-byte salt for this message, one record of [`RECORD_SIZE`]. The
/// result is the whole `aes128gcm` body (RFC 8188 section 2.1 header, then
/// the record).
pub(crate) fn encrypt(
    ua_public: &[u8],
    auth: &[u8],
    plaintext: &[u8],
    rng: &SystemRandom,
) -> Result<Vec<u8>, WebPushError> {
    check_keys(ua_public, auth)?;
    let mut salt = [0u8; 16];
    rng.fill(&mut salt).map_err(|_| WebPushError::Crypto)?;
    let sender =
        EphemeralPrivateKey::generate(&ECDH_P256, rng).map_err(|_| WebPushError::Crypto)?;
    let as_public = sender
        .compute_public_key()
        .map_err(|_| WebPushError::Crypto)?;
    let ecdh_secret = agree_ephemeral(
        sender,
        &UnparsedPublicKey::new(&ECDH_P256, ua_public),
        <[u8]>::to_vec,
    )
    .map_err(|_| WebPushError::P256dh)?;
    seal(
        &ecdh_secret,
        ua_public,
        as_public.as_ref(),
        auth,
        &salt,
        plaintext,
    )
}

/// Whether `ua_public` and `auth` can be encrypted to: a point on P-256 (an
/// ECDH with a throwaway key succeeds) and 16 bytes. What `PUT /push`
/// checks before it stores a subscription.
pub(crate) fn check_keys(ua_public: &[u8], auth: &[u8]) -> Result<(), WebPushError> {
    if ua_public.len() != POINT_LEN || ua_public[0] != 4 {
        return Err(WebPushError::P256dh);
    }
    if auth.len() != AUTH_LEN {
        return Err(WebPushError::Auth);
    }
    let probe = EphemeralPrivateKey::generate(&ECDH_P256, &SystemRandom::new())
        .map_err(|_| WebPushError::Crypto)?;
    agree_ephemeral(
        probe,
        &UnparsedPublicKey::new(&ECDH_P256, ua_public),
        |_| (),
    )
    .map_err(|_| WebPushError::P256dh)
}

/// RFC 8291 section 3.3 and 3.4 from the ECDH secret on, deterministic:
///
/// - `PRK_key = HMAC-SHA-256(auth, ecdh_secret)`,
///   `IKM = HKDF-Expand(PRK_key, "WebPush: info" 0x00 ua_public as_public, 32)`;
/// - `PRK = HMAC-SHA-256(salt, IKM)`,
///   `CEK = HKDF-Expand(PRK, "Content-Encoding: aes128gcm" 0x00, 16)`,
///   `NONCE = HKDF-Expand(PRK, "Content-Encoding: nonce" 0x00, 12)`;
/// - the record is AES-128-GCM(CEK, NONCE) of `plaintext || 0x02` (the
///   last record's delimiter, no padding), RFC 8188 section 2;
/// - the body is `salt || rs (4 bytes, big-endian) || 65 || as_public ||
///   record` (RFC 8188 section 2.1, the key id being the sender's key,
///   RFC 8291 section 4).
pub(crate) fn seal(
    ecdh_secret: &[u8],
    ua_public: &[u8],
    as_public: &[u8],
    auth: &[u8],
    salt: &[u8; 16],
    plaintext: &[u8],
) -> Result<Vec<u8>, WebPushError> {
    if plaintext.len() > MAX_PLAINTEXT {
        return Err(WebPushError::TooLong);
    }
    if as_public.len() != POINT_LEN {
        return Err(WebPushError::Crypto);
    }
    let prk_key = Salt::new(HKDF_SHA256, auth).extract(ecdh_secret);
    let mut ikm = [0u8; 32];
    expand(
        &prk_key,
        &[b"WebPush: info\0", ua_public, as_public],
        &mut ikm,
    )?;
    let prk = Salt::new(HKDF_SHA256, salt).extract(&ikm);
    let mut cek = [0u8; 16];
    expand(&prk, &[b"Content-Encoding: aes128gcm\0"], &mut cek)?;
    let mut nonce = [0u8; 12];
    expand(&prk, &[b"Content-Encoding: nonce\0"], &mut nonce)?;

    let key =
        LessSafeKey::new(UnboundKey::new(&AES_128_GCM, &cek).map_err(|_| WebPushError::Crypto)?);
    let mut record = Vec::with_capacity(plaintext.len() + 17);
    record.extend_from_slice(plaintext);
    record.push(2);
    // One record: its sequence number is 0, so its nonce is NONCE itself.
    key.seal_in_place_append_tag(
        Nonce::assume_unique_for_key(nonce),
        Aad::empty(),
        &mut record,
    )
    .map_err(|_| WebPushError::Crypto)?;

    let mut body = Vec::with_capacity(16 + 4 + 1 + POINT_LEN + record.len());
    body.extend_from_slice(salt);
    body.extend_from_slice(&RECORD_SIZE.to_be_bytes());
    body.push(POINT_LEN as u8);
    body.extend_from_slice(as_public);
    body.extend_from_slice(&record);
    Ok(body)
}

/// The site's VAPID key pair (RFC 8292 section 2): ES256 over P-256. One
/// per site, kept in its database, so a push service that bound an app's
/// subscription to its public key keeps taking the site's pushes.
pub(crate) struct VapidKey {
    pair: EcdsaKeyPair,
}

impl VapidKey {
    /// A new key pair, and its PKCS#8 bytes to store.
    pub(crate) fn generate(rng: &SystemRandom) -> Result<(VapidKey, Vec<u8>), WebPushError> {
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, rng)
            .map_err(|_| WebPushError::Crypto)?;
        let key = VapidKey::from_pkcs8(pkcs8.as_ref())?;
        Ok((key, pkcs8.as_ref().to_vec()))
    }

    /// The stored key pair.
    pub(crate) fn from_pkcs8(pkcs8: &[u8]) -> Result<VapidKey, WebPushError> {
        EcdsaKeyPair::from_pkcs8(
            &ECDSA_P256_SHA256_FIXED_SIGNING,
            pkcs8,
            &SystemRandom::new(),
        )
        .map(|pair| VapidKey { pair })
        .map_err(|_| WebPushError::VapidKey)
    }

    /// base64url of the 65-byte uncompressed public key: the `k` parameter
    /// (RFC 8292 section 3.2) and the protocol's `push.vapid_key`.
    pub(crate) fn public_b64(&self) -> String {
        B64.encode(self.pair.public_key().as_ref())
    }

    /// The `Authorization` header of a push to an endpoint of origin `aud`
    /// (RFC 8292 section 3): `vapid t=<JWT>, k=<public key>`.
    pub(crate) fn authorization(
        &self,
        aud: &str,
        exp: u64,
        sub: &str,
        rng: &SystemRandom,
    ) -> Result<String, WebPushError> {
        let input = jwt_signing_input(aud, exp, sub);
        let sig = self
            .pair
            .sign(rng, input.as_bytes())
            .map_err(|_| WebPushError::Crypto)?;
        Ok(format!(
            "vapid t={input}.{}, k={}",
            B64.encode(sig.as_ref()),
            self.public_b64()
        ))
    }
}

/// The JWT's first two parts (RFC 8292 section 2, RFC 7515): the header
/// `{"typ":"JWT","alg":"ES256"}` and the claims `aud`, `exp` (seconds),
/// `sub`, in that order and spelling, as the RFC's own example writes them.
pub(crate) fn jwt_signing_input(aud: &str, exp: u64, sub: &str) -> String {
    let header = br#"{"typ":"JWT","alg":"ES256"}"#;
    let claims = serde_json::json!({ "aud": aud, "exp": exp, "sub": sub });
    // serde_json keeps the keys sorted (aud, exp, sub): the RFC's order.
    format!("{}.{}", B64.encode(header), B64.encode(claims.to_string()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use ring::signature::{ECDSA_P256_SHA256_FIXED, UnparsedPublicKey as Verifier};

    fn b64(text: &str) -> Vec<u8> {
        B64.decode(text).unwrap()
    }

    // RFC 8291 section 5 and appendix A.
    const UA_PUBLIC: &str =
        "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
    const AS_PUBLIC: &str =
        "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8";
    const AUTH: &str = "BTBZMqHH6r4Tts7J_aSIgg";
    const SALT: &str = "DGv6ra1nlYgDCS1FRnbzlw";
    const ECDH_SECRET: &str = "kyrL1jIIOHEzg3sM2ZWRHDRB62YACZhhSlknJ672kSs";
    const BODY: &str = "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN";

    /// RFC 8291's worked example, byte for byte, from its ECDH secret.
    #[test]
    fn the_rfc_8291_example_seals_to_its_body() {
        let salt: [u8; 16] = b64(SALT).try_into().unwrap();
        let body = seal(
            &b64(ECDH_SECRET),
            &b64(UA_PUBLIC),
            &b64(AS_PUBLIC),
            &b64(AUTH),
            &salt,
            b"When I grow up, I want to be a watermelon",
        )
        .unwrap();
        assert_eq!(B64.encode(body), BODY);
    }

    /// docs/push-vectors.json: our own message, sealed from the vector's
    /// inputs, is the vector's body; its VAPID token verifies with its key
    /// and its signing input is the one the claims give.
    #[test]
    fn the_protocol_vector_is_what_the_code_makes() {
        let v: serde_json::Value =
            serde_json::from_str(include_str!("../../../docs/push-vectors.json")).unwrap();
        let m = &v["message"];
        let s = |key: &str| b64(m[key].as_str().unwrap());
        let salt: [u8; 16] = s("salt").try_into().unwrap();
        let body = seal(
            &s("ecdh_secret"),
            &s("ua_public"),
            &s("as_public"),
            &s("auth"),
            &salt,
            m["plaintext"].as_str().unwrap().as_bytes(),
        )
        .unwrap();
        assert_eq!(m["plaintext"], r#"{"v":1,"kind":"login"}"#);
        assert_eq!(B64.encode(body), m["body"].as_str().unwrap());

        let j = &v["vapid"];
        let t = |key: &str| j[key].as_str().unwrap();
        let input = jwt_signing_input(t("aud"), j["exp"].as_u64().unwrap(), t("sub"));
        assert_eq!(input, t("signing_input"));
        let (head, sig) = t("jwt").rsplit_once('.').unwrap();
        assert_eq!(head, input);
        Verifier::new(&ECDSA_P256_SHA256_FIXED, b64(t("public_key")))
            .verify(input.as_bytes(), &b64(sig))
            .unwrap();
        assert_eq!(
            t("authorization"),
            format!("vapid t={}, k={}", t("jwt"), t("public_key"))
        );
        // The vector's private key is the one its public key names, and
        // signs tokens that verify.
        let key = VapidKey::from_pkcs8(&b64(t("private_key_pkcs8"))).unwrap();
        assert_eq!(key.public_b64(), t("public_key"));
    }

    /// RFC 8292 section 2.4: the example's claims give exactly its signing
    /// input, and its signature verifies with its key.
    #[test]
    fn the_rfc_8292_example_token_verifies() {
        let input = jwt_signing_input(
            "https://push.example.net",
            1_453_523_768,
            "mailto:push@example.com",
        );
        assert_eq!(
            input,
            "eyJ0eXAiOiJKV1QiLCJhbGciOiJFUzI1NiJ9.eyJhdWQiOiJodHRwczovL3B1c2guZXhhbXBsZS5uZXQiLCJleHAiOjE0NTM1MjM3NjgsInN1YiI6Im1haWx0bzpwdXNoQGV4YW1wbGUuY29tIn0"
        );
        let sig = "i3CYb7t4xfxCDquptFOepC9GAu_HLGkMlMuCGSK2rpiUfnK9ojFwDXb1JrErtmysazNjjvW2L9OkSSHzvoD1oA";
        let k = "BA1Hxzyi1RUM1b5wjxsn7nGxAszw2u61m164i3MrAIxHF6YK5h4SDYic-dRuU_RCPCfA5aq9ojSwk5Y2EmClBPs";
        Verifier::new(&ECDSA_P256_SHA256_FIXED, b64(k))
            .verify(input.as_bytes(), &b64(sig))
            .unwrap();
    }

    /// Our own tokens: the header's form, a signature that verifies with
    /// the key named in `k`.
    #[test]
    fn our_tokens_verify_with_our_key() {
        let rng = SystemRandom::new();
        let (key, pkcs8) = VapidKey::generate(&rng).unwrap();
        assert_eq!(
            VapidKey::from_pkcs8(&pkcs8).unwrap().public_b64(),
            key.public_b64()
        );
        let header = key
            .authorization("http://127.0.0.1:9", 1_800_000_000, "mailto:a@b.c", &rng)
            .unwrap();
        let rest = header.strip_prefix("vapid t=").unwrap();
        let (jwt, k) = rest.split_once(", k=").unwrap();
        assert_eq!(b64(k).len(), POINT_LEN);
        let (input, sig) = jwt.rsplit_once('.').unwrap();
        Verifier::new(&ECDSA_P256_SHA256_FIXED, b64(k))
            .verify(input.as_bytes(), &b64(sig))
            .unwrap();
    }

    /// Keys of the wrong size or off the curve are refused; a fresh message
    /// differs every time (new sender key and salt).
    #[test]
    fn bad_keys_are_refused_and_messages_are_fresh() {
        let rng = SystemRandom::new();
        let ua = b64(UA_PUBLIC);
        let auth = b64(AUTH);
        assert_eq!(check_keys(&ua[..64], &auth), Err(WebPushError::P256dh));
        let mut off_curve = ua.clone();
        off_curve[64] ^= 1;
        assert_eq!(check_keys(&off_curve, &auth), Err(WebPushError::P256dh));
        assert_eq!(check_keys(&ua, &auth[..15]), Err(WebPushError::Auth));
        check_keys(&ua, &auth).unwrap();
        let one = encrypt(&ua, &auth, b"x", &rng).unwrap();
        let two = encrypt(&ua, &auth, b"x", &rng).unwrap();
        assert_ne!(one[..16], two[..16], "salt");
        assert_ne!(one[21..86], two[21..86], "sender key");
        assert_eq!(one[16..20], 4096u32.to_be_bytes());
        assert_eq!(one.len(), 86 + 1 + 1 + 16);
        assert_eq!(
            encrypt(&ua, &auth, &[0; MAX_PLAINTEXT + 1], &rng),
            Err(WebPushError::TooLong)
        );
    }
}
