//! SPSE Auth's desktop binary: the window and everything behind it are in
//! the library (`spse_auth_app::run`), which the mobile builds share.

// No console window beside the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    spse_auth_app::run();
}
