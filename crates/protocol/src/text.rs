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

/// Unicode format characters (category Cf) that matter for spoofing.
fn is_format(c: char) -> bool {
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

#[cfg(test)]
mod tests {
    use super::shown;

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
}
