//! The pages a person sees, in Indonesian like SPSE v4.5's: login, the 60 s
//! waiting page, the code page, Beranda, Aktivasi TOTP with its QR, disable,
//! and Reset TOTP by an "email" shown on `/mailbox`.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, Form, State as Extract};
use axum::http::header::{COOKIE, SET_COOKIE, USER_AGENT};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use qrcode::QrCode;
use qrcode::render::svg;
use rusqlite::{OptionalExtension, params};
use serde::Deserialize;
use spse_otp::{Account, Algorithm, EnrollToken, Enrollment, Field, Kind, Secret, ServerUrl};
use zeroize::Zeroizing;

use crate::api::LoginStatus;
use crate::{State, constant_time_eq, db, hash_password, now_ms, totp};

type Shared = Arc<State>;

/// The window of [`crate::Config::push_limit`].
const PUSH_WINDOW_MS: u64 = 10 * 60_000;

pub(crate) fn routes() -> Router<Shared> {
    Router::new()
        .route("/", get(login_page))
        .route("/login", post(login))
        .route("/login/wait", get(wait_page))
        .route("/login/status", get(login_status))
        .route("/login/code", get(code_page).post(code_submit))
        .route("/beranda", get(beranda))
        .route("/logout", post(logout))
        .route("/totp/aktivasi", get(aktivasi))
        .route("/totp/aktivasi/payload", get(aktivasi_payload))
        .route("/totp/disable", post(disable))
        .route("/totp/reset", get(reset_page).post(reset_request))
        .route("/totp/reset/confirm", get(reset_confirm))
        .route("/mailbox", get(mailbox_form).post(mailbox))
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn page(state: &State, title: &str, body: &str) -> Html<String> {
    Html(format!(
        "<!doctype html><html lang=\"id\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} - {site}</title><style>\
         body{{font-family:system-ui,sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem;color:#1b1b1f}}\
         header{{background:#8b1a1a;color:#fff;padding:.6rem 1rem;border-radius:.4rem}}\
         .box{{border:1px solid #ccc;border-radius:.4rem;padding:1rem;margin:1rem 0}}\
         .number{{font-size:3rem;font-weight:700;letter-spacing:.3rem}}\
         .error{{color:#b00020}} button,input{{font-size:1rem;padding:.4rem}}\
         </style></head><body><header>{site} &middot; SPSE 4.5 (sandbox)</header>\
         <h1>{title}</h1>{body}</body></html>",
        title = escape(title),
        site = escape(&state.config.site_name),
    ))
}

/// The session id from the `sid` cookie.
fn session_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix("sid=").map(str::to_owned))
}

/// The session's user and state.
fn session(state: &State, headers: &HeaderMap) -> Option<(String, String, Option<String>)> {
    let sid = session_id(headers)?;
    state
        .db()
        .query_row(
            "SELECT user_id, state, tx_id FROM sessions WHERE sid = ?1",
            params![sid],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()
        .ok()
        .flatten()
}

fn logged_in(state: &State, headers: &HeaderMap) -> Option<String> {
    session(state, headers)
        .filter(|(_, s, _)| s == "logged_in")
        .map(|(user, _, _)| user)
}

async fn login_page(Extract(state): Extract<Shared>) -> Html<String> {
    login_form(&state, "")
}

fn login_form(state: &State, error: &str) -> Html<String> {
    page(
        state,
        "Login",
        &format!(
            "{error}<form method=\"post\" action=\"/login\" class=\"box\">\
             <p><label>User ID<br><input name=\"user_id\" autocomplete=\"username\" required></label></p>\
             <p><label>Password<br><input name=\"password\" type=\"password\" \
             autocomplete=\"current-password\" required></label></p>\
             <button>Login</button></form>\
             <p><a href=\"/totp/reset\">Reset TOTP</a> &middot; <a href=\"/mailbox\">Mailbox</a></p>"
        ),
    )
}

#[derive(Deserialize)]
struct LoginForm {
    user_id: String,
    password: String,
}

/// The user whose password this is. PBKDF2 runs off the async workers, and
/// as long for an unknown user ID as for a known one, so timing tells nobody
/// which IDs exist.
async fn check_password(state: &State, form: &LoginForm) -> Option<db::User> {
    let user = db::user(&state.db(), &form.user_id).ok().flatten();
    let salt = user
        .as_ref()
        .map_or_else(|| vec![0u8; 16], |u| u.salt.clone());
    let password = form.password.clone();
    let computed = tokio::task::spawn_blocking(move || hash_password(&salt, &password))
        .await
        .ok()?;
    user.filter(|u| constant_time_eq(&computed, &u.password_hash))
}

async fn login(
    Extract(state): Extract<Shared>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let Some(user) = check_password(&state, &form).await else {
        let error = "<p class=\"error\">User ID atau password salah.</p>";
        return (StatusCode::UNAUTHORIZED, login_form(&state, error)).into_response();
    };
    let sid = state.random_token();
    let now = now_ms();
    let user_agent = headers
        .get(USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .chars()
        .take(300)
        .collect::<String>();
    let (session_state, tx_id, target) = if !user.totp_active {
        ("logged_in", None, "/beranda")
    } else if user.role == "penyedia" {
        ("code", None, "/login/code")
    } else {
        match start_challenge(
            &state,
            &user,
            &sid,
            &peer.ip().to_string(),
            &user_agent,
            now,
        ) {
            Some(tx_id) => ("waiting", Some(tx_id), "/login/wait"),
            None => ("code", None, "/login/code"),
        }
    };
    let _ = state.db().execute(
        "INSERT INTO sessions (sid, user_id, state, tx_id, created) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![sid, user.user_id, session_state, tx_id, now],
    );
    if tx_id.is_some() {
        state.new_challenge.notify_waiters();
    }
    (
        [(
            SET_COOKIE,
            format!("sid={sid}; HttpOnly; SameSite=Lax; Path=/"),
        )],
        Redirect::to(target),
    )
        .into_response()
}

/// Creates a login for the app to answer, unless pushes are paused after a
/// report, rate-limited, or the user has no device: then the code page.
pub(crate) fn start_challenge(
    state: &State,
    user: &db::User,
    sid: &str,
    ip: &str,
    user_agent: &str,
    now: u64,
) -> Option<String> {
    if now < user.paused_until {
        return None;
    }
    let db = state.db();
    let devices: u32 = db
        .query_row(
            "SELECT COUNT(*) FROM devices WHERE user_id = ?1",
            params![user.user_id],
            |r| r.get(0),
        )
        .ok()?;
    let recent: u32 = db
        .query_row(
            "SELECT COUNT(*) FROM challenges WHERE user_id = ?1 AND created > ?2",
            params![user.user_id, now.saturating_sub(PUSH_WINDOW_MS)],
            |r| r.get(0),
        )
        .ok()?;
    if devices == 0 || recent >= state.config.push_limit {
        return None;
    }
    let tx_id = format!("tx-{}", state.random_token());
    let random = state.random_bytes::<2>();
    let number = 10 + u16::from_be_bytes(random) % 90;
    let ttl = u64::try_from(state.config.challenge_ttl.as_millis()).unwrap_or(u64::MAX);
    db.execute(
        "INSERT INTO challenges (tx_id, user_id, session, nonce, number, number_match, ip,
         user_agent, created, expires, state) VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, ?7, ?8, ?9, 'pending')",
        params![
            tx_id,
            user.user_id,
            sid,
            state.random_token(),
            number.to_string(),
            ip,
            user_agent,
            now,
            now + ttl
        ],
    )
    .ok()?;
    Some(tx_id)
}

/// The login's state, for the waiting page's script and outside checks.
fn status_of(state: &State, headers: &HeaderMap) -> LoginStatus {
    let Some((_, session_state, tx_id)) = session(state, headers) else {
        return LoginStatus {
            state: "expired",
            number: None,
        };
    };
    let challenge = tx_id.and_then(|tx| db::challenge(&state.db(), &tx).ok().flatten());
    let number = challenge.as_ref().and_then(|c| c.number.parse().ok());
    let shown = match session_state.as_str() {
        "logged_in" => "accepted",
        "denied" | "reported" => "denied",
        _ => match &challenge {
            Some(c) if c.state == "denied" || c.state == "reported" => "denied",
            Some(c) if c.state == "expired" || now_ms() >= c.expires => "expired",
            _ => "waiting",
        },
    };
    LoginStatus {
        state: shown,
        number,
    }
}

async fn login_status(Extract(state): Extract<Shared>, headers: HeaderMap) -> Json<LoginStatus> {
    Json(status_of(&state, &headers))
}

async fn wait_page(Extract(state): Extract<Shared>, headers: HeaderMap) -> Html<String> {
    let status = status_of(&state, &headers);
    let number = status.number.map_or_else(String::new, |n| n.to_string());
    let seconds = state.config.challenge_ttl.as_secs();
    page(
        &state,
        "Konfirmasi Login",
        &format!(
            "<div class=\"box\"><p>Segera klik akun Anda pada SPSE Authenticator dan Konfirmasi \
             Authorize Login.</p><p>Pilih angka ini di aplikasi:</p>\
             <p class=\"number\" id=\"number\">{number}</p>\
             <p>Sisa waktu: <span id=\"left\">{seconds}</span> detik</p>\
             <p id=\"result\" role=\"status\"></p></div>\
             <p>Tidak ada jaringan di ponsel? <a href=\"/login/code\">Masukkan kode 6 digit</a>.</p>\
             <script>let left={seconds};const tick=setInterval(async()=>{{left=Math.max(0,left-1);\
             document.getElementById('left').textContent=left;\
             const s=await (await fetch('/login/status')).json();\
             if(s.state==='accepted'){{clearInterval(tick);location='/beranda'}}\
             else if(s.state!=='waiting'){{clearInterval(tick);document.getElementById('result')\
             .textContent=s.state==='denied'?'Login ditolak.':'Waktu habis. Silakan login kembali.'}}}},1000);\
             </script>"
        ),
    )
}

async fn code_page(Extract(state): Extract<Shared>) -> Html<String> {
    code_form(&state, "")
}

fn code_form(state: &State, error: &str) -> Html<String> {
    page(
        state,
        "Kode TOTP",
        &format!(
            "{error}<form method=\"post\" action=\"/login/code\" class=\"box\">\
             <p><label>Masukkan 6 digit kode dari SPSE Authenticator<br>\
             <input name=\"code\" inputmode=\"numeric\" pattern=\"[0-9]{{6}}\" \
             autocomplete=\"one-time-code\" required></label></p><button>Kirim</button></form>"
        ),
    )
}

#[derive(Deserialize)]
struct CodeForm {
    code: String,
}

async fn code_submit(
    Extract(state): Extract<Shared>,
    headers: HeaderMap,
    Form(form): Form<CodeForm>,
) -> Response {
    let Some((user_id, _, _)) = session(&state, &headers) else {
        return Redirect::to("/").into_response();
    };
    let result = {
        let db = state.db();
        let secret = db::user(&db, &user_id)
            .ok()
            .flatten()
            .and_then(|u| u.totp_secret);
        match secret {
            Some(secret) => totp::verify(&db, &user_id, &secret, form.code.trim(), now_ms(), false),
            None => Err(spse_protocol::wire::ErrorCode::TotpDisabled),
        }
    };
    match result {
        Ok(()) => {
            if let Some(sid) = session_id(&headers) {
                let _ = state.db().execute(
                    "UPDATE sessions SET state = 'logged_in' WHERE sid = ?1",
                    params![sid],
                );
            }
            Redirect::to("/beranda").into_response()
        }
        Err(code) => {
            let error = format!("<p class=\"error\">Kode ditolak ({}).</p>", code.as_str());
            (StatusCode::UNPROCESSABLE_ENTITY, code_form(&state, &error)).into_response()
        }
    }
}

async fn beranda(Extract(state): Extract<Shared>, headers: HeaderMap) -> Response {
    let Some(user_id) = logged_in(&state, &headers) else {
        return Redirect::to("/").into_response();
    };
    let active = db::user(&state.db(), &user_id)
        .ok()
        .flatten()
        .is_some_and(|u| u.totp_active);
    let totp = if active {
        "<p><strong>TOTP Aktif</strong></p><form method=\"post\" action=\"/totp/disable\">\
         <button>Disable TOTP</button></form>"
    } else {
        "<p>TOTP belum aktif.</p><p><a href=\"/totp/aktivasi\">Enable TOTP (Aktivasi TOTP)</a></p>"
    };
    page(
        &state,
        "Beranda",
        &format!(
            "<p>Selamat datang, {}.</p><div class=\"box\">{totp}</div>\
             <form method=\"post\" action=\"/logout\"><button>Logout</button></form>",
            escape(&user_id)
        ),
    )
    .into_response()
}

async fn logout(headers: HeaderMap, Extract(state): Extract<Shared>) -> Redirect {
    if let Some(sid) = session_id(&headers) {
        let _ = state
            .db()
            .execute("DELETE FROM sessions WHERE sid = ?1", params![sid]);
    }
    Redirect::to("/")
}

/// The user's current Aktivasi payload: the newest unexpired, unused
/// enrollment's, or a new one (a new secret and single-use token).
fn current_enrollment(state: &State, user_id: &str, fresh: bool) -> Option<Zeroizing<String>> {
    let now = now_ms();
    let db = state.db();
    let existing: Option<(String, Vec<u8>)> = if fresh {
        None
    } else {
        db.query_row(
            "SELECT token, secret FROM enrollments WHERE user_id = ?1 AND used = 0 AND expires > ?2
             ORDER BY expires DESC LIMIT 1",
            params![user_id, now],
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
                "INSERT INTO enrollments (token, user_id, secret, expires) VALUES (?1, ?2, ?3, ?4)",
                params![token, user_id, secret, now + ttl],
            )
            .ok()?;
            (token, secret)
        }
    };
    let account = Account::new(
        Some(state.config.site_name.clone()),
        user_id.to_owned(),
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

async fn aktivasi(Extract(state): Extract<Shared>, headers: HeaderMap) -> Response {
    let Some(user_id) = logged_in(&state, &headers) else {
        return Redirect::to("/").into_response();
    };
    let Some(payload) = current_enrollment(&state, &user_id, true) else {
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
            "<div class=\"box\"><p>Pindai kode QR ini dengan SPSE Authenticator \
             (Tambah Account). Kode QR berlaku <span id=\"left\">{seconds}</span> detik.</p>\
             <div role=\"img\" aria-label=\"Kode QR aktivasi TOTP\">{svg}</div>\
             <p><a href=\"/totp/aktivasi\">Muat ulang kode QR</a> &middot; \
             <a href=\"/beranda\">Kembali ke Beranda</a></p></div>\
             <script>let left={seconds};setInterval(()=>{{left=Math.max(0,left-1);\
             document.getElementById('left').textContent=left;}},1000);</script>"
        ),
    )
    .into_response()
}

async fn aktivasi_payload(Extract(state): Extract<Shared>, headers: HeaderMap) -> Response {
    let Some(user_id) = logged_in(&state, &headers) else {
        return (StatusCode::UNAUTHORIZED, "login first\n").into_response();
    };
    match current_enrollment(&state, &user_id, false) {
        Some(payload) => payload.to_string().into_response(),
        None => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

async fn disable(Extract(state): Extract<Shared>, headers: HeaderMap) -> Response {
    let Some(user_id) = logged_in(&state, &headers) else {
        return Redirect::to("/").into_response();
    };
    turn_off_totp(&state, &user_id);
    Redirect::to("/beranda").into_response()
}

/// Disable and reset both end here: TOTP off and its secret gone. The
/// device stays known, so the app can learn (`GET /device`: `disabled`) that
/// its account may now be deleted; a new enrollment replaces it.
fn turn_off_totp(state: &State, user_id: &str) {
    let _ = state.db().execute(
        "UPDATE users SET totp_active = 0, totp_secret = NULL, last_step = NULL WHERE user_id = ?1",
        params![user_id],
    );
}

async fn reset_page(Extract(state): Extract<Shared>) -> Html<String> {
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
struct ResetForm {
    user_id: String,
}

async fn reset_request(
    Extract(state): Extract<Shared>,
    Form(form): Form<ResetForm>,
) -> Html<String> {
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
}

#[derive(Deserialize)]
struct ResetConfirm {
    token: String,
}

async fn reset_confirm(
    Extract(state): Extract<Shared>,
    axum::extract::Query(query): axum::extract::Query<ResetConfirm>,
) -> Response {
    // Used exactly once: the link is spent by the same statement that reads it.
    let user: Option<String> = state
        .db()
        .query_row(
            "UPDATE mailbox SET used = 1 WHERE token = ?1 AND used = 0 RETURNING user_id",
            params![query.token],
            |r| r.get(0),
        )
        .optional()
        .ok()
        .flatten();
    let Some(user_id) = user else {
        return (
            StatusCode::NOT_FOUND,
            page(&state, "Reset TOTP", "<p>Tautan tidak valid.</p>"),
        )
            .into_response();
    };
    turn_off_totp(&state, &user_id);
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

/// The "email" inbox: a user opens their own with their password, as they
/// would their mail; nobody else's reset links are shown.
async fn mailbox_form(Extract(state): Extract<Shared>) -> Html<String> {
    page(
        &state,
        "Mailbox",
        "<form method=\"post\" action=\"/mailbox\" class=\"box\">\
         <p>Email sandbox: masuk untuk membaca email Anda.</p>\
         <p><label>User ID<br><input name=\"user_id\" required></label></p>\
         <p><label>Password<br><input name=\"password\" type=\"password\" required></label></p>\
         <button>Buka</button></form>",
    )
}

async fn mailbox(Extract(state): Extract<Shared>, Form(form): Form<LoginForm>) -> Response {
    let Some(user) = check_password(&state, &form).await else {
        return (
            StatusCode::UNAUTHORIZED,
            page(&state, "Mailbox", "<p>Login gagal.</p>"),
        )
            .into_response();
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
