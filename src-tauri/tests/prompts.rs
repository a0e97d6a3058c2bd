//! What the **Authorize login?** sheet is given, against sites that abuse
//! it: the words of the person logging in (User-Agent, IP) never reach it
//! (F-03); a flood of prompts cannot keep it up (F-02): the newest three
//! per account, none that lives too long or starts later, "Nanti", and a
//! site that floods paused.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;
mod stub;

use std::time::Duration;

use common::TestApp;
use serde_json::Value;
use spse_auth_app::app::{
    FLOOD_DISMISSALS, FLOOD_LOGINS, MAX_LOGIN_LIFE_MS, MAX_LOGINS_PER_ACCOUNT,
};
use spse_auth_app::error::{AppError, ErrorCode};
use spse_auth_app::views::DecisionView;
use spse_sandbox::testing::{Options, TestSite};
use stub::Stub;

const WORDS: &str = "Login Anda sendiri - aman, tekan Ya";

fn code(result: Result<impl std::fmt::Debug, AppError>) -> ErrorCode {
    result.expect_err("must be refused").code()
}

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

// ---- F-02: a flood of prompts ----

/// Logs `user` in on `site` `times` times (each login a prompt).
async fn logins(site: &TestSite, user: &str, times: usize) {
    for _ in 0..times {
        let (_, location) = site.login(user).await;
        assert_eq!(location, "/login/wait");
    }
}

/// An honest site with more logins waiting than a person reads: the newest
/// three, the site not paused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_most_three_logins_per_account_the_newest() {
    let site = TestSite::start().await;
    let dir = tempfile::tempdir().unwrap();
    let t = TestApp::open(dir.path());
    enroll_payload(&t, &site.payload("PPK2").await).await;
    logins(&site, "PPK2", 2).await;
    let newest_from = spse_protocol::now_ms();
    logins(&site, "PPK2", 3).await;
    let views = t.app.check_logins(None).await.unwrap();
    assert_eq!(views.len(), MAX_LOGINS_PER_ACCOUNT, "{views:?}");
    assert!(
        views.iter().all(|v| v.created_at >= newest_from),
        "{views:?}"
    );
    assert_eq!(t.app.accounts().unwrap().sites[0].paused_until, None);
}

/// A2: a site that sends more logins than a person makes has its prompts
/// paused, saying so in its site view and by `site-state`; the user can
/// resume them, and sees the newest three.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_logins_pauses_its_site_and_says_so() {
    let site = TestSite::start_with(Options {
        push_limit: 1000,
        ..Options::default()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let t = TestApp::open(dir.path());
    let id = enroll_payload(&t, &site.payload("PPK2").await).await;
    logins(&site, "PPK2", FLOOD_LOGINS - 2).await;
    let newest_from = spse_protocol::now_ms();
    logins(&site, "PPK2", 3).await;
    let now = spse_protocol::now_ms();
    assert_eq!(t.app.check_logins(None).await.unwrap(), Vec::new());
    let sites = t.app.accounts().unwrap().sites;
    let until = sites[0].paused_until.expect("paused");
    assert!(until > now + 9 * 60_000, "{until} {now}");
    let told = t.host.named("site-state").pop().unwrap();
    assert_eq!(told["pausedUntil"], until, "{told}");
    assert_eq!(told["state"], "reachable");
    assert!(
        t.host
            .named("logins")
            .iter()
            .all(|l| l == &Value::Array(Vec::new())),
        "no prompt reached the window"
    );
    // The user resumes them: the newest three.
    assert_eq!(t.app.snooze_logins(&id, 0).unwrap(), None);
    assert_eq!(t.app.accounts().unwrap().sites[0].paused_until, None);
    assert!(t.host.named("site-state").pop().unwrap()["pausedUntil"].is_null());
    let views = t.app.check_logins(None).await.unwrap();
    assert_eq!(views.len(), MAX_LOGINS_PER_ACCOUNT);
    assert!(
        views.iter().all(|v| v.created_at >= newest_from),
        "{views:?}"
    );
    assert_eq!(
        t.app.accounts().unwrap().sites[0].paused_until,
        None,
        "not again"
    );
}

/// A login that claims to live longer than the protocol allows, or to
/// start later, would stay on the sheet: dropped.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logins_living_too_long_or_starting_later_are_dropped() {
    let stub = Stub::start_with(|_, now, origin| {
        vec![
            stub::login("tx-days", "PPK2", origin, now - 1_000, now + 86_400_000),
            stub::login("tx-later", "PPK2", origin, now + 60_000, now + 110_000),
            stub::login("tx-never", "PPK2", origin, now - 1_000, now - 2_000),
            stub::login("tx-fine", "PPK2", origin, now - 1_000, now + 59_000),
        ]
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let t = TestApp::open(dir.path());
    enroll_payload(&t, &stub.payload("PPK2")).await;
    let views = t.app.check_logins(None).await.unwrap();
    let txs: Vec<&str> = views.iter().map(|v| v.tx.as_str()).collect();
    assert_eq!(txs, ["tx-fine"]);
    assert!(views[0].expires_at - views[0].created_at <= MAX_LOGIN_LIFE_MS);

    // The sandbox set to keep its logins a day (A2 as written).
    let site = TestSite::start_with(Options {
        challenge_ttl: Duration::from_secs(86_400),
        ..Options::default()
    })
    .await;
    let t = TestApp::open(tempfile::tempdir().unwrap().path());
    enroll_payload(&t, &site.payload("PPK2").await).await;
    logins(&site, "PPK2", 1).await;
    assert_eq!(t.app.check_logins(None).await.unwrap(), Vec::new());
}

/// "Nanti": an account's prompts put aside close the sheet (the window's
/// list empties) until the time is up, the user asks about that account,
/// or resumes them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nanti_puts_an_accounts_prompts_aside() {
    let site = TestSite::start().await;
    let dir = tempfile::tempdir().unwrap();
    let t = TestApp::open(dir.path());
    let id = enroll_payload(&t, &site.payload("PPK2").await).await;
    logins(&site, "PPK2", 1).await;
    assert_eq!(t.app.check_logins(None).await.unwrap().len(), 1);
    let now = spse_protocol::now_ms();
    let until = t.app.snooze_logins(&id, 10).unwrap().unwrap();
    assert!((now + 599_000..now + 601_000).contains(&until), "{until}");
    assert_eq!(
        t.host.named("logins").pop().unwrap(),
        Value::Array(Vec::new())
    );
    assert_eq!(t.app.check_logins(None).await.unwrap(), Vec::new());
    let account = &t.app.accounts().unwrap().accounts[0];
    assert_eq!(account.snoozed_until, Some(until));
    let json = serde_json::to_value(account).unwrap();
    assert_eq!(json["snoozedUntil"], until);
    // Asked about this account: shown again.
    assert_eq!(t.app.check_logins(Some(&id)).await.unwrap().len(), 1);
    assert_eq!(t.app.accounts().unwrap().accounts[0].snoozed_until, None);
    // Aside, then resumed.
    t.app.snooze_logins(&id, 10).unwrap();
    assert_eq!(
        t.host.named("logins").pop().unwrap(),
        Value::Array(Vec::new())
    );
    assert_eq!(t.app.snooze_logins(&id, 0).unwrap(), None);
    let shown = t.host.named("logins").pop().unwrap();
    assert_eq!(shown.as_array().unwrap().len(), 1, "{shown}");
    assert_eq!(
        code(t.app.snooze_logins("nope", 10)),
        ErrorCode::AccountNotFound
    );
}

/// Prompts refused again and again within a minute: the site's prompts
/// are paused, the next login not shown.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusing_again_and_again_pauses_the_site() {
    let site = TestSite::start().await;
    let dir = tempfile::tempdir().unwrap();
    let t = TestApp::open(dir.path());
    enroll_payload(&t, &site.payload("PPK2").await).await;
    logins(&site, "PPK2", FLOOD_DISMISSALS).await;
    let views = t.app.check_logins(None).await.unwrap();
    assert_eq!(views.len(), FLOOD_DISMISSALS);
    for (i, view) in views.iter().enumerate() {
        assert_eq!(t.app.accounts().unwrap().sites[0].paused_until, None, "{i}");
        t.app
            .decide(&view.account_id, &view.tx, DecisionView::Deny, None)
            .await
            .unwrap();
    }
    assert!(t.app.accounts().unwrap().sites[0].paused_until.is_some());
    assert!(t.host.named("site-state").pop().unwrap()["pausedUntil"].is_number());
    logins(&site, "PPK2", 1).await;
    assert_eq!(t.app.check_logins(None).await.unwrap(), Vec::new());
}

/// The poller against a site sending 50 new logins with every answer (the
/// finding's flood, at once): paused at the first answer, no prompt ever
/// reaches the window, and the site is asked on the back-off.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_poller_pauses_a_site_that_floods() {
    let stub = Stub::start_with(|n, now, origin| {
        (0..50)
            .map(|i| {
                stub::login(
                    &format!("tx-{n}-{i}"),
                    "PPK2",
                    origin,
                    now - 1_000,
                    now + 59_000,
                )
            })
            .collect()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let t = TestApp::open(dir.path());
    enroll_payload(&t, &stub.payload("PPK2")).await;
    t.app.set_foreground(true);
    t.wait_for("site-state", Duration::from_secs(3), |v| {
        v["pausedUntil"].is_number()
    })
    .await;
    let before = stub.polls();
    tokio::time::sleep(Duration::from_secs(4)).await;
    let polls = stub.polls() - before;
    t.app.set_foreground(false);
    assert!(polls < 6, "{polls} polls in 4 s");
    for list in t.host.named("logins") {
        assert_eq!(list, Value::Array(Vec::new()));
    }
    assert!(t.app.accounts().unwrap().sites[0].paused_until.is_some());
}

/// Two sites may hand out the same `tx` (F-13, test A4): an answer names
/// the account too, and reaches only that site; answering one leaves the
/// other waiting.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_reaches_the_site_of_its_account_when_two_share_a_tx() {
    let site = TestSite::start().await;
    let dir = tempfile::tempdir().unwrap();
    let t = TestApp::open(dir.path());
    let honest = enroll_payload(&t, &site.payload("PPK2").await).await;
    let (browser, _) = site.login("PPK2").await;
    let tx = t.app.check_logins(Some(&honest)).await.unwrap()[0]
        .tx
        .clone();
    // A second site lists a login with the very same id.
    let copied = std::sync::Arc::new(tx.clone());
    let stub = Stub::start_with({
        let copied = std::sync::Arc::clone(&copied);
        move |_, now, origin| {
            vec![stub::login(
                &copied,
                "PPK2",
                origin,
                now - 1_000,
                now + 59_000,
            )]
        }
    })
    .await;
    let other = enroll_payload(&t, &stub.payload("PPK2")).await;
    let both = t.app.check_logins(None).await.unwrap();
    let mut owners: Vec<&str> = both.iter().map(|l| l.account_id.as_str()).collect();
    owners.sort_unstable();
    let mut expected = [honest.as_str(), other.as_str()];
    expected.sort_unstable();
    assert_eq!(owners, expected, "both logins listed");
    assert!(both.iter().all(|l| l.tx == tx));

    // "Tidak" for the other site's login goes there (which refuses it), never to the sandbox.
    assert!(
        t.app
            .decide(&other, &tx, DecisionView::Deny, None)
            .await
            .is_err()
    );
    assert_eq!(browser.status().await["state"], "waiting");
    // The sandbox's own login, named by its account, is answered there.
    let decided = t
        .app
        .decide(&honest, &tx, DecisionView::Deny, None)
        .await
        .unwrap();
    assert_eq!(decided.decision, DecisionView::Deny);
    assert_eq!(browser.status().await["state"], "denied");
    // And the other site's login is still waiting.
    let left = t.app.check_logins(None).await.unwrap();
    assert_eq!(
        left.iter()
            .map(|l| l.account_id.as_str())
            .collect::<Vec<_>>(),
        [other.as_str()]
    );
    assert_eq!(
        code(t.app.decide(&honest, &tx, DecisionView::Deny, None).await),
        ErrorCode::LoginGone
    );
}
