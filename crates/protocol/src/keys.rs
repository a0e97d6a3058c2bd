//! Device keys: one ECDSA P-256 key pair per enrolled account (so two sites
//! cannot link one phone), the public half sent as SubjectPublicKeyInfo DER,
//! signatures as the fixed 64-byte `r || s`, all base64url without padding.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use ring::rand::SystemRandom;
use ring::signature::{
    ECDSA_P256_SHA256_FIXED, ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair,
    UnparsedPublicKey,
};
use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// The DER prefix of a P-256 SubjectPublicKeyInfo (RFC 5480): SEQUENCE,
/// AlgorithmIdentifier {id-ecPublicKey, prime256v1}, BIT STRING header. The
/// 65-byte uncompressed point follows.
const SPKI_PREFIX: [u8; 26] = [
    0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a,
    0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
];
/// SubjectPublicKeyInfo length: prefix and uncompressed point.
pub const SPKI_LEN: usize = 91;

/// The private key of one enrolled account's device identity.
///
/// Kept as its PKCS#8 document (what the vault stores), wiped on drop,
/// `Debug` redacted.
pub struct DeviceKey {
    pkcs8: Zeroizing<Vec<u8>>,
    pair: EcdsaKeyPair,
}

impl DeviceKey {
    /// A fresh key pair, made at enrollment.
    pub fn generate() -> Result<DeviceKey> {
        let rng = SystemRandom::new();
        let document = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng)
            .map_err(|_| Error::Random)?;
        DeviceKey::from_pkcs8(Zeroizing::new(document.as_ref().to_vec()))
    }

    /// Loads a key stored as PKCS#8 (v1 or v2, as ring writes it).
    pub fn from_pkcs8(pkcs8: Zeroizing<Vec<u8>>) -> Result<DeviceKey> {
        let rng = SystemRandom::new();
        let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &pkcs8, &rng)
            .map_err(|_| Error::BadPrivateKey)?;
        Ok(DeviceKey { pkcs8, pair })
    }

    /// The PKCS#8 document, for sealing in the vault; never for display.
    pub fn pkcs8(&self) -> &[u8] {
        &self.pkcs8
    }

    /// The public key as the protocol sends it: base64url of the SPKI DER.
    pub fn public_key(&self) -> String {
        let mut spki = Vec::with_capacity(SPKI_LEN);
        spki.extend_from_slice(&SPKI_PREFIX);
        spki.extend_from_slice(self.pair.public_key().as_ref());
        B64.encode(spki)
    }

    /// Signs `input` (a canonical signing input), returning base64url `r || s`.
    pub fn sign(&self, input: &str) -> Result<String> {
        let rng = SystemRandom::new();
        let signature = self
            .pair
            .sign(&rng, input.as_bytes())
            .map_err(|_| Error::Random)?;
        Ok(B64.encode(signature.as_ref()))
    }
}

impl fmt::Debug for DeviceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeviceKey")
            .field("public_key", &self.public_key())
            .field("private", &"[REDACTED]")
            .finish()
    }
}

/// A device's public key as the server stores it, checked once on receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey {
    point: Vec<u8>,
}

impl PublicKey {
    /// Reads base64url SPKI DER; refuses anything but an uncompressed P-256 key.
    pub fn parse(b64u: &str) -> Result<PublicKey> {
        let spki = B64.decode(b64u).map_err(|_| Error::BadPublicKey)?;
        if spki.len() != SPKI_LEN || spki[..SPKI_PREFIX.len()] != SPKI_PREFIX {
            return Err(Error::BadPublicKey);
        }
        let point = &spki[SPKI_PREFIX.len()..];
        // An uncompressed point; ring checks it is on the curve when verifying.
        if point[0] != 0x04 {
            return Err(Error::BadPublicKey);
        }
        Ok(PublicKey {
            point: point.to_vec(),
        })
    }

    /// Checks a base64url `r || s` signature over `input`.
    pub fn verify(&self, input: &str, signature_b64u: &str) -> Result<()> {
        let signature = B64
            .decode(signature_b64u)
            .map_err(|_| Error::BadSignature)?;
        if signature.len() != 64 {
            return Err(Error::BadSignature);
        }
        UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, &self.point)
            .verify(input.as_bytes(), &signature)
            .map_err(|_| Error::BadSignature)
    }
}
