//! Checking TOTP codes the way the protocol requires: one step of drift
//! either way, never the same step twice, failures rate-limited per user.

use rusqlite::{Connection, params};
use spse_otp::{Account, Algorithm, Generator, Kind, Secret};
use spse_protocol::wire::ErrorCode;
use zeroize::Zeroizing;

use crate::constant_time_eq;

/// Failed codes allowed per user in [`FAILURE_WINDOW_MS`].
pub(crate) const MAX_FAILURES: u32 = 5;
/// The window failures are counted in.
pub(crate) const FAILURE_WINDOW_MS: u64 = 5 * 60_000;
const PERIOD_MS: u64 = 30_000;

/// Checks `code` for `user_id`'s `secret` at `now_ms`. On success the step is
/// recorded so the code can never be used again; a failure is counted.
/// `new_secret` is true at enrollment: the steps used with the user's old
/// secret say nothing about the new one's codes.
pub(crate) fn verify(
    db: &Connection,
    user_id: &str,
    secret: &[u8],
    code: &str,
    now_ms: u64,
    new_secret: bool,
) -> Result<(), ErrorCode> {
    let (failed, since, last_step): (u32, u64, Option<u64>) = db
        .query_row(
            "SELECT failed_codes, failed_since, last_step FROM users WHERE user_id = ?1",
            params![user_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .map_err(|_| ErrorCode::InvalidRequest)?;
    let in_window = now_ms.saturating_sub(since) < FAILURE_WINDOW_MS;
    if in_window && failed >= MAX_FAILURES {
        return Err(ErrorCode::RateLimited);
    }
    let last_step = if new_secret { None } else { last_step };
    let step = now_ms / PERIOD_MS;
    let matched = matching_step(secret, code, step);
    match matched {
        Some(s) if last_step.is_some_and(|last| s <= last) => Err(ErrorCode::CodeReused),
        Some(s) => {
            let _ = db.execute(
                "UPDATE users SET last_step = ?2, failed_codes = 0 WHERE user_id = ?1",
                params![user_id, s],
            );
            Ok(())
        }
        None => {
            let (count, start) = if in_window {
                (failed + 1, since)
            } else {
                (1, now_ms)
            };
            let _ = db.execute(
                "UPDATE users SET failed_codes = ?2, failed_since = ?3 WHERE user_id = ?1",
                params![user_id, count, start],
            );
            Err(ErrorCode::BadCode)
        }
    }
}

/// The step (now, one before, one after) whose code is `code`, if any.
fn matching_step(secret: &[u8], code: &str, step: u64) -> Option<u64> {
    let secret = Secret::from_bytes(Zeroizing::new(secret.to_vec())).ok()?;
    let account = Account::new(
        None,
        String::new(),
        Algorithm::Sha1,
        6,
        Kind::Totp { period: 30 },
        secret,
    )
    .ok()?;
    let generator = Generator::new(&account);
    [step, step.saturating_sub(1), step + 1]
        .into_iter()
        .find(|s| {
            constant_time_eq(
                generator.at_counter(*s).as_str().as_bytes(),
                code.as_bytes(),
            )
        })
}
