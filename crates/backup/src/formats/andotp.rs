//! andOTP's backups (<https://github.com/andOTP/andOTP>, `BackupHelper` and
//! `EncryptionHelper`; the app is no longer maintained).
//!
//! - Plain: a JSON list of `{secret, issuer, label, digits, type, algorithm,
//!   period | counter, ...}` with Base32 secrets; `type` is `TOTP`, `HOTP`,
//!   `STEAM` or `MOTP`.
//! - Encrypted (`.json.aes`), the current form: a 4-byte big-endian PBKDF2
//!   iteration count, a 12-byte salt, a 12-byte nonce, then the AES-256-GCM
//!   ciphertext and tag of that JSON, under a 32-byte PBKDF2-HMAC-SHA1 key.
//! - Encrypted, the old form: a 12-byte nonce then ciphertext and tag, under
//!   the SHA-256 of the password.
//!
//! The encrypted file is random bytes with no signature, so it is claimed
//! only when nothing else is: not text, no known file signature, long enough
//! to hold a sealed list. With the password the current form is tried first,
//! then the old.

use serde_json::Value;
use zeroize::Zeroizing;

use super::crypto::{self, GCM_NONCE_LEN, MAX_PBKDF2_ITERATIONS, Prf, SecretJson, TAG_LEN};
use super::{
    Detected, Entry, EntrySecret, Format, Imported, Input, Limits, MAX_FILE_LEN, SkipReason,
    Skipped,
};
use crate::error::{Error, Result};

const FORMAT: Format = Format::AndOtp;

/// The current form's header: iterations, salt, nonce.
const ITERATIONS_LEN: usize = 4;
const SALT_LEN: usize = 12;
const HEADER_LEN: usize = ITERATIONS_LEN + SALT_LEN + GCM_NONCE_LEN;
/// The shortest sealed file: an old-form nonce, the tag and `[]`.
const MIN_SEALED_LEN: usize = GCM_NONCE_LEN + TAG_LEN + 2;

/// Signatures of binary files that are certainly not andOTP's.
const OTHER_SIGNATURES: &[&[u8]] = &[
    b"SQLite format 3\0",
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"PK\x03\x04",
    b"%PDF",
    b"\x1f\x8b",
    b"\xac\xed\x00\x05",
    b"RIFF",
    b"BM",
];

/// A plain backup (a JSON list of objects with `secret` and `type`, or text
/// that was one before it was cut off), or, as a last resort, bytes shaped
/// like an encrypted one.
pub(crate) fn detect(input: &Input) -> Option<Detected> {
    if crypto::broken_json_of(input, '[', &["secret", "type", "label"]) {
        return Some(Detected {
            format: FORMAT,
            encrypted: false,
        });
    }
    if let Some(json) = &input.json {
        let first = json.as_array()?.first()?.as_object()?;
        return (first.contains_key("secret") && first.contains_key("type")).then_some(Detected {
            format: FORMAT,
            encrypted: false,
        });
    }
    let bytes = input.bytes;
    let shaped = input.text.is_none()
        && (MIN_SEALED_LEN..=MAX_FILE_LEN).contains(&bytes.len())
        && !OTHER_SIGNATURES.iter().any(|sig| bytes.starts_with(sig));
    shaped.then_some(Detected {
        format: FORMAT,
        encrypted: true,
    })
}

/// Reads the backup, opening it with `password` when it is encrypted.
pub(crate) fn read(input: &Input, password: Option<&str>, _limits: &Limits) -> Result<Imported> {
    if let Some(json) = &input.json {
        let entries = json
            .as_array()
            .ok_or_else(|| Error::damaged(FORMAT, "not a JSON list"))?;
        return Ok(read_entries(entries));
    }
    if input.text.is_some() {
        return Err(crypto::broken_json(FORMAT, input));
    }
    let password = password.ok_or(Error::PasswordNeeded { format: FORMAT })?;
    let plaintext = open(input.bytes, password)?;
    let entries = SecretJson::parse(FORMAT, "the decrypted backup", &plaintext)?;
    let entries = entries
        .0
        .as_array()
        .ok_or_else(|| Error::damaged(FORMAT, "the decrypted backup: not a list"))?;
    Ok(read_entries(entries))
}

/// The JSON of an encrypted backup: the current form when its iteration
/// count is one andOTP could have written, else (or when that fails) the old.
fn open(bytes: &[u8], password: &str) -> Result<Zeroizing<Vec<u8>>> {
    if bytes.len() < MIN_SEALED_LEN {
        return Err(Error::damaged(
            FORMAT,
            "the file is too short to be a backup",
        ));
    }
    if let Some(plaintext) = open_current(bytes, password)? {
        return Ok(plaintext);
    }
    let mut key = Zeroizing::new([0u8; 32]);
    key.copy_from_slice(ring::digest::digest(&ring::digest::SHA256, password.as_bytes()).as_ref());
    let (nonce, sealed) = bytes.split_at(GCM_NONCE_LEN);
    crypto::open_gcm(&*key, nonce, sealed, b"").ok_or(Error::WrongPassword { format: FORMAT })
}

/// The current form: `None` when the header cannot be one (then the file may
/// be the old form) or the password does not open it.
fn open_current(bytes: &[u8], password: &str) -> Result<Option<Zeroizing<Vec<u8>>>> {
    if bytes.len() < HEADER_LEN + TAG_LEN + 2 {
        return Ok(None);
    }
    let (header, sealed) = bytes.split_at(HEADER_LEN);
    let (count, rest) = header.split_at(ITERATIONS_LEN);
    let (salt, nonce) = rest.split_at(SALT_LEN);
    let iterations = u32::from_be_bytes([count[0], count[1], count[2], count[3]]);
    // An old-form file starts with a random nonce: a count out of range is
    // one of those (or a hostile file), never a derivation to run.
    if iterations == 0 || iterations > MAX_PBKDF2_ITERATIONS {
        return Ok(None);
    }
    let key = crypto::pbkdf2(
        FORMAT,
        "iterations",
        Prf::Sha1,
        u64::from(iterations),
        salt,
        password,
    )?;
    Ok(crypto::open_gcm(&*key, nonce, sealed, b""))
}

/// Every entry of the list.
fn read_entries(entries: &[Value]) -> Imported {
    let mut imported = Imported {
        format: FORMAT,
        accounts: Vec::new(),
        skipped: Vec::new(),
    };
    for entry in entries {
        match read_entry(entry) {
            Ok(account) => imported.accounts.push(account),
            Err(skipped) => imported.skipped.push(skipped),
        }
    }
    imported
}

/// One entry. With an `issuer` field the `label` is the account name; old
/// backups without one write `Issuer - name` in the label.
fn read_entry(entry: &Value) -> std::result::Result<spse_otp::Account, Skipped> {
    let text = |key: &str| {
        entry
            .get(key)
            .and_then(Value::as_str)
            .map(str::trim)
            .unwrap_or("")
            .to_owned()
    };
    let label = text("label");
    let (issuer, name) = if entry.get("issuer").is_some() {
        (Some(text("issuer")).filter(|i| !i.is_empty()), label)
    } else {
        match label.split_once(" - ") {
            Some((issuer, name)) => (Some(issuer.to_owned()), name.to_owned()),
            None => (None, label),
        }
    };
    let skip = |reason| Skipped {
        issuer: issuer.clone(),
        name: name.clone(),
        reason,
    };
    let kind = text("type");
    if !matches!(
        kind.to_ascii_uppercase().as_str(),
        "TOTP" | "HOTP" | "STEAM"
    ) {
        return Err(skip(SkipReason::UnsupportedType(kind)));
    }
    let secret = Some(Zeroizing::new(text("secret")))
        .filter(|s| !s.is_empty())
        .ok_or_else(|| skip(SkipReason::Invalid("secret: missing".into())))?;
    let number = |key: &str| crypto::entry_number(entry.get(key), key).map_err(skip);
    Entry {
        issuer: issuer.clone(),
        name: name.clone(),
        kind,
        algorithm: Some(text("algorithm")).filter(|a| !a.is_empty()),
        digits: number("digits")?,
        period: number("period")?,
        counter: number("counter")?,
        secret: EntrySecret::Base32(secret),
    }
    .build()
}
