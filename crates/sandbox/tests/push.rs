//! Web Push from the site (docs/protocol.md section 6.6), through real HTTP
//! on loopback: the real client registers a subscription, a browser logs
//! in, and a tiny push service in the test (a TCP listener) receives what
//! the sandbox sends, answers as told, or never answers.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::collections::HashMap;
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use spse_client::{Client, Device, Error, PushSubscription};
use spse_otp::Payload;
use spse_protocol::wire::{Decision, ErrorCode};
use spse_sandbox::testing::{Options, TestSite};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

// The receiver's keys: RFC 8291 appendix A's user agent.
const UA_PRIVATE: &str = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94";
const P256DH: &str =
    "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
const AUTH: &str = "BTBZMqHH6r4Tts7J_aSIgg";

/// One push as the receiver got it.
#[derive(Debug)]
struct Push {
    path: String,
    headers: HashMap<String, String>,
    body: Vec<u8>,
}

/// How the receiver answers.
#[derive(Clone, Copy)]
enum Answer {
    Status(u16),
    Never,
}

/// A push service on loopback: every request it reads goes to the channel.
async fn receiver(answer: Answer) -> (String, mpsc::UnboundedReceiver<Push>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        loop {
            let Ok((mut tcp, _)) = listener.accept().await else {
                return;
            };
            let tx = tx.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                let head_end = loop {
                    let n = tcp.read(&mut chunk).await.unwrap_or(0);
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                        break i + 4;
                    }
                };
                let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
                let mut lines = head.split("\r\n");
                let path = lines.next().unwrap().split(' ').nth(1).unwrap().to_owned();
                let headers: HashMap<String, String> = lines
                    .filter_map(|l| l.split_once(':'))
                    .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
                    .collect();
                let length: usize = headers["content-length"].parse().unwrap();
                while buf.len() < head_end + length {
                    let n = tcp.read(&mut chunk).await.unwrap_or(0);
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                }
                let body = buf[head_end..head_end + length].to_vec();
                let _ = tx.send(Push {
                    path,
                    headers,
                    body,
                });
                match answer {
                    Answer::Status(status) => {
                        let reply = format!(
                            "HTTP/1.1 {status} X\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
                        );
                        let _ = tcp.write_all(reply.as_bytes()).await;
                    }
                    Answer::Never => std::future::pending::<()>().await,
                }
            });
        }
    });
    (base, rx)
}

async fn enroll(site: &TestSite, client: &Client, user: &str) -> (Device, Option<String>) {
    let (browser, _) = site.login(user).await;
    let Payload::Spse(enrollment) =
        Payload::parse(&browser.get_text("/totp/aktivasi/payload").await).unwrap()
    else {
        panic!("no SPSE payload")
    };
    let enrolled = client.enroll(&enrollment, "phone").await.unwrap();
    (enrolled.device, enrolled.push_key)
}

fn subscription(endpoint: &str) -> PushSubscription {
    PushSubscription {
        endpoint: endpoint.to_owned(),
        p256dh: P256DH.to_owned(),
        auth: AUTH.to_owned(),
    }
}

fn server_code<T: std::fmt::Debug>(result: Result<T, Error>) -> ErrorCode {
    match result {
        Err(Error::Server { code, .. }) => code,
        other => panic!("expected a server refusal, got {other:?}"),
    }
}

/// PPK2 enrolled, with a subscription at a receiver answering `answer`.
async fn subscribed(
    options: Options,
    answer: Answer,
) -> (
    TestSite,
    Client,
    Device,
    String,
    mpsc::UnboundedReceiver<Push>,
) {
    let site = TestSite::start_with(options).await;
    let client = Client::new().unwrap();
    let (device, key) = enroll(&site, &client, "PPK2").await;
    let (base, pushes) = receiver(answer).await;
    client
        .register_push(
            &site.base,
            &device,
            &subscription(&format!("{base}/push/ppk2")),
        )
        .await
        .unwrap();
    (site, client, device, key.unwrap(), pushes)
}

/// The pushes that arrive within `wait`.
async fn arrived(pushes: &mut mpsc::UnboundedReceiver<Push>, wait: Duration) -> Vec<Push> {
    let mut got = Vec::new();
    let deadline = tokio::time::Instant::now() + wait;
    while let Ok(Some(push)) = tokio::time::timeout_at(deadline, pushes.recv()).await {
        got.push(push);
    }
    got
}

/// The site gives its VAPID key at enrollment and in `GET /device`; a
/// subscription with a good endpoint and keys is registered, one with a
/// bad endpoint or key sizes is `invalid_request`, and removing it works.
#[tokio::test]
async fn registration_is_checked() {
    let site = TestSite::start().await;
    let client = Client::new().unwrap();
    let (device, key) = enroll(&site, &client, "PPK2").await;
    let key = key.expect("the sandbox pushes");
    assert_eq!(B64.decode(&key).unwrap().len(), 65);
    assert_eq!(
        client.push_key(&site.base, &device).await.unwrap(),
        Some(key)
    );
    client
        .register_push(&site.base, &device, &subscription("http://127.0.0.1:9/p"))
        .await
        .unwrap();
    let long = format!("https://push.example.net/{}", "a".repeat(1000));
    for bad in [
        subscription("ftp://127.0.0.1/p"),
        subscription("not a url"),
        subscription(&long),
        PushSubscription {
            p256dh: B64.encode([4u8; 64]),
            ..subscription("https://push.example.net/p")
        },
        PushSubscription {
            auth: B64.encode([1u8; 17]),
            ..subscription("https://push.example.net/p")
        },
        PushSubscription {
            p256dh: P256DH.replace('B', "C"),
            ..subscription("https://push.example.net/p")
        },
    ] {
        assert_eq!(
            server_code(client.register_push(&site.base, &device, &bad).await),
            ErrorCode::InvalidRequest,
            "{bad:?}"
        );
    }
    client.remove_push(&site.base, &device).await.unwrap();
    client.remove_push(&site.base, &device).await.unwrap();
}

/// A login sends one push to the registered endpoint, with the headers of
/// RFC 8030 and RFC 8292 and an aes128gcm body of the protocol's size; the
/// login page does not wait for it.
#[tokio::test]
async fn a_login_pushes_once_with_the_headers() {
    let (site, _client, _device, key, mut pushes) =
        subscribed(Options::default(), Answer::Status(201)).await;
    let (_browser, location) = site.login("PPK2").await;
    assert_eq!(location, "/login/wait");
    let got = arrived(&mut pushes, Duration::from_millis(1500)).await;
    assert_eq!(got.len(), 1, "{got:?}");
    let push = &got[0];
    assert_eq!(push.path, "/push/ppk2");
    assert_eq!(push.headers["ttl"], "60");
    assert_eq!(push.headers["urgency"], "high");
    assert_eq!(push.headers["content-encoding"], "aes128gcm");
    let authorization = &push.headers["authorization"];
    assert!(authorization.starts_with("vapid t="), "{authorization}");
    assert!(
        authorization.ends_with(&format!(", k={key}")),
        "{authorization}"
    );
    // salt, rs, idlen, key id, then {"v":1,"kind":"login"}, delimiter, tag.
    assert_eq!(push.body.len(), 16 + 4 + 1 + 65 + 22 + 1 + 16);
    assert_eq!(push.body[16..20], 4096u32.to_be_bytes());
}

/// A push service answering 404 or 410 has dropped the subscription: the
/// site deletes it and pushes there no more.
#[tokio::test]
async fn a_gone_subscription_is_deleted() {
    for status in [404, 410] {
        let (site, _client, _device, _key, mut pushes) =
            subscribed(Options::default(), Answer::Status(status)).await;
        site.login("PPK2").await;
        assert_eq!(
            arrived(&mut pushes, Duration::from_millis(1000))
                .await
                .len(),
            1
        );
        let (_browser, location) = site.login("PPK2").await;
        assert_eq!(location, "/login/wait", "the login itself goes on");
        assert!(
            arrived(&mut pushes, Duration::from_millis(800))
                .await
                .is_empty(),
            "{status}"
        );
    }
}

/// Pushes obey the per-user push limit.
#[tokio::test]
async fn pushes_obey_the_push_limit() {
    let options = Options {
        push_limit: 2,
        ..Options::default()
    };
    let (site, _client, _device, _key, mut pushes) = subscribed(options, Answer::Status(201)).await;
    let mut locations = Vec::new();
    for _ in 0..3 {
        locations.push(site.login("PPK2").await.1);
    }
    assert_eq!(locations, ["/login/wait", "/login/wait", "/login/code"]);
    assert_eq!(
        arrived(&mut pushes, Duration::from_millis(1500))
            .await
            .len(),
        2
    );
}

/// After "Bukan saya" pushes pause for 10 minutes, wake-ups too.
#[tokio::test]
async fn a_report_pauses_pushes() {
    let (site, client, device, _key, mut pushes) =
        subscribed(Options::default(), Answer::Status(201)).await;
    site.login("PPK2").await;
    assert_eq!(
        arrived(&mut pushes, Duration::from_millis(1000))
            .await
            .len(),
        1
    );
    let challenge = client
        .pending(&site.base, &device, 5)
        .await
        .unwrap()
        .remove(0);
    client
        .decide(&site.base, &device, &challenge, Decision::Report, None)
        .await
        .unwrap();
    let (_browser, location) = site.login("PPK2").await;
    assert_eq!(location, "/login/code");
    assert!(
        arrived(&mut pushes, Duration::from_millis(800))
            .await
            .is_empty()
    );
}

/// An endpoint that takes the connection and never answers does not slow
/// the login page: the push runs beside it, and gives up after 2 s.
#[tokio::test]
async fn a_hanging_endpoint_does_not_slow_the_login() {
    let (site, _client, _device, _key, mut pushes) =
        subscribed(Options::default(), Answer::Never).await;
    for _ in 0..2 {
        let started = Instant::now();
        let (_browser, location) = site.login("PPK2").await;
        assert_eq!(location, "/login/wait");
        let took = started.elapsed();
        assert!(took < Duration::from_secs(1), "the login took {took:?}");
        // The push did go out (and hangs there).
        assert_eq!(
            arrived(&mut pushes, Duration::from_millis(500)).await.len(),
            1
        );
    }
}

/// The independent check: a push the sandbox sent, decrypted by PyPI's
/// `http-ece` with the receiver's private key to exactly the protocol's
/// text, and its VAPID token checked (signature, `aud`, `exp`, `sub`) with
/// Python's `cryptography` (tests/push_check/check_push.py); and the same
/// script on docs/push-vectors.json.
#[tokio::test]
#[ignore = "needs PyPI http-ece, which make test installs (scripts/install-deps.sh)"]
async fn the_push_decrypts_independently_and_its_token_verifies() {
    let (site, _client, _device, key, mut pushes) =
        subscribed(Options::default(), Answer::Status(201)).await;
    site.login("PPK2").await;
    let push = arrived(&mut pushes, Duration::from_millis(1500))
        .await
        .pop()
        .expect("a push");
    let endpoint_origin = format!("http://{}", push.headers["host"]);
    let capture = serde_json::json!({
        "aud": endpoint_origin,
        "vapid_key": key,
        "ua_private": UA_PRIVATE,
        "ua_public": P256DH,
        "auth": AUTH,
        "headers": push.headers,
        "body": B64.encode(&push.body),
    });
    let file = site.scratch().join("push.json");
    std::fs::write(&file, serde_json::to_vec(&capture).unwrap()).unwrap();
    let vectors = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/push-vectors.json");
    for args in [
        vec!["capture", file.to_str().unwrap()],
        vec!["vector", vectors],
    ] {
        // The site is done: blocking this test's thread holds nothing up.
        let out = std::process::Command::new(python())
            .arg(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../tests/push_check/check_push.py"
            ))
            .args(&args)
            .output()
            .expect("the push check's python (make test installs it)");
        assert!(
            out.status.success(),
            "{args:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            String::from_utf8_lossy(&out.stdout).trim(),
            r#"ok {"v":1,"kind":"login"}"#
        );
    }
}

/// The Python with http-ece: `SPSE_PUSH_PYTHON`, else the one
/// scripts/install-deps.sh makes.
fn python() -> String {
    if let Ok(python) = std::env::var("SPSE_PUSH_PYTHON") {
        return python;
    }
    let tools = std::env::var("SPSE_TOOLS_DIR")
        .unwrap_or_else(|_| format!("{}/.cache/spse-auth-tools", std::env::var("HOME").unwrap()));
    format!("{tools}/push-check/bin/python3")
}
