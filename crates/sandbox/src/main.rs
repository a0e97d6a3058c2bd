//! `spse-sandbox`: a reference SPSE server on this machine, for the demo and
//! the tests. Prints `listening on <url>` as its first line (then, with
//! `--tls-self-signed`, `tls root=<path>`; with `--seed-demo`, one
//! `demo user=<id> password=<password> mailbox=<password> role=<role>` line
//! per demo user: the SPSE password, and the mailbox's own for Reset TOTP).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use spse_sandbox::{Config, Sandbox, SelfSigned, http_base_url, https_base_url};

/// A reference SPSE server (sandbox) speaking the SPSE authenticator protocol.
#[derive(Parser)]
#[command(name = "spse-sandbox", version, about)]
struct Args {
    /// Where to listen; port 0 picks a free one.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// The SQLite database file (created if missing).
    #[arg(long, default_value = "spse-sandbox.db")]
    db: PathBuf,
    /// Make the demo users and print one `demo user=... password=... mailbox=... role=...`
    /// line each.
    #[arg(long)]
    seed_demo: bool,
    /// Seconds an Aktivasi QR code (and its token) lives.
    #[arg(long, default_value_t = 60)]
    qr_ttl: u64,
    /// Seconds a login waits for the app.
    #[arg(long, default_value_t = 60)]
    challenge_ttl: u64,
    /// Push logins a user may start in 10 minutes.
    #[arg(long, default_value_t = 5)]
    push_limit: u32,
    /// Serve HTTPS with a certificate from a root made at start; the root is
    /// written (PEM) to `--tls-root` for the client to trust.
    #[arg(long)]
    tls_self_signed: bool,
    /// Where `--tls-self-signed` writes its root certificate.
    #[arg(long, default_value = "spse-sandbox-root.pem", value_name = "PATH")]
    tls_root: PathBuf,
    /// The site name shown on pages and given to the app.
    #[arg(long, default_value = "LPSE Sandbox")]
    site_name: String,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let listener = match tokio::net::TcpListener::bind(args.listen).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: listen: {e}");
            return ExitCode::from(1);
        }
    };
    let address = match listener.local_addr() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: listen: {e}");
            return ExitCode::from(1);
        }
    };
    let tls = if args.tls_self_signed {
        match SelfSigned::new(address.ip()) {
            Ok(tls) => Some(tls),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(1);
            }
        }
    } else {
        None
    };
    let base_url = if tls.is_some() {
        https_base_url(address)
    } else {
        http_base_url(address)
    };
    let config = Config {
        db: args.db,
        base_url: base_url.clone(),
        site_name: args.site_name,
        qr_ttl: Duration::from_secs(args.qr_ttl),
        challenge_ttl: Duration::from_secs(args.challenge_ttl),
        push_limit: args.push_limit,
    };
    let sandbox = match Sandbox::new(config) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    // The demo users exist before the address is announced: whoever reads
    // `listening on` may log in at once (PBKDF2 makes seeding take a while).
    let demo = if args.seed_demo {
        match sandbox.seed_demo() {
            Ok(users) => users,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(1);
            }
        }
    } else {
        Vec::new()
    };
    println!("listening on {base_url}");
    if let Some(tls) = &tls {
        if let Err(e) = std::fs::write(&args.tls_root, &tls.root_pem) {
            eprintln!("error: tls-root: {e}");
            return ExitCode::from(1);
        }
        println!("tls root={}", args.tls_root.display());
    }
    for user in demo {
        println!(
            "demo user={} password={} mailbox={} role={}",
            user.user_id, user.password, user.mailbox_password, user.role
        );
    }
    if let Some(tls) = tls {
        tokio::select! {
            () = tls.serve(listener, sandbox.router()) => {}
            _ = tokio::signal::ctrl_c() => {}
        }
        return ExitCode::SUCCESS;
    }
    let app = sandbox
        .router()
        .into_make_service_with_connect_info::<SocketAddr>();
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    match axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: serve: {e}");
            ExitCode::from(1)
        }
    }
}
