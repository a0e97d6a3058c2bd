//! `snooze_logins` ("Nanti") through Tauri's own IPC on its mock runtime,
//! as `ipc.ts` calls it: `{accountId, minutes}`, answered with the local
//! Unix ms the prompts are aside until (null when shown), the account
//! view's `snoozedUntil` and the site view's `pausedUntil` in camelCase.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use common::{Recorder, options};
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
fn snooze_logins_answers_over_ipc_as_ipc_ts_expects() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let _guard = runtime.enter();
    let dir = tempfile::tempdir().unwrap();
    let state = App::open(
        options(dir.path()),
        Ok(Keystore::new(keyring_core::mock::Store::new().unwrap())),
        Arc::new(Recorder::default()),
    )
    .unwrap();
    let app = spse_auth_app::builder(mock_builder())
        .manage(state)
        .build(tauri::generate_context!(test = true))
        .unwrap();
    let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    let call = |cmd: &str, body: Value| -> Result<Value, Value> {
        get_ipc_response(&webview, request(cmd, body.into()))
            .map(|b| b.deserialize::<Value>().unwrap())
    };
    let text = "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub";
    let preview = call("preview_text", json!({ "text": text })).unwrap();
    let added = call(
        "confirm_add",
        json!({"handle": preview["handle"], "training": false, "replace": false}),
    )
    .unwrap();
    let id = added["ids"][0].as_str().unwrap().to_owned();
    assert_eq!(
        call("accounts", json!({})).unwrap()["accounts"][0]["snoozedUntil"],
        Value::Null
    );

    let now = spse_protocol::now_ms();
    let until = call("snooze_logins", json!({"accountId": id, "minutes": 5}))
        .unwrap()
        .as_u64()
        .unwrap();
    assert!((now + 299_000..now + 301_000).contains(&until), "{until}");
    assert_eq!(
        call("accounts", json!({})).unwrap()["accounts"][0]["snoozedUntil"],
        until
    );
    assert_eq!(
        call("snooze_logins", json!({"accountId": id, "minutes": 0})).unwrap(),
        Value::Null
    );
    let refused = call("snooze_logins", json!({"accountId": "nope", "minutes": 5})).unwrap_err();
    assert_eq!(refused["code"], "accountNotFound");
    assert!(refused["message"].as_str().is_some());
}
