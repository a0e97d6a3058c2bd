//! The licences of everything the app ships, for the About screen.
//!
//! `licences.json` beside `Cargo.toml` is written by `scripts/licences.py`
//! from `Cargo.lock` (the crates the app links on each platform it is
//! released for) and `ui/package-lock.json` (the npm packages bundled into
//! the UI); `make lint` fails when it is stale. `scripts/licences.py --text`
//! renders the same list, with each package's licence texts, for a package.

use serde::Deserialize;

use crate::views::{LicenceGroup, LicencedPackage};

/// The generated list, embedded at build time.
const LICENCES_JSON: &str = include_str!("../licences.json");

/// `licences.json`.
#[derive(Deserialize)]
struct LicenceFile {
    crates: Vec<Entry>,
    npm: Vec<Entry>,
}

/// One package of `licences.json`.
#[derive(Deserialize)]
struct Entry {
    name: String,
    version: String,
    licence: String,
}

/// Every shipped package grouped by licence expression, the largest group
/// first (ties by expression), packages by name within a group; crates
/// before npm packages of the same name. Empty only if the embedded file
/// does not parse, which a test rules out.
pub(crate) fn grouped() -> Vec<LicenceGroup> {
    let Ok(file) = serde_json::from_str::<LicenceFile>(LICENCES_JSON) else {
        return Vec::new();
    };
    let mut groups: Vec<LicenceGroup> = Vec::new();
    let entries = (file.crates.into_iter().map(|e| (e, false)))
        .chain(file.npm.into_iter().map(|e| (e, true)));
    for (entry, npm) in entries {
        let package = LicencedPackage {
            name: entry.name,
            version: entry.version,
            npm,
        };
        match groups.iter_mut().find(|g| g.licence == entry.licence) {
            Some(group) => group.packages.push(package),
            None => groups.push(LicenceGroup {
                licence: entry.licence,
                packages: vec![package],
            }),
        }
    }
    for group in &mut groups {
        group
            .packages
            .sort_by(|a, b| (&a.name, &a.version, a.npm).cmp(&(&b.name, &b.version, b.npm)));
    }
    groups.sort_by(|a, b| {
        (b.packages.len().cmp(&a.packages.len())).then_with(|| a.licence.cmp(&b.licence))
    });
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_list_parses_and_groups_everything() {
        let file: LicenceFile = serde_json::from_str(LICENCES_JSON).unwrap();
        let groups = grouped();
        let total: usize = groups.iter().map(|g| g.packages.len()).sum();
        assert_eq!(total, file.crates.len() + file.npm.len());
        assert!(file.crates.len() > 100, "{} crates", file.crates.len());
        // What the app is made of is among them: Tauri, ring, Svelte.
        let all: Vec<_> = groups.iter().flat_map(|g| &g.packages).collect();
        assert!(all.iter().any(|p| p.name == "tauri" && !p.npm));
        assert!(all.iter().any(|p| p.name == "ring" && !p.npm));
        assert!(all.iter().any(|p| p.name == "svelte" && p.npm));
        // Never our own crates.
        assert!(!all.iter().any(|p| p.name.starts_with("spse-")));
        // Largest group first, each licence once.
        assert!(
            groups
                .windows(2)
                .all(|w| w[0].packages.len() >= w[1].packages.len())
        );
        let mut names: Vec<_> = groups.iter().map(|g| &g.licence).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), groups.len());
        assert!(groups.iter().all(|g| !g.licence.is_empty()));
    }
}
