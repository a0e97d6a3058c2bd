//! The login path on loopback, printed as a table and written into
//! docs/benchmarks.md (between its `protocol` markers):
//!
//! 1. Delivery: from a login created on the sandbox to the long-polling
//!    client holding it (p50, p99, max over 300 logins).
//! 2. Throughput: signed decisions per second (8 in flight), beside the same
//!    client making the same signed decisions to a bare axum handler that
//!    answers without checking anything, in the same run: the ratio is the
//!    site's own work (verifying, the replay table, SQLite).
//! 3. Web Push: from a login created to its push (RFC 8291 encrypted, VAPID
//!    signed, sent asynchronously) received by a push service on loopback,
//!    beside the long poll's delivery of 1.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::routing::post;
use axum::{Json, Router};
use futures_util::stream::{self, StreamExt};
use spse_client::Client;
use spse_otp::Payload;
use spse_protocol::wire::Decision;
use spse_sandbox::testing::{Options, TestSite};

const LOGINS: usize = 300;
const DECISIONS: usize = 400;
const IN_FLIGHT: usize = 8;
const PUSHES: usize = 100;

/// A push service on loopback: the instant each POST's head arrived.
async fn push_service() -> (String, tokio::sync::mpsc::UnboundedReceiver<Instant>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = spse_sandbox::http_base_url(listener.local_addr().unwrap());
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((mut tcp, _)) = listener.accept().await {
            let tx = tx.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 16 * 1024];
                if tcp.read(&mut buf).await.unwrap_or(0) > 0 {
                    let _ = tx.send(Instant::now());
                }
                let _ = tcp
                    .write_all(
                        b"HTTP/1.1 201 Created\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
                    )
                    .await;
            });
        }
    });
    (base, rx)
}

async fn serve(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = spse_sandbox::http_base_url(listener.local_addr().unwrap());
    let app = router.into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, app).await });
    base
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index]
}

/// Today's date (UTC), for the generated block.
fn today() -> String {
    let days = spse_client::now_ms() / 86_400_000;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year}-{month:02}-{day:02}")
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let site = TestSite::start_with(Options {
        challenge_ttl: Duration::from_secs(600),
        push_limit: u32::MAX,
        ..Options::default()
    })
    .await;
    let (base, sandbox) = (site.base.clone(), &site.sandbox);

    // Enroll PPK2 through its Aktivasi page.
    let Ok(Payload::Spse(enrollment)) = Payload::parse(&site.payload("PPK2").await) else {
        panic!("no SPSE payload")
    };
    let client = Client::new().unwrap();
    let device = Arc::new(client.enroll(&enrollment, "bench").await.unwrap().device);

    // 1. Delivery latency.
    let mut latencies = Vec::with_capacity(LOGINS);
    for _ in 0..LOGINS {
        let poll = {
            let (client, base, device) = (client.clone(), base.clone(), Arc::clone(&device));
            tokio::spawn(async move {
                client
                    .pending(&base, &device, 10)
                    .await
                    .map(|c| (c, Instant::now()))
            })
        };
        // Let the poll reach the server and wait there.
        tokio::time::sleep(Duration::from_millis(15)).await;
        let started = Instant::now();
        sandbox.push_login("PPK2").unwrap();
        let (challenges, seen) = poll.await.unwrap().unwrap();
        latencies.push(seen - started);
        for challenge in &challenges {
            client
                .decide(&base, &device, challenge, Decision::Deny, None)
                .await
                .unwrap();
        }
    }
    latencies.sort();

    // 2. Decisions per second against a bare handler.
    let mut pending = Vec::with_capacity(DECISIONS);
    for _ in 0..DECISIONS {
        sandbox.push_login("PPK2").unwrap();
    }
    while pending.len() < DECISIONS {
        pending.extend(client.pending(&base, &device, 0).await.unwrap());
        pending.dedup_by(|a, b| a.tx_id == b.tx_id);
        if pending.len() < DECISIONS {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
    let started = Instant::now();
    stream::iter(pending)
        .map(|challenge| {
            let (client, base, device) = (client.clone(), base.clone(), Arc::clone(&device));
            async move {
                client
                    .decide(&base, &device, &challenge, Decision::Deny, None)
                    .await
                    .unwrap()
            }
        })
        .buffer_unordered(IN_FLIGHT)
        .collect::<Vec<_>>()
        .await;
    let decisions = DECISIONS as f64 / started.elapsed().as_secs_f64();

    // The baseline: the very same client calls (signing included) to a
    // handler that answers "denied" at once.
    let bare = serve(Router::new().route(
        "/authenticator/v1/challenges/{tx_id}",
        post(|| async {
            Json(
                serde_json::json!({"server_time": spse_client::now_ms(), "result": "denied",
                "message": "Login PPK2 ditolak"}),
            )
        }),
    ))
    .await;
    let challenge = spse_protocol::wire::Challenge {
        tx_id: "tx-bench".into(),
        nonce: "bm9uY2U".into(),
        user_id: "PPK2".into(),
        origin: bare.clone(),
        ip: "127.0.0.1".into(),
        user_agent: "bench".into(),
        created: 0,
        expires: u64::MAX,
        number_match: false,
    };
    let started = Instant::now();
    stream::iter(0..DECISIONS)
        .map(|_| {
            let (client, bare, device, challenge) = (
                client.clone(),
                bare.clone(),
                Arc::clone(&device),
                challenge.clone(),
            );
            async move {
                client
                    .decide(&bare, &device, &challenge, Decision::Deny, None)
                    .await
                    .unwrap()
            }
        })
        .buffer_unordered(IN_FLIGHT)
        .collect::<Vec<_>>()
        .await;
    let baseline = DECISIONS as f64 / started.elapsed().as_secs_f64();

    // 3. Web Push: each login's push at a push service on loopback (the
    // RFC 8291 appendix A receiver keys; a training site takes http).
    let (push_base, mut received) = push_service().await;
    client
        .register_push(
            &base,
            &device,
            &spse_client::PushSubscription {
                endpoint: format!("{push_base}/push/bench"),
                p256dh: "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4".into(),
                auth: "BTBZMqHH6r4Tts7J_aSIgg".into(),
            },
        )
        .await
        .unwrap();
    let mut pushes = Vec::with_capacity(PUSHES);
    for _ in 0..PUSHES {
        let started = Instant::now();
        sandbox.push_login("PPK2").unwrap();
        let seen = tokio::time::timeout(Duration::from_secs(5), received.recv())
            .await
            .unwrap()
            .unwrap();
        pushes.push(seen - started);
    }
    pushes.sort();

    let (p50, p99) = (
        ms(percentile(&latencies, 0.5)),
        ms(percentile(&latencies, 0.99)),
    );
    let (push_p50, push_p99, push_max) = (
        ms(percentile(&pushes, 0.5)),
        ms(percentile(&pushes, 0.99)),
        ms(*pushes.last().unwrap()),
    );
    let ratio = decisions / baseline;
    let table = format!(
        "<!-- protocol:start -->\n\n\
         Generated by `make bench` (`cargo bench -p spse-client --bench protocol`) on {date}, \
         loopback, release build, sandbox with SQLite (WAL).\n\n\
         | login delivery ({LOGINS} logins) | p50 | p99 | max |\n|---|---|---|---|\n\
         | login created on the sandbox -> long-polling client holds it | {p50} | {p99} | {} |\n\n\
         | Web Push ({PUSHES} logins) | p50 | p99 | max |\n|---|---|---|---|\n\
         | login created on the sandbox -> its push (encrypted, VAPID-signed) at a push service on loopback | {push_p50} | {push_p99} | {push_max} |\n\n\
         | throughput ({DECISIONS} decisions, {IN_FLIGHT} in flight, one client) | per second | x baseline |\n|---|---|---|\n\
         | baseline: the same signed decisions to a bare handler that answers at once | {baseline:.0} | 1.00 |\n\
         | the sandbox: verify both signatures, replay table, SQLite updates | {decisions:.0} | {ratio:.2} |\n\n\
         Reading: a login reaches the waiting app in {p50} (p50), {p99} (p99): the long poll is \
         woken by the login itself. The sandbox answers {decisions:.0} decisions a second, \
         {ratio:.2}x what the same client reaches against a handler doing nothing. \
         A login's Web Push (a fresh ECDH key, HKDF, AES-128-GCM and an ES256 token, sent \
         after the login page has its answer) reaches the push service in {push_p50} (p50), \
         beside the {p50} of the long poll above.\n\n\
         <!-- protocol:end -->",
        ms(*latencies.last().unwrap()),
        date = today(),
    );
    println!("{table}");
    let doc = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/benchmarks.md");
    let text = std::fs::read_to_string(&doc).unwrap();
    let text = match (
        text.find("<!-- protocol:start -->"),
        text.find("<!-- protocol:end -->"),
    ) {
        (Some(a), Some(b)) => format!(
            "{}{table}{}",
            &text[..a],
            &text[b + "<!-- protocol:end -->".len()..]
        ),
        _ => format!(
            "{}\n## The protocol (`spse-client` against `spse-sandbox`)\n\n{table}\n",
            text.trim_end()
        ),
    };
    std::fs::write(&doc, text).unwrap();
}
