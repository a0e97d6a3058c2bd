//! Push registrations (docs/protocol.md 6.6), on phones: the push
//! connector (UnifiedPush, in the Android glue) holds one registration per
//! enrolled account with its site's VAPID key, and hands back an endpoint
//! for each; every site is told its account's endpoint with `PUT /push`,
//! once per run (so again after every start) and whenever it changes. A
//! push only wakes the app: the logins are still fetched over the signed
//! API. Desktop has no push connector ([`Host::push_report`] is `None`):
//! it polls from the tray.

use super::*;
use crate::views::{PushState, PushStatus};

/// After handing the connector its accounts, when to read the endpoints
/// again (a distributor answers a registration in its own time).
const ENDPOINT_LATER: [Duration; 2] = [Duration::from_secs(5), Duration::from_secs(25)];

/// One account the push connector should hold a registration for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushWanted {
    /// The registration's instance: the account's id.
    pub instance: String,
    /// The site's VAPID public key (base64url of 65 bytes), which the
    /// distributor only accepts pushes signed by.
    pub vapid_key: String,
}

/// An endpoint the push connector was given for one account.
#[derive(Clone, PartialEq, Eq)]
pub struct PushEndpoint {
    /// The account's id.
    pub instance: String,
    /// The push service's URL: a capability (anyone holding it can wake
    /// the phone), so never in `Debug`.
    pub endpoint: String,
    /// base64url of the connector's 65-byte P-256 key.
    pub p256dh: String,
    /// base64url of its 16-byte authentication secret (never in `Debug`).
    pub auth: String,
}

impl std::fmt::Debug for PushEndpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PushEndpoint")
            .field("instance", &self.instance)
            .field("endpoint", &"[redacted]")
            .field("p256dh", &self.p256dh)
            .field("auth", &"[redacted]")
            .finish()
    }
}

/// What the push connector has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushReport {
    /// The UnifiedPush distributor app in use, if any.
    pub distributor: Option<String>,
    /// The notification permission: "granted", "denied" or "prompt".
    pub notifications: String,
    /// The endpoints, one per registered account.
    pub endpoints: Vec<PushEndpoint>,
}

impl PushReport {
    /// What the user is told of it.
    pub fn status(&self) -> PushStatus {
        let state = match (self.distributor.as_deref(), self.notifications.as_str()) {
            (_, "denied") => PushState::NotificationsDenied,
            (None, _) => PushState::NoDistributor,
            (Some(_), "prompt") => PushState::NotificationsUnasked,
            (Some(_), _) => PushState::On,
        };
        PushStatus {
            state,
            distributor: self.distributor.clone(),
        }
    }
}

/// What this run knows of push: each account's site's VAPID key (`None`:
/// the site does not push), asked once per run; the endpoint each site
/// was told.
#[derive(Debug, Default)]
pub(super) struct Pushes {
    keys: HashMap<String, Option<String>>,
    told: HashMap<String, String>,
}

impl App {
    /// Brings the push registrations up to date, in the background:
    /// `subscribe` (at start, when accounts changed) asks each new
    /// account's site for its VAPID key and hands the connector the
    /// accounts to hold; otherwise (coming back to the foreground) only
    /// reads the endpoints it got meanwhile. Each endpoint not yet told to
    /// its site this run is registered with `PUT /push`. Nothing where
    /// there is no push connector.
    pub(super) fn sync_push(self: &Arc<Self>, subscribe: bool) {
        if tokio::runtime::Handle::try_current().is_err() || self.host.push_report().is_none() {
            return;
        }
        let app = Arc::clone(self);
        tokio::spawn(async move {
            app.push_sync(subscribe).await;
            // A new registration's endpoint comes from the distributor a
            // little later (to the connector's service): read it again.
            if subscribe {
                for wait in ENDPOINT_LATER {
                    tokio::time::sleep(wait).await;
                    app.push_sync(false).await;
                }
            }
        });
    }

    /// See [`App::sync_push`]; returns how many sites were told an endpoint.
    pub async fn push_sync(self: &Arc<Self>, subscribe: bool) -> usize {
        let accounts = self.enrolled(None).unwrap_or_default();
        let report = if subscribe {
            let mut wanted = Vec::new();
            for stored in &accounts {
                let Ok(Some((server, device))) = device_of(stored) else {
                    continue;
                };
                let known = lock(&self.pushes).keys.get(&stored.id).cloned();
                let key = match known {
                    Some(key) => key,
                    None => match self.client.push_key(&server, &device).await {
                        Ok(key) => {
                            lock(&self.pushes)
                                .keys
                                .insert(stored.id.clone(), key.clone());
                            key
                        }
                        // Asked again next time.
                        Err(_) => continue,
                    },
                };
                if let Some(vapid_key) = key {
                    wanted.push(PushWanted {
                        instance: stored.id.clone(),
                        vapid_key,
                    });
                }
            }
            // The connector may wait for the user (choosing a distributor).
            let host = Arc::clone(&self.host);
            tokio::task::spawn_blocking(move || host.push_subscribe(&wanted))
                .await
                .ok()
                .flatten()
        } else {
            self.host.push_report()
        };
        let Some(report) = report else { return 0 };
        let mut told = 0;
        for endpoint in report.endpoints {
            let Some(stored) = accounts.iter().find(|a| a.id == endpoint.instance) else {
                continue;
            };
            let Ok(Some((server, device))) = device_of(stored) else {
                continue;
            };
            if lock(&self.pushes).told.get(&stored.id) == Some(&endpoint.endpoint) {
                continue;
            }
            let subscription = spse_client::PushSubscription {
                endpoint: endpoint.endpoint.clone(),
                p256dh: endpoint.p256dh.clone(),
                auth: endpoint.auth.clone(),
            };
            if self
                .client
                .register_push(&server, &device, &subscription)
                .await
                .is_ok()
            {
                lock(&self.pushes)
                    .told
                    .insert(stored.id.clone(), endpoint.endpoint);
                told += 1;
            }
        }
        told
    }

    /// The `push_status` command: whether a login reaches the user while
    /// the app is closed.
    pub fn push_status(&self) -> PushStatus {
        self.host
            .push_report()
            .map_or_else(unavailable, |report| report.status())
    }

    /// The `ask_notifications` command: asks for the notification
    /// permission (Android 13+), the status after.
    pub fn ask_notifications(&self) -> PushStatus {
        self.host
            .ask_notifications()
            .map_or_else(unavailable, |report| report.status())
    }
}

/// The status where there is no push.
fn unavailable() -> PushStatus {
    PushStatus {
        state: PushState::Unavailable,
        distributor: None,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;

    /// An endpoint is a capability and `auth` a secret: neither in `Debug`.
    #[test]
    fn an_endpoint_debug_shows_neither_its_url_nor_its_secret() {
        let endpoint = PushEndpoint {
            instance: "a1".into(),
            endpoint: "https://push.example/secret-token".into(),
            p256dh: "BKEY".into(),
            auth: "AUTHSECRET".into(),
        };
        let text = format!("{endpoint:?}");
        assert!(
            !text.contains("secret-token") && !text.contains("AUTHSECRET"),
            "{text}"
        );
        assert!(text.contains("a1"));
    }

    /// What the user is told, by what the connector has.
    #[test]
    fn the_status_says_what_holds_push_back() {
        let report = |distributor: Option<&str>, notifications: &str| PushReport {
            distributor: distributor.map(str::to_owned),
            notifications: notifications.to_owned(),
            endpoints: Vec::new(),
        };
        let state = |r: PushReport| r.status().state;
        assert_eq!(state(report(Some("ntfy"), "granted")), PushState::On);
        assert_eq!(state(report(None, "granted")), PushState::NoDistributor);
        assert_eq!(
            state(report(Some("ntfy"), "denied")),
            PushState::NotificationsDenied
        );
        assert_eq!(
            state(report(None, "denied")),
            PushState::NotificationsDenied
        );
        assert_eq!(
            state(report(Some("ntfy"), "prompt")),
            PushState::NotificationsUnasked
        );
        assert_eq!(
            report(Some("ntfy"), "granted")
                .status()
                .distributor
                .as_deref(),
            Some("ntfy")
        );
    }
}
