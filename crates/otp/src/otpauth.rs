//! `otpauth://` URIs: the Key Uri Format that Google Authenticator defined and
//! every authenticator reads, parsed as real QR codes write it.
//!
//! The URI is split by hand rather than by a URL parser because real codes
//! carry unencoded `#`, `:` and spaces in the label, which a URL parser would
//! take for a fragment or reject.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use zeroize::Zeroizing;

use crate::account::{
    Account, Algorithm, DEFAULT_DIGITS, DEFAULT_PERIOD, DIGITS, Kind, STEAM_DIGITS,
};
use crate::error::{Error, Field, Result};
use crate::secret::Secret;

/// What `format` percent-encodes: everything but RFC 3986 unreserved characters.
const ENCODE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

const SCHEME: &str = "otpauth://";

/// An `otpauth://` URI once read: the account, plus the two SPSE parameters
/// when the URI carries them (the caller decides what they mean).
pub(crate) struct Uri {
    pub(crate) account: Account,
    pub(crate) spse: Option<String>,
    pub(crate) enroll: Option<Zeroizing<String>>,
}

/// Whether `text` starts with the `otpauth://` scheme, in any case.
pub(crate) fn has_scheme(text: &str) -> bool {
    text.get(..SCHEME.len())
        .is_some_and(|s| s.eq_ignore_ascii_case(SCHEME))
}

/// The raw (still percent-encoded) query parameters this parser knows, each
/// seen at most once.
#[derive(Default)]
struct Params<'a> {
    secret: Option<&'a str>,
    issuer: Option<&'a str>,
    algorithm: Option<&'a str>,
    digits: Option<&'a str>,
    period: Option<&'a str>,
    counter: Option<&'a str>,
    spse: Option<&'a str>,
    enroll: Option<&'a str>,
}

impl<'a> Params<'a> {
    fn read(query: &'a str) -> Result<Params<'a>> {
        let mut params = Params::default();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let (slot, field) = match name.to_ascii_lowercase().as_str() {
                "secret" => (&mut params.secret, Field::Secret),
                "issuer" => (&mut params.issuer, Field::Issuer),
                "algorithm" => (&mut params.algorithm, Field::Algorithm),
                "digits" => (&mut params.digits, Field::Digits),
                "period" => (&mut params.period, Field::Period),
                "counter" => (&mut params.counter, Field::Counter),
                "spse" => (&mut params.spse, Field::Spse),
                "enroll" => (&mut params.enroll, Field::Enroll),
                // Unknown parameters (image=, color=, ...) are not ours to judge.
                _ => continue,
            };
            if slot.replace(value).is_some() {
                return Err(Error::Repeated { field });
            }
        }
        Ok(params)
    }
}

/// Parses an `otpauth://` URI.
pub(crate) fn parse(text: &str) -> Result<Uri> {
    if !has_scheme(text) {
        return Err(Error::UnknownFormat);
    }
    let rest = &text[SCHEME.len()..];
    let (head, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (kind_text, label) = head.split_once('/').unwrap_or((head, ""));
    let params = Params::read(query)?;

    let kind = if kind_text.eq_ignore_ascii_case("totp") {
        let period = match params.period {
            Some(p) => number(Field::Period, p, 1, u64::from(u32::MAX))?,
            None => u64::from(DEFAULT_PERIOD),
        };
        Kind::Totp {
            period: u32::try_from(period).unwrap_or(DEFAULT_PERIOD),
        }
    } else if kind_text.eq_ignore_ascii_case("hotp") {
        let counter = params.counter.ok_or(Error::Missing {
            field: Field::Counter,
        })?;
        Kind::Hotp {
            counter: number(Field::Counter, counter, 0, u64::MAX)?,
        }
    } else if kind_text.eq_ignore_ascii_case("steam") {
        // Aegis's and Ente's `otpauth://steam/`: SHA-1, 30 s, 5 characters.
        Kind::Steam
    } else {
        return Err(Error::unsupported(Field::Type, kind_text));
    };

    let algorithm = match params.algorithm {
        Some(a) => Algorithm::parse(&text_value(Field::Algorithm, a)?)?,
        None => Algorithm::default(),
    };
    let digits = match params.digits {
        // Steam's length is the kind's; Aegis writes 5, others nothing.
        _ if kind == Kind::Steam => STEAM_DIGITS,
        Some(d) => {
            let (min, max) = (*DIGITS.start(), *DIGITS.end());
            let digits = number(Field::Digits, d, min.into(), max.into())?;
            u8::try_from(digits).unwrap_or(DEFAULT_DIGITS)
        }
        None => DEFAULT_DIGITS,
    };

    let raw_secret = params
        .secret
        .filter(|s| !s.is_empty())
        .ok_or(Error::Missing {
            field: Field::Secret,
        })?;
    let secret = Secret::from_base32_bytes(percent_decode_str(raw_secret), raw_secret.len())?;

    let issuer = match params.issuer {
        Some(i) => Some(text_value(Field::Issuer, i)?.trim().to_owned()).filter(|i| !i.is_empty()),
        None => None,
    };
    let label = percent_decode_str(label)
        .decode_utf8()
        .map_err(|_| Error::NotUtf8 {
            field: Field::Label,
        })?;
    let (label_issuer, name) = split_label(&label, issuer.as_deref());
    let issuer = issuer.or(label_issuer);

    let account = Account::new(issuer, name, algorithm, digits, kind, secret)?;
    let spse = params
        .spse
        .map(|s| text_value(Field::Spse, s))
        .transpose()?;
    let enroll = params
        .enroll
        .map(|e| text_value(Field::Enroll, e).map(Zeroizing::new))
        .transpose()?;
    Ok(Uri {
        account,
        spse,
        enroll,
    })
}

/// Splits `issuer:account` (Key Uri Format: the issuer prefix is optional and
/// spaces may follow the colon). When the `issuer` parameter is given and the
/// label starts with it and a colon, that whole prefix goes, so an issuer that
/// itself holds a colon still round-trips.
pub(crate) fn split_label(label: &str, issuer_param: Option<&str>) -> (Option<String>, String) {
    if let Some(rest) = issuer_param.and_then(|i| label.strip_prefix(i)?.strip_prefix(':')) {
        return (None, rest.trim().to_owned());
    }
    match label.split_once(':') {
        Some((prefix, rest)) => {
            let prefix = prefix.trim();
            let issuer = (!prefix.is_empty()).then(|| prefix.to_owned());
            (issuer, rest.trim().to_owned())
        }
        None => (None, label.trim().to_owned()),
    }
}

/// A query value as text: `+` is a space (form encoding) and `%XX` is decoded.
fn text_value(field: Field, raw: &str) -> Result<String> {
    // The copy may hold an enrollment token: wipe it too.
    let spaced = Zeroizing::new(raw.replace('+', " "));
    percent_decode_str(&spaced)
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| Error::NotUtf8 { field })
}

/// A decimal parameter within `min..=max`; a value too large for any integer
/// type is reported as out of range, quoting (at most 20 of) its digits.
fn number(field: Field, raw: &str, min: u64, max: u64) -> Result<u64> {
    let text = text_value(field, raw)?;
    let text = text.trim();
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::NotANumber { field });
    }
    match text.parse::<u64>() {
        Ok(value) if (min..=max).contains(&value) => Ok(value),
        _ => Err(Error::OutOfRange {
            field,
            value: shorten_digits(text),
            min,
            max,
        }),
    }
}

fn shorten_digits(text: &str) -> String {
    let trimmed = text.trim_start_matches('0');
    match trimmed.len() {
        0 => "0".to_owned(),
        1..=20 => trimmed.to_owned(),
        _ => format!("{}...", &trimmed[..20]),
    }
}

fn encode(text: &str) -> String {
    utf8_percent_encode(text, ENCODE).to_string()
}

/// Writes [`Account::to_uri`].
pub(crate) fn format(account: &Account) -> Zeroizing<String> {
    let mut uri = Zeroizing::new(String::with_capacity(160));
    uri.push_str(SCHEME);
    uri.push_str(account.kind().as_str());
    uri.push('/');
    match account.issuer() {
        Some(issuer) => {
            uri.push_str(&encode(issuer));
            uri.push(':');
        }
        // A leading colon keeps a colon inside the name from reading as an issuer.
        None if account.name().contains(':') => uri.push(':'),
        None => {}
    }
    uri.push_str(&encode(account.name()));
    uri.push_str("?secret=");
    uri.push_str(&account.secret().to_base32());
    if let Some(issuer) = account.issuer() {
        uri.push_str("&issuer=");
        uri.push_str(&encode(issuer));
    }
    uri.push_str("&algorithm=");
    uri.push_str(account.algorithm().as_str());
    uri.push_str("&digits=");
    uri.push_str(&account.digits().to_string());
    match account.kind() {
        Kind::Totp { period } => {
            uri.push_str("&period=");
            uri.push_str(&period.to_string());
        }
        Kind::Hotp { counter } => {
            uri.push_str("&counter=");
            uri.push_str(&counter.to_string());
        }
        Kind::Steam => {}
    }
    uri
}

/// Appends a query parameter, percent-encoded, to a URI [`format`] wrote.
pub(crate) fn push_param(uri: &mut String, name: &str, value: &str) {
    uri.push('&');
    uri.push_str(name);
    uri.push('=');
    uri.push_str(&encode(value));
}

impl Account {
    /// The canonical `otpauth://` URI of this account (issuer in both label
    /// and parameter, every parameter explicit), for export or a QR; parsing
    /// it gives back an equal account. It holds the secret: treat it as one.
    pub fn to_uri(&self) -> Zeroizing<String> {
        format(self)
    }
}
