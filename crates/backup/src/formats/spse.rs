//! SPSE Auth's own backup (docs/backup.md), found so that picking one where
//! an import was expected says "restore it" rather than "unknown file".

use super::{Detected, Format, Input};

/// An SPSE Auth backup: always encrypted.
pub(crate) fn detect(input: &Input) -> Option<Detected> {
    crate::backup::is_backup(input.bytes).then_some(Detected {
        format: Format::SpseBackup,
        encrypted: true,
    })
}
