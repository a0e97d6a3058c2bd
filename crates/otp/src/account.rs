//! An OTP account: who it is for, how its codes are made, and its secret.

use std::fmt;

use crate::error::{Error, Field, Result};
use crate::secret::Secret;

/// Longest issuer or account name accepted, in bytes: far above any real label,
/// low enough that a hostile QR cannot make the UI lay out a novel.
pub const MAX_NAME_LEN: usize = 256;

/// The HMAC hash (RFC 6238 section 1.2 allows SHA-1, SHA-256 and SHA-512).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Algorithm {
    /// HMAC-SHA-1, the default and what nearly every service uses.
    #[default]
    Sha1,
    /// HMAC-SHA-256.
    Sha256,
    /// HMAC-SHA-512.
    Sha512,
}

impl Algorithm {
    /// The name otpauth URIs use (`SHA1`, `SHA256`, `SHA512`).
    pub fn as_str(self) -> &'static str {
        match self {
            Algorithm::Sha1 => "SHA1",
            Algorithm::Sha256 => "SHA256",
            Algorithm::Sha512 => "SHA512",
        }
    }

    /// Reads an `algorithm=` value leniently: any case, with or without a dash
    /// (`sha-256`), with or without an `HMAC` prefix as some generators write it.
    pub fn parse(value: &str) -> Result<Algorithm> {
        let upper: String = value
            .trim()
            .chars()
            .filter(|c| *c != '-' && *c != '_')
            .collect::<String>()
            .to_ascii_uppercase();
        let name = upper.strip_prefix("HMAC").unwrap_or(&upper);
        match name {
            "SHA1" => Ok(Algorithm::Sha1),
            "SHA256" => Ok(Algorithm::Sha256),
            "SHA512" => Ok(Algorithm::Sha512),
            _ => Err(Error::unsupported(Field::Algorithm, value)),
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Time-based (RFC 6238) or counter-based (RFC 4226), with what each needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// TOTP: a new code every `period` seconds.
    Totp {
        /// The time step `X` of RFC 6238 section 4.1, in seconds, at least 1.
        period: u32,
    },
    /// HOTP: a new code each time the counter moves.
    Hotp {
        /// The moving factor `C` of RFC 4226 section 5.2.
        counter: u64,
    },
    /// Steam Guard: TOTP with HMAC-SHA-1 every 30 s, the truncated value
    /// written as [`STEAM_DIGITS`] characters of Steam's own alphabet instead
    /// of decimal digits (what Aegis, andOTP and 2FAS call `STEAM`).
    Steam,
}

impl Kind {
    /// `totp` or `hotp`, as in `otpauth://TYPE/`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Totp { .. } => "totp",
            Kind::Hotp { .. } => "hotp",
            Kind::Steam => "steam",
        }
    }

    /// The time step in seconds of a time-based kind; `None` for HOTP.
    pub fn period(self) -> Option<u32> {
        match self {
            Kind::Totp { period } => Some(period),
            Kind::Steam => Some(STEAM_PERIOD),
            Kind::Hotp { .. } => None,
        }
    }
}

/// The length of a Steam Guard code.
pub const STEAM_DIGITS: u8 = 5;
/// The time step of Steam Guard codes, in seconds.
pub const STEAM_PERIOD: u32 = 30;

/// The period nearly every TOTP service uses, and the default when a URI omits it.
pub const DEFAULT_PERIOD: u32 = 30;
/// The digit count nearly every service uses, and the default when a URI omits it.
pub const DEFAULT_DIGITS: u8 = 6;
/// The code lengths accepted: RFC 4226 section 5.3 asks for at least 6, and a
/// 31-bit truncated value has 10 digits at most.
pub const DIGITS: std::ops::RangeInclusive<u8> = 6..=10;

/// One account of an authenticator: labels, code parameters and the secret.
///
/// Built only through [`Account::new`], so every `Account` in the program has
/// valid parameters and can make codes without further checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    issuer: Option<String>,
    name: String,
    algorithm: Algorithm,
    digits: u8,
    kind: Kind,
    secret: Secret,
}

impl Account {
    /// Checks every parameter and makes the account.
    ///
    /// An empty `issuer` counts as none; `name` may be empty (some services
    /// leave the label blank) but neither may hold control characters or be
    /// longer than [`MAX_NAME_LEN`].
    pub fn new(
        issuer: Option<String>,
        name: String,
        algorithm: Algorithm,
        digits: u8,
        kind: Kind,
        secret: Secret,
    ) -> Result<Account> {
        let issuer = issuer.filter(|i| !i.is_empty());
        if let Some(issuer) = &issuer {
            check_name(Field::Issuer, issuer)?;
        }
        check_name(Field::Label, &name)?;
        if kind == Kind::Steam {
            if digits != STEAM_DIGITS {
                return Err(Error::OutOfRange {
                    field: Field::Digits,
                    value: digits.to_string(),
                    min: u64::from(STEAM_DIGITS),
                    max: u64::from(STEAM_DIGITS),
                });
            }
            if algorithm != Algorithm::Sha1 {
                return Err(Error::unsupported(Field::Algorithm, algorithm.as_str()));
            }
        } else if !DIGITS.contains(&digits) {
            return Err(Error::OutOfRange {
                field: Field::Digits,
                value: digits.to_string(),
                min: u64::from(*DIGITS.start()),
                max: u64::from(*DIGITS.end()),
            });
        }
        if let Kind::Totp { period: 0 } = kind {
            return Err(Error::OutOfRange {
                field: Field::Period,
                value: "0".into(),
                min: 1,
                max: u64::from(u32::MAX),
            });
        }
        Ok(Account {
            issuer,
            name,
            algorithm,
            digits,
            kind,
            secret,
        })
    }

    /// Who issued the account (the service or SPSE site name), if the QR said.
    pub fn issuer(&self) -> Option<&str> {
        self.issuer.as_deref()
    }

    /// The account name: for SPSE, the user ID (e.g. `PPK2`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Refuses an account about to be added whose issuer or name holds an
    /// invisible formatting character ([`Error::InvisibleCharacter`]): it
    /// could read as another account's name (F-14). Checked where accounts
    /// come in (a scan, a link, an import, a typed account), not when the
    /// vault reads its own: an account stored before this rule still opens.
    pub fn check_visible(&self) -> Result<()> {
        if let Some(issuer) = &self.issuer {
            check_visible(Field::Issuer, issuer)?;
        }
        check_visible(Field::Label, &self.name)
    }

    /// The HMAC hash.
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// Code length, within [`DIGITS`] ([`STEAM_DIGITS`] for Steam).
    pub fn digits(&self) -> u8 {
        self.digits
    }

    /// TOTP with its period, or HOTP with its counter.
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// The shared secret; see [`Secret`] for how it is kept.
    pub fn secret(&self) -> &Secret {
        &self.secret
    }

    /// The same HOTP account one counter step on (RFC 4226 §5.2: the counter
    /// moves on after each code shown), or `None` for TOTP. The counter
    /// stops at `u64::MAX` rather than wrapping back to codes already used.
    pub fn with_next_counter(&self) -> Option<Account> {
        let Kind::Hotp { counter } = self.kind else {
            return None;
        };
        Some(Account {
            kind: Kind::Hotp {
                counter: counter.saturating_add(1),
            },
            ..self.clone()
        })
    }
}

/// Refuses a name holding an invisible formatting character (a
/// text-direction override or isolate, a zero-width character): a
/// right-to-left override shows `\u{202E}moc.knab` as "bank.com" (F-14).
fn check_visible(field: Field, name: &str) -> Result<()> {
    if name.chars().any(spse_protocol::text::is_format) {
        return Err(Error::InvisibleCharacter { field });
    }
    Ok(())
}

/// Refuses names that are too long or hold control characters (a newline
/// would forge a line in a signed protocol message; others garble the screen).
fn check_name(field: Field, name: &str) -> Result<()> {
    if name.len() > MAX_NAME_LEN {
        return Err(Error::TooLong {
            field,
            max: MAX_NAME_LEN,
        });
    }
    if name.chars().any(char::is_control) {
        return Err(Error::ControlCharacter { field });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret() -> Secret {
        Secret::from_base32("JBSWY3DPEHPK3PXP").unwrap()
    }

    #[test]
    fn algorithm_names_are_read_leniently() {
        for (text, algorithm) in [
            ("SHA1", Algorithm::Sha1),
            ("sha1", Algorithm::Sha1),
            ("SHA-1", Algorithm::Sha1),
            ("HmacSHA256", Algorithm::Sha256),
            ("sha512", Algorithm::Sha512),
        ] {
            assert_eq!(Algorithm::parse(text), Ok(algorithm), "{text}");
        }
        assert_eq!(
            Algorithm::parse("MD5").unwrap_err().to_string(),
            "algorithm: unsupported value 'MD5'"
        );
        assert_eq!(
            Algorithm::parse("CANARYCANARYCANARY")
                .unwrap_err()
                .to_string(),
            "algorithm: unsupported value"
        );
    }

    #[test]
    fn parameters_are_checked() {
        let make = |digits, kind| {
            Account::new(None, "x".into(), Algorithm::Sha1, digits, kind, secret())
                .map(|_| ())
                .map_err(|e| e.to_string())
        };
        assert_eq!(make(6, Kind::Totp { period: 30 }), Ok(()));
        assert_eq!(make(10, Kind::Hotp { counter: 0 }), Ok(()));
        assert_eq!(
            make(5, Kind::Totp { period: 30 }),
            Err("digits: 5 is outside 6 to 10".into())
        );
        assert_eq!(
            make(11, Kind::Totp { period: 30 }),
            Err("digits: 11 is outside 6 to 10".into())
        );
        assert_eq!(
            make(6, Kind::Totp { period: 0 }),
            Err("period: 0 is outside 1 to 4294967295".into())
        );
    }

    /// A TOTP account named so, or the error's text.
    fn make(issuer: Option<&str>, name: &str) -> Result<Account, String> {
        Account::new(
            issuer.map(String::from),
            name.into(),
            Algorithm::Sha1,
            6,
            Kind::Totp { period: 30 },
            secret(),
        )
        .map_err(|e| e.to_string())
    }

    #[test]
    fn names_are_checked() {
        assert_eq!(
            make(None, "PPK2\nadmin").unwrap_err(),
            "label: contains a control character"
        );
        assert_eq!(
            make(Some("LPSE\u{7}"), "PPK2").unwrap_err(),
            "issuer: contains a control character"
        );
        assert_eq!(
            make(None, &"x".repeat(257)).unwrap_err(),
            "label: longer than 256 bytes"
        );
        assert_eq!(make(Some(""), "PPK2").unwrap().issuer(), None);
    }

    /// F-14 (test A5): names that would read as other names on screen are
    /// refused for new accounts, and still parse (a vault holding one opens).
    #[test]
    fn disguised_names_are_refused_for_new_accounts() {
        let make = |issuer: Option<&str>, name: &str| make(issuer, name).unwrap();
        for disguised in [
            "\u{202E}moc.knab",
            "PPK\u{200B}2",
            "\u{2066}LPSE\u{2069}",
            "\u{FEFF}PPK2",
        ] {
            assert_eq!(
                make(None, disguised)
                    .check_visible()
                    .unwrap_err()
                    .to_string(),
                "label: contains an invisible formatting character (text direction or zero width)",
                "{disguised:?}"
            );
        }
        assert_eq!(
            make(Some("\u{202E}buHtiG"), "alice")
                .check_visible()
                .unwrap_err()
                .to_string(),
            "issuer: contains an invisible formatting character (text direction or zero width)"
        );
        make(Some("LPSE Kabupaten Kudus"), "Ahmad Dahlan · PPK")
            .check_visible()
            .unwrap();
    }
}
