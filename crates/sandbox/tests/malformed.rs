//! Every endpoint answers malformed input in the protocol's own JSON
//! (docs/protocol.md section 7): `{server_time, error, message}` with
//! `invalid_request` and 400, never a framework's plain text or an empty
//! body.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use serde_json::Value;
use spse_sandbox::testing::TestSite;

async fn send(site: &TestSite, method: &str, path: &str, body: &str) -> (u16, Value, String) {
    let http = reqwest::Client::new();
    let url = format!("{}{path}", site.base);
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let response = http
        .request(method, url)
        .header("content-type", "application/json")
        .header(
            "authorization",
            "SPSE-Device id=AAAAAAAAAAAAAAAAAAAAAA,ts=1,sig=AAAA",
        )
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let text = response.text().await.unwrap();
    let json = serde_json::from_str(&text)
        .unwrap_or_else(|_| panic!("{path}: not JSON ({status}): {text:?}"));
    (status, json, content_type)
}

#[tokio::test]
async fn malformed_requests_get_the_protocols_json() {
    let site = TestSite::start().await;
    let big = format!("{{\"enroll\":\"{}\"}}", "x".repeat(100_000));
    let cases: &[(&str, &str, &str)] = &[
        ("POST", "/authenticator/v1/enroll", ""),
        ("POST", "/authenticator/v1/enroll", "not json"),
        ("POST", "/authenticator/v1/enroll", "{\"enroll\": 5}"),
        ("POST", "/authenticator/v1/enroll", "{}"),
        ("POST", "/authenticator/v1/enroll", &big),
        ("GET", "/authenticator/v1/enroll", ""),
        ("PUT", "/authenticator/v1/enroll", "{}"),
        ("GET", "/authenticator/v1/challenges", ""),
        ("GET", "/authenticator/v1/challenges?wait=5", ""),
        (
            "GET",
            "/authenticator/v1/challenges?device_id=A&wait=abc",
            "",
        ),
        (
            "GET",
            "/authenticator/v1/challenges?device_id=A&wait=-1",
            "",
        ),
        ("DELETE", "/authenticator/v1/challenges", ""),
        ("GET", "/authenticator/v1/challenges/tx-1", ""),
        ("POST", "/authenticator/v1/challenges/tx-1/extra", "{}"),
        ("GET", "/authenticator/v1/device", ""),
        ("GET", "/authenticator/v1/device?other=1", ""),
        ("DELETE", "/authenticator/v1/device", ""),
        ("POST", "/authenticator/v1/device?device_id=A", ""),
        ("GET", "/authenticator/v1/nothing-here", ""),
        ("GET", "/authenticator/v1/", ""),
    ];
    for (method, path, body) in cases {
        let (status, json, content_type) = send(&site, method, path, body).await;
        let shown = &body[..body.len().min(40)];
        assert_eq!(status, 400, "{method} {path} {shown}: {json}");
        assert_eq!(json["error"], "invalid_request", "{method} {path} {shown}");
        assert!(json["server_time"].as_u64().is_some(), "{method} {path}");
        assert!(json["message"].as_str().is_some_and(|m| !m.is_empty()));
        assert!(
            content_type.starts_with("application/json"),
            "{content_type}"
        );
    }
    // Readable requests with a bad signature are still `bad_signature`.
    let (status, json, _) = send(
        &site,
        "GET",
        "/authenticator/v1/challenges?device_id=AAAAAAAAAAAAAAAAAAAAAA&wait=0",
        "",
    )
    .await;
    assert_eq!(
        (status, json["error"].as_str()),
        (401, Some("unknown_device"))
    );
}
