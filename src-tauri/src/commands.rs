//! The commands of `ui/src/lib/ipc.ts`, each a thin call into [`App`].
//! Arguments arrive camelCase from the UI (Tauri maps them to these
//! snake_case names); answers and errors leave as camelCase JSON.

use std::sync::Arc;

use tauri::State;
use tauri::ipc::{InvokeBody, Request};
use zeroize::Zeroizing;

use crate::app::{App, ExportFormat};
use crate::error::{AppError, ErrorCode};
use crate::startup::{self, Milestone};
use crate::views::{
    About, AccountsView, Added, BackupStatus, CodesView, Decided, DecisionView, Exported,
    ImportDone, ImportPreview, LoginView, ManualAccount, Opened, Preview, PushStatus, RemovalCheck,
    Saved, SetAside, Settings,
};

/// The app's state as commands get it.
type AppState<'a> = State<'a, Arc<App>>;

/// The platform: `linux`, `windows`, `macos`, `android` or `ios`.
#[tauri::command]
pub async fn platform() -> Result<&'static str, AppError> {
    Ok(crate::views::platform())
}

/// Sites and accounts; rejects with the vault's error when it cannot be
/// opened.
#[tauri::command]
pub async fn accounts(state: AppState<'_>) -> Result<AccountsView, AppError> {
    let view = state.accounts();
    startup::reached(Milestone::Accounts);
    view
}

/// Every account's code now and next.
#[tauri::command]
pub async fn codes(state: AppState<'_>) -> Result<CodesView, AppError> {
    state.codes()
}

/// Copies an account's code; cleared after 30 s if still there.
#[tauri::command]
pub async fn copy_code(state: AppState<'_>, id: String) -> Result<(), AppError> {
    state.copy_code(&id)
}

/// Moves an HOTP account's counter on.
#[tauri::command]
pub async fn next_hotp(state: AppState<'_>, id: String) -> Result<(), AppError> {
    state.next_hotp(&id)
}

/// A payload's text, previewed.
#[tauri::command]
pub async fn preview_text(
    state: AppState<'_>,
    text: Zeroizing<String>,
) -> Result<Preview, AppError> {
    state.preview_text(&text)
}

/// A picture's bytes, previewed: a raw IPC body on desktop, or JSON
/// `{"image": "<base64>"}` where the IPC carries no raw body (Android).
#[tauri::command]
pub async fn preview_image(state: AppState<'_>, request: Request<'_>) -> Result<Preview, AppError> {
    state.preview_image(picture_bytes(request.body())?).await
}

/// The picture of a `preview_image` call. Android's IPC cannot carry a raw
/// body (Tauri hands every command JSON there), so the UI sends the bytes
/// as standard base64 in `image`. The picture holds the account's secret
/// as a QR code: the bytes go straight to [`App::preview_image`], which
/// wipes them.
fn picture_bytes(body: &InvokeBody) -> Result<Vec<u8>, AppError> {
    use base64::Engine as _;
    match body {
        InvokeBody::Raw(bytes) => Ok(bytes.clone()),
        InvokeBody::Json(json) => {
            let encoded = json
                .get("image")
                .and_then(serde_json::Value::as_str)
                .ok_or_else(|| {
                    AppError::new(
                        ErrorCode::ImageUnreadable,
                        "image: send the picture as a raw body, or as JSON {\"image\": \"<base64>\"}",
                    )
                })?;
            base64::engine::general_purpose::STANDARD
                .decode(encoded)
                .map_err(|_| AppError::new(ErrorCode::ImageUnreadable, "image: not valid base64"))
        }
    }
}

/// Whether the Add screen can offer a camera scan (a phone with a camera).
#[tauri::command]
pub async fn has_camera(state: AppState<'_>) -> Result<bool, AppError> {
    Ok(state.has_camera())
}

/// The clipboard's picture, else its text, previewed.
#[tauri::command]
pub async fn preview_clipboard(state: AppState<'_>) -> Result<Preview, AppError> {
    state.preview_clipboard().await
}

/// Adds a previewed payload (an SPSE payload enrolls with its site).
#[tauri::command]
pub async fn confirm_add(
    state: AppState<'_>,
    handle: String,
    training: bool,
    replace: bool,
) -> Result<Added, AppError> {
    state.confirm_add(&handle, training, replace).await
}

/// Forgets a previewed payload.
#[tauri::command]
pub async fn cancel_add(state: AppState<'_>, handle: String) -> Result<(), AppError> {
    state.cancel_add(&handle);
    Ok(())
}

/// Adds an account typed in by hand.
#[tauri::command]
pub async fn add_manual(state: AppState<'_>, account: ManualAccount) -> Result<Added, AppError> {
    state.add_manual(&account)
}

/// Asks the sites for waiting logins now (all accounts, or one).
#[tauri::command]
pub async fn check_logins(
    state: AppState<'_>,
    account_id: Option<String>,
) -> Result<Vec<LoginView>, AppError> {
    state.check_logins(account_id.as_deref()).await
}

/// Answers a login: the one of `account_id` whose id is `tx` (ids are the
/// site's own, unique only within it).
#[tauri::command]
pub async fn decide(
    state: AppState<'_>,
    account_id: String,
    tx: String,
    decision: DecisionView,
    number: Option<String>,
) -> Result<Decided, AppError> {
    state
        .decide(&account_id, &tx, decision, number.as_deref())
        .await
}

/// Puts an account's login prompts aside for `minutes` ("Nanti"), or shows
/// them again (0, which also resumes its site's paused prompts); until when
/// they are aside (local Unix ms), null when shown.
#[tauri::command]
pub async fn snooze_logins(
    state: AppState<'_>,
    account_id: String,
    minutes: u32,
) -> Result<Option<u64>, AppError> {
    state.snooze_logins(&account_id, minutes)
}

/// Sets or clears an account's label.
#[tauri::command]
pub async fn rename(
    state: AppState<'_>,
    id: String,
    label: Option<String>,
) -> Result<(), AppError> {
    state.rename(&id, label.as_deref())
}

/// What the site says before deleting an account.
#[tauri::command]
pub async fn removal_check(state: AppState<'_>, id: String) -> Result<RemovalCheck, AppError> {
    state.removal_check(&id).await
}

/// Deletes an account.
#[tauri::command]
pub async fn remove(state: AppState<'_>, id: String) -> Result<(), AppError> {
    state.remove(&id).await
}

/// The settings.
#[tauri::command]
pub async fn settings(state: AppState<'_>) -> Result<Settings, AppError> {
    Ok(state.settings())
}

/// Saves the settings.
#[tauri::command]
pub async fn set_settings(state: AppState<'_>, settings: Settings) -> Result<Settings, AppError> {
    state.set_settings(settings)
}

/// The About screen.
#[tauri::command]
pub async fn about(state: AppState<'_>) -> Result<About, AppError> {
    Ok(state.about())
}

/// Whether a login reaches the user while the app is closed (Android:
/// the push distributor and the notification permission; Settings says).
#[tauri::command]
pub async fn push_status(state: AppState<'_>) -> Result<PushStatus, AppError> {
    Ok(state.push_status())
}

/// Asks for the notification permission (Android 13+), after the first
/// enrollment's explanation or from Settings.
#[tauri::command]
pub async fn ask_notifications(state: AppState<'_>) -> Result<PushStatus, AppError> {
    // The system's prompt waits for the user: off the async workers.
    let app = Arc::clone(&state);
    tauri::async_runtime::spawn_blocking(move || app.ask_notifications())
        .await
        .map_err(|e| AppError::new(ErrorCode::Internal, format!("notifications: {e}")))
}

/// The window became visible (polling runs) or hidden (it stops on
/// phones; desktop polls on from the tray).
#[tauri::command]
pub async fn set_foreground(state: AppState<'_>, visible: bool) -> Result<(), AppError> {
    if visible {
        startup::reached(Milestone::Painted);
    }
    state.set_foreground(visible);
    Ok(())
}

/// The page's first screen is in the DOM: on desktop its window shows now
/// (it starts unmapped, so no blank window shows on the way), unless the
/// app started in the tray. Whether this call showed it: the page then
/// waits for its `visibilitychange` to say it is in the foreground.
#[tauri::command]
pub async fn page_ready<R: tauri::Runtime>(app: tauri::AppHandle<R>) -> Result<bool, AppError> {
    startup::reached(Milestone::Ready);
    Ok(startup::page_ready(&app))
}

/// Runs `work` off the async workers (a password derivation takes about a
/// second on a phone; a save dialog waits for the user).
async fn blocking<T: Send + 'static>(
    state: &AppState<'_>,
    work: impl FnOnce(&Arc<App>) -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    let app = Arc::clone(state);
    tauri::async_runtime::spawn_blocking(move || work(&app))
        .await
        .map_err(|e| AppError::new(ErrorCode::Internal, format!("backup: {e}")))?
}

/// How many accounts a backup would hold, and whether they changed since
/// the last one.
#[tauri::command]
pub async fn backup_status(state: AppState<'_>) -> Result<BackupStatus, AppError> {
    state.backup_status()
}

/// Seals every account with `password` and saves it where the user picks.
#[tauri::command]
pub async fn make_backup(
    state: AppState<'_>,
    password: Zeroizing<String>,
) -> Result<Saved, AppError> {
    blocking(&state, move |app| app.make_backup(&password)).await
}

/// A picked file to import or restore: a raw IPC body on desktop, or JSON
/// `{"file": "<base64>"}` where the IPC carries no raw body (Android).
#[tauri::command]
pub async fn open_import(state: AppState<'_>, request: Request<'_>) -> Result<Opened, AppError> {
    let bytes = file_bytes(request.body())?;
    state.open_import(bytes)
}

/// The bytes of an `open_import` call, like [`picture_bytes`].
fn file_bytes(body: &InvokeBody) -> Result<Vec<u8>, AppError> {
    use base64::Engine as _;
    match body {
        InvokeBody::Raw(bytes) => Ok(bytes.clone()),
        InvokeBody::Json(json) => {
            let encoded = json
                .get("file")
                .and_then(serde_json::Value::as_str)
                .ok_or_else(|| {
                    AppError::new(
                        ErrorCode::ImportUnrecognised,
                        "file: send it as a raw body, or as JSON {\"file\": \"<base64>\"}",
                    )
                })?;
            base64::engine::general_purpose::STANDARD
                .decode(encoded)
                .map_err(|_| AppError::new(ErrorCode::ImportUnrecognised, "file: not valid base64"))
        }
    }
}

/// Opens a picked file (with its password) and says what it holds.
#[tauri::command]
pub async fn read_import(
    state: AppState<'_>,
    handle: String,
    password: Option<Zeroizing<String>>,
) -> Result<ImportPreview, AppError> {
    blocking(&state, move |app| {
        app.read_import(&handle, password.as_ref().map(|p| p.as_str()))
    })
    .await
}

/// Adds what `read_import` showed.
#[tauri::command]
pub async fn confirm_import(state: AppState<'_>, handle: String) -> Result<ImportDone, AppError> {
    state.confirm_import(&handle)
}

/// Forgets a picked file.
#[tauri::command]
pub async fn cancel_import(state: AppState<'_>, handle: String) -> Result<(), AppError> {
    state.cancel_import(&handle);
    Ok(())
}

/// Every account's codes for another app, saved where the user picks.
#[tauri::command]
pub async fn export_accounts(
    state: AppState<'_>,
    format: ExportFormat,
    password: Option<Zeroizing<String>>,
) -> Result<Exported, AppError> {
    blocking(&state, move |app| {
        app.export_accounts(format, password.as_ref().map(|p| p.as_str()))
    })
    .await
}

/// Sets an unreadable vault aside and opens a new one to restore into.
#[tauri::command]
pub async fn set_aside_vault(state: AppState<'_>) -> Result<SetAside, AppError> {
    state.set_aside_vault()
}
