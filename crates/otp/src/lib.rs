//! The pure core of SPSE Auth: reading what a QR code holds and making codes.
//!
//! - [`Payload::parse`] reads the four forms an SPSE Auth scan can meet: an
//!   SPSE "Aktivasi TOTP" enrollment (an `otpauth://` URI with `spse=` and
//!   `enroll=`, or its JSON form), a plain `otpauth://` URI from any service,
//!   and a Google Authenticator `otpauth-migration://` export.
//! - [`Account`] holds one account; [`Generator`] makes its HOTP (RFC 4226)
//!   or TOTP (RFC 6238) codes through totp-rs.
//! - [`Secret`] and [`EnrollToken`] are wiped on drop and never printed;
//!   [`Error`] messages name the field at fault and never carry either.
//!
//! Nothing here does I/O, so the app, the CLI, the sandbox server and the
//! fuzzer share it as is.

mod account;
mod code;
mod error;
mod migration;
mod otpauth;
mod payload;
mod secret;
mod server;
mod summary;

pub use account::{Account, Algorithm, DEFAULT_DIGITS, DEFAULT_PERIOD, DIGITS, Kind, MAX_NAME_LEN};
pub use code::{Code, Generator};
pub use error::{Error, Field, Result, ServerProblem};
pub use payload::{EnrollToken, Enrollment, MAX_PAYLOAD_LEN, MAX_TOKEN_LEN, Payload};
pub use secret::Secret;
pub use server::{MAX_URL_LEN, ServerUrl};
pub use summary::{AccountSummary, Summary};
