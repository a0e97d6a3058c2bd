//! Bitwarden's exports (<https://github.com/bitwarden/clients>,
//! `libs/importer` and `libs/tools/export`) and Bitwarden Authenticator's
//! (<https://github.com/bitwarden/authenticator-android>):
//!
//! - JSON `{encrypted: false, items: [{name, login: {username, totp}}]}`: the
//!   password manager's vault (items without a TOTP, cards, notes,
//!   identities, are not accounts and are passed over) and the
//!   authenticator's, where every item holds one;
//! - CSV with a `login_totp` column (and `name`, `login_username`), in any
//!   column order, blank lines between rows forgiven;
//! - the password-protected JSON `{encrypted: true, passwordProtected: true,
//!   salt, kdfType, kdfIterations, kdfMemory, kdfParallelism,
//!   encKeyValidation_DO_NOT_EDIT, data}`: the key is PBKDF2-SHA256
//!   (`kdfType` 0) of the password with the `salt` text as it is, or
//!   Argon2id (1) with SHA-256 of it, `kdfMemory` in MiB; HKDF-Expand
//!   (SHA-256) stretches it to an AES key (`enc`) and an HMAC key (`mac`);
//!   `data` is an EncString `2.iv|ciphertext|mac` (Base64 each):
//!   HMAC-SHA256 of iv and ciphertext, then AES-256-CBC with PKCS#7 of the
//!   plain JSON export;
//! - the account-restricted JSON (`encrypted: true` alone): sealed with the
//!   Bitwarden account's own key, which only Bitwarden has; refused with
//!   what to do instead.
//!
//! A `totp` value is an `otpauth://` link, Bitwarden's `steam://SECRET`, or
//! a bare Base32 secret (TOTP, SHA-1, 6 digits, 30 s). A link keeps its own
//! labels (the item's name standing in for an empty account name); for the
//! two others the item's name is the issuer and the login's username (or,
//! without one, the item's name) the account name.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockModeDecrypt, KeyIvInit};
use ring::{digest, hkdf, hmac, pbkdf2};
use serde::Deserialize;
use serde_json::Value;
use zeroize::Zeroizing;

use super::{
    Detected, Entry, EntrySecret, Format, Imported, Input, Limits, Skipped, from_uri, renamed,
};
use crate::error::{Error, Result};

/// The most PBKDF2 iterations a file may ask (Bitwarden's default is
/// 600 000, its settings allow up to 2 000 000): more would only make a
/// hostile file hang the app.
const MAX_PBKDF2_ITERATIONS: u64 = 10_000_000;
/// The most Argon2id passes (Bitwarden allows 2 to 10).
const MAX_ARGON2_PASSES: u64 = 64;
/// The most Argon2id lanes (Bitwarden allows 1 to 16).
const MAX_ARGON2_LANES: u64 = 16;

/// What the refusal of an account-restricted export says.
const ACCOUNT_RESTRICTED: &str = "this export is sealed with the Bitwarden account's own key, \
     which only Bitwarden can open: export the vault again choosing the \"Password protected\" \
     file type (or the unencrypted .json), then import that file";

/// Bitwarden's JSON (by its keys) or CSV (by its `login_totp` column).
pub(crate) fn detect(input: &Input) -> Option<Detected> {
    let found = |encrypted| {
        Some(Detected {
            format: Format::Bitwarden,
            encrypted,
        })
    };
    if let Some(json) = &input.json {
        let object = json.as_object()?;
        if object.get("passwordProtected") == Some(&Value::Bool(true)) {
            return found(true);
        }
        if object.get("encrypted") == Some(&Value::Bool(true))
            && (object.contains_key("encKeyValidation_DO_NOT_EDIT") || object.contains_key("items"))
        {
            // Account-restricted: no password opens it; `read` says why.
            return found(false);
        }
        let items = object.get("items")?.as_array()?;
        let ours = object.get("encrypted").is_some_and(Value::is_boolean)
            || items.iter().any(|item| item.get("login").is_some());
        return if ours { found(false) } else { None };
    }
    let text = input.text?;
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') {
        // Not JSON (cut short?) but plainly Bitwarden's: `read` says it is damaged.
        return if trimmed.contains("\"encKeyValidation_DO_NOT_EDIT\"") {
            found(trimmed.contains("\"passwordProtected\""))
        } else {
            None
        };
    }
    let header = trimmed.lines().next()?;
    header
        .split(',')
        .any(|column| column.trim().trim_matches('"') == "login_totp")
        .then_some(Detected {
            format: Format::Bitwarden,
            encrypted: false,
        })
}

/// Opens the export: the JSON (with `password` when protected) or the CSV.
pub(crate) fn read(input: &Input, password: Option<&str>, limits: &Limits) -> Result<Imported> {
    let text = input
        .text
        .ok_or_else(|| damaged("the file is not UTF-8 text"))?;
    let Some(json) = &input.json else {
        if text.trim_start().starts_with('{') {
            return Err(damaged(
                "the file is not valid JSON (cut short, or changed by hand)",
            ));
        }
        return read_csv(text);
    };
    if json.get("encrypted") != Some(&Value::Bool(true)) {
        let export: Export = serde_json::from_str(text).map_err(|e| {
            damaged(format!(
                "items: not the export's layout (line {})",
                e.line()
            ))
        })?;
        return Ok(convert(export));
    }
    if json.get("passwordProtected") != Some(&Value::Bool(true)) {
        return Err(Error::Unsupported {
            format: Format::Bitwarden,
            what: ACCOUNT_RESTRICTED.into(),
        });
    }
    let password = password.ok_or(Error::PasswordNeeded {
        format: Format::Bitwarden,
    })?;
    let plaintext = decrypt(json, password, limits)?;
    let export: Export = serde_json::from_slice(&plaintext)
        .map_err(|_| damaged("data: the opened export is not Bitwarden's JSON"))?;
    Ok(convert(export))
}

/// A [`Error::Damaged`] of Bitwarden.
fn damaged(what: impl Into<String>) -> Error {
    Error::damaged(Format::Bitwarden, what)
}

/// The JSON export, as far as SPSE Auth reads it.
#[derive(Deserialize)]
struct Export {
    #[serde(default)]
    items: Vec<Item>,
}

/// One item of the vault.
#[derive(Deserialize)]
struct Item {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    login: Option<Login>,
}

/// An item's login.
#[derive(Deserialize)]
struct Login {
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    totp: Option<Zeroizing<String>>,
}

/// Every item with a TOTP: an account, or why not.
fn convert(export: Export) -> Imported {
    let mut imported = Imported {
        format: Format::Bitwarden,
        accounts: Vec::new(),
        skipped: Vec::new(),
    };
    for item in export.items {
        let Some(login) = item.login else { continue };
        let Some(totp) = login.totp else { continue };
        let name = item.name.unwrap_or_default();
        push(&mut imported, &name, login.username.as_deref(), &totp);
    }
    imported
}

/// The CSV export: every row with a `login_totp`.
fn read_csv(text: &str) -> Result<Imported> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|_| damaged("line 1: not a CSV header"))?
        .clone();
    let column = |name: &str| headers.iter().position(|h| h.trim() == name);
    let totp_column = column("login_totp").ok_or_else(|| damaged("login_totp: no such column"))?;
    let name_column = column("name");
    let username_column = column("login_username");
    let mut imported = Imported {
        format: Format::Bitwarden,
        accounts: Vec::new(),
        skipped: Vec::new(),
    };
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, csv::Position::line);
            damaged(format!("line {line}: not valid CSV"))
        })?;
        let Some(totp) = record.get(totp_column) else {
            continue;
        };
        let field = |column: Option<usize>| column.and_then(|c| record.get(c));
        let name = field(name_column).unwrap_or("");
        push(&mut imported, name, field(username_column), totp);
    }
    Ok(imported)
}

/// Adds the item `name` of `username` with the TOTP value `totp`, or why
/// not; an empty value is no TOTP at all.
fn push(imported: &mut Imported, name: &str, username: Option<&str>, totp: &str) {
    let totp = totp.trim();
    if totp.is_empty() {
        return;
    }
    let name = name.trim();
    let account_name = username
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .unwrap_or(name);
    let built = if starts_with_ignore_case(totp, "otpauth://") {
        match from_uri(totp) {
            Ok(account) if account.name().is_empty() && !name.is_empty() => {
                renamed(&account, name.to_owned())
            }
            Ok(account) => Ok(account),
            Err(skip) => Err(Skipped {
                issuer: Some(name.to_owned()).filter(|n| !n.is_empty()),
                name: account_name.to_owned(),
                reason: skip.reason,
            }),
        }
    } else {
        let (kind, secret) = match totp.get(..8) {
            Some(scheme) if scheme.eq_ignore_ascii_case("steam://") => ("steam", &totp[8..]),
            _ => ("totp", totp),
        };
        Entry {
            issuer: Some(name.to_owned()),
            name: account_name.to_owned(),
            kind: kind.into(),
            algorithm: None,
            digits: None,
            period: None,
            counter: None,
            secret: EntrySecret::Base32(Zeroizing::new(secret.to_owned())),
        }
        .build()
    };
    match built {
        Ok(account) => imported.accounts.push(account),
        Err(skip) => imported.skipped.push(skip),
    }
}

/// Whether `text` starts with `prefix`, in any case.
fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

/// An EncString of type 2 (`2.iv|ciphertext|mac`), decoded.
struct EncString {
    iv: [u8; 16],
    ciphertext: Vec<u8>,
    mac: Vec<u8>,
}

impl EncString {
    /// Reads the EncString `field`.
    fn parse(json: &Value, field: &str) -> Result<EncString> {
        let text = json
            .get(field)
            .and_then(Value::as_str)
            .ok_or_else(|| damaged(format!("{field}: missing")))?;
        let (kind, rest) = text
            .split_once('.')
            .ok_or_else(|| damaged(format!("{field}: not an EncString")))?;
        if kind != "2" {
            return Err(Error::Unsupported {
                format: Format::Bitwarden,
                what: format!(
                    "{field}: encryption type {kind} is not the AES-CBC with HMAC (type 2) of \
                     password-protected exports"
                ),
            });
        }
        let mut parts = rest.split('|');
        let mut part = |what: &str| -> Result<Vec<u8>> {
            let text = parts
                .next()
                .ok_or_else(|| damaged(format!("{field}: no {what}")))?;
            STANDARD
                .decode(text.trim())
                .map_err(|_| damaged(format!("{field}: the {what} is not Base64")))
        };
        let iv = part("iv")?;
        let ciphertext = part("ciphertext")?;
        let mac = part("mac")?;
        let iv: [u8; 16] = iv
            .as_slice()
            .try_into()
            .map_err(|_| damaged(format!("{field}: the iv is {} bytes, not 16", iv.len())))?;
        if ciphertext.is_empty() || !ciphertext.len().is_multiple_of(16) {
            return Err(damaged(format!(
                "{field}: the ciphertext is {} bytes, not whole AES blocks",
                ciphertext.len()
            )));
        }
        if mac.len() != 32 {
            return Err(damaged(format!(
                "{field}: the mac is {} bytes, not 32",
                mac.len()
            )));
        }
        Ok(EncString {
            iv,
            ciphertext,
            mac,
        })
    }

    /// Checks the MAC with `mac_key`, then decrypts with `enc_key`; `None`
    /// when either fails (another key, or changed bytes).
    fn open(&self, enc_key: &[u8; 32], mac_key: &[u8; 32]) -> Option<Zeroizing<Vec<u8>>> {
        let key = hmac::Key::new(hmac::HMAC_SHA256, mac_key);
        let mut signed = Vec::with_capacity(16 + self.ciphertext.len());
        signed.extend_from_slice(&self.iv);
        signed.extend_from_slice(&self.ciphertext);
        hmac::verify(&key, &signed, &self.mac).ok()?;
        let mut buffer = Zeroizing::new(self.ciphertext.clone());
        let len = cbc::Decryptor::<aes::Aes256>::new_from_slices(enc_key, &self.iv)
            .ok()?
            .decrypt_padded::<Pkcs7>(buffer.as_mut_slice())
            .ok()?
            .len();
        buffer.truncate(len);
        Some(buffer)
    }
}

/// HKDF-Expand's output length, for ring.
struct Len32;

impl hkdf::KeyType for Len32 {
    fn len(&self) -> usize {
        32
    }
}

/// The password-protected export opened: the plain JSON export. Every KDF
/// parameter is checked before the key is derived, the memory against
/// `limits` first.
fn decrypt(json: &Value, password: &str, limits: &Limits) -> Result<Zeroizing<Vec<u8>>> {
    let salt = json
        .get("salt")
        .and_then(Value::as_str)
        .filter(|salt| !salt.is_empty())
        .ok_or_else(|| damaged("salt: missing"))?;
    let number = |field: &str| -> Result<Option<u64>> {
        match json.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => value
                .as_u64()
                .map(Some)
                .ok_or_else(|| damaged(format!("{field}: not a whole number"))),
        }
    };
    let kdf_type = number("kdfType")?.ok_or_else(|| damaged("kdfType: missing"))?;
    let iterations = number("kdfIterations")?.ok_or_else(|| damaged("kdfIterations: missing"))?;
    let validation = match json.get("encKeyValidation_DO_NOT_EDIT") {
        Some(_) => Some(EncString::parse(json, "encKeyValidation_DO_NOT_EDIT")?),
        None => None,
    };
    let data = EncString::parse(json, "data")?;

    let mut key = Zeroizing::new([0u8; 32]);
    match kdf_type {
        0 => {
            let iterations = u32::try_from(iterations)
                .ok()
                .filter(|n| u64::from(*n) <= MAX_PBKDF2_ITERATIONS)
                .and_then(std::num::NonZeroU32::new)
                .ok_or_else(|| {
                    out_of_range("kdfIterations", iterations, 1, MAX_PBKDF2_ITERATIONS)
                })?;
            pbkdf2::derive(
                pbkdf2::PBKDF2_HMAC_SHA256,
                iterations,
                salt.as_bytes(),
                password.as_bytes(),
                key.as_mut(),
            );
        }
        1 => {
            let memory_mib = number("kdfMemory")?.ok_or_else(|| damaged("kdfMemory: missing"))?;
            let lanes =
                number("kdfParallelism")?.ok_or_else(|| damaged("kdfParallelism: missing"))?;
            if !(1..=MAX_ARGON2_PASSES).contains(&iterations) {
                return Err(out_of_range(
                    "kdfIterations",
                    iterations,
                    1,
                    MAX_ARGON2_PASSES,
                ));
            }
            if !(1..=MAX_ARGON2_LANES).contains(&lanes) {
                return Err(out_of_range("kdfParallelism", lanes, 1, MAX_ARGON2_LANES));
            }
            let too_large = || out_of_range("kdfMemory", memory_mib, 1, 4 * 1024 * 1024);
            let memory_bytes = memory_mib
                .checked_mul(1024 * 1024)
                .filter(|_| memory_mib >= 1)
                .ok_or_else(too_large)?;
            limits.check_memory(Format::Bitwarden, memory_bytes)?;
            let memory_kib = u32::try_from(memory_mib * 1024).map_err(|_| too_large())?;
            let params = argon2::Params::new(
                memory_kib,
                u32::try_from(iterations).unwrap_or(1),
                u32::try_from(lanes).unwrap_or(1),
                Some(32),
            )
            .map_err(|e| damaged(format!("kdfMemory, kdfIterations, kdfParallelism: {e}")))?;
            let salt_hash = digest::digest(&digest::SHA256, salt.as_bytes());
            argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
                .hash_password_into(password.as_bytes(), salt_hash.as_ref(), key.as_mut())
                .map_err(|e| damaged(format!("kdfMemory, kdfIterations, kdfParallelism: {e}")))?;
        }
        other => {
            return Err(Error::Unsupported {
                format: Format::Bitwarden,
                what: format!(
                    "kdfType: {other} is not a key derivation Bitwarden uses (0 PBKDF2, 1 Argon2id)"
                ),
            });
        }
    }

    let prk = hkdf::Prk::new_less_safe(hkdf::HKDF_SHA256, key.as_ref());
    let expand = |info: &[u8]| -> Result<Zeroizing<[u8; 32]>> {
        let mut out = Zeroizing::new([0u8; 32]);
        prk.expand(&[info], Len32)
            .and_then(|okm| okm.fill(out.as_mut()))
            .map_err(|_| damaged("salt: the key could not be stretched"))?;
        Ok(out)
    };
    let enc_key = expand(b"enc")?;
    let mac_key = expand(b"mac")?;
    let wrong = || Error::WrongPassword {
        format: Format::Bitwarden,
    };
    if let Some(validation) = validation {
        validation.open(&enc_key, &mac_key).ok_or_else(wrong)?;
        // The password is right: a `data` that does not open was changed.
        return data.open(&enc_key, &mac_key).ok_or_else(|| {
            damaged("data: changed after the export was sealed (its MAC does not match)")
        });
    }
    data.open(&enc_key, &mac_key).ok_or_else(wrong)
}

/// A KDF parameter of the file out of the range this reader derives with.
fn out_of_range(field: &str, value: u64, min: u64, max: u64) -> Error {
    Error::Unsupported {
        format: Format::Bitwarden,
        what: format!(
            "{field}: {value} is outside {min} to {max}: no Bitwarden export asks that, and \
             deriving with it could hang the app"
        ),
    }
}
