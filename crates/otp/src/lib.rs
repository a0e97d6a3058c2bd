//! The pure core of SPSE Auth: reading what a QR code holds and making codes.
//!
//! - [`Payload::parse`] reads the four forms an SPSE Auth scan can meet: an
//!   SPSE "Aktivasi TOTP" enrollment (an `otpauth://` URI with `spse=` and
//!   `enroll=`, or its JSON form), a plain `otpauth://` URI from any service,
//!   and a Google Authenticator `otpauth-migration://` export.
//! - [`Account`] holds one account; [`Generator`] makes its HOTP (RFC 4226)
//!   or TOTP (RFC 6238) codes (RustCrypto HMAC, keyed once per account).
//! - [`Secret`] and [`EnrollToken`] are wiped on drop and never printed;
//!   [`Error`] messages name the field at fault and never carry either.
//!
//! Nothing here does I/O, so the app, the CLI, the sandbox server and the
//! fuzzer share it as is.
//!
//! ```
//! use spse_otp::{Payload, Summary};
//!
//! let qr = "otpauth://totp/LPSE%20LKPP:PPK2?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\
//!           &issuer=LPSE%20LKPP&spse=https%3A%2F%2Flatihan-lpse.lkpp.go.id&enroll=q3Zx9f";
//! let payload = Payload::parse(qr)?;
//! let Payload::Spse(enrollment) = &payload else { unreachable!() };
//! assert_eq!(enrollment.server.as_str(), "https://latihan-lpse.lkpp.go.id");
//! assert_eq!(enrollment.account.name(), "PPK2");
//! // RFC 6238 Appendix B, t = 59, as a 6-digit code.
//! assert_eq!(enrollment.account.code_at(59).as_str(), "287082");
//! assert_eq!(Summary::from(&payload).accounts[0].secret_bits, 160);
//! # Ok::<(), spse_otp::Error>(())
//! ```

mod account;
mod code;
mod error;
mod migration;
mod otpauth;
mod payload;
mod secret;
mod server;
mod summary;

pub use account::{
    Account, Algorithm, DEFAULT_DIGITS, DEFAULT_PERIOD, DIGITS, Kind, MAX_NAME_LEN, STEAM_DIGITS,
    STEAM_PERIOD,
};
pub use code::{Code, Generator};
pub use error::{Error, Field, Result, ServerProblem};
pub use payload::{EnrollToken, Enrollment, MAX_PAYLOAD_LEN, MAX_TOKEN_LEN, Payload};
pub use secret::Secret;
pub use server::{MAX_URL_LEN, ServerUrl};
pub use summary::{AccountSummary, Summary};
