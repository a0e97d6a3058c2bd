//! `otpauth://` and `otpauth-migration://` links opened on the phone
//! (tauri-plugin-deep-link; the intent filter is in the Android manifest):
//! each becomes a preview on the Add screen, which the user confirms or
//! cancels. Nothing is ever added from a link alone.

use std::sync::Arc;

use tauri::{AppHandle, Runtime};
use tauri_plugin_deep_link::DeepLinkExt;

use crate::app::App;

/// The link that started the app, then every link opened while it runs.
pub(crate) fn listen<R: Runtime>(handle: &AppHandle<R>, app: &Arc<App>) {
    if let Ok(Some(urls)) = handle.deep_link().get_current() {
        for url in urls {
            app.open_link(url.as_str());
        }
    }
    let app = Arc::clone(app);
    handle.deep_link().on_open_url(move |event| {
        for url in event.urls() {
            app.open_link(url.as_str());
        }
    });
}
