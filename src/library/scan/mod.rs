//! A reading of the Tera expressions of a template (`{{ … }}` and `{% … %}`) for
//! `annex templates check`: which variables (as paths such as `service.description`), filters,
//! tests and functions it uses, and where.
//!
//! Tera 2.4 keeps its parser and syntax tree private (it only reports top-level variable names),
//! so this is a small tokenizer that follows Tera's lexical rules (delimiters with `-`
//! whitespace control, `{# #}` comments, `{% raw %}` blocks, the three string quotes, `?.`),
//! and a scan of each expression's tokens. It is only run on templates Tera has parsed without
//! a syntax error, and errs on the side of silence: whatever it does not understand (component
//! calls, bindings other than `for` and `set`) it does not report.

mod lex;
mod meters;
mod paths;

pub use meters::{Meter, meters};

use std::collections::BTreeSet;

use lex::{KEYWORDS, Tok, blocks};
use paths::{Binding, after, path_at, resolve, simple_path};

/// One segment of a variable path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// `.name`, or the first name of the path.
    Field(String),
    /// `["key"]`.
    Key(String),
    /// `[0]` or `[expression]`: some element.
    Index,
}

/// A variable the template reads: its path from a name of the context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathUse {
    /// The segments; the first is always a [`Segment::Field`].
    pub segments: Vec<Segment>,
    /// Byte offset of each segment in the template (of the name or the key string).
    pub offsets: Vec<usize>,
    /// Tested with `is defined` / `is undefined`: a missing value is intended.
    pub tested: bool,
}

/// What a template uses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Uses {
    /// Variables, with the loop variables of `for` resolved to their list (`x` in
    /// `for x in service.locations` becomes `service.locations[]`).
    pub paths: Vec<PathUse>,
    /// Filters, with the offset of their name.
    pub filters: Vec<(String, usize)>,
    /// Tests (`is name`).
    pub tests: Vec<(String, usize)>,
    /// Functions called.
    pub functions: Vec<(String, usize)>,
    /// The literal `id` of every `ref(id="…")`, with the offset of the string.
    pub refs: Vec<(String, usize)>,
}

/// The byte ranges of the output blocks (`{{ … }}`) whose expression reads one of `paths`
/// (dotted, e.g. `service_levels.resolution_hours.p1`) or a part of it. `None` if the text does
/// not lex.
pub fn outputs_reading(text: &str, paths: &[String]) -> Option<Vec<std::ops::Range<usize>>> {
    let mut spans = Vec::new();
    for block in blocks(text)?.into_iter().filter(|b| !b.tag) {
        // The dotted paths of the block: runs of `name (. name)*`.
        let mut dotted: Vec<String> = Vec::new();
        let mut current = String::new();
        let mut after_dot = false;
        for (tok, _) in &block.toks {
            match tok {
                Tok::Ident(n) if current.is_empty() || after_dot => {
                    if !current.is_empty() {
                        current.push('.');
                    }
                    current.push_str(n);
                    after_dot = false;
                }
                Tok::Punct(".") if !current.is_empty() => after_dot = true,
                _ => {
                    if !current.is_empty() {
                        dotted.push(std::mem::take(&mut current));
                    }
                    if let Tok::Ident(n) = tok {
                        current.push_str(n);
                    }
                    after_dot = false;
                }
            }
        }
        if !current.is_empty() {
            dotted.push(current);
        }
        let reads = dotted.iter().filter(|d| d.contains('.')).any(|d| {
            paths
                .iter()
                .any(|p| p == d || p.starts_with(&format!("{d}.")))
        });
        if reads {
            spans.push(block.span);
        }
    }
    Some(spans)
}

/// Reads the expressions of a template. `None` if it does not lex.
pub fn scan(text: &str) -> Option<Uses> {
    let mut uses = Uses::default();
    let mut loops: Vec<Vec<(String, Binding)>> = Vec::new();
    let mut globals: BTreeSet<String> = BTreeSet::new();
    for block in blocks(text)? {
        let toks = &block.toks;
        let head = block.head();
        match head {
            "for" => {
                let Some(in_at) = toks
                    .iter()
                    .position(|(t, _)| matches!(t, Tok::Ident(n) if n == "in"))
                else {
                    continue;
                };
                let names: Vec<String> = toks
                    .get(1..in_at)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|(t, _)| match t {
                        Tok::Ident(n) => Some(n.clone()),
                        _ => None,
                    })
                    .collect();
                let expr = after(toks, in_at + 1);
                expression(expr, &loops, &globals, &mut uses);
                // `for x in a.b` binds x to an element of a.b; anything else to anything.
                let list = simple_path(expr).and_then(|p| resolve(&p, &loops, &globals));
                let mut frame: Vec<(String, Binding)> = Vec::new();
                match (names.as_slice(), list) {
                    ([one], Some(mut path)) => {
                        path.push(Segment::Index);
                        frame.push((one.clone(), Binding::Element(path)));
                    }
                    _ => frame.extend(names.into_iter().map(|n| (n, Binding::Open))),
                }
                loops.push(frame);
            }
            "endfor" => {
                loops.pop();
            }
            "set" | "set_global" => {
                if let Some((Tok::Ident(name), _)) = toks.get(1) {
                    expression(after(toks, 2), &loops, &globals, &mut uses);
                    globals.insert(name.clone());
                }
            }
            "filter" => {
                if let Some((Tok::Ident(name), at)) = toks.get(1) {
                    uses.filters.push((name.clone(), *at));
                }
                expression(after(toks, 2), &loops, &globals, &mut uses);
            }
            "component" => {
                // `{% component name(a, @b = "x") %}`: the parameters are names in its body.
                let params = toks
                    .iter()
                    .skip(2)
                    .zip(toks.iter().skip(3))
                    .filter_map(|((t, _), (next, _))| match (t, next) {
                        (Tok::Ident(n), Tok::Punct("," | ")" | "=" | ":")) => {
                            Some((n.clone(), Binding::Open))
                        }
                        _ => None,
                    })
                    .collect();
                loops.push(params);
            }
            "endcomponent" => {
                loops.pop();
            }
            "if" | "elif" => expression(after(toks, 1), &loops, &globals, &mut uses),
            "" => match component_call(toks) {
                Some(values) => expression(&values, &loops, &globals, &mut uses),
                None => expression(toks, &loops, &globals, &mut uses),
            },
            // else, endif, endset, endfilter, break, continue, and what we do not follow
            // (include, block, component, …).
            _ => {}
        }
    }
    Some(uses)
}

/// The expressions of a component call (`{{<card title={x.name} n=1/>}}`, `{% <card …> %}`,
/// `{% </card> %}`): the tokens inside its `{…}` attribute values. `None` if the block is not
/// a component call.
fn component_call(toks: &[(Tok, usize)]) -> Option<Vec<(Tok, usize)>> {
    match toks.first() {
        Some((Tok::Punct("<" | "</"), _)) => {}
        _ => return None,
    }
    let mut out = Vec::new();
    let mut depth = 0usize;
    for tok in toks.iter().skip(2) {
        match &tok.0 {
            Tok::Punct("{") if depth == 0 => depth = 1,
            Tok::Punct("}") if depth == 1 => depth = 0,
            _ if depth > 0 => {
                match &tok.0 {
                    Tok::Punct("{") => depth += 1,
                    Tok::Punct("}") => depth -= 1,
                    _ => {}
                }
                out.push(tok.clone());
            }
            _ => {}
        }
    }
    Some(out)
}

/// The innermost block tag that is never closed (`if`, `for`, …), with the offset of its name,
/// for a template that Tera says ends inside an open block. `None` if every block is closed
/// or the text does not lex.
pub fn unclosed_block(text: &str) -> Option<(String, usize)> {
    const PAIRS: [(&str, &str); 7] = [
        ("if", "endif"),
        ("for", "endfor"),
        ("macro", "endmacro"),
        ("block", "endblock"),
        ("filter", "endfilter"),
        ("component", "endcomponent"),
        ("set", "endset"),
    ];
    let mut open: Vec<(&str, usize)> = Vec::new();
    for block in blocks(text)?.iter().filter(|b| b.tag) {
        let Some((Tok::Ident(head), at)) = block.toks.first() else {
            continue;
        };
        // `{% set x = … %}` is complete; only `{% set x %}…{% endset %}` opens a block.
        if head == "set" && block.toks.len() != 2 {
            continue;
        }
        if let Some((opener, _)) = PAIRS.iter().find(|(o, _)| o == head) {
            open.push((opener, *at));
        } else if let Some((opener, _)) = PAIRS.iter().find(|(_, c)| c == head)
            && open.last().is_some_and(|(o, _)| o == opener)
        {
            open.pop();
        }
    }
    open.pop().map(|(name, at)| (name.to_owned(), at))
}

/// The offset of `range` in a `for` loop over `range(…)` that sits inside another such loop.
pub fn nested_range_loop(text: &str) -> Option<usize> {
    // For each open `for`: whether it loops over `range`.
    let mut open: Vec<bool> = Vec::new();
    for block in blocks(text)?.iter().filter(|b| b.tag) {
        match block.toks.first() {
            Some((Tok::Ident(head), _)) if head == "for" => {
                let range = block
                    .toks
                    .iter()
                    .find(|(t, _)| matches!(t, Tok::Ident(n) if n == "range"));
                if let Some((_, at)) = range
                    && open.iter().any(|r| *r)
                {
                    return Some(*at);
                }
                open.push(range.is_some());
            }
            Some((Tok::Ident(head), _)) if head == "endfor" => {
                open.pop();
            }
            _ => {}
        }
    }
    None
}
/// Records the uses in the tokens of one expression (or tag arguments).
fn expression(
    toks: &[(Tok, usize)],
    loops: &[Vec<(String, Binding)>],
    globals: &BTreeSet<String>,
    uses: &mut Uses,
) {
    // Names bound by list comprehensions (`[x for x in list]`) stand for anything here.
    let mut locals: BTreeSet<&str> = BTreeSet::new();
    for w in toks.windows(2) {
        if let [(Tok::Ident(f), _), (Tok::Ident(n), _)] = w
            && f == "for"
        {
            locals.insert(n);
        }
    }
    for w in toks.windows(4) {
        if let [
            (Tok::Ident(f), _),
            (Tok::Ident(_), _),
            (Tok::Punct(","), _),
            (Tok::Ident(n), _),
        ] = w
            && f == "for"
        {
            locals.insert(n);
        }
    }
    let mut braces = 0usize;
    let mut i = 0;
    while let Some((tok, at)) = toks.get(i) {
        let before = |n: usize| i.checked_sub(n).and_then(|p| toks.get(p)).map(|t| &t.0);
        let (prev, prev2) = (before(1), before(2));
        match tok {
            Tok::Punct("{") => braces += 1,
            Tok::Punct("}") => braces = braces.saturating_sub(1),
            Tok::Ident(name) => {
                let next = toks.get(i + 1).map(|t| &t.0);
                let after_is = matches!(prev, Some(Tok::Ident(p)) if p == "is")
                    || (matches!(prev, Some(Tok::Ident(p)) if p == "not")
                        && matches!(prev2, Some(Tok::Ident(p)) if p == "is"));
                if matches!(prev, Some(Tok::Punct("." | "?."))) {
                    // A field: part of a path already recorded.
                } else if matches!(prev, Some(Tok::Punct("|"))) {
                    uses.filters.push((name.clone(), *at));
                } else if after_is {
                    uses.tests.push((name.clone(), *at));
                } else if KEYWORDS.contains(&name.as_str()) || locals.contains(name.as_str()) {
                } else if next == Some(&Tok::Punct("(")) {
                    uses.functions.push((name.clone(), *at));
                    if let (
                        "ref",
                        Some((Tok::Ident(k), _)),
                        Some((Tok::Punct("="), _)),
                        Some((Tok::Str(id), id_at)),
                    ) = (
                        name.as_str(),
                        toks.get(i + 2),
                        toks.get(i + 3),
                        toks.get(i + 4),
                    ) && k == "id"
                    {
                        uses.refs.push((id.clone(), *id_at));
                    }
                } else if next == Some(&Tok::Punct("="))
                    || (braces > 0 && next == Some(&Tok::Punct(":")))
                {
                    // A keyword argument or a map key.
                } else if let Some((segments, offsets, used)) = path_at(toks, i) {
                    let tested = matches!(toks.get(i + used), Some((Tok::Ident(k), _)) if k == "is")
                        && after(toks, i + used + 1).iter().take(2).any(
                            |(t, _)| matches!(t, Tok::Ident(n) if n == "defined" || n == "undefined"),
                        );
                    if let Some(resolved) = resolve(&segments, loops, globals) {
                        // A loop variable's own segments point to the loop's list: keep the
                        // offsets of the segments written here, aligned at the end.
                        let pad = resolved.len().saturating_sub(offsets.len());
                        let mut offs = vec![*at; pad];
                        offs.extend(offsets);
                        uses.paths.push(PathUse {
                            segments: resolved,
                            offsets: offs,
                            tested,
                        });
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests;
