//! What a scanned QR code (or pasted text) holds: the four payload forms of
//! the design, told apart and read into one [`Payload`].

use std::fmt;

use serde_json::Value;
use zeroize::{Zeroize, Zeroizing};

use crate::account::{Account, Kind};
use crate::error::{Error, Field, Result};
use crate::server::ServerUrl;
use crate::{migration, otpauth};

/// Largest payload accepted, in bytes. A QR code holds at most 2,953 bytes;
/// the margin is for pasted text with whitespace.
pub const MAX_PAYLOAD_LEN: usize = 8 * 1024;
/// Longest enrollment token accepted, in bytes.
pub const MAX_TOKEN_LEN: usize = 512;

/// The single-use enrollment token from an SPSE QR code.
///
/// For its 60 seconds it is as good as a password to bind a device, so it is
/// wiped on drop and its `Debug` is redacted like a secret's.
#[derive(Clone, PartialEq, Eq)]
pub struct EnrollToken(Zeroizing<String>);

impl EnrollToken {
    /// Checks the token: non-empty, at most [`MAX_TOKEN_LEN`] bytes, printable
    /// ASCII without spaces (it is a line of a signed message).
    pub fn new(token: Zeroizing<String>) -> Result<EnrollToken> {
        if token.is_empty() {
            return Err(Error::Missing {
                field: Field::Enroll,
            });
        }
        if token.len() > MAX_TOKEN_LEN {
            return Err(Error::TooLong {
                field: Field::Enroll,
                max: MAX_TOKEN_LEN,
            });
        }
        if !token.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(Error::BadToken);
        }
        Ok(EnrollToken(token))
    }

    /// The token text, to send to the server once.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for EnrollToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EnrollToken([REDACTED])")
    }
}

/// An SPSE enrollment: the TOTP account plus where and how to register it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrollment {
    /// The TOTP account; its name is the SPSE user ID.
    pub account: Account,
    /// The SPSE site to call back.
    pub server: ServerUrl,
    /// The single-use token that proves the QR was just shown to this user.
    pub token: EnrollToken,
}

impl Enrollment {
    /// Checks that the parts make an SPSE enrollment: TOTP, with a user ID.
    pub fn new(account: Account, server: ServerUrl, token: EnrollToken) -> Result<Enrollment> {
        if !matches!(account.kind(), Kind::Totp { .. }) {
            return Err(Error::EnrollmentNotTotp);
        }
        if account.name().is_empty() {
            return Err(Error::EnrollmentWithoutUser);
        }
        Ok(Enrollment {
            account,
            server,
            token,
        })
    }

    /// The preferred QR form: the account's `otpauth://` URI with `spse=` and
    /// `enroll=` appended. What the sandbox server puts in its QR codes.
    pub fn to_uri(&self) -> Zeroizing<String> {
        let mut uri = otpauth::format(&self.account);
        otpauth::push_param(&mut uri, "spse", self.server.as_str());
        otpauth::push_param(&mut uri, "enroll", self.token.expose());
        uri
    }
}

/// Everything a QR code can hold, once read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Payload {
    /// An SPSE "Aktivasi TOTP" QR: enroll with the server, then show codes and
    /// approve logins.
    Spse(Enrollment),
    /// A plain `otpauth://` URI from any service: a codes-only account.
    Otpauth(Account),
    /// A Google Authenticator export: one or more codes-only accounts.
    Migration(Vec<Account>),
}

impl Payload {
    /// Reads any of the four forms, in the design's order of preference:
    /// `otpauth://` with `spse=`/`enroll=`, the JSON form, a plain
    /// `otpauth://`, and `otpauth-migration://offline?data=`. Surrounding
    /// whitespace is ignored (pasted text often has some).
    pub fn parse(text: &str) -> Result<Payload> {
        let text = text.trim();
        if text.len() > MAX_PAYLOAD_LEN {
            return Err(Error::TooLong {
                field: Field::Payload,
                max: MAX_PAYLOAD_LEN,
            });
        }
        if text.starts_with('{') {
            return parse_json(text).map(Payload::Spse);
        }
        if migration::has_scheme(text) {
            return migration::parse(text).map(Payload::Migration);
        }
        let uri = otpauth::parse(text)?;
        match (uri.spse, uri.enroll) {
            (None, None) => Ok(Payload::Otpauth(uri.account)),
            (Some(_), None) => Err(Error::HalfEnrollment {
                field: Field::Enroll,
            }),
            (None, Some(_)) => Err(Error::HalfEnrollment { field: Field::Spse }),
            (Some(server), Some(token)) => Enrollment::new(
                uri.account,
                ServerUrl::parse(Field::Spse, &server)?,
                EnrollToken::new(token)?,
            )
            .map(Payload::Spse),
        }
    }

    /// The accounts the payload would add, in order.
    pub fn accounts(&self) -> &[Account] {
        match self {
            Payload::Spse(enrollment) => std::slice::from_ref(&enrollment.account),
            Payload::Otpauth(account) => std::slice::from_ref(account),
            Payload::Migration(accounts) => accounts,
        }
    }
}

/// The JSON form: `{"otpauth": "...", "server": "...", "enroll": "..."}`.
/// Read through `serde_json::Value` and checked by hand, because serde's own
/// type errors quote the offending value, which may be the token. The parsed
/// strings (secret and token among them) are wiped afterwards.
fn parse_json(text: &str) -> Result<Enrollment> {
    let mut value: Value = serde_json::from_str(text).map_err(|e| Error::Json {
        line: e.line(),
        column: e.column(),
    })?;
    let enrollment = enrollment_from_json(&value);
    wipe_strings(&mut value);
    enrollment
}

fn enrollment_from_json(value: &Value) -> Result<Enrollment> {
    let Value::Object(object) = value else {
        return Err(Error::UnknownFormat);
    };
    let field = |name: &str, field: Field| -> Result<&str> {
        match object.get(name) {
            None | Some(Value::Null) => Err(Error::Missing { field }),
            Some(Value::String(s)) => Ok(s),
            Some(_) => Err(Error::NotAString { field }),
        }
    };
    let uri_text = field("otpauth", Field::Otpauth)?.trim();
    let server = field("server", Field::Server)?;
    let token = field("enroll", Field::Enroll)?;
    if !otpauth::has_scheme(uri_text) {
        return Err(Error::NotOtpauthUri);
    }
    let uri = otpauth::parse(uri_text)?;
    if uri.spse.is_some() {
        return Err(Error::Conflict { field: Field::Spse });
    }
    if uri.enroll.is_some() {
        return Err(Error::Conflict {
            field: Field::Enroll,
        });
    }
    Enrollment::new(
        uri.account,
        ServerUrl::parse(Field::Server, server)?,
        EnrollToken::new(Zeroizing::new(token.to_owned()))?,
    )
}

fn wipe_strings(value: &mut Value) {
    match value {
        Value::String(s) => s.zeroize(),
        Value::Array(items) => items.iter_mut().for_each(wipe_strings),
        Value::Object(map) => map.values_mut().for_each(wipe_strings),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}
