//! Moving accounts in and out of SPSE Auth: its own encrypted backup, and the
//! export files of the authenticators users come from or go to.
//!
//! - [`read`] takes the bytes of a file a user picked, finds out from its
//!   content which app wrote it ([`detect`]), opens it (with the password
//!   when it is encrypted) and returns what it holds as [`Imported`]: the
//!   accounts SPSE Auth can make codes for, and the entries it cannot, each
//!   with the reason. Nothing is added anywhere: the caller shows the list
//!   first.
//! - Nothing here does I/O or keeps a secret longer than a call, so the app,
//!   the CLI and the fuzzer share it as is. No [`Error`] carries a secret or a
//!   password.

pub mod backup;
mod error;
pub mod export;
mod format;
mod formats;

pub use error::{Error, Result};
pub use format::{Detected, Format, Limits, MAX_FILE_LEN};
pub use formats::{Imported, SkipReason, Skipped, detect, read};
