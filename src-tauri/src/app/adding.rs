//! Adding accounts: payloads previewed (from text, a picture, the
//! clipboard or a link) and kept on the Rust side until the user confirms
//! or cancels; SPSE enrollments with their site, codes-only accounts and
//! those typed by hand.

use super::*;

/// How long a previewed payload is kept.
pub const PREVIEW_TTL: Duration = Duration::from_secs(5 * 60);
/// How many previews are kept at once (the oldest goes first).
pub(super) const MAX_PREVIEWS: usize = 16;
/// A payload previewed, kept until added, cancelled or 5 minutes old. Its
/// secrets and token are wiped on drop (`spse-otp` keeps them zeroizing);
/// its Debug says only what kind it is.
pub struct PreviewEntry {
    payload: Payload,
    made: Instant,
}

impl std::fmt::Debug for PreviewEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PreviewEntry")
            .field("kind", &kind_of(&self.payload))
            .field("accounts", &self.payload.accounts().len())
            .field("payload", &"<redacted>")
            .finish()
    }
}

pub(super) fn kind_of(payload: &Payload) -> &'static str {
    match payload {
        Payload::Spse(_) => "spse",
        Payload::Otpauth(_) => "otpauth",
        Payload::Migration(_) => "migration",
    }
}

/// Drops previews older than [`PREVIEW_TTL`].
pub(super) fn sweep(previews: &mut HashMap<String, PreviewEntry>) {
    previews.retain(|_, entry| entry.made.elapsed() < PREVIEW_TTL);
}

impl App {
    // ---- adding ----

    /// Keeps a parsed payload and tells what it holds.
    pub(super) fn preview(self: &Arc<Self>, payload: Payload) -> Result<Preview, AppError> {
        // No name that reads as another one (F-14).
        for account in payload.accounts() {
            account.check_visible()?;
        }
        self.refresh()?;
        let vault = self.vault()?;
        let (server, training, replaces) = match &payload {
            Payload::Spse(enrollment) => {
                if !self.options.cleartext && enrollment.server.as_str().starts_with("http://") {
                    return Err(AppError::new(
                        ErrorCode::CleartextBlocked,
                        "server: this build does not connect over plain http; \
                         use the site's https address or a training build",
                    ));
                }
                let probe = spse_vault::Site::new(
                    enrollment.server.as_str(),
                    enrollment.server.is_training(),
                );
                let replaces = vault
                    .accounts()
                    .iter()
                    .filter(|a| !a.is_pending() && a.same_as(&enrollment.account, Some(&probe)))
                    .map(AccountView::from)
                    .collect();
                (
                    Some(enrollment.server.as_str().to_owned()),
                    enrollment.server.is_training(),
                    replaces,
                )
            }
            other => {
                // Every account the payload would replace (an export may hold several).
                let replaces = vault
                    .accounts()
                    .iter()
                    .filter(|a| {
                        other
                            .accounts()
                            .iter()
                            .any(|account| a.same_as(account, None))
                    })
                    .map(AccountView::from)
                    .collect();
                (None, false, replaces)
            }
        };
        drop(vault);
        let handle = spse_client::random_device_id()?;
        let preview = Preview {
            handle: handle.clone(),
            kind: kind_of(&payload),
            server,
            training,
            replaces,
            accounts: payload
                .accounts()
                .iter()
                .map(PreviewAccount::from)
                .collect(),
        };
        let mut previews = lock(&self.previews);
        sweep(&mut previews);
        while previews.len() >= MAX_PREVIEWS {
            let oldest = previews
                .iter()
                .min_by_key(|(_, entry)| entry.made)
                .map(|(handle, _)| handle.clone());
            match oldest {
                Some(oldest) => previews.remove(&oldest),
                None => break,
            };
        }
        previews.insert(
            handle,
            PreviewEntry {
                payload,
                made: Instant::now(),
            },
        );
        Ok(preview)
    }

    /// The `preview_text` command.
    pub fn preview_text(self: &Arc<Self>, text: &str) -> Result<Preview, AppError> {
        self.preview(Payload::parse(text)?)
    }

    /// The `preview_image` command: a picture's bytes.
    pub async fn preview_image(self: &Arc<Self>, bytes: Vec<u8>) -> Result<Preview, AppError> {
        let bytes = Zeroizing::new(bytes);
        let payload = tokio::task::spawn_blocking(move || spse_qr::find_payload(&bytes))
            .await
            .map_err(|e| AppError::new(ErrorCode::Internal, format!("image: {e}")))??;
        self.preview(payload)
    }

    /// The `preview_clipboard` command: the clipboard's picture, else its
    /// text.
    pub async fn preview_clipboard(self: &Arc<Self>) -> Result<Preview, AppError> {
        if let Some((width, height, rgba)) = self.host.read_clipboard_image() {
            let payload = tokio::task::spawn_blocking(move || {
                spse_qr::find_payload_in_pixels(width, height, &rgba)
            })
            .await
            .map_err(|e| AppError::new(ErrorCode::Internal, format!("image: {e}")))??;
            return self.preview(payload);
        }
        match self.host.read_clipboard_text() {
            Some(text) if !text.trim().is_empty() => self.preview_text(text.trim()),
            _ => Err(AppError::new(
                ErrorCode::ClipboardEmpty,
                "clipboard: no picture or text to read",
            )),
        }
    }

    /// A link opened on the phone (`otpauth://`, `otpauth-migration://`):
    /// previewed, never added; the window shows the preview (or why it
    /// cannot be read) on the Add screen by the `link` event, at once or,
    /// before it listens, after its first `accounts` call.
    pub fn open_link(self: &Arc<Self>, url: &str) {
        let lower = url.get(..20).unwrap_or(url).to_ascii_lowercase();
        let read = if lower.starts_with("otpauth://") || lower.starts_with("otpauth-migration://") {
            self.preview_text(url)
        } else {
            Err(AppError::new(
                ErrorCode::PayloadInvalid,
                "link: only otpauth:// and otpauth-migration:// links are read",
            ))
        };
        let link = match read {
            Ok(preview) => LinkView {
                preview: Some(preview),
                error: None,
            },
            Err(error) => LinkView {
                preview: None,
                error: Some(error),
            },
        };
        let mut recovery = lock(&self.recovery);
        if recovery.ui_ready {
            drop(recovery);
            self.emit(events::LINK, &link);
        } else {
            recovery.link = Some(link);
        }
    }

    /// The `cancel_add` command.
    pub fn cancel_add(&self, handle: &str) {
        lock(&self.previews).remove(handle);
    }

    /// The `confirm_add` command: an SPSE payload enrolls with its site,
    /// others are stored as codes-only accounts.
    pub async fn confirm_add(
        self: &Arc<Self>,
        handle: &str,
        training: bool,
        replace: bool,
    ) -> Result<Added, AppError> {
        let entry = {
            let mut previews = lock(&self.previews);
            sweep(&mut previews);
            let entry = previews.get(handle).ok_or_else(|| {
                AppError::new(
                    ErrorCode::PreviewGone,
                    "preview: it was added, cancelled or is over 5 minutes old; scan again",
                )
            })?;
            let preview_replaces =
                match &entry.payload {
                    Payload::Spse(enrollment) => {
                        if enrollment.server.is_training() && !training {
                            return Err(AppError::new(
                                ErrorCode::NeedsConfirmation,
                                "server: a training server over plain http or a private network; \
                             confirm to add",
                            ));
                        }
                        let probe = spse_vault::Site::new(
                            enrollment.server.as_str(),
                            enrollment.server.is_training(),
                        );
                        self.vault()?.accounts().iter().any(|a| {
                            !a.is_pending() && a.same_as(&enrollment.account, Some(&probe))
                        })
                    }
                    other => {
                        let vault = self.vault()?;
                        other.accounts().iter().any(|account| {
                            vault.accounts().iter().any(|a| a.same_as(account, None))
                        })
                    }
                };
            if preview_replaces && !replace {
                return Err(AppError::new(
                    ErrorCode::NeedsConfirmation,
                    "account: it is already in the vault; confirm to replace it",
                ));
            }
            previews.remove(handle).ok_or_else(|| {
                AppError::new(ErrorCode::PreviewGone, "preview: it is gone; scan again")
            })?
        };
        let added = match &entry.payload {
            Payload::Spse(enrollment) => {
                // A root for training servers, never pinned to a public LPSE (F-12).
                let trust_root = if enrollment.server.on_private_network() {
                    self.trust_root()?
                } else {
                    None
                };
                let options = EnrollOptions {
                    device_name: self.options.device_name.clone(),
                    replace,
                    trust_root,
                };
                let result =
                    spse_accounts::enroll(self.vault_mutex()?, &self.client, enrollment, options)
                        .await;
                self.save_clocks();
                let added = result?;
                Added {
                    ids: vec![added.id],
                    server: Some(added.server),
                    site_name: added.site_name.as_deref().map(shown),
                    user: Some(enrollment.account.name().to_owned()),
                }
            }
            other => {
                let ids = self.vault()?.add_all(other.accounts().to_vec(), replace)?;
                Added {
                    ids,
                    server: None,
                    site_name: None,
                    user: None,
                }
            }
        };
        self.changed();
        Ok(added)
    }

    /// The root certificate `SPSE_AUTH_TRUST_ROOT` names, if any.
    pub(super) fn trust_root(&self) -> Result<Option<Vec<u8>>, AppError> {
        let Some(path) = &self.options.trust_root else {
            return Ok(None);
        };
        let bytes = std::fs::read(path).map_err(|e| {
            AppError::new(
                ErrorCode::SiteBadRoot,
                format!("trust-root: cannot read {}: {e}", path.display()),
            )
        })?;
        let roots = spse_client::read_roots(&bytes)?;
        match <[Vec<u8>; 1]>::try_from(roots) {
            Ok([root]) => Ok(Some(root)),
            Err(_) => Err(AppError::new(
                ErrorCode::SiteBadRoot,
                format!(
                    "trust-root: {} must hold exactly one certificate",
                    path.display()
                ),
            )),
        }
    }

    /// The `add_manual` command.
    pub fn add_manual(self: &Arc<Self>, manual: &ManualAccount) -> Result<Added, AppError> {
        let cleaned: Zeroizing<String> = Zeroizing::new(
            manual
                .secret
                .chars()
                .filter(|c| !c.is_whitespace() && *c != '-')
                .map(|c| c.to_ascii_uppercase())
                .collect(),
        );
        if cleaned.is_empty() {
            return Err(AppError::new(
                ErrorCode::PayloadInvalid,
                "secret: empty; type the key the site showed",
            ));
        }
        let secret = Secret::from_base32(&cleaned)?;
        let algorithm = Algorithm::parse(&manual.algorithm)?;
        let kind = match manual.kind {
            ManualKind::Totp => Kind::Totp {
                period: manual.period,
            },
            ManualKind::Hotp => Kind::Hotp {
                counter: manual.counter,
            },
        };
        let issuer = Some(manual.issuer.trim().to_owned()).filter(|i| !i.is_empty());
        let account = Account::new(
            issuer,
            manual.name.trim().to_owned(),
            algorithm,
            manual.digits,
            kind,
            secret,
        )?;
        account.check_visible()?;
        let id = self.vault()?.add(account, None, false)?;
        self.changed();
        Ok(Added {
            ids: vec![id],
            server: None,
            site_name: None,
            user: None,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;

    const SPSE: &str = "otpauth://totp/LPSE:PPK2?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=LPSE&spse=1&server=https%3A%2F%2Flpse.example.go.id%2Feproc4&enroll=Qm9kYS10b2tlbi1mb3ItcXIx";

    #[test]
    fn a_preview_debugs_without_its_secret_or_token() {
        let payload = Payload::parse(SPSE)
            .or_else(|_| Payload::parse("otpauth://totp/a?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"))
            .unwrap();
        let entry = PreviewEntry {
            payload,
            made: Instant::now(),
        };
        let debug = format!("{entry:?}");
        assert!(debug.contains("<redacted>"), "{debug}");
        for secret in ["GEZDGNBVGY3TQOJQ", "Qm9kYS10b2tlbi1mb3ItcXIx", "49, 50, 51"] {
            assert!(!debug.contains(secret), "{debug}");
        }
        let manual = ManualAccount {
            issuer: "Bank".into(),
            name: "budi".into(),
            secret: Zeroizing::new("GEZDGNBVGY3TQOJQ".into()),
            kind: ManualKind::Totp,
            algorithm: "SHA1".into(),
            digits: 6,
            period: 30,
            counter: 0,
        };
        assert!(!format!("{manual:?}").contains("GEZDGNBVGY3TQOJQ"));
    }
}
