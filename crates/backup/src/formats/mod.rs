//! The export formats SPSE Auth reads, found from the content of the file
//! (never its name: Android's picker often gives none), and what they hold.
//!
//! Each module holds one app's formats: `detect` says whether the bytes are
//! its (and encrypted or not) without a password; `read` opens them.

use std::fmt;

use spse_otp::{Account, Algorithm, DEFAULT_DIGITS, DEFAULT_PERIOD, Kind, Payload, Secret};
use zeroize::Zeroizing;

use crate::error::{Error, Result};
pub(crate) use crate::format::{Detected, Format, Limits, MAX_FILE_LEN};

mod aegis;
mod andotp;
mod bitwarden;
mod crypto;
mod ente;
mod freeotp;
mod proton;
mod spse;
mod twofas;
mod uris;

/// What a file holds: the accounts to add (after the user saw them) and the
/// entries left out, each with why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    /// The format read.
    pub format: Format,
    /// The accounts, in the file's order.
    pub accounts: Vec<Account>,
    /// The entries that cannot be imported, in the file's order.
    pub skipped: Vec<Skipped>,
}

/// An entry of the file SPSE Auth cannot make codes for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// Its issuer, as the file gives it.
    pub issuer: Option<String>,
    /// Its account name, as the file gives it.
    pub name: String,
    /// Why it is left out.
    pub reason: SkipReason,
}

/// Why an entry is left out: said to the user beside its name.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SkipReason {
    /// A kind of code SPSE Auth does not make (`mOTP`, `Yandex`).
    UnsupportedType(String),
    /// A hash SPSE Auth does not make codes with (`SHA384`).
    UnsupportedAlgorithm(String),
    /// A parameter out of range or a secret that is not Base32, as
    /// `spse-otp` says it (field first, never the secret).
    Invalid(String),
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipReason::UnsupportedType(kind) => write!(f, "unsupported type: {kind}"),
            SkipReason::UnsupportedAlgorithm(name) => write!(f, "unsupported algorithm: {name}"),
            SkipReason::Invalid(why) => f.write_str(why),
        }
    }
}

/// A file as every format's `detect` and `read` look at it: the bytes, the
/// text when it is UTF-8 (a BOM dropped), and the JSON value when it is JSON.
pub(crate) struct Input<'a> {
    pub(crate) bytes: &'a [u8],
    pub(crate) text: Option<&'a str>,
    pub(crate) json: Option<serde_json::Value>,
}

impl<'a> Input<'a> {
    fn new(bytes: &'a [u8]) -> Input<'a> {
        let text = std::str::from_utf8(bytes)
            .ok()
            .map(|t| t.strip_prefix('\u{feff}').unwrap_or(t));
        let json = text
            .filter(|t| t.trim_start().starts_with(['{', '[']))
            .and_then(|t| serde_json::from_str(t).ok());
        Input { bytes, text, json }
    }
}

/// Which format `bytes` are in, and whether they need a password.
pub fn detect(bytes: &[u8]) -> Result<Detected> {
    if bytes.len() > MAX_FILE_LEN {
        return Err(Error::TooLarge { max: MAX_FILE_LEN });
    }
    let input = Input::new(bytes);
    DETECTORS
        .iter()
        .find_map(|detect| detect(&input))
        .ok_or(Error::Unrecognised)
}

/// Opens `bytes` (with `password` when encrypted) and returns what they hold.
pub fn read(bytes: &[u8], password: Option<&str>, limits: &Limits) -> Result<Imported> {
    let found = detect(bytes)?;
    if found.encrypted && password.is_none() {
        return Err(Error::PasswordNeeded {
            format: found.format,
        });
    }
    let input = Input::new(bytes);
    let imported = match found.format {
        Format::Aegis => aegis::read(&input, password, limits),
        Format::TwoFas => twofas::read(&input, password, limits),
        Format::Ente => ente::read(&input, password, limits),
        Format::Bitwarden => bitwarden::read(&input, password, limits),
        Format::Proton => proton::read(&input, password, limits),
        Format::AndOtp => andotp::read(&input, password, limits),
        Format::FreeOtpPlus | Format::FreeOtp => freeotp::read(&input, password, limits),
        Format::GoogleAuthenticator | Format::OtpauthList => uris::read(&input, found.format),
        Format::SpseBackup => Err(Error::Unsupported {
            format: Format::SpseBackup,
            what: "this is an SPSE Auth backup: restore it instead of importing it".into(),
        }),
    }?;
    Ok(refuse_disguised(imported))
}

/// Moves the accounts whose names hold invisible formatting characters
/// (which could make one read as another, F-14) to the skipped entries, as
/// a scan or a typed account refuses them.
fn refuse_disguised(imported: Imported) -> Imported {
    let Imported {
        format,
        accounts,
        mut skipped,
    } = imported;
    let mut kept = Vec::with_capacity(accounts.len());
    for account in accounts {
        match account.check_visible() {
            Ok(()) => kept.push(account),
            Err(e) => skipped.push(Skipped {
                issuer: account.issuer().map(str::to_owned),
                name: account.name().to_owned(),
                reason: SkipReason::Invalid(e.to_string()),
            }),
        }
    }
    Imported {
        format,
        accounts: kept,
        skipped,
    }
}

/// Every format's `detect`, most specific first: the JSON formats by their
/// keys, then the binary andOTP file, then text of links last (Aegis's and
/// Ente's plain exports are such text, told apart by their parameters).
const DETECTORS: &[fn(&Input) -> Option<Detected>] = &[
    spse::detect,
    aegis::detect,
    twofas::detect,
    ente::detect,
    proton::detect,
    bitwarden::detect,
    freeotp::detect,
    andotp::detect,
    uris::detect,
];

/// One entry as a format holds it, before `spse-otp` checks it.
pub(crate) struct Entry {
    pub(crate) issuer: Option<String>,
    pub(crate) name: String,
    /// `totp`, `hotp`, `steam`, or the format's own word for another kind.
    pub(crate) kind: String,
    pub(crate) algorithm: Option<String>,
    pub(crate) digits: Option<u64>,
    pub(crate) period: Option<u64>,
    pub(crate) counter: Option<u64>,
    pub(crate) secret: EntrySecret,
}

/// An entry's secret as the format stores it.
pub(crate) enum EntrySecret {
    /// Base32 text (padding, spaces and case are forgiven by `spse-otp`).
    Base32(Zeroizing<String>),
    /// Raw bytes.
    Bytes(Zeroizing<Vec<u8>>),
}

impl Entry {
    /// Checks the entry with `spse-otp`'s rules: an account, or why not.
    /// Missing digits and period take the defaults (Steam's are fixed).
    pub(crate) fn build(self) -> std::result::Result<Account, Skipped> {
        let skip = |reason| Skipped {
            issuer: self.issuer.clone().filter(|i| !i.is_empty()),
            name: self.name.clone(),
            reason,
        };
        let secret = match &self.secret {
            EntrySecret::Base32(text) => Secret::from_base32(text),
            EntrySecret::Bytes(bytes) => Secret::from_bytes(bytes.clone()),
        }
        .map_err(|e| skip(SkipReason::Invalid(e.to_string())))?;
        let algorithm = match self.algorithm.as_deref().filter(|a| !a.is_empty()) {
            None => Algorithm::Sha1,
            Some(name) => Algorithm::parse(name)
                .map_err(|_| skip(SkipReason::UnsupportedAlgorithm(name.to_owned())))?,
        };
        let kind_word = self.kind.to_ascii_lowercase();
        let (kind, digits) = match kind_word.as_str() {
            "totp" => {
                let period = self.period.unwrap_or(u64::from(DEFAULT_PERIOD));
                let period = u32::try_from(period).map_err(|_| {
                    skip(SkipReason::Invalid(format!(
                        "period: {period} is too large"
                    )))
                })?;
                (Kind::Totp { period }, self.digits)
            }
            "hotp" => (
                Kind::Hotp {
                    counter: self.counter.unwrap_or(0),
                },
                self.digits,
            ),
            "steam" => (Kind::Steam, Some(u64::from(spse_otp::STEAM_DIGITS))),
            _ => return Err(skip(SkipReason::UnsupportedType(self.kind.clone()))),
        };
        let digits = digits.unwrap_or(u64::from(DEFAULT_DIGITS));
        let digits = u8::try_from(digits).map_err(|_| {
            skip(SkipReason::Invalid(format!(
                "digits: {digits} is out of range"
            )))
        })?;
        Account::new(
            self.issuer.clone(),
            self.name.clone(),
            algorithm,
            digits,
            kind,
            secret,
        )
        .map_err(|e| skip(SkipReason::Invalid(e.to_string())))
    }
}

/// An `otpauth://` link of an export: an account, or why not, labelled with
/// what the link says when it cannot be read.
pub(crate) fn from_uri(uri: &str) -> std::result::Result<Account, Skipped> {
    match Payload::parse(uri) {
        Ok(Payload::Otpauth(account)) => Ok(account),
        Ok(_) => Err(Skipped {
            issuer: None,
            name: String::new(),
            reason: SkipReason::UnsupportedType("SPSE enrollment link".into()),
        }),
        Err(e) => Err(Skipped {
            issuer: None,
            name: String::new(),
            reason: SkipReason::Invalid(e.to_string()),
        }),
    }
}

/// `account` with `name` instead of its empty one (Bitwarden and Proton
/// keep the account name apart from the link, which may have none).
pub(crate) fn renamed(account: &Account, name: String) -> std::result::Result<Account, Skipped> {
    Account::new(
        account.issuer().map(str::to_owned),
        name.clone(),
        account.algorithm(),
        account.digits(),
        account.kind(),
        account.secret().clone(),
    )
    .map_err(|e| Skipped {
        issuer: account.issuer().map(str::to_owned),
        name,
        reason: SkipReason::Invalid(e.to_string()),
    })
}
