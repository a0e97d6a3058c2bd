//! The logins waiting for an answer on every enrolled account, asked of all
//! sites side by side: what "check now" (tapping an account) and the CLI's
//! `pending` show.

use spse_client::{Client, Error as SiteError};
use spse_protocol::wire::Challenge;
use spse_vault::StoredAccount;

use crate::sites::device_of;

/// A login waiting for one of the user's accounts.
#[derive(Debug, Clone)]
pub struct Waiting {
    /// The account it is for.
    pub account_id: String,
    /// The account's site.
    pub server: String,
    /// The login, checked for this site's origin and this account's user.
    pub challenge: Challenge,
}

/// What asking every site gave: the waiting logins, and the accounts whose
/// site could not be asked (with why).
#[derive(Debug, Default)]
pub struct Asked {
    /// Oldest first per account, accounts in list order.
    pub waiting: Vec<Waiting>,
    /// Account id and the error, per account whose site failed.
    pub failed: Vec<(String, SiteError)>,
    /// How many enrolled accounts were asked.
    pub asked: usize,
}

/// Asks each enrolled (not pending) account's site for its waiting logins,
/// waiting up to `wait` seconds (at most 30) for one to appear.
pub async fn waiting(client: &Client, accounts: &[StoredAccount], wait: u64) -> Asked {
    let mut enrolled = Vec::new();
    let mut out = Asked::default();
    for stored in accounts.iter().filter(|a| !a.is_pending()) {
        match device_of(stored) {
            Ok(Some((server, device))) => enrolled.push((stored.id.clone(), server, device)),
            Ok(None) => {}
            Err(crate::Error::Site(e)) => out.failed.push((stored.id.clone(), e)),
            Err(_) => {}
        }
    }
    out.asked = enrolled.len() + out.failed.len();
    let polls = enrolled
        .iter()
        .map(|(_, server, device)| client.pending(server, device, wait));
    let results = futures_util::future::join_all(polls).await;
    for ((account_id, server, _), result) in enrolled.into_iter().zip(results) {
        match result {
            Ok(challenges) => out
                .waiting
                .extend(challenges.into_iter().map(|challenge| Waiting {
                    account_id: account_id.clone(),
                    server: server.clone(),
                    challenge,
                })),
            Err(e) => out.failed.push((account_id, e)),
        }
    }
    out
}
