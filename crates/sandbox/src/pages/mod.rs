//! The pages a person sees, in Indonesian like SPSE v4.5's: login, the 60 s
//! waiting page, the code page, Beranda, Aktivasi TOTP with its QR, disable,
//! and Reset TOTP by an "email" read on `/mailbox`.
//!
//! A sandbox that LPSE staff may run on a LAN for training is still a site
//! that guards a login: sessions expire and carry a CSRF token, every form
//! that changes something checks it and the request's origin, password
//! guesses are throttled, and turning TOTP off needs the user's mailbox,
//! not just their password ([`guard`]).

mod guard;
mod login;
mod totp;

use std::sync::Arc;

use axum::Router;
use axum::response::Html;
use axum::routing::{get, post};

use crate::State;

pub(crate) use login::start_challenge;

type Shared = Arc<State>;

pub(crate) fn routes() -> Router<Shared> {
    Router::new()
        .route("/", get(login::login_page))
        .route("/login", post(login::login))
        .route("/login/wait", get(login::wait_page))
        .route("/login/status", get(login::login_status))
        .route(
            "/login/code",
            get(login::code_page).post(login::code_submit),
        )
        .route("/beranda", get(login::beranda))
        .route("/logout", post(login::logout))
        .route("/totp/aktivasi", get(totp::aktivasi))
        .route("/totp/aktivasi/payload", get(totp::aktivasi_payload))
        .route("/totp/aktivasi/status", get(totp::aktivasi_status))
        .route("/totp/disable", post(totp::disable))
        .route(
            "/totp/reset",
            get(totp::reset_page).post(totp::reset_request),
        )
        .route(
            "/totp/reset/confirm",
            get(totp::reset_confirm_page).post(totp::reset_confirm),
        )
        .route("/mailbox", get(totp::mailbox_form).post(totp::mailbox))
}

pub(crate) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

pub(crate) fn page(state: &State, title: &str, body: &str) -> Html<String> {
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

/// A hidden form field carrying the session's CSRF token.
pub(crate) fn csrf_field(token: &str) -> String {
    format!(
        "<input type=\"hidden\" name=\"csrf\" value=\"{}\">",
        escape(token)
    )
}
