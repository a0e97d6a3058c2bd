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
//!   reading the clipboard ([`Android::copy_sensitive`], [`Android::clear_copied`]);
//! - registers each enrolled account for Web Push wake-ups through
//!   UnifiedPush and reports the endpoints the sites must be given
//!   ([`Android::push_subscribe`], [`Android::push_state`]), asks for the
//!   notification permission ([`Android::ask_notifications`]); its push
//!   service turns a wake-up into a notification that opens the app, with
//!   no Rust involved (docs/android.md, Push);
//! - for phones without a distributor, "Selalu aktif": an opt-in foreground
//!   service that keeps the app's process, and so its long polls, alive in
//!   the background ([`Android::set_always_on`]), and the login
//!   notifications the app shows and withdraws itself
//!   ([`Android::show_login`], [`Android::cancel_login`]);
//! - saves a backup or an export where the user picks in the system's file
//!   picker (`ACTION_CREATE_DOCUMENT`) and says under what name
//!   ([`Android::save_document`]).
//!
//! No command is exposed to the web view: only the app's Rust side calls it.
//! A plugin that cannot be loaded does not stop the app: it starts without
//! it ([`AndroidExt::android`] is `None`), the vault then says why the
//! Keystore cannot be reached, and the window shows that in words. On other
//! platforms the plugin does nothing and answers as a phone without those
//! features would.

use serde::{Deserialize, Serialize};
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

#[cfg(target_os = "android")]
#[derive(serde::Serialize)]
struct AlwaysOnArgs {
    on: bool,
}

#[cfg(target_os = "android")]
#[derive(serde::Serialize)]
struct ShowLoginArgs<'a> {
    id: i32,
    title: &'a str,
    body: &'a str,
}

#[cfg(target_os = "android")]
#[derive(serde::Serialize)]
struct CancelLoginArgs {
    id: i32,
}

#[cfg(target_os = "android")]
#[derive(serde::Serialize)]
struct PushSubscribeArgs<'a> {
    instances: &'a [PushInstance],
}

/// What `saveDocument` is given: the name the picker suggests, the type
/// of the document it creates and the bytes, as standard base64 (the
/// plugin bridge carries JSON, not bytes). Field names as the Kotlin
/// `SaveDocumentArgs` reads them (`mimeType`). Built on Android, and in
/// the tests that pin its JSON.
#[cfg(any(target_os = "android", test))]
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct SaveDocumentArgs<'a> {
    /// The suggested file name (`EXTRA_TITLE`): the user may change it.
    name: &'a str,
    /// The document's MIME type (the picker and the provider see it).
    mime_type: &'a str,
    /// The bytes, standard base64 with padding (Kotlin's `Base64.DEFAULT`).
    data: &'a str,
}

/// What `saveDocument` answers: whether a document was written and its
/// display name (`OpenableColumns.DISPLAY_NAME`, what the user finds in
/// Files; the provider may have changed the suggested one). Built on
/// Android, and in the tests that read the Kotlin half's JSON.
#[cfg(any(target_os = "android", test))]
#[derive(serde::Deserialize)]
struct SavedDocument {
    /// False when the user closed the picker without choosing a place.
    saved: bool,
    /// The written document's display name; `null` when cancelled.
    name: Option<String>,
}

/// The MIME type of every saved document: backups and exports are opaque
/// to the picker (a type such as `text/plain` would let a provider append
/// `.txt` to the user's name).
#[cfg(any(target_os = "android", test))]
const SAVE_MIME_TYPE: &str = "application/octet-stream";

/// Standard base64 (RFC 4648 section 4, padded) of `bytes`, ASCII in a
/// byte vector so the caller can wipe it: the plugin bridge carries only
/// JSON, and the crate takes no base64 dependency for this one use.
#[cfg(any(target_os = "android", test))]
fn base64(bytes: &[u8]) -> Vec<u8> {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let byte = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
        let n = (byte(0) << 16) | (byte(1) << 8) | byte(2);
        let sextet = |shift: u32| ALPHABET[((n >> shift) & 63) as usize];
        out.push(sextet(18));
        out.push(sextet(12));
        out.push(if chunk.len() > 1 { sextet(6) } else { b'=' });
        out.push(if chunk.len() > 2 { sextet(0) } else { b'=' });
    }
    out
}

/// The answer of `saveDocument` as [`Android::save_document`] gives it:
/// `None` when cancelled; a saved document without a name (which the
/// Kotlin half never sends: it falls back itself) keeps the suggested one.
#[cfg(any(target_os = "android", test))]
fn saved_name(saved: SavedDocument, suggested: &str) -> Option<String> {
    saved
        .saved
        .then(|| saved.name.unwrap_or_else(|| suggested.to_owned()))
}

/// One account that wants Web Push wake-ups: a UnifiedPush registration.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PushInstance {
    /// The account id (the registration's instance).
    pub instance: String,
    /// The site's VAPID public key: base64url of the 65-byte uncompressed
    /// P-256 point (87 characters), as the site announces it.
    pub vapid_key: String,
}

/// Where a site pushes an account's wake-ups (RFC 8030 endpoint and the
/// RFC 8291 keys it encrypts to), as the distributor gave it.
#[derive(Clone, Deserialize, PartialEq, Eq)]
pub struct PushEndpoint {
    /// The account id.
    pub instance: String,
    /// The push resource URL: a capability (whoever has it may push).
    pub endpoint: String,
    /// The connector's P-256 public key, base64url, uncompressed.
    pub p256dh: String,
    /// The RFC 8291 auth secret, base64url.
    pub auth: String,
}

/// Redacts the endpoint and the auth secret: both let anyone push to the
/// phone, and a log must not hand them out.
impl std::fmt::Debug for PushEndpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PushEndpoint")
            .field("instance", &self.instance)
            .field("endpoint", &"<redacted>")
            .field("p256dh", &self.p256dh)
            .field("auth", &"<redacted>")
            .finish()
    }
}

/// An account whose registration failed, with the connector's reason
/// (`INTERNAL_ERROR`, `NETWORK`, `ACTION_REQUIRED`, `VAPID_REQUIRED`) or
/// the plugin's (`VAPID_INVALID`: the key was refused before sending;
/// `NO_WEBPUSH_KEYS`: a distributor of the older spec gave no keys).
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct PushFailure {
    /// The account id.
    pub instance: String,
    /// Why, in the words above.
    pub reason: String,
}

/// What push can do on this phone now.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct PushState {
    /// The package of the distributor app (ntfy, Sunup...) that has
    /// answered a registration, or `fcm` for the embedded FCM distributor
    /// (Google Play services, where no distributor app is installed);
    /// `None` while none is there, chosen, or has answered yet.
    pub distributor: Option<String>,
    /// `granted`, `denied` (refused, or off in Settings) or `prompt` (may
    /// be asked, Android 13+).
    pub notifications: String,
    /// The endpoints to give the sites, one per registered account.
    #[serde(default)]
    pub endpoints: Vec<PushEndpoint>,
    /// The registrations that failed.
    #[serde(default)]
    pub failed: Vec<PushFailure>,
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

impl<R: Runtime> Android<R> {
    /// Registers one UnifiedPush instance per account in `wanted` (with the
    /// distributor app in use, or the phone's default, which may ask the
    /// user to choose one; else the embedded FCM distributor where Google
    /// Play services are) and unregisters the others. Answers with the state;
    /// the endpoints come later from the distributor and show in a later
    /// [`Android::push_state`]. It may wait for the user's choice: call it
    /// from a blocking task, never the main thread. Elsewhere there is no
    /// UnifiedPush: an error.
    pub fn push_subscribe(&self, wanted: &[PushInstance]) -> Result<PushState, Error> {
        #[cfg(target_os = "android")]
        {
            self.handle
                .run_mobile_plugin::<PushState>(
                    "pushSubscribe",
                    PushSubscribeArgs { instances: wanted },
                )
                .map_err(|e| Error::Plugin(e.to_string()))
        }
        #[cfg(not(target_os = "android"))]
        {
            let _ = wanted;
            Err(Error::Plugin("push wake-ups need Android".into()))
        }
    }

    /// The push state: distributor, notification permission, the endpoints
    /// the distributor gave, the failures. Elsewhere: an error.
    pub fn push_state(&self) -> Result<PushState, Error> {
        #[cfg(target_os = "android")]
        {
            self.handle
                .run_mobile_plugin::<PushState>("pushState", ())
                .map_err(|e| Error::Plugin(e.to_string()))
        }
        #[cfg(not(target_os = "android"))]
        {
            Err(Error::Plugin("push wake-ups need Android".into()))
        }
    }

    /// Asks for the notification permission (Android 13+, if it may still
    /// be asked: Android shows its prompt at most twice) and answers with
    /// the state once the user has. Waits for the user: not from the main
    /// thread. Elsewhere: an error.
    pub fn ask_notifications(&self) -> Result<PushState, Error> {
        #[cfg(target_os = "android")]
        {
            self.handle
                .run_mobile_plugin::<PushState>("askNotifications", ())
                .map_err(|e| Error::Plugin(e.to_string()))
        }
        #[cfg(not(target_os = "android"))]
        {
            Err(Error::Plugin("push wake-ups need Android".into()))
        }
    }
}

impl<R: Runtime> Android<R> {
    /// Starts (`on`) or stops the "Selalu aktif" foreground service (type
    /// `specialUse`, an ongoing low-importance notification). Without a
    /// UnifiedPush distributor nothing wakes the app, and Android stops a
    /// background app's process, and with it the long polls that find
    /// logins; the service keeps the process alive. Only when the user has
    /// turned it on. It is not restarted if the system kills the process
    /// anyway (there would be no Rust to poll). Fails when Android refuses a
    /// start (Android 12+ from the background): call it while the app is
    /// in the foreground. Elsewhere: an error.
    pub fn set_always_on(&self, on: bool) -> Result<(), Error> {
        #[cfg(target_os = "android")]
        {
            self.handle
                .run_mobile_plugin::<()>("setAlwaysOn", AlwaysOnArgs { on })
                .map_err(|e| Error::Plugin(e.to_string()))
        }
        #[cfg(not(target_os = "android"))]
        {
            let _ = on;
            Err(Error::Plugin("always on needs Android".into()))
        }
    }

    /// Shows a login request the app found while in the background as a
    /// heads-up notification (the `logins` channel, private on the lock
    /// screen, a tap opens the app, withdrawn after 60 s, the life of a
    /// login), tagged `login` under `id`: a later call with the same `id`
    /// replaces it, [`Android::cancel_login`] withdraws it. `title` and
    /// `body` are the app's own words naming the account and the site;
    /// never the number or a code, which belong on the app's sheet only.
    /// Without the notification permission nothing is shown (not an error).
    /// Elsewhere: an error.
    pub fn show_login(&self, id: i32, title: &str, body: &str) -> Result<(), Error> {
        #[cfg(target_os = "android")]
        {
            self.handle
                .run_mobile_plugin::<()>("showLogin", ShowLoginArgs { id, title, body })
                .map_err(|e| Error::Plugin(e.to_string()))
        }
        #[cfg(not(target_os = "android"))]
        {
            let _ = (id, title, body);
            Err(Error::Plugin("login notifications need Android".into()))
        }
    }

    /// Withdraws the notification [`Android::show_login`] showed under
    /// `id` (the login was answered, expired or withdrawn before its 60 s
    /// ran out): a stale one would open the app on nothing. Elsewhere: an
    /// error.
    pub fn cancel_login(&self, id: i32) -> Result<(), Error> {
        #[cfg(target_os = "android")]
        {
            self.handle
                .run_mobile_plugin::<()>("cancelLogin", CancelLoginArgs { id })
                .map_err(|e| Error::Plugin(e.to_string()))
        }
        #[cfg(not(target_os = "android"))]
        {
            let _ = id;
            Err(Error::Plugin("login notifications need Android".into()))
        }
    }
}

impl<R: Runtime> Android<R> {
    /// Saves `bytes` (a backup or an export) as a new document where the
    /// user picks in Android's file picker (`ACTION_CREATE_DOCUMENT`,
    /// `name` suggested, type `application/octet-stream`): an app has no
    /// other way to write where the user can find it (Downloads, Drive...)
    /// without storage permissions. Answers the document's display name,
    /// what the user will find in Files, or `None` when the user closed the
    /// picker. A failure names the step (reading the picker's answer,
    /// writing, ...), never the bytes; a document that could not be written
    /// whole is deleted. Waits for the user: call it from a blocking task,
    /// never the main thread. Our base64 copy of the bytes is wiped after
    /// the call (the bridge's JSON copies are not ours to wipe; the Kotlin
    /// half wipes its decoded bytes). Elsewhere: an error (the desktop app
    /// saves through its own dialog).
    pub fn save_document(&self, name: &str, bytes: &[u8]) -> Result<Option<String>, Error> {
        #[cfg(target_os = "android")]
        {
            let mut encoded = base64(bytes);
            let answer = std::str::from_utf8(&encoded)
                .map_err(|e| Error::Plugin(format!("save document: base64 is not text ({e})")))
                .and_then(|data| {
                    self.handle
                        .run_mobile_plugin::<SavedDocument>(
                            "saveDocument",
                            SaveDocumentArgs {
                                name,
                                mime_type: SAVE_MIME_TYPE,
                                data,
                            },
                        )
                        .map_err(|e| Error::Plugin(e.to_string()))
                });
            encoded.fill(0);
            // The wipe is read, so it is not dropped as a dead store.
            std::hint::black_box(&encoded);
            answer.map(|saved| saved_name(saved, name))
        }
        #[cfg(not(target_os = "android"))]
        {
            let _ = (name, bytes);
            Err(Error::Plugin(
                "saving through the document picker needs Android".into(),
            ))
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

#[cfg(test)]
mod tests {
    use super::*;
    use tauri::ipc::{InvokeResponseBody, IpcResponse};

    /// JSON read as `run_mobile_plugin` reads the Kotlin half's answer
    /// (serde_json, through tauri's IPC body: no JSON crate of our own).
    fn from_json<T: serde::de::DeserializeOwned>(json: &str) -> T {
        InvokeResponseBody::from(json.to_owned())
            .deserialize()
            .unwrap()
    }

    #[test]
    fn the_push_state_of_the_kotlin_half_deserialises() {
        let state: PushState = from_json(
            r#"{
                "distributor": "io.heckel.ntfy",
                "notifications": "granted",
                "endpoints": [{"instance": "acc-1", "endpoint": "https://ntfy.example/upAbc?up=1",
                               "p256dh": "BPk", "auth": "c2Vj"}],
                "failed": [{"instance": "acc-2", "reason": "VAPID_REQUIRED"}]
            }"#,
        );
        assert_eq!(state.distributor.as_deref(), Some("io.heckel.ntfy"));
        assert_eq!(state.notifications, "granted");
        assert_eq!(
            state.endpoints,
            vec![PushEndpoint {
                instance: "acc-1".into(),
                endpoint: "https://ntfy.example/upAbc?up=1".into(),
                p256dh: "BPk".into(),
                auth: "c2Vj".into(),
            }]
        );
        assert_eq!(
            state.failed,
            vec![PushFailure {
                instance: "acc-2".into(),
                reason: "VAPID_REQUIRED".into()
            }]
        );

        let bare: PushState = from_json(r#"{"distributor": null, "notifications": "prompt"}"#);
        assert_eq!(bare.distributor, None);
        assert!(bare.endpoints.is_empty() && bare.failed.is_empty());
    }

    #[test]
    fn a_push_instance_is_sent_as_the_kotlin_half_reads_it() {
        let instance = PushInstance {
            instance: "acc-1".into(),
            vapid_key: "BAbc".into(),
        };
        match instance.body().unwrap() {
            InvokeResponseBody::Json(json) => {
                assert_eq!(json, r#"{"instance":"acc-1","vapidKey":"BAbc"}"#)
            }
            InvokeResponseBody::Raw(_) => panic!("not JSON"),
        }
    }

    #[cfg(not(target_os = "android"))]
    #[test]
    fn always_on_and_login_notifications_are_errors_off_android() {
        let android = Android::<tauri::Wry> {
            _runtime: std::marker::PhantomData,
        };
        assert!(android.set_always_on(true).is_err());
        assert!(
            android
                .show_login(1, "Login", "acc-1 at spse.example")
                .is_err()
        );
        assert!(android.cancel_login(1).is_err());
    }

    #[test]
    fn base64_is_rfc_4648_standard_with_padding() {
        // RFC 4648 section 10's vectors, and the two characters that differ
        // from base64url.
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), encoded.as_bytes(), "{plain:?}");
        }
        assert_eq!(base64(&[0xfb, 0xff, 0xfe]), b"+//+");
        assert_eq!(base64(&[0, 0, 0, 0xff]), b"AAAA/w==");
    }

    #[test]
    fn save_document_s_arguments_are_sent_as_the_kotlin_half_reads_them() {
        let args = SaveDocumentArgs {
            name: "spse-auth-backup.spsebak",
            mime_type: SAVE_MIME_TYPE,
            data: "AAE=",
        };
        match args.body().unwrap() {
            InvokeResponseBody::Json(json) => assert_eq!(
                json,
                r#"{"name":"spse-auth-backup.spsebak","mimeType":"application/octet-stream","data":"AAE="}"#
            ),
            InvokeResponseBody::Raw(_) => panic!("not JSON"),
        }
    }

    #[test]
    fn save_document_s_answers_read_as_saved_or_cancelled() {
        let saved: SavedDocument = from_json(r#"{"saved": true, "name": "backup (1).spsebak"}"#);
        assert_eq!(
            saved_name(saved, "backup.spsebak").as_deref(),
            Some("backup (1).spsebak")
        );
        let cancelled: SavedDocument = from_json(r#"{"saved": false, "name": null}"#);
        assert_eq!(saved_name(cancelled, "backup.spsebak"), None);
        let unnamed: SavedDocument = from_json(r#"{"saved": true, "name": null}"#);
        assert_eq!(
            saved_name(unnamed, "backup.spsebak").as_deref(),
            Some("backup.spsebak")
        );
    }

    #[cfg(not(target_os = "android"))]
    #[test]
    fn save_document_is_an_error_off_android() {
        let android = Android::<tauri::Wry> {
            _runtime: std::marker::PhantomData,
        };
        assert!(android.save_document("backup.spsebak", b"bytes").is_err());
    }

    #[test]
    fn an_endpoint_s_debug_hides_the_capability_and_the_secret() {
        let endpoint = PushEndpoint {
            instance: "acc-1".into(),
            endpoint: "https://ntfy.example/upSecretToken".into(),
            p256dh: "BPk".into(),
            auth: "authSecret".into(),
        };
        let shown = format!("{endpoint:?}");
        assert!(shown.contains("acc-1"), "{shown}");
        assert!(!shown.contains("upSecretToken"), "{shown}");
        assert!(!shown.contains("authSecret"), "{shown}");
    }
}
