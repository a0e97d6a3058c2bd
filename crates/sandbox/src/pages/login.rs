//! Logging in: the password form, the 60 s waiting page a push login shows
//! (with its number), the code page, Beranda and logout.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::extract::{ConnectInfo, Form, RawQuery, State as Extract};
use axum::http::header::USER_AGENT;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use rusqlite::params;
use serde::Deserialize;

use super::guard::{self, Throttle};
use super::{Shared, csrf_field, escape, page};
use crate::api::LoginStatus;
use crate::{State, constant_time_eq, db, hash_password, now_ms, totp};

/// The window of [`crate::Config::push_limit`].
const PUSH_WINDOW_MS: u64 = 10 * 60_000;
/// The longest user ID or password read from a form.
const MAX_FIELD: usize = 128;

pub(super) async fn login_page(Extract(state): Extract<Shared>) -> Html<String> {
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

/// A user ID and password, from the login or the mailbox form.
#[derive(Deserialize)]
pub(super) struct Credentials {
    pub(super) user_id: String,
    pub(super) password: String,
}

/// Which password of the user a form checks.
#[derive(Clone, Copy)]
pub(super) enum Secret {
    /// The SPSE password.
    Login,
    /// The mailbox's own password.
    Mailbox,
}

/// The user whose password (or mailbox password) this is, throttled per
/// user ID and per address: `Err` is the answer to send (429, or 401 with
/// `denied`). PBKDF2 runs off the async workers, and as long for an unknown
/// user ID as for a known one, so timing tells nobody which IDs exist.
pub(super) async fn check_password(
    state: &Arc<State>,
    form: &Credentials,
    which: Secret,
    ip: &str,
    denied: impl FnOnce() -> Response,
) -> Result<db::User, Response> {
    let kind = match which {
        Secret::Login => "login",
        Secret::Mailbox => "mailbox",
    };
    let user_id: String = form.user_id.chars().take(MAX_FIELD).collect();
    let throttle = Throttle::new(state, kind, &user_id, ip);
    if let Some(seconds) = throttle.retry_after() {
        return Err(throttle.refusal(seconds));
    }
    let user = db::user(&state.db(), &form.user_id).ok().flatten();
    let stored = user.as_ref().and_then(|u| match which {
        Secret::Login => Some((u.salt.clone(), u.password_hash.clone())),
        Secret::Mailbox => Some((u.mail_salt.clone()?, u.mail_password_hash.clone()?)),
    });
    let (salt, expected) = stored.unwrap_or_else(|| (vec![0u8; 16], vec![0u8; 32]));
    let password: String = form.password.chars().take(MAX_FIELD).collect();
    let computed = tokio::task::spawn_blocking(move || hash_password(&salt, &password))
        .await
        .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())?;
    match user {
        Some(user) if constant_time_eq(&computed, &expected) => {
            throttle.succeeded();
            Ok(user)
        }
        _ => {
            throttle.failed();
            Err(denied())
        }
    }
}

pub(super) async fn login(
    Extract(state): Extract<Shared>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<Credentials>,
) -> Response {
    if !guard::same_origin(&state, &headers) {
        return guard::forbidden(&state);
    }
    let ip = peer.ip().to_string();
    let user = match check_password(&state, &form, Secret::Login, &ip, || {
        let error = "<p class=\"error\">User ID atau password salah.</p>";
        (StatusCode::UNAUTHORIZED, login_form(&state, error)).into_response()
    })
    .await
    {
        Ok(user) => user,
        Err(response) => return response,
    };
    if user.blocked {
        let error = "<p class=\"error\">Akun Anda diblokir. Hubungi admin LPSE.</p>";
        return (StatusCode::FORBIDDEN, login_form(&state, error)).into_response();
    }
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
        match start_challenge(&state, &user, &sid, &ip, &user_agent, now) {
            Some(tx_id) => ("waiting", Some(tx_id), "/login/wait"),
            None => ("code", None, "/login/code"),
        }
    };
    let cookie = guard::start_session(&state, &sid, &user.user_id, session_state, tx_id.as_deref());
    if tx_id.is_some() {
        state.wake(&user.user_id);
    }
    (guard::cookie_header(cookie), Redirect::to(target)).into_response()
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
    // Past the pause and the push limit above: the wake-up obeys both.
    state.push(&db, &user.user_id);
    Some(tx_id)
}

/// The login's state, for the waiting page's script and outside checks.
fn status_of(state: &State, headers: &HeaderMap) -> LoginStatus {
    let Some(session) = guard::session(state, headers) else {
        return LoginStatus {
            state: "expired",
            number: None,
        };
    };
    let challenge = session
        .tx_id
        .and_then(|tx| db::challenge(&state.db(), &tx).ok().flatten());
    let number = challenge.as_ref().and_then(|c| c.number.parse().ok());
    let shown = match session.state.as_str() {
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

/// The longest a waiting page's `?wait=1` poll is held open.
const STATUS_POLL_MS: u64 = 25_000;

/// The login's state; with `?wait=1` (the waiting page) held open while the
/// login still waits, until it is decided or expires or 25 s pass, so the
/// page moves on the moment the app answers instead of at its next poll.
pub(super) async fn login_status(
    Extract(state): Extract<Shared>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Json<LoginStatus> {
    let status = status_of(&state, &headers);
    if status.state != "waiting" || query.as_deref() != Some("wait=1") {
        return Json(status);
    }
    let Some(session) = guard::session(&state, &headers) else {
        return Json(status_of(&state, &headers));
    };
    let signal = state.settled_signal(&session.user_id);
    let settled = signal.notified();
    tokio::pin!(settled);
    settled.as_mut().enable();
    // Decided between the first look and now: no wait.
    let status = status_of(&state, &headers);
    if status.state != "waiting" {
        return Json(status);
    }
    let expires = session
        .tx_id
        .and_then(|tx| db::challenge(&state.db(), &tx).ok().flatten())
        .map_or(0, |c| c.expires);
    let until_expiry = expires.saturating_sub(now_ms()).saturating_add(200);
    let hold = Duration::from_millis(until_expiry.min(STATUS_POLL_MS));
    let _ = tokio::time::timeout(hold, settled).await;
    Json(status_of(&state, &headers))
}

pub(super) async fn wait_page(Extract(state): Extract<Shared>, headers: HeaderMap) -> Html<String> {
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
             <script>let left={seconds};const tick=setInterval(()=>{{left=Math.max(0,left-1);\
             document.getElementById('left').textContent=left}},1000);\
             (async()=>{{for(;;){{let s;try{{s=await (await fetch('/login/status?wait=1')).json()}}\
             catch(e){{await new Promise(r=>setTimeout(r,1000));continue}}\
             if(s.state==='waiting')continue;clearInterval(tick);\
             if(s.state==='accepted'){{location='/beranda';return}}\
             document.getElementById('result').textContent=s.state==='denied'?'Login ditolak.'\
             :'Waktu habis. Silakan login kembali.';return}}}})();\
             </script>"
        ),
    )
}

pub(super) async fn code_page(Extract(state): Extract<Shared>, headers: HeaderMap) -> Response {
    match guard::session(&state, &headers) {
        Some(session) => code_form(&state, &session.csrf, "").into_response(),
        None => Redirect::to("/").into_response(),
    }
}

fn code_form(state: &State, csrf: &str, error: &str) -> Html<String> {
    page(
        state,
        "Kode TOTP",
        &format!(
            "{error}<form method=\"post\" action=\"/login/code\" class=\"box\">{csrf}\
             <p><label>Masukkan 6 digit kode dari SPSE Authenticator<br>\
             <input name=\"code\" inputmode=\"numeric\" pattern=\"[0-9]{{6}}\" \
             autocomplete=\"one-time-code\" required></label></p><button>Kirim</button></form>",
            csrf = csrf_field(csrf)
        ),
    )
}

#[derive(Deserialize)]
pub(super) struct CodeForm {
    code: String,
    #[serde(default)]
    csrf: String,
}

pub(super) async fn code_submit(
    Extract(state): Extract<Shared>,
    headers: HeaderMap,
    Form(form): Form<CodeForm>,
) -> Response {
    let session = match guard::posted(&state, &headers, &form.csrf, false) {
        Ok(session) => session,
        Err(refused) => return refused.answer(&state),
    };
    let result = {
        let db = state.db();
        let secret = db::user(&db, &session.user_id)
            .ok()
            .flatten()
            .and_then(|u| u.totp_secret);
        match secret {
            Some(secret) => totp::verify(
                &db,
                &session.user_id,
                &secret,
                form.code.trim(),
                now_ms(),
                false,
            ),
            None => Err(spse_protocol::wire::ErrorCode::TotpDisabled),
        }
    };
    match result {
        Ok(()) => {
            let _ = state.db().execute(
                "UPDATE sessions SET state = 'logged_in' WHERE sid = ?1",
                params![session.sid],
            );
            Redirect::to("/beranda").into_response()
        }
        Err(code) => {
            let error = format!("<p class=\"error\">Kode ditolak ({}).</p>", code.as_str());
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                code_form(&state, &session.csrf, &error),
            )
                .into_response()
        }
    }
}

pub(super) async fn beranda(Extract(state): Extract<Shared>, headers: HeaderMap) -> Response {
    let Some(session) = guard::logged_in(&state, &headers) else {
        return Redirect::to("/").into_response();
    };
    let active = db::user(&state.db(), &session.user_id)
        .ok()
        .flatten()
        .is_some_and(|u| u.totp_active);
    let csrf = csrf_field(&session.csrf);
    let totp = if active {
        format!(
            "<p><strong>TOTP Aktif</strong></p><form method=\"post\" action=\"/totp/disable\">\
             {csrf}<button>Disable TOTP</button></form>"
        )
    } else {
        "<p>TOTP belum aktif.</p><p><a href=\"/totp/aktivasi\">Enable TOTP (Aktivasi TOTP)</a></p>"
            .to_owned()
    };
    page(
        &state,
        "Beranda",
        &format!(
            "<p>Selamat datang, {}.</p><div class=\"box\">{totp}</div>\
             <form method=\"post\" action=\"/logout\">{csrf}<button>Logout</button></form>",
            escape(&session.user_id)
        ),
    )
    .into_response()
}

#[derive(Deserialize)]
pub(super) struct CsrfForm {
    #[serde(default)]
    pub(super) csrf: String,
}

pub(super) async fn logout(
    Extract(state): Extract<Shared>,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Response {
    match guard::posted(&state, &headers, &form.csrf, false) {
        Ok(session) => {
            let _ = state
                .db()
                .execute("DELETE FROM sessions WHERE sid = ?1", params![session.sid]);
            Redirect::to("/").into_response()
        }
        Err(refused) => refused.answer(&state),
    }
}
