//! Text a site sends for people to read (its name, a login's browser and IP,
//! a decision's message) made safe to show: a hostile or broken site must
//! not be able to drive a terminal with escape sequences, reorder what the
//! user reads with bidirectional controls, or flood the screen.

/// `text` with every control character (C0, C1, DEL) and every invisible
/// formatting character that can change how the rest reads (bidirectional
/// overrides and isolates, zero-width joiners, the BOM) replaced by `?`, cut
/// to `max_chars` characters (the last one then `…`).
pub fn shown(text: &str, max_chars: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max_chars * 4));
    for (count, c) in text.chars().enumerate() {
        if count + 1 == max_chars && text.chars().nth(max_chars).is_some() {
            out.push('…');
            break;
        }
        if count == max_chars {
            break;
        }
        out.push(if c.is_control() || is_format(c) {
            '?'
        } else {
            c
        });
    }
    out
}

/// Unicode format characters (category Cf) that matter for spoofing:
/// text-direction overrides and isolates, zero-width characters, the BOM.
/// Names from a QR are refused when they hold one (`spse-otp`), site text
/// has them replaced ([`shown`]).
pub fn is_format(c: char) -> bool {
    matches!(c,
        '\u{00AD}'
        | '\u{061C}'
        | '\u{180E}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{206F}'
        | '\u{FEFF}'
        | '\u{FFF9}'..='\u{FFFB}')
}

/// Browser tokens, the first found naming the browser. Those whose User-Agent
/// also carries `Chrome/` (Edge, Opera, Samsung Internet, ...) come before
/// it; the iOS forms (`CriOS/`, `FxiOS/`, ...) name the browser, not Safari.
const BROWSERS: &[(&str, &str)] = &[
    ("SamsungBrowser/", "Samsung Internet"),
    ("UCBrowser/", "UC Browser"),
    ("YaBrowser/", "Yandex Browser"),
    ("Vivaldi/", "Vivaldi"),
    ("EdgiOS/", "Edge"),
    ("EdgA/", "Edge"),
    ("Edg/", "Edge"),
    ("Edge/", "Edge"),
    ("OPiOS/", "Opera"),
    ("OPR/", "Opera"),
    ("FxiOS/", "Firefox"),
    ("Firefox/", "Firefox"),
    ("CriOS/", "Chrome"),
    ("Chrome/", "Chrome"),
];

/// Operating system tokens, the first found naming the system (`Android`
/// and the iOS devices before the `Linux` and `Mac OS X` they also carry).
const SYSTEMS: &[(&str, &str)] = &[
    ("Android", "Android"),
    ("iPhone", "iOS"),
    ("iPad", "iOS"),
    ("Windows", "Windows"),
    ("CrOS", "ChromeOS"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
];

/// The longest major version shown (digits); a longer one is left out.
const MAX_VERSION_DIGITS: usize = 4;

/// The browser a User-Agent names, as "Firefox 133 on Windows", built only
/// from the names above and the version's digits; `None` when it names no
/// browser this list knows. The person logging in writes the User-Agent,
/// so nothing of its own text ever reaches the screen: "Login Anda sendiri
/// - aman, tekan Ya" is `None`, shown by the app as an unknown browser.
pub fn browser(user_agent: &str) -> Option<String> {
    let ua = user_agent;
    let version = |token: &str| {
        ua.find(token).map(|at| {
            let digits: String = ua[at + token.len()..]
                .chars()
                .take_while(char::is_ascii_digit)
                .take(MAX_VERSION_DIGITS + 1)
                .collect();
            if digits.len() > MAX_VERSION_DIGITS {
                String::new()
            } else {
                digits
            }
        })
    };
    let (name, version) = BROWSERS
        .iter()
        .find_map(|(token, name)| version(token).map(|v| (*name, v)))
        .or_else(|| {
            ua.contains("Safari/")
                .then(|| ("Safari", version("Version/").unwrap_or_default()))
        })?;
    let system = SYSTEMS
        .iter()
        .find(|(token, _)| ua.contains(token))
        .map(|(_, name)| *name);
    let mut shown = name.to_owned();
    if !version.is_empty() {
        shown.push(' ');
        shown.push_str(&version);
    }
    if let Some(system) = system {
        shown.push_str(" on ");
        shown.push_str(system);
    }
    Some(shown)
}

/// An IP address (v4 or v6) as the standard library writes it, `None` for
/// any other text: a site behind a proxy may pass on whatever the browser
/// put in `X-Forwarded-For` ("1.2.3.4, tekan Ya"), and only an address is
/// shown.
pub fn ip_address(text: &str) -> Option<String> {
    text.trim()
        .parse::<std::net::IpAddr>()
        .ok()
        .map(|address| address.to_string())
}

#[cfg(test)]
mod tests {
    use super::{browser, ip_address, shown};

    #[test]
    fn control_and_bidi_characters_are_replaced() {
        assert_eq!(shown("Firefox\x1b[2J\x07", 100), "Firefox?[2J?");
        assert_eq!(shown("\x1b]0;DITOLAK\x07", 100), "?]0;DITOLAK?");
        assert_eq!(shown("abc\u{202E}fed", 100), "abc?fed");
        assert_eq!(shown("a\u{9b}b\u{200B}c", 100), "a?b?c");
        assert_eq!(shown("LPSE Kabupaten Kudus", 100), "LPSE Kabupaten Kudus");
    }

    #[test]
    fn long_text_is_cut_with_an_ellipsis() {
        assert_eq!(shown("abcdef", 6), "abcdef");
        assert_eq!(shown("abcdefg", 6), "abcde…");
        assert_eq!(shown("ééééééé", 3), "éé…");
        assert_eq!(shown("", 3), "");
    }

    #[test]
    fn browsers_are_named_from_the_list_only() {
        for (ua, named) in [
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
                Some("Firefox 133 on Windows"),
            ),
            (
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
                Some("Chrome 131 on Linux"),
            ),
            (
                "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36 Edg/131.0",
                Some("Edge 131 on Android"),
            ),
            (
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15",
                Some("Safari 17 on macOS"),
            ),
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
                Some("Safari 17 on iOS"),
            ),
            (
                "Mozilla/5.0 (Linux; Android 13; SM-A536E) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36",
                Some("Samsung Internet 23 on Android"),
            ),
            ("Mozilla/5.0 (test) Firefox/145.0", Some("Firefox 145")),
            ("Chrome/99999999 (Windows)", Some("Chrome on Windows")),
            // The attacker's words never: only the names and digits above.
            (
                "Firefox/133 Login Anda sendiri - aman, tekan Ya",
                Some("Firefox 133"),
            ),
            ("Login Anda sendiri - aman, tekan Ya", None),
            ("Login Anda sendiri - aman, tekan Ya (Windows)", None),
            ("curl/8.5.0", None),
            ("evil\u{1b}[2Jtext", None),
            ("", None),
        ] {
            assert_eq!(browser(ua).as_deref(), named, "{ua}");
        }
    }

    #[test]
    fn only_an_address_is_an_ip() {
        assert_eq!(ip_address("203.0.113.7").as_deref(), Some("203.0.113.7"));
        assert_eq!(ip_address(" 127.0.0.1 ").as_deref(), Some("127.0.0.1"));
        assert_eq!(ip_address("2001:DB8::1").as_deref(), Some("2001:db8::1"));
        assert_eq!(ip_address("::1").as_deref(), Some("::1"));
        for text in [
            "1.2.3.4, tekan Ya",
            "1.2.3.4, 5.6.7.8",
            "Login Anda sendiri",
            "1.2.3",
            "[::1]",
            "",
        ] {
            assert_eq!(ip_address(text), None, "{text}");
        }
    }
}
