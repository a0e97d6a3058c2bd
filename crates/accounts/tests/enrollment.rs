//! Enrollment that survives what goes wrong between the vault and the site
//! (review finding 1), the clocks kept per site (finding 2) and the check
//! before removing (finding 3), against the sandbox on loopback, with the
//! vault's keystore mocked (the real one is the CLI's tests').
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::sync::Mutex;
use std::task::Poll;
use std::time::Duration;

use spse_accounts::removal::{self, SiteCheck};
use spse_accounts::sites::{self, CLOCK_SAVE_STEP_MS};
use spse_accounts::{EnrollOptions, Error, Settled, enroll, recover};
use spse_client::Client;
use spse_otp::{Enrollment, Payload};
use spse_protocol::wire::{DeviceStatus, ErrorCode};
use spse_sandbox::testing::{Fault, Options, TestSite};
use spse_vault::{Keystore, StoredAccount, Vault};

fn vault() -> (tempfile::TempDir, Mutex<Vault>) {
    let dir = tempfile::tempdir().unwrap();
    let keystore = Keystore::new(keyring_core::mock::Store::new().unwrap());
    let vault = Vault::open(dir.path(), keystore).unwrap();
    (dir, Mutex::new(vault))
}

async fn qr(site: &TestSite, user: &str) -> Enrollment {
    match Payload::parse(&site.payload(user).await).unwrap() {
        Payload::Spse(enrollment) => enrollment,
        other => panic!("{other:?}"),
    }
}

fn options(replace: bool) -> EnrollOptions {
    EnrollOptions {
        device_name: "test".into(),
        replace,
        trust_root: None,
    }
}

#[tokio::test]
async fn an_enrollment_is_stored_then_confirmed() {
    let site = TestSite::start().await;
    let (_dir, vault) = vault();
    let client = Client::new().unwrap();
    let added = enroll(&vault, &client, &qr(&site, "PPK2").await, options(false))
        .await
        .unwrap();
    assert_eq!(added.site_name.as_deref(), Some("LPSE Sandbox"));
    let stored = vault.lock().unwrap().get(&added.id).unwrap().clone();
    assert!(!stored.is_pending());
    let site_record = stored.site.as_ref().unwrap();
    assert_eq!(site_record.name.as_deref(), Some("LPSE Sandbox"));
    let (_, device) = sites::device_of(&stored).unwrap().unwrap();
    assert_eq!(
        client.device_status(&site.base, &device).await.unwrap(),
        DeviceStatus::Active
    );
}

/// A refused re-enrollment (an expired QR) leaves no trace, and the
/// account it was to replace stays usable.
#[tokio::test]
async fn a_refused_enrollment_keeps_the_account_it_was_to_replace() {
    let site = TestSite::start_with(Options {
        qr_ttl: Duration::from_secs(1),
        ..Options::default()
    })
    .await;
    let (_dir, vault) = vault();
    let client = Client::new().unwrap();
    let first = enroll(&vault, &client, &qr(&site, "PPK2").await, options(false))
        .await
        .unwrap();
    site.reset("PPK2").await;
    let late = qr(&site, "PPK2").await;
    tokio::time::sleep(Duration::from_millis(1_200)).await;
    let error = enroll(&vault, &client, &late, options(true))
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::Site(e) if e.code() == Some(ErrorCode::EnrollmentExpired)),
        "{error:?}"
    );
    let vault = vault.lock().unwrap();
    let ids: Vec<&str> = vault.accounts().iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, [first.id.as_str()]);
    assert!(!vault.accounts()[0].is_pending());
}

/// The site's answer is lost: asking the site settles it at once, both
/// ways; a site that cannot be asked leaves it pending for later.
#[tokio::test]
async fn a_lost_answer_is_settled_by_asking_the_site() {
    for (fault, enrolled) in [
        (Fault::LoseEnrollReply, true),
        (Fault::LoseEnrollRequest, false),
    ] {
        let site = TestSite::start_with(Options {
            fault,
            ..Options::default()
        })
        .await;
        let (_dir, vault) = vault();
        let client = Client::new()
            .unwrap()
            .with_request_timeout(Duration::from_millis(500));
        let result = enroll(&vault, &client, &qr(&site, "PPK2").await, options(false)).await;
        let vault = vault.lock().unwrap();
        if enrolled {
            let added = result.unwrap();
            assert_eq!(added.site_name, None, "the answer with the name was lost");
            assert!(!vault.get(&added.id).unwrap().is_pending());
        } else {
            let error = result.unwrap_err();
            assert!(
                matches!(error, Error::Site(spse_client::Error::Timeout { .. })),
                "{error:?}"
            );
            assert!(vault.accounts().is_empty());
        }
    }
}

/// Finding F-05: the site took the enrollment, then the connection was
/// reset before its answer. That is no proof the request never left: the
/// site is asked, knows the device, and the account is kept, enrolled
/// (before, it was taken for "unreachable" and deleted with its key).
#[tokio::test]
async fn a_connection_reset_after_the_site_enrolled_keeps_the_account() {
    let site = TestSite::start_with(Options {
        fault: Fault::CutEnrollReply,
        ..Options::default()
    })
    .await;
    let (_dir, vault) = vault();
    let client = Client::new().unwrap();
    let added = enroll(&vault, &client, &qr(&site, "PPK2").await, options(false))
        .await
        .unwrap();
    assert_eq!(added.site_name, None, "the answer with the name was cut");
    let stored = vault.lock().unwrap().get(&added.id).unwrap().clone();
    assert!(!stored.is_pending());
    let (_, device) = sites::device_of(&stored).unwrap().unwrap();
    assert_eq!(
        client.device_status(&site.base, &device).await.unwrap(),
        DeviceStatus::Active
    );
    let (_, location) = site.login("PPK2").await;
    assert_eq!(location, "/login/wait", "the site holds the device");
}

/// Finding F-05, its test A7: the site enrolled the device and holds the
/// answer; then it goes down, which ends the connection. It cannot be
/// asked, so the account is kept pending (never deleted) and recovery
/// settles it later.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_site_going_down_after_it_enrolled_leaves_the_account_pending() {
    let site = TestSite::start_with(Options {
        fault: Fault::LoseEnrollReply,
        ..Options::default()
    })
    .await;
    let (_dir, vault) = vault();
    let client = Client::new().unwrap();
    let enrollment = qr(&site, "PPK2").await;
    let enrolling = enroll(&vault, &client, &enrollment, options(false));
    let stop = async {
        // Until the site has enrolled the device (its answer is held).
        for _ in 0..200 {
            tokio::time::sleep(Duration::from_millis(25)).await;
            if site.login("PPK2").await.1 == "/login/wait" {
                site.stop();
                return;
            }
        }
        panic!("the site never enrolled the device");
    };
    let (result, ()) = tokio::join!(enrolling, stop);
    let error = result.unwrap_err();
    assert!(
        matches!(&error, Error::Unsettled { server, source: spse_client::Error::Unreachable { .. } }
            if *server == site.base),
        "{error:?}"
    );
    let vault = vault.lock().unwrap();
    assert_eq!(
        vault.accounts().len(),
        1,
        "the account whose device the site holds"
    );
    assert!(vault.accounts()[0].is_pending());
    assert_eq!(vault.accounts()[0].account.name(), "PPK2");
}

/// Finding 1: the site took the enrollment, but the save marking it done
/// failed (a full disk, a folder gone read-only). The user is told what
/// happened on both sides, the account and its key stay on disk pending,
/// and the next start finishes it: the site still has the device active.
///
/// `#[tokio::test]` runs on one thread, so the site (on this runtime) can
/// answer only after the first poll of `enroll` has stored the account
/// and sent the request: the save is broken between the two, as the disk
/// would break it. The break is a folder where `vault.json.tmp` goes,
/// which stops root too (tests may run as root, where modes do not).
#[tokio::test]
async fn a_failed_final_save_is_told_and_finished_at_the_next_start() {
    let site = TestSite::start().await;
    let dir = tempfile::tempdir().unwrap();
    let keystore = Keystore::new(keyring_core::mock::Store::new().unwrap());
    let vault = Mutex::new(Vault::open(dir.path(), keystore.clone()).unwrap());
    let client = Client::new().unwrap();
    let enrollment = qr(&site, "PPK2").await;

    let mut enrolling = std::pin::pin!(enroll(&vault, &client, &enrollment, options(false)));
    let first = std::future::poll_fn(|cx| Poll::Ready(enrolling.as_mut().poll(cx))).await;
    assert!(first.is_pending(), "the site cannot have answered yet");
    assert!(
        vault
            .lock()
            .unwrap()
            .accounts()
            .first()
            .is_some_and(StoredAccount::is_pending),
        "stored, pending, before the site is asked"
    );
    let blocker = dir.path().join("vault.json.tmp");
    std::fs::create_dir(&blocker).unwrap();
    let error = enrolling.await.unwrap_err();
    std::fs::remove_dir(&blocker).unwrap();

    assert!(
        matches!(&error, Error::EnrolledNotSaved { server, .. } if *server == site.base),
        "{error:?}"
    );
    assert_eq!(error.code(), "enrolled_not_saved");
    let told = error.to_string();
    let said = format!(
        "vault: {} enrolled the account, but it could not be saved as done (could not write {}: ",
        site.base,
        blocker.display()
    );
    assert!(told.starts_with(&said), "{told}");
    assert!(
        told.ends_with("); it is kept and will be finished at the next start"),
        "{told}"
    );

    // On disk: the account, pending, with the key the site knows.
    let next_start = Mutex::new(Vault::open(dir.path(), keystore).unwrap());
    let stored = next_start.lock().unwrap().accounts()[0].clone();
    assert!(stored.is_pending());
    assert_eq!(stored.account.name(), "PPK2");
    let (_, device) = sites::device_of(&stored).unwrap().unwrap();
    assert_eq!(
        client.device_status(&site.base, &device).await.unwrap(),
        DeviceStatus::Active
    );

    let recovered = recover(&next_start, &Client::new().unwrap()).await.unwrap();
    assert_eq!(recovered.len(), 1);
    assert!(
        matches!(recovered[0].outcome, Settled::Finished),
        "{recovered:?}"
    );
    assert_eq!(recovered[0].account, stored.describe());
    {
        let vault = next_start.lock().unwrap();
        assert_eq!(vault.accounts().len(), 1);
        assert_eq!(vault.accounts()[0].id, stored.id);
        assert!(!vault.accounts()[0].is_pending());
    }
    assert_eq!(
        client.device_status(&site.base, &device).await.unwrap(),
        DeviceStatus::Active
    );
}

/// Left pending with the site down, the enrollment is neither finished nor
/// dropped; once the site is back, recovery finishes it.
#[tokio::test]
async fn recovery_waits_for_the_site_to_answer() {
    let site = TestSite::start_with(Options {
        fault: Fault::LoseEnrollReply,
        ..Options::default()
    })
    .await;
    let (_dir, vault) = vault();
    let quick = Client::new()
        .unwrap()
        .with_request_timeout(Duration::from_millis(300));
    // The process "dies" while waiting for the answer: the future is
    // dropped, as a killed process drops everything.
    let (enrollment, client) = (qr(&site, "PPK2").await, quick);
    let abandoned = tokio::time::timeout(
        Duration::from_millis(200),
        enroll(&vault, &client, &enrollment, options(false)),
    )
    .await;
    assert!(abandoned.is_err(), "cut off while waiting for the answer");
    assert!(vault.lock().unwrap().accounts()[0].is_pending());

    let down = Client::new().unwrap();
    let base = site.base.clone();
    site.stop();
    let recovered = recover(&vault, &down).await.unwrap();
    assert_eq!(recovered.len(), 1);
    assert!(
        matches!(&recovered[0].outcome, Settled::Unresolved(Error::Unsettled { server, .. }) if *server == base),
        "{recovered:?}"
    );
    assert!(vault.lock().unwrap().accounts()[0].is_pending());
}

/// Offsets are saved when new or moved by more than a second; codes of an
/// enrolled account follow its site's clock beyond 5 s.
#[tokio::test]
async fn clocks_are_saved_when_they_move_and_used_for_codes() {
    let site = TestSite::start().await;
    let (_dir, vault) = vault();
    let client = Client::new().unwrap();
    let added = enroll(&vault, &client, &qr(&site, "PPK2").await, options(false))
        .await
        .unwrap();
    let mut vault = vault.lock().unwrap();
    assert!(sites::save_clocks(&mut vault, &client, 1).unwrap(), "new");
    assert!(
        !sites::save_clocks(&mut vault, &client, 2).unwrap(),
        "unchanged"
    );
    let known = sites::clock_offset(&vault, vault.get(&added.id).unwrap()).unwrap();
    client.set_clock_offset(&site.base, known + CLOCK_SAVE_STEP_MS + 500);
    assert!(sites::save_clocks(&mut vault, &client, 3).unwrap(), "moved");
    client.set_clock_offset(&site.base, -90_000);
    sites::save_clocks(&mut vault, &client, 4).unwrap();
    let stored = vault.get(&added.id).unwrap().clone();
    assert_eq!(sites::code_time(&vault, &stored, 1_000_000), 910_000);
    client.set_clock_offset(&site.base, 4_000);
    sites::save_clocks(&mut vault, &client, 5).unwrap();
    assert_eq!(
        sites::code_time(&vault, &stored, 1_000_000),
        1_000_000,
        "within 5 s"
    );
    // A new process starts from the saved offset.
    let fresh = sites::client_for(&vault).unwrap();
    assert_eq!(fresh.clock_offset(&site.base), Some(4_000));
}

/// Finding 3: only "TOTP is off there" or "the device is gone" is safe.
#[tokio::test]
async fn removal_is_safe_only_when_the_site_says_so() {
    let site = TestSite::start().await;
    let (_dir, vault) = vault();
    let client = Client::new().unwrap();
    let added = enroll(&vault, &client, &qr(&site, "PPK2").await, options(false))
        .await
        .unwrap();
    let stored = vault.lock().unwrap().get(&added.id).unwrap().clone();
    assert!(matches!(
        removal::check(&client, &stored).await.unwrap(),
        SiteCheck::StillActive
    ));
    site.reset("PPK2").await;
    assert!(matches!(
        removal::check(&client, &stored).await.unwrap(),
        SiteCheck::Safe
    ));
    removal::forget_device(&client, &stored).await.unwrap();
    assert!(matches!(
        removal::check(&client, &stored).await.unwrap(),
        SiteCheck::Safe
    ));
    removal::forget_device(&client, &stored).await.unwrap();
    site.stop();
    assert!(matches!(
        removal::check(&client, &stored).await.unwrap(),
        SiteCheck::Unknown(_)
    ));

    let plain = Payload::parse("otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP").unwrap();
    let id = vault
        .lock()
        .unwrap()
        .add(plain.accounts()[0].clone(), None, false)
        .unwrap();
    let codes_only = vault.lock().unwrap().get(&id).unwrap().clone();
    assert!(matches!(
        removal::check(&client, &codes_only).await.unwrap(),
        SiteCheck::NoSite
    ));
}

/// An enrollment of PPK2 left pending as a killed process leaves it: the
/// site enrolled the device (its answer held), the process gave up
/// waiting. Its QR (its token spent), and a client that gives up quickly.
async fn left_pending(site: &TestSite, vault: &Mutex<Vault>) -> (Enrollment, Client) {
    let quick = Client::new()
        .unwrap()
        .with_request_timeout(Duration::from_millis(300));
    let first = qr(site, "PPK2").await;
    let abandoned = tokio::time::timeout(
        Duration::from_millis(200),
        enroll(vault, &quick, &first, options(false)),
    )
    .await;
    assert!(abandoned.is_err(), "cut off while waiting for the answer");
    assert!(vault.lock().unwrap().accounts()[0].is_pending());
    (first, quick)
}

/// F-17: a re-scan never drops an earlier, unfinished enrollment unasked.
/// Left pending, then the same account scanned again while the site cannot
/// be reached: the new enrollment is refused as unsettled, and the earlier
/// account, whose device the site may hold, is kept as it was.
#[tokio::test]
async fn a_rescan_keeps_an_unfinished_enrollment_it_cannot_settle() {
    let site = TestSite::start_with(Options {
        fault: Fault::LoseEnrollReply,
        ..Options::default()
    })
    .await;
    let (_dir, vault) = vault();
    let (first, quick) = left_pending(&site, &vault).await;
    let earlier = vault.lock().unwrap().accounts()[0].clone();
    site.stop();
    let error = enroll(&vault, &quick, &first, options(true))
        .await
        .unwrap_err();
    assert!(matches!(&error, Error::Unsettled { .. }), "{error:?}");
    assert_eq!(error.code(), "enrollment_unsettled");
    let vault = vault.lock().unwrap();
    assert_eq!(
        vault.accounts(),
        [earlier],
        "the earlier enrollment, kept pending"
    );
}

/// F-17, the site answering: the earlier enrollment it holds is finished
/// first, so a re-scan without "Ganti akun" is told the account exists and
/// the device the site knows stays the account's.
#[tokio::test]
async fn a_rescan_finishes_an_earlier_enrollment_the_site_holds() {
    let site = TestSite::start_with(Options {
        fault: Fault::LoseEnrollReply,
        ..Options::default()
    })
    .await;
    let (_dir, vault) = vault();
    let (first, quick) = left_pending(&site, &vault).await;
    let error = enroll(&vault, &quick, &first, options(false))
        .await
        .unwrap_err();
    assert!(
        matches!(
            &error,
            Error::Vault(spse_vault::Error::AlreadyExists { .. })
        ),
        "{error:?}"
    );
    let stored = vault.lock().unwrap().accounts()[0].clone();
    assert!(!stored.is_pending(), "finished: the site knows its device");
    let (_, device) = sites::device_of(&stored).unwrap().unwrap();
    assert_eq!(
        Client::new()
            .unwrap()
            .device_status(&site.base, &device)
            .await
            .unwrap(),
        DeviceStatus::Active
    );
}
