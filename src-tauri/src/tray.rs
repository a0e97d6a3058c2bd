//! Desktop: the tray icon, where the app lives while its window is hidden
//! (polls go on, a login raises a notification); its menu shows the
//! window or quits. A click on a login's notification shows the window on
//! the waiting logins.

use std::sync::Arc;

use tauri::menu::{Menu, MenuItem};
use tauri::tray::{MouseButton, MouseButtonState, TrayIcon, TrayIconBuilder, TrayIconEvent};
use tauri::{AppHandle, Manager, Runtime};

use crate::app::App;
use crate::views::Language;

/// The argument the start at login passes: the app starts in the tray.
pub const HIDDEN_ARG: &str = "--hidden";

/// Whether the app has a tray icon: without one (no tray host, no
/// libayatana-appindicator) closing the window quits, or the user could
/// not get the window back.
pub struct Tray(pub bool);

/// Shows and focuses the main window; the app is told at once (the web
/// view's own word of being shown may come late, or not at all).
pub fn show_window<R: Runtime>(handle: &AppHandle<R>) {
    if let Some(window) = handle.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
    if let Some(app) = handle.try_state::<Arc<App>>() {
        let app = Arc::clone(&app);
        tauri::async_runtime::spawn(async move { app.set_foreground(true) });
    }
}

/// The tray icon with its menu, in `language` (System: by `LANG`).
/// `None` when this desktop has none: Linux's tray loads
/// libayatana-appindicator at run time, and panics without it.
pub fn build<R: Runtime>(handle: &AppHandle<R>, language: Language) -> Option<TrayIcon<R>> {
    let english = match language {
        Language::En => true,
        Language::Id => false,
        Language::System => std::env::var("LANG").is_ok_and(|lang| lang.starts_with("en")),
    };
    let (show, quit) = if english {
        ("Show SPSE Auth", "Quit")
    } else {
        ("Tampilkan SPSE Auth", "Keluar")
    };
    let make = || -> tauri::Result<TrayIcon<R>> {
        let show = MenuItem::with_id(handle, "show", show, true, None::<&str>)?;
        let quit = MenuItem::with_id(handle, "quit", quit, true, None::<&str>)?;
        let menu = Menu::with_items(handle, &[&show, &quit])?;
        let mut builder = TrayIconBuilder::with_id("main")
            .tooltip("SPSE Auth")
            .menu(&menu)
            .show_menu_on_left_click(false)
            .on_menu_event(|handle, event| match event.id.as_ref() {
                "show" => show_window(handle),
                "quit" => handle.exit(0),
                _ => {}
            })
            .on_tray_icon_event(|tray, event| {
                if let TrayIconEvent::Click {
                    button: MouseButton::Left,
                    button_state: MouseButtonState::Up,
                    ..
                } = event
                {
                    show_window(tray.app_handle());
                }
            });
        if let Some(icon) = handle.default_window_icon() {
            builder = builder.icon(icon.clone());
        }
        builder.build(handle)
    };
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(make)) {
        Ok(Ok(tray)) => Some(tray),
        Ok(Err(error)) => {
            eprintln!("tray: {error}; closing the window quits");
            None
        }
        Err(_) => {
            eprintln!("tray: this desktop has none; closing the window quits");
            None
        }
    }
}

/// Reports a click on any of the app's notifications: the window shows,
/// and gets the waiting logins again so the sheet opens on them.
pub fn on_notice_click<R: Runtime>(handle: &AppHandle<R>, app: &Arc<App>) {
    use tauri_plugin_notification::{Action, ActionType, NotificationExt};
    let notification = handle.notification();
    // The "default" action is a click on the notification itself
    // (freedesktop's spec); without an action nothing is reported.
    let _ = notification.register_action_types(vec![
        ActionType::builder("login")
            .actions(vec![Action::builder("default", "SPSE Auth").build()])
            .build(),
    ]);
    let handle = handle.clone();
    let app = Arc::clone(app);
    let _ = notification.on_action(move |_performed| {
        show_window(&handle);
        let app = Arc::clone(&app);
        tauri::async_runtime::spawn(async move { app.notice_clicked() });
    });
}
