//! Which transport failures mean "the site never got the request" (review
//! finding F-05): only a connection that failed before the request was
//! written is [`Error::Unreachable`]; one that breaks after (a reset, a
//! close, an answer cut short) is [`Error::Interrupted`], whose outcome is
//! unknown. Against a raw TCP listener on loopback that reads the whole
//! request, then misbehaves.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use spse_client::{Client, Device, Error};
use spse_protocol::DeviceKey;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the listener does once it has read the request.
#[derive(Debug, Clone, Copy)]
enum After {
    /// Closes the connection (FIN) without a byte of the answer.
    Close,
    /// Resets it (RST) without a byte of the answer.
    Reset,
    /// Sends the status line, headers and half the body, then closes.
    CutBody,
}

/// Reads one request (its headers and its `content-length` body).
async fn read_request(tcp: &mut TcpStream) {
    let mut bytes = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n = tcp.read(&mut buf).await.unwrap();
        assert!(n > 0, "the client closed before sending its request");
        bytes.extend_from_slice(&buf[..n]);
        let Some(end) = bytes.windows(4).position(|w| w == b"\r\n\r\n") else {
            continue;
        };
        let head = String::from_utf8_lossy(&bytes[..end]).to_ascii_lowercase();
        let length = head
            .lines()
            .find_map(|line| line.strip_prefix("content-length:"))
            .map_or(0, |n| n.trim().parse::<usize>().unwrap());
        if bytes.len() >= end + 4 + length {
            return;
        }
    }
}

/// A site at `http://127.0.0.1:PORT` that reads one request, then does `after`.
async fn site(after: After) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let (mut tcp, _) = listener.accept().await.unwrap();
        read_request(&mut tcp).await;
        match after {
            After::Close => {}
            After::Reset => tcp.set_zero_linger().unwrap(),
            After::CutBody => {
                let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                            content-length: 200\r\n\r\n{\"server_time\": 1";
                tcp.write_all(head.as_bytes()).await.unwrap();
                tcp.flush().await.unwrap();
            }
        }
        drop(tcp);
    });
    base
}

fn device() -> Device {
    Device {
        device_id: "AAAAAAAAAAAAAAAAAAAAAA".into(),
        key: DeviceKey::generate().unwrap(),
        user_id: "PPK2".into(),
    }
}

#[tokio::test]
async fn a_connection_broken_after_the_request_was_sent_is_interrupted() {
    for after in [After::Close, After::Reset, After::CutBody] {
        let base = site(after).await;
        let client = Client::new().unwrap();
        let error = client.device_status(&base, &device()).await.unwrap_err();
        assert!(
            matches!(&error, Error::Interrupted { server } if *server == base),
            "{after:?}: {error:?}"
        );
        assert_eq!(error.code(), None);
        assert_eq!(
            error.to_string(),
            format!(
                "site: the connection to {base} broke before it answered; check the connection \
                 and try again"
            )
        );
    }
}

/// The request never left: nothing listens on the port.
#[tokio::test]
async fn a_connection_refused_before_the_request_is_unreachable() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let error = Client::new()
        .unwrap()
        .device_status(&base, &device())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Unreachable { .. }), "{error:?}");
}

/// A name that does not resolve: the request never left either.
#[tokio::test]
async fn a_name_that_does_not_resolve_is_unreachable() {
    let base = "https://spse-auth-test.invalid";
    let error = Client::new()
        .unwrap()
        .device_status(base, &device())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Unreachable { .. }), "{error:?}");
}
