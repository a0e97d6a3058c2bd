//! The client's errors: each one something the app can tell a person to do.

use spse_protocol::wire::ErrorCode;

/// Everything that can go wrong talking to a site.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The site cannot be reached (no network, wrong address, site down):
    /// the connection failed before the request was written (DNS, TCP
    /// connect), so the site certainly did not get it.
    #[error("site: {server} cannot be reached; check the connection and try again")]
    Unreachable {
        /// The server base URL.
        server: String,
    },
    /// The connection broke after the request may have been written and
    /// before the whole answer arrived (a reset, a connection closed, a
    /// body cut short): whether the site carried out the request is not
    /// known, as after a [`Error::Timeout`].
    #[error(
        "site: the connection to {server} broke before it answered; check the connection and try \
         again"
    )]
    Interrupted {
        /// The server base URL.
        server: String,
    },
    /// The site is on plain `http://` and this client refuses cleartext (an
    /// Android release build): nothing was sent. An account added by a
    /// training build, then kept through an update to a release build,
    /// stays silent instead of polling and approving in the clear (F-11).
    #[error(
        "site: {server} is plain http, which this build does not connect to; use a training build \
         or the site's https address"
    )]
    Cleartext {
        /// The server base URL.
        server: String,
    },
    /// The TLS handshake failed: the certificate is not trusted or not for
    /// this site. The request was not sent.
    #[error("site: {server} did not prove its identity (TLS certificate refused)")]
    Tls {
        /// The server base URL.
        server: String,
    },
    /// The site took too long to answer (or to connect): whether it got the
    /// request is not known.
    #[error("site: {server} did not answer in time; try again")]
    Timeout {
        /// The server base URL.
        server: String,
    },
    /// The site refused, with a protocol error code.
    #[error("{}", describe(*.code))]
    Server {
        /// What the site said went wrong.
        code: ErrorCode,
        /// The site's own words, in Indonesian.
        message: String,
    },
    /// The site answered for another account than the one asked about (a
    /// login, an enrollment or a status for another user ID): refused, as a
    /// login for another origin is.
    #[error("site: the answer was about another account than this one; refused")]
    WrongAccount,
    /// The site answered something that is not the protocol.
    #[error("site: the answer was not the SPSE authenticator protocol")]
    BadResponse,
    /// A trusted root certificate given to the client could not be used.
    #[error("tls: a trusted root certificate could not be read")]
    BadRoot,
    /// Making or using the device key failed.
    #[error("device key: {0}")]
    Key(spse_protocol::Error),
}

/// Plain words for each protocol error, in English (the app maps codes to
/// both languages itself).
fn describe(code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::InvalidRequest => "site: the request was refused as malformed",
        ErrorCode::BadSignature => "device: the site did not accept this device's signature",
        ErrorCode::StaleTimestamp => "clock: this device's clock is too far from the site's",
        ErrorCode::ReplayedRequest => "device: the site saw this request already",
        ErrorCode::UnknownDevice => {
            "device: the site no longer knows this device; TOTP was reset or the account removed"
        }
        ErrorCode::TotpDisabled => "account: TOTP is disabled for this account on the site",
        ErrorCode::Blocked => "account: the account is blocked on the site",
        ErrorCode::UnknownEnrollment => "qr: the site does not know this QR code",
        ErrorCode::UnknownChallenge => "login: the site does not know this login",
        ErrorCode::EnrollmentUsed => "qr: this QR code was already used; show a new one",
        ErrorCode::ChallengeDecided => "login: this login was already answered",
        ErrorCode::EnrollmentExpired => "qr: the QR code expired; reload the Aktivasi TOTP page",
        ErrorCode::ChallengeExpired => "login: the login expired; log in again",
        ErrorCode::BadCode => "code: the site refused the code; check the device's clock",
        ErrorCode::CodeReused => "code: that code was used already; wait for the next one",
        ErrorCode::NumberRequired => "number: type the number shown on the login page",
        ErrorCode::NumberMismatch => "number: the number does not match the login page",
        ErrorCode::RateLimited => "site: too many attempts; wait a few minutes",
    }
}

impl Error {
    /// A transport failure, classified by whether the request certainly
    /// never reached the site: only a failure while connecting (DNS, TCP
    /// connect, the TLS handshake) proves that. Anything later (a reset, a
    /// connection closed before or during the answer) is
    /// [`Error::Interrupted`]: the site may have carried the request out,
    /// and a caller that must know (an enrollment) asks it.
    pub(crate) fn from_reqwest(server: &str, error: &reqwest::Error) -> Error {
        let server = server.to_owned();
        if error.is_timeout() {
            return Error::Timeout { server };
        }
        if error.is_connect() {
            if is_tls(error) {
                return Error::Tls { server };
            }
            return Error::Unreachable { server };
        }
        // A body cut short: reqwest's `chunk()` reports it as a decode
        // error (this crate decodes no content encoding; it parses the
        // bytes itself).
        if error.is_request() || error.is_body() || error.is_decode() {
            return Error::Interrupted { server };
        }
        Error::BadResponse
    }

    /// The protocol error code, when the site refused.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            Error::Server { code, .. } => Some(*code),
            _ => None,
        }
    }
}

/// Whether a rustls error is anywhere in the chain, including inside the
/// io::Errors that wrap it (whose source() skips their inner error).
fn is_tls(error: &(dyn std::error::Error + 'static)) -> bool {
    if error.is::<rustls::Error>() {
        return true;
    }
    let inner = error
        .downcast_ref::<std::io::Error>()
        .and_then(|io| io.get_ref())
        .is_some_and(|inner| is_tls(inner));
    inner || error.source().is_some_and(is_tls)
}

/// This crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
