//! OS notifications: a login that arrives while the user does not see the
//! window (hidden to the tray, behind other windows) is told by one,
//! withdrawn once the login is answered, expires or is answered elsewhere;
//! and the one-time word on the first close to the tray. A notification
//! names the account and the site, never the number or a code: it shows
//! on a locked screen, and its words come from the site.

use super::*;
use crate::views::Language;

/// The notification id of the word said on the first close to the tray
/// (logins count up from 1).
pub const TRAY_NOTICE: i32 = 0;

/// The name of the file, beside the vault, whose presence says the first
/// close to the tray was told.
const TRAY_TOLD: &str = "tray-told";

/// What the notifications know: the logins told (by account and tx) with
/// their notification, or none when the user saw the login on the sheet.
#[derive(Debug, Default)]
pub(super) struct Notices {
    told: HashMap<(String, String), Option<i32>>,
    last_id: i32,
}

/// The language notifications speak: the user's choice, else the
/// system's (`LC_ALL`, `LC_MESSAGES`, `LANG`): English for `en*`,
/// Indonesian otherwise, as the sites do.
fn speaks_english(language: Language) -> bool {
    match language {
        Language::En => true,
        Language::Id => false,
        Language::System => ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|name| std::env::var(name).ok())
            .find(|value| !value.is_empty())
            .is_some_and(|value| value.starts_with("en")),
    }
}

/// A login's notification: the title names the user ID and the site (its
/// name, else its address; plain text, as the specification has titles),
/// the body only the checked address and what to do: no site text in the
/// body, which some servers read as markup.
pub fn login_notice(language: Language, login: &LoginView) -> (String, String) {
    let host = address_of(&login.server);
    let site = login.site_name.as_deref().unwrap_or(host.as_str());
    if speaks_english(language) {
        (
            format!("Login request: {} at {site}", login.user_id),
            format!("{host} · Open SPSE Auth to answer. Never approve a login you did not start."),
        )
    } else {
        (
            format!("Permintaan login: {} di {site}", login.user_id),
            format!(
                "{host} · Buka SPSE Auth untuk menjawab. Jangan setujui login yang tidak Anda mulai."
            ),
        )
    }
}

/// A site's address without its scheme (`https://lpse.x.go.id` is
/// `lpse.x.go.id`): the stored site URLs are normalised, so this is their
/// host and any port.
fn address_of(server: &str) -> String {
    let rest = server.split_once("://").map_or(server, |(_, rest)| rest);
    rest.trim_end_matches('/').to_owned()
}

/// The word on the first close to the tray.
pub fn tray_notice(language: Language) -> (String, String) {
    if speaks_english(language) {
        (
            "SPSE Auth keeps running in the tray".to_owned(),
            "Login requests arrive as notifications. To quit, choose Quit in the tray icon's menu; Settings can turn this off.".to_owned(),
        )
    } else {
        (
            "SPSE Auth tetap berjalan di baki sistem".to_owned(),
            "Permintaan login muncul sebagai pemberitahuan. Untuk keluar, pilih Keluar di menu ikon baki; ini dapat dimatikan di Pengaturan.".to_owned(),
        )
    }
}

impl App {
    /// Tells the logins now waiting (`waiting`, as sent to the window):
    /// a notification for each new one while the user does not see the
    /// window; withdraws those no longer waiting.
    pub(super) fn tell_logins(&self, waiting: &[LoginView]) {
        let language = lock(&self.settings).language;
        // Either may tell: the window hidden (the UI says), or behind
        // others (the host says).
        let in_view = self.host.in_view() && lock(&self.poller).visible;
        let mut shown = Vec::new();
        let mut withdrawn = Vec::new();
        {
            let mut notices = lock(&self.notices);
            let keys: Vec<(String, String)> = waiting
                .iter()
                .map(|v| (v.account_id.clone(), v.tx.clone()))
                .collect();
            notices.told.retain(|key, id| {
                let keep = keys.contains(key);
                if !keep && let Some(id) = id {
                    withdrawn.push(*id);
                }
                keep
            });
            for (login, key) in waiting.iter().zip(keys) {
                if notices.told.contains_key(&key) {
                    continue;
                }
                let id = (!in_view).then(|| {
                    notices.last_id = notices.last_id.checked_add(1).unwrap_or(1);
                    notices.last_id
                });
                if let Some(id) = id {
                    shown.push((id, login_notice(language, login)));
                }
                notices.told.insert(key, id);
            }
        }
        for id in withdrawn {
            self.host.withdraw(id);
        }
        for (id, (title, body)) in shown {
            self.host.notify(id, &title, &body);
        }
    }

    /// The window was closed to the tray: the first time ever, says so by
    /// a notification (the app is not gone; how to quit). Remembered by a
    /// file beside the vault; best effort.
    pub fn closed_to_tray(&self) {
        let told = self.options.data_dir.join(TRAY_TOLD);
        if told.exists() {
            return;
        }
        let _ = std::fs::create_dir_all(&self.options.data_dir);
        if std::fs::write(&told, b"").is_ok() {
            let (title, body) = tray_notice(lock(&self.settings).language);
            self.host.notify(TRAY_NOTICE, &title, &body);
        }
    }

    /// A notification was clicked: the window (shown by the caller) is
    /// sent the waiting logins again, so the sheet opens on them.
    pub fn notice_clicked(self: &Arc<Self>) {
        let _ = self.refresh();
        self.send_logins_if(true);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;

    fn login(site_name: Option<&str>) -> LoginView {
        LoginView {
            tx: "tx-1".into(),
            account_id: "a1".into(),
            user_id: "PPK2".into(),
            server: "https://lpse.kuduskab.go.id".into(),
            training: false,
            site_name: site_name.map(str::to_owned),
            browser: None,
            ip: None,
            created_at: 0,
            expires_at: 60_000,
            number_match: true,
        }
    }

    /// The words, pinned in both languages: the account and the site, the
    /// checked address in the body, never a number.
    #[test]
    fn a_login_is_told_by_account_and_site_in_both_languages() {
        let named = login(Some("LPSE Kabupaten Kudus"));
        assert_eq!(
            login_notice(Language::Id, &named),
            (
                "Permintaan login: PPK2 di LPSE Kabupaten Kudus".to_owned(),
                "lpse.kuduskab.go.id · Buka SPSE Auth untuk menjawab. Jangan setujui login yang tidak Anda mulai.".to_owned()
            )
        );
        assert_eq!(
            login_notice(Language::En, &named).0,
            "Login request: PPK2 at LPSE Kabupaten Kudus"
        );
        assert_eq!(
            login_notice(Language::Id, &login(None)).0,
            "Permintaan login: PPK2 di lpse.kuduskab.go.id"
        );
        assert!(tray_notice(Language::Id).1.contains("Keluar"));
        assert!(tray_notice(Language::En).1.contains("Quit"));
    }
}
