//! What stands between a browser and a state change: sessions that expire
//! and carry a CSRF token, an Origin check on every form post, and a
//! throttle on password guesses (review findings 13 and 14).

use axum::http::header::{COOKIE, HOST, ORIGIN, RETRY_AFTER, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use rusqlite::{OptionalExtension, params};

use super::page;
use crate::{State, constant_time_eq, now_ms};

/// A session ends after this long without a request...
pub(crate) const SESSION_IDLE_MS: u64 = 30 * 60_000;
/// ...and in any case this long after login.
pub(crate) const SESSION_MAX_MS: u64 = 8 * 60 * 60_000;
/// Failed passwords one user ID may take in [`THROTTLE_WINDOW_MS`].
pub(crate) const MAX_USER_FAILURES: u32 = 5;
/// Failed passwords one IP address may send in [`THROTTLE_WINDOW_MS`].
pub(crate) const MAX_IP_FAILURES: u32 = 20;
/// The window failures are counted in.
pub(crate) const THROTTLE_WINDOW_MS: u64 = 5 * 60_000;

/// A browser's session.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    pub(crate) sid: String,
    pub(crate) user_id: String,
    /// `waiting` (for the app), `code` (for a code), `logged_in`,
    /// `denied`, `reported`.
    pub(crate) state: String,
    pub(crate) tx_id: Option<String>,
    pub(crate) csrf: String,
}

fn session_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix("sid=").map(str::to_owned))
}

/// The request's live session, its idle timer restarted; expired ones are
/// deleted on the way.
pub(crate) fn session(state: &State, headers: &HeaderMap) -> Option<Session> {
    let sid = session_id(headers)?;
    let now = now_ms();
    let db = state.db();
    let _ = db.execute("DELETE FROM sessions WHERE expires <= ?1", params![now]);
    let found = db
        .query_row(
            "SELECT sid, user_id, state, tx_id, csrf, created FROM sessions WHERE sid = ?1",
            params![sid],
            |r| {
                Ok((
                    Session {
                        sid: r.get(0)?,
                        user_id: r.get(1)?,
                        state: r.get(2)?,
                        tx_id: r.get(3)?,
                        csrf: r.get(4)?,
                    },
                    r.get::<_, u64>(5)?,
                ))
            },
        )
        .optional()
        .ok()
        .flatten()?;
    let (session, created) = found;
    let expires = (now + SESSION_IDLE_MS).min(created + SESSION_MAX_MS);
    let _ = db.execute(
        "UPDATE sessions SET expires = ?2 WHERE sid = ?1",
        params![sid, expires],
    );
    Some(session)
}

/// The user of a logged-in session.
pub(crate) fn logged_in(state: &State, headers: &HeaderMap) -> Option<Session> {
    session(state, headers).filter(|s| s.state == "logged_in")
}

/// Starts a session; returns the `Set-Cookie` value.
pub(crate) fn start_session(
    state: &State,
    sid: &str,
    user_id: &str,
    session_state: &str,
    tx_id: Option<&str>,
) -> String {
    let now = now_ms();
    let _ = state.db().execute(
        "INSERT INTO sessions (sid, user_id, state, tx_id, created, csrf, expires)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            sid,
            user_id,
            session_state,
            tx_id,
            now,
            state.random_token(),
            now + SESSION_IDLE_MS
        ],
    );
    let secure = if state.config.base_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    format!("sid={sid}; HttpOnly; SameSite=Lax; Path=/{secure}")
}

/// Ends every session of `user_id` but `keep`: after TOTP changes, no
/// session opened before the change lives on (except the one that made it).
pub(crate) fn end_sessions(state: &State, user_id: &str, keep: Option<&str>) {
    let _ = state.db().execute(
        "DELETE FROM sessions WHERE user_id = ?1 AND sid IS NOT ?2",
        params![user_id, keep],
    );
}

/// Whether a form post comes from this site's own pages: an `Origin` (and
/// `Sec-Fetch-Site`) a browser sets on a cross-site post is refused. Without
/// either header (not a browser) the CSRF token still decides.
pub(crate) fn same_origin(state: &State, headers: &HeaderMap) -> bool {
    if headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|site| site == "cross-site")
    {
        return false;
    }
    let Some(origin) = headers.get(ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    if origin == state.origin() {
        return true;
    }
    // The same site reached by another name (localhost for 127.0.0.1).
    let scheme = if state.config.base_url.starts_with("https://") {
        "https"
    } else {
        "http"
    };
    headers
        .get(HOST)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|host| origin == format!("{scheme}://{host}"))
}

/// Why a form post was refused.
pub(crate) enum Refused {
    /// No (logged-in) session: back to the login page.
    NoSession,
    /// From another origin, or without the session's CSRF token: 403.
    Foreign,
}

impl Refused {
    /// The answer to send.
    pub(crate) fn answer(self, state: &State) -> Response {
        match self {
            Refused::NoSession => axum::response::Redirect::to("/").into_response(),
            Refused::Foreign => forbidden(state),
        }
    }
}

/// The session of a form post that changes something: the request's live
/// session (logged in, when `logged_in`), posted from this site's pages with
/// its CSRF token.
pub(crate) fn posted(
    state: &State,
    headers: &HeaderMap,
    form_token: &str,
    logged_in: bool,
) -> Result<Session, Refused> {
    let session = session(state, headers)
        .filter(|s| !logged_in || s.state == "logged_in")
        .ok_or(Refused::NoSession)?;
    if !same_origin(state, headers) || !csrf_ok(&session, form_token) {
        return Err(Refused::Foreign);
    }
    Ok(session)
}

/// Whether `form_token` is the session's CSRF token.
pub(crate) fn csrf_ok(session: &Session, form_token: &str) -> bool {
    !session.csrf.is_empty() && constant_time_eq(session.csrf.as_bytes(), form_token.as_bytes())
}

/// The answer to a post that fails the Origin or CSRF check.
pub(crate) fn forbidden(state: &State) -> Response {
    (
        StatusCode::FORBIDDEN,
        page(
            state,
            "Ditolak",
            "<p class=\"error\">Permintaan ditolak: formulir ini tidak dikirim dari halaman situs ini \
             atau sesinya sudah berakhir. Muat ulang halaman dan coba lagi.</p>",
        ),
    )
        .into_response()
}

/// Password failures are counted per key (`login:<user>`, `mailbox:<user>`,
/// `ip:<address>`) over a window.
pub(crate) struct Throttle<'a> {
    state: &'a State,
    keys: Vec<(String, u32)>,
}

impl<'a> Throttle<'a> {
    /// The throttle of a password check for `user_id` (at `kind`: `login`
    /// or `mailbox`) from `ip`.
    pub(crate) fn new(state: &'a State, kind: &str, user_id: &str, ip: &str) -> Throttle<'a> {
        Throttle {
            state,
            keys: vec![
                (format!("{kind}:{user_id}"), MAX_USER_FAILURES),
                (format!("ip:{ip}"), MAX_IP_FAILURES),
            ],
        }
    }

    /// Seconds to wait when a key is over its limit; checked before any
    /// password is hashed, so guesses cannot burn the CPU either.
    pub(crate) fn retry_after(&self) -> Option<u64> {
        let now = now_ms();
        let db = self.state.db();
        self.keys
            .iter()
            .filter_map(|(key, limit)| {
                let (failures, since): (u32, u64) = db
                    .query_row(
                        "SELECT failures, since FROM throttle WHERE key = ?1",
                        params![key],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .optional()
                    .ok()
                    .flatten()?;
                let ends = since + THROTTLE_WINDOW_MS;
                (failures >= *limit && now < ends).then(|| (ends - now).div_ceil(1000))
            })
            .max()
    }

    /// Counts a failure on every key.
    pub(crate) fn failed(&self) {
        let now = now_ms();
        let db = self.state.db();
        let _ = db.execute(
            "DELETE FROM throttle WHERE since <= ?1",
            params![now.saturating_sub(THROTTLE_WINDOW_MS)],
        );
        for (key, _) in &self.keys {
            let _ = db.execute(
                "INSERT INTO throttle (key, failures, since) VALUES (?1, 1, ?2)
                 ON CONFLICT(key) DO UPDATE SET failures = failures + 1",
                params![key, now],
            );
        }
    }

    /// A right password clears the user's count (not the address's).
    pub(crate) fn succeeded(&self) {
        if let Some((key, _)) = self.keys.first() {
            let _ = self
                .state
                .db()
                .execute("DELETE FROM throttle WHERE key = ?1", params![key]);
        }
    }

    /// The 429 answer, with `Retry-After`.
    pub(crate) fn refusal(&self, seconds: u64) -> Response {
        let body = page(
            self.state,
            "Terlalu banyak percobaan",
            &format!(
                "<p class=\"error\">Terlalu banyak percobaan password. Coba lagi dalam {seconds} detik.</p>"
            ),
        );
        let mut response = (StatusCode::TOO_MANY_REQUESTS, body).into_response();
        if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
            response.headers_mut().insert(RETRY_AFTER, value);
        }
        response
    }
}

/// The header to set a session cookie.
pub(crate) fn cookie_header(value: String) -> [(axum::http::HeaderName, String); 1] {
    [(SET_COOKIE, value)]
}
