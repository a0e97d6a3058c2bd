//! 2FAS Authenticator's backup: a JSON file (`.2fas`, or `.json` from 2FAS
//! 3.x) `{schemaVersion, services: [...], ...}`, schema versions 1 to 4
//! (<https://github.com/twofas/2fas-android>, `data/backup`; the iOS app
//! writes the same).
//!
//! - Plain: `services` holds the entries, each `{name, secret, otp: {account,
//!   label, issuer, digits, period, algorithm, counter, tokenType, source,
//!   link}}`. Schemas 1 and 2 have no `tokenType`: every entry is TOTP.
//! - Encrypted: `services` is empty and `servicesEncrypted` is
//!   `data:salt:iv`, each Base64: AES-256-GCM (ciphertext then tag) under a
//!   PBKDF2-HMAC-SHA256 key of 10 000 iterations, of the `services` array's
//!   JSON. `reference`, in the same form under the same password, seals a
//!   known text: it tells a wrong password from a damaged file.
//!
//! TOTP, HOTP and Steam entries are read; other kinds and hashes (SHA-384)
//! are left out with the reason, as is an entry whose secret is missing.

use serde_json::{Map, Value};
use zeroize::Zeroizing;

use super::crypto::{self, GCM_NONCE_LEN, Prf, SecretJson};
use super::{Detected, Entry, EntrySecret, Format, Imported, Input, Limits, SkipReason, Skipped};
use crate::error::{Error, Result};

const FORMAT: Format = Format::TwoFas;

/// The newest schema read.
const MAX_SCHEMA: u64 = 4;
/// 2FAS's fixed PBKDF2 iteration count (the file does not say it).
const ITERATIONS: u64 = 10_000;

/// A 2FAS backup: a JSON object with a numeric `schemaVersion` and either
/// `services` or `servicesEncrypted` (or text that was one before it was cut
/// off).
pub(crate) fn detect(input: &Input) -> Option<Detected> {
    if crypto::broken_json_with(input, &["schemaVersion", "services"]) {
        return Some(Detected {
            format: FORMAT,
            encrypted: false,
        });
    }
    let root = input.json.as_ref()?.as_object()?;
    root.get("schemaVersion")?.as_u64()?;
    let encrypted = root
        .get("servicesEncrypted")
        .and_then(Value::as_str)
        .is_some_and(|s| !s.is_empty());
    if !encrypted && !root.get("services").is_some_and(Value::is_array) {
        return None;
    }
    Some(Detected {
        format: FORMAT,
        encrypted,
    })
}

/// Reads the backup, opening it with `password` when it is encrypted.
pub(crate) fn read(input: &Input, password: Option<&str>, _limits: &Limits) -> Result<Imported> {
    let root = input
        .json
        .as_ref()
        .and_then(Value::as_object)
        .ok_or_else(|| crypto::broken_json(FORMAT, input))?;
    let schema = root
        .get("schemaVersion")
        .and_then(Value::as_u64)
        .ok_or_else(|| Error::damaged(FORMAT, "schemaVersion: missing"))?;
    if schema > MAX_SCHEMA {
        return Err(Error::NewerVersion {
            format: FORMAT,
            version: schema.to_string(),
        });
    }
    match root
        .get("servicesEncrypted")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
    {
        None => {
            let services = root
                .get("services")
                .and_then(Value::as_array)
                .ok_or_else(|| Error::damaged(FORMAT, "services: missing"))?;
            Ok(read_services(services))
        }
        Some(sealed) => {
            let password = password.ok_or(Error::PasswordNeeded { format: FORMAT })?;
            let plaintext = open(root, sealed, password)?;
            let services = SecretJson::parse(FORMAT, "servicesEncrypted", &plaintext)?;
            let services = services
                .0
                .as_array()
                .ok_or_else(|| Error::damaged(FORMAT, "servicesEncrypted: not a list"))?;
            Ok(read_services(services))
        }
    }
}

/// A `data:salt:iv` value, decoded and checked; `field` names it.
struct Sealed {
    data: Zeroizing<Vec<u8>>,
    salt: Zeroizing<Vec<u8>>,
    iv: Zeroizing<Vec<u8>>,
}

impl Sealed {
    fn parse(field: &str, text: &str) -> Result<Sealed> {
        let mut parts = text.split(':');
        let (Some(data), Some(salt), Some(iv), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(Error::damaged(FORMAT, format!("{field}: not data:salt:iv")));
        };
        let sealed = Sealed {
            data: crypto::base64(FORMAT, &format!("{field} data"), data)?,
            salt: crypto::base64(FORMAT, &format!("{field} salt"), salt)?,
            iv: crypto::base64(FORMAT, &format!("{field} iv"), iv)?,
        };
        crypto::check_len(FORMAT, &format!("{field} iv"), &sealed.iv, GCM_NONCE_LEN)?;
        if sealed.salt.is_empty() {
            return Err(Error::damaged(FORMAT, format!("{field} salt: empty")));
        }
        if sealed.data.len() < crypto::TAG_LEN {
            return Err(Error::damaged(FORMAT, format!("{field} data: truncated")));
        }
        Ok(sealed)
    }

    /// The key of `password` for this value's salt.
    fn key(&self, password: &str) -> Result<Zeroizing<[u8; 32]>> {
        crypto::pbkdf2(
            FORMAT,
            "iterations",
            Prf::Sha256,
            ITERATIONS,
            &self.salt,
            password,
        )
    }

    fn open(&self, key: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        crypto::open_gcm(key, &self.iv, &self.data, b"")
    }
}

/// The `services` JSON of an encrypted backup. The `reference` (when there)
/// is opened first: if it opens, the password is right and a `services`
/// that does not is damage.
fn open(root: &Map<String, Value>, sealed: &str, password: &str) -> Result<Zeroizing<Vec<u8>>> {
    let services = Sealed::parse("servicesEncrypted", sealed)?;
    let key = services.key(password)?;
    let reference = root
        .get("reference")
        .and_then(Value::as_str)
        .filter(|r| !r.is_empty())
        .map(|r| Sealed::parse("reference", r))
        .transpose()?;
    if let Some(reference) = reference {
        let opened = if reference.salt == services.salt {
            reference.open(&*key)
        } else {
            reference.open(&*reference.key(password)?)
        };
        if opened.is_none() {
            return Err(Error::WrongPassword { format: FORMAT });
        }
        return services.open(&*key).ok_or_else(|| {
            Error::damaged(
                FORMAT,
                "servicesEncrypted: does not open with the password that opens the reference",
            )
        });
    }
    services
        .open(&*key)
        .ok_or(Error::WrongPassword { format: FORMAT })
}

/// Every service of the list.
fn read_services(services: &[Value]) -> Imported {
    let mut imported = Imported {
        format: FORMAT,
        accounts: Vec::new(),
        skipped: Vec::new(),
    };
    for service in services {
        match read_service(service) {
            Ok(account) => imported.accounts.push(account),
            Err(skipped) => imported.skipped.push(skipped),
        }
    }
    imported
}

/// One service. The issuer is `otp.issuer`, else the service's `name`; the
/// account name is `otp.account`, else `otp.label` (without an `issuer:`
/// prefix), else the label of `otp.link`.
fn read_service(service: &Value) -> std::result::Result<spse_otp::Account, Skipped> {
    let empty = Map::new();
    let otp = service
        .get("otp")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let text = |value: Option<&Value>| {
        value
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let link = text(otp.get("link"));
    let link_label = link.as_deref().map(super::uris::label_of);
    let issuer = text(otp.get("issuer"))
        .or_else(|| text(service.get("name")))
        .or_else(|| link_label.as_ref().and_then(|(issuer, _)| issuer.clone()));
    let name = text(otp.get("account"))
        .or_else(|| {
            text(otp.get("label")).map(|label| {
                match issuer
                    .as_deref()
                    .and_then(|i| label.strip_prefix(i)?.strip_prefix(':'))
                {
                    Some(rest) => rest.trim().to_owned(),
                    None => label,
                }
            })
        })
        .or_else(|| link_label.map(|(_, name)| name).filter(|n| !n.is_empty()))
        .unwrap_or_default();
    let skip = |reason| Skipped {
        issuer: issuer.clone(),
        name: name.clone(),
        reason,
    };
    let kind = text(otp.get("tokenType")).unwrap_or_else(|| "TOTP".into());
    if !matches!(
        kind.to_ascii_uppercase().as_str(),
        "TOTP" | "HOTP" | "STEAM"
    ) {
        return Err(skip(SkipReason::UnsupportedType(kind)));
    }
    let secret = service
        .get("secret")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| skip(SkipReason::Invalid("secret: missing".into())))?;
    if secret.eq_ignore_ascii_case("[hidden]") {
        return Err(skip(SkipReason::Invalid(
            "secret: hidden by 2FAS (export the backup again with the secrets in it)".into(),
        )));
    }
    let number =
        |key: &str| crypto::entry_number(otp.get(key), &format!("otp.{key}")).map_err(skip);
    Entry {
        issuer: issuer.clone(),
        name: name.clone(),
        kind,
        algorithm: text(otp.get("algorithm")),
        digits: number("digits")?,
        period: number("period")?,
        counter: number("counter")?,
        secret: EntrySecret::Base32(Zeroizing::new(secret.to_owned())),
    }
    .build()
}
