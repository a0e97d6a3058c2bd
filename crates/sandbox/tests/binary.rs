//! The `spse-sandbox` binary's contract: `listening on <url>` first, then
//! the demo users, and a root certificate file with `--tls-self-signed`.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start(args: &[&str], lines: usize) -> (Running, Vec<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_spse-sandbox"))
        .args(args)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let running = Running(child);
    let read: Vec<String> = BufReader::new(stdout)
        .lines()
        .take(lines)
        .map(Result::unwrap)
        .collect();
    (running, read)
}

#[test]
fn it_says_where_it_listens_and_who_the_demo_users_are() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let (_running, lines) = start(
        &[
            "--listen",
            "127.0.0.1:0",
            "--db",
            db.to_str().unwrap(),
            "--seed-demo",
        ],
        4,
    );
    let url = lines[0]
        .strip_prefix("listening on http://127.0.0.1:")
        .unwrap();
    assert!(url.parse::<u16>().unwrap() > 0);
    assert_eq!(lines[1], "demo user=PPK2 password=latihan-PPK2 role=ppk");
    assert_eq!(
        lines[2],
        "demo user=pokja1 password=latihan-pokja1 role=pokja"
    );
    assert_eq!(
        lines[3],
        "demo user=penyedia1 password=latihan-penyedia1 role=penyedia"
    );

    // It serves: the login page answers in Indonesian.
    let address = lines[0].strip_prefix("listening on http://").unwrap();
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    use std::io::{Read, Write};
    write!(
        stream,
        "GET / HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut page = String::new();
    stream.read_to_string(&mut page).unwrap();
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(page.contains("User ID") && page.contains("Reset TOTP"));
}

#[test]
fn tls_self_signed_serves_https_and_writes_its_root() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let root = dir.path().join("root.pem");
    let (_running, lines) = start(
        &[
            "--listen",
            "127.0.0.1:0",
            "--db",
            db.to_str().unwrap(),
            "--tls-self-signed",
            "--tls-root",
            root.to_str().unwrap(),
        ],
        2,
    );
    assert!(
        lines[0].starts_with("listening on https://127.0.0.1:"),
        "{lines:?}"
    );
    assert_eq!(lines[1], format!("tls root={}", root.display()));
    let pem = std::fs::read_to_string(&root).unwrap();
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"));
}
