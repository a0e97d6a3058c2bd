//! SPSE Auth's Android glue, a local Tauri plugin (`spse-android`).
//!
//! Its Kotlin half (`android/src/main/java/id/spse/auth/android/SpsePlugin.kt`):
//!
//! - initialises `ndk-context` when it is made (through the JNI entry point
//!   of `android-native-keyring-store`), before the app opens its vault
//!   with the Keystore-backed store (`spse_vault::Keystore::platform`);
//! - turns screenshot protection (`FLAG_SECURE`) on or off ([`Android::set_secure`]);
//! - says whether this build may use plain `http://` ([`Android::cleartext_permitted`]):
//!   release builds may not, unless built as a training build (docs/android.md);
//! - says whether the phone has a camera ([`Android::has_camera`]);
//! - puts a code on the clipboard marked sensitive and clears it without
//!   reading the clipboard ([`Android::copy_sensitive`], [`Android::clear_copied`]).
//!
//! No command is exposed to the web view: only the app's Rust side calls it.
//! A plugin that cannot be loaded does not stop the app: it starts without
//! it ([`AndroidExt::android`] is `None`), the vault then says why the
//! Keystore cannot be reached, and the window shows that in words. On other
//! platforms the plugin does nothing and answers as a phone without those
//! features would.

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

#[cfg(target_os = "android")]
#[derive(serde::Deserialize)]
struct Camera {
    camera: bool,
}

#[cfg(target_os = "android")]
#[derive(serde::Serialize)]
struct CopyArgs<'a> {
    text: &'a str,
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

impl<R: Runtime> Android<R> {
    /// Whether the phone has any camera (`FEATURE_CAMERA_ANY`): the
    /// scanner never answers on one without, so the UI offers a photo.
    pub fn has_camera(&self) -> Result<bool, Error> {
        #[cfg(target_os = "android")]
        {
            self.handle
                .run_mobile_plugin::<Camera>("hasCamera", ())
                .map(|c| c.camera)
                .map_err(|e| Error::Plugin(e.to_string()))
        }
        #[cfg(not(target_os = "android"))]
        {
            Ok(false)
        }
    }

    /// Puts `text` on the clipboard marked sensitive (no preview on
    /// Android 13+, not offered by keyboards), labelled as this app's.
    pub fn copy_sensitive(&self, text: &str) -> Result<(), Error> {
        #[cfg(target_os = "android")]
        {
            self.handle
                .run_mobile_plugin::<()>("copySensitive", CopyArgs { text })
                .map_err(|e| Error::Plugin(e.to_string()))
        }
        #[cfg(not(target_os = "android"))]
        {
            let _ = text;
            Ok(())
        }
    }

    /// Clears what [`Android::copy_sensitive`] put on the clipboard without
    /// reading it (Android refuses a read in the background): a clip
    /// labelled as another app's is left alone.
    pub fn clear_copied(&self) -> Result<(), Error> {
        #[cfg(target_os = "android")]
        {
            self.handle
                .run_mobile_plugin::<()>("clearCopied", ())
                .map_err(|e| Error::Plugin(e.to_string()))
        }
        #[cfg(not(target_os = "android"))]
        {
            Ok(())
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
/// `ndk-context`). Its setup never fails: a Kotlin half that cannot be
/// loaded leaves the app running without it, so the window can say what is
/// wrong instead of the app closing before any screen.
pub fn init<R: Runtime>() -> TauriPlugin<R> {
    Builder::new(NAME)
        .setup(|app, api| {
            #[cfg(target_os = "android")]
            {
                match api.register_android_plugin("id.spse.auth.android", "SpsePlugin") {
                    Ok(handle) => {
                        app.manage(Android { handle });
                    }
                    Err(error) => eprintln!("{}", Error::Plugin(error.to_string())),
                }
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
