//! SPSE Auth's Android glue, a local Tauri plugin (`spse-android`).
//!
//! Its Kotlin half (`android/src/main/java/id/spse/auth/android/SpsePlugin.kt`):
//!
//! - initialises `ndk-context` when it is made (through the JNI entry point
//!   of `android-native-keyring-store`), so this plugin's setup can then
//!   make the Keystore-backed credential store and set it as keyring-core's
//!   default store, before the app opens its vault;
//! - turns screenshot protection (`FLAG_SECURE`) on or off ([`Android::set_secure`]);
//! - says whether this build may use plain `http://` ([`Android::cleartext_permitted`]):
//!   release builds may not, unless built as a training build (docs/android.md).
//!
//! No command is exposed to the web view: only the app's Rust side calls it.
//! On other platforms the plugin does nothing and [`AndroidExt::android`]
//! answers as a phone without those features would.

use tauri::plugin::{Builder, TauriPlugin};
use tauri::{Manager, Runtime};

/// The plugin's name, as Tauri knows it.
pub const NAME: &str = "spse-android";

/// What can fail on the Android side.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The Kotlin plugin could not be loaded or refused a call.
    #[error("android plugin: {0}")]
    Plugin(String),
    /// The Keystore-backed credential store could not be made.
    #[error("android keystore: {0}")]
    Keystore(String),
}

#[cfg(target_os = "android")]
#[derive(serde::Serialize)]
struct SecureArgs {
    on: bool,
}

#[cfg(target_os = "android")]
#[derive(serde::Deserialize)]
struct Cleartext {
    permitted: bool,
}

/// The Android side of the app.
pub struct Android<R: Runtime> {
    #[cfg(target_os = "android")]
    handle: tauri::plugin::PluginHandle<R>,
    #[cfg(not(target_os = "android"))]
    _runtime: std::marker::PhantomData<fn() -> R>,
}

impl<R: Runtime> Android<R> {
    /// Turns screenshot protection on (`FLAG_SECURE`: no screenshot, no
    /// screen recording, a blank thumbnail in recent apps) or off.
    pub fn set_secure(&self, on: bool) -> Result<(), Error> {
        #[cfg(target_os = "android")]
        {
            self.handle
                .run_mobile_plugin::<()>("setSecure", SecureArgs { on })
                .map_err(|e| Error::Plugin(e.to_string()))
        }
        #[cfg(not(target_os = "android"))]
        {
            let _ = on;
            Ok(())
        }
    }

    /// Whether this build may send plain `http://` (Android's network
    /// security policy, set by the manifest): false in release builds
    /// unless built for training. True where there is no such policy.
    pub fn cleartext_permitted(&self) -> Result<bool, Error> {
        #[cfg(target_os = "android")]
        {
            self.handle
                .run_mobile_plugin::<Cleartext>("cleartextPermitted", ())
                .map(|c| c.permitted)
                .map_err(|e| Error::Plugin(e.to_string()))
        }
        #[cfg(not(target_os = "android"))]
        {
            Ok(true)
        }
    }
}

/// The Android side from any Tauri handle.
pub trait AndroidExt<R: Runtime> {
    /// The Android side, if the plugin is registered.
    fn android(&self) -> Option<tauri::State<'_, Android<R>>>;
}

impl<R: Runtime, T: Manager<R>> AndroidExt<R> for T {
    fn android(&self) -> Option<tauri::State<'_, Android<R>>> {
        self.try_state::<Android<R>>()
    }
}

/// The plugin: on Android, loads the Kotlin half (which initialises
/// `ndk-context`), then sets the Keystore-backed store as keyring-core's
/// default store.
pub fn init<R: Runtime>() -> TauriPlugin<R> {
    Builder::new(NAME)
        .setup(|app, api| {
            #[cfg(target_os = "android")]
            {
                let handle = api
                    .register_android_plugin("id.spse.auth.android", "SpsePlugin")
                    .map_err(|e| Error::Plugin(e.to_string()))?;
                let store = android_native_keyring_store::Store::new()
                    .map_err(|e| Error::Keystore(e.to_string()))?;
                keyring_core::set_default_store(store);
                app.manage(Android { handle });
            }
            #[cfg(not(target_os = "android"))]
            {
                let _ = api;
                app.manage(Android::<R> {
                    _runtime: std::marker::PhantomData,
                });
            }
            Ok(())
        })
        .build()
}
