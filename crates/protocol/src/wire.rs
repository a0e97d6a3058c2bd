//! The JSON bodies of every endpoint (docs/protocol.md, "Endpoints"). All
//! times are Unix milliseconds; every response carries `server_time`.

use serde::{Deserialize, Serialize};

/// The path every endpoint lives under, after the server base URL.
pub const PREFIX: &str = "/authenticator/v1";

/// `POST /enroll`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrollRequest {
    /// The single-use token from the QR code.
    pub enroll: String,
    /// The SPSE user ID from the QR label.
    pub user_id: String,
    /// The current TOTP code: proof the secret was decoded right.
    pub code: String,
    /// 16 random bytes, base64url.
    pub device_id: String,
    /// A name the user recognises (`Pixel 7`, `Laptop kantor`).
    pub device_name: String,
    /// base64url SPKI DER of the device key.
    pub public_key: String,
    /// Signature over the enroll input.
    pub sig: String,
}

/// `POST /enroll` success.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrollResponse {
    /// The server's clock, Unix ms.
    pub server_time: u64,
    /// The site's name, for the account list heading.
    pub site_name: String,
    /// The enrolled user ID.
    pub user_id: String,
    /// Always `active`.
    pub status: DeviceStatus,
    /// The site's Web Push key, when the site pushes (absent otherwise, so
    /// older clients, which ignore unknown members, see no change).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub push: Option<PushInfo>,
}

/// What a site that sends Web Push tells the app (docs/protocol.md 6.6):
/// the key a push service binds the app's subscription to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushInfo {
    /// base64url of the site's 65-byte uncompressed VAPID P-256 public key
    /// (RFC 8292 `k`, the app's `applicationServerKey`).
    pub vapid_key: String,
}

/// `PUT /push`: where the site sends its wake-ups for this device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushRequest {
    /// The registering device (as in the query).
    pub device_id: String,
    /// The push service's endpoint URL for this device.
    pub endpoint: String,
    /// base64url of the app's 65-byte uncompressed P-256 key (RFC 8291 `ua_public`).
    pub p256dh: String,
    /// base64url of the app's 16-byte authentication secret (RFC 8291).
    pub auth: String,
}

/// `PUT /push` and `DELETE /push` success.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushResponse {
    /// The server's clock, Unix ms.
    pub server_time: u64,
    /// `registered` or `removed`.
    pub status: PushStatus,
}

/// What became of a device's push subscription.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PushStatus {
    /// The site will push to the endpoint on each new login.
    Registered,
    /// The site pushes no more to this device.
    Removed,
}

/// A login waiting for an answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Challenge {
    /// The login's id.
    pub tx_id: String,
    /// A random value the decision signs, so no signature outlives its challenge.
    pub nonce: String,
    /// The SPSE user ID logging in.
    pub user_id: String,
    /// The site's origin, which the decision signs.
    pub origin: String,
    /// The browser's IP address as the server saw it.
    pub ip: String,
    /// The browser's User-Agent.
    pub user_agent: String,
    /// When the login started, Unix ms.
    pub created: u64,
    /// When it stops waiting, Unix ms.
    pub expires: u64,
    /// Whether the decision must carry the 2-digit number the login page shows.
    pub number_match: bool,
}

/// `GET /challenges` success.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChallengesResponse {
    /// The server's clock, Unix ms.
    pub server_time: u64,
    /// The logins waiting for this device's user, oldest first.
    pub challenges: Vec<Challenge>,
}

/// The three answers to **Authorize login?**
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    /// "Ya": log the browser in.
    Approve,
    /// "Tidak": refuse this login.
    Deny,
    /// "Bukan saya": refuse it and report it; pushes pause for 10 minutes.
    Report,
}

impl Decision {
    /// The wire word, also the `decision` line of the decide input.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Approve => "approve",
            Decision::Deny => "deny",
            Decision::Report => "report",
        }
    }
}

/// `POST /challenges/{tx_id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecideRequest {
    /// The deciding device.
    pub device_id: String,
    /// The answer.
    pub decision: Decision,
    /// The 2-digit number typed, or null.
    pub number: Option<String>,
    /// When the decision was made, Unix ms.
    pub iat: u64,
    /// Signature over the decide input.
    pub sig: String,
}

/// What became of the login.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// The browser is logged in.
    Accepted,
    /// The login was refused.
    Denied,
    /// The login was refused and reported.
    Reported,
}

/// `POST /challenges/{tx_id}` success.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecideResponse {
    /// The server's clock, Unix ms.
    pub server_time: u64,
    /// What became of the login.
    pub result: Outcome,
    /// For people, in Indonesian: `Login PPK2 diterima`.
    pub message: String,
}

/// Whether a device may still answer logins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DeviceStatus {
    /// TOTP is on for the user and this device is theirs.
    Active,
    /// TOTP was disabled or reset on the site.
    Disabled,
    /// The device was removed (only in the `DELETE /device` answer).
    Removed,
}

/// `GET /device` success.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceResponse {
    /// The server's clock, Unix ms.
    pub server_time: u64,
    /// The device's user.
    pub user_id: String,
    /// `active` or `disabled`.
    pub status: DeviceStatus,
    /// The site's Web Push key, when the site pushes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub push: Option<PushInfo>,
}

/// `DELETE /device` success.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemovedResponse {
    /// The server's clock, Unix ms.
    pub server_time: u64,
    /// Always `removed`.
    pub status: DeviceStatus,
}

/// Every error the server answers with; the client shows its own words for each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// 400: a malformed request.
    InvalidRequest,
    /// 401: a signature that does not verify.
    BadSignature,
    /// 401: a signed request more than 60 s from the server's clock.
    StaleTimestamp,
    /// 401: a signed request whose signature was already seen.
    ReplayedRequest,
    /// 401: a device the server does not know (removed, or never enrolled).
    UnknownDevice,
    /// 403: TOTP is disabled for the user.
    TotpDisabled,
    /// 403: the user is blocked.
    Blocked,
    /// 404: no such enrollment token.
    UnknownEnrollment,
    /// 404: no such login.
    UnknownChallenge,
    /// 409: the enrollment token was already used.
    EnrollmentUsed,
    /// 409: the login was already answered.
    ChallengeDecided,
    /// 410: the QR code expired.
    EnrollmentExpired,
    /// 410: the login expired.
    ChallengeExpired,
    /// 422: the TOTP code is wrong.
    BadCode,
    /// 422: the TOTP code was already used.
    CodeReused,
    /// 422: the login needs the number shown on the login page.
    NumberRequired,
    /// 422: the number does not match.
    NumberMismatch,
    /// 429: too many attempts; wait.
    RateLimited,
}

impl ErrorCode {
    /// Every code, for exhaustive tests and tables.
    pub const ALL: [ErrorCode; 18] = [
        ErrorCode::InvalidRequest,
        ErrorCode::BadSignature,
        ErrorCode::StaleTimestamp,
        ErrorCode::ReplayedRequest,
        ErrorCode::UnknownDevice,
        ErrorCode::TotpDisabled,
        ErrorCode::Blocked,
        ErrorCode::UnknownEnrollment,
        ErrorCode::UnknownChallenge,
        ErrorCode::EnrollmentUsed,
        ErrorCode::ChallengeDecided,
        ErrorCode::EnrollmentExpired,
        ErrorCode::ChallengeExpired,
        ErrorCode::BadCode,
        ErrorCode::CodeReused,
        ErrorCode::NumberRequired,
        ErrorCode::NumberMismatch,
        ErrorCode::RateLimited,
    ];

    /// The HTTP status the server sends it with.
    pub fn status(self) -> u16 {
        match self {
            ErrorCode::InvalidRequest => 400,
            ErrorCode::BadSignature
            | ErrorCode::StaleTimestamp
            | ErrorCode::ReplayedRequest
            | ErrorCode::UnknownDevice => 401,
            ErrorCode::TotpDisabled | ErrorCode::Blocked => 403,
            ErrorCode::UnknownEnrollment | ErrorCode::UnknownChallenge => 404,
            ErrorCode::EnrollmentUsed | ErrorCode::ChallengeDecided => 409,
            ErrorCode::EnrollmentExpired | ErrorCode::ChallengeExpired => 410,
            ErrorCode::BadCode
            | ErrorCode::CodeReused
            | ErrorCode::NumberRequired
            | ErrorCode::NumberMismatch => 422,
            ErrorCode::RateLimited => 429,
        }
    }

    /// The wire word (`bad_signature`).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidRequest => "invalid_request",
            ErrorCode::BadSignature => "bad_signature",
            ErrorCode::StaleTimestamp => "stale_timestamp",
            ErrorCode::ReplayedRequest => "replayed_request",
            ErrorCode::UnknownDevice => "unknown_device",
            ErrorCode::TotpDisabled => "totp_disabled",
            ErrorCode::Blocked => "blocked",
            ErrorCode::UnknownEnrollment => "unknown_enrollment",
            ErrorCode::UnknownChallenge => "unknown_challenge",
            ErrorCode::EnrollmentUsed => "enrollment_used",
            ErrorCode::ChallengeDecided => "challenge_decided",
            ErrorCode::EnrollmentExpired => "enrollment_expired",
            ErrorCode::ChallengeExpired => "challenge_expired",
            ErrorCode::BadCode => "bad_code",
            ErrorCode::CodeReused => "code_reused",
            ErrorCode::NumberRequired => "number_required",
            ErrorCode::NumberMismatch => "number_mismatch",
            ErrorCode::RateLimited => "rate_limited",
        }
    }
}

/// Every error response body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// The server's clock, Unix ms.
    pub server_time: u64,
    /// What went wrong.
    pub error: ErrorCode,
    /// For people, in Indonesian.
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_codes_serialise_as_their_wire_words() {
        for code in ErrorCode::ALL {
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
            assert!((400..500).contains(&code.status()));
        }
    }

    /// An answer without `push` reads as before and writes no `push`; one
    /// with it carries the key.
    #[test]
    fn push_is_optional_in_answers() {
        let old = r#"{"server_time":1,"user_id":"PPK2","status":"active"}"#;
        let device: DeviceResponse = serde_json::from_str(old).unwrap();
        assert_eq!(device.push, None);
        assert_eq!(serde_json::to_string(&device).unwrap(), old);
        let new =
            r#"{"server_time":1,"user_id":"PPK2","status":"active","push":{"vapid_key":"BA"}}"#;
        let device: DeviceResponse = serde_json::from_str(new).unwrap();
        assert_eq!(device.push.unwrap().vapid_key, "BA");
        assert_eq!(
            serde_json::to_string(&PushStatus::Registered).unwrap(),
            "\"registered\""
        );
    }

    #[test]
    fn decisions_are_lowercase_words() {
        assert_eq!(
            serde_json::to_string(&Decision::Report).unwrap(),
            "\"report\""
        );
        assert_eq!(Decision::Approve.as_str(), "approve");
    }
}
