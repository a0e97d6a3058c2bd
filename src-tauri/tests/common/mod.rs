//! An app over a temporary vault (keystore mocked) and a recording host.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    dead_code,
    unreachable_pub
)]

use std::io::Cursor;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use image::{GrayImage, ImageFormat, Luma};
use qrcode::{Color, QrCode};
use serde_json::Value;
use spse_auth_app::app::{App, Host, Options, PushEndpoint, PushReport, PushWanted};
use spse_auth_app::error::AppError;
use spse_auth_app::views::{ManualAccount, ManualKind};
use spse_vault::{Keystore, Vault};
use zeroize::Zeroizing;

/// Events and the clipboard, recorded.
#[derive(Default)]
pub struct Recorder {
    pub events: Mutex<Vec<(String, Value)>>,
    pub clipboard: Mutex<Option<String>>,
    pub image: Mutex<Option<(u32, u32, Vec<u8>)>>,
    /// Every screenshot protection the app asked for, in order.
    pub secure: Mutex<Vec<bool>>,
    /// Whether the user sees the window (false: logins are notified).
    pub in_view: std::sync::atomic::AtomicBool,
    /// Every OS notification shown and withdrawn, in order.
    pub notices: Mutex<Vec<Notice>>,
    /// Every start at login asked for; an error when `autostart_fails`.
    pub autostart: Mutex<Vec<bool>>,
    pub autostart_fails: std::sync::atomic::AtomicBool,
    /// Every "Selalu aktif" service start (true) and stop asked for.
    pub always_on: Mutex<Vec<bool>>,
    /// A phone's push connector: `Some(endpoint base)` hands each wanted
    /// account the endpoint `<base>/<account id>`.
    pub push_base: Mutex<Option<String>>,
    /// What the app asked the push connector to hold, each time.
    pub subscribed: Mutex<Vec<Vec<PushWanted>>>,
    /// Every file saved, by the name the app suggested; `cancel_save`
    /// answers the next save as a user closing the picker.
    pub saved: Mutex<Vec<(String, Vec<u8>)>>,
    pub cancel_save: std::sync::atomic::AtomicBool,
}

/// An OS notification shown (with its id, title and body) or withdrawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    Shown(i32, String, String),
    Withdrawn(i32),
}

impl Host for Recorder {
    fn emit(&self, event: &str, payload: Value) {
        self.events
            .lock()
            .unwrap()
            .push((event.to_owned(), payload));
    }

    fn write_clipboard(&self, text: &str) -> Result<(), AppError> {
        *self.clipboard.lock().unwrap() = Some(text.to_owned());
        Ok(())
    }

    fn read_clipboard_text(&self) -> Option<Zeroizing<String>> {
        self.clipboard.lock().unwrap().clone().map(Zeroizing::new)
    }

    fn read_clipboard_image(&self) -> Option<(u32, u32, Zeroizing<Vec<u8>>)> {
        self.image
            .lock()
            .unwrap()
            .clone()
            .map(|(w, h, rgba)| (w, h, Zeroizing::new(rgba)))
    }

    fn protect_screen(&self, on: bool) {
        self.secure.lock().unwrap().push(on);
    }

    fn in_view(&self) -> bool {
        self.in_view.load(std::sync::atomic::Ordering::SeqCst)
    }

    fn notify(&self, id: i32, title: &str, body: &str) {
        self.notices
            .lock()
            .unwrap()
            .push(Notice::Shown(id, title.to_owned(), body.to_owned()));
    }

    fn withdraw(&self, id: i32) {
        self.notices.lock().unwrap().push(Notice::Withdrawn(id));
    }

    fn set_autostart(&self, on: bool) -> Result<(), AppError> {
        if self
            .autostart_fails
            .load(std::sync::atomic::Ordering::SeqCst)
        {
            return Err(AppError::new(
                spse_auth_app::error::ErrorCode::Io,
                "start at login: refused",
            ));
        }
        self.autostart.lock().unwrap().push(on);
        Ok(())
    }

    fn set_always_on(&self, on: bool) -> Result<(), AppError> {
        self.always_on.lock().unwrap().push(on);
        Ok(())
    }

    fn save_file(&self, suggested: &str, bytes: &[u8]) -> Result<Option<String>, AppError> {
        if self
            .cancel_save
            .swap(false, std::sync::atomic::Ordering::SeqCst)
        {
            return Ok(None);
        }
        self.saved
            .lock()
            .unwrap()
            .push((suggested.to_owned(), bytes.to_vec()));
        Ok(Some(suggested.to_owned()))
    }

    fn push_subscribe(&self, wanted: &[PushWanted]) -> Option<PushReport> {
        self.subscribed.lock().unwrap().push(wanted.to_vec());
        let base = self.push_base.lock().unwrap().clone()?;
        Some(PushReport {
            distributor: Some("ntfy".into()),
            notifications: "granted".into(),
            endpoints: wanted
                .iter()
                .map(|w| PushEndpoint {
                    instance: w.instance.clone(),
                    endpoint: format!("{base}/{}", w.instance),
                    // RFC 8291 appendix A's user agent.
                    p256dh: "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4".into(),
                    auth: "BTBZMqHH6r4Tts7J_aSIgg".into(),
                })
                .collect(),
        })
    }

    fn push_report(&self) -> Option<PushReport> {
        let last = self.subscribed.lock().unwrap().last().cloned();
        match last {
            Some(wanted) => {
                // What the connector holds: the last subscription's.
                let report = self.push_subscribe(&wanted);
                self.subscribed.lock().unwrap().pop();
                report
            }
            None => self.push_base.lock().unwrap().as_ref().map(|_| PushReport {
                distributor: Some("ntfy".into()),
                notifications: "granted".into(),
                endpoints: Vec::new(),
            }),
        }
    }
}

impl Recorder {
    /// The events named `name` so far.
    pub fn named(&self, name: &str) -> Vec<Value> {
        self.events
            .lock()
            .unwrap()
            .iter()
            .filter(|(event, _)| event == name)
            .map(|(_, payload)| payload.clone())
            .collect()
    }

    /// Every event as JSON text.
    pub fn all_text(&self) -> String {
        serde_json::to_string(&*self.events.lock().unwrap()).unwrap()
    }
}

/// An app over a fresh vault in `dir`.
pub struct TestApp {
    pub app: Arc<App>,
    pub host: Arc<Recorder>,
    pub store: Arc<keyring_core::mock::Store>,
}

impl TestApp {
    pub fn open(dir: &Path) -> TestApp {
        TestApp::open_with(options(dir), keyring_core::mock::Store::new().unwrap())
    }

    /// An app with `options` (a build without cleartext, a trust root) on
    /// the keystore `store` (another app's, to open its vault as a second
    /// build would).
    pub fn open_with(options: Options, store: Arc<keyring_core::mock::Store>) -> TestApp {
        let host = Arc::new(Recorder::default());
        let app = App::open(options, Ok(Keystore::new(store.clone())), host.clone()).unwrap();
        TestApp { app, host, store }
    }

    /// The same vault opened as another process (the CLI) would.
    pub fn other_process(&self, dir: &Path) -> Vault {
        Vault::open(dir, Keystore::new(self.store.clone())).unwrap()
    }

    /// Waits up to `within` for an event `name` whose payload satisfies `test`.
    pub async fn wait_for(
        &self,
        name: &str,
        within: Duration,
        test: impl Fn(&Value) -> bool,
    ) -> Value {
        let start = Instant::now();
        loop {
            if let Some(found) = self.host.named(name).into_iter().rev().find(|v| test(v)) {
                return found;
            }
            assert!(
                start.elapsed() < within,
                "no {name} event within {within:?}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

pub fn options(dir: &Path) -> Options {
    Options {
        data_dir: dir.to_owned(),
        device_name: "SPSE Auth (test)".into(),
        trust_root: None,
        visible: false,
        // As on phones: hidden means no polls, which the tests end with.
        poll_hidden: false,
        cleartext: true,
    }
}

/// `text` as a QR code, 4 px a module with a quiet zone, on white.
pub fn qr_picture(text: &str) -> GrayImage {
    const SCALE: u32 = 4;
    let code = QrCode::new(text).unwrap();
    let modules = u32::try_from(code.width()).unwrap();
    let side = (modules + 8) * SCALE;
    let mut image = GrayImage::from_pixel(side, side, Luma([255]));
    for (i, color) in code.to_colors().into_iter().enumerate() {
        if color == Color::Dark {
            let i = u32::try_from(i).unwrap();
            let (mx, my) = ((i % modules + 4) * SCALE, (i / modules + 4) * SCALE);
            for dy in 0..SCALE {
                for dx in 0..SCALE {
                    image.put_pixel(mx + dx, my + dy, Luma([0]));
                }
            }
        }
    }
    image
}

/// `text` as a PNG of its QR code.
pub fn qr_png(text: &str) -> Vec<u8> {
    let mut bytes = Vec::new();
    qr_picture(text)
        .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)
        .unwrap();
    bytes
}

/// A generic account typed in by hand: `name` at "Bank", SHA-256, 8 digits,
/// 30 s, counter 5.
pub fn manual(name: &str, secret: &str, kind: ManualKind) -> ManualAccount {
    ManualAccount {
        issuer: "Bank".into(),
        name: name.into(),
        secret: secret.to_owned().into(),
        kind,
        algorithm: "SHA256".into(),
        digits: 8,
        period: 30,
        counter: 5,
    }
}
