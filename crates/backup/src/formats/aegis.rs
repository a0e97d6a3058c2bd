//! Aegis Authenticator's vault export: a JSON file `{version, header, db}`
//! (<https://github.com/beemdevelopment/Aegis/blob/master/docs/vault.md>).
//!
//! - Plain: `header.slots` and `header.params` are `null` and `db` is the
//!   object `{version, entries: [...]}` (db versions 1 to 3).
//! - Encrypted: `db` is Base64 of the AES-256-GCM sealed `db` object, under a
//!   random master key (`header.params` holds its nonce and tag). Each
//!   `header.slots` entry seals that master key again; a password slot
//!   (`type` 1) derives its key with scrypt (`n`, `r`, `p`, `salt`) and holds
//!   the sealed master key in `key` with `key_params` nonce and tag.
//!
//! Entries of type `totp`, `hotp` and `steam` are read; `motp`, `yandex` and
//! any other kind are left out with the reason. Aegis's plain-text export is
//! a list of `otpauth://` links, read by [`super::uris`].

use serde_json::{Map, Value};
use zeroize::Zeroizing;

use super::crypto::{self, GCM_NONCE_LEN, SecretJson, TAG_LEN};
use super::{Detected, Entry, EntrySecret, Format, Imported, Input, Limits, SkipReason, Skipped};
use crate::error::{Error, Result};

const FORMAT: Format = Format::Aegis;

/// The newest vault file version (the top-level `version`) Aegis writes.
const MAX_VERSION: u64 = 1;
/// The newest `db.version` read (Aegis 3.x writes 3).
const MAX_DB_VERSION: u64 = 3;
/// The slot type of a password slot (0 is a raw key, 2 biometrics).
const PASSWORD_SLOT: u64 = 1;
/// At most this many password slots are tried: each costs a full scrypt, and
/// Aegis makes one.
const MAX_PASSWORD_SLOTS: usize = 4;
/// Largest scrypt cost accepted, `N` = 2^20 (Aegis uses 2^15).
const MAX_SCRYPT_LOG_N: u8 = 20;
/// Largest scrypt block size `r` accepted (Aegis uses 8).
const MAX_SCRYPT_R: u32 = 32;
/// Largest scrypt parallelism `p` accepted (Aegis uses 1): `p` multiplies the
/// time, and no one runs the lanes in parallel here.
const MAX_SCRYPT_P: u32 = 16;

/// An Aegis vault: a JSON object with a `header` object and a `db`, encrypted
/// when `db` is a string (or text that was one before it was cut off).
pub(crate) fn detect(input: &Input) -> Option<Detected> {
    if crypto::broken_json_with(input, &["header", "slots", "db"]) {
        return Some(Detected {
            format: FORMAT,
            encrypted: false,
        });
    }
    let root = input.json.as_ref()?.as_object()?;
    let header = root.get("header")?.as_object()?;
    if !header.contains_key("slots") {
        return None;
    }
    match root.get("db")? {
        Value::String(_) => Some(Detected {
            format: FORMAT,
            encrypted: true,
        }),
        Value::Object(db) if db.contains_key("entries") => Some(Detected {
            format: FORMAT,
            encrypted: false,
        }),
        _ => None,
    }
}

/// Reads the vault, opening it with `password` when it is encrypted.
pub(crate) fn read(input: &Input, password: Option<&str>, limits: &Limits) -> Result<Imported> {
    let root = input
        .json
        .as_ref()
        .and_then(Value::as_object)
        .ok_or_else(|| crypto::broken_json(FORMAT, input))?;
    match root.get("version").and_then(Value::as_u64) {
        Some(version) if version > MAX_VERSION => {
            return Err(Error::NewerVersion {
                format: FORMAT,
                version: version.to_string(),
            });
        }
        Some(_) => {}
        None => return Err(Error::damaged(FORMAT, "version: missing")),
    }
    match root.get("db") {
        Some(Value::Object(db)) => read_db(db),
        Some(Value::String(sealed)) => {
            let password = password.ok_or(Error::PasswordNeeded { format: FORMAT })?;
            let header = root
                .get("header")
                .and_then(Value::as_object)
                .ok_or_else(|| Error::damaged(FORMAT, "header: missing"))?;
            let master = master_key(header, password, limits)?;
            let plaintext = open_db(header, sealed, &master)?;
            let db = SecretJson::parse(FORMAT, "db", &plaintext)?;
            let db =
                db.0.as_object()
                    .ok_or_else(|| Error::damaged(FORMAT, "db: not a JSON object"))?;
            read_db(db)
        }
        _ => Err(Error::damaged(FORMAT, "db: missing")),
    }
}

/// The vault's master key, unsealed by the first password slot `password`
/// opens.
fn master_key(
    header: &Map<String, Value>,
    password: &str,
    limits: &Limits,
) -> Result<Zeroizing<Vec<u8>>> {
    let slots = header
        .get("slots")
        .and_then(Value::as_array)
        .ok_or_else(|| Error::damaged(FORMAT, "header.slots: missing"))?;
    let password_slots: Vec<&Map<String, Value>> = slots
        .iter()
        .filter_map(Value::as_object)
        .filter(|slot| slot.get("type").and_then(Value::as_u64) == Some(PASSWORD_SLOT))
        .take(MAX_PASSWORD_SLOTS)
        .collect();
    if password_slots.is_empty() {
        return Err(Error::Unsupported {
            format: FORMAT,
            what: "this vault has no password slot (it opens only with a key or a fingerprint): \
                   export it again from Aegis with a password"
                .into(),
        });
    }
    for slot in password_slots {
        if let Some(key) = open_slot(slot, password, limits)? {
            return Ok(key);
        }
    }
    Err(Error::WrongPassword { format: FORMAT })
}

/// One password slot: the master key, `None` when `password` is not this
/// slot's, or an error when the slot itself is broken or hostile.
fn open_slot(
    slot: &Map<String, Value>,
    password: &str,
    limits: &Limits,
) -> Result<Option<Zeroizing<Vec<u8>>>> {
    let field = |name: &str| -> Result<&str> {
        slot.get(name)
            .and_then(Value::as_str)
            .ok_or_else(|| Error::damaged(FORMAT, format!("header.slots.{name}: missing")))
    };
    let number = |name: &str| -> Result<u64> {
        slot.get(name)
            .and_then(Value::as_u64)
            .ok_or_else(|| Error::damaged(FORMAT, format!("header.slots.{name}: missing")))
    };
    let params = scrypt_params(number("n")?, number("r")?, number("p")?, limits)?;
    let salt = crypto::hex(FORMAT, "header.slots.salt", field("salt")?)?;
    let sealed_key = crypto::hex(FORMAT, "header.slots.key", field("key")?)?;
    crypto::check_len(FORMAT, "header.slots.key", &sealed_key, 32)?;
    let key_params = slot
        .get("key_params")
        .and_then(Value::as_object)
        .ok_or_else(|| Error::damaged(FORMAT, "header.slots.key_params: missing"))?;
    let (nonce, tag) = nonce_and_tag(key_params, "header.slots.key_params")?;

    let mut derived = Zeroizing::new([0u8; 32]);
    scrypt::scrypt(password.as_bytes(), &salt, &params, &mut *derived)
        .map_err(|_| Error::damaged(FORMAT, "header.slots: scrypt refused its parameters"))?;
    let mut sealed = Zeroizing::new(Vec::with_capacity(sealed_key.len() + TAG_LEN));
    sealed.extend_from_slice(&sealed_key);
    sealed.extend_from_slice(&tag);
    Ok(crypto::open_gcm(&*derived, &nonce, &sealed, b""))
}

/// scrypt's parameters from a slot, refused before any memory is taken when
/// they are not what Aegis writes or would take too long or too much memory.
fn scrypt_params(n: u64, r: u64, p: u64, limits: &Limits) -> Result<scrypt::Params> {
    if !n.is_power_of_two() || !(2..=1 << MAX_SCRYPT_LOG_N).contains(&n) {
        return Err(Error::damaged(
            FORMAT,
            format!("header.slots.n: {n} is not a power of two from 2 to 2^{MAX_SCRYPT_LOG_N}"),
        ));
    }
    let r = u32::try_from(r)
        .ok()
        .filter(|r| (1..=MAX_SCRYPT_R).contains(r))
        .ok_or_else(|| {
            Error::damaged(
                FORMAT,
                format!("header.slots.r: {r} is outside 1 to {MAX_SCRYPT_R}"),
            )
        })?;
    let p = u32::try_from(p)
        .ok()
        .filter(|p| (1..=MAX_SCRYPT_P).contains(p))
        .ok_or_else(|| {
            Error::damaged(
                FORMAT,
                format!("header.slots.p: {p} is outside 1 to {MAX_SCRYPT_P}"),
            )
        })?;
    // scrypt's memory: V is 128 * r * N bytes, B is 128 * r * p.
    let memory = 128 * u64::from(r) * (n + u64::from(p));
    limits.check_memory(FORMAT, memory)?;
    // n is a power of two within 2^20, so its log fits a u8.
    let log_n = n.trailing_zeros() as u8;
    scrypt::Params::new(log_n, r, p, 32)
        .map_err(|_| Error::damaged(FORMAT, "header.slots: scrypt refused its parameters"))
}

/// A `{nonce, tag}` object's two hex values, checked for AES-GCM's lengths.
fn nonce_and_tag(params: &Map<String, Value>, what: &str) -> Result<(Vec<u8>, Vec<u8>)> {
    let hex_field = |name: &str| -> Result<Zeroizing<Vec<u8>>> {
        let text = params
            .get(name)
            .and_then(Value::as_str)
            .ok_or_else(|| Error::damaged(FORMAT, format!("{what}.{name}: missing")))?;
        crypto::hex(FORMAT, &format!("{what}.{name}"), text)
    };
    let nonce = hex_field("nonce")?;
    crypto::check_len(FORMAT, &format!("{what}.nonce"), &nonce, GCM_NONCE_LEN)?;
    let tag = hex_field("tag")?;
    crypto::check_len(FORMAT, &format!("{what}.tag"), &tag, TAG_LEN)?;
    Ok((nonce.to_vec(), tag.to_vec()))
}

/// The `db` object's JSON text, opened with the master key.
fn open_db(header: &Map<String, Value>, sealed: &str, master: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    let params = header
        .get("params")
        .and_then(Value::as_object)
        .ok_or_else(|| Error::damaged(FORMAT, "header.params: missing"))?;
    let (nonce, tag) = nonce_and_tag(params, "header.params")?;
    let mut data = crypto::base64(FORMAT, "db", sealed)?;
    data.extend_from_slice(&tag);
    // The password opened a slot, so a failure here is the file, not the password.
    crypto::open_gcm(master, &nonce, &data, b"")
        .ok_or_else(|| Error::damaged(FORMAT, "db: does not open with the vault's key"))
}

/// The entries of a (plain or opened) `db` object.
fn read_db(db: &Map<String, Value>) -> Result<Imported> {
    match db.get("version").and_then(Value::as_u64) {
        Some(version) if version > MAX_DB_VERSION => {
            return Err(Error::NewerVersion {
                format: FORMAT,
                version: format!("db {version}"),
            });
        }
        Some(_) => {}
        None => return Err(Error::damaged(FORMAT, "db.version: missing")),
    }
    let entries = db
        .get("entries")
        .and_then(Value::as_array)
        .ok_or_else(|| Error::damaged(FORMAT, "db.entries: missing"))?;
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
    Ok(imported)
}

/// One vault entry: `{type, name, issuer, info: {secret, algo, digits,
/// period | counter}}`.
fn read_entry(entry: &Value) -> std::result::Result<spse_otp::Account, Skipped> {
    let text = |value: Option<&Value>| value.and_then(Value::as_str).unwrap_or("").to_owned();
    let name = text(entry.get("name"));
    let issuer = Some(text(entry.get("issuer"))).filter(|i| !i.is_empty());
    let skip = |reason| Skipped {
        issuer: issuer.clone(),
        name: name.clone(),
        reason,
    };
    let kind = text(entry.get("type"));
    if !matches!(kind.as_str(), "totp" | "hotp" | "steam") {
        // Before the secret and the hash: an mOTP entry's `MD5` is its kind's.
        return Err(skip(SkipReason::UnsupportedType(kind)));
    }
    let info = entry.get("info");
    let field = |key: &str| info.and_then(|i| i.get(key));
    let secret = field("secret")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| skip(SkipReason::Invalid("info.secret: missing".into())))?;
    let number = |key: &str| crypto::entry_number(field(key), &format!("info.{key}")).map_err(skip);
    Entry {
        issuer: issuer.clone(),
        name: name.clone(),
        kind,
        algorithm: field("algo").and_then(Value::as_str).map(str::to_owned),
        digits: number("digits")?,
        period: number("period")?,
        counter: number("counter")?,
        secret: EntrySecret::Base32(Zeroizing::new(secret.to_owned())),
    }
    .build()
}
