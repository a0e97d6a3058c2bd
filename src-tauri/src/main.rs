//! SPSE Auth's desktop binary: the window and everything behind it are in
//! the library (`spse_auth_app::run`), which the mobile builds share.

// No console window beside the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // Linux: WebKitGTK paints the page on the CPU, without its GL
    // compositor, unless the user chose otherwise. The window is mapped
    // only once the page is ready (startup.rs), and the compositor starts
    // only then: on a machine without a fast GPU (llvmpipe under Xvfb) the
    // window showed its bare surface for 120–250 ms before the page, and
    // one frame painted in software (docs/benchmarks.md). The pages are a
    // list and a sheet, well within a CPU's frame; and WebKitGTK's GL and
    // DMA-BUF paths are the ones known to leave windows blank on some
    // drivers (tauri-apps/tauri#5143). WebKit reads the variable only from
    // the environment; a user who wants the GPU back sets it to 0, as the
    // end-to-end suite does (WebKitWebDriver's screenshots need it).
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none() {
        // SAFETY: the first statement of `main`, before any thread exists
        // to read the environment concurrently.
        #[allow(unsafe_code)]
        unsafe {
            std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
        };
    }
    spse_auth_app::run();
}
