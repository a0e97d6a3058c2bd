//! The app's side of the SPSE authenticator protocol (docs/protocol.md) over
//! HTTPS: enroll a device, wait for logins (long poll), answer them, check
//! and remove the device. One connection pool for every site; the per-site
//! clock offset from `server_time` corrects TOTP codes on a phone whose clock
//! is off.
//!
//! TLS is rustls on the ring provider with Mozilla's root certificates built
//! in (webpki-roots), plus roots the caller trusts explicitly (a training
//! server's own). The same on every platform: no OpenSSL, and no
//! platform-verifier initialisation on Android.

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
use spse_protocol::wire::{
    Challenge, ChallengesResponse, DecideRequest, DecideResponse, Decision, DeviceResponse,
    DeviceStatus, EnrollRequest, EnrollResponse, ErrorBody, PREFIX,
};
use spse_protocol::{DeviceAuth, DeviceKey, MAX_WAIT_SECONDS};

pub use error::{Error, Result};
pub use spse_protocol::now_ms;

/// A clock difference above this many ms makes codes use the server's time.
pub const OFFSET_THRESHOLD_MS: i64 = 5_000;
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);
/// The largest response body read from a site.
const MAX_BODY: usize = 256 * 1024;

/// An enrolled device's identity on one site: what the vault keeps.
#[derive(Debug)]
pub struct Device {
    /// 16 random bytes, base64url.
    pub device_id: String,
    /// The account's own key pair.
    pub key: DeviceKey,
}

/// What enrollment gives back.
#[derive(Debug)]
pub struct Enrolled {
    /// The new device identity, to store with the account.
    pub device: Device,
    /// The site's name, for the list heading.
    pub site_name: String,
}

/// The protocol client, one per app: cheap to clone, shares its pool.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    offsets: Arc<Mutex<HashMap<String, i64>>>,
}

impl Client {
    /// A client trusting the built-in roots and `extra_roots` (DER).
    pub fn new(extra_roots: &[Vec<u8>]) -> Result<Client> {
        let mut roots = rustls::RootCertStore::empty();
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        for der in extra_roots {
            roots
                .add(rustls::pki_types::CertificateDer::from(der.clone()))
                .map_err(|_| Error::BadRoot)?;
        }
        let tls = rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .map_err(|_| Error::BadRoot)?
        .with_root_certificates(roots)
        .with_no_client_auth();
        let http = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .connect_timeout(CONNECT_TIMEOUT)
            .user_agent(concat!("spse-auth/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Error::from_reqwest("", &e))?;
        Ok(Client {
            http,
            offsets: Arc::new(Mutex::new(HashMap::new())),
        })
    }

    /// Registers a new device for the QR's account: makes its key pair and
    /// `device_id`, proves the secret with the current code, signs, sends.
    pub async fn enroll(&self, enrollment: &Enrollment, device_name: &str) -> Result<Enrolled> {
        let server = enrollment.server.as_str();
        let key = DeviceKey::generate().map_err(Error::Key)?;
        let device_id = random_device_id()?;
        let user_id = enrollment.account.name().to_owned();
        let public_key = key.public_key();
        let token = enrollment.token.expose();
        let sig = key
            .sign(&enroll_input(token, &user_id, &device_id, &public_key).map_err(Error::Key)?)
            .map_err(Error::Key)?;
        let code = enrollment
            .account
            .code_at(self.code_time(server, now_ms()) / 1000)
            .to_string();
        let body = serde_json::to_vec(&EnrollRequest {
            enroll: token.to_owned(),
            user_id,
            code,
            device_id: device_id.clone(),
            device_name: device_name.to_owned(),
            public_key,
            sig,
        })
        .map_err(|_| Error::BadResponse)?;
        let url = format!("{server}{PREFIX}/enroll");
        let request = self
            .http
            .post(&url)
            .header("content-type", "application/json")
            .body(body);
        let response: EnrollResponse = self.send(server, request, REQUEST_TIMEOUT).await?;
        Ok(Enrolled {
            device: Device { device_id, key },
            site_name: response.site_name,
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
        let request = self.signed(server, device, reqwest::Method::GET, &path, Vec::new())?;
        let timeout = REQUEST_TIMEOUT + Duration::from_secs(wait);
        let response: ChallengesResponse = self.send(server, request, timeout).await?;
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
        Ok(response.challenges)
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
        let path = format!("{PREFIX}/challenges/{}", challenge.tx_id);
        let request = self.signed(server, device, reqwest::Method::POST, &path, body)?;
        self.send(server, request, REQUEST_TIMEOUT).await
    }

    /// Whether TOTP is still active for the device's user on the site.
    pub async fn device_status(&self, server: &str, device: &Device) -> Result<DeviceStatus> {
        let path = format!("{PREFIX}/device?device_id={}", device.device_id);
        let request = self.signed(server, device, reqwest::Method::GET, &path, Vec::new())?;
        let response: DeviceResponse = self.send(server, request, REQUEST_TIMEOUT).await?;
        Ok(response.status)
    }

    /// Asks the site to forget the device.
    pub async fn unenroll(&self, server: &str, device: &Device) -> Result<()> {
        let path = format!("{PREFIX}/device?device_id={}", device.device_id);
        let request = self.signed(server, device, reqwest::Method::DELETE, &path, Vec::new())?;
        let _: serde_json::Value = self.send(server, request, REQUEST_TIMEOUT).await?;
        Ok(())
    }

    /// The site's clock offset (server minus local, ms) from its last answer.
    pub fn clock_offset(&self, server: &str) -> Option<i64> {
        self.offsets.lock().ok()?.get(server).copied()
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

    fn server_now(&self, server: &str) -> u64 {
        now_ms().saturating_add_signed(self.clock_offset(server).unwrap_or(0))
    }

    fn signed(
        &self,
        server: &str,
        device: &Device,
        method: reqwest::Method,
        path: &str,
        body: Vec<u8>,
    ) -> Result<reqwest::RequestBuilder> {
        let ts = self.server_now(server);
        let input = request_input(method.as_str(), path, ts, &body).map_err(Error::Key)?;
        let auth = DeviceAuth {
            device_id: device.device_id.clone(),
            ts,
            sig: device.key.sign(&input).map_err(Error::Key)?,
        };
        let mut request = self
            .http
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
                message: body.message,
            }),
            Err(_) => Err(Error::BadResponse),
        }
    }
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

fn random_device_id() -> Result<String> {
    let mut bytes = [0u8; 16];
    SystemRandom::new()
        .fill(&mut bytes)
        .map_err(|_| Error::Key(spse_protocol::Error::Random))?;
    Ok(B64.encode(bytes))
}
