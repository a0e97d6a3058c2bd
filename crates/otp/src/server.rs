//! The SPSE server URL from an enrollment QR, and the policy that keeps a
//! doctored QR from sending the login approvals somewhere unsafe.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use url::{Host, Url};

use crate::error::{Error, Field, Result, ServerProblem};

/// Longest server URL accepted, in bytes.
pub const MAX_URL_LEN: usize = 512;

/// An SPSE server base URL that passed the policy: `https://`, or `http://` to
/// a loopback or private-range host, which is a *training* server and needs the
/// user's explicit confirmation before anything is sent to it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ServerUrl {
    base: String,
    origin: String,
    training: bool,
    private_host: bool,
}

impl ServerUrl {
    /// Checks `text` against the policy; `field` is where it came from
    /// ([`Field::Spse`] or [`Field::Server`]), named in any error.
    pub fn parse(field: Field, text: &str) -> Result<ServerUrl> {
        let refuse = |problem| Error::Server { field, problem };
        let text = text.trim();
        if text.is_empty() {
            return Err(Error::Missing { field });
        }
        if text.len() > MAX_URL_LEN {
            return Err(Error::TooLong {
                field,
                max: MAX_URL_LEN,
            });
        }
        let url = Url::parse(text).map_err(|_| refuse(ServerProblem::NotAUrl))?;
        let host = url.host().ok_or(refuse(ServerProblem::NotAUrl))?;
        let private_host = is_training_host(&host);
        let training = match url.scheme() {
            "https" => false,
            "http" if private_host => true,
            "http" => return Err(refuse(ServerProblem::CleartextToPublicHost)),
            _ => return Err(refuse(ServerProblem::NotHttps)),
        };
        if !url.username().is_empty() || url.password().is_some() {
            return Err(refuse(ServerProblem::HasCredentials));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(refuse(ServerProblem::HasQueryOrFragment));
        }
        let base = url.as_str().trim_end_matches('/');
        // Normalising percent-encodes odd characters and can grow the text;
        // the limit holds for what is stored and sent, not just what was read.
        if base.len() > MAX_URL_LEN {
            return Err(Error::TooLong {
                field,
                max: MAX_URL_LEN,
            });
        }
        Ok(ServerUrl {
            base: base.to_owned(),
            origin: url.origin().ascii_serialization(),
            training,
            private_host,
        })
    }

    /// The base URL without a trailing slash: the protocol's `{server}`.
    pub fn as_str(&self) -> &str {
        &self.base
    }

    /// Scheme, host and port as a browser writes an origin; what decisions sign.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// True for `http://` to a loopback or private-range host: a training
    /// server that the UI must confirm before use.
    pub fn is_training(&self) -> bool {
        self.training
    }

    /// True when the host is loopback, private-range or `localhost`,
    /// whatever the scheme: where a training server with a root of its own
    /// (`spse-sandbox --tls-self-signed`) may live. A root given for
    /// training is trusted for such hosts only, never for a public LPSE
    /// name (F-12).
    pub fn on_private_network(&self) -> bool {
        self.private_host
    }
}

impl fmt::Display for ServerUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.base)
    }
}

/// Loopback, RFC 1918 private IPv4, IPv6 unique-local, or `localhost`.
fn is_training_host(host: &Host<&str>) -> bool {
    match host {
        Host::Domain(name) => name.eq_ignore_ascii_case("localhost"),
        Host::Ipv4(ip) => is_private_v4(*ip),
        Host::Ipv6(ip) => is_private_v6(*ip),
    }
}

fn is_private_v4(ip: Ipv4Addr) -> bool {
    ip.is_loopback() || ip.is_private()
}

fn is_private_v6(ip: Ipv6Addr) -> bool {
    ip.is_loopback()
        || (ip.segments()[0] & 0xfe00) == 0xfc00
        || ip.to_ipv4_mapped().is_some_and(is_private_v4)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<ServerUrl, String> {
        ServerUrl::parse(Field::Spse, text).map_err(|e| e.to_string())
    }

    #[test]
    fn https_is_normalised() {
        let url = parse("HTTPS://Latihan-LPSE.lkpp.go.id:443/spse45totp/").unwrap();
        assert_eq!(url.as_str(), "https://latihan-lpse.lkpp.go.id/spse45totp");
        assert_eq!(url.origin(), "https://latihan-lpse.lkpp.go.id");
        assert!(!url.is_training());
        assert!(!url.on_private_network());
        let url = parse("https://127.0.0.1:8443").unwrap();
        assert!(!url.is_training(), "https is no training mark");
        assert!(url.on_private_network());
        let url = parse("https://lpse.kuduskab.go.id:8443").unwrap();
        assert_eq!(url.as_str(), "https://lpse.kuduskab.go.id:8443");
        assert_eq!(url.origin(), "https://lpse.kuduskab.go.id:8443");
    }

    #[test]
    fn http_only_to_training_hosts() {
        for ok in [
            "http://127.0.0.1:8080",
            "http://localhost/spse",
            "http://10.1.2.3",
            "http://172.16.0.9",
            "http://192.168.1.10:8080/latihan",
            "http://[::1]:9000",
            "http://[fd00::5]",
        ] {
            let url = parse(ok).unwrap();
            assert!(url.is_training(), "{ok}");
            assert!(url.on_private_network(), "{ok}");
        }
        assert_eq!(
            parse("http://127.0.0.1:8080").unwrap().origin(),
            "http://127.0.0.1:8080"
        );
        for refused in [
            "http://lpse.kuduskab.go.id",
            "http://8.8.8.8",
            "http://172.32.0.1",
            "http://localhost.evil.example",
        ] {
            assert_eq!(
                parse(refused).unwrap_err(),
                "spse: http:// is allowed only to a loopback or private-range training server",
                "{refused}"
            );
        }
    }

    #[test]
    fn disguises_are_refused() {
        assert_eq!(
            parse("https://lpse.go.id@evil.example").unwrap_err(),
            "spse: must not contain a user name or password"
        );
        assert_eq!(
            parse("https://lpse.go.id/?next=x").unwrap_err(),
            "spse: must not contain a query or fragment"
        );
        assert_eq!(
            parse("ftp://lpse.go.id").unwrap_err(),
            "spse: must be an https:// URL"
        );
        assert_eq!(
            parse("lpse.go.id").unwrap_err(),
            "spse: not an absolute URL"
        );
        assert_eq!(parse("  ").unwrap_err(), "spse: missing");
        // Found by the fuzzer: 150 control characters are 450 bytes once
        // percent-encoded, so the limit applies after normalising.
        let grows = format!("https://a.go.id/{}", "\u{1}a".repeat(150));
        assert!(grows.len() <= MAX_URL_LEN);
        assert_eq!(parse(&grows).unwrap_err(), "spse: longer than 512 bytes");
        assert_eq!(
            ServerUrl::parse(Field::Server, "javascript:alert(1)")
                .unwrap_err()
                .to_string(),
            "server: not an absolute URL"
        );
    }
}
