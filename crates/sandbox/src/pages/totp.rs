//! TOTP on and off: the Aktivasi page with its QR (which turns to "TOTP
//! Aktif" once the app enrolled), Disable TOTP, and Reset TOTP by a mailed
//! link read in the user's mailbox (its own password) and confirmed there.

use std::net::SocketAddr;

use axum::Json;
use axum::extract::{ConnectInfo, Form, Query, State as Extract};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use qrcode::QrCode;
use qrcode::render::svg;
use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use spse_otp::{Account, Algorithm, EnrollToken, Enrollment, Field, Kind, Secret, ServerUrl};
use zeroize::Zeroizing;

use super::guard::{self, Session};
use super::login::{Credentials, CsrfForm, Secret as Which, check_password};
use super::{Shared, escape, page};
use crate::{State, db, now_ms};

/// The session's current Aktivasi payload: its newest unexpired, unused
/// enrollment's, or a new one (a new secret and single-use token).
fn current_enrollment(state: &State, session: &Session, fresh: bool) -> Option<Zeroizing<String>> {
    let now = now_ms();
    let db = state.db();
    let existing: Option<(String, Vec<u8>)> = if fresh {
        None
    } else {
        db.query_row(
            "SELECT token, secret FROM enrollments WHERE user_id = ?1 AND used = 0 AND expires > ?2
             ORDER BY expires DESC LIMIT 1",
            params![session.user_id, now],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()
        .ok()?
    };
    let (token, secret) = match existing {
        Some(found) => found,
        None => {
            let token = state.random_token();
            let secret = state.random_bytes::<20>().to_vec();
            let ttl = u64::try_from(state.config.qr_ttl.as_millis()).unwrap_or(u64::MAX);
            db.execute(
                "INSERT INTO enrollments (token, user_id, secret, expires, session)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![token, session.user_id, secret, now + ttl, session.sid],
            )
            .ok()?;
            (token, secret)
        }
    };
    let account = Account::new(
        Some(state.config.site_name.clone()),
        session.user_id.clone(),
        Algorithm::Sha1,
        6,
        Kind::Totp { period: 30 },
        Secret::from_bytes(Zeroizing::new(secret)).ok()?,
    )
    .ok()?;
    let enrollment = Enrollment::new(
        account,
        ServerUrl::parse(Field::Spse, &state.config.base_url).ok()?,
        EnrollToken::new(Zeroizing::new(token)).ok()?,
    )
    .ok()?;
    Some(enrollment.to_uri())
}

pub(super) async fn aktivasi(Extract(state): Extract<Shared>, headers: HeaderMap) -> Response {
    let Some(session) = guard::logged_in(&state, &headers) else {
        return Redirect::to("/").into_response();
    };
    let Some(payload) = current_enrollment(&state, &session, true) else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let svg = QrCode::new(payload.as_bytes())
        .map(|qr| {
            qr.render::<svg::Color<'_>>()
                .min_dimensions(260, 260)
                .build()
        })
        .unwrap_or_default();
    let seconds = state.config.qr_ttl.as_secs();
    page(
        &state,
        "Aktivasi TOTP",
        &format!(
            "<div class=\"box\" id=\"aktivasi\"><p>Pindai kode QR ini dengan SPSE Authenticator \
             (Tambah Account). Kode QR berlaku <span id=\"left\">{seconds}</span> detik.</p>\
             <div role=\"img\" aria-label=\"Kode QR aktivasi TOTP\" id=\"qr\">{svg}</div></div>\
             <p id=\"result\" role=\"status\"></p>\
             <p><a href=\"/totp/aktivasi\">Muat ulang kode QR</a> &middot; \
             <a href=\"/beranda\">Kembali ke Beranda</a></p>\
             <script>let left={seconds};const tick=setInterval(async()=>{{left=Math.max(0,left-1);\
             document.getElementById('left').textContent=left;\
             const s=await (await fetch('/totp/aktivasi/status')).json();\
             if(s.state!=='waiting'){{clearInterval(tick);document.getElementById('qr').remove();\
             document.getElementById('result').innerHTML=s.state==='active'?\
             '<strong>TOTP Aktif</strong>. Akun Anda kini terhubung dengan SPSE Authenticator.':\
             'Kode QR kedaluwarsa. Muat ulang kode QR.'}}}},1000);</script>"
        ),
    )
    .into_response()
}

pub(super) async fn aktivasi_payload(
    Extract(state): Extract<Shared>,
    headers: HeaderMap,
) -> Response {
    let Some(session) = guard::logged_in(&state, &headers) else {
        return (StatusCode::UNAUTHORIZED, "login first\n").into_response();
    };
    match current_enrollment(&state, &session, false) {
        Some(payload) => payload.to_string().into_response(),
        None => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// What became of the session's newest Aktivasi QR.
#[derive(Serialize)]
pub(super) struct AktivasiStatus {
    /// `waiting` (shown, not used), `active` (the app enrolled with it),
    /// `expired`.
    state: &'static str,
}

pub(super) async fn aktivasi_status(
    Extract(state): Extract<Shared>,
    headers: HeaderMap,
) -> Json<AktivasiStatus> {
    let shown = guard::logged_in(&state, &headers).and_then(|session| {
        let db = state.db();
        let (used, expires): (bool, u64) = db
            .query_row(
                "SELECT used, expires FROM enrollments WHERE session = ?1
                 ORDER BY expires DESC LIMIT 1",
                params![session.sid],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .ok()
            .flatten()?;
        let active = db::user(&db, &session.user_id)
            .ok()
            .flatten()
            .is_some_and(|u| u.totp_active);
        Some(match (used && active, now_ms() >= expires) {
            (true, _) => "active",
            (false, true) => "expired",
            (false, false) => "waiting",
        })
    });
    Json(AktivasiStatus {
        state: shown.unwrap_or("expired"),
    })
}

pub(super) async fn disable(
    Extract(state): Extract<Shared>,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Response {
    let session = match guard::posted(&state, &headers, &form.csrf, true) {
        Ok(session) => session,
        Err(refused) => return refused.answer(&state),
    };
    turn_off_totp(&state, &session.user_id, Some(&session.sid));
    Redirect::to("/beranda").into_response()
}

/// Disable and reset both end here: TOTP off, its secret gone, and every
/// session of the user but `keep` ended. The device stays known, so the app
/// can learn (`GET /device`: `disabled`) that its account may now be
/// deleted; a new enrollment replaces it.
fn turn_off_totp(state: &State, user_id: &str, keep: Option<&str>) {
    let _ = state.db().execute(
        "UPDATE users SET totp_active = 0, totp_secret = NULL, last_step = NULL WHERE user_id = ?1",
        params![user_id],
    );
    guard::end_sessions(state, user_id, keep);
}

pub(super) async fn reset_page(Extract(state): Extract<Shared>) -> Html<String> {
    page(
        &state,
        "Reset TOTP",
        "<form method=\"post\" action=\"/totp/reset\" class=\"box\">\
         <p>Ponsel hilang atau diganti? Tautan reset dikirim ke email Anda.</p>\
         <p><label>User ID<br><input name=\"user_id\" required></label></p>\
         <button>Kirim tautan reset</button></form>",
    )
}

#[derive(Deserialize)]
pub(super) struct ResetForm {
    user_id: String,
}

pub(super) async fn reset_request(
    Extract(state): Extract<Shared>,
    headers: HeaderMap,
    Form(form): Form<ResetForm>,
) -> Response {
    if !guard::same_origin(&state, &headers) {
        return guard::forbidden(&state);
    }
    let known = db::user(&state.db(), &form.user_id)
        .ok()
        .flatten()
        .is_some();
    if known {
        // One live reset mail per user: a new request replaces the old one,
        // so requests cannot pile up rows.
        let token = state.random_token();
        let _ = state.db().execute(
            "DELETE FROM mailbox WHERE user_id = ?1",
            params![form.user_id],
        );
        let _ = state.db().execute(
            "INSERT INTO mailbox (user_id, subject, link, token, created) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                form.user_id,
                "Reset TOTP SPSE",
                format!("/totp/reset/confirm?token={token}"),
                token,
                now_ms()
            ],
        );
    }
    // The same answer whether the user exists or not.
    page(
        &state,
        "Reset TOTP",
        "<p class=\"box\">Jika User ID terdaftar, tautan reset telah dikirim ke email. \
         <a href=\"/mailbox\">Buka mailbox</a></p>",
    )
    .into_response()
}

#[derive(Deserialize)]
pub(super) struct ResetToken {
    token: String,
}

/// The mailed link's user, if the link is live.
fn reset_user(state: &State, token: &str) -> Option<String> {
    state
        .db()
        .query_row(
            "SELECT user_id FROM mailbox WHERE token = ?1 AND used = 0",
            params![token],
            |r| r.get(0),
        )
        .optional()
        .ok()
        .flatten()
}

fn invalid_link(state: &State) -> Response {
    (
        StatusCode::NOT_FOUND,
        page(state, "Reset TOTP", "<p>Tautan tidak valid.</p>"),
    )
        .into_response()
}

/// Opening the mailed link changes nothing (mail scanners and link
/// previews open links): it asks, and its form's POST resets.
pub(super) async fn reset_confirm_page(
    Extract(state): Extract<Shared>,
    Query(query): Query<ResetToken>,
) -> Response {
    let Some(user_id) = reset_user(&state, &query.token) else {
        return invalid_link(&state);
    };
    page(
        &state,
        "Reset TOTP",
        &format!(
            "<form method=\"post\" action=\"/totp/reset/confirm\" class=\"box\">\
             <p>Reset TOTP untuk {}? Setelah itu login hanya dengan password sampai TOTP \
             diaktifkan kembali.</p><input type=\"hidden\" name=\"token\" value=\"{}\">\
             <button>Reset TOTP</button></form>",
            escape(&user_id),
            escape(&query.token)
        ),
    )
    .into_response()
}

pub(super) async fn reset_confirm(
    Extract(state): Extract<Shared>,
    headers: HeaderMap,
    Form(form): Form<ResetToken>,
) -> Response {
    if !guard::same_origin(&state, &headers) {
        return guard::forbidden(&state);
    }
    // Used exactly once: the link is spent by the same statement that reads it.
    let user: Option<String> = state
        .db()
        .query_row(
            "UPDATE mailbox SET used = 1 WHERE token = ?1 AND used = 0 RETURNING user_id",
            params![form.token],
            |r| r.get(0),
        )
        .optional()
        .ok()
        .flatten();
    let Some(user_id) = user else {
        return invalid_link(&state);
    };
    turn_off_totp(&state, &user_id, None);
    page(
        &state,
        "Reset TOTP",
        &format!(
            "<p class=\"box\">TOTP untuk {} telah direset. Login, lalu aktifkan kembali \
             melalui Aktivasi TOTP.</p>",
            escape(&user_id)
        ),
    )
    .into_response()
}

/// The "email" inbox: a user opens their own with the mailbox's password,
/// as they would their mail; nobody else's reset links are shown.
pub(super) async fn mailbox_form(Extract(state): Extract<Shared>) -> Html<String> {
    page(
        &state,
        "Mailbox",
        "<form method=\"post\" action=\"/mailbox\" class=\"box\">\
         <p>Email sandbox: masuk dengan password email Anda (bukan password SPSE).</p>\
         <p><label>User ID<br><input name=\"user_id\" required></label></p>\
         <p><label>Password email<br><input name=\"password\" type=\"password\" required></label></p>\
         <button>Buka</button></form>",
    )
}

pub(super) async fn mailbox(
    Extract(state): Extract<Shared>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<Credentials>,
) -> Response {
    if !guard::same_origin(&state, &headers) {
        return guard::forbidden(&state);
    }
    let user = match check_password(
        &state,
        &form,
        Which::Mailbox,
        &peer.ip().to_string(),
        || {
            (
                StatusCode::UNAUTHORIZED,
                page(&state, "Mailbox", "<p>Login gagal.</p>"),
            )
                .into_response()
        },
    )
    .await
    {
        Ok(user) => user,
        Err(response) => return response,
    };
    let mails: Vec<(String, String, String)> = {
        let db = state.db();
        let mut statement = match db
            .prepare("SELECT user_id, subject, link FROM mailbox WHERE user_id = ?1 AND used = 0")
        {
            Ok(s) => s,
            Err(_) => return page(&state, "Mailbox", "<p>-</p>").into_response(),
        };
        statement
            .query_map(params![user.user_id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .map(|rows| rows.filter_map(Result::ok).collect())
            .unwrap_or_default()
    };
    let items: String = mails
        .iter()
        .map(|(user, subject, link)| {
            format!(
                "<li>Untuk {}: {} &mdash; <a href=\"{}\">Reset TOTP</a></li>",
                escape(user),
                escape(subject),
                escape(link)
            )
        })
        .collect();
    page(
        &state,
        "Mailbox",
        &format!("<ul class=\"box\">{items}</ul>"),
    )
    .into_response()
}
