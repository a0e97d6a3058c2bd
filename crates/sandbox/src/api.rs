//! The protocol endpoints (docs/protocol.md section 6) and the rules of
//! section 8, each refusal with its error code.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request, State as Extract};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post, put};
use axum::{Json, Router};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use ring::digest::{SHA256, digest};
use rusqlite::params;
use serde::{Deserialize, Serialize};
use spse_protocol::signing::{DecideFields, decide_input, enroll_input, request_input};
use spse_protocol::wire::{
    Challenge, ChallengesResponse, DecideRequest, DecideResponse, Decision, DeviceResponse,
    DeviceStatus, EnrollRequest, EnrollResponse, ErrorBody, ErrorCode, Outcome, PushRequest,
    PushResponse, PushStatus, RemovedResponse,
};
use spse_protocol::{
    DeviceAuth, MAX_CLOCK_SKEW_MS, MAX_NUMBER_ATTEMPTS, MAX_WAIT_SECONDS, PublicKey,
    REPORT_GRACE_MS, REPORT_PAUSE_MS,
};

use crate::db::{self, Device};
use crate::{State, now_ms, totp};

type Shared = Arc<State>;

pub(crate) fn routes() -> Router<Shared> {
    Router::new()
        .route("/authenticator/v1/enroll", post(enroll))
        .route("/authenticator/v1/challenges", get(challenges))
        .route("/authenticator/v1/challenges/{tx_id}", post(decide))
        .route(
            "/authenticator/v1/device",
            get(device_status).delete(remove_device),
        )
        .route(
            "/authenticator/v1/push",
            put(register_push).delete(remove_push),
        )
        // Anything else under the protocol's prefix (an unknown endpoint,
        // a method an endpoint does not take) is a malformed request too,
        // answered in the protocol's JSON like every other refusal.
        .route("/authenticator/v1", any(unknown))
        .route("/authenticator/v1/", any(unknown))
        .route("/authenticator/v1/{*rest}", any(unknown))
        .method_not_allowed_fallback(unknown)
}

async fn unknown() -> ApiError {
    ApiError::of(ErrorCode::InvalidRequest)
}

/// A query string the endpoint can read, or `invalid_request`.
pub(crate) struct ApiQuery<T>(T);

impl<T: for<'de> Deserialize<'de>, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(value)| ApiQuery(value))
            .map_err(|_| ApiError::of(ErrorCode::InvalidRequest))
    }
}

/// A path parameter the endpoint can read, or `invalid_request`.
pub(crate) struct ApiPath(String);

impl<S: Send + Sync> FromRequestParts<S> for ApiPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        Path::<String>::from_request_parts(parts, state)
            .await
            .map(|Path(value)| ApiPath(value))
            .map_err(|_| ApiError::of(ErrorCode::InvalidRequest))
    }
}

/// A request body (at most 64 KiB), or `invalid_request`.
pub(crate) struct ApiBody(Bytes);

/// No protocol body comes near this.
const MAX_BODY: usize = 64 * 1024;

impl<S: Send + Sync> FromRequest<S> for ApiBody {
    type Rejection = ApiError;

    async fn from_request(request: Request, _: &S) -> Result<Self, ApiError> {
        axum::body::to_bytes(request.into_body(), MAX_BODY)
            .await
            .map(ApiBody)
            .map_err(|_| ApiError::of(ErrorCode::InvalidRequest))
    }
}

/// A refusal: the error code, and words for people in Indonesian.
pub(crate) struct ApiError(ErrorCode, &'static str);

impl ApiError {
    fn of(code: ErrorCode) -> ApiError {
        let message = match code {
            ErrorCode::InvalidRequest => "Permintaan tidak valid",
            ErrorCode::BadSignature => "Tanda tangan tidak valid",
            ErrorCode::StaleTimestamp => "Jam perangkat tidak sesuai",
            ErrorCode::ReplayedRequest => "Permintaan sudah pernah dikirim",
            ErrorCode::UnknownDevice => "Perangkat tidak dikenal",
            ErrorCode::TotpDisabled => "TOTP tidak aktif untuk akun ini",
            ErrorCode::Blocked => "Akun diblokir",
            ErrorCode::UnknownEnrollment => "Kode aktivasi tidak dikenal",
            ErrorCode::UnknownChallenge => "Permintaan login tidak dikenal",
            ErrorCode::EnrollmentUsed => "Kode aktivasi sudah digunakan",
            ErrorCode::ChallengeDecided => "Permintaan login sudah dijawab",
            ErrorCode::EnrollmentExpired => "Kode QR sudah kedaluwarsa",
            ErrorCode::ChallengeExpired => "Permintaan login sudah kedaluwarsa",
            ErrorCode::BadCode => "Kode TOTP salah",
            ErrorCode::CodeReused => "Kode TOTP sudah digunakan",
            ErrorCode::NumberRequired => "Masukkan angka yang tampil di halaman login",
            ErrorCode::NumberMismatch => "Angka tidak cocok",
            ErrorCode::RateLimited => "Terlalu banyak percobaan, coba lagi nanti",
        };
        ApiError(code, message)
    }
}

impl From<ErrorCode> for ApiError {
    fn from(code: ErrorCode) -> ApiError {
        ApiError::of(code)
    }
}

impl From<rusqlite::Error> for ApiError {
    fn from(_: rusqlite::Error) -> ApiError {
        ApiError::of(ErrorCode::InvalidRequest)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.0.status()).unwrap_or(StatusCode::BAD_REQUEST);
        let body = ErrorBody {
            server_time: now_ms(),
            error: self.0,
            message: self.1.to_owned(),
        };
        (status, Json(body)).into_response()
    }
}

type ApiResult<T> = Result<Json<T>, ApiError>;

fn parse<T: for<'de> Deserialize<'de>>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|_| ApiError::of(ErrorCode::InvalidRequest))
}

fn no_newline(values: &[&str]) -> Result<(), ApiError> {
    if values.iter().any(|v| v.contains('\n')) {
        return Err(ErrorCode::InvalidRequest.into());
    }
    Ok(())
}

async fn enroll(
    Extract(state): Extract<Shared>,
    ApiBody(body): ApiBody,
) -> ApiResult<EnrollResponse> {
    let request: EnrollRequest = parse(&body)?;
    no_newline(&[
        &request.enroll,
        &request.user_id,
        &request.device_id,
        &request.public_key,
    ])?;
    let now = now_ms();
    let db = state.db();
    let (user_id, secret, expires, used, session): (String, Vec<u8>, u64, bool, Option<String>) =
        db.query_row(
            "SELECT user_id, secret, expires, used, session FROM enrollments WHERE token = ?1",
            params![request.enroll],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .map_err(|_| ApiError::of(ErrorCode::UnknownEnrollment))?;
    if used {
        return Err(ErrorCode::EnrollmentUsed.into());
    }
    if now >= expires {
        return Err(ErrorCode::EnrollmentExpired.into());
    }
    if user_id != request.user_id || request.device_id.len() != 22 {
        return Err(ErrorCode::InvalidRequest.into());
    }
    let key =
        PublicKey::parse(&request.public_key).map_err(|_| ApiError::of(ErrorCode::BadSignature))?;
    let input = enroll_input(
        &request.enroll,
        &request.user_id,
        &request.device_id,
        &request.public_key,
    )
    .map_err(|_| ApiError::of(ErrorCode::InvalidRequest))?;
    key.verify(&input, &request.sig)
        .map_err(|_| ApiError::of(ErrorCode::BadSignature))?;
    if db::user(&db, &user_id)?.is_some_and(|u| u.blocked) {
        return Err(ErrorCode::Blocked.into());
    }
    totp::verify(&db, &user_id, &secret, &request.code, now, true)?;

    // All checks passed: consume the token and bind the device, atomically.
    db.execute_batch("BEGIN")?;
    let done = (|| -> rusqlite::Result<()> {
        // This token, and every other QR the user was shown, are spent.
        db.execute(
            "UPDATE enrollments SET used = 1 WHERE user_id = ?1 AND used = 0",
            params![user_id],
        )?;
        db.execute(
            "UPDATE users SET totp_secret = ?2, totp_active = 1 WHERE user_id = ?1",
            params![user_id, secret],
        )?;
        db.execute(
            "DELETE FROM push_subscriptions WHERE device_id IN
             (SELECT device_id FROM devices WHERE user_id = ?1)",
            params![user_id],
        )?;
        db.execute("DELETE FROM devices WHERE user_id = ?1", params![user_id])?;
        // TOTP changed: every other session of the user ends; the one that
        // showed this QR stays, to see "TOTP Aktif".
        db.execute(
            "DELETE FROM sessions WHERE user_id = ?1 AND sid IS NOT ?2",
            params![user_id, session],
        )?;
        db.execute(
            "INSERT INTO devices (device_id, user_id, name, public_key, created)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                request.device_id,
                user_id,
                request.device_name,
                request.public_key,
                now
            ],
        )?;
        Ok(())
    })();
    match done {
        Ok(()) => db.execute_batch("COMMIT")?,
        Err(e) => {
            let _ = db.execute_batch("ROLLBACK");
            return Err(e.into());
        }
    }
    Ok(Json(EnrollResponse {
        server_time: now,
        site_name: state.config.site_name.clone(),
        user_id,
        status: DeviceStatus::Active,
        push: Some(state.push_info()),
    }))
}

/// Checks a signed request (docs/protocol.md section 5): a known device, a
/// signature that verifies, a fresh timestamp, never the same signature twice.
fn authenticate(
    state: &State,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Device, ApiError> {
    let header = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .ok_or(ApiError::of(ErrorCode::BadSignature))?;
    let auth = DeviceAuth::parse(header).map_err(|_| ApiError::of(ErrorCode::BadSignature))?;
    let path = uri.path_and_query().map_or(uri.path(), |p| p.as_str());
    let db = state.db();
    let device = db::device(&db, &auth.device_id)?.ok_or(ApiError::of(ErrorCode::UnknownDevice))?;
    let key =
        PublicKey::parse(&device.public_key).map_err(|_| ApiError::of(ErrorCode::UnknownDevice))?;
    let input = request_input(method.as_str(), path, auth.ts, body)
        .map_err(|_| ApiError::of(ErrorCode::InvalidRequest))?;
    key.verify(&input, &auth.sig)
        .map_err(|_| ApiError::of(ErrorCode::BadSignature))?;
    let now = now_ms();
    if now.abs_diff(auth.ts) > MAX_CLOCK_SKEW_MS {
        return Err(ErrorCode::StaleTimestamp.into());
    }
    db.execute(
        "DELETE FROM seen_signatures WHERE seen < ?1",
        params![now.saturating_sub(3 * MAX_CLOCK_SKEW_MS)],
    )?;
    // Keyed on what was signed, not on the signature's text: an ECDSA
    // signature (r, s) has a twin (r, n - s) that verifies as well.
    let seen = format!(
        "{}:{}",
        auth.device_id,
        B64.encode(digest(&SHA256, input.as_bytes()).as_ref())
    );
    let fresh = db.execute(
        "INSERT OR IGNORE INTO seen_signatures (sig, seen) VALUES (?1, ?2)",
        params![seen, now],
    )?;
    if fresh == 0 {
        return Err(ErrorCode::ReplayedRequest.into());
    }
    Ok(device)
}

/// A bodiless signed request (`GET`, `DELETE`) whose `device_id` query
/// parameter must name the device that signed it.
fn authenticate_query(
    state: &State,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    device_id: &str,
) -> Result<Device, ApiError> {
    let device = authenticate(state, method, uri, headers, b"")?;
    if device.device_id != device_id {
        return Err(ErrorCode::InvalidRequest.into());
    }
    Ok(device)
}

#[derive(Deserialize)]
struct DeviceQuery {
    device_id: String,
}

#[derive(Deserialize)]
struct ChallengesQuery {
    device_id: String,
    #[serde(default)]
    wait: u64,
}

fn active_user(state: &State, device: &Device) -> Result<(), ApiError> {
    let user =
        db::user(&state.db(), &device.user_id)?.ok_or(ApiError::of(ErrorCode::UnknownDevice))?;
    if user.blocked {
        return Err(ErrorCode::Blocked.into());
    }
    if !user.totp_active {
        return Err(ErrorCode::TotpDisabled.into());
    }
    Ok(())
}

async fn challenges(
    Extract(state): Extract<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<ChallengesQuery>,
) -> ApiResult<ChallengesResponse> {
    let device = authenticate_query(&state, &method, &uri, &headers, &query.device_id)?;
    if query.wait > MAX_WAIT_SECONDS {
        return Err(ErrorCode::InvalidRequest.into());
    }
    active_user(&state, &device)?;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(query.wait);
    let poll = state.open_poll(&device.device_id, &device.user_id);
    let mut superseded = false;
    loop {
        // Register for wake-ups before looking, so no login slips between.
        let woken = poll.new_login.notified();
        let newer = poll.superseded.notified();
        let now = now_ms();
        let rows = db::pending_challenges(&state.db(), &device.user_id, now)?;
        if !rows.is_empty() || superseded || tokio::time::Instant::now() >= deadline {
            let challenges = rows
                .into_iter()
                .map(|row| Challenge {
                    tx_id: row.tx_id,
                    nonce: row.nonce,
                    user_id: row.user_id,
                    origin: state.origin().to_owned(),
                    ip: row.ip,
                    user_agent: row.user_agent,
                    created: row.created,
                    expires: row.expires,
                    number_match: row.number_match,
                })
                .collect();
            return Ok(Json(ChallengesResponse {
                server_time: now,
                challenges,
            }));
        }
        tokio::select! {
            () = woken => {
                state.wakeups.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            () = newer => superseded = true,
            () = tokio::time::sleep_until(deadline) => {}
        }
    }
}

async fn decide(
    Extract(state): Extract<Shared>,
    ApiPath(tx_id): ApiPath,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    ApiBody(body): ApiBody,
) -> ApiResult<DecideResponse> {
    let device = authenticate(&state, &method, &uri, &headers, &body)?;
    let request: DecideRequest = parse(&body)?;
    if request.device_id != device.device_id {
        return Err(ErrorCode::InvalidRequest.into());
    }
    let number = request.number.clone().unwrap_or_default();
    no_newline(&[&number])?;
    let now = now_ms();
    if now.abs_diff(request.iat) > MAX_CLOCK_SKEW_MS {
        return Err(ErrorCode::StaleTimestamp.into());
    }
    active_user(&state, &device)?;

    let db = state.db();
    let row = db::challenge(&db, &tx_id)?
        .filter(|row| row.user_id == device.user_id)
        .ok_or(ApiError::of(ErrorCode::UnknownChallenge))?;
    let expired = row.state == "expired" || now >= row.expires;
    // "Bukan saya" stays possible on a login that just expired: the user
    // still reports the attempt, and pushes pause (docs/protocol.md 6.3).
    let late_report = request.decision == Decision::Report
        && expired
        && now < row.expires.saturating_add(REPORT_GRACE_MS);
    if row.state != "pending" && !(late_report && row.state == "expired") {
        return Err(ErrorCode::ChallengeDecided.into());
    }
    if expired && !late_report {
        db.execute(
            "UPDATE challenges SET state = 'expired' WHERE tx_id = ?1",
            params![tx_id],
        )?;
        return Err(ErrorCode::ChallengeExpired.into());
    }
    let input = decide_input(&DecideFields {
        tx_id: &row.tx_id,
        nonce: &row.nonce,
        origin: state.origin(),
        user_id: &row.user_id,
        decision: request.decision.as_str(),
        number: &number,
        device_id: &device.device_id,
        iat: request.iat,
    })
    .map_err(|_| ApiError::of(ErrorCode::InvalidRequest))?;
    PublicKey::parse(&device.public_key)
        .and_then(|key| key.verify(&input, &request.sig))
        .map_err(|_| ApiError::of(ErrorCode::BadSignature))?;

    if request.decision == Decision::Approve && row.number_match {
        if request.number.is_none() {
            return Err(ErrorCode::NumberRequired.into());
        }
        if number != row.number {
            let attempts = row.attempts + 1;
            let state_after = if attempts >= MAX_NUMBER_ATTEMPTS {
                "denied"
            } else {
                "pending"
            };
            db.execute(
                "UPDATE challenges SET attempts = ?2, state = ?3 WHERE tx_id = ?1 AND state = 'pending'",
                params![tx_id, attempts, state_after],
            )?;
            if state_after == "denied" {
                state.settle(&row.user_id);
            }
            return Err(ErrorCode::NumberMismatch.into());
        }
    }

    let (outcome, new_state, verb) = match request.decision {
        Decision::Approve => (Outcome::Accepted, "accepted", "diterima"),
        Decision::Deny => (Outcome::Denied, "denied", "ditolak"),
        Decision::Report => (Outcome::Reported, "reported", "dilaporkan"),
    };
    // Consumed by the first valid decision only: the state check is in the UPDATE.
    let changed = db.execute(
        "UPDATE challenges SET state = ?2 WHERE tx_id = ?1
         AND (state = 'pending' OR (state = 'expired' AND ?3))",
        params![tx_id, new_state, late_report],
    )?;
    if changed == 0 {
        return Err(ErrorCode::ChallengeDecided.into());
    }
    let session_state = if outcome == Outcome::Accepted {
        "logged_in"
    } else {
        new_state
    };
    db.execute(
        "UPDATE sessions SET state = ?2 WHERE sid = ?1",
        params![row.session, session_state],
    )?;
    if outcome == Outcome::Reported {
        // Pause pushes, and end every other login still waiting: after "Bukan
        // saya" the app must not keep asking about the attacker's other tries.
        db.execute(
            "UPDATE users SET paused_until = ?2 WHERE user_id = ?1",
            params![row.user_id, now + REPORT_PAUSE_MS],
        )?;
        db.execute(
            "UPDATE sessions SET state = 'denied' WHERE sid IN
             (SELECT session FROM challenges WHERE user_id = ?1 AND state = 'pending')",
            params![row.user_id],
        )?;
        db.execute(
            "UPDATE challenges SET state = 'denied' WHERE user_id = ?1 AND state = 'pending'",
            params![row.user_id],
        )?;
    }
    state.settle(&row.user_id);
    Ok(Json(DecideResponse {
        server_time: now,
        result: outcome,
        message: format!("Login {} {verb}", row.user_id),
    }))
}

async fn device_status(
    Extract(state): Extract<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<DeviceQuery>,
) -> ApiResult<DeviceResponse> {
    let device = authenticate_query(&state, &method, &uri, &headers, &query.device_id)?;
    let user =
        db::user(&state.db(), &device.user_id)?.ok_or(ApiError::of(ErrorCode::UnknownDevice))?;
    if user.blocked {
        return Err(ErrorCode::Blocked.into());
    }
    Ok(Json(DeviceResponse {
        server_time: now_ms(),
        user_id: user.user_id,
        status: if user.totp_active {
            DeviceStatus::Active
        } else {
            DeviceStatus::Disabled
        },
        push: Some(state.push_info()),
    }))
}

async fn remove_device(
    Extract(state): Extract<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<DeviceQuery>,
) -> ApiResult<RemovedResponse> {
    let device = authenticate_query(&state, &method, &uri, &headers, &query.device_id)?;
    let db = state.db();
    db.execute(
        "DELETE FROM push_subscriptions WHERE device_id = ?1",
        params![device.device_id],
    )?;
    db.execute(
        "DELETE FROM devices WHERE device_id = ?1",
        params![device.device_id],
    )?;
    Ok(Json(RemovedResponse {
        server_time: now_ms(),
        status: DeviceStatus::Removed,
    }))
}

/// `PUT /push` (docs/protocol.md 6.6): the device's push subscription,
/// stored in place of any earlier one; a bad endpoint or key is
/// `invalid_request`.
async fn register_push(
    Extract(state): Extract<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<DeviceQuery>,
    ApiBody(body): ApiBody,
) -> ApiResult<PushResponse> {
    let device = authenticate(&state, &method, &uri, &headers, &body)?;
    let request: PushRequest = parse(&body)?;
    if device.device_id != query.device_id || request.device_id != device.device_id {
        return Err(ErrorCode::InvalidRequest.into());
    }
    active_user(&state, &device)?;
    let subscription = crate::push::Subscription::check(
        &request.endpoint,
        &request.p256dh,
        &request.auth,
        state.pusher.training,
    )
    .map_err(|_| ApiError::of(ErrorCode::InvalidRequest))?;
    let now = now_ms();
    state.db().execute(
        "INSERT OR REPLACE INTO push_subscriptions (device_id, endpoint, p256dh, auth, created)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            device.device_id,
            subscription.endpoint,
            subscription.p256dh,
            subscription.auth,
            now
        ],
    )?;
    Ok(Json(PushResponse {
        server_time: now,
        status: PushStatus::Registered,
    }))
}

/// `DELETE /push`: no more pushes to the device (also when it had none).
async fn remove_push(
    Extract(state): Extract<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<DeviceQuery>,
) -> ApiResult<PushResponse> {
    let device = authenticate_query(&state, &method, &uri, &headers, &query.device_id)?;
    state.db().execute(
        "DELETE FROM push_subscriptions WHERE device_id = ?1",
        params![device.device_id],
    )?;
    Ok(Json(PushResponse {
        server_time: now_ms(),
        status: PushStatus::Removed,
    }))
}

/// What `GET /login/status` answers (a stable contract for outside checks).
#[derive(Serialize)]
pub(crate) struct LoginStatus {
    pub(crate) state: &'static str,
    pub(crate) number: Option<u32>,
}
