//! Numbers and text as people read them in execution tables, messages and logs: numbers
//! rounded, user text cut to a readable length ([`excerpt`]) and made safe to print
//! ([`printable`]).

use std::borrow::Cow;

pub use crate::vocab::num;

/// A ratio as a percentage with at most one decimal: `0.6%`, `25%`.
pub fn pct(ratio: f64) -> String {
    let text = format!("{:.1}", ratio * 100.0);
    format!("{}%", text.trim_end_matches('0').trim_end_matches('.'))
}

/// A list of names in backticks, at most `limit` of them: "`a`, `b` and 3 more".
pub fn names<S: AsRef<str>>(names: &[S], limit: usize) -> String {
    let shown: Vec<String> = names.iter().take(limit).map(|n| format!("`{}`", n.as_ref())).collect();
    let rest = names.len().saturating_sub(limit);
    if rest > 0 {
        format!("{} and {rest} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

/// The most characters of a user's value (a pattern, a name, a cell) a message quotes whole:
/// a line of a terminal. Longer values are cut, with their length, so that a 10 MB value
/// gives a one-line error instead of 10 MB of error text.
pub const MAX_ECHO: usize = 80;

/// The longest a whole error message about a suite gets, whatever it quotes: a few lines.
pub const MAX_MESSAGE: usize = 1_000;

/// `text` when it has at most [`MAX_ECHO`] characters, else its first [`MAX_ECHO`] and a note
/// of its length: `abcd… (1048576 characters)`.
pub fn excerpt(text: &str) -> Cow<'_, str> {
    excerpt_to(text, MAX_ECHO)
}

/// [`excerpt`] with another limit.
pub fn excerpt_to(text: &str, limit: usize) -> Cow<'_, str> {
    match text.char_indices().nth(limit) {
        None => Cow::Borrowed(text),
        Some((end, _)) => Cow::Owned(format!("{}… ({} characters)", &text[..end], text.chars().count())),
    }
}

/// A message with every quoted part (between backticks or double quotes) longer than
/// [`MAX_ECHO`] cut by [`excerpt`], then the whole cut to [`MAX_MESSAGE`]. Serde's own
/// messages quote the value they refuse ("invalid type: string \"…\""), so this is applied
/// to every suite error rather than at each place a value is quoted.
pub fn shorten_quoted(message: &str) -> Cow<'_, str> {
    if message.len() <= MAX_ECHO {
        return Cow::Borrowed(message);
    }
    let mut out = String::new();
    let mut rest = message;
    while let Some(open) = rest.find(['`', '"']) {
        let quote = rest.as_bytes()[open];
        let body = &rest[open + 1..];
        // A double-quoted value is written with `\"` for a quote inside it.
        let close = body
            .char_indices()
            .find(|&(i, c)| c as u32 == u32::from(quote) && (quote == b'`' || !escaped(body, i)))
            .map(|(i, _)| i);
        let Some(close) = close else { break };
        out.push_str(&rest[..=open]);
        // A value already cut by `excerpt` (its note makes it longer than MAX_ECHO) is left.
        let value = &body[..close];
        match value.char_indices().nth(MAX_ECHO + 32) {
            Some(_) => out.push_str(&excerpt(value)),
            None => out.push_str(value),
        }
        out.push(quote as char);
        rest = &body[close + 1..];
    }
    out.push_str(rest);
    match excerpt_to(&out, MAX_MESSAGE) {
        Cow::Borrowed(_) => Cow::Owned(out),
        Cow::Owned(cut) => Cow::Owned(cut),
    }
}

/// Whether the character at `at` follows an odd number of backslashes.
fn escaped(text: &str, at: usize) -> bool {
    text[..at].bytes().rev().take_while(|&b| b == b'\\').count() % 2 == 1
}

/// Whether printing `c` raw could change what a terminal or a CI log shows beyond the
/// character itself: control characters (C0, DEL, C1) move the cursor, colour the text or
/// start a new line — where a CI runner reads `::error …::` commands —; the Unicode line
/// and paragraph separators break lines too; bidirectional overrides and isolates reorder
/// what follows them, so a name can read as something else.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{200e}' | '\u{200f}' | '\u{061c}')
        || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// `text` on one line and safe to print in a terminal, a CI log or a Markdown table: line
/// feeds, carriage returns and tabs as `\n`, `\r`, `\t`, every other character of
/// [`is_unsafe`] as `\u{1b}`. Every field a text report prints goes through it.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_unsafe(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Escapes text for XML or HTML content and attributes (the JUnit and the HTML reports). The characters XML 1.0 cannot hold (C0
/// controls but tab, line feed and carriage return; U+FFFE, U+FFFF) become U+FFFD, so the
/// document still parses and the reader sees that something was there; the other control
/// characters are written as character references. Tab, line feed and carriage return stay:
/// the detail is several lines (one-line fields are already [`printable`]).
pub fn markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c if is_unsafe(c) => out.push_str(&format!("&#x{:x};", c as u32)),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_escapes_and_replaces_control_characters() {
        assert_eq!(markup("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;\u{FFFD}");
        assert_eq!(markup("\u{85}\u{202e}"), "&#x85;&#x202e;");
    }

    #[test]
    fn short_values_are_echoed_whole_and_long_ones_cut_with_their_length() {
        assert_eq!(excerpt("abc"), "abc");
        let long = "é".repeat(MAX_ECHO + 5);
        assert_eq!(excerpt(&long), format!("{}… ({} characters)", "é".repeat(MAX_ECHO), MAX_ECHO + 5));
    }

    #[test]
    fn regression_long_quoted_values_in_messages_are_cut() {
        let value = "x".repeat(1_500_000);
        let message = format!("invalid type: string \"{value}\", expected a number; see `{value}`");
        let short = shorten_quoted(&message);
        assert!(short.len() < 400, "{} bytes", short.len());
        assert!(short.starts_with("invalid type: string \"xxx"), "{short}");
        assert!(short.contains("… (1500000 characters)\", expected a number; see `"), "{short}");
        assert_eq!(shorten_quoted("a `short` message"), "a `short` message");
    }

    #[test]
    fn regression_printable_escapes_control_line_and_bidi_characters() {
        let header = "a\u{1b}[31m\n::error title=x::y";
        assert_eq!(printable(header), "a\\u{1b}[31m\\n::error title=x::y");
        assert_eq!(
            printable("\u{7f}\u{85}\u{9b}\u{2028}\u{202e}\u{2067}\r\t"),
            "\\u{7f}\\u{85}\\u{9b}\\u{2028}\\u{202e}\\u{2067}\\r\\t"
        );
        assert_eq!(printable("bill_length_mm é 😀"), "bill_length_mm é 😀");
    }

    #[test]
    fn percentages_keep_one_decimal() {
        assert_eq!(pct(2.0 / 344.0), "0.6%");
        assert_eq!(pct(0.25), "25%");
        assert_eq!(pct(0.0), "0%");
    }

    #[test]
    fn name_lists_are_cut_with_a_count() {
        assert_eq!(names(&["a", "b", "c"], 2), "`a`, `b` and 1 more");
        assert_eq!(names(&["a"], 5), "`a`");
    }
}
