//! Text from a capture or a paste, made safe to show: on a terminal, and in Markdown.
//!
//! A SIP header can hold any byte but CR and LF, and a crafted one holds terminal escape
//! sequences (`ESC ]0;title BEL` retitles the window, `ESC [2J` clears it) or Markdown markup
//! (a link, an image, a backtick that ends a code span). What we print must show such bytes,
//! not obey them:
//! - [`terminal`]: control characters become visible escapes, as tshark prints them (`\x1b`,
//!   `\r`, `\x07`...); C1 controls (U+0080..U+009F, e.g. the one-byte CSI U+009B) and the
//!   Unicode bidirectional overrides (which reorder what the reader sees) become `\u{..}`.
//!   Line feeds and tabs are kept, so a whole report can be passed through it.
//! - [`md_text`]: [`terminal`] plus a backslash before every ASCII punctuation character that
//!   Markdown (CommonMark, GitHub) can read as markup, and `<`, `>`, `&` as entities, so no
//!   emphasis, link, image, autolink, HTML or table cell boundary comes from a value.
//! - [`md_code_span`] and [`md_code_block`]: literal text inside a fence longer than any run of
//!   backticks it holds (CommonMark 6.1 and 4.5), so a backtick cannot end it early.
//!
//! JSON output is never passed through these: it stays exact (serde escapes control
//! characters as `\u001b`, which is safe and lossless).
//!
//! Own code, not a crate: what is needed is small and exact (tshark's escape forms, CommonMark's
//! fence rule), and the crates found escape either for HTML or for shells.

use std::borrow::Cow;

/// Characters that must not reach a terminal as they are.
fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || is_bidi_control(c)
}

/// Unicode bidirectional formatting characters (UAX #9): they reorder how a line is displayed.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '\r' => out.push_str("\\r"),
        '\n' => out.push_str("\\n"),
        '\t' => out.push_str("\\t"),
        c if (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
        c => out.push_str(&format!("\\u{{{:04x}}}", c as u32)),
    }
}

/// A character a terminal shows two columns wide (CJK ideographs, kana, Hangul, full-width
/// forms): for aligning columns of Chinese text.
pub fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6)
}

/// The columns a terminal shows `s` in (a wide character takes two).
pub fn columns(s: &str) -> usize {
    s.chars().map(|c| 1 + usize::from(is_wide(c))).sum()
}

/// Text for a terminal: control characters escaped (`\x1b`), line feeds and tabs kept.
pub fn terminal(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if is_unsafe(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// One value on one line: like [`terminal`], and line feeds and tabs escaped too.
pub fn terminal_line(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| is_unsafe(c) || c == '\n' || c == '\t') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if is_unsafe(c) || c == '\n' || c == '\t' {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// ASCII punctuation that Markdown (CommonMark, GitHub) reads as inline markup anywhere in a
/// line: emphasis, code, links and images, tables, strikethrough, math, autolinks (`:` in
/// `http://`, `@` in an address), issue references (`#12`) and mentions (`@user`). CommonMark
/// 2.4 allows a backslash before any ASCII punctuation, and a backslash-escaped character
/// splits the text there, so `http\://` and `a\@b` are no longer autolinked.
const MD_INLINE: &[char] = &[
    '\\', '`', '*', '_', '{', '}', '[', ']', '(', ')', '!', '|', '~', ':', '@', '#', '$',
];

/// Text for Markdown prose (a heading, a paragraph, a list item): controls escaped, markup
/// characters backslash-escaped, `<` `>` `&` as entities, one line. A block marker at the
/// start (`-`, `+`, `=`, `1.`, `1)`) is escaped too, and the dot of `www.`.
pub fn md_text(s: &str) -> String {
    let line = terminal_line(s);
    let mut out = String::with_capacity(line.len() + 16);
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    for (i, c) in line.char_indices() {
        let at_start = i == 0 && matches!(c, '-' | '+' | '=');
        let list_number = i == digits && digits > 0 && matches!(c, '.' | ')');
        let www = c == '.'
            && out.len() >= 3
            && out.as_bytes()[out.len() - 3..].eq_ignore_ascii_case(b"www");
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            c if MD_INLINE.contains(&c) || at_start || list_number || www => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// The longest run of backticks in `s`.
fn longest_backtick_run(s: &str) -> usize {
    let (mut best, mut run) = (0, 0);
    for c in s.chars() {
        if c == '`' {
            run += 1;
            best = best.max(run);
        } else {
            run = 0;
        }
    }
    best
}

/// An inline code span holding `s` literally (controls escaped, one line): the fence is one
/// backtick longer than the longest run inside, and a space pads a value that starts or ends
/// with a backtick (CommonMark 6.1 strips one such space on each side).
pub fn md_code_span(s: &str) -> String {
    let v = terminal_line(s);
    if v.is_empty() {
        return "` `".into();
    }
    let fence = "`".repeat(longest_backtick_run(&v) + 1);
    let pad = if v.starts_with('`') || v.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{v}{pad}{fence}")
}

/// A fenced code block holding `s` literally (controls escaped, lines kept): the fence is at
/// least three backticks and longer than any run inside, so no line of `s` can close it.
pub fn md_code_block(s: &str) -> String {
    let v = terminal(s);
    let fence = "`".repeat((longest_backtick_run(&v) + 1).max(3));
    let nl = if v.ends_with('\n') || v.is_empty() {
        ""
    } else {
        "\n"
    };
    format!("{fence}\n{v}{nl}{fence}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str = "a\u{1b}]0;pwned\u{7}b\u{1b}[2Jc\rd\u{9b}e\u{202e}f";

    #[test]
    fn terminal_escapes_like_tshark() {
        assert_eq!(
            terminal(HOSTILE),
            "a\\x1b]0;pwned\\x07b\\x1b[2Jc\\rd\\u{009b}e\\u{202e}f"
        );
        assert!(matches!(
            terminal("plain 中文 tiếng\n\tx"),
            Cow::Borrowed(_)
        ));
        assert_eq!(terminal("l1\nl2\t"), "l1\nl2\t");
        assert_eq!(terminal_line("l1\nl2\t"), "l1\\nl2\\t");
        assert_eq!(terminal("\u{7f}\u{0}"), "\\x7f\\x00");
        assert!(!terminal(HOSTILE).chars().any(|c| c.is_control()));
    }

    #[test]
    fn markdown_text_has_no_live_markup() {
        let s = md_text("**bold** [x](http://e.com) ![i](y) `c` <b>&amp; | #h ~~s~~ \u{1b}[2J");
        assert_eq!(
            s,
            "\\*\\*bold\\*\\* \\[x\\]\\(http\\://e.com\\) \\!\\[i\\]\\(y\\) \\`c\\` &lt;b&gt;&amp;amp; \\| \\#h \\~\\~s\\~\\~ \\\\x1b\\[2J"
        );
        assert!(!s.contains('\u{1b}'));
        assert_eq!(md_text("a\nb"), "a\\\\nb");
        assert_eq!(md_text("- x"), "\\- x");
        assert_eq!(md_text("12. x"), "12\\. x");
        assert_eq!(md_text("a - b 1. c"), "a - b 1. c");
        assert_eq!(md_text("see WWW.evil.com"), "see WWW\\.evil.com");
        assert_eq!(md_text("1001@example.com"), "1001\\@example.com");
        // Found by the mutation test: a dot after multi-byte text (the Chinese report).
        assert_eq!(md_text("按.a"), "按.a");
        assert_eq!(md_text("(ở.)"), "\\(ở.\\)");
    }

    #[test]
    fn code_span_fence_is_longer_than_any_backtick_run() {
        assert_eq!(md_code_span("abc"), "`abc`");
        assert_eq!(md_code_span("a`b"), "``a`b``");
        assert_eq!(md_code_span("x``` y"), "````x``` y````");
        assert_eq!(md_code_span("`x"), "`` `x ``");
        assert_eq!(md_code_span(""), "` `");
        assert_eq!(md_code_span("\u{1b}[2J"), "`\\x1b[2J`");
    }

    #[test]
    fn code_block_cannot_be_closed_from_inside() {
        let b = md_code_block("line\n```\n# not a heading\n````x\n");
        assert!(b.starts_with("`````\n"), "{b}");
        assert!(b.ends_with("\n`````\n"));
        let inner: Vec<&str> = b.lines().collect();
        // No inner line is a fence as long as the outer one.
        assert!(
            inner[1..inner.len() - 1]
                .iter()
                .all(|l| !l.starts_with("`````"))
        );
        assert_eq!(md_code_block("x"), "```\nx\n```\n");
        assert_eq!(
            md_code_block("a\u{1b}]0;t\u{7}\n"),
            "```\na\\x1b]0;t\\x07\n```\n"
        );
    }
}
