//! The site's side of Web Push (docs/protocol.md section 6.6): which
//! endpoints a device may register, and the wake-up each new login sends
//! to them, in the background: a slow or dead push service never delays a
//! login page.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use ring::rand::SystemRandom;
use rusqlite::{Connection, params};
use url::{Host, Url};

use crate::webpush::{self, VapidKey, WebPushError};

/// The longest endpoint URL a site takes, in bytes.
pub(crate) const MAX_ENDPOINT: usize = 1000;

/// How long one push may take, connection included.
pub(crate) const SEND_TIMEOUT: Duration = Duration::from_secs(2);

/// What every push says: only "look now". No login's id, nonce, number or
/// any user's text, so a push service learns nothing of the login.
pub(crate) const MESSAGE: &[u8] = br#"{"v":1,"kind":"login"}"#;

/// How long a push service keeps an undelivered wake-up, in seconds: a
/// login waits 60 s (RFC 8030 section 5.2).
const TTL: &str = "60";

/// How far ahead a VAPID token expires, in seconds (RFC 8292 section 2
/// allows at most 24 hours).
const TOKEN_LIFETIME: u64 = 12 * 3600;

/// Why a subscription was refused (`invalid_request`). Names the field,
/// never its value.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub(crate) enum SubscriptionError {
    /// The endpoint is not a URL the site would send to.
    #[error("endpoint: {0}")]
    Endpoint(&'static str),
    /// `p256dh` is not base64url.
    #[error("p256dh: not base64url")]
    P256dhEncoding,
    /// `auth` is not base64url.
    #[error("auth: not base64url")]
    AuthEncoding,
    /// A key of the wrong size or off the curve.
    #[error(transparent)]
    Key(#[from] WebPushError),
}

/// A device's push subscription, checked.
#[derive(Debug, Clone)]
pub(crate) struct Subscription {
    /// The endpoint URL.
    pub(crate) endpoint: String,
    /// The receiver's P-256 key, 65 bytes.
    pub(crate) p256dh: Vec<u8>,
    /// The receiver's secret, 16 bytes.
    pub(crate) auth: Vec<u8>,
}

impl Subscription {
    /// Checks what `PUT /push` gives: an endpoint the site may send to
    /// (see [`check_endpoint`]) and keys RFC 8291 can encrypt to.
    pub(crate) fn check(
        endpoint: &str,
        p256dh: &str,
        auth: &str,
        training: bool,
    ) -> Result<Subscription, SubscriptionError> {
        check_endpoint(endpoint, training)?;
        let p256dh = B64
            .decode(p256dh)
            .map_err(|_| SubscriptionError::P256dhEncoding)?;
        let auth = B64
            .decode(auth)
            .map_err(|_| SubscriptionError::AuthEncoding)?;
        webpush::check_keys(&p256dh, &auth)?;
        Ok(Subscription {
            endpoint: endpoint.to_owned(),
            p256dh,
            auth,
        })
    }
}

/// An endpoint the site may send to, or why not: at most
/// [`MAX_ENDPOINT`] bytes, `https://` with a host and no user info or
/// fragment, and not a loopback, private, link-local or otherwise
/// non-public address (the site must not be made to call into its own
/// network). A training site (`training`: the sandbox on a loopback or
/// private address) also takes `http://` and such addresses.
pub(crate) fn check_endpoint(endpoint: &str, training: bool) -> Result<Url, SubscriptionError> {
    if endpoint.len() > MAX_ENDPOINT {
        return Err(SubscriptionError::Endpoint("over 1000 bytes"));
    }
    let url = Url::parse(endpoint).map_err(|_| SubscriptionError::Endpoint("not a URL"))?;
    match url.scheme() {
        "https" => {}
        "http" if training => {}
        _ => return Err(SubscriptionError::Endpoint("not https")),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(SubscriptionError::Endpoint("has user info"));
    }
    if url.fragment().is_some() {
        return Err(SubscriptionError::Endpoint("has a fragment"));
    }
    let public = match url.host() {
        None => return Err(SubscriptionError::Endpoint("no host")),
        Some(Host::Domain(name)) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            name != "localhost" && !name.ends_with(".localhost") && name.contains('.')
        }
        Some(Host::Ipv4(ip)) => is_public(IpAddr::V4(ip)),
        Some(Host::Ipv6(ip)) => is_public(IpAddr::V6(ip)),
    };
    if !public && !training {
        return Err(SubscriptionError::Endpoint("not a public host"));
    }
    Ok(url)
}

/// Whether `ip` is an address on the public Internet: not loopback,
/// private (RFC 1918, RFC 4193), link-local, shared (RFC 6598),
/// unspecified, broadcast, multicast or documentation.
pub(crate) fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(ip) => is_public_v4(ip),
        IpAddr::V6(ip) => {
            if let Some(v4) = ip.to_ipv4_mapped() {
                return is_public_v4(v4);
            }
            let first = ip.segments()[0];
            !(ip.is_loopback()
                || ip.is_unspecified()
                || ip.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || first == 0x2001 && ip.segments()[1] == 0x0db8)
        }
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    !(ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        || (a == 100 && (64..128).contains(&b)))
}

/// The site's push sender: its VAPID key, whether it is a training site,
/// and the `sub` its tokens name.
pub(crate) struct Pusher {
    pub(crate) vapid: VapidKey,
    pub(crate) training: bool,
    /// A `mailto:` or `https:` URL of the site (RFC 8292 section 2.1).
    pub(crate) subject: String,
    rng: SystemRandom,
}

impl Pusher {
    /// The sender for a site at `base_url` with the VAPID key stored in
    /// `db` (made and stored on first use).
    pub(crate) fn open(
        db: &Connection,
        origin: &str,
        training: bool,
    ) -> Result<Pusher, crate::Error> {
        let rng = SystemRandom::new();
        let stored: Option<Vec<u8>> = db
            .query_row(
                "SELECT value FROM site_keys WHERE name = 'vapid'",
                [],
                |r| r.get(0),
            )
            .ok();
        let vapid = match stored {
            Some(pkcs8) => VapidKey::from_pkcs8(&pkcs8).map_err(|_| crate::Error::VapidKey)?,
            None => {
                let (key, pkcs8) = VapidKey::generate(&rng).map_err(|_| crate::Error::Random)?;
                db.execute(
                    "INSERT INTO site_keys (name, value) VALUES ('vapid', ?1)",
                    params![pkcs8],
                )?;
                key
            }
        };
        let subject = if origin.starts_with("https://") {
            origin.to_owned()
        } else {
            // A training site on plain HTTP has no https: URL to give.
            "mailto:admin@sandbox.invalid".to_owned()
        };
        Ok(Pusher {
            vapid,
            training,
            subject,
            rng,
        })
    }

    /// One push of [`MESSAGE`] to `subscription`: its encrypted body and
    /// headers, ready to send. `None` when the endpoint no longer passes.
    fn request(&self, subscription: &Subscription, now_s: u64) -> Option<(Url, Vec<u8>, String)> {
        let url = check_endpoint(&subscription.endpoint, self.training).ok()?;
        let aud = url.origin().ascii_serialization();
        let body =
            webpush::encrypt(&subscription.p256dh, &subscription.auth, MESSAGE, &self.rng).ok()?;
        let authorization = self
            .vapid
            .authorization(&aud, now_s + TOKEN_LIFETIME, &self.subject, &self.rng)
            .ok()?;
        Some((url, body, authorization))
    }
}

/// Sends the wake-up to every endpoint registered by `user_id`'s devices,
/// each in a task of its own (when a tokio runtime runs): the caller, a
/// login page, does not wait. A push answered 404 or 410 (the subscription
/// is gone, RFC 8030 section 7.3) deletes it.
pub(crate) fn login(
    db: &Arc<Mutex<Connection>>,
    conn: &Connection,
    pusher: &Arc<Pusher>,
    user_id: &str,
) {
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        return;
    };
    let Ok(subscriptions) = subscriptions(conn, user_id) else {
        return;
    };
    let now_s = crate::now_ms() / 1000;
    for (device_id, subscription) in subscriptions {
        let Some((url, body, authorization)) = pusher.request(&subscription, now_s) else {
            continue;
        };
        let db = Arc::clone(db);
        let training = pusher.training;
        runtime.spawn(async move {
            let status =
                tokio::time::timeout(SEND_TIMEOUT, send(url, body, authorization, training)).await;
            if let Ok(Some(404 | 410)) = status {
                let db = db.lock().unwrap_or_else(|p| p.into_inner());
                let _ = db.execute(
                    "DELETE FROM push_subscriptions WHERE device_id = ?1 AND endpoint = ?2",
                    params![device_id, subscription.endpoint],
                );
            }
        });
    }
}

/// Every subscription of `user_id`'s devices: (device id, subscription).
fn subscriptions(
    conn: &Connection,
    user_id: &str,
) -> rusqlite::Result<Vec<(String, Subscription)>> {
    let mut statement = conn.prepare_cached(
        "SELECT p.device_id, p.endpoint, p.p256dh, p.auth FROM push_subscriptions p
         JOIN devices d ON d.device_id = p.device_id WHERE d.user_id = ?1",
    )?;
    statement
        .query_map(params![user_id], |r| {
            Ok((
                r.get(0)?,
                Subscription {
                    endpoint: r.get(1)?,
                    p256dh: r.get(2)?,
                    auth: r.get(3)?,
                },
            ))
        })?
        .collect()
}

/// One `POST` to the endpoint, following no redirect; the answer's status,
/// or `None` when there is none. The host is resolved here and every
/// address checked (a public name must not lead into the site's own
/// network), and the connection goes to the address checked.
async fn send(url: Url, body: Vec<u8>, authorization: String, training: bool) -> Option<u16> {
    let host = url
        .host_str()?
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_owned();
    let port = url.port_or_known_default()?;
    let addresses: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), port))
        .await
        .ok()?
        .collect();
    if addresses.is_empty() || (!training && !addresses.iter().all(|a| is_public(a.ip()))) {
        return None;
    }
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    let tls = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .ok()?
    .with_root_certificates(roots)
    .with_no_client_auth();
    let client = reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(SEND_TIMEOUT)
        .resolve_to_addrs(&host, &addresses)
        .build()
        .ok()?;
    let response = client
        .post(url)
        .header("ttl", TTL)
        .header("urgency", "high")
        .header("content-encoding", "aes128gcm")
        .header("content-type", "application/octet-stream")
        .header("authorization", authorization)
        .body(body)
        .send()
        .await
        .ok()?;
    Some(response.status().as_u16())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const P256DH: &str =
        "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
    const AUTH: &str = "BTBZMqHH6r4Tts7J_aSIgg";

    /// What a real (non-training) site takes, and refuses: only https to
    /// public hosts.
    #[test]
    fn a_real_site_takes_https_to_public_hosts_only() {
        let ok = |e: &str| Subscription::check(e, P256DH, AUTH, false).map(|_| ());
        ok("https://fcm.googleapis.com/fcm/send/abc:def").unwrap();
        ok("https://ntfy.sh/upABC?up=1").unwrap();
        ok("https://203.0.114.5/push").unwrap();
        for (bad, why) in [
            ("http://ntfy.sh/up", "not https"),
            ("ftp://ntfy.sh/up", "not https"),
            ("https://127.0.0.1/p", "not a public host"),
            ("https://localhost/p", "not a public host"),
            ("https://push.localhost/p", "not a public host"),
            ("https://10.1.2.3/p", "not a public host"),
            ("https://192.168.1.1/p", "not a public host"),
            ("https://172.16.0.1/p", "not a public host"),
            ("https://169.254.169.254/latest", "not a public host"),
            ("https://100.64.0.1/p", "not a public host"),
            ("https://0.0.0.0/p", "not a public host"),
            ("https://[::1]/p", "not a public host"),
            ("https://[fd00::1]/p", "not a public host"),
            ("https://[fe80::1]/p", "not a public host"),
            ("https://[::ffff:127.0.0.1]/p", "not a public host"),
            ("https://intranet/p", "not a public host"),
            ("https://u:p@ntfy.sh/p", "has user info"),
            ("https://ntfy.sh/p#x", "has a fragment"),
            ("not a url", "not a URL"),
        ] {
            assert_eq!(ok(bad), Err(SubscriptionError::Endpoint(why)), "{bad}");
        }
        let long = format!("https://ntfy.sh/{}", "a".repeat(MAX_ENDPOINT));
        assert_eq!(
            ok(&long),
            Err(SubscriptionError::Endpoint("over 1000 bytes"))
        );
    }

    /// A training site also takes http and its own network's addresses.
    #[test]
    fn a_training_site_also_takes_http_and_loopback() {
        for e in [
            "http://127.0.0.1:9/p",
            "http://localhost:9/p",
            "https://10.0.0.5/p",
            "http://ntfy.sh/up",
        ] {
            Subscription::check(e, P256DH, AUTH, true).unwrap();
        }
        assert!(Subscription::check("ftp://127.0.0.1/p", P256DH, AUTH, true).is_err());
    }

    /// Keys: base64url, then the sizes RFC 8291 needs; errors name the field.
    #[test]
    fn keys_of_the_wrong_size_are_refused() {
        let e = "https://ntfy.sh/up";
        let short = B64.encode([4u8; 64]);
        assert_eq!(
            Subscription::check(e, &short, AUTH, false).unwrap_err(),
            SubscriptionError::Key(WebPushError::P256dh)
        );
        assert_eq!(
            Subscription::check(e, P256DH, &B64.encode([1u8; 15]), false).unwrap_err(),
            SubscriptionError::Key(WebPushError::Auth)
        );
        assert_eq!(
            Subscription::check(e, "not+base64", AUTH, false).unwrap_err(),
            SubscriptionError::P256dhEncoding
        );
        let error = Subscription::check(e, P256DH, "%%", false).unwrap_err();
        assert_eq!(error.to_string(), "auth: not base64url");
    }
}
