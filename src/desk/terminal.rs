//! Text from outside (reports, replies, file names, the server's JSON) made safe
//! to print: every string passes through [`escape`] before it reaches the
//! terminal or a CSV, so a reporter cannot move the cursor, retitle the window,
//! fill the clipboard (OSC 52), hide lines or reorder them with bidi controls.

use std::borrow::Cow;

/// Whether `c` must never reach a terminal raw: C0 and C1 controls and DEL (the
/// start of every escape sequence; C1 arrives as UTF-8, U+0080..U+009F), the
/// bidi controls that reorder what is shown (`invoice<U+202E>gpj.exe`), and the
/// line and paragraph separators some terminals treat as a new line.
fn is_hostile(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{061C}'
                | '\u{2028}'
                | '\u{2029}'
        )
}

/// The one escaping function. Hostile characters are shown as `\u{1b}`. With
/// `indent`, a newline (or CRLF) is kept and the next line starts with
/// `indent`, for multi-line text such as a report or a reply; without it, a
/// newline is escaped too, so one value stays one line.
pub fn escape<'a>(s: &'a str, indent: Option<&str>) -> Cow<'a, str> {
    if !s.chars().any(is_hostile) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, indent) {
            ('\r', Some(_)) if chars.peek() == Some(&'\n') => {}
            ('\n', Some(indent)) => {
                out.push('\n');
                out.push_str(indent);
            }
            (c, _) if is_hostile(c) => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            (c, _) => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// One value on one line (a file name, a date, an answer).
pub fn line(s: &str) -> Cow<'_, str> {
    escape(s, None)
}

/// Multi-line text with every line indented by `indent`, so text from outside
/// cannot pass for the desk's own lines (`--- staff reply ---`, `!!! ... !!!`).
pub fn block(s: &str, indent: &str) -> String {
    format!("{indent}{}", escape(s, Some(indent)))
}

/// One CSV cell, quoted: escaped like [`line()`], and a leading `=`, `+`, `-` or
/// `@` prefixed with `'` so a spreadsheet does not run it as a formula.
pub fn csv_cell(s: &str) -> String {
    let safe = line(s);
    let guard = if safe.starts_with(['=', '+', '-', '@']) {
        "'"
    } else {
        ""
    };
    format!("\"{guard}{}\"", safe.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const BIDI: [char; 12] = [
        '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}',
        '\u{2068}', '\u{2069}', '\u{200E}', '\u{200F}', '\u{061C}',
    ];

    fn raw_hostile(s: &str) -> bool {
        s.chars().any(is_hostile)
    }

    #[test]
    fn escape_sequences_and_bidi_controls_are_shown_not_obeyed() {
        let hostile = "a\u{1b}[1A\u{1b}[2K\u{1b}]0;title\u{7}\u{9b}31m\u{7f}invoice\u{202E}gpj.exe";
        assert_eq!(
            line(hostile),
            "a\\u{1b}[1A\\u{1b}[2K\\u{1b}]0;title\\u{7}\\u{9b}31m\\u{7f}invoice\\u{202e}gpj.exe"
        );
        for c in BIDI {
            assert!(!raw_hostile(&line(&format!("x{c}y"))), "{:x}", u32::from(c));
        }
    }

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        assert!(matches!(line("Gewoon, met ümlaut 😢"), Cow::Borrowed(_)));
    }

    #[test]
    fn a_block_keeps_newlines_indented_and_a_line_escapes_them() {
        assert_eq!(
            block("een\r\ntwee\nd\rrie", "  "),
            "  een\n  twee\n  d\\u{d}rie"
        );
        assert_eq!(line("een\ntwee"), "een\\u{a}twee");
    }

    #[test]
    fn csv_cells_are_quoted_and_formula_starts_neutralised() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        for start in ["+1", "-1", "@SUM(A1)"] {
            assert!(csv_cell(start).starts_with("\"'"), "{start}");
        }
        assert_eq!(csv_cell("2026-11"), "\"2026-11\"");
        assert_eq!(csv_cell("a\u{1b}b"), "\"a\\u{1b}b\"");
    }

    proptest! {
        #[test]
        fn no_output_ever_holds_a_raw_control_or_bidi_character(s in "\\PC*|[\\x00-\\x{A0}\\x{200E}-\\x{206F}\\x{61C}a]{0,60}") {
            prop_assert!(!raw_hostile(&line(&s)));
            prop_assert!(!raw_hostile(&csv_cell(&s)));
            let b = block(&s, "    ");
            prop_assert!(!b.chars().any(|c| c != '\n' && is_hostile(c)));
        }

        #[test]
        fn text_without_hostile_characters_passes_unchanged(s in "\\PC*") {
            prop_assume!(!raw_hostile(&s));
            prop_assert_eq!(line(&s), s.as_str());
        }
    }
}
