//! The app's side of the SPSE authenticator protocol (docs/protocol.md) over
//! HTTPS: enroll a device, wait for logins (long poll), answer them, check
//! and remove the device. One connection pool for every site; the per-site
//! clock offset from `server_time` corrects TOTP codes on a phone whose clock
//! is off.
//!
//! TLS is rustls on the ring provider with Mozilla's root certificates built
//! in (webpki-roots). A training server's own root is trusted for that site
//! only ([`Client::trust_root_for`]), never for any other. The same on every
//! platform: no OpenSSL, and no platform-verifier initialisation on Android.
//!
//! Everything a site says is checked before the app acts on it: a login for
//! another origin or another user, an enrollment answered for another user,
//! ids that are not base64url, answers over 256 KiB are refused; its words
//! (site name, browser, IP, message) come back made safe to show
//! ([`spse_protocol::text::shown`]).

mod error;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use ring::rand::{SecureRandom, SystemRandom};
use serde::de::DeserializeOwned;
use spse_otp::{Enrollment, Field, ServerUrl};
use spse_protocol::signing::{DecideFields, decide_input, enroll_input, request_input};
use spse_protocol::text::shown;
use spse_protocol::wire::{
    Challenge, ChallengesResponse, DecideRequest, DecideResponse, Decision, DeviceResponse,
    DeviceStatus, EnrollRequest, EnrollResponse, ErrorBody, PREFIX, PushInfo, PushRequest,
    PushResponse, PushStatus,
};
use spse_protocol::wire::{ErrorCode, Outcome};
use spse_protocol::{DeviceAuth, DeviceKey, MAX_WAIT_SECONDS};

pub use error::{Error, Result};
pub use spse_protocol::now_ms;

/// A clock difference above this many ms makes codes use the server's time.
pub const OFFSET_THRESHOLD_MS: i64 = 5_000;
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);
/// The largest response body read from a site.
const MAX_BODY: usize = 256 * 1024;
/// The longest site name, browser, IP and message kept, in characters.
const MAX_SITE_NAME: usize = 100;
const MAX_USER_AGENT: usize = 200;
const MAX_IP: usize = 64;
const MAX_MESSAGE: usize = 200;

/// An enrolled device's identity on one site: what the vault keeps.
#[derive(Debug)]
pub struct Device {
    /// 16 random bytes, base64url.
    pub device_id: String,
    /// The account's own key pair.
    pub key: DeviceKey,
    /// The SPSE user ID it was enrolled for: a login for anyone else is
    /// refused.
    pub user_id: String,
}

/// What enrollment gives back.
#[derive(Debug)]
pub struct Enrolled {
    /// The new device identity, to store with the account.
    pub device: Device,
    /// The site's name, for the list heading.
    pub site_name: String,
    /// The site's VAPID public key (base64url, 65 bytes) when it sends Web
    /// Push (docs/protocol.md 6.6): what the app registers a push
    /// subscription with. `None` when the site does not push, or gave a key
    /// that is not a P-256 point's 65 bytes.
    pub push_key: Option<String>,
}

/// Where a site sends its Web Push wake-ups for one device
/// (docs/protocol.md 6.6), as the push service gave them to the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushSubscription {
    /// The push service's endpoint URL.
    pub endpoint: String,
    /// base64url of the app's 65-byte uncompressed P-256 key.
    pub p256dh: String,
    /// base64url of the app's 16-byte authentication secret.
    pub auth: String,
}

/// The site's VAPID key from an answer, if it is one: 65 bytes, uncompressed.
fn push_key(push: Option<&PushInfo>) -> Option<String> {
    let key = &push?.vapid_key;
    let bytes = B64.decode(key).ok()?;
    (bytes.len() == 65 && bytes[0] == 4).then(|| key.clone())
}

/// The protocol client, one per app: cheap to clone, shares its pools.
#[derive(Clone)]
pub struct Client {
    /// For every site: the public roots only.
    http: reqwest::Client,
    /// Sites with a root of their own (base URL to its client).
    own_roots: Arc<Mutex<HashMap<String, reqwest::Client>>>,
    offsets: Arc<Mutex<HashMap<String, i64>>>,
    /// How long a request may take (a long poll: this plus its wait).
    request_timeout: Duration,
    /// Per site, the last `ts` signed: every signed request gets a later
    /// one, so two identical requests in the same millisecond are not taken
    /// for a replay.
    last_ts: Arc<Mutex<HashMap<String, u64>>>,
    /// Whether plain `http://` sites may be reached (training builds).
    cleartext: bool,
}

impl Client {
    /// A client trusting the built-in public roots.
    pub fn new() -> Result<Client> {
        Ok(Client {
            http: http_client(None)?,
            own_roots: Arc::new(Mutex::new(HashMap::new())),
            offsets: Arc::new(Mutex::new(HashMap::new())),
            last_ts: Arc::new(Mutex::new(HashMap::new())),
            request_timeout: REQUEST_TIMEOUT,
            cleartext: true,
        })
    }

    /// The same client refusing every plain `http://` site when `allowed`
    /// is false ([`Error::Cleartext`], before anything is sent): the rule
    /// of a build without cleartext holds for every request, for accounts
    /// already stored as much as for new ones.
    pub fn with_cleartext(self, allowed: bool) -> Client {
        Client {
            cleartext: allowed,
            ..self
        }
    }

    /// The same client giving up on an answer after `timeout` (20 s by
    /// default; a long poll adds its wait).
    pub fn with_request_timeout(self, timeout: Duration) -> Client {
        Client {
            request_timeout: timeout,
            ..self
        }
    }

    /// Also trusts `root` (a DER certificate) for `server`, and for no other
    /// site: a training server's own root must not let it (or whoever holds
    /// its key) impersonate a real LPSE.
    pub fn trust_root_for(&self, server: &str, root: &[u8]) -> Result<()> {
        let http = http_client(Some(root))?;
        self.own_roots
            .lock()
            .map_err(|_| Error::BadRoot)?
            .insert(server.to_owned(), http);
        Ok(())
    }

    /// The HTTP client for `server`: with its own root when it has one.
    fn http(&self, server: &str) -> reqwest::Client {
        self.own_roots
            .lock()
            .ok()
            .and_then(|roots| roots.get(server).cloned())
            .unwrap_or_else(|| self.http.clone())
    }

    /// Registers a new device for the QR's account: makes its key pair and
    /// `device_id`, proves the secret with the current code, signs, sends.
    /// The code is made at the site's time when its clock is known to be
    /// off; when the site refuses the code and its answer shows this
    /// device's clock is off, the code is made again at the site's time and
    /// sent once more.
    pub async fn enroll(&self, enrollment: &Enrollment, device_name: &str) -> Result<Enrolled> {
        let key = DeviceKey::generate().map_err(Error::Key)?;
        let device_id = random_device_id()?;
        self.enroll_with(enrollment, device_name, key, device_id)
            .await
    }

    /// [`Client::enroll`] with a key and device id made (and stored) by the
    /// caller beforehand, so a crash after the site accepted them cannot
    /// lose them.
    pub async fn enroll_with(
        &self,
        enrollment: &Enrollment,
        device_name: &str,
        key: DeviceKey,
        device_id: String,
    ) -> Result<Enrolled> {
        let server = enrollment.server.as_str();
        let user_id = enrollment.account.name().to_owned();
        let public_key = key.public_key();
        let token = enrollment.token.expose();
        let sig = key
            .sign(&enroll_input(token, &user_id, &device_id, &public_key).map_err(Error::Key)?)
            .map_err(Error::Key)?;
        let code_now = || {
            enrollment
                .account
                .code_at(self.code_time(server, now_ms()) / 1000)
                .to_string()
        };
        let mut code = code_now();
        let mut retried = false;
        let response: EnrollResponse = loop {
            let body = serde_json::to_vec(&EnrollRequest {
                enroll: token.to_owned(),
                user_id: user_id.clone(),
                code: code.clone(),
                device_id: device_id.clone(),
                device_name: device_name.to_owned(),
                public_key: public_key.clone(),
                sig: sig.clone(),
            })
            .map_err(|_| Error::BadResponse)?;
            let request = self
                .http(server)
                .post(format!("{server}{PREFIX}/enroll"))
                .header("content-type", "application/json")
                .body(body);
            match self.send(server, request, self.request_timeout).await {
                Err(e) if e.code() == Some(ErrorCode::BadCode) && !retried => {
                    // The refusal carried the site's time: if the code at
                    // that time differs, this device's clock was the cause.
                    let corrected = code_now();
                    if corrected == code {
                        return Err(e);
                    }
                    code = corrected;
                    retried = true;
                }
                other => break other?,
            }
        };
        if response.user_id != user_id {
            return Err(Error::WrongAccount);
        }
        Ok(Enrolled {
            device: Device {
                device_id,
                key,
                user_id,
            },
            site_name: shown(&response.site_name, MAX_SITE_NAME),
            push_key: push_key(response.push.as_ref()),
        })
    }

    /// The logins waiting for this device's user, waiting up to `wait`
    /// seconds (at most 30) for one to appear.
    pub async fn pending(
        &self,
        server: &str,
        device: &Device,
        wait: u64,
    ) -> Result<Vec<Challenge>> {
        let wait = wait.min(MAX_WAIT_SECONDS);
        let path = format!(
            "{PREFIX}/challenges?device_id={}&wait={wait}",
            device.device_id
        );
        let timeout = self.request_timeout + Duration::from_secs(wait);
        let response: ChallengesResponse = self
            .call(server, device, reqwest::Method::GET, timeout, || {
                Ok((path.clone(), Vec::new()))
            })
            .await?;
        // A login for another origin is not this site's to ask about: a
        // correct server never sends one, so refuse the answer outright.
        let origin = ServerUrl::parse(Field::Server, server)
            .map(|url| url.origin().to_owned())
            .map_err(|_| Error::BadResponse)?;
        // The ids go into a signed path: only base64url-safe, bounded ones.
        let safe = |text: &str| {
            (1..=128).contains(&text.len())
                && text
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        };
        if response
            .challenges
            .iter()
            .any(|c| c.origin != origin || !safe(&c.tx_id) || !safe(&c.nonce))
        {
            return Err(Error::BadResponse);
        }
        // A login for another user is not this account's to approve.
        if response
            .challenges
            .iter()
            .any(|c| c.user_id != device.user_id)
        {
            return Err(Error::WrongAccount);
        }
        Ok(response
            .challenges
            .into_iter()
            .map(|c| Challenge {
                ip: shown(&c.ip, MAX_IP),
                user_agent: shown(&c.user_agent, MAX_USER_AGENT),
                ..c
            })
            .collect())
    }

    /// Answers a login; `number` is the 2-digit number the user typed.
    pub async fn decide(
        &self,
        server: &str,
        device: &Device,
        challenge: &Challenge,
        decision: Decision,
        number: Option<&str>,
    ) -> Result<DecideResponse> {
        if challenge.user_id != device.user_id {
            return Err(Error::WrongAccount);
        }
        let path = format!("{PREFIX}/challenges/{}", challenge.tx_id);
        let response: DecideResponse = self
            .call(
                server,
                device,
                reqwest::Method::POST,
                self.request_timeout,
                || {
                    let iat = self.server_now(server);
                    let sig = device
                        .key
                        .sign(
                            &decide_input(&DecideFields {
                                tx_id: &challenge.tx_id,
                                nonce: &challenge.nonce,
                                origin: &challenge.origin,
                                user_id: &challenge.user_id,
                                decision: decision.as_str(),
                                number: number.unwrap_or(""),
                                device_id: &device.device_id,
                                iat,
                            })
                            .map_err(Error::Key)?,
                        )
                        .map_err(Error::Key)?;
                    let body = serde_json::to_vec(&DecideRequest {
                        device_id: device.device_id.clone(),
                        decision,
                        number: number.map(str::to_owned),
                        iat,
                        sig,
                    })
                    .map_err(|_| Error::BadResponse)?;
                    Ok((path.clone(), body))
                },
            )
            .await?;
        // The answer must be the one asked for: a site cannot turn a
        // refusal into "accepted" on the user's screen, or the reverse.
        let expected = match decision {
            Decision::Approve => Outcome::Accepted,
            Decision::Deny => Outcome::Denied,
            Decision::Report => Outcome::Reported,
        };
        if response.result != expected {
            return Err(Error::BadResponse);
        }
        Ok(DecideResponse {
            message: shown(&response.message, MAX_MESSAGE),
            ..response
        })
    }

    /// Whether TOTP is still active for the device's user on the site.
    pub async fn device_status(&self, server: &str, device: &Device) -> Result<DeviceStatus> {
        Ok(self.device(server, device).await?.status)
    }

    /// The site's VAPID key as `GET /device` gives it now (`None` when the
    /// site does not push): what a re-registration after a start uses.
    pub async fn push_key(&self, server: &str, device: &Device) -> Result<Option<String>> {
        Ok(push_key(self.device(server, device).await?.push.as_ref()))
    }

    /// `GET /device`, refused when it is about another user.
    async fn device(&self, server: &str, device: &Device) -> Result<DeviceResponse> {
        let path = format!("{PREFIX}/device?device_id={}", device.device_id);
        let response: DeviceResponse = self
            .call(
                server,
                device,
                reqwest::Method::GET,
                self.request_timeout,
                || Ok((path.clone(), Vec::new())),
            )
            .await?;
        if response.user_id != device.user_id {
            return Err(Error::WrongAccount);
        }
        Ok(response)
    }

    /// Registers (or replaces) the device's push subscription with the
    /// site (`PUT /push`), so a new login wakes the app.
    pub async fn register_push(
        &self,
        server: &str,
        device: &Device,
        subscription: &PushSubscription,
    ) -> Result<()> {
        let body = serde_json::to_vec(&PushRequest {
            device_id: device.device_id.clone(),
            endpoint: subscription.endpoint.clone(),
            p256dh: subscription.p256dh.clone(),
            auth: subscription.auth.clone(),
        })
        .map_err(|_| Error::BadResponse)?;
        self.push_call(
            server,
            device,
            reqwest::Method::PUT,
            body,
            PushStatus::Registered,
        )
        .await
    }

    /// Asks the site to push no more to the device (`DELETE /push`).
    pub async fn remove_push(&self, server: &str, device: &Device) -> Result<()> {
        self.push_call(
            server,
            device,
            reqwest::Method::DELETE,
            Vec::new(),
            PushStatus::Removed,
        )
        .await
    }

    /// `/push` with `method` and `body`, refused unless the site says `expected`.
    async fn push_call(
        &self,
        server: &str,
        device: &Device,
        method: reqwest::Method,
        body: Vec<u8>,
        expected: PushStatus,
    ) -> Result<()> {
        let path = format!("{PREFIX}/push?device_id={}", device.device_id);
        let response: PushResponse = self
            .call(server, device, method, self.request_timeout, || {
                Ok((path.clone(), body.clone()))
            })
            .await?;
        if response.status != expected {
            return Err(Error::BadResponse);
        }
        Ok(())
    }

    /// Asks the site to forget the device.
    pub async fn unenroll(&self, server: &str, device: &Device) -> Result<()> {
        let path = format!("{PREFIX}/device?device_id={}", device.device_id);
        let _: serde_json::Value = self
            .call(
                server,
                device,
                reqwest::Method::DELETE,
                self.request_timeout,
                || Ok((path.clone(), Vec::new())),
            )
            .await?;
        Ok(())
    }

    /// The site's clock offset (server minus local, ms) from its last answer.
    pub fn clock_offset(&self, server: &str) -> Option<i64> {
        self.offsets.lock().ok()?.get(server).copied()
    }

    /// Every site's clock offset learned so far (base URL to ms), to keep
    /// for the next run.
    pub fn clock_offsets(&self) -> HashMap<String, i64> {
        self.offsets
            .lock()
            .map(|offsets| offsets.clone())
            .unwrap_or_default()
    }

    /// Starts from an offset learned in an earlier run, so the first
    /// request and the first code already use the site's time.
    pub fn set_clock_offset(&self, server: &str, offset_ms: i64) {
        if let Ok(mut offsets) = self.offsets.lock() {
            offsets.insert(server.to_owned(), offset_ms);
        }
    }

    /// The time (ms) to make `server`'s codes at: `local_ms`, or the
    /// server's time when the phone is off by more than 5 s.
    pub fn code_time(&self, server: &str, local_ms: u64) -> u64 {
        match self.clock_offset(server) {
            Some(offset) if offset.abs() > OFFSET_THRESHOLD_MS => {
                local_ms.saturating_add_signed(offset)
            }
            _ => local_ms,
        }
    }

    /// The site's time now, or just after the last `ts` signed for it.
    fn next_ts(&self, server: &str) -> u64 {
        let now = self.server_now(server);
        let Ok(mut last) = self.last_ts.lock() else {
            return now;
        };
        let previous = last.get(server).copied().unwrap_or(0);
        // A clock corrected backwards (a new offset) starts over from now.
        let ts = if previous < now || previous > now + 1_000 {
            now
        } else {
            previous + 1
        };
        last.insert(server.to_owned(), ts);
        ts
    }

    fn server_now(&self, server: &str) -> u64 {
        now_ms().saturating_add_signed(self.clock_offset(server).unwrap_or(0))
    }

    /// A signed request, sent; when the site says the timestamp is stale,
    /// its answer carried its time, so `build` runs again (new timestamps,
    /// new signatures) and the request is sent once more.
    async fn call<T: DeserializeOwned>(
        &self,
        server: &str,
        device: &Device,
        method: reqwest::Method,
        timeout: Duration,
        build: impl Fn() -> Result<(String, Vec<u8>)>,
    ) -> Result<T> {
        let (path, body) = build()?;
        let request = self.signed(server, device, method.clone(), &path, body)?;
        match self.send(server, request, timeout).await {
            Err(e) if e.code() == Some(ErrorCode::StaleTimestamp) => {
                let (path, body) = build()?;
                let request = self.signed(server, device, method, &path, body)?;
                self.send(server, request, timeout).await
            }
            other => other,
        }
    }

    fn signed(
        &self,
        server: &str,
        device: &Device,
        method: reqwest::Method,
        path: &str,
        body: Vec<u8>,
    ) -> Result<reqwest::RequestBuilder> {
        let ts = self.next_ts(server);
        let input = request_input(method.as_str(), path, ts, &body).map_err(Error::Key)?;
        let auth = DeviceAuth {
            device_id: device.device_id.clone(),
            ts,
            sig: device.key.sign(&input).map_err(Error::Key)?,
        };
        let mut request = self
            .http(server)
            .request(method, format!("{server}{path}"))
            .header("authorization", auth.header());
        if !body.is_empty() {
            request = request
                .header("content-type", "application/json")
                .body(body);
        }
        Ok(request)
    }

    async fn send<T: DeserializeOwned>(
        &self,
        server: &str,
        request: reqwest::RequestBuilder,
        timeout: Duration,
    ) -> Result<T> {
        if !self.cleartext && server.starts_with("http://") {
            return Err(Error::Cleartext {
                server: server.to_owned(),
            });
        }
        let response = request
            .timeout(timeout)
            .send()
            .await
            .map_err(|e| Error::from_reqwest(server, &e))?;
        let status = response.status();
        // Every answer is a few KiB: a site (or a man in the middle of a
        // training server's plain HTTP) cannot make the app buffer more.
        if response
            .content_length()
            .is_some_and(|n| n > MAX_BODY as u64)
        {
            return Err(Error::BadResponse);
        }
        let mut response = response;
        let mut bytes = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| Error::from_reqwest(server, &e))?
        {
            if bytes.len() + chunk.len() > MAX_BODY {
                return Err(Error::BadResponse);
            }
            bytes.extend_from_slice(&chunk);
        }
        let received = now_ms();
        if let Some(server_time) = serde_json::from_slice::<serde_json::Value>(&bytes)
            .ok()
            .and_then(|v| v.get("server_time")?.as_u64())
            && let Ok(mut offsets) = self.offsets.lock()
        {
            let offset = i64::try_from(server_time).unwrap_or(i64::MAX)
                - i64::try_from(received).unwrap_or(i64::MAX);
            offsets.insert(server.to_owned(), offset);
        }
        if status.is_success() {
            return serde_json::from_slice(&bytes).map_err(|_| Error::BadResponse);
        }
        match serde_json::from_slice::<ErrorBody>(&bytes) {
            Ok(body) => Err(Error::Server {
                code: body.error,
                message: shown(&body.message, MAX_MESSAGE),
            }),
            Err(_) => Err(Error::BadResponse),
        }
    }
}

/// An HTTP client trusting the public roots, and `extra` when given.
fn http_client(extra: Option<&[u8]>) -> Result<reqwest::Client> {
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(der) = extra {
        roots
            .add(rustls::pki_types::CertificateDer::from(der.to_vec()))
            .map_err(|_| Error::BadRoot)?;
    }
    let tls = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|_| Error::BadRoot)?
    .with_root_certificates(roots)
    .with_no_client_auth();
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .connect_timeout(CONNECT_TIMEOUT)
        .user_agent(concat!("spse-auth/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| Error::from_reqwest("", &e))
}

/// Reads trusted root certificates from a file's bytes: one or more PEM
/// `CERTIFICATE` blocks, or a single DER certificate.
pub fn read_roots(bytes: &[u8]) -> Result<Vec<Vec<u8>>> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    if bytes.starts_with(b"-----BEGIN") || bytes.starts_with(b"\n-----BEGIN") {
        let roots: Vec<Vec<u8>> = CertificateDer::pem_slice_iter(bytes)
            .map(|cert| cert.map(|c| c.to_vec()))
            .collect::<Result<_, _>>()
            .map_err(|_| Error::BadRoot)?;
        if roots.is_empty() {
            return Err(Error::BadRoot);
        }
        return Ok(roots);
    }
    if bytes.first() == Some(&0x30) {
        return Ok(vec![bytes.to_vec()]);
    }
    Err(Error::BadRoot)
}

/// A fresh `device_id`: 16 random bytes, base64url.
pub fn random_device_id() -> Result<String> {
    let mut bytes = [0u8; 16];
    SystemRandom::new()
        .fill(&mut bytes)
        .map_err(|_| Error::Key(spse_protocol::Error::Random))?;
    Ok(B64.encode(bytes))
}
