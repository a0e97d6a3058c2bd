//! The whole flow with the site on the default port of its scheme
//! (`http://127.0.0.1`, `https://127.0.0.1`): the origin both ends sign
//! leaves the port out, as a browser writes it. Before one origin function
//! was shared, the sandbox kept `:80` and every login was refused.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::net::SocketAddr;

use spse_client::Client;
use spse_otp::Payload;
use spse_protocol::wire::{Decision, Outcome};
use spse_sandbox::testing::{Options, TestSite};

/// Whether this process may listen on ports below 1024 (root, as `make
/// test` runs in CI, or CAP_NET_BIND_SERVICE).
fn may_bind_privileged() -> bool {
    match std::net::TcpListener::bind("127.0.0.1:0") {
        Ok(_) => {}
        Err(_) => return false,
    }
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            let line = status.lines().find(|l| l.starts_with("CapEff:"))?;
            u64::from_str_radix(line.split_whitespace().nth(1)?, 16).ok()
        })
        .is_some_and(|caps| caps & (1 << 10) != 0)
}

#[tokio::test]
async fn the_flow_works_with_the_site_on_a_default_port() {
    if !may_bind_privileged() {
        eprintln!(
            "NOT RUN: listening on ports 80 and 443 needs root (make test runs as root in CI)"
        );
        return;
    }
    for (tls, port, base) in [
        (false, 80, "http://127.0.0.1"),
        (true, 443, "https://127.0.0.1"),
    ] {
        let site = TestSite::start_with(Options {
            tls,
            listen: SocketAddr::from(([127, 0, 0, 1], port)),
            ..Options::default()
        })
        .await;
        assert_eq!(site.base, base);
        let client = Client::new().unwrap();
        if let Some(root) = site.root_der() {
            client.trust_root_for(&site.base, root).unwrap();
        }
        let Payload::Spse(enrollment) = Payload::parse(&site.payload("PPK2").await).unwrap() else {
            panic!("no SPSE payload")
        };
        assert_eq!(enrollment.server.as_str(), base);
        let device = client.enroll(&enrollment, "phone").await.unwrap().device;
        let (browser, _) = site.login("PPK2").await;
        let number = browser.status().await["number"]
            .as_u64()
            .unwrap()
            .to_string();
        let challenge = client
            .pending(&site.base, &device, 5)
            .await
            .unwrap()
            .remove(0);
        assert_eq!(challenge.origin, base);
        let answer = client
            .decide(
                &site.base,
                &device,
                &challenge,
                Decision::Approve,
                Some(&number),
            )
            .await
            .unwrap();
        assert_eq!(answer.result, Outcome::Accepted, "{base}");
        assert_eq!(browser.status().await["state"], "accepted", "{base}");
    }
}
