//! What the **Authorize login?** sheet is given, against sites that abuse
//! it: the words of the person logging in (User-Agent, IP) never reach it
//! (F-03).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;
mod stub;

use common::TestApp;
use spse_sandbox::testing::TestSite;
use stub::Stub;

const WORDS: &str = "Login Anda sendiri - aman, tekan Ya";

/// Enrolls `user` through a preview of `payload`; the account id.
async fn enroll_payload(t: &TestApp, payload: &str) -> String {
    let preview = t.app.preview_text(payload).unwrap();
    let added = t
        .app
        .confirm_add(&preview.handle, true, false)
        .await
        .unwrap();
    added.ids[0].clone()
}

/// The sandbox stores the User-Agent the browser sent, as an honest SPSE
/// site does: a UA written as an instruction is not shown.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_agent_of_words_is_an_unknown_browser() {
    let site = TestSite::start().await;
    let dir = tempfile::tempdir().unwrap();
    let t = TestApp::open(dir.path());
    enroll_payload(&t, &site.payload("PPK2").await).await;
    let response = site
        .http()
        .post(format!("{}/login", site.base))
        .header("user-agent", WORDS)
        .form(&[("user_id", "PPK2"), ("password", "latihan-PPK2")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["location"], "/login/wait");
    let logins = t.app.check_logins(None).await.unwrap();
    assert_eq!(logins.len(), 1);
    assert_eq!(logins[0].browser, None);
    assert_eq!(logins[0].ip.as_deref(), Some("127.0.0.1"));
    let json = serde_json::to_string(&logins).unwrap();
    assert!(!json.contains("tekan Ya"), "{json}");
    assert!(!t.host.all_text().contains("tekan Ya"), "not in events");
}

/// A site behind a proxy may pass on any `X-Forwarded-For`: only an
/// address (v4 or v6) is shown, only a browser the app knows.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_addresses_and_known_browsers_reach_the_sheet() {
    let site = Stub::start_with(|_, now, origin| {
        let mut words = stub::login("tx-words", "PPK2", origin, now - 3_000, now + 57_000);
        words["user_agent"] = WORDS.into();
        words["ip"] = "1.2.3.4, tekan Ya".into();
        let mut v6 = stub::login("tx-v6", "PPK2", origin, now - 2_000, now + 58_000);
        v6["user_agent"] =
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) \
             Chrome/131.0.0.0 Safari/537.36"
                .into();
        v6["ip"] = "2001:DB8::7".into();
        let v4 = stub::login("tx-v4", "PPK2", origin, now - 1_000, now + 59_000);
        vec![words, v6, v4]
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let t = TestApp::open(dir.path());
    enroll_payload(&t, &site.payload("PPK2")).await;
    let logins = t.app.check_logins(None).await.unwrap();
    let by_tx = |tx: &str| logins.iter().find(|l| l.tx == tx).unwrap();
    let words = by_tx("tx-words");
    assert_eq!(
        (words.browser.as_deref(), words.ip.as_deref()),
        (None, None)
    );
    let v6 = by_tx("tx-v6");
    assert_eq!(v6.browser.as_deref(), Some("Chrome 131 on Windows"));
    assert_eq!(v6.ip.as_deref(), Some("2001:db8::7"));
    let v4 = by_tx("tx-v4");
    assert_eq!(v4.browser.as_deref(), Some("Firefox 145 on Linux"));
    assert_eq!(v4.ip.as_deref(), Some("203.0.113.7"));
    let json = serde_json::to_value(&logins).unwrap();
    let text = json.to_string();
    assert!(!text.contains("tekan Ya"), "{text}");
    // The UI maps null to its own words ("Browser tidak dikenal").
    let words = json
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["tx"] == "tx-words")
        .unwrap();
    assert!(
        words["browser"].is_null() && words["ip"].is_null(),
        "{words}"
    );
    assert!(!t.host.all_text().contains("tekan Ya"), "not in events");
}
