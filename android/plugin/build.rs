//! The Kotlin half (`android/`) is an Android library Gradle includes in the
//! app (through tauri-build's `tauri.settings.gradle`). No command is
//! exposed to the web view: only the app's Rust calls it.

const COMMANDS: &[&str] = &[];

fn main() {
    tauri_plugin::Builder::new(COMMANDS)
        .android_path("android")
        .build();
}
