//! The whole SPSE flow against the sandbox over real HTTP on loopback: enroll,
//! then logins approved (with the number), denied and reported; every
//! attack refused with its error code; and what the client does about a
//! clock that is off, a training server's own root, a site answering for
//! another user.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::time::Duration;

use spse_client::{Client, Device, Error, now_ms};
use spse_otp::{Enrollment, Payload};
use spse_protocol::signing::{DecideFields, decide_input, request_input};
use spse_protocol::wire::{Decision, DeviceStatus, ErrorCode, Outcome};
use spse_protocol::{DeviceAuth, DeviceKey};
use spse_sandbox::testing::{Browser, Options, TestSite};

async fn start(qr_ttl: u64, challenge_ttl: u64) -> TestSite {
    TestSite::start_with(Options {
        qr_ttl: Duration::from_secs(qr_ttl),
        challenge_ttl: Duration::from_secs(challenge_ttl),
        ..Options::default()
    })
    .await
}

/// The QR a logged-in browser's Aktivasi page shows.
async fn enrollment(browser: &Browser) -> Enrollment {
    match Payload::parse(&browser.get_text("/totp/aktivasi/payload").await).unwrap() {
        Payload::Spse(enrollment) => enrollment,
        other => panic!("not an SPSE payload: {other:?}"),
    }
}

/// Enrolls `user` from its Aktivasi page; returns the device.
async fn enroll(site: &TestSite, client: &Client, user: &str) -> (Device, Enrollment) {
    let (browser, location) = site.login(user).await;
    assert_eq!(location, "/beranda");
    let enrollment = enrollment(&browser).await;
    assert_eq!(enrollment.server.as_str(), site.base);
    assert!(enrollment.server.is_training());
    let enrolled = client.enroll(&enrollment, "Test phone").await.unwrap();
    assert_eq!(enrolled.site_name, "LPSE Sandbox");
    assert_eq!(enrolled.device.user_id, user);
    (enrolled.device, enrollment)
}

/// A device the site has never seen.
fn stranger(user_id: &str) -> Device {
    Device {
        device_id: "AAAAAAAAAAAAAAAAAAAAAA".into(),
        key: DeviceKey::generate().unwrap(),
        user_id: user_id.into(),
    }
}

/// PPK2 logs in: the browser, the number its waiting page shows, and the
/// login as the app receives it.
async fn waiting_login(
    site: &TestSite,
    client: &Client,
    device: &Device,
) -> (Browser, String, spse_protocol::wire::Challenge) {
    let (browser, location) = site.login("PPK2").await;
    assert_eq!(location, "/login/wait");
    let number = browser.status().await["number"]
        .as_u64()
        .unwrap()
        .to_string();
    let challenge = client
        .pending(&site.base, device, 5)
        .await
        .unwrap()
        .remove(0);
    (browser, number, challenge)
}

/// "Ya" to `challenge` with `number`.
async fn approve(
    client: &Client,
    site: &TestSite,
    device: &Device,
    challenge: &spse_protocol::wire::Challenge,
    number: &str,
) -> Result<spse_protocol::wire::DecideResponse, Error> {
    client
        .decide(
            &site.base,
            device,
            challenge,
            Decision::Approve,
            Some(number),
        )
        .await
}

fn server_code(result: Result<impl std::fmt::Debug, Error>) -> ErrorCode {
    match result {
        Err(Error::Server { code, .. }) => code,
        other => panic!("expected a server refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn enroll_then_approve_deny_and_report() {
    let site = start(60, 60).await;
    let client = Client::new().unwrap();
    let (device, _) = enroll(&site, &client, "PPK2").await;
    assert_eq!(
        client.device_status(&site.base, &device).await.unwrap(),
        DeviceStatus::Active
    );

    // Approve, with the number the waiting page shows.
    let (browser, location) = site.login("PPK2").await;
    assert_eq!(location, "/login/wait");
    let status = browser.status().await;
    assert_eq!(status["state"], "waiting");
    let number = status["number"].as_u64().unwrap().to_string();
    let pending = client.pending(&site.base, &device, 5).await.unwrap();
    assert_eq!(pending.len(), 1);
    let challenge = &pending[0];
    assert!(challenge.number_match);
    assert_eq!(challenge.user_id, "PPK2");
    assert_eq!(challenge.origin, site.base);
    assert_eq!(challenge.ip, "127.0.0.1");
    assert!(challenge.user_agent.contains("Firefox"));
    let answer = client
        .decide(
            &site.base,
            &device,
            challenge,
            Decision::Approve,
            Some(&number),
        )
        .await
        .unwrap();
    assert_eq!(answer.result, Outcome::Accepted);
    assert_eq!(answer.message, "Login PPK2 diterima");
    assert_eq!(browser.status().await["state"], "accepted");
    assert_eq!(browser.get("/beranda").await.status(), 200);

    // Deny.
    let (browser, _) = site.login("PPK2").await;
    let challenge = client
        .pending(&site.base, &device, 5)
        .await
        .unwrap()
        .remove(0);
    let answer = client
        .decide(&site.base, &device, &challenge, Decision::Deny, None)
        .await
        .unwrap();
    assert_eq!(
        (answer.result, answer.message.as_str()),
        (Outcome::Denied, "Login PPK2 ditolak")
    );
    assert_eq!(browser.status().await["state"], "denied");

    // Report ("Bukan saya"): refused, and pushes pause; the code page still works.
    let (browser, _) = site.login("PPK2").await;
    let challenge = client
        .pending(&site.base, &device, 5)
        .await
        .unwrap()
        .remove(0);
    let answer = client
        .decide(&site.base, &device, &challenge, Decision::Report, None)
        .await
        .unwrap();
    assert_eq!(answer.result, Outcome::Reported);
    assert_eq!(browser.status().await["state"], "denied");
    let (_, location) = site.login("PPK2").await;
    assert_eq!(location, "/login/code", "pushes are paused after a report");
    assert!(
        client
            .pending(&site.base, &device, 0)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn the_long_poll_answers_as_soon_as_a_login_waits() {
    let site = start(60, 60).await;
    let client = Client::new().unwrap();
    let (device, _) = enroll(&site, &client, "PPK2").await;
    let started = std::time::Instant::now();
    let poll = {
        let (client, base) = (client.clone(), site.base.clone());
        tokio::spawn(async move { client.pending(&base, &device, 20).await })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    let _browser = site.login("PPK2").await;
    let seen = poll.await.unwrap().unwrap();
    assert_eq!(seen.len(), 1);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

/// The waiting page's held status poll moves on when the app answers, not at
/// a next poll: a browser waits for no timer after "Ya".
#[tokio::test]
async fn the_waiting_page_moves_on_as_soon_as_the_app_answers() {
    let site = start(60, 3).await;
    let client = Client::new().unwrap();
    let (device, _) = enroll(&site, &client, "PPK2").await;
    let (browser, number, challenge) = waiting_login(&site, &client, &device).await;
    let held = {
        let browser = browser.clone();
        tokio::spawn(async move { (browser.held_status().await, std::time::Instant::now()) })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        !held.is_finished(),
        "the poll is held while the login waits"
    );
    approve(&client, &site, &device, &challenge, &number)
        .await
        .unwrap();
    let decided = std::time::Instant::now();
    let (answer, answered) = held.await.unwrap();
    assert_eq!(answer["state"], "accepted");
    assert!(
        answered.duration_since(decided) < Duration::from_secs(1),
        "{:?}",
        answered.duration_since(decided)
    );

    // Unanswered, the held poll ends when the login expires (3 s here).
    let (browser, _, _) = waiting_login(&site, &client, &device).await;
    let started = std::time::Instant::now();
    assert_eq!(browser.held_status().await["state"], "expired");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn numbers_are_checked_and_limited() {
    let site = start(60, 60).await;
    let client = Client::new().unwrap();
    let (device, _) = enroll(&site, &client, "PPK2").await;
    let (browser, _) = site.login("PPK2").await;
    let number = browser.status().await["number"].as_u64().unwrap();
    let wrong = ((number - 10 + 1) % 90 + 10).to_string();
    let challenge = client
        .pending(&site.base, &device, 5)
        .await
        .unwrap()
        .remove(0);
    let right = number.to_string();
    let decide = |n: Option<String>| {
        let (client, base, challenge) = (client.clone(), site.base.clone(), challenge.clone());
        let device = &device;
        async move {
            client
                .decide(&base, device, &challenge, Decision::Approve, n.as_deref())
                .await
        }
    };
    assert_eq!(server_code(decide(None).await), ErrorCode::NumberRequired);
    assert_eq!(
        server_code(decide(Some(wrong.clone())).await),
        ErrorCode::NumberMismatch
    );
    assert_eq!(
        browser.status().await["state"],
        "waiting",
        "a wrong number leaves it pending"
    );
    assert_eq!(
        server_code(decide(Some(wrong.clone())).await),
        ErrorCode::NumberMismatch
    );
    assert_eq!(
        server_code(decide(Some(wrong)).await),
        ErrorCode::NumberMismatch
    );
    // The third wrong number refused the login: even the right one is too late.
    assert_eq!(
        server_code(decide(Some(right)).await),
        ErrorCode::ChallengeDecided
    );
    assert_eq!(browser.status().await["state"], "denied");
}

/// A decision signed by hand, to replay, forge or date it.
fn raw_decision(
    device_id: &str,
    key: &DeviceKey,
    challenge: &spse_protocol::wire::Challenge,
    number: &str,
    ts: u64,
) -> (String, String, Vec<u8>) {
    let sig = key
        .sign(
            &decide_input(&DecideFields {
                tx_id: &challenge.tx_id,
                nonce: &challenge.nonce,
                origin: &challenge.origin,
                user_id: &challenge.user_id,
                decision: "approve",
                number,
                device_id,
                iat: ts,
            })
            .unwrap(),
        )
        .unwrap();
    let body = serde_json::to_vec(&serde_json::json!({
        "device_id": device_id, "decision": "approve", "number": number, "iat": ts, "sig": sig
    }))
    .unwrap();
    let path = format!("/authenticator/v1/challenges/{}", challenge.tx_id);
    let auth = DeviceAuth {
        device_id: device_id.to_owned(),
        ts,
        sig: key
            .sign(&request_input("POST", &path, ts, &body).unwrap())
            .unwrap(),
    };
    (path, auth.header(), body)
}

async fn send_raw(base: &str, path: &str, auth: &str, body: &[u8]) -> (u16, String) {
    let response = reqwest::Client::new()
        .post(format!("{base}{path}"))
        .header("authorization", auth)
        .header("content-type", "application/json")
        .body(body.to_vec())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let json: serde_json::Value = response.json().await.unwrap();
    assert!(json["server_time"].as_u64().is_some());
    (status, json["error"].as_str().unwrap_or("").to_owned())
}

#[tokio::test]
async fn replayed_forged_foreign_and_stale_decisions_are_refused() {
    let site = start(60, 60).await;
    let client = Client::new().unwrap();
    let (device, _) = enroll(&site, &client, "PPK2").await;
    let (other, _) = enroll(&site, &client, "pokja1").await;
    let (browser, number, challenge) = waiting_login(&site, &client, &device).await;

    // Forged: the right device id, another key.
    let forger = DeviceKey::generate().unwrap();
    let (path, auth, body) =
        raw_decision(&device.device_id, &forger, &challenge, &number, now_ms());
    assert_eq!(
        send_raw(&site.base, &path, &auth, &body).await,
        (401, "bad_signature".into())
    );

    // Another device (pokja1's) signing for PPK2's login.
    let (path, auth, body) =
        raw_decision(&other.device_id, &other.key, &challenge, &number, now_ms());
    assert_eq!(
        send_raw(&site.base, &path, &auth, &body).await,
        (404, "unknown_challenge".into())
    );

    // Stale: signed two minutes ago.
    let old = now_ms() - 120_000;
    let (path, auth, body) = raw_decision(&device.device_id, &device.key, &challenge, &number, old);
    assert_eq!(
        send_raw(&site.base, &path, &auth, &body).await,
        (401, "stale_timestamp".into())
    );

    // Valid once; the very same request again is a replay.
    let (path, auth, body) = raw_decision(
        &device.device_id,
        &device.key,
        &challenge,
        &number,
        now_ms(),
    );
    assert_eq!(send_raw(&site.base, &path, &auth, &body).await.0, 200);
    assert_eq!(
        send_raw(&site.base, &path, &auth, &body).await,
        (401, "replayed_request".into())
    );
    // Freshly signed, the decided login is still refused.
    assert_eq!(
        server_code(approve(&client, &site, &device, &challenge, &number).await),
        ErrorCode::ChallengeDecided
    );
    assert_eq!(browser.status().await["state"], "accepted");
}

#[tokio::test]
async fn expired_logins_and_qr_codes_are_refused() {
    let site = start(1, 1).await;
    let client = Client::new().unwrap();
    let (device, _) = enroll(&site, &client, "PPK2").await;
    let (browser, number, challenge) = waiting_login(&site, &client, &device).await;
    tokio::time::sleep(Duration::from_millis(1_200)).await;
    assert_eq!(browser.status().await["state"], "expired");
    assert_eq!(
        server_code(approve(&client, &site, &device, &challenge, &number).await),
        ErrorCode::ChallengeExpired
    );

    let (browser, _) = site.login("pokja1").await;
    let enrollment = enrollment(&browser).await;
    tokio::time::sleep(Duration::from_millis(1_200)).await;
    assert_eq!(
        server_code(client.enroll(&enrollment, "late phone").await),
        ErrorCode::EnrollmentExpired
    );
}

#[tokio::test]
async fn enrollment_tokens_and_codes_are_single_use() {
    let site = start(60, 60).await;
    let client = Client::new().unwrap();
    // Enroll and reuse the code within one 30 s step: wait out a step's end.
    let into_step = now_ms() % 30_000;
    if into_step > 25_000 {
        tokio::time::sleep(Duration::from_millis(30_100 - into_step)).await;
    }
    let (_, enrollment) = enroll(&site, &client, "penyedia1").await;
    assert_eq!(
        server_code(client.enroll(&enrollment, "second phone").await),
        ErrorCode::EnrollmentUsed
    );
    // The provider logs in with a code; the code enrollment used is refused.
    let (browser, location) = site.login("penyedia1").await;
    assert_eq!(location, "/login/code");
    let now = now_ms() / 1000;
    let used = enrollment.account.code_at(now).to_string();
    let response = browser.post_code(&used).await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("code_reused"));
    // The next step's code works once.
    let next = enrollment.account.code_at(now + 30).to_string();
    assert_eq!(browser.post_code(&next).await.status(), 303);
    assert_eq!(browser.get("/beranda").await.status(), 200);
}

#[tokio::test]
async fn a_push_flood_stops_at_the_rate_limit() {
    let site = start(60, 60).await;
    let client = Client::new().unwrap();
    let (device, _) = enroll(&site, &client, "PPK2").await;
    let mut waiting = 0;
    for _ in 0..8 {
        let (_, location) = site.login("PPK2").await;
        if location == "/login/wait" {
            waiting += 1;
        }
    }
    assert_eq!(waiting, 5);
    assert_eq!(
        client.pending(&site.base, &device, 0).await.unwrap().len(),
        5
    );
}

#[tokio::test]
async fn disabled_totp_and_removed_devices_are_told_apart() {
    let site = start(60, 60).await;
    let client = Client::new().unwrap();
    let (device, _) = enroll(&site, &client, "PPK2").await;
    // TOTP reset on the site: the device learns it, logins need no push.
    site.reset("PPK2").await;
    assert_eq!(
        client.device_status(&site.base, &device).await.unwrap(),
        DeviceStatus::Disabled
    );
    assert_eq!(
        server_code(client.pending(&site.base, &device, 0).await),
        ErrorCode::TotpDisabled
    );
    let (_, location) = site.login("PPK2").await;
    assert_eq!(location, "/beranda", "no second factor once TOTP is off");
    // Deleting the account on the phone then removes the device on the site.
    client.unenroll(&site.base, &device).await.unwrap();
    assert_eq!(
        server_code(client.device_status(&site.base, &device).await),
        ErrorCode::UnknownDevice
    );
}

#[tokio::test]
async fn a_site_that_is_down_is_a_clear_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let client = Client::new().unwrap();
    let device = stranger("PPK2");
    let error = client.pending(&base, &device, 0).await.unwrap_err();
    assert!(matches!(error, Error::Unreachable { .. }), "{error:?}");
    assert_eq!(
        error.to_string(),
        format!("site: {base} cannot be reached; check the connection and try again")
    );
}

/// F-11: a client without cleartext sends nothing to a plain http site
/// (the sandbox would answer), and says so; https sites are unaffected.
#[tokio::test]
async fn a_client_without_cleartext_sends_nothing_over_http() {
    let site = TestSite::start().await;
    let client = Client::new().unwrap().with_cleartext(false);
    let error = client
        .pending(&site.base, &stranger("PPK2"), 0)
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Cleartext { .. }), "{error:?}");
    assert_eq!(
        error.to_string(),
        format!(
            "site: {} is plain http, which this build does not connect to; use a training build or \
             the site's https address",
            site.base
        )
    );
    // The same request with cleartext allowed reaches the site (which does not know the device).
    let reached = Client::new()
        .unwrap()
        .pending(&site.base, &stranger("PPK2"), 0)
        .await
        .unwrap_err();
    assert!(matches!(reached, Error::Server { .. }), "{reached:?}");
}

/// Finding 11: a training server's root is trusted for that site only,
/// not for every site the client talks to.
#[tokio::test]
async fn over_https_with_the_sandbox_root_trusted_for_that_site_only() {
    let site = TestSite::start_with(Options {
        tls: true,
        ..Options::default()
    })
    .await;
    let root = site.root_der().unwrap().to_vec();
    assert!(site.base.starts_with("https://127.0.0.1:"));

    // The browser (trusting the root) gets the QR; it names an https site.
    let (browser, _) = site.login("PPK2").await;
    let enrollment = enrollment(&browser).await;
    assert!(
        !enrollment.server.is_training(),
        "https is no training server"
    );

    // A client that does not trust the root refuses the site.
    let client = Client::new().unwrap();
    let error = client.enroll(&enrollment, "phone").await.unwrap_err();
    assert!(matches!(error, Error::Tls { .. }), "{error:?}");

    // Trusting it for this site, the whole flow works over TLS.
    client.trust_root_for(&site.base, &root).unwrap();
    let device = client.enroll(&enrollment, "phone").await.unwrap().device;
    let (browser, location) = site.login("PPK2").await;
    assert_eq!(location, "/login/wait");
    let number = browser.status().await["number"]
        .as_u64()
        .unwrap()
        .to_string();
    let challenge = client
        .pending(&site.base, &device, 5)
        .await
        .unwrap()
        .remove(0);
    assert_eq!(challenge.origin, site.base);
    let answer = approve(&client, &site, &device, &challenge, &number)
        .await
        .unwrap();
    assert_eq!(answer.message, "Login PPK2 diterima");

    // The same server under another name (its certificate covers
    // `localhost` too) is another site: the root is not trusted there.
    let other = site.base.replace("127.0.0.1", "localhost");
    let error = client.device_status(&other, &device).await.unwrap_err();
    assert!(matches!(error, Error::Tls { .. }), "{error:?}");
}

/// A site whose clock is two minutes ahead (a fake answering only
/// `server_time`): codes for it are made at its time; a site within 5 s is not.
#[tokio::test]
async fn codes_follow_a_site_clock_that_is_off_by_more_than_5_s() {
    use axum::routing::get;
    let ahead = |offset: u64| {
        axum::Router::new().route(
            "/authenticator/v1/challenges",
            get(move || async move {
                axum::Json(serde_json::json!({"server_time": now_ms() + offset, "challenges": []}))
            }),
        )
    };
    let client = Client::new().unwrap();
    let device = stranger("PPK2");
    for (offset, corrected) in [(120_000u64, true), (3_000, false)] {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let server = tokio::spawn(async move { axum::serve(listener, ahead(offset)).await });
        assert!(client.pending(&base, &device, 0).await.unwrap().is_empty());
        let measured = client.clock_offset(&base).unwrap();
        assert!((measured - offset as i64).abs() < 1_000, "{measured}");
        let local = now_ms();
        let used = client.code_time(&base, local);
        if corrected {
            assert!((used as i64 - local as i64 - offset as i64).abs() < 1_000);
        } else {
            assert_eq!(used, local);
        }
        server.abort();
    }
    assert_eq!(client.code_time("http://never.seen", 42), 42);
}

#[tokio::test]
async fn failed_codes_are_rate_limited_per_account() {
    let site = start(60, 60).await;
    let client = Client::new().unwrap();
    let (_, enrollment) = enroll(&site, &client, "penyedia1").await;
    let (browser, _) = site.login("penyedia1").await;
    let right = enrollment.account.code_at(now_ms() / 1000 + 30).to_string();
    let wrong = if right == "000000" {
        "111111"
    } else {
        "000000"
    };
    for _ in 0..5 {
        let response = browser.post_code(wrong).await;
        assert_eq!(response.status(), 422);
        assert!(response.text().await.unwrap().contains("bad_code"));
    }
    // The sixth try is refused whatever it holds, the right code included.
    let response = browser.post_code(&right).await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("rate_limited"));
}

/// A (broken or hostile) site listing a login for another origin: refused,
/// so the app never asks "Authorize login?" on behalf of another site.
#[tokio::test]
async fn a_login_for_another_origin_is_refused() {
    use axum::routing::get;
    let fake = axum::Router::new().route(
        "/authenticator/v1/challenges",
        get(|| async {
            axum::Json(serde_json::json!({"server_time": now_ms(), "challenges": [{
                "tx_id": "tx-1", "nonce": "n", "user_id": "PPK2",
                "origin": "https://lpse.other.go.id", "ip": "203.0.113.7", "user_agent": "x",
                "created": now_ms(), "expires": now_ms() + 60_000, "number_match": true}]}))
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(async move { axum::serve(listener, fake).await });
    let client = Client::new().unwrap();
    let device = stranger("PPK2");
    let error = client.pending(&base, &device, 0).await.unwrap_err();
    assert!(matches!(error, Error::BadResponse), "{error:?}");
    server.abort();
}

/// `n - s` for P-256's group order `n`: the twin of an ECDSA signature.
fn twin(signature_b64u: &str) -> String {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    const N: [u8; 32] = [
        0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63,
        0x25, 0x51,
    ];
    let mut sig = b64.decode(signature_b64u).unwrap();
    let mut borrow = 0i16;
    for i in (0..32).rev() {
        let mut d = i16::from(N[i]) - i16::from(sig[32 + i]) - borrow;
        borrow = i16::from(d < 0);
        if d < 0 {
            d += 256;
        }
        sig[32 + i] = d as u8;
    }
    b64.encode(sig)
}

#[tokio::test]
async fn a_replay_with_the_twin_signature_is_still_a_replay() {
    let site = start(60, 60).await;
    let client = Client::new().unwrap();
    let (device, _) = enroll(&site, &client, "PPK2").await;
    let (_browser, _number, challenge) = waiting_login(&site, &client, &device).await;
    let (path, auth, body) =
        raw_decision(&device.device_id, &device.key, &challenge, "00", now_ms());
    assert_eq!(
        send_raw(&site.base, &path, &auth, &body).await,
        (422, "number_mismatch".into())
    );
    let parsed = DeviceAuth::parse(&auth).unwrap();
    let twin_auth = DeviceAuth {
        sig: twin(&parsed.sig),
        ..parsed
    }
    .header();
    assert_ne!(twin_auth, auth);
    assert_eq!(
        send_raw(&site.base, &path, &twin_auth, &body).await,
        (401, "replayed_request".into())
    );
}

#[tokio::test]
async fn a_report_ends_every_login_still_waiting() {
    let site = start(60, 60).await;
    let client = Client::new().unwrap();
    let (device, _) = enroll(&site, &client, "PPK2").await;
    let (first, _) = site.login("PPK2").await;
    let (second, _) = site.login("PPK2").await;
    let waiting = client.pending(&site.base, &device, 5).await.unwrap();
    assert_eq!(waiting.len(), 2);
    client
        .decide(&site.base, &device, &waiting[0], Decision::Report, None)
        .await
        .unwrap();
    assert!(
        client
            .pending(&site.base, &device, 0)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        server_code(
            client
                .decide(
                    &site.base,
                    &device,
                    &waiting[1],
                    Decision::Approve,
                    Some("10")
                )
                .await
        ),
        ErrorCode::ChallengeDecided
    );
    assert_eq!(first.status().await["state"], "denied");
    assert_eq!(second.status().await["state"], "denied");
}

#[tokio::test]
async fn enrolling_spends_every_qr_the_user_was_shown() {
    let site = start(60, 60).await;
    let client = Client::new().unwrap();
    let (browser, _) = site.login("PPK2").await;
    assert_eq!(browser.get("/totp/aktivasi").await.status(), 200);
    let first = enrollment(&browser).await;
    assert_eq!(browser.get("/totp/aktivasi").await.status(), 200);
    let second = enrollment(&browser).await;
    assert_ne!(first.token, second.token);
    client.enroll(&second, "phone").await.unwrap();
    assert_eq!(
        server_code(client.enroll(&first, "photo of the old QR").await),
        ErrorCode::EnrollmentUsed
    );
}

/// Finding 2: a signed request refused as stale carries the site's time;
/// the client signs again at that time and sends once more.
#[tokio::test]
async fn a_stale_timestamp_is_retried_once_at_the_sites_time() {
    let site = start(60, 60).await;
    let client = Client::new().unwrap();
    let (device, _) = enroll(&site, &client, "PPK2").await;
    // As if this device's clock were 2 minutes behind the site's.
    client.set_clock_offset(&site.base, -120_000);
    assert_eq!(
        client.device_status(&site.base, &device).await.unwrap(),
        DeviceStatus::Active
    );
    assert!(client.clock_offset(&site.base).unwrap().abs() < 5_000);
    client.set_clock_offset(&site.base, 120_000);
    let (_browser, number, challenge) = waiting_login(&site, &client, &device).await;
    client.set_clock_offset(&site.base, -120_000);
    let answer = approve(&client, &site, &device, &challenge, &number)
        .await
        .unwrap();
    assert_eq!(answer.result, Outcome::Accepted);
}

/// Finding 2: a code refused at enrollment because this device's clock is
/// off is made again at the site's time (from the refusal's `server_time`).
#[tokio::test]
async fn an_enrollment_code_is_made_again_at_the_sites_time() {
    let site = start(60, 60).await;
    let client = Client::new().unwrap();
    let (browser, _) = site.login("PPK2").await;
    let enrollment = enrollment(&browser).await;
    // A wrong offset believed from an earlier run: the first code is off by
    // three steps, the refusal corrects it.
    client.set_clock_offset(&site.base, 90_000);
    let enrolled = client.enroll(&enrollment, "phone").await.unwrap();
    assert_eq!(enrolled.device.user_id, "PPK2");
    assert!(client.clock_offset(&site.base).unwrap().abs() < 5_000);
}

/// Finding 7: a login for another user of the site is not this account's
/// to answer, and is refused before anything is signed.
#[tokio::test]
async fn a_login_for_another_user_is_refused() {
    let site = start(60, 60).await;
    let client = Client::new().unwrap();
    let (device, _) = enroll(&site, &client, "PPK2").await;
    let (_browser, _number, challenge) = waiting_login(&site, &client, &device).await;
    let theirs = spse_protocol::wire::Challenge {
        user_id: "pokja1".into(),
        ..challenge
    };
    let error = client
        .decide(&site.base, &device, &theirs, Decision::Approve, Some("10"))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::WrongAccount), "{error:?}");
}
