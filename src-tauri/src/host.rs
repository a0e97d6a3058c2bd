//! The [`Host`] of the real app: events through Tauri, the clipboard
//! through `tauri-plugin-clipboard-manager`.

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
}

impl<R: Runtime> Host for TauriHost<R> {
    fn emit(&self, event: &str, payload: serde_json::Value) {
        let _ = self.handle.emit(event, payload);
    }

    fn write_clipboard(&self, text: &str) -> Result<(), AppError> {
        self.handle
            .clipboard()
            .write_text(text)
            .map_err(|e| AppError::new(ErrorCode::ClipboardUnavailable, format!("clipboard: {e}")))
    }

    fn read_clipboard_text(&self) -> Option<Zeroizing<String>> {
        self.handle.clipboard().read_text().ok().map(Zeroizing::new)
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
