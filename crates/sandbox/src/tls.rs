//! `--tls-self-signed`: the sandbox over HTTPS with a certificate from a
//! root made at start, so tests (and a demo on a LAN) use real TLS with the
//! root trusted explicitly, never by switching verification off.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto::Builder;
use hyper_util::service::TowerToHyperService;
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, KeyUsagePurpose,
    SanType,
};
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio_rustls::TlsAcceptor;

/// A connection that has not finished its TLS handshake by then is closed,
/// so idle sockets cannot hold the server's file descriptors.
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// Waits after a failed accept (out of file descriptors): doubling from the
/// first to the last, so the loop sleeps instead of spinning.
const ACCEPT_BACKOFF: (Duration, Duration) = (Duration::from_millis(10), Duration::from_secs(1));

/// A fresh root and a server certificate it signed, for `localhost` and `ip`.
pub struct SelfSigned {
    /// The root certificate, PEM, for the client to trust.
    pub root_pem: String,
    /// The root certificate, DER.
    pub root_der: Vec<u8>,
    config: Arc<rustls::ServerConfig>,
    handshake_timeout: Duration,
}

/// Why TLS could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    /// Making the certificates failed.
    #[error("tls: could not make the certificates ({0})")]
    Certificate(#[from] rcgen::Error),
    /// rustls refused the configuration.
    #[error("tls: {0}")]
    Config(#[from] rustls::Error),
}

impl SelfSigned {
    /// Makes the root and the server certificate.
    pub fn new(ip: IpAddr) -> Result<SelfSigned, TlsError> {
        let mut root = CertificateParams::new(Vec::<String>::new())?;
        root.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        root.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        root.distinguished_name
            .push(DnType::CommonName, "SPSE Sandbox training root");
        let root = CertifiedIssuer::self_signed(root, KeyPair::generate()?)?;

        let key = KeyPair::generate()?;
        let mut leaf = CertificateParams::new(vec!["localhost".to_owned()])?;
        leaf.subject_alt_names.push(SanType::IpAddress(ip));
        leaf.distinguished_name
            .push(DnType::CommonName, "SPSE Sandbox");
        let leaf = leaf.signed_by(&key, &root)?;

        let config = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(
            vec![leaf.der().clone(), root.der().clone()],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
        )?;
        Ok(SelfSigned {
            root_pem: root.pem(),
            root_der: root.der().to_vec(),
            config: Arc::new(config),
            handshake_timeout: HANDSHAKE_TIMEOUT,
        })
    }

    /// The same, closing connections whose handshake takes longer than
    /// `timeout` (tests use a short one).
    pub fn with_handshake_timeout(self, timeout: Duration) -> SelfSigned {
        SelfSigned {
            handshake_timeout: timeout,
            ..self
        }
    }

    /// Serves `router` over TLS on `listener` until the task is dropped;
    /// open connections end with it.
    pub async fn serve(&self, listener: TcpListener, router: Router) {
        let (_serving, stopped) = watch::channel(false);
        self.serve_until(listener, router, stopped).await;
    }

    /// Serves `router` over TLS on `listener` until the task is dropped or
    /// `stopped` turns true (or its sender is dropped), which also ends
    /// every open connection: a site that goes down answers nobody, not
    /// even a client holding a kept-alive connection.
    pub async fn serve_until(
        &self,
        listener: TcpListener,
        router: Router,
        stopped: watch::Receiver<bool>,
    ) {
        let acceptor = TlsAcceptor::from(Arc::clone(&self.config));
        let mut backoff = ACCEPT_BACKOFF.0;
        let mut watching = stopped.clone();
        loop {
            // Stopped first: once stopped, nothing more is taken or served.
            let accepted = tokio::select! {
                biased;
                _ = watching.wait_for(|stopped| *stopped) => return,
                accepted = listener.accept() => accepted,
            };
            let (tcp, peer) = match accepted {
                Ok(accepted) => {
                    backoff = ACCEPT_BACKOFF.0;
                    accepted
                }
                Err(_) => {
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(ACCEPT_BACKOFF.1);
                    continue;
                }
            };
            let acceptor = acceptor.clone();
            let timeout = self.handshake_timeout;
            let app = router
                .clone()
                .layer(axum::Extension(ConnectInfo::<SocketAddr>(peer)));
            let mut stopped = stopped.clone();
            tokio::spawn(async move {
                let connection = async {
                    let Ok(Ok(tls)) = tokio::time::timeout(timeout, acceptor.accept(tcp)).await
                    else {
                        return;
                    };
                    let _ = Builder::new(TokioExecutor::new())
                        .serve_connection(TokioIo::new(tls), TowerToHyperService::new(app))
                        .await;
                };
                tokio::select! {
                    biased;
                    _ = stopped.wait_for(|stopped| *stopped) => {}
                    () = connection => {}
                }
            });
        }
    }
}
