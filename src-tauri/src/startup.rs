//! The cold start: the window shown only once its first screen is
//! rendered, and the milestones on the way.
//!
//! On desktop the main window starts unmapped (`"visible": false` in
//! `tauri.conf.json`): mapped at once, it showed blank for half a second
//! while WebKit's web process started and the page loaded. The page says
//! when its first screen is in the DOM ([`page_ready`]); a page that never
//! does is shown anyway after [`FALLBACK`], so a broken page still shows
//! its window rather than nothing.
//!
//! The milestones are for `make bench-app`: with `SPSE_AUTH_TRACE_STARTUP`
//! set, each is printed once on stderr as `startup: <milestone>` the moment
//! it is reached. `scripts/app_window.py` timestamps the lines from the
//! exec, so the trace needs no clock here and costs nothing when the
//! variable is unset.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tauri::{AppHandle, Manager, Runtime};

/// How long a page that never says it is ready keeps its window unmapped.
const FALLBACK: Duration = Duration::from_secs(3);

/// Whether the main window is still to be shown when the page is ready:
/// not when the app started in the tray (`--hidden`). Phones, whose window
/// always shows, have none.
struct Pending(AtomicBool);

/// Desktop: keeps the (unmapped) main window for the page, in the colour of
/// the page's `theme`, and shows it once the page is ready (`show`), or
/// after [`FALLBACK`] in any case; an app started in the tray stays there.
pub fn hold_window<R: Runtime>(handle: &AppHandle<R>, show: bool, theme: crate::views::Theme) {
    handle.manage(Pending(AtomicBool::new(show)));
    if let Some(window) = handle.get_webview_window("main") {
        let dark = window.theme().is_ok_and(|t| t == tauri::Theme::Dark);
        let _ = window.set_background_color(Some(surface(theme, dark)));
    }
    if show {
        let handle = handle.clone();
        std::thread::spawn(move || {
            std::thread::sleep(FALLBACK);
            page_ready(&handle);
        });
    }
}

/// Shows the main window if it is still pending, once: the page said it is
/// ready, or [`FALLBACK`] passed. Whether this call showed it; the page
/// then waits for its `visibilitychange` instead of telling the app it is
/// in the foreground itself.
pub fn page_ready<R: Runtime>(handle: &AppHandle<R>) -> bool {
    let Some(pending) = handle.try_state::<Pending>() else {
        return false;
    };
    if !pending.0.swap(false, Ordering::AcqRel) {
        return false;
    }
    let Some(window) = handle.get_webview_window("main") else {
        return false;
    };
    window.show().is_ok()
}

/// The window's colour before the page paints, the page's own surface
/// (`--surface` in `ui/src/app.css`) in the theme the page will take:
/// the first frame after the window is mapped matches the page, not white.
fn surface(theme: crate::views::Theme, system_dark: bool) -> tauri::window::Color {
    use crate::views::Theme;
    let dark = match theme {
        Theme::System => system_dark,
        Theme::Light => false,
        Theme::Dark => true,
    };
    if dark {
        tauri::window::Color(0x1a, 0x11, 0x11, 0xff)
    } else {
        tauri::window::Color(0xff, 0xf8, 0xf7, 0xff)
    }
}

/// Where a cold start is, in the order they happen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Milestone {
    /// Tauri calls the app's setup: the event loop and the window exist.
    Setup,
    /// The vault is open (its key from the Secret Service or the Keystore).
    VaultOpen,
    /// The web view starts loading the page (its web process is up).
    PageLoad,
    /// The page's script made its first call.
    FirstIpc,
    /// The accounts went to the page.
    Accounts,
    /// The page's first screen is in the DOM; on desktop its window is
    /// shown now.
    Ready,
    /// The page says its first codes are on screen.
    Painted,
}

impl Milestone {
    const ALL: [Milestone; 7] = [
        Milestone::Setup,
        Milestone::VaultOpen,
        Milestone::PageLoad,
        Milestone::FirstIpc,
        Milestone::Accounts,
        Milestone::Ready,
        Milestone::Painted,
    ];

    /// The word `scripts/app_window.py` reads after `startup: `.
    pub fn name(self) -> &'static str {
        match self {
            Milestone::Setup => "setup",
            Milestone::VaultOpen => "vault-open",
            Milestone::PageLoad => "page-load",
            Milestone::FirstIpc => "first-ipc",
            Milestone::Accounts => "accounts",
            Milestone::Ready => "ready",
            Milestone::Painted => "painted",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

static TOLD: [AtomicBool; Milestone::ALL.len()] =
    [const { AtomicBool::new(false) }; Milestone::ALL.len()];

/// Prints `startup: <milestone>` the first time `milestone` is reached, when
/// tracing is on.
pub fn reached(milestone: Milestone) {
    if !TOLD[milestone.index()].swap(true, Ordering::Relaxed)
        && std::env::var_os("SPSE_AUTH_TRACE_STARTUP").is_some()
    {
        eprintln!("startup: {}", milestone.name());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_distinct_and_in_order() {
        let names: Vec<_> = Milestone::ALL.iter().map(|m| m.name()).collect();
        assert_eq!(
            names,
            [
                "setup",
                "vault-open",
                "page-load",
                "first-ipc",
                "accounts",
                "ready",
                "painted"
            ]
        );
        for (i, m) in Milestone::ALL.iter().enumerate() {
            assert_eq!(m.index(), i);
        }
    }

    /// The colours are `--surface` of `ui/src/app.css`, light and dark.
    #[test]
    fn the_window_takes_the_pages_surface() {
        use crate::views::Theme;
        let css = include_str!("../../ui/src/app.css");
        let hex =
            |c: tauri::window::Color| format!("--surface: #{:02x}{:02x}{:02x};", c.0, c.1, c.2);
        let light = surface(Theme::Light, true);
        let dark = surface(Theme::Dark, false);
        assert!(css.contains(&hex(light)), "{}", hex(light));
        assert!(css.contains(&hex(dark)), "{}", hex(dark));
        assert_eq!(surface(Theme::System, true), dark);
        assert_eq!(surface(Theme::System, false), light);
    }
}
