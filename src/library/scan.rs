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

use std::collections::BTreeSet;

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

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Str(String),
    Num,
    Punct(&'static str),
}

/// Tera's operators and punctuation, longest first.
const PUNCTS: [&str; 31] = [
    "...", "//", "**", "==", "!=", ">=", "<=", "</", "?.", "?[", "+", "-", "*", "/", "%", "!", ".",
    ",", ":", "~", "|", "=", ">", "<", "(", ")", "[", "]", "{", "}", "@",
];

/// Words of Tera's expression syntax (`for` only appears in list comprehensions there).
const KEYWORDS: [&str; 15] = [
    "and", "or", "not", "in", "is", "if", "else", "for", "none", "None", "null", "true", "false",
    "True", "False",
];

/// One `{{ … }}` or `{% … %}` with its tokens.
struct Block {
    tag: bool,
    toks: Vec<(Tok, usize)>,
    /// Byte range of the block, delimiters included.
    span: std::ops::Range<usize>,
}

/// Splits a template into its expression blocks. `None` if the text does not lex (Tera
/// reports that as a syntax error).
fn blocks(text: &str) -> Option<Vec<Block>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(found) = text[i..].find('{') {
        let start = i + found;
        let kind = bytes.get(start + 1).copied();
        match kind {
            Some(b'#') => {
                let end = text[start + 2..].find("#}")?;
                i = start + 2 + end + 2;
            }
            Some(b'{') | Some(b'%') => {
                let tag = kind == Some(b'%');
                let mut j = start + 2;
                if bytes.get(j) == Some(&b'-') {
                    j += 1;
                }
                let (toks, end) = tokens(text, j, tag)?;
                if tag
                    && matches!(toks.first(), Some((Tok::Ident(n), _)) if n == "raw")
                    && toks.len() == 1
                {
                    // Skip to the `{% endraw %}`.
                    let mut k = end;
                    loop {
                        let next = k + text[k..].find("{%")?;
                        let mut m = next + 2;
                        if bytes.get(m) == Some(&b'-') {
                            m += 1;
                        }
                        let (t, e) = tokens(text, m, true)?;
                        k = e;
                        if matches!(t.first(), Some((Tok::Ident(n), _)) if n == "endraw") {
                            break;
                        }
                    }
                    i = k;
                    continue;
                }
                out.push(Block {
                    tag,
                    toks,
                    span: start..end,
                });
                i = end;
            }
            _ => i = start + 1,
        }
    }
    Some(out)
}

/// The tokens from `at` to the closing `}}` / `%}`, and the offset after it.
fn tokens(text: &str, mut at: usize, tag: bool) -> Option<(Vec<(Tok, usize)>, usize)> {
    let bytes = text.as_bytes();
    let close = if tag { "%}" } else { "}}" };
    let mut toks = Vec::new();
    loop {
        while bytes.get(at).is_some_and(|b| b.is_ascii_whitespace()) {
            at += 1;
        }
        let rest = text.get(at..)?;
        if rest.is_empty() {
            return None;
        }
        if rest.starts_with(close) {
            return Some((toks, at + 2));
        }
        if rest.strip_prefix('-').is_some_and(|r| r.starts_with(close)) {
            return Some((toks, at + 3));
        }
        let c = *bytes.get(at)?;
        if c == b'"' || c == b'\'' || c == b'`' {
            let mut k = at + 1;
            let mut value = String::new();
            loop {
                let ch = text.get(k..)?.chars().next()?;
                if ch == '\\' {
                    let next = text.get(k + 1..)?.chars().next()?;
                    value.push(match next {
                        'n' => '\n',
                        't' => '\t',
                        'r' => '\r',
                        other => other,
                    });
                    k += 1 + next.len_utf8();
                    continue;
                }
                if ch as u32 == u32::from(c) {
                    break;
                }
                value.push(ch);
                k += ch.len_utf8();
            }
            toks.push((Tok::Str(value), at));
            at = k + 1;
            continue;
        }
        if c.is_ascii_digit() {
            let len = rest
                .bytes()
                .take_while(|b| b.is_ascii_digit() || *b == b'.')
                .count();
            toks.push((Tok::Num, at));
            at += len;
            continue;
        }
        if c == b'_' || c.is_ascii_alphabetic() {
            let len = rest
                .bytes()
                .take_while(|b| *b == b'_' || b.is_ascii_alphanumeric())
                .count();
            toks.push((Tok::Ident(rest[..len].to_string()), at));
            at += len;
            continue;
        }
        let p = PUNCTS.iter().find(|p| rest.starts_with(**p))?;
        toks.push((Tok::Punct(p), at));
        at += p.len();
    }
}

/// What a name bound by a `for` loop stands for.
#[derive(Debug, Clone)]
enum Binding {
    /// An element of the list at this path.
    Element(Vec<Segment>),
    /// Anything (a key, a value of a map, an expression we do not follow).
    Open,
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
        let head = match toks.first() {
            Some((Tok::Ident(n), _)) if block.tag => n.as_str(),
            _ => "",
        };
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
            "if" | "elif" => expression(after(toks, 1), &loops, &globals, &mut uses),
            "" => expression(toks, &loops, &globals, &mut uses),
            // else, endif, endset, endfilter, break, continue, and what we do not follow
            // (include, block, component, …).
            _ => {}
        }
    }
    Some(uses)
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

/// `a.b["c"]` as segments, if the tokens are exactly a path.
fn simple_path(toks: &[(Tok, usize)]) -> Option<Vec<Segment>> {
    let (path, _, used) = path_at(toks, 0)?;
    (used == toks.len()).then_some(path)
}

/// The path starting at `toks[i]` (an identifier): segments, their offsets, tokens used.
/// The tokens from the `n`th on (none when there are fewer).
fn after<T>(toks: &[T], n: usize) -> &[T] {
    toks.get(n..).unwrap_or_default()
}

fn path_at(toks: &[(Tok, usize)], i: usize) -> Option<(Vec<Segment>, Vec<usize>, usize)> {
    let (Tok::Ident(first), at) = &toks.get(i)? else {
        return None;
    };
    let mut segments = vec![Segment::Field(first.clone())];
    let mut offsets = vec![*at];
    let mut j = i + 1;
    loop {
        match (toks.get(j), toks.get(j + 1), toks.get(j + 2)) {
            (Some((Tok::Punct("." | "?."), _)), Some((Tok::Ident(n), at)), _) => {
                segments.push(Segment::Field(n.clone()));
                offsets.push(*at);
                j += 2;
            }
            (
                Some((Tok::Punct("[" | "?["), _)),
                Some((Tok::Str(s), at)),
                Some((Tok::Punct("]"), _)),
            ) => {
                segments.push(Segment::Key(s.clone()));
                offsets.push(*at);
                j += 3;
            }
            (Some((Tok::Punct("[" | "?["), at)), _, _) => {
                // `[0]` or `[expr]`: an element; the expression itself is scanned separately.
                let mut depth = 0;
                let mut k = j;
                while let Some((t, _)) = toks.get(k) {
                    match t {
                        Tok::Punct("[" | "?[") => depth += 1,
                        Tok::Punct("]") => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    k += 1;
                }
                if toks.get(k).is_none() {
                    break;
                }
                segments.push(Segment::Index);
                offsets.push(*at);
                j = k + 1;
            }
            _ => break,
        }
    }
    Some((segments, offsets, j - i))
}

/// The path with its first name resolved against the loop variables; `None` for a name that
/// stands for anything (a `set` variable, `loop`, a key or value of a map).
fn resolve(
    path: &[Segment],
    loops: &[Vec<(String, Binding)>],
    globals: &BTreeSet<String>,
) -> Option<Vec<Segment>> {
    let Some(Segment::Field(first)) = path.first() else {
        return None;
    };
    for frame in loops.iter().rev() {
        if let Some((_, b)) = frame.iter().find(|(n, _)| n == first) {
            return match b {
                Binding::Element(list) => {
                    let mut p = list.clone();
                    p.extend(path.iter().skip(1).cloned());
                    Some(p)
                }
                Binding::Open => None,
            };
        }
    }
    if (first == "loop" && !loops.is_empty()) || globals.contains(first) {
        return None;
    }
    Some(path.to_vec())
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
mod tests {
    use super::*;

    #[test]
    fn a_range_loop_inside_a_range_loop_is_found() {
        let t = "{% for i in range(end=3) %}{% for x in list %}{% for j in range(end=3) %}";
        assert_eq!(nested_range_loop(t), Some(t.rfind("range").unwrap()));
        assert_eq!(
            nested_range_loop("{% for i in range(end=3) %}{% endfor %}{% for j in range(end=3) %}"),
            None
        );
        assert_eq!(
            nested_range_loop("{% for x in a %}{% for j in range(end=3) %}"),
            None
        );
    }

    #[test]
    fn the_innermost_unclosed_block_is_found() {
        fn open(t: &str) -> Option<(String, &str)> {
            unclosed_block(t).map(|(tag, at)| (tag, &t[at..at + 2]))
        }
        assert_eq!(open("{% if a %}x{% endif %}"), None);
        assert_eq!(
            open("{% if a %}{% for x in b %}{% endfor %}"),
            Some(("if".into(), "if"))
        );
        assert_eq!(
            unclosed_block("{% if a %}{% for x in b %}{{ x }}"),
            Some(("for".into(), 13))
        );
        // `set` with a value is complete; a block `set` needs `endset`.
        assert_eq!(open("{% set x = 1 %}{{ x }}"), None);
        assert_eq!(open("{% set x %}y"), Some(("set".into(), "se")));
        // Tags inside raw blocks and comments do not count.
        assert_eq!(open("{% raw %}{% if %}{% endraw %}{# {% for %} #}"), None);
    }

    fn paths(text: &str) -> Vec<String> {
        scan(text)
            .unwrap()
            .paths
            .iter()
            .map(|p| {
                p.segments
                    .iter()
                    .map(|s| match s {
                        Segment::Field(f) => format!(".{f}"),
                        Segment::Key(k) => format!("[{k:?}]"),
                        Segment::Index => "[]".into(),
                    })
                    .collect::<String>()
            })
            .collect()
    }

    #[test]
    fn finds_paths_filters_functions_and_refs() {
        let t = "A {{ service.description }} {# {{ nope }} #}\n{% if sections[\"audit-rights\"] and not x.y %}{{ ref(id=\"audit-rights\") }}{% endif %}\n{{ service_levels.rto_hours | hours }} {{ a | join(sep=\", \") }}{% raw %}{{ raw }}{% endraw %}";
        assert_eq!(
            paths(t),
            [
                ".service.description",
                ".sections[\"audit-rights\"]",
                ".x.y",
                ".service_levels.rto_hours",
                ".a"
            ]
        );
        let u = scan(t).unwrap();
        assert_eq!(
            u.filters.iter().map(|f| f.0.as_str()).collect::<Vec<_>>(),
            ["hours", "join"]
        );
        assert_eq!(u.functions[0].0, "ref");
        assert_eq!(u.refs[0].0, "audit-rights");
        assert_eq!(&t[u.refs[0].1..u.refs[0].1 + 1], "\"");
    }

    #[test]
    fn loop_variables_stand_for_elements() {
        let t = "{% for s in subcontractors -%}{{ s.name }}{% if not loop.last %}, {% endif %}{%- endfor %}{% set n = 3 %}{{ n }}{% for k, v in labels %}{{ k }}{% endfor %}{{ [x for x in a] }}";
        assert_eq!(
            paths(t),
            [".subcontractors", ".subcontractors[].name", ".labels", ".a"]
        );
    }
}
