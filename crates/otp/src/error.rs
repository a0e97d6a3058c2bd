//! The one error type of this crate.
//!
//! Every message starts with the field at fault (`digits: ...`), so a person can
//! fix the input and a program can route the error without parsing prose.
//! No message ever contains a secret or an enrollment token: values are echoed
//! only for fields that cannot hold one, and then shortened.

use std::fmt;

/// The part of a payload an [`Error`] is about.
///
/// The names are the query parameter or JSON key a person would look for in the
/// QR text, so `error: period: ...` points straight at `period=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Field {
    /// The payload as a whole (its scheme, size or JSON syntax).
    Payload,
    /// The `totp`/`hotp` part of `otpauth://TYPE/`.
    Type,
    /// The `issuer:account` label after the type.
    Label,
    /// The Base32 `secret` parameter (or the raw secret of a migration entry).
    Secret,
    /// The `issuer` parameter.
    Issuer,
    /// The `algorithm` parameter.
    Algorithm,
    /// The `digits` parameter.
    Digits,
    /// The `period` parameter.
    Period,
    /// The `counter` parameter of a HOTP account.
    Counter,
    /// The `spse` parameter: the SPSE server's base URL.
    Spse,
    /// The `server` key of the JSON enrollment form.
    Server,
    /// The `enroll` single-use enrollment token.
    Enroll,
    /// The `otpauth` key of the JSON enrollment form.
    Otpauth,
    /// The `data` parameter of an `otpauth-migration://` URI.
    Data,
}

impl Field {
    /// The field's name as it appears in payloads and error messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Payload => "payload",
            Field::Type => "type",
            Field::Label => "label",
            Field::Secret => "secret",
            Field::Issuer => "issuer",
            Field::Algorithm => "algorithm",
            Field::Digits => "digits",
            Field::Period => "period",
            Field::Counter => "counter",
            Field::Spse => "spse",
            Field::Server => "server",
            Field::Enroll => "enroll",
            Field::Otpauth => "otpauth",
            Field::Data => "data",
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a server URL was refused: each one is a different fix for whoever made the QR.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ServerProblem {
    /// Not an absolute URL at all.
    NotAUrl,
    /// A scheme other than `https` (or `http` to a training host).
    NotHttps,
    /// `http://` to a host that is neither loopback nor private-range.
    CleartextToPublicHost,
    /// `user:password@` before the host, a classic way to disguise the real host.
    HasCredentials,
    /// A `?query` or `#fragment` on what must be a base URL.
    HasQueryOrFragment,
}

impl fmt::Display for ServerProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ServerProblem::NotAUrl => "not an absolute URL",
            ServerProblem::NotHttps => "must be an https:// URL",
            ServerProblem::CleartextToPublicHost => {
                "http:// is allowed only to a loopback or private-range training server"
            }
            ServerProblem::HasCredentials => "must not contain a user name or password",
            ServerProblem::HasQueryOrFragment => "must not contain a query or fragment",
        })
    }
}

/// Everything that can be wrong with a payload or an account.
///
/// The `Display` text is `<field>: <reason>`; it is pinned by tests and safe to
/// show or log, as it never carries a secret or a token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The text is none of the four payload forms.
    #[error("payload: not an otpauth://, otpauth-migration:// or SPSE enrollment payload")]
    UnknownFormat,
    /// A field is longer than anything a real QR code holds.
    #[error("{field}: longer than {max} bytes")]
    TooLong {
        /// The field at fault.
        field: Field,
        /// The largest length accepted.
        max: usize,
    },
    /// A required field is absent or empty.
    #[error("{field}: missing")]
    Missing {
        /// The field at fault.
        field: Field,
    },
    /// A field appears twice, so which one the issuer meant is unknowable.
    #[error("{field}: given more than once")]
    Repeated {
        /// The field at fault.
        field: Field,
    },
    /// The secret has a character outside the Base32 alphabet.
    #[error("secret: not valid Base32 (character {position})")]
    NotBase32 {
        /// 1-based position of the first bad character, counted in the raw parameter.
        position: usize,
    },
    /// The secret decodes to zero bytes.
    #[error("secret: empty")]
    EmptySecret,
    /// A value this app does not implement (an unknown algorithm or type).
    #[error("{field}: unsupported value{}", quoted(.value.as_deref()))]
    Unsupported {
        /// The field at fault.
        field: Field,
        /// The offending value when it is short and printable enough to be
        /// shown; a longer one might be a misplaced secret, so it is not kept.
        value: Option<String>,
    },
    /// A number outside the range the standards (and this app) allow.
    #[error("{field}: {value} is outside {min} to {max}")]
    OutOfRange {
        /// The field at fault.
        field: Field,
        /// The value given, in decimal (shortened if huge).
        value: String,
        /// The smallest value accepted.
        min: u64,
        /// The largest value accepted.
        max: u64,
    },
    /// A number field holds something else.
    #[error("{field}: not a whole number")]
    NotANumber {
        /// The field at fault.
        field: Field,
    },
    /// Text that is not UTF-8 once percent-decoded.
    #[error("{field}: not valid UTF-8")]
    NotUtf8 {
        /// The field at fault.
        field: Field,
    },
    /// A control character (newline, tab, ...) in a name, which could forge
    /// lines in a signed message or disguise a name on screen.
    #[error("{field}: contains a control character")]
    ControlCharacter {
        /// The field at fault.
        field: Field,
    },
    /// An invisible formatting character in a name (a text-direction
    /// override or isolate, a zero-width character): it could make the
    /// name read as another on screen.
    #[error("{field}: contains an invisible formatting character (text direction or zero width)")]
    InvisibleCharacter {
        /// The field at fault.
        field: Field,
    },
    /// The SPSE server URL breaks the URL policy.
    #[error("{field}: {problem}")]
    Server {
        /// [`Field::Spse`] or [`Field::Server`], whichever carried it.
        field: Field,
        /// What is wrong with it.
        problem: ServerProblem,
    },
    /// The enrollment token has characters outside printable ASCII.
    #[error("enroll: must be printable ASCII without spaces")]
    BadToken,
    /// An SPSE enrollment that is not time-based.
    #[error("type: an SPSE enrollment must be totp")]
    EnrollmentNotTotp,
    /// An SPSE enrollment without a user ID in its label.
    #[error("label: an SPSE enrollment needs the user ID")]
    EnrollmentWithoutUser,
    /// Only one of `spse` and `enroll` was given.
    #[error("{field}: missing (an SPSE enrollment needs both spse and enroll)")]
    HalfEnrollment {
        /// The one that is missing.
        field: Field,
    },
    /// The JSON form names the server or token twice, in the JSON and in its URI.
    #[error("{field}: given both in the JSON and inside its otpauth URI")]
    Conflict {
        /// The field at fault.
        field: Field,
    },
    /// The JSON form's `otpauth` value is not an `otpauth://` URI.
    #[error("otpauth: not an otpauth:// URI")]
    NotOtpauthUri,
    /// The JSON form does not parse.
    #[error("payload: not valid JSON (line {line}, column {column})")]
    Json {
        /// 1-based line of the syntax error.
        line: usize,
        /// 1-based column of the syntax error.
        column: usize,
    },
    /// A JSON value of the wrong type.
    #[error("{field}: must be a string")]
    NotAString {
        /// The field at fault.
        field: Field,
    },
    /// The migration `data` is not base64.
    #[error("data: not valid base64")]
    NotBase64,
    /// The migration `data` is not the protobuf Google Authenticator writes.
    #[error("data: malformed migration data at byte {offset}")]
    Malformed {
        /// Offset into the decoded bytes where decoding failed.
        offset: usize,
    },
    /// A migration payload with no account in it.
    #[error("data: holds no accounts")]
    NoAccounts,
}

impl Error {
    /// The field at fault, for UIs that highlight the offending input.
    pub fn field(&self) -> Field {
        match self {
            Error::UnknownFormat | Error::Json { .. } => Field::Payload,
            Error::TooLong { field, .. }
            | Error::Missing { field }
            | Error::Repeated { field }
            | Error::Unsupported { field, .. }
            | Error::OutOfRange { field, .. }
            | Error::NotANumber { field }
            | Error::NotUtf8 { field }
            | Error::ControlCharacter { field }
            | Error::InvisibleCharacter { field }
            | Error::Server { field, .. }
            | Error::HalfEnrollment { field }
            | Error::Conflict { field }
            | Error::NotAString { field } => *field,
            Error::NotBase32 { .. } | Error::EmptySecret => Field::Secret,
            Error::BadToken => Field::Enroll,
            Error::NotOtpauthUri => Field::Otpauth,
            Error::EnrollmentNotTotp => Field::Type,
            Error::EnrollmentWithoutUser => Field::Label,
            Error::NotBase64 | Error::Malformed { .. } | Error::NoAccounts => Field::Data,
        }
    }

    /// An [`Error::Unsupported`] that keeps `value` only when it is at most
    /// [`MAX_ECHO`] printable ASCII characters: enough for `MD5` or `steam`,
    /// too short to be a secret (80 bits take 16 Base32 characters).
    pub(crate) fn unsupported(field: Field, value: &str) -> Error {
        let shown = (value.len() <= MAX_ECHO && value.bytes().all(|b| b.is_ascii_graphic()))
            .then(|| value.to_owned());
        Error::Unsupported {
            field,
            value: shown,
        }
    }
}

/// Longest value an error message may quote.
const MAX_ECHO: usize = 10;

fn quoted(value: Option<&str>) -> String {
    value.map(|v| format!(" '{v}'")).unwrap_or_default()
}

/// This crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    /// One of every variant with its exact text: the UI and the CLI contract
    /// depend on these words, so a change here must be deliberate.
    #[test]
    fn every_message_is_pinned_and_starts_with_its_field() {
        let cases = [
            (
                Error::UnknownFormat,
                "payload: not an otpauth://, otpauth-migration:// or SPSE enrollment payload",
            ),
            (
                Error::TooLong {
                    field: Field::Label,
                    max: 256,
                },
                "label: longer than 256 bytes",
            ),
            (
                Error::Missing {
                    field: Field::Secret,
                },
                "secret: missing",
            ),
            (
                Error::Repeated {
                    field: Field::Issuer,
                },
                "issuer: given more than once",
            ),
            (
                Error::NotBase32 { position: 3 },
                "secret: not valid Base32 (character 3)",
            ),
            (Error::EmptySecret, "secret: empty"),
            (
                Error::unsupported(Field::Algorithm, "MD5"),
                "algorithm: unsupported value 'MD5'",
            ),
            (
                Error::unsupported(Field::Type, "a very long value"),
                "type: unsupported value",
            ),
            (
                Error::OutOfRange {
                    field: Field::Digits,
                    value: "5".into(),
                    min: 6,
                    max: 10,
                },
                "digits: 5 is outside 6 to 10",
            ),
            (
                Error::NotANumber {
                    field: Field::Period,
                },
                "period: not a whole number",
            ),
            (
                Error::NotUtf8 {
                    field: Field::Label,
                },
                "label: not valid UTF-8",
            ),
            (
                Error::ControlCharacter {
                    field: Field::Issuer,
                },
                "issuer: contains a control character",
            ),
            (
                Error::InvisibleCharacter {
                    field: Field::Label,
                },
                "label: contains an invisible formatting character (text direction or zero width)",
            ),
            (
                Error::Server {
                    field: Field::Server,
                    problem: ServerProblem::NotHttps,
                },
                "server: must be an https:// URL",
            ),
            (
                Error::BadToken,
                "enroll: must be printable ASCII without spaces",
            ),
            (
                Error::EnrollmentNotTotp,
                "type: an SPSE enrollment must be totp",
            ),
            (
                Error::EnrollmentWithoutUser,
                "label: an SPSE enrollment needs the user ID",
            ),
            (
                Error::HalfEnrollment { field: Field::Spse },
                "spse: missing (an SPSE enrollment needs both spse and enroll)",
            ),
            (
                Error::Conflict {
                    field: Field::Enroll,
                },
                "enroll: given both in the JSON and inside its otpauth URI",
            ),
            (Error::NotOtpauthUri, "otpauth: not an otpauth:// URI"),
            (
                Error::Json { line: 2, column: 7 },
                "payload: not valid JSON (line 2, column 7)",
            ),
            (
                Error::NotAString {
                    field: Field::Server,
                },
                "server: must be a string",
            ),
            (Error::NotBase64, "data: not valid base64"),
            (
                Error::Malformed { offset: 9 },
                "data: malformed migration data at byte 9",
            ),
            (Error::NoAccounts, "data: holds no accounts"),
        ];
        for (error, text) in cases {
            assert_eq!(error.to_string(), text);
            assert!(text.starts_with(&format!("{}: ", error.field())), "{text}");
        }
    }

    #[test]
    fn every_server_problem_is_pinned() {
        for (problem, text) in [
            (ServerProblem::NotAUrl, "not an absolute URL"),
            (ServerProblem::NotHttps, "must be an https:// URL"),
            (
                ServerProblem::CleartextToPublicHost,
                "http:// is allowed only to a loopback or private-range training server",
            ),
            (
                ServerProblem::HasCredentials,
                "must not contain a user name or password",
            ),
            (
                ServerProblem::HasQueryOrFragment,
                "must not contain a query or fragment",
            ),
        ] {
            assert_eq!(problem.to_string(), text);
        }
    }
}
