//! Proton Authenticator's export (<https://github.com/protonpass/proton-pass-common>,
//! `proton-authenticator/src/entry/exporter.rs` and `password_exporter.rs`),
//! version 1:
//!
//! - plain: JSON `{version: 1, entries: [{id, content: {uri, entry_type, name}, note}]}`,
//!   each `uri` an `otpauth://` link or, for Steam, `steam://SECRET`;
//! - password-protected: JSON `{version: 1, salt, content}`: the key is
//!   Argon2id v1.3 (19 MiB, 2 passes, one lane, 32 bytes) of the password
//!   with the Base64 `salt`; `content` is Base64 of a 12-byte nonce then
//!   AES-256-GCM of the plain export, with the additional data
//!   `proton.authenticator.export.v1`. The Argon2 parameters are the
//!   format's, not the file's.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ring::aead;
use serde::Deserialize;
use serde_json::Value;
use spse_otp::Account;
use zeroize::Zeroizing;

use super::{
    Detected, Entry, EntrySecret, Format, Imported, Input, Limits, SkipReason, Skipped, from_uri,
    renamed,
};
use crate::error::{Error, Result};

/// The one version of the export there is.
const VERSION: u64 = 1;
/// The additional data every password-protected export is sealed with.
const AAD: &[u8] = b"proton.authenticator.export.v1";
/// Argon2id's memory, in KiB (19 MiB), as Proton derives every export key.
const ARGON2_MEMORY_KIB: u32 = 19 * 1024;
/// Argon2id's passes.
const ARGON2_PASSES: u32 = 2;
/// AES-GCM's nonce, before the ciphertext.
const NONCE_LEN: usize = 12;
/// AES-GCM's tag, after the ciphertext.
const TAG_LEN: usize = 16;

/// The plain export (an object with `entries`), or the password-protected
/// one (`salt` and `content`, no `entries`).
pub(crate) fn detect(input: &Input) -> Option<Detected> {
    if let Some(json) = &input.json {
        let object = json.as_object()?;
        object.get("version")?;
        if let Some(entries) = object.get("entries") {
            let entries = entries.as_array()?;
            let ours = entries.is_empty()
                || entries
                    .iter()
                    .any(|e| e.get("content").and_then(|c| c.get("uri")).is_some());
            return ours.then_some(Detected {
                format: Format::Proton,
                encrypted: false,
            });
        }
        let sealed = object.get("salt").is_some_and(Value::is_string)
            && object.get("content").is_some_and(Value::is_string);
        return sealed.then_some(Detected {
            format: Format::Proton,
            encrypted: true,
        });
    }
    // Not JSON (cut short?) but plainly Proton's: `read` says it is damaged.
    let text = input.text?.trim_start();
    (text.starts_with('{') && text.contains("\"entries\"") && text.contains("\"entry_type\""))
        .then_some(Detected {
            format: Format::Proton,
            encrypted: false,
        })
}

/// Opens the export, with `password` when it is protected.
pub(crate) fn read(input: &Input, password: Option<&str>, limits: &Limits) -> Result<Imported> {
    let Some(json) = &input.json else {
        return Err(damaged(
            "the file is not valid JSON (cut short, or changed by hand)",
        ));
    };
    check_version(json.get("version"))?;
    if json.get("entries").is_some() {
        let text = input
            .text
            .ok_or_else(|| damaged("the file is not UTF-8 text"))?;
        let export: Export = serde_json::from_str(text).map_err(|e| {
            damaged(format!(
                "entries: not the export's layout (line {})",
                e.line()
            ))
        })?;
        return Ok(convert(export));
    }
    let password = password.ok_or(Error::PasswordNeeded {
        format: Format::Proton,
    })?;
    let plaintext = decrypt(json, password, limits)?;
    let export: Export = serde_json::from_slice(&plaintext)
        .map_err(|_| damaged("content: the opened export is not Proton's JSON"))?;
    check_version(export.version.clone().map(Value::Number).as_ref())?;
    Ok(convert(export))
}

/// A [`Error::Damaged`] of Proton Authenticator.
fn damaged(what: impl Into<String>) -> Error {
    Error::damaged(Format::Proton, what)
}

/// Refuses any `version` but 1: a newer one with [`Error::NewerVersion`].
fn check_version(version: Option<&Value>) -> Result<()> {
    match version {
        Some(Value::Number(n)) if n.as_u64() == Some(VERSION) => Ok(()),
        Some(Value::Number(n)) if n.as_u64().is_some_and(|v| v > VERSION) => {
            Err(Error::NewerVersion {
                format: Format::Proton,
                version: n.to_string(),
            })
        }
        Some(Value::Null) | None => Err(damaged("version: missing")),
        Some(_) => Err(damaged("version: not 1")),
    }
}

/// The plain export, as far as SPSE Auth reads it.
#[derive(Deserialize)]
struct Export {
    #[serde(default)]
    version: Option<serde_json::Number>,
    entries: Vec<ExportEntry>,
}

/// One entry; anything missing is reported on the entry, not the file.
#[derive(Deserialize)]
struct ExportEntry {
    #[serde(default)]
    content: Option<Content>,
}

/// An entry's content.
#[derive(Deserialize)]
struct Content {
    #[serde(default)]
    uri: Option<Zeroizing<String>>,
    #[serde(default)]
    name: Option<String>,
}

/// Every entry: an account, or why not.
fn convert(export: Export) -> Imported {
    let mut accounts = Vec::new();
    let mut skipped = Vec::new();
    for entry in export.entries {
        match convert_entry(entry) {
            Ok(account) => accounts.push(account),
            Err(skip) => skipped.push(skip),
        }
    }
    Imported {
        format: Format::Proton,
        accounts,
        skipped,
    }
}

/// One entry: its link read, the entry's `name` standing in for a link
/// without a label; `steam://SECRET` is a Steam account.
fn convert_entry(entry: ExportEntry) -> std::result::Result<Account, Skipped> {
    let content = entry.content.ok_or_else(|| Skipped {
        issuer: None,
        name: String::new(),
        reason: SkipReason::Invalid("content: missing".into()),
    })?;
    let name = content.name.unwrap_or_default();
    let Some(uri) = content.uri else {
        return Err(Skipped {
            issuer: None,
            name,
            reason: SkipReason::Invalid("content.uri: missing".into()),
        });
    };
    let uri = uri.trim();
    if let Some(secret) = strip_prefix_ignore_case(uri, "steam://") {
        return Entry {
            issuer: Some("Steam".into()),
            name,
            kind: "steam".into(),
            algorithm: None,
            digits: None,
            period: None,
            counter: None,
            secret: EntrySecret::Base32(Zeroizing::new(secret.to_owned())),
        }
        .build();
    }
    match from_uri(uri) {
        Ok(account) if account.name().is_empty() && !name.is_empty() => renamed(&account, name),
        Ok(account) => Ok(account),
        Err(skip) => Err(Skipped {
            issuer: skip.issuer,
            name,
            reason: skip.reason,
        }),
    }
}

/// `text` after `prefix`, matched in any case.
fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// The password-protected export opened: the plain export's JSON.
fn decrypt(json: &Value, password: &str, limits: &Limits) -> Result<Zeroizing<Vec<u8>>> {
    let salt = base64_field(json, "salt")?;
    if salt.len() < argon2::MIN_SALT_LEN {
        return Err(damaged(format!(
            "salt: {} bytes, fewer than Argon2's least ({})",
            salt.len(),
            argon2::MIN_SALT_LEN
        )));
    }
    let content = base64_field(json, "content")?;
    if content.len() < NONCE_LEN + TAG_LEN {
        return Err(damaged(format!(
            "content: {} bytes, shorter than a nonce and a tag",
            content.len()
        )));
    }
    limits.check_memory(Format::Proton, u64::from(ARGON2_MEMORY_KIB) * 1024)?;
    let params = argon2::Params::new(ARGON2_MEMORY_KIB, ARGON2_PASSES, 1, Some(32))
        .map_err(|e| damaged(format!("salt: {e}")))?;
    let mut key = Zeroizing::new([0u8; 32]);
    argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
        .hash_password_into(password.as_bytes(), &salt, key.as_mut())
        .map_err(|e| damaged(format!("salt: {e}")))?;

    let (nonce, sealed) = content.split_at(NONCE_LEN);
    let nonce = aead::Nonce::try_assume_unique_for_key(nonce)
        .map_err(|_| damaged("content: the nonce is not 12 bytes"))?;
    let key = aead::UnboundKey::new(&aead::AES_256_GCM, key.as_ref())
        .map(aead::LessSafeKey::new)
        .map_err(|_| damaged("salt: the derived key is not an AES-256 key"))?;
    let mut buffer = Zeroizing::new(sealed.to_vec());
    let len = key
        .open_in_place(nonce, aead::Aad::from(AAD), buffer.as_mut_slice())
        .map_err(|_| Error::WrongPassword {
            format: Format::Proton,
        })?
        .len();
    buffer.truncate(len);
    Ok(buffer)
}

/// The Base64 string `field`, decoded.
fn base64_field(json: &Value, field: &str) -> Result<Vec<u8>> {
    let text = json
        .get(field)
        .and_then(Value::as_str)
        .ok_or_else(|| damaged(format!("{field}: missing")))?;
    STANDARD
        .decode(text.trim())
        .map_err(|_| damaged(format!("{field}: not Base64")))
}
