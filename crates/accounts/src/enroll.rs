//! Enrolling an SPSE account so that nothing a crash or a full disk does can
//! leave the site expecting a key nobody kept (review finding 1).
//!
//! 1. The device key is made and the account is stored with it, marked
//!    pending ([`spse_vault::Vault::begin_enrollment`]). If this save fails,
//!    the site is never contacted and the QR's token is still good.
//! 2. The site is asked to enroll the device.
//! 3. The answer is saved: enrolled (replacing the account re-enrolled
//!    after "Reset TOTP"), or the pending account removed when the site
//!    refused or certainly never received the request: the connection
//!    failed before the request was written (DNS, TCP connect, the TLS
//!    handshake).
//!
//! An earlier enrollment of the same account still pending (nobody carrying
//! it out) is settled the same way before a new one begins, and a new one
//! is refused while the earlier one's outcome is unknown (F-17).
//!
//! When the answer is lost (a timeout, or a connection that broke once the
//! request may have left: a reset, a connection closed before or during
//! the answer, review finding F-05), the site is asked whether it knows
//! the device. What is still pending when the process dies is settled by
//! [`recover`] at the next start: the site knowing the device means the
//! enrollment happened (finished); not knowing it means it did not (rolled
//! back); a site that cannot be reached leaves it pending for next time.

use std::sync::Mutex;

use spse_client::{Client, Error as SiteError, random_device_id};
use spse_otp::Enrollment;
use spse_protocol::DeviceKey;
use spse_protocol::wire::ErrorCode;
use spse_vault::{DeviceIdentity, Enrolling, Site, StoredAccount, Vault};
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::{lock, sites};

/// How an enrollment is to be made.
#[derive(Debug, Clone, Default)]
pub struct EnrollOptions {
    /// How the site lists this device (`Pixel 7`, `spse-auth (command line)`).
    pub device_name: String,
    /// The user confirmed replacing the account already stored for the same
    /// site and user ID.
    pub replace: bool,
    /// A root certificate (DER) to trust for this site only, and to keep
    /// with it.
    pub trust_root: Option<Vec<u8>>,
}

/// An account the site enrolled and the vault holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Added {
    /// The account's id.
    pub id: String,
    /// The site's base URL.
    pub server: String,
    /// The site's name, as it gave it (made safe to show); `None` when its
    /// answer was lost and the enrollment was confirmed by asking again.
    pub site_name: Option<String>,
}

/// Enrolls the QR's account with its site and stores it (steps in the
/// module docs). Everything that needs the user's word (a training server,
/// replacing an account) must be asked before: the QR's token is single use.
pub async fn enroll(
    vault: &Mutex<Vault>,
    client: &Client,
    enrollment: &Enrollment,
    options: EnrollOptions,
) -> Result<Added> {
    let server = enrollment.server.as_str().to_owned();
    settle_earlier(vault, client, enrollment).await?;
    let key = DeviceKey::generate().map_err(SiteError::Key)?;
    let device_id = random_device_id()?;
    if let Some(root) = &options.trust_root {
        client.trust_root_for(&server, root)?;
    }
    let site = Site {
        device: Some(DeviceIdentity {
            id: device_id.clone(),
            key: Zeroizing::new(key.pkcs8().to_vec()),
        }),
        trust_root: options.trust_root.clone(),
        ..Site::new(server.clone(), enrollment.server.is_training())
    };
    let enrolling =
        lock(vault).begin_enrollment(enrollment.account.clone(), site, options.replace)?;
    let id = enrolling.id().to_owned();

    let answer = client
        .enroll_with(enrollment, &options.device_name, key, device_id)
        .await;
    match answer {
        Ok(enrolled) => {
            let name = Some(enrolled.site_name);
            lock(vault)
                .finish_enrollment(enrolling, name.clone())
                .map_err(|source| Error::EnrolledNotSaved {
                    server: server.clone(),
                    source,
                })?;
            Ok(Added {
                id,
                server,
                site_name: name,
            })
        }
        Err(error) if never_enrolled(&error) => {
            // If this save fails too, recovery rolls it back next time.
            let _ = lock(vault).abandon_enrollment(enrolling);
            Err(error.into())
        }
        Err(error) => {
            let stored = lock(vault).get(&id).cloned();
            let settled = match stored {
                Some(stored) => settle(vault, client, &stored, enrolling).await,
                None => Settled::RolledBack,
            };
            match settled {
                Settled::Finished => Ok(Added {
                    id,
                    server,
                    site_name: None,
                }),
                Settled::RolledBack => Err(error.into()),
                Settled::Unresolved(unsettled) => Err(unsettled),
            }
        }
    }
}

/// An earlier enrollment of the same site and user that nobody carries out
/// (a crash, or a site that could not be asked since) is settled before a
/// new one may take its place (review finding F-17): were it dropped
/// unasked, a site that did enroll it would expect a key nobody holds. The
/// site knowing its device finishes it (the new one then replaces it only
/// if the user said so); not knowing it rolls it back; a site that cannot
/// be asked refuses the new enrollment ([`Error::Unsettled`]), the earlier
/// one kept pending.
async fn settle_earlier(
    vault: &Mutex<Vault>,
    client: &Client,
    enrollment: &Enrollment,
) -> Result<()> {
    let probe = Site::new(enrollment.server.as_str(), enrollment.server.is_training());
    let earlier: Vec<(StoredAccount, Enrolling)> = lock(vault)
        .unattended_enrollments()?
        .into_iter()
        .filter(|(stored, _)| stored.same_as(&enrollment.account, Some(&probe)))
        .collect();
    for (stored, enrolling) in earlier {
        if let Settled::Unresolved(error) = settle(vault, client, &stored, enrolling).await {
            return Err(error);
        }
    }
    Ok(())
}

/// Whether a failed enrollment call certainly left the site without the
/// device: it answered with a refusal, or the request never left (the
/// connection failed before it was written). A timeout, a connection
/// broken after that ([`SiteError::Interrupted`]) or an answer that is not
/// the protocol leave it unknown: the site is asked, never assumed.
fn never_enrolled(error: &SiteError) -> bool {
    match error {
        SiteError::Server { .. }
        | SiteError::Unreachable { .. }
        | SiteError::Cleartext { .. }
        | SiteError::Tls { .. }
        | SiteError::WrongAccount
        | SiteError::BadRoot
        | SiteError::Key(_) => true,
        SiteError::Interrupted { .. } | SiteError::Timeout { .. } | SiteError::BadResponse => false,
        // A failure added later is unknown until it is known to be safe.
        _ => false,
    }
}

/// What became of an enrollment that was left pending.
#[derive(Debug)]
pub enum Settled {
    /// The site knows the device: the account is enrolled now.
    Finished,
    /// The site does not know the device: the pending account was removed
    /// (the account it was to replace, if any, is kept).
    RolledBack,
    /// The site could not be asked ([`Error::Unsettled`]), or its answer
    /// could not be saved ([`Error::EnrolledNotSaved`], [`Error::Vault`]):
    /// it stays pending for the next start.
    Unresolved(Error),
}

/// One enrollment settled by [`recover`].
#[derive(Debug)]
pub struct Recovered {
    /// How a person recognises the account (`PPK2 on https://...`).
    pub account: String,
    /// What became of it.
    pub outcome: Settled,
}

/// Settles every pending enrollment no process is carrying out: those a
/// crash, a killed process or a failed save left behind. The caller tells
/// the user about each.
pub async fn recover(vault: &Mutex<Vault>, client: &Client) -> Result<Vec<Recovered>> {
    let unattended = lock(vault).unattended_enrollments()?;
    let mut out = Vec::new();
    for (stored, enrolling) in unattended {
        let outcome = settle(vault, client, &stored, enrolling).await;
        out.push(Recovered {
            account: stored.describe(),
            outcome,
        });
    }
    Ok(out)
}

/// Asks the site whether it knows the pending account's device, and saves
/// the answer.
async fn settle(
    vault: &Mutex<Vault>,
    client: &Client,
    stored: &StoredAccount,
    enrolling: Enrolling,
) -> Settled {
    let device = match sites::device_of(stored) {
        Ok(Some(found)) => found,
        // No device or an unreadable key: nothing the site can know.
        Ok(None) | Err(_) => return abandon(vault, enrolling),
    };
    let (server, device) = device;
    match client.device_status(&server, &device).await {
        // The site stores a device only when its enrollment succeeded;
        // "disabled" means TOTP was turned off since.
        Ok(_) => match lock(vault).finish_enrollment(enrolling, None) {
            Ok(()) => Settled::Finished,
            Err(source) => Settled::Unresolved(Error::EnrolledNotSaved { server, source }),
        },
        Err(e) if e.code() == Some(ErrorCode::UnknownDevice) => abandon(vault, enrolling),
        Err(source) => Settled::Unresolved(Error::Unsettled { server, source }),
    }
}

fn abandon(vault: &Mutex<Vault>, enrolling: Enrolling) -> Settled {
    match lock(vault).abandon_enrollment(enrolling) {
        Ok(_) => Settled::RolledBack,
        Err(e) => Settled::Unresolved(Error::Vault(e)),
    }
}
