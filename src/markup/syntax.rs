//! The syntax the writer emits: the Typst calls, identifiers and labels a body may hold, and
//! the check [`only_own_syntax`] that the tests and fuzz targets run on its output.

use typst::syntax::{SyntaxKind, SyntaxNode};

use super::writer::KEEP_LABEL;

/// The Typst functions the writer calls: a body contains no other call, rule or import
/// (checked by property tests here and in tests/injection.rs).
pub const CALLS: [&str; 21] = [
    "heading",
    "strong",
    "emph",
    "strike",
    "list",
    "enum",
    "table",
    "table.header",
    "footnote",
    "quote",
    "link",
    "raw",
    "line",
    "linebreak",
    "box",
    "highlight",
    "pagebreak",
    "block",
    "underline",
    "table.cell",
    "rgb",
];

/// Identifiers the writer emits besides [`CALLS`] (argument names and alignments).
const IDENTS: &[&str] = &[
    "header", "left", "center", "right", "level", "start", "columns", "align", "block", "lang",
    "length", "weak", "sticky", "auto", "fill",
];

/// Syntax the writer never emits: all its structure is function calls.
const FORBIDDEN: &[SyntaxKind] = &[
    SyntaxKind::Ref,
    SyntaxKind::Link,
    SyntaxKind::Raw,
    SyntaxKind::Equation,
    SyntaxKind::Heading,
    SyntaxKind::ListItem,
    SyntaxKind::EnumItem,
    SyntaxKind::TermItem,
    SyntaxKind::LineComment,
    SyntaxKind::BlockComment,
    SyntaxKind::Shorthand,
];

/// Checks that a parsed body holds only the writer's own syntax: its calls ([`CALLS`]), the
/// identifiers of their arguments, footnote and placeholder labels, and no markup shorthand,
/// reference, raw text, equation or comment. Used by the tests and the fuzz targets.
pub fn only_own_syntax(node: &SyntaxNode) -> Result<(), String> {
    let kind = node.kind();
    if FORBIDDEN.contains(&kind) {
        return Err(format!("{kind:?}: {node:?}"));
    }
    match kind {
        SyntaxKind::FuncCall => {
            let callee = node.children().next().map(SyntaxNode::full_text);
            if !callee.as_deref().is_some_and(|c| CALLS.contains(&c)) {
                return Err(format!("call of {callee:?}"));
            }
        }
        SyntaxKind::Ident => {
            let name = node.leaf_text().as_str();
            if !(CALLS.contains(&name) || IDENTS.contains(&name)) {
                return Err(format!("identifier {name:?}"));
            }
        }
        SyntaxKind::Label => {
            let text = node.leaf_text();
            let footnote = text
                .strip_prefix("<fn-")
                .and_then(|t| t.strip_suffix('>'))
                .is_some_and(|n| n.parse::<usize>().is_ok());
            if !footnote
                && text != "<annex-missing>"
                && text != "<annex-weaker>"
                && text != "<annex-ins>"
                && text != "<annex-del>"
                && text.as_str() != format!("<{KEEP_LABEL}>")
            {
                return Err(format!("label {text:?}"));
            }
        }
        _ => {}
    }
    let children: Vec<_> = node.children().collect();
    for (i, child) in children.iter().enumerate() {
        if child.kind() == SyntaxKind::Hash
            && children.get(i + 1).map(|n| n.kind()) != Some(SyntaxKind::FuncCall)
        {
            return Err(format!("`#` without a call in {node:?}"));
        }
        only_own_syntax(child)?;
    }
    Ok(())
}
