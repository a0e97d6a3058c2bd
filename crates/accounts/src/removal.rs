//! Deleting an account without locking its user out (docs/protocol.md
//! section 6.4): while TOTP is still active on the site, the site still asks
//! this device, so deleting it leaves the user with only "Reset TOTP".

use spse_client::{Client, Error as SiteError};
use spse_protocol::wire::{DeviceStatus, ErrorCode};
use spse_vault::StoredAccount;

use crate::error::Result;
use crate::sites::device_of;

/// What the site says about deleting an account.
#[derive(Debug)]
pub enum SiteCheck {
    /// A codes-only account: there is no site to ask, so the user must
    /// have turned its two-factor login off there first.
    NoSite,
    /// Nothing on the site depends on it: TOTP was disabled or reset there,
    /// or the site no longer knows the device.
    Safe,
    /// TOTP is still active: deleting locks the user out until they use
    /// "Reset TOTP" on the site.
    StillActive,
    /// The site could not say (unreachable, refusing, answering oddly): TOTP
    /// may still be active, so the user is warned as if it were.
    Unknown(SiteError),
}

/// Asks the account's site whether deleting it is safe. Only an answer that
/// TOTP is off there (`disabled`, `totp_disabled`) or that the device is gone
/// (`removed`, `unknown_device`) counts as safe (review finding 3).
pub async fn check(client: &Client, stored: &StoredAccount) -> Result<SiteCheck> {
    let Some((server, device)) = device_of(stored)? else {
        return Ok(SiteCheck::NoSite);
    };
    Ok(match client.device_status(&server, &device).await {
        Ok(DeviceStatus::Active) => SiteCheck::StillActive,
        Ok(DeviceStatus::Disabled | DeviceStatus::Removed) => SiteCheck::Safe,
        Err(e)
            if matches!(
                e.code(),
                Some(ErrorCode::UnknownDevice | ErrorCode::TotpDisabled)
            ) =>
        {
            SiteCheck::Safe
        }
        Err(e) => SiteCheck::Unknown(e),
    })
}

/// Tells the account's site to forget its device, after the account is
/// deleted; `Ok` for accounts with no device.
pub async fn forget_device(client: &Client, stored: &StoredAccount) -> Result<()> {
    if let Some((server, device)) = device_of(stored)? {
        match client.unenroll(&server, &device).await {
            Err(e) if e.code() == Some(ErrorCode::UnknownDevice) => {}
            other => other?,
        }
    }
    Ok(())
}
