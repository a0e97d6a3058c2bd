//! Nothing secret ever reaches the window: every command is called (the
//! failing ones too) and no answer, error or event holds a TOTP secret
//! (Base32 or raw, as hex or Base64), the enrollment token or the device key.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use std::fmt::Write;

use common::{TestApp, qr_png};
use serde::Serialize;
use spse_auth_app::error::AppError;
use spse_auth_app::views::{DecisionView, ManualAccount, ManualKind, Settings};
use spse_otp::Payload;
use spse_sandbox::testing::TestSite;

const GITHUB: &str = "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub";

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

fn b64(bytes: &[u8]) -> Vec<String> {
    const STD: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | (u32::from(b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(STD[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    let url: String = out.replace('+', "-").replace('/', "_");
    // A long stretch is enough: any encoding of the key contains it.
    vec![
        out[..out.len().min(40)].to_owned(),
        url[..url.len().min(40)].to_owned(),
    ]
}

/// Every answer and error, as JSON text.
#[derive(Default)]
struct Seen(String);

impl Seen {
    fn add<T: Serialize>(&mut self, result: &Result<T, AppError>) {
        let text = match result {
            Ok(value) => serde_json::to_string(value).unwrap(),
            Err(error) => serde_json::to_string(error).unwrap(),
        };
        self.0.push_str(&text);
        self.0.push('\n');
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_command_answer_or_event_holds_a_secret() {
    let site = TestSite::start().await;
    let dir = tempfile::tempdir().unwrap();
    let t = TestApp::open(dir.path());
    let mut seen = Seen::default();
    let mut secrets: Vec<String> = vec!["JBSWY3DPEHPK3PXP".into(), "GEZDGNBVGY3TQOJQ".into()];

    let text = site.payload("PPK2").await;
    let Payload::Spse(enrollment) = Payload::parse(&text).unwrap() else {
        panic!("not an SPSE payload")
    };
    let secret = enrollment.account.secret();
    secrets.push(secret.to_base32().to_string());
    secrets.push(secret.to_base32().to_lowercase());
    secrets.push(hex(secret.expose()));
    secrets.extend(b64(secret.expose()));
    secrets.push(enrollment.token.expose().to_owned());

    seen.add(&Ok::<_, AppError>(spse_auth_app::views::platform()));
    let preview = t.app.preview_text(&text);
    seen.add(&preview);
    let handle = preview.unwrap().handle;
    seen.add(&t.app.confirm_add(&handle, false, false).await);
    let added = t.app.confirm_add(&handle, true, false).await;
    seen.add(&added);
    let id = added.unwrap().ids[0].clone();
    seen.add(&t.app.accounts());
    seen.add(&t.app.codes());
    seen.add(&t.app.copy_code(&id));
    t.app.set_foreground(true);
    seen.add(&Ok::<_, AppError>(()));

    let (browser, _) = site.login("PPK2").await;
    let number = browser.status().await["number"]
        .as_u64()
        .unwrap()
        .to_string();
    let logins = t.app.check_logins(None).await;
    seen.add(&logins);
    let tx = logins.unwrap()[0].tx.clone();
    seen.add(
        &t.app
            .decide(&id, &tx, DecisionView::Approve, Some("00"))
            .await,
    );
    seen.add(
        &t.app
            .decide(&id, &tx, DecisionView::Approve, Some(&number))
            .await,
    );
    seen.add(&t.app.decide(&id, &tx, DecisionView::Deny, None).await);
    seen.add(&t.app.snooze_logins(&id, 30));
    seen.add(&t.app.snooze_logins(&id, 0));

    let image = t.app.preview_image(qr_png(GITHUB)).await;
    seen.add(&image);
    t.app.cancel_add(&image.unwrap().handle);
    let again = t.app.preview_image(qr_png(GITHUB)).await;
    seen.add(&again);
    *t.host.clipboard.lock().unwrap() = Some(GITHUB.to_owned());
    seen.add(&t.app.preview_clipboard().await);
    seen.add(
        &t.app
            .confirm_add(&again.unwrap().handle, false, false)
            .await,
    );
    seen.add(
        &t.app
            .preview_text("otpauth://totp/x?secret=CANARY1CANARY8CANARY"),
    );
    let manual = ManualAccount {
        issuer: "Bank".into(),
        name: "budi".into(),
        secret: "GEZD GNBV GY3T QOJQ".to_owned().into(),
        kind: ManualKind::Hotp,
        algorithm: "SHA1".into(),
        digits: 6,
        period: 30,
        counter: 0,
    };
    let hotp = t.app.add_manual(&manual);
    seen.add(&hotp);
    seen.add(&t.app.add_manual(&manual));
    let hotp = hotp.unwrap().ids[0].clone();
    seen.add(&t.app.next_hotp(&hotp));
    seen.add(&t.app.rename(&id, Some("Kantor")));
    seen.add(&t.app.removal_check(&id).await);
    seen.add(&Ok::<_, AppError>(t.app.settings()));
    seen.add(&t.app.set_settings(Settings::default()));
    seen.add(&Ok::<_, AppError>(t.app.about()));

    // The device key, as the vault holds it.
    let vault = t.other_process(dir.path());
    let key = vault
        .get(&id)
        .unwrap()
        .site
        .as_ref()
        .unwrap()
        .device
        .as_ref()
        .unwrap()
        .key
        .clone();
    secrets.push(hex(&key));
    secrets.extend(b64(&key));
    drop(vault);

    seen.add(&t.app.remove(&id).await);
    seen.add(&t.app.remove(&id).await);
    t.app.set_foreground(false);
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;

    let events = t.host.all_text();
    assert!(events.contains("logins") && events.contains("accounts-changed"));
    for secret in &secrets {
        assert!(secret.len() >= 16, "{secret}");
        assert!(
            !seen.0.contains(secret.as_str()),
            "an answer holds a secret"
        );
        assert!(!events.contains(secret.as_str()), "an event holds a secret");
    }
    assert!(
        !seen.0.contains("CANARY"),
        "an error holds the secret it refused"
    );
}
