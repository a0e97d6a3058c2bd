//! The client as the vault's sites need it, and each site's clock.
//!
//! A site's own root certificate is trusted for that site only. Its clock
//! offset, learned from `server_time` (docs/protocol.md section 3), is kept
//! in the vault: a new process (the CLI runs one per command) starts with
//! it, signed requests carry the site's time, and codes of enrolled
//! accounts follow the site's clock even offline.

use std::collections::BTreeMap;

use spse_client::{Client, Device, OFFSET_THRESHOLD_MS};
use spse_protocol::DeviceKey;
use spse_vault::{ClockOffset, StoredAccount, Vault};

use crate::error::Result;

/// A learned offset is saved when it is new or moved by more than this
/// (ms): the site's clock, not the network's jitter.
pub const CLOCK_SAVE_STEP_MS: i64 = 1_000;

/// A client that trusts each site's own root (for that site only) and
/// starts from each site's last known clock offset.
pub fn client_for(vault: &Vault) -> Result<Client> {
    let client = Client::new()?;
    for account in vault.accounts() {
        if let Some(site) = &account.site
            && let Some(root) = &site.trust_root
        {
            client.trust_root_for(&site.server, root)?;
        }
    }
    for (server, clock) in vault.clocks() {
        client.set_clock_offset(server, clock.offset_ms);
    }
    Ok(client)
}

/// The offsets `client` learned that differ from the vault's (new, or moved
/// by more than [`CLOCK_SAVE_STEP_MS`]), for sites the vault has accounts on.
pub fn changed_clocks(
    vault: &Vault,
    client: &Client,
    now_ms: u64,
) -> BTreeMap<String, ClockOffset> {
    let servers: Vec<&str> = vault
        .accounts()
        .iter()
        .filter_map(|a| a.site.as_ref().map(|s| s.server.as_str()))
        .collect();
    client
        .clock_offsets()
        .into_iter()
        .filter(|(server, offset)| {
            servers.contains(&server.as_str())
                && vault
                    .clocks()
                    .get(server)
                    .is_none_or(|known| (known.offset_ms - offset).abs() > CLOCK_SAVE_STEP_MS)
        })
        .map(|(server, offset_ms)| {
            (
                server,
                ClockOffset {
                    offset_ms,
                    measured_at: now_ms,
                },
            )
        })
        .collect()
}

/// Saves the offsets `client` learned when they matter (see
/// [`changed_clocks`]); true when something was written.
pub fn save_clocks(vault: &mut Vault, client: &Client, now_ms: u64) -> Result<bool> {
    let changed = changed_clocks(vault, client, now_ms);
    if changed.is_empty() {
        return Ok(false);
    }
    vault.set_clocks(&changed)?;
    Ok(true)
}

/// The Unix time (ms) to make `stored`'s code at: this device's time, or the
/// site's when this device's clock is known to be off by more than 5 s.
pub fn code_time(vault: &Vault, stored: &StoredAccount, local_ms: u64) -> u64 {
    match clock_offset(vault, stored) {
        Some(offset) if offset.abs() > OFFSET_THRESHOLD_MS => {
            local_ms.saturating_add_signed(offset)
        }
        _ => local_ms,
    }
}

/// The site's clock offset for `stored` when known (ms, site minus device).
pub fn clock_offset(vault: &Vault, stored: &StoredAccount) -> Option<i64> {
    let site = stored.site.as_ref()?;
    vault.clocks().get(&site.server).map(|c| c.offset_ms)
}

/// The site and device of an enrolled (or pending) SPSE account; `None` for
/// codes-only accounts and SPSE accounts stored without enrolling.
pub fn device_of(stored: &StoredAccount) -> Result<Option<(String, Device)>> {
    let Some(site) = &stored.site else {
        return Ok(None);
    };
    let Some(identity) = &site.device else {
        return Ok(None);
    };
    let key = DeviceKey::from_pkcs8(identity.key.clone()).map_err(spse_client::Error::Key)?;
    Ok(Some((
        site.server.clone(),
        Device {
            device_id: identity.id.clone(),
            key,
            user_id: stored.account.name().to_owned(),
        },
    )))
}
