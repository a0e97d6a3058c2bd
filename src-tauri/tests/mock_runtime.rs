//! The commands through Tauri's own IPC on its mock runtime: names and
//! camelCase arguments as `ipc.ts` sends them, answers as camelCase JSON,
//! errors as `{code, message}`, and a picture as a raw body or base64 JSON.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use base64::Engine as _;
use common::{Recorder, options, qr_png};
use serde_json::{Value, json};
use spse_auth_app::app::App;
use spse_vault::Keystore;
use std::sync::Arc;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, get_ipc_response, mock_builder};
use tauri::webview::InvokeRequest;

fn request(cmd: &str, body: InvokeBody) -> InvokeRequest {
    InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().unwrap(),
        body,
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    }
}

#[test]
fn commands_answer_over_ipc_as_ipc_ts_expects() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let _guard = runtime.enter();
    let dir = tempfile::tempdir().unwrap();
    let store = keyring_core::mock::Store::new().unwrap();
    let state = App::open(
        options(dir.path()),
        Ok(Keystore::new(store)),
        Arc::new(Recorder::default()),
    )
    .unwrap();
    let app = spse_auth_app::builder(mock_builder())
        .manage(state)
        .build(tauri::generate_context!(test = true))
        .unwrap();
    // The window of tauri.conf.json, with the capabilities of
    // capabilities/default.json: the permissions are checked as in the app.
    let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    let call = |cmd: &str, body: InvokeBody| -> Result<Value, Value> {
        get_ipc_response(&webview, request(cmd, body)).map(|b| b.deserialize::<Value>().unwrap())
    };

    assert_eq!(call("platform", json!({}).into()).unwrap(), json!("linux"));
    assert_eq!(
        call("accounts", json!({}).into()).unwrap(),
        json!({"sites": [], "accounts": [], "restoredFromBackup": null, "restores": 0, "backup": null})
    );
    let text = "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub";
    let preview = call("preview_text", json!({ "text": text }).into()).unwrap();
    assert_eq!(preview["kind"], "otpauth");
    assert_eq!(preview["replaces"], serde_json::json!([]));
    let added = call(
        "confirm_add",
        json!({"handle": preview["handle"], "training": false, "replace": false}).into(),
    )
    .unwrap();
    let id = added["ids"][0].as_str().unwrap().to_owned();
    assert_eq!(added["siteName"], Value::Null);
    let codes = call("codes", json!({}).into()).unwrap();
    assert_eq!(codes["codes"][0]["id"], id.as_str());
    assert!(codes["codes"][0]["validUntil"].as_u64().is_some());
    let logins = call("check_logins", json!({ "accountId": null }).into()).unwrap();
    assert_eq!(logins, json!([]));
    call("rename", json!({ "id": id, "label": "Kerja" }).into()).unwrap();
    assert_eq!(
        call("accounts", json!({}).into()).unwrap()["accounts"][0]["label"],
        "Kerja"
    );
    let error = call(
        "decide",
        json!({"accountId": id, "tx": "x", "decision": "approve", "number": null}).into(),
    )
    .unwrap_err();
    assert_eq!(error["code"], "loginGone");
    // A login is named by its account too: without it, the call is refused.
    assert!(
        call(
            "decide",
            json!({"tx": "x", "decision": "approve", "number": null}).into()
        )
        .is_err()
    );
    assert!(error["message"].as_str().is_some());

    // A picture: raw bytes (desktop), or base64 in JSON (Android, whose
    // IPC hands every command JSON); anything else is refused by name.
    let preview = call("preview_image", InvokeBody::Raw(qr_png(text))).unwrap();
    assert_eq!(preview["accounts"][0]["name"], "alice");
    let encoded = base64::engine::general_purpose::STANDARD.encode(qr_png(text));
    let preview = call("preview_image", json!({ "image": encoded }).into()).unwrap();
    assert_eq!(preview["accounts"][0]["name"], "alice");
    for body in [
        json!({ "bytes": [1, 2, 3] }),
        json!({ "image": "not base64!" }),
        json!([1, 2, 3]),
    ] {
        let refused = call("preview_image", body.into()).unwrap_err();
        assert_eq!(refused["code"], "imageUnreadable");
        assert!(refused["message"].as_str().unwrap().starts_with("image:"));
    }
    let no_picture = base64::engine::general_purpose::STANDARD.encode(b"not a picture");
    let refused = call("preview_image", json!({ "image": no_picture }).into()).unwrap_err();
    assert_eq!(refused["code"], "imageUnreadable");
    // Desktop has no camera to scan with.
    assert_eq!(call("has_camera", json!({}).into()).unwrap(), json!(false));

    let settings = call(
        "set_settings",
        json!({"settings": {"language": "en", "theme": "dark", "screenshotProtection": true}})
            .into(),
    )
    .unwrap();
    assert_eq!(settings["theme"], "dark");
    assert_eq!(
        call("settings", json!({}).into()).unwrap()["language"],
        "en"
    );
    assert!(call("about", json!({}).into()).unwrap()["licences"].is_array());
    call("set_foreground", json!({ "visible": false }).into()).unwrap();
    // No window pending here (as on a phone, or started in the tray): the
    // page tells the foreground itself.
    assert_eq!(call("page_ready", json!({}).into()).unwrap(), json!(false));
    call("remove", json!({ "id": id }).into()).unwrap();
}
