//! The [`Host`] of the real app: events through Tauri, the clipboard
//! through `tauri-plugin-clipboard-manager` (on Android through the
//! Android glue, which marks a code sensitive and clears it unread),
//! screenshot protection (the Android glue; Tauri's content protection on
//! desktop), the camera and the cleartext policy through the Android glue
//! (`tauri-plugin-spse-android`).

use tauri::{AppHandle, Emitter, Runtime};
use tauri_plugin_clipboard_manager::ClipboardExt;
use zeroize::Zeroizing;

use crate::app::Host;
use crate::error::{AppError, ErrorCode};

/// Events and the clipboard of a Tauri app.
pub struct TauriHost<R: Runtime> {
    handle: AppHandle<R>,
}

impl<R: Runtime> TauriHost<R> {
    /// The host of `handle`'s app.
    pub fn new(handle: AppHandle<R>) -> TauriHost<R> {
        TauriHost { handle }
    }

    /// Whether the app may reach a training server over plain `http://`:
    /// on Android only when the build's network security policy allows
    /// cleartext (a training build, docs/android.md; false when it cannot
    /// be asked); elsewhere always (the user still confirms each one).
    pub fn cleartext_permitted(&self) -> bool {
        #[cfg(target_os = "android")]
        {
            use tauri_plugin_spse_android::AndroidExt;
            self.handle
                .android()
                .is_some_and(|android| android.cleartext_permitted().unwrap_or(false))
        }
        #[cfg(not(target_os = "android"))]
        {
            true
        }
    }
}

impl<R: Runtime> Host for TauriHost<R> {
    fn emit(&self, event: &str, payload: serde_json::Value) {
        let _ = self.handle.emit(event, payload);
    }

    fn write_clipboard(&self, text: &str) -> Result<(), AppError> {
        #[cfg(target_os = "android")]
        {
            use tauri_plugin_spse_android::AndroidExt;
            if let Some(android) = self.handle.android() {
                return android.copy_sensitive(text).map_err(|e| {
                    AppError::new(ErrorCode::ClipboardUnavailable, format!("clipboard: {e}"))
                });
            }
        }
        self.handle
            .clipboard()
            .write_text(text)
            .map_err(|e| AppError::new(ErrorCode::ClipboardUnavailable, format!("clipboard: {e}")))
    }

    #[cfg(target_os = "android")]
    fn clear_copied(&self, _copied: &str) {
        use tauri_plugin_spse_android::AndroidExt;
        if let Some(android) = self.handle.android()
            && let Err(error) = android.clear_copied()
        {
            eprintln!("clipboard: {error}");
        }
    }

    #[cfg(target_os = "android")]
    fn has_camera(&self) -> bool {
        use tauri_plugin_spse_android::AndroidExt;
        self.handle
            .android()
            .is_some_and(|android| android.has_camera().unwrap_or(false))
    }

    #[cfg(target_os = "ios")]
    fn has_camera(&self) -> bool {
        true
    }

    fn read_clipboard_text(&self) -> Option<Zeroizing<String>> {
        self.handle.clipboard().read_text().ok().map(Zeroizing::new)
    }

    fn protect_screen(&self, on: bool) {
        #[cfg(target_os = "android")]
        {
            use tauri_plugin_spse_android::AndroidExt;
            if let Some(android) = self.handle.android()
                && let Err(error) = android.set_secure(on)
            {
                eprintln!("screenshot protection: {error}");
            }
        }
        // Windows and macOS keep the window out of screenshots, recordings
        // and screen sharing (F-16); Linux has no such thing (Tauri's call
        // does nothing there), which Settings says.
        #[cfg(desktop)]
        {
            use tauri::Manager;
            if let Some(window) = self.handle.get_webview_window("main")
                && let Err(error) = window.set_content_protected(on)
            {
                eprintln!("screenshot protection: {error}");
            }
        }
        #[cfg(all(mobile, not(target_os = "android")))]
        let _ = on;
    }

    #[cfg(desktop)]
    fn in_view(&self) -> bool {
        use tauri::Manager;
        self.handle
            .get_webview_window("main")
            .is_some_and(|window| {
                window.is_visible().unwrap_or(false)
                    && window.is_focused().unwrap_or(false)
                    && !window.is_minimized().unwrap_or(true)
            })
    }

    #[cfg(desktop)]
    fn notify(&self, id: i32, title: &str, body: &str) {
        use tauri_plugin_notification::NotificationExt;
        if let Err(error) = self
            .handle
            .notification()
            .builder()
            .id(id)
            .title(title)
            .body(body)
            .action_type_id("login")
            .show()
        {
            eprintln!("notification: {error}");
        }
    }

    #[cfg(desktop)]
    fn withdraw(&self, id: i32) {
        use tauri_plugin_notification::NotificationExt;
        let _ = self.handle.notification().remove_active(vec![id]);
    }

    #[cfg(desktop)]
    fn set_autostart(&self, on: bool) -> Result<(), AppError> {
        use tauri_plugin_autostart::ManagerExt;
        let autostart = self.handle.autolaunch();
        let done = if on {
            autostart.enable()
        } else {
            autostart.disable()
        };
        done.map_err(|e| AppError::new(ErrorCode::Io, format!("start at login: {e}")))
    }

    #[cfg(target_os = "android")]
    fn notify(&self, id: i32, title: &str, body: &str) {
        use tauri_plugin_spse_android::AndroidExt;
        if let Some(android) = self.handle.android()
            && let Err(error) = android.show_login(id, title, body)
        {
            eprintln!("notification: {error}");
        }
    }

    #[cfg(target_os = "android")]
    fn withdraw(&self, id: i32) {
        use tauri_plugin_spse_android::AndroidExt;
        if let Some(android) = self.handle.android() {
            let _ = android.cancel_login(id);
        }
    }

    #[cfg(target_os = "android")]
    fn set_always_on(&self, on: bool) -> Result<(), AppError> {
        use tauri_plugin_spse_android::AndroidExt;
        let android = self.handle.android().ok_or_else(|| {
            AppError::new(
                ErrorCode::Internal,
                "always on: the Android glue did not load",
            )
        })?;
        android
            .set_always_on(on)
            .map_err(|e| AppError::new(ErrorCode::Internal, format!("always on: {e}")))
    }

    #[cfg(target_os = "android")]
    fn push_subscribe(&self, wanted: &[crate::app::PushWanted]) -> Option<crate::app::PushReport> {
        use tauri_plugin_spse_android::{AndroidExt, PushInstance};
        let wanted: Vec<PushInstance> = wanted
            .iter()
            .map(|w| PushInstance {
                instance: w.instance.clone(),
                vapid_key: w.vapid_key.clone(),
            })
            .collect();
        let android = self.handle.android()?;
        report(android.push_subscribe(&wanted))
    }

    #[cfg(target_os = "android")]
    fn push_report(&self) -> Option<crate::app::PushReport> {
        use tauri_plugin_spse_android::AndroidExt;
        report(self.handle.android()?.push_state())
    }

    #[cfg(target_os = "android")]
    fn ask_notifications(&self) -> Option<crate::app::PushReport> {
        use tauri_plugin_spse_android::AndroidExt;
        report(self.handle.android()?.ask_notifications())
    }

    #[cfg(desktop)]
    fn save_file(&self, suggested: &str, bytes: &[u8]) -> Result<Option<String>, AppError> {
        // Scripted use and the end-to-end tests: straight into a folder.
        let path = if let Some(dir) = std::env::var_os("SPSE_AUTH_SAVE_DIR") {
            free_name(std::path::Path::new(&dir), suggested)
        } else {
            use tauri_plugin_dialog::DialogExt;
            let picked = self
                .handle
                .dialog()
                .file()
                .set_file_name(suggested)
                .blocking_save_file();
            let Some(picked) = picked else {
                return Ok(None);
            };
            picked.into_path().map_err(|e| {
                AppError::new(
                    ErrorCode::Io,
                    format!("file: not a path on this computer ({e})"),
                )
            })?
        };
        spse_vault::write_file(&path, bytes)?;
        Ok(Some(path.display().to_string()))
    }

    #[cfg(target_os = "android")]
    fn save_file(&self, suggested: &str, bytes: &[u8]) -> Result<Option<String>, AppError> {
        use tauri_plugin_spse_android::AndroidExt;
        let android = self.handle.android().ok_or_else(|| {
            AppError::new(ErrorCode::Internal, "file: the Android glue did not load")
        })?;
        android
            .save_document(suggested, bytes)
            .map_err(|e| AppError::new(ErrorCode::Io, format!("file: {e}")))
    }

    #[cfg(target_os = "ios")]
    fn save_file(&self, _suggested: &str, _bytes: &[u8]) -> Result<Option<String>, AppError> {
        Err(AppError::new(
            ErrorCode::Internal,
            "file: saving is not built for iOS",
        ))
    }

    fn read_clipboard_image(&self) -> Option<(u32, u32, Zeroizing<Vec<u8>>)> {
        let image = self.handle.clipboard().read_image().ok()?;
        Some((
            image.width(),
            image.height(),
            Zeroizing::new(image.rgba().to_vec()),
        ))
    }
}

/// `dir/name`, or `dir/name (2)`, ... when taken: a save never replaces a
/// file the user has.
#[cfg(desktop)]
fn free_name(dir: &std::path::Path, name: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    if !path.exists() {
        return path;
    }
    let (stem, ext) = match name.rsplit_once('.') {
        Some((stem, ext)) => (stem, format!(".{ext}")),
        None => (name, String::new()),
    };
    (2..)
        .map(|n| dir.join(format!("{stem} ({n}){ext}")))
        .find(|p| !p.exists())
        .unwrap_or(path)
}

/// The push connector's state as the app reads it; an error (the glue
/// failed) is a connector with nothing.
#[cfg(target_os = "android")]
fn report(
    state: Result<tauri_plugin_spse_android::PushState, tauri_plugin_spse_android::Error>,
) -> Option<crate::app::PushReport> {
    let state = match state {
        Ok(state) => state,
        Err(error) => {
            eprintln!("push: {error}");
            return Some(crate::app::PushReport {
                distributor: None,
                notifications: "prompt".to_owned(),
                endpoints: Vec::new(),
            });
        }
    };
    Some(crate::app::PushReport {
        distributor: state.distributor,
        notifications: state.notifications,
        endpoints: state
            .endpoints
            .into_iter()
            .map(|e| crate::app::PushEndpoint {
                instance: e.instance,
                endpoint: e.endpoint,
                p256dh: e.p256dh,
                auth: e.auth,
            })
            .collect(),
    })
}
