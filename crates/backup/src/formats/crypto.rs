//! The sealing the importers of Aegis, 2FAS and andOTP share: AES-256-GCM
//! (NIST SP 800-38D) opened with `ring`, PBKDF2 (RFC 8018 section 5.2) with a
//! bounded iteration count, the hex and Base64 the files write their
//! parameters in, and the lenient reading of the JSON numbers their entries
//! hold.
//!
//! Every key and plaintext is returned in a [`Zeroizing`] buffer; nothing here
//! says why an opening failed beyond "it did not", which is all AES-GCM can say.

use std::num::NonZeroU32;

use base64::Engine;
use ring::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use zeroize::Zeroizing;

use super::{Format, SkipReason};
use crate::error::{Error, Result};

/// The AES-GCM tag length every format here uses (128 bits).
pub(crate) const TAG_LEN: usize = 16;

/// The GCM nonce length every format here uses (96 bits).
pub(crate) const GCM_NONCE_LEN: usize = NONCE_LEN;

/// The most PBKDF2 iterations a file may ask for: andOTP picks 140 000 to
/// 160 000 and 2FAS 10 000; ten million already takes seconds on a phone, and
/// more is a file made to hang the app.
pub(crate) const MAX_PBKDF2_ITERATIONS: u32 = 10_000_000;

/// Opens `sealed` (ciphertext then the 16-byte tag) with the 256-bit `key`:
/// the plaintext, or `None` when the key is wrong or the data was changed
/// (or a length is not AES-GCM's).
pub(crate) fn open_gcm(
    key: &[u8],
    nonce: &[u8],
    sealed: &[u8],
    aad: &[u8],
) -> Option<Zeroizing<Vec<u8>>> {
    if sealed.len() < TAG_LEN {
        return None;
    }
    let key = LessSafeKey::new(UnboundKey::new(&AES_256_GCM, key).ok()?);
    let nonce = Nonce::try_assume_unique_for_key(nonce).ok()?;
    let mut buffer = Zeroizing::new(sealed.to_vec());
    let len = key
        .open_in_place(nonce, Aad::from(aad), &mut buffer)
        .ok()?
        .len();
    buffer.truncate(len);
    Some(buffer)
}

/// Which HMAC a PBKDF2 derivation uses.
#[derive(Clone, Copy)]
pub(crate) enum Prf {
    /// HMAC-SHA-1 (andOTP).
    Sha1,
    /// HMAC-SHA-256 (2FAS).
    Sha256,
    /// HMAC-SHA-512 (FreeOTP 2).
    Sha512,
}

/// A 256-bit PBKDF2 key of `password` and `salt`, after checking the
/// iteration count (`field` names it in the error) against
/// [`MAX_PBKDF2_ITERATIONS`].
pub(crate) fn pbkdf2(
    format: Format,
    field: &str,
    prf: Prf,
    iterations: u64,
    salt: &[u8],
    password: &str,
) -> Result<Zeroizing<[u8; 32]>> {
    let iterations = u32::try_from(iterations)
        .ok()
        .filter(|i| *i <= MAX_PBKDF2_ITERATIONS)
        .and_then(NonZeroU32::new)
        .ok_or_else(|| {
            Error::damaged(
                format,
                format!("{field}: {iterations} iterations is outside 1 to {MAX_PBKDF2_ITERATIONS}"),
            )
        })?;
    let algorithm = match prf {
        Prf::Sha1 => ring::pbkdf2::PBKDF2_HMAC_SHA1,
        Prf::Sha256 => ring::pbkdf2::PBKDF2_HMAC_SHA256,
        Prf::Sha512 => ring::pbkdf2::PBKDF2_HMAC_SHA512,
    };
    let mut key = Zeroizing::new([0u8; 32]);
    ring::pbkdf2::derive(algorithm, iterations, salt, password.as_bytes(), &mut *key);
    Ok(key)
}

/// Hex text (either case) as bytes; `field` names it in the error.
pub(crate) fn hex(format: Format, field: &str, text: &str) -> Result<Zeroizing<Vec<u8>>> {
    let bad = || Error::damaged(format, format!("{field}: not hex"));
    let text = text.as_bytes();
    if !text.len().is_multiple_of(2) {
        return Err(bad());
    }
    let mut out = Zeroizing::new(Vec::with_capacity(text.len() / 2));
    for pair in text.chunks_exact(2) {
        let high = hex_digit(pair[0]).ok_or_else(bad)?;
        let low = hex_digit(pair[1]).ok_or_else(bad)?;
        out.push((high << 4) | low);
    }
    Ok(out)
}

/// One hex digit's value.
fn hex_digit(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

/// Standard Base64 (padding optional, as the apps write it) as bytes;
/// `field` names it in the error.
pub(crate) fn base64(format: Format, field: &str, text: &str) -> Result<Zeroizing<Vec<u8>>> {
    const ENGINE: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
    );
    let mut out = Zeroizing::new(Vec::with_capacity(text.len() * 3 / 4 + 3));
    ENGINE
        .decode_vec(text.trim(), &mut out)
        .map_err(|_| Error::damaged(format, format!("{field}: not Base64")))?;
    Ok(out)
}

/// A length check of a decoded parameter: `field` must be `len` bytes.
pub(crate) fn check_len(format: Format, field: &str, bytes: &[u8], len: usize) -> Result<()> {
    if bytes.len() != len {
        return Err(Error::damaged(
            format,
            format!("{field}: {} bytes where {len} are expected", bytes.len()),
        ));
    }
    Ok(())
}

/// A JSON document holding secrets (a decrypted vault): every string in it is
/// wiped when it is dropped. (`serde_json`'s own parse buffers are not ours
/// to wipe; the document that lives on is.)
pub(crate) struct SecretJson(pub(crate) serde_json::Value);

impl SecretJson {
    /// Parses decrypted `plaintext`; `what` names it in the error.
    pub(crate) fn parse(format: Format, what: &str, plaintext: &[u8]) -> Result<SecretJson> {
        serde_json::from_slice(plaintext)
            .map(SecretJson)
            .map_err(|e| {
                Error::damaged(
                    format,
                    format!(
                        "{what}: not JSON (line {}, column {})",
                        e.line(),
                        e.column()
                    ),
                )
            })
    }
}

impl Drop for SecretJson {
    fn drop(&mut self) {
        wipe(&mut self.0);
    }
}

/// Zeroes every string of `value`, in place.
fn wipe(value: &mut serde_json::Value) {
    use zeroize::Zeroize;
    match value {
        serde_json::Value::String(text) => text.zeroize(),
        serde_json::Value::Array(items) => items.iter_mut().for_each(wipe),
        serde_json::Value::Object(map) => map.values_mut().for_each(wipe),
        _ => {}
    }
}

/// A whole number of an entry (`digits`, `period`, `counter`): absent or
/// `null` is `None`; a number or a string of digits (some apps quote them)
/// is read; anything else is why the entry is left out.
pub(crate) fn entry_number(
    value: Option<&serde_json::Value>,
    field: &str,
) -> std::result::Result<Option<u64>, SkipReason> {
    let bad = || SkipReason::Invalid(format!("{field}: not a whole number"));
    match value {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::Number(n)) => n.as_u64().map(Some).ok_or_else(bad),
        Some(serde_json::Value::String(s)) => {
            let s = s.trim();
            if s.is_empty() {
                Ok(None)
            } else {
                s.parse().map(Some).map_err(|_| bad())
            }
        }
        Some(_) => Err(bad()),
    }
}

/// Whether `input` is not JSON but text starting like a JSON object and
/// holding every one of `keys` (quoted): a JSON export cut off or edited, to
/// be called damaged rather than unknown.
pub(crate) fn broken_json_with(input: &super::Input, keys: &[&str]) -> bool {
    broken_json_of(input, '{', keys)
}

/// [`broken_json_with`] for a document starting with `open` (`{` or `[`).
pub(crate) fn broken_json_of(input: &super::Input, open: char, keys: &[&str]) -> bool {
    input.json.is_none()
        && input.text.is_some_and(|text| {
            text.trim_start().starts_with(open)
                && keys.iter().all(|key| text.contains(&format!("\"{key}\"")))
        })
}

/// The [`Error::Damaged`] of a file [`broken_json_with`] found, saying where
/// the JSON breaks.
pub(crate) fn broken_json(format: Format, input: &super::Input) -> Error {
    let at = input
        .text
        .and_then(|text| serde_json::from_str::<serde::de::IgnoredAny>(text).err())
        .map(|e| format!(" (line {}, column {})", e.line(), e.column()))
        .unwrap_or_default();
    Error::damaged(
        format,
        format!("not valid JSON{at}: the file is cut off or was changed"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_reads_both_cases_and_refuses_junk() {
        assert_eq!(&*hex(Format::Aegis, "x", "00fFa1").unwrap(), &[0, 255, 161]);
        assert!(hex(Format::Aegis, "x", "0").is_err());
        assert!(hex(Format::Aegis, "x", "zz").is_err());
    }

    #[test]
    fn gcm_round_trip_and_wrong_key() {
        let key = [7u8; 32];
        let nonce = [1u8; 12];
        let sealing = LessSafeKey::new(UnboundKey::new(&AES_256_GCM, &key).unwrap());
        let mut data = b"hello".to_vec();
        sealing
            .seal_in_place_append_tag(
                Nonce::try_assume_unique_for_key(&nonce).unwrap(),
                Aad::empty(),
                &mut data,
            )
            .unwrap();
        assert_eq!(&*open_gcm(&key, &nonce, &data, b"").unwrap(), b"hello");
        assert!(open_gcm(&[8u8; 32], &nonce, &data, b"").is_none());
        assert!(open_gcm(&key, &nonce[..8], &data, b"").is_none());
        assert!(open_gcm(&key, &nonce, &data[..3], b"").is_none());
    }

    #[test]
    fn pbkdf2_refuses_hostile_counts() {
        for n in [0, u64::from(MAX_PBKDF2_ITERATIONS) + 1, u64::MAX] {
            let err = pbkdf2(Format::AndOtp, "iterations", Prf::Sha1, n, b"s", "p").unwrap_err();
            assert!(err.to_string().contains("iterations"), "{err}");
        }
    }
}
