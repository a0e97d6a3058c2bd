//! Text files of `otpauth://` links and Google Authenticator's
//! `otpauth-migration://` links, against what the upstream tests expect:
//!
//! - `plain/aegis-upstream_plain.txt`: beemdevelopment/Aegis
//!   `DatabaseImporterTest.testImportPlainText`: the 7 vectors.
//! - `plain/stratum_urilist.txt`: jamie-mh/AuthenticatorPro
//!   `UriListBackupConverterTest`: 7 accounts, no failure.
//! - `google/stratum_googleauthenticator.txt`: AuthenticatorPro
//!   `GoogleAuthenticatorBackupConverterTest`: 6 accounts, no failure.
//!   (Google's export has no period, so every TOTP is 30 s.)

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use spse_backup::{Detected, Format, Imported, Limits, Skipped};

/// A skipped entry in one line: `issuer|name: reason`.
fn skipped(list: &[Skipped]) -> Vec<String> {
    list.iter()
        .map(|s| {
            format!(
                "{}|{}: {}",
                s.issuer.as_deref().unwrap_or(""),
                s.name,
                s.reason
            )
        })
        .collect()
}

fn read(bytes: &[u8], format: Format) -> Imported {
    assert_eq!(
        spse_backup::detect(bytes).unwrap(),
        Detected {
            format,
            encrypted: false
        }
    );
    let imported = spse_backup::read(bytes, None, &Limits::default()).unwrap();
    assert_eq!(imported.format, format);
    imported
}

#[test]
fn aegis_upstream_plain_text() {
    let Some(bytes) = common::fixture("plain/aegis-upstream_plain.txt") else {
        return;
    };
    let imported = read(&bytes, Format::OtpauthList);
    assert_eq!(common::lines(&imported.accounts), common::VECTORS);
    assert!(imported.skipped.is_empty());
}

#[test]
fn stratum_uri_list() {
    let Some(bytes) = common::fixture("plain/stratum_urilist.txt") else {
        return;
    };
    let imported = read(&bytes, Format::OtpauthList);
    assert_eq!(
        common::lines(&imported.accounts),
        [
            "totp SHA1 6 60 Long|Period JGRMXBLPPYQIFMRBFQDHNP3MPPYQYNUN",
            "totp SHA1 9 30 Many|Digits WEV2GHDH4EAU7D5SZGCIQOFBNQ35EHBS",
            "totp SHA256 6 30 Sha|256 RJNZJM7PAGJUBG32XHQWHFZVLYOMGIUQ",
            "totp SHA512 6 30 Sha|512 UW33SR5O4EKTDXNCBBS5FSPUKAYXIWOH",
            "hotp SHA1 6 10 Standard|Hotp JOR2VZXMNHACFNLRAOACFFRDRYAOFMLB",
            "totp SHA1 6 30 Standard|Totp 54VEGZFJHM3BGDONFERMPUOKNGDJETGM",
            "totp SHA1 6 30 NoIssuer|NoIssuer KY2QJPMNQLSGSZE2C5F7AYBLBVEEDHFX",
        ]
    );
    assert!(imported.skipped.is_empty());
}

#[test]
fn stratum_google_authenticator_export() {
    let Some(bytes) = common::fixture("google/stratum_googleauthenticator.txt") else {
        return;
    };
    let imported = read(&bytes, Format::GoogleAuthenticator);
    assert_eq!(
        common::lines(&imported.accounts),
        [
            "totp SHA512 6 30 Sha|512 UW33SR5O4EKTDXNCBBS5FSPUKAYXIWOH",
            "totp SHA256 6 30 Sha|256 RJNZJM7PAGJUBG32XHQWHFZVLYOMGIUQ",
            "totp SHA1 6 30 Standard|Totp 54VEGZFJHM3BGDONFERMPUOKNGDJETGM",
            "hotp SHA1 6 10 Standard|Hotp JOR2VZXMNHACFNLRAOACFFRDRYAOFMLB",
            "totp SHA1 6 30 |NoIssuer KY2QJPMNQLSGSZE2C5F7AYBLBVEEDHFX",
            "totp SHA1 6 30 Long|Period JGRMXBLPPYQIFMRBFQDHNP3MPPYQYNUN",
        ]
    );
    assert!(imported.skipped.is_empty());
}

#[test]
fn blank_lines_spaces_crlf_bom_and_extra_parameters_are_fine() {
    let text = "\u{feff}\r\n   otpauth://totp/Deno:Mason?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ&issuer=Deno&image=x&color=%23fff  \r\n\r\n\t\
                OTPAUTH://totp/SPDX:James?secret=5OM4WOOGPLQEF6UGN3CPEOOLWU&algorithm=SHA256&digits=7&period=20&pinned=true\r\n";
    let imported = read(text.as_bytes(), Format::OtpauthList);
    assert_eq!(common::lines(&imported.accounts), &common::VECTORS[..2]);
    assert!(imported.skipped.is_empty());
}

#[test]
fn bad_lines_are_left_out_named_by_their_label_never_the_secret() {
    let text = "otpauth://totp/Deno:Mason?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ&issuer=Deno\n\
                otpauth://totp/Air%20Canada:Ben?secret=SECRET-1-BAD&issuer=Air+Canada\n\
                otpauth://hotp/WWE:Mason?secret=5VAML3X35THCEBVRLV24CGBKOY\n\
                otpauth://yandex/Ya:me?secret=5VAML3X35THCEBVRLV24CGBKOY\n\
                otpauth://totp/NoSecret\n\
                just some words\n\
                otpauth://totp/?secret=JBSWY3DPEHPK3PXP&digits=99\n";
    let imported = read(text.as_bytes(), Format::OtpauthList);
    assert_eq!(common::lines(&imported.accounts), &common::VECTORS[..1]);
    let skips = skipped(&imported.skipped);
    assert_eq!(skips.len(), 6, "{skips:?}");
    assert!(skips[0].starts_with("Air Canada|Ben: "), "{skips:?}");
    assert!(
        skips[1].starts_with("WWE|Mason: ") && skips[1].contains("counter"),
        "{skips:?}"
    );
    assert!(skips[2].starts_with("Ya|me: "), "{skips:?}");
    assert!(
        skips[3].starts_with("|NoSecret: ") && skips[3].contains("secret"),
        "{skips:?}"
    );
    assert_eq!(skips[4], "|line 6: not an otpauth:// link");
    assert!(
        skips[5].starts_with("|line 7: ") && skips[5].contains("digits"),
        "{skips:?}"
    );
    for s in &skips {
        assert!(
            !s.contains("SECRET-1") && !s.contains("5VAML3X3") && !s.contains("JBSWY3DP"),
            "{s}"
        );
    }
}

#[test]
fn a_broken_migration_link_is_left_out_and_the_rest_kept() {
    let Some(bytes) = common::fixture("google/stratum_googleauthenticator.txt") else {
        return;
    };
    let good = String::from_utf8(bytes).unwrap();
    let text = format!(
        "otpauth-migration://offline?data=AAAA%%%\n{}\n",
        good.trim()
    );
    let imported = read(text.as_bytes(), Format::GoogleAuthenticator);
    assert_eq!(imported.accounts.len(), 6);
    let skips = skipped(&imported.skipped);
    assert_eq!(skips.len(), 1);
    assert!(
        skips[0].starts_with("|line 1: Google Authenticator export"),
        "{skips:?}"
    );
}

#[test]
fn text_without_links_is_not_recognised() {
    assert_eq!(
        spse_backup::detect(b"hello\nworld\n"),
        Err(spse_backup::Error::Unrecognised)
    );
}

/// Google Authenticator's "Transfer accounts" QR codes, as screenshots
/// (protonpass/proton-pass-common `proton-authenticator/test_data/qr`,
/// whose tests expect an `otpauth-migration://` link from each): the Add
/// screen's image scan (spse-qr) finds the link, and the importer reads
/// every account it carries (counted here; names pinned for the first).
#[test]
fn google_authenticator_screenshots_through_the_scanner() {
    for (path, count) in [
        ("google/protonpass_GoogleAuthenticatorExport_1.png", 10),
        ("google/protonpass_GoogleAuthenticatorExport_2.png", 10),
        ("google/protonpass_GoogleAuthenticatorExport_3.png", 10),
        ("google/protonpass_GoogleAuthImportScreenshotCropped.jpg", 1),
        (
            "google/protonpass_GoogleAuthenticator_ScreenshotBigQR.jpeg",
            7,
        ),
    ] {
        let Some(bytes) = common::fixture(path) else {
            return;
        };
        let links = spse_qr::decode(&bytes).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(links.len(), 1, "{path}");
        assert!(
            links[0].starts_with("otpauth-migration://offline?data="),
            "{path}"
        );
        let imported = read(links[0].as_bytes(), Format::GoogleAuthenticator);
        assert_eq!(imported.accounts.len(), count, "{path}");
        assert!(
            imported.skipped.is_empty(),
            "{path}: {:?}",
            skipped(&imported.skipped)
        );
        if path.ends_with("_1.png") {
            let names: Vec<&str> = imported
                .accounts
                .iter()
                .map(spse_otp::Account::name)
                .collect();
            assert_eq!(
                names,
                [
                    "new2", "new3", "new4", "new5", "new7", "new8", "new10", "new6", "new9", "new0"
                ]
            );
        }
    }
}
