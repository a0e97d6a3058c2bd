//! `otpauth-migration://offline?data=...`: Google Authenticator's export, a
//! base64 protobuf `MigrationPayload` holding one or more accounts.
//!
//! The few fields needed are read by a small hand-written protobuf reader
//! (wire format: <https://protobuf.dev/programming-guides/encoding/>), which
//! keeps the crate free of code generation and every failure a located error:
//!
//! ```proto
//! message MigrationPayload {
//!   repeated OtpParameters otp_parameters = 1;   // the rest is batch metadata
//! }
//! message OtpParameters {
//!   bytes secret = 1; string name = 2; string issuer = 3;
//!   Algorithm algorithm = 4;  // 0 unspecified, 1 SHA1, 2 SHA256, 3 SHA512, 4 MD5
//!   DigitCount digits = 5;    // 0 unspecified, 1 six, 2 eight
//!   OtpType type = 6;         // 0 unspecified, 1 HOTP, 2 TOTP
//!   int64 counter = 7;
//! }
//! ```

use base64::Engine;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use percent_encoding::percent_decode_str;
use zeroize::Zeroizing;

use crate::account::{Account, Algorithm, DEFAULT_PERIOD, Kind};
use crate::error::{Error, Field, Result};
use crate::otpauth::split_label;
use crate::secret::Secret;

const SCHEME: &str = "otpauth-migration://";

/// Standard alphabet, padding optional; URL-safe input is mapped onto it first.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// Whether `text` starts with the `otpauth-migration://` scheme, in any case.
pub(crate) fn has_scheme(text: &str) -> bool {
    text.get(..SCHEME.len())
        .is_some_and(|s| s.eq_ignore_ascii_case(SCHEME))
}

/// Reads every account of a migration URI; one bad entry refuses the whole
/// payload, so an import never silently drops an account.
pub(crate) fn parse(text: &str) -> Result<Vec<Account>> {
    let rest = text.get(SCHEME.len()..).ok_or(Error::UnknownFormat)?;
    let (host, query) = rest.split_once('?').unwrap_or((rest, ""));
    if !host.trim_end_matches('/').eq_ignore_ascii_case("offline") {
        return Err(Error::unsupported(Field::Payload, host));
    }
    let mut data = None;
    for pair in query.split('&') {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        if name.eq_ignore_ascii_case("data") && data.replace(value).is_some() {
            return Err(Error::Repeated { field: Field::Data });
        }
    }
    let data = data
        .filter(|d| !d.is_empty())
        .ok_or(Error::Missing { field: Field::Data })?;

    // Percent-decode, then undo the damage sloppy encoders do: a raw `+` read
    // as a form space, the URL-safe alphabet, stray whitespace.
    let mut text = Zeroizing::new(Vec::with_capacity(data.len()));
    for byte in percent_decode_str(data) {
        match byte {
            b' ' => text.push(b'+'),
            b'-' => text.push(b'+'),
            b'_' => text.push(b'/'),
            b'\n' | b'\r' | b'\t' => {}
            other => text.push(other),
        }
    }
    let mut bytes = Zeroizing::new(Vec::with_capacity(text.len()));
    BASE64
        .decode_vec(&*text, &mut bytes)
        .map_err(|_| Error::NotBase64)?;

    let mut accounts = Vec::new();
    let mut reader = Reader::new(&bytes);
    while let Some((number, value)) = reader.field()? {
        if let (1, Value::Bytes(start, entry)) = (number, value) {
            accounts.push(entry_account(entry, start)?);
        }
    }
    if accounts.is_empty() {
        return Err(Error::NoAccounts);
    }
    Ok(accounts)
}

/// One `OtpParameters` message; `base` is its offset, for error positions.
fn entry_account(bytes: &[u8], base: usize) -> Result<Account> {
    let mut secret = None;
    let mut name = String::new();
    let mut issuer = String::new();
    let mut algorithm = Algorithm::Sha1;
    let mut digits = 6;
    let mut hotp = false;
    let mut counter = 0u64;

    let mut reader = Reader::new(bytes);
    reader.base = base;
    while let Some((number, value)) = reader.field()? {
        match (number, value) {
            (1, Value::Bytes(_, b)) => {
                secret = Some(Secret::from_bytes(Zeroizing::new(b.to_vec()))?);
            }
            (2, Value::Bytes(_, b)) => name = utf8(Field::Label, b)?,
            (3, Value::Bytes(_, b)) => issuer = utf8(Field::Issuer, b)?,
            (4, Value::Varint(v)) => {
                algorithm = match v {
                    0 | 1 => Algorithm::Sha1,
                    2 => Algorithm::Sha256,
                    3 => Algorithm::Sha512,
                    4 => return Err(Error::unsupported(Field::Algorithm, "MD5")),
                    other => return Err(Error::unsupported(Field::Algorithm, &other.to_string())),
                }
            }
            (5, Value::Varint(v)) => {
                digits = match v {
                    0 | 1 => 6,
                    2 => 8,
                    other => return Err(Error::unsupported(Field::Digits, &other.to_string())),
                }
            }
            (6, Value::Varint(v)) => {
                hotp = match v {
                    0 | 2 => false,
                    1 => true,
                    other => return Err(Error::unsupported(Field::Type, &other.to_string())),
                }
            }
            (7, Value::Varint(v)) => counter = v,
            // Unknown fields, or known numbers with another wire type, are
            // skipped as protobuf readers do.
            _ => {}
        }
    }
    let secret = secret.ok_or(Error::Missing {
        field: Field::Secret,
    })?;
    let issuer = Some(issuer).filter(|i| !i.is_empty());
    let (label_issuer, name) = split_label(&name, issuer.as_deref());
    let kind = if hotp {
        Kind::Hotp { counter }
    } else {
        Kind::Totp {
            period: DEFAULT_PERIOD,
        }
    };
    Account::new(
        issuer.or(label_issuer),
        name,
        algorithm,
        digits,
        kind,
        secret,
    )
}

fn utf8(field: Field, bytes: &[u8]) -> Result<String> {
    String::from_utf8(bytes.to_vec()).map_err(|_| Error::NotUtf8 { field })
}

/// One protobuf field value; `Bytes` carries its absolute offset.
enum Value<'a> {
    Varint(u64),
    Bytes(usize, &'a [u8]),
    Fixed,
}

/// A cursor over protobuf wire format, reporting absolute offsets.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    base: usize,
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader {
            bytes,
            pos: 0,
            base: 0,
        }
    }

    fn malformed(&self) -> Error {
        Error::Malformed {
            offset: self.base + self.pos,
        }
    }

    fn varint(&mut self) -> Result<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = *self.bytes.get(self.pos).ok_or_else(|| self.malformed())?;
            self.pos += 1;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(self.malformed())
    }

    fn take(&mut self, len: usize) -> Result<&'a [u8]> {
        let end = self
            .pos
            .checked_add(len)
            .filter(|end| *end <= self.bytes.len())
            .ok_or_else(|| self.malformed())?;
        let slice = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(slice)
    }

    /// The next field number and value, or `None` at the end.
    fn field(&mut self) -> Result<Option<(u64, Value<'a>)>> {
        if self.pos == self.bytes.len() {
            return Ok(None);
        }
        let start = self.pos;
        let key = self.varint()?;
        let number = key >> 3;
        let value = match key & 7 {
            0 => Value::Varint(self.varint()?),
            1 => {
                self.take(8)?;
                Value::Fixed
            }
            2 => {
                let len = usize::try_from(self.varint()?).map_err(|_| self.malformed())?;
                let offset = self.base + self.pos;
                Value::Bytes(offset, self.take(len)?)
            }
            5 => {
                self.take(4)?;
                Value::Fixed
            }
            _ => {
                self.pos = start;
                return Err(self.malformed());
            }
        };
        if number == 0 {
            self.pos = start;
            return Err(self.malformed());
        }
        Ok(Some((number, value)))
    }
}
