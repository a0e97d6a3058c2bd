//! The SPSE authenticator protocol, version 1 (docs/protocol.md): what the
//! app and an SPSE server say to each other to enroll a device and approve a
//! login. Shared by both ends so they cannot drift apart.
//!
//! - [`wire`]: the JSON bodies and error codes of every endpoint.
//! - [`signing`]: the exact bytes each signature covers.
//! - [`DeviceKey`] / [`PublicKey`]: ECDSA P-256 with SHA-256 (ring), keys as
//!   SubjectPublicKeyInfo DER, signatures as `r || s`, all base64url.
//! - [`DeviceAuth`]: the `Authorization: SPSE-Device ...` header.
//! - [`text`]: a site's words made safe to show.

mod auth;
mod error;
mod keys;
pub mod signing;
pub mod text;
pub mod wire;

pub use auth::DeviceAuth;
pub use error::{Error, Result};
pub use keys::{DeviceKey, PublicKey, SPKI_LEN};

/// How far a signed request's `ts` may be from the server's clock, in ms.
pub const MAX_CLOCK_SKEW_MS: u64 = 60_000;
/// How long an enrollment QR code (and its token) lives, in ms.
pub const ENROLLMENT_TTL_MS: u64 = 60_000;
/// How long a login waits for its answer, in ms.
pub const CHALLENGE_TTL_MS: u64 = 60_000;
/// Longest long poll a client may ask for, in seconds.
pub const MAX_WAIT_SECONDS: u64 = 30;
/// Wrong numbers a login tolerates before it is refused.
pub const MAX_NUMBER_ATTEMPTS: u32 = 3;
/// How long push challenges pause after a "Bukan saya" report, in ms.
pub const REPORT_PAUSE_MS: u64 = 10 * 60_000;
/// How long after a login expired it can still be reported ("Bukan saya"),
/// in ms: a user who saw the prompt too late still stops the attacker.
pub const REPORT_GRACE_MS: u64 = 10 * 60_000;

/// Unix milliseconds now: the protocol's unit of time, on both ends.
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}
