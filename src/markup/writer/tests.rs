//! Unit tests of the writer.

use crate::markup::testutil::{HOSTILE, cases};
use crate::markup::{TypstOptions, to_typst};
use proptest::prelude::*;
use typst::syntax::SyntaxNode;

fn typ(md: &str) -> String {
    to_typst(md, &TypstOptions::default())
}

#[test]
fn paragraphs_and_breaks() {
    assert_eq!(typ("a\nb\n\nc  \nd"), "a b\n\nc#linebreak()\nd\n");
    assert_eq!(typ(""), "");
}

#[test]
fn headings_are_plain_text_with_offset() {
    let o = TypstOptions { heading_offset: -1 };
    assert_eq!(
        to_typst("## Titel\n\nText", &o),
        "#heading(level: 1)[Titel]\n\nText\n"
    );
    assert_eq!(
        to_typst("# A\n### B", &o),
        "#heading(level: 1)[A]\n\n#heading(level: 2)[B]\n"
    );
    assert_eq!(
        typ("## A *b* `c` [d](http://x)"),
        "#heading(level: 2)[A b c d]\n"
    );
    assert_eq!(typ("# = x"), "#heading(level: 1)[\\= x]\n");
}

#[test]
fn inline_markup() {
    assert_eq!(
        typ("a **b** *c* ~~d~~"),
        "a #strong[b] #emph[c] #strike[d]\n"
    );
    assert_eq!(typ("**a**.b"), "#strong[a]\\.b\n");
    assert_eq!(typ("intra**wort**fett"), "intra#strong[wort]fett\n");
    assert_eq!(typ("`a\"b\\`"), "#raw(\"a\\\"b\\\\\")\n");
}

#[test]
fn lists() {
    let nested = "- a\n  1. x\n  2. y\n- b\n";
    assert_eq!(
        typ(nested),
        "#list(\n[a\n#enum(start: 1,\n[x],\n[y],\n)],\n[b],\n)\n"
    );
    assert_eq!(typ("- a\n\n  b\n- c\n"), "#list(\n[a\n\nb],\n[c],\n)\n");
    assert_eq!(typ("3. a\n4. b"), "#enum(start: 3,\n[a],\n[b],\n)\n");
    assert_eq!(typ("- [ ] a\n- [x] b"), "#list(\n[☐ a],\n[☒ b],\n)\n");
}

#[test]
fn lead_ins_stick_to_their_list_or_table_and_the_appendix_starts_a_page() {
    let out = typ("The Provider shall\n\n- a\n- b\n\nAfter\n");
    assert!(
        out.starts_with("#block(sticky: true)[The Provider shall]\n\n#list("),
        "{out}"
    );
    assert!(out.ends_with("\n\nAfter\n"), "{out}");
    let out = typ("Values\n\n| a |\n|---|\n| 1 |\n");
    assert!(out.starts_with("#block(sticky: true)[Values]"), "{out}");
    let out = typ("End\n\n\u{FDD4}\n\n## Appendix\n");
    assert!(out.contains("End\n\n#pagebreak(weak: true)"), "{out}");
    // Also when the appendix starts with a table (the token is no lead-in).
    let out = typ("End\n\n\u{FDD4}\n\n| a |\n|---|\n| 1 |\n");
    assert!(
        out.contains("#pagebreak(weak: true)") && !out.contains('\u{FDD4}'),
        "{out}"
    );
    // At the nesting limit a lead-in stays a plain paragraph, and the markup balances.
    let deep = format!("{}lead\n\n- item\n", "> ".repeat(40));
    crate::markup::only_own_syntax(&typst::syntax::parse(&typ(&deep))).unwrap();
    assert!(!typst::syntax::parse(&typ(&deep)).diagnosis().either());
    // Both are the writer's own syntax (project text never holds the page-break token:
    // reserved characters are removed from it).
    for doc in [
        "The Provider shall\n\n- a\n",
        "End.\n\n\u{FDD4}\n\n## Appendix\n",
    ] {
        let parsed = typst::syntax::parse(&typ(doc));
        crate::markup::only_own_syntax(&parsed).unwrap();
    }
}

#[test]
fn table_with_alignment_and_short_row() {
    let md = "| A | B | C | D |\n|:--|:-:|--:|---|\n| 1 | 2 |\n| `x` | **y** | z | w |\n";
    let want = "#table(columns: 4, align: (left, center, right, left,),\n\
                    table.header([A], [B], [C], [D],),\n\
                    [1], [2], [], [],\n\
                    [#raw(\"x\")], [#strong[y]], [z], [w],\n)<annex-keep>\n";
    assert_eq!(typ(md), want);
}

#[test]
fn long_texts_get_wide_columns_and_short_ones_their_content_width() {
    let reason = "a reason that runs on for quite a few words, longer than any name";
    let md =
        format!("| Figure | Value | Reason |\n|---|---|---|\n| Site distance | 12 | {reason} |\n");
    let out = typ(&md);
    assert!(
        out.starts_with("#table(columns: (auto, auto, 59fr,), align:"),
        "{out}"
    );
    crate::markup::only_own_syntax(&typst::syntax::parse(&out)).unwrap();
    // Short texts only: typst's own distribution, and kept on one page.
    let short = typ("| a | b |\n|---|---|\n| 1 | 2 |\n");
    assert!(short.starts_with("#table(columns: 2,"), "{short}");
    assert!(short.ends_with(")<annex-keep>\n"), "{short}");
    crate::markup::only_own_syntax(&typst::syntax::parse(&short)).unwrap();
    // Long tables may break across pages.
    let rows = "| x | y |\n".repeat(14);
    let long = typ(&format!("| a | b |\n|---|---|\n{rows}"));
    assert!(
        long.ends_with(")\n") && !long.contains("annex-keep"),
        "{long}"
    );
}

#[test]
fn footnotes_defined_after_use_and_referenced_twice() {
    let md = "A[^n] B[^N].\n\n[^n]: Note *x*.\n\n[^u]: unused\n";
    assert_eq!(
        typ(md),
        "A#footnote[Note #emph[x]\\.]<fn-1> B#footnote(<fn-1>)\\.\n"
    );
    // A footnote that references itself does not recurse.
    assert_eq!(
        typ("a[^s]\n\n[^s]: b[^s]\n"),
        "a#footnote[b\\[^s\\]]<fn-1>\n"
    );
}

#[test]
fn quote_code_and_rule() {
    assert_eq!(typ("> q\n>\n> r"), "#quote(block: true)[q\n\nr]\n");
    assert_eq!(
        typ("```rust x\nfn x() {}\n```"),
        "#raw(block: true, lang: \"rust\", \"fn x() {}\")\n"
    );
    assert_eq!(typ("    a\"\n    b"), "#raw(block: true, \"a\\\"\\nb\")\n");
    assert_eq!(typ("a\n\n---\n\nb"), "a\n\n#line(length: 100%)\n\nb\n");
}

/// Found by the markup fuzz target: 100 nested block quotes exceeded typst's parser depth.
#[test]
fn deep_nesting_stays_within_typsts_limits() {
    let chain: String = (0..100).map(|i| format!("[^{i}]\n\n[^{i}]: x")).collect();
    let docs = [
        format!("{}a", ">".repeat(300)),
        (0..150)
            .map(|i| format!("{}- a\n", "  ".repeat(i)))
            .collect(),
        (0..150)
            .map(|i| format!("{}1. a\n", "   ".repeat(i)))
            .collect(),
        format!("{}a{}", "*_".repeat(100), "_*".repeat(100)),
        format!(
            "{}| a | b |\n{}|---|---|\n{}| `c` | *d* [e](http://x) |",
            ">".repeat(40),
            ">".repeat(40),
            ">".repeat(40)
        ),
        format!("{}## h *i*\n", "> ".repeat(40)),
        format!("a{chain}"),
    ];
    for md in &docs {
        let out = to_typst(md, &TypstOptions::default());
        let root = typst::syntax::parse(&out);
        assert!(!root.diagnosis().either(), "{md:?}\n->\n{out}");
        crate::testing::fuzzing::markup(format!("\x01{md}").as_bytes());
    }
    // Shallow nesting is unchanged; the levels beyond the limit lose their calls, not their text.
    assert_eq!(
        typ("> > a"),
        "#quote(block: true)[#quote(block: true)[a]]\n"
    );
    assert!(to_typst(&docs[0], &TypstOptions::default()).ends_with("]]]\n"));
    assert!(to_typst(&docs[0], &TypstOptions::default()).contains("a"));
}

#[test]
fn links_only_for_safe_schemes() {
    assert_eq!(
        typ("[t](https://x.de/?a=\"b\")"),
        "#link(\"https://x.de/?a=\\\"b\\\"\")[t]\n"
    );
    assert_eq!(typ("<a@b.de>"), "#link(\"mailto:a@b.de\")[a\\@b\\.de]\n");
    assert_eq!(typ("[t](javascript:alert(1))"), "t\n");
    assert_eq!(typ("[t](/etc/passwd) [u](file:///x)"), "t u\n");
}

#[test]
fn html_and_images_are_text() {
    assert_eq!(typ("<b>x</b>"), "\\<b\\>x\\<\\/b\\>\n");
    assert_eq!(
        typ("<div>\n*x*\n</div>\n"),
        "\\<div\\> \\*x\\* \\<\\/div\\>\n"
    );
    assert_eq!(typ("![alt *t*](/etc/passwd)"), "alt t\n");
}

#[test]
fn placeholders_become_labelled_boxes() {
    let p = crate::markup::placeholder::encode("service_levels.storage_gb");
    assert_eq!(
        typ(&format!("Speicher: **{p}** GB")),
        "Speicher\\: #strong[#box[\\[service\\_levels\\.storage\\_gb\\]]<annex-missing>] GB\n"
    );
    assert_eq!(
        typ(&format!("| a |\n|---|\n|{p}|")),
        "#table(columns: 1, align: (left,),\ntable.header([a],),\n[#box[\\[service\\_levels\\.storage\\_gb\\]]<annex-missing>],\n)<annex-keep>\n"
    );
    // Headings and code take the label as text.
    assert_eq!(
        typ(&format!("## A {p}\n\n`x {p}`")),
        "#heading(level: 2)[A \\[service\\_levels\\.storage\\_gb\\]]\n\n#raw(\"x [service_levels.storage_gb]\")\n"
    );
    // Text that merely looks like a placeholder stays text.
    assert_eq!(
        typ("\\[service\\_levels.storage\\_gb\\]"),
        "\\[service\\_levels\\.storage\\_gb\\]\n"
    );
}

/// Markdown building blocks for the random documents.
#[rustfmt::skip]
    const SNIPPETS: &[&str] = &[
        "\n", "\n\n", "# ", "## ", "### ", "- ", "* ", "+ ", "1. ", "3) ", "  ", "    ", "> ",
        "- [ ] ", "- [x] ", "\n| a | b |\n|:--|--:|\n| c |\n", "| d | e | f |\n", "```rust\n",
        "```\n", "~~", "**", "*", "_", "[^1]", "[^2]", "\n[^1]: ", "\n[^2]: Note [^1]\n",
        "[link](http://example.com)", "[bad](javascript:alert(1))", "<mailto@x.de>",
        "<https://a.b/c?d=\"e\">", "<b>x</b>", "<div>\n", "![alt](/etc/passwd)", "`code`", "  \n",
        "\\\n", "---\n", "***", "Text", "Wort", "\n    ", "=\n", "-\n",
        "\u{FDD0}782e79\u{FDD1}", "\u{FDD0}", "\u{FDD1}", "\u{FDD0}5b5d2a23\u{FDD1}",
    ];

fn document() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        prop::sample::select(SNIPPETS),
        prop::sample::select(HOSTILE)
    ];
    prop::collection::vec(token, 0..60).prop_map(|v| v.concat())
}

fn check_node(node: &SyntaxNode) -> Result<(), TestCaseError> {
    crate::markup::only_own_syntax(node).map_err(TestCaseError::fail)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn random_documents_give_safe_typst(md in document(), offset in -2i8..2) {
        let out = to_typst(&md, &TypstOptions { heading_offset: offset });
        let root = typst::syntax::parse(&out);
        prop_assert!(!root.diagnosis().either(), "{:?}\n->\n{}\n{:?}", md, out, root.errors_and_warnings());
        check_node(&root)?;
    }
}
