//! Shared test helpers: the proptest case count and the hostile alphabet.

use proptest::prelude::*;

/// Cases per property: `PROPTEST_CASES` if set, else 2000.
pub(crate) fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000)
}

/// Single characters and snippets that are special somewhere: Typst markup,
/// Markdown, Tera, comments, links, Unicode controls and marks.
#[rustfmt::skip]
pub(crate) const HOSTILE: &[&str] = &[
    "\\", "/", "[", "]", "(", ")", "{", "}", "~", "-", ".", "*", "_", ":", ";", "`", "$", "<", ">",
    "@", "#", "=", "+", "'", "\"", "!", "|", "&", "^", "%", ",", "?", " ", "  ", "    ", "\t",
    "\n", "\r", "\r\n", "\n\n", "\x0B", "\x0C", "\0", "\u{85}", "\u{2028}", "\u{2029}", "\u{a0}",
    "\u{202f}", "\u{3000}", "\u{202e}", "\u{2066}", "\u{301}", "\u{fe0f}", "http://", "https://",
    "//", "/*", "*/", "0", "1", "9", "1.", "2)", "123456789.", "a", "Z", "h", "x", "ä", "Ö", "ß",
    "€", "§", "„", "“", "#set page(width: 1pt)", "{{ x }}", "{% if %}", "---", "***", "===", ":--",
    "--", "...", "-?", "<b>", "&amp;", "&#35;", "[^1]", "![a](b)", "[x](y)", "<http://a.b>", "```",
    "~~~", "@ref", "<lbl>", "$x$", "\\u{41}", "fn-1", "1.234", "\u{fdd0}", "\u{fdd1}",
    "\u{fdef}", "[service_levels.storage_gb]", "<annex-missing>",
];

/// Random strings of up to 24 hostile tokens.
pub(crate) fn hostile_string() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(HOSTILE), 0..24).prop_map(|v| v.concat())
}
