//! The sandbox as a site LPSE staff may run on a LAN for training: what the
//! outside review found it let through (findings 9 and 12 to 16), each
//! refused now, through real HTTP on loopback and the real client.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::time::Duration;

use spse_client::{Client, Device, Error};
use spse_otp::Payload;
use spse_protocol::wire::{Decision, DeviceStatus, ErrorCode, Outcome};
use spse_sandbox::testing::{Browser, Options, TestSite};

async fn enroll(site: &TestSite, client: &Client, user: &str) -> (Device, Browser) {
    let (browser, _) = site.login(user).await;
    let Payload::Spse(enrollment) =
        Payload::parse(&browser.get_text("/totp/aktivasi/payload").await).unwrap()
    else {
        panic!("no SPSE payload")
    };
    let device = client.enroll(&enrollment, "phone").await.unwrap().device;
    (device, browser)
}

/// PPK2 logged in through an approved push: a browser on Beranda.
async fn logged_in(site: &TestSite, client: &Client, device: &Device) -> Browser {
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
    client
        .decide(
            &site.base,
            device,
            &challenge,
            Decision::Approve,
            Some(&number),
        )
        .await
        .unwrap();
    assert_eq!(browser.get("/beranda").await.status(), 200);
    browser
}

fn server_code<T: std::fmt::Debug>(result: Result<T, Error>) -> ErrorCode {
    match result {
        Err(Error::Server { code, .. }) => code,
        other => panic!("expected a server refusal, got {other:?}"),
    }
}

/// Finding 9: the database holds TOTP secrets in clear; it and its WAL
/// files are readable by their owner only from the moment they exist.
#[cfg(unix)]
#[tokio::test]
async fn the_database_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let site = TestSite::start().await;
    let client = Client::new().unwrap();
    enroll(&site, &client, "PPK2").await;
    for name in ["sandbox.db", "sandbox.db-wal", "sandbox.db-shm"] {
        let mode = std::fs::metadata(site.scratch().join(name))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{name}");
    }
}

/// Finding 12: the SPSE password alone cannot turn TOTP off. The mailbox
/// opens with its own password, and opening the mailed link changes
/// nothing until its form is posted; the link works once.
#[tokio::test]
async fn the_mailbox_has_its_own_password_and_the_link_asks_first() {
    let site = TestSite::start().await;
    let client = Client::new().unwrap();
    let (device, _) = enroll(&site, &client, "PPK2").await;
    let http = site.http();
    let post = |path: &str, form: Vec<(&'static str, String)>| {
        http.post(format!("{}{path}", site.base)).form(&form).send()
    };
    post("/totp/reset", vec![("user_id", "PPK2".into())])
        .await
        .unwrap();
    let with_spse_password = post(
        "/mailbox",
        vec![
            ("user_id", "PPK2".into()),
            ("password", "latihan-PPK2".into()),
        ],
    )
    .await
    .unwrap();
    assert_eq!(with_spse_password.status(), 401);
    let mailbox = post(
        "/mailbox",
        vec![
            ("user_id", "PPK2".into()),
            ("password", "surat-PPK2".into()),
        ],
    )
    .await
    .unwrap()
    .text()
    .await
    .unwrap();
    let start = mailbox.find("/totp/reset/confirm?token=").unwrap();
    let link = &mailbox[start..start + mailbox[start..].find('"').unwrap()];
    let token = link
        .trim_start_matches("/totp/reset/confirm?token=")
        .to_owned();

    // A link preview or mail scanner opening it changes nothing.
    let page = http
        .get(format!("{}{link}", site.base))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("<form method=\"post\""));
    assert_eq!(
        client.device_status(&site.base, &device).await.unwrap(),
        DeviceStatus::Active
    );
    // Its form resets, once.
    let done = post("/totp/reset/confirm", vec![("token", token.clone())])
        .await
        .unwrap();
    assert_eq!(done.status(), 200);
    assert_eq!(
        client.device_status(&site.base, &device).await.unwrap(),
        DeviceStatus::Disabled
    );
    let again = post("/totp/reset/confirm", vec![("token", token)])
        .await
        .unwrap();
    assert_eq!(again.status(), 404);
}

/// Finding 13: Disable TOTP (and every other form that changes something)
/// needs the session's CSRF token and this site's origin.
#[tokio::test]
async fn state_changing_forms_need_the_csrf_token_and_this_origin() {
    let site = TestSite::start().await;
    let client = Client::new().unwrap();
    let (device, _) = enroll(&site, &client, "PPK2").await;
    let browser = logged_in(&site, &client, &device).await;
    let csrf = browser.csrf("/beranda").await;
    let disable = |form: Vec<(&'static str, String)>,
                   headers: Vec<(&'static str, &'static str)>| {
        let mut request = browser
            .http
            .post(format!("{}/totp/disable", site.base))
            .header("cookie", &browser.cookie)
            .form(&form);
        for (name, value) in headers {
            request = request.header(name, value);
        }
        request.send()
    };
    for (form, headers) in [
        (vec![], vec![]),
        (vec![("csrf", "forged".to_owned())], vec![]),
        (
            vec![("csrf", csrf.clone())],
            vec![("origin", "https://evil.example")],
        ),
        (
            vec![("csrf", csrf.clone())],
            vec![("sec-fetch-site", "cross-site")],
        ),
    ] {
        let response = disable(form.clone(), headers.clone()).await.unwrap();
        assert_eq!(response.status(), 403, "{form:?} {headers:?}");
        assert_eq!(
            client.device_status(&site.base, &device).await.unwrap(),
            DeviceStatus::Active,
            "{form:?} {headers:?}"
        );
    }
    let same_site: &'static str = Box::leak(site.base.clone().into_boxed_str());
    let response = disable(vec![("csrf", csrf)], vec![("origin", same_site)])
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(
        client.device_status(&site.base, &device).await.unwrap(),
        DeviceStatus::Disabled
    );
    // Logging out is a state change too.
    let response = browser
        .http
        .post(format!("{}/logout", site.base))
        .header("cookie", &browser.cookie)
        .form(&[("next", "/")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
}

/// Finding 13: sessions expire; changing TOTP ends every other session of
/// the user (the one that made the change stays); a reset ends them all;
/// over HTTPS the cookie is `Secure`.
#[tokio::test]
async fn sessions_expire_and_end_when_totp_changes() {
    let site = TestSite::start().await;
    let client = Client::new().unwrap();
    let (other, _) = site.login("PPK2").await;
    let (device, aktivasi) = enroll(&site, &client, "PPK2").await;
    assert_eq!(
        other.get("/beranda").await.status(),
        303,
        "ended by the enrollment"
    );
    assert_eq!(
        aktivasi.get("/beranda").await.status(),
        200,
        "the enrolling page stays"
    );
    assert_eq!(
        aktivasi.get_text("/totp/aktivasi/status").await,
        "{\"state\":\"active\"}"
    );
    site.reset("PPK2").await;
    assert_eq!(
        aktivasi.get("/beranda").await.status(),
        303,
        "ended by the reset"
    );
    drop(device);

    // An idle session expires (its expiry moved into the past, as 30
    // minutes of idleness would).
    let (idle, _) = site.login("pokja1").await;
    assert_eq!(idle.get("/beranda").await.status(), 200);
    let db = rusqlite::Connection::open(site.scratch().join("sandbox.db")).unwrap();
    db.execute("UPDATE sessions SET expires = 1", []).unwrap();
    assert_eq!(idle.get("/beranda").await.status(), 303);

    let cookie = |site: &TestSite| {
        let site_base = site.base.clone();
        let http = site.http();
        async move {
            let response = http
                .post(format!("{site_base}/login"))
                .form(&[("user_id", "pokja1"), ("password", "latihan-pokja1")])
                .send()
                .await
                .unwrap();
            response.headers()["set-cookie"]
                .to_str()
                .unwrap()
                .to_owned()
        }
    };
    assert!(!cookie(&site).await.contains("Secure"));
    let tls = TestSite::start_with(Options {
        tls: true,
        ..Options::default()
    })
    .await;
    assert!(cookie(&tls).await.ends_with("; Secure"));
}

/// Finding 14: password guesses are throttled per user ID and per address,
/// before any password is hashed: 429 with `Retry-After`, even for the
/// right password, on the login and the mailbox alike.
#[tokio::test]
async fn password_guesses_are_throttled_per_user_and_per_address() {
    for path in ["/login", "/mailbox"] {
        let site = TestSite::start().await;
        let http = site.http();
        let right = if path == "/login" {
            "latihan-PPK2"
        } else {
            "surat-PPK2"
        };
        let attempt = |password: &'static str| {
            http.post(format!("{}{path}", site.base))
                .form(&[("user_id", "PPK2"), ("password", password)])
                .send()
        };
        for _ in 0..5 {
            assert_eq!(attempt("wrong").await.unwrap().status(), 401, "{path}");
        }
        let refused = attempt(Box::leak(right.to_owned().into_boxed_str()))
            .await
            .unwrap();
        assert_eq!(refused.status(), 429, "{path}");
        let wait: u64 = refused.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=300).contains(&wait), "{path}: {wait}");
    }

    // One address guessing across many user IDs is stopped too.
    let site = TestSite::start().await;
    let http = site.http();
    for n in 0..20 {
        let response = http
            .post(format!("{}/login", site.base))
            .form(&[("user_id", format!("nobody{n}")), ("password", "x".into())])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401);
    }
    let (_, status) = (
        (),
        http.post(format!("{}/login", site.base))
            .form(&[("user_id", "pokja1"), ("password", "latihan-pokja1")])
            .send()
            .await
            .unwrap()
            .status(),
    );
    assert_eq!(status, 429);
}

/// Finding 15: "Bukan saya" on a login that has just expired is still a
/// report: pushes pause. An approval stays refused.
#[tokio::test]
async fn bukan_saya_just_after_expiry_is_still_a_report() {
    let site = TestSite::start_with(Options {
        challenge_ttl: Duration::from_secs(1),
        ..Options::default()
    })
    .await;
    let client = Client::new().unwrap();
    let (device, _) = enroll(&site, &client, "PPK2").await;
    let (browser, _) = site.login("PPK2").await;
    let challenge = client
        .pending(&site.base, &device, 5)
        .await
        .unwrap()
        .remove(0);
    tokio::time::sleep(Duration::from_millis(1_200)).await;
    assert_eq!(
        server_code(
            client
                .decide(
                    &site.base,
                    &device,
                    &challenge,
                    Decision::Approve,
                    Some("10")
                )
                .await
        ),
        ErrorCode::ChallengeExpired
    );
    let answer = client
        .decide(&site.base, &device, &challenge, Decision::Report, None)
        .await
        .unwrap();
    assert_eq!(answer.result, Outcome::Reported);
    assert_eq!(browser.status().await["state"], "denied");
    assert_eq!(site.login("PPK2").await.1, "/login/code", "pushes paused");
}

/// Finding 15, bounded: the late "Bukan saya" is for the device's own
/// user only. Another user's just-expired login is unknown to this device,
/// even signed with every field of that login: it is not reported, and
/// that user's pushes do not pause.
#[tokio::test]
async fn another_users_expired_login_cannot_be_reported() {
    let site = TestSite::start_with(Options {
        challenge_ttl: Duration::from_secs(1),
        ..Options::default()
    })
    .await;
    let client = Client::new().unwrap();
    let (ppk, _) = enroll(&site, &client, "PPK2").await;
    let (pokja, _) = enroll(&site, &client, "pokja1").await;
    let (browser, _) = site.login("pokja1").await;
    let challenge = client
        .pending(&site.base, &pokja, 5)
        .await
        .unwrap()
        .remove(0);
    assert_eq!(challenge.user_id, "pokja1");
    tokio::time::sleep(Duration::from_millis(1_200)).await;

    // PPK2's device and key, claiming to be pokja1's so that the client
    // signs the login as it is (the client itself refuses another user's).
    let posing = Device {
        user_id: "pokja1".into(),
        ..ppk
    };
    assert_eq!(
        server_code(
            client
                .decide(&site.base, &posing, &challenge, Decision::Report, None)
                .await
        ),
        ErrorCode::UnknownChallenge
    );
    assert_ne!(browser.status().await["state"], "denied");
    assert_eq!(
        site.login("pokja1").await.1,
        "/login/wait",
        "pokja1's pushes are not paused"
    );
    // pokja1's own device still can.
    let answer = client
        .decide(&site.base, &pokja, &challenge, Decision::Report, None)
        .await
        .unwrap();
    assert_eq!(answer.result, Outcome::Reported);
}

/// Finding 16: a device holds one long poll at most (a new one ends the
/// old), and a login wakes only its own user's polls.
#[tokio::test]
async fn one_poll_per_device_and_a_login_wakes_only_its_users_polls() {
    let site = TestSite::start().await;
    let client = Client::new().unwrap();
    let (ppk, _) = enroll(&site, &client, "PPK2").await;
    let (pokja, _) = enroll(&site, &client, "pokja1").await;
    let ppk = std::sync::Arc::new(ppk);
    let poll = |device: std::sync::Arc<Device>| {
        let (client, base) = (client.clone(), site.base.clone());
        tokio::spawn(async move { client.pending(&base, &device, 20).await })
    };
    let first = poll(ppk.clone());
    tokio::time::sleep(Duration::from_millis(300)).await;
    let second = poll(ppk.clone());
    let ended = tokio::time::timeout(Duration::from_secs(5), first)
        .await
        .expect("the older poll ends when the device opens a new one")
        .unwrap()
        .unwrap();
    assert!(ended.is_empty());

    let other = poll(std::sync::Arc::new(pokja));
    tokio::time::sleep(Duration::from_millis(300)).await;
    let before = site.sandbox.poll_wakeups();
    let (_browser, _) = site.login("PPK2").await;
    assert_eq!(second.await.unwrap().unwrap().len(), 1);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        site.sandbox.poll_wakeups() - before,
        1,
        "only PPK2's poll woke"
    );
    assert!(!other.is_finished());
    other.abort();
}

/// Finding 16: a connection that never starts its TLS handshake is closed
/// after the handshake timeout, freeing its descriptor.
#[tokio::test]
async fn a_tls_handshake_that_never_comes_is_cut_off() {
    let site = TestSite::start_with(Options {
        tls: true,
        handshake_timeout: Duration::from_millis(300),
        ..Options::default()
    })
    .await;
    let address = site.base.trim_start_matches("https://").to_owned();
    let closed = tokio::task::spawn_blocking(move || {
        use std::io::Read;
        let mut idle = std::net::TcpStream::connect(address).unwrap();
        idle.set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut byte = [0u8; 1];
        idle.read(&mut byte)
    })
    .await
    .unwrap();
    assert_eq!(closed.unwrap(), 0, "closed by the server");
}

/// `blocked` (docs/protocol.md section 7) is what a blocked user's device
/// hears, and a blocked user cannot log in or enroll.
#[tokio::test]
async fn a_blocked_user_is_told_blocked() {
    let site = TestSite::start().await;
    let client = Client::new().unwrap();
    let (device, _) = enroll(&site, &client, "PPK2").await;
    let (browser, _) = site.login("pokja1").await;
    let Payload::Spse(qr) =
        Payload::parse(&browser.get_text("/totp/aktivasi/payload").await).unwrap()
    else {
        panic!("no SPSE payload")
    };
    site.sandbox.block_user("PPK2", true).unwrap();
    site.sandbox.block_user("pokja1", true).unwrap();
    assert_eq!(
        server_code(client.pending(&site.base, &device, 0).await),
        ErrorCode::Blocked
    );
    assert_eq!(
        server_code(client.device_status(&site.base, &device).await),
        ErrorCode::Blocked
    );
    assert_eq!(
        server_code(client.enroll(&qr, "phone").await),
        ErrorCode::Blocked
    );
    let refused = site
        .http()
        .post(format!("{}/login", site.base))
        .form(&[("user_id", "PPK2"), ("password", "latihan-PPK2")])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    site.sandbox.block_user("PPK2", false).unwrap();
    assert!(
        client
            .pending(&site.base, &device, 0)
            .await
            .unwrap()
            .is_empty()
    );
}

/// A stopped site answers nobody, not even a client holding a kept-alive
/// connection (the tests of "the site is down" depend on it), over HTTP and
/// HTTPS.
#[tokio::test]
async fn a_stopped_site_ends_its_open_connections() {
    for tls in [false, true] {
        let site = TestSite::start_with(Options {
            tls,
            ..Options::default()
        })
        .await;
        let http = site.http();
        let url = format!("{}/", site.base);
        assert_eq!(http.get(&url).send().await.unwrap().status(), 200);
        site.stop();
        tokio::time::sleep(Duration::from_millis(50)).await;
        let after = tokio::time::timeout(Duration::from_secs(5), http.get(&url).send()).await;
        assert!(
            matches!(after, Ok(Err(_))),
            "tls={tls}: the stopped site still answered: {after:?}"
        );
    }
}
