//! SPSE Auth, the app (Tauri v2): a thin layer over the tested libraries.
//! `spse-vault` keeps the accounts, `spse-accounts` enrolls, recovers and
//! removes them with their sites, `spse-client` asks the sites for logins,
//! `spse-otp` makes codes and `spse-qr` reads QR codes from pictures.
//!
//! - [`app`]: the state and every command's logic, free of Tauri (the
//!   tests drive it directly).
//! - [`commands`]: the `#[tauri::command]`s of `ui/src/lib/ipc.ts`.
//! - [`error`]: the one `{code, message}` every command rejects with.
//! - [`views`]: what commands answer and events carry (camelCase JSON).

pub mod app;
pub mod commands;
pub mod error;
pub mod host;
mod licences;
#[cfg(mobile)]
mod links;
pub mod startup;
#[cfg(desktop)]
pub mod tray;
pub mod views;

use std::sync::Arc;

use tauri::Manager;

/// Every plugin and command of the app on `builder`, the state set up in
/// `setup`: shared by [`run`] and the tests' mock runtime.
pub fn builder<R: tauri::Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    let builder = builder.plugin(tauri_plugin_clipboard_manager::init());
    #[cfg(mobile)]
    let builder = builder
        .plugin(tauri_plugin_barcode_scanner::init())
        .plugin(tauri_plugin_deep_link::init());
    // Before the app's setup: it initialises ndk-context, which the
    // Keystore-backed store needs when the vault opens.
    #[cfg(target_os = "android")]
    let builder = builder.plugin(tauri_plugin_spse_android::init());
    // The tray's notifications, the start at login, hidden, and the save
    // dialog of a backup.
    #[cfg(desktop)]
    let builder = builder
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_autostart::init(
            tauri_plugin_autostart::MacosLauncher::LaunchAgent,
            Some(vec![tray::HIDDEN_ARG]),
        ));
    let commands: fn(tauri::ipc::Invoke<R>) -> bool = tauri::generate_handler![
        commands::platform,
        commands::accounts,
        commands::codes,
        commands::copy_code,
        commands::next_hotp,
        commands::preview_text,
        commands::preview_image,
        commands::preview_clipboard,
        commands::confirm_add,
        commands::cancel_add,
        commands::add_manual,
        commands::check_logins,
        commands::decide,
        commands::snooze_logins,
        commands::rename,
        commands::removal_check,
        commands::remove,
        commands::settings,
        commands::set_settings,
        commands::about,
        commands::set_foreground,
        commands::page_ready,
        commands::has_camera,
        commands::push_status,
        commands::ask_notifications,
        commands::backup_status,
        commands::make_backup,
        commands::open_import,
        commands::read_import,
        commands::confirm_import,
        commands::cancel_import,
        commands::export_accounts,
        commands::set_aside_vault,
    ];
    builder
        .on_page_load(|_, payload| {
            if payload.event() == tauri::webview::PageLoadEvent::Started {
                startup::reached(startup::Milestone::PageLoad);
            }
        })
        .invoke_handler(move |invoke| {
            startup::reached(startup::Milestone::FirstIpc);
            commands(invoke)
        })
}

/// What a second start of the app on desktop does: it shows and focuses
/// the first one's window, and exits (`tauri-plugin-single-instance`). Two
/// instances on one vault would end each other's long polls without pause
/// (a site ends a device's earlier poll when a new one comes), each costing
/// a signature and a request, and both would write the vault. Its
/// arguments are not read: desktop takes no links.
#[cfg(desktop)]
fn show_first_window<R: tauri::Runtime>(
    handle: &tauri::AppHandle<R>,
    _args: Vec<String>,
    _cwd: String,
) {
    tray::show_window(handle);
}

/// This platform's keystore. On Android only once the Android glue has
/// loaded (it hands the Keystore its context; asking without it would
/// abort): otherwise the vault is kept as "keystore unavailable" and the
/// window says so in words, instead of the app closing before any screen.
fn keystore<R: tauri::Runtime>(
    handle: &tauri::AppHandle<R>,
) -> Result<spse_vault::Keystore, spse_vault::Error> {
    #[cfg(target_os = "android")]
    {
        use tauri_plugin_spse_android::AndroidExt;
        if handle.android().is_none() {
            return Err(spse_vault::Keystore::unreachable(
                "the app's Android glue did not load",
            ));
        }
    }
    let _ = handle;
    spse_vault::Keystore::platform()
}

/// Desktop: closing the window hides it to the tray (when the setting is
/// on and there is a tray), saying so the first time; polls go on.
#[cfg(desktop)]
fn on_window_event<R: tauri::Runtime>(window: &tauri::Window<R>, event: &tauri::WindowEvent) {
    let tauri::WindowEvent::CloseRequested { api, .. } = event else {
        return;
    };
    let handle = window.app_handle();
    let has_tray = handle.try_state::<tray::Tray>().is_some_and(|t| t.0);
    let Some(app) = handle.try_state::<Arc<app::App>>() else {
        return;
    };
    if has_tray && app.settings().close_to_tray {
        api.prevent_close();
        let _ = window.hide();
        app.set_foreground(false);
        app.closed_to_tray();
    }
}

/// Starts the app: opens the vault (`SPSE_AUTH_DATA_DIR` or the platform
/// data folder's `spse-auth`, as the CLI), settles interrupted enrollments,
/// and polls the sites while the window is visible (on desktop from the
/// tray too, telling each login by a notification).
#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    let base = tauri::Builder::default();
    // First of all plugins: a second start hands over to the first and
    // exits before it opens the vault or polls a site.
    #[cfg(desktop)]
    let base = base
        .plugin(tauri_plugin_single_instance::init(show_first_window))
        .on_window_event(on_window_event);
    let result = builder(base)
        .setup(|tauri_app| {
            startup::reached(startup::Milestone::Setup);
            let host = Arc::new(host::TauriHost::new(tauri_app.handle().clone()));
            let mut options = app::Options::from_env();
            // Phones have no shared data folder: the app's own.
            if cfg!(mobile)
                && std::env::var_os("SPSE_AUTH_DATA_DIR").is_none()
                && let Ok(dir) = tauri_app.path().app_data_dir()
            {
                options.data_dir = dir;
            }
            options.cleartext = host.cleartext_permitted();
            // The tray first: started at login (`--hidden`), the window
            // stays hidden only when there is a tray to bring it back.
            #[cfg(desktop)]
            {
                let handle = tauri_app.handle();
                let settings = app::read_settings(&options.data_dir);
                let tray = tray::build(handle, settings.language);
                let hidden = tray.is_some() && std::env::args().any(|a| a == tray::HIDDEN_ARG);
                tauri_app.manage(tray::Tray(tray.is_some()));
                options.visible = !hidden;
                startup::hold_window(handle, !hidden, settings.theme);
            }
            let app = app::App::open(options, keystore(tauri_app.handle()), host)?;
            startup::reached(startup::Milestone::VaultOpen);
            tauri_app.manage(Arc::clone(&app));
            #[cfg(desktop)]
            tray::on_notice_click(tauri_app.handle(), &app);
            #[cfg(mobile)]
            links::listen(tauri_app.handle(), &app);
            tauri::async_runtime::spawn(async move { app.start().await });
            Ok(())
        })
        .run(tauri::generate_context!());
    if let Err(error) = result {
        eprintln!("SPSE Auth could not start: {error}");
        std::process::exit(1);
    }
}
