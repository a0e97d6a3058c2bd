//! Builds the Tauri context: each of the app's commands gets a permission
//! (`allow-<command>`) that `capabilities/default.json` grants.
//!
//! `tauri::generate_context!` embeds `../ui/dist`, which only exists once
//! the UI is built (`make`, or `npm run build` in `ui/`). So that
//! `cargo build/test/clippy --workspace` works on a clean checkout, an
//! empty `ui/dist` is created when missing (it is git-ignored; the real UI
//! build fills it).
//!
//! For Android the app's library is linked with 16 KB pages
//! (`max-page-size=16384`): a 4 KB-aligned `.so` does not load on Android
//! 15+ phones with 16 KB pages, and NDKs before r28 align to 4 KB unless
//! told. `make android-check` finds the flag in this script's output.

/// The commands of `src/commands.rs`, as `ui/src/lib/ipc.ts` invokes them.
const COMMANDS: &[&str] = &[
    "platform",
    "accounts",
    "codes",
    "copy_code",
    "next_hotp",
    "preview_text",
    "preview_image",
    "preview_clipboard",
    "confirm_add",
    "cancel_add",
    "add_manual",
    "check_logins",
    "decide",
    "snooze_logins",
    "rename",
    "removal_check",
    "remove",
    "settings",
    "set_settings",
    "about",
    "set_foreground",
    "page_ready",
    "has_camera",
    "push_status",
    "ask_notifications",
    "backup_status",
    "make_backup",
    "open_import",
    "read_import",
    "confirm_import",
    "cancel_import",
    "export_accounts",
    "set_aside_vault",
];

/// The linker flag of Android's 16 KB page size.
const ANDROID_PAGE_SIZE: &str = "-Wl,-z,max-page-size=16384";

fn main() {
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("android") {
        println!("cargo::rustc-cdylib-link-arg={ANDROID_PAGE_SIZE}");
    }
    let dist = std::path::Path::new("../ui/dist");
    if !dist.exists()
        && let Err(error) = std::fs::create_dir_all(dist)
    {
        println!("cargo::warning=cannot create ../ui/dist: {error}");
    }
    let attributes = tauri_build::Attributes::new()
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(error) = tauri_build::try_build(attributes) {
        println!("cargo::error=tauri-build: {error:#}");
        std::process::exit(1);
    }
}
