//! Where annex meters the work of a template (see `render::budget`): the places to instrument,
//! found with the same tokenizer as the rest of the scan.

use super::lex::{self, KEYWORDS, Tok, blocks};

/// A place where annex meters the work of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Meter {
    /// The container of a `for` loop or a list comprehension: the byte range of its
    /// expression, and whether that has an operator outside brackets (a filter appended to it
    /// would bind to the last operand only).
    Loop(std::ops::Range<usize>, bool),
    /// The value a `set` or `set_global` stores, likewise.
    Set(std::ops::Range<usize>, bool),
    /// The expression of an output block `{{ … }}`, likewise.
    Output(std::ops::Range<usize>, bool),
    /// A `set` block that captures its body: the offset after its name and filters.
    Capture(usize),
    /// Where the body of a `for` loop starts, and how many bytes the body has: each
    /// iteration writes at most those and the values of its output blocks.
    Iteration(usize, usize),
    /// Where the body of a component or a `block` starts (each rendering is a step).
    Body(usize),
}

/// The places where annex meters the work of a template, in the order of the text. `None` if
/// the text does not lex.
pub fn meters(text: &str) -> Option<Vec<Meter>> {
    let mut out = Vec::new();
    // The open `for` loops: where each body starts, and its place in `out`.
    let mut loops: Vec<(usize, usize)> = Vec::new();
    for block in blocks(text)? {
        let end = expression_end(text, &block);
        let toks = &block.toks;
        let head = block.head();
        match head {
            "for" => {
                if let Some(i) = toks.iter().position(|(t, _)| *t == Tok::Ident("in".into()))
                    && let Some((_, start)) = toks.get(i + 1)
                {
                    let rest = toks.get(i + 1..).unwrap_or_default();
                    out.push(Meter::Loop(*start..end, compound(rest)));
                }
                let body = body_start(text, &block);
                loops.push((body, out.len()));
                out.push(Meter::Iteration(body, 0));
                // A list comprehension in the container is metered below.
            }
            "endfor" => {
                if let Some((body, at)) = loops.pop()
                    && let Some(Meter::Iteration(_, bytes)) = out.get_mut(at)
                {
                    *bytes = block.span.start.saturating_sub(body);
                }
                continue;
            }
            "set" | "set_global" => match toks.get(2) {
                Some((Tok::Punct("="), _)) => {
                    if let Some((_, start)) = toks.get(3) {
                        let rest = toks.get(3..).unwrap_or_default();
                        out.push(Meter::Set(*start..end, compound(rest)));
                    }
                }
                _ => out.push(Meter::Capture(end)),
            },
            "component" | "block" => {
                out.push(Meter::Body(body_start(text, &block)));
                continue;
            }
            "" if !block.tag => match toks.first() {
                // A component call (`{{<card …/>}}`) is no expression.
                Some((Tok::Punct("<" | "</"), _)) | None => {}
                Some((_, start)) => out.push(Meter::Output(*start..end, compound(toks))),
            },
            _ => {}
        }
        comprehensions(text, &block, end, &mut out);
    }
    Some(out)
}

/// The list comprehensions of a block: `[x for x in list]`, `[x for x in list if test]`.
fn comprehensions(text: &str, block: &lex::Block, end: usize, out: &mut Vec<Meter>) {
    let toks = &block.toks;
    for (i, (tok, _)) in toks.iter().enumerate() {
        if *tok != Tok::Ident("for".into()) || (i == 0 && block.tag) {
            continue;
        }
        let Some(k) = toks
            .iter()
            .skip(i)
            .position(|(t, _)| *t == Tok::Ident("in".into()))
        else {
            continue;
        };
        let from = i + k + 1;
        let mut depth = 0usize;
        let mut stop = None;
        for (j, (t, _)) in toks.iter().enumerate().skip(from) {
            match t {
                Tok::Punct("(" | "[" | "{") => depth += 1,
                Tok::Punct(")" | "]" | "}") if depth == 0 => {
                    stop = Some(j);
                    break;
                }
                Tok::Punct(")" | "]" | "}") => depth -= 1,
                Tok::Ident(w) if depth == 0 && w == "if" => {
                    stop = Some(j);
                    break;
                }
                _ => {}
            }
        }
        let (Some(stop), Some((_, start))) = (stop, toks.get(from)) else {
            continue;
        };
        let container = toks.get(from..stop).unwrap_or_default();
        let end = toks
            .get(stop)
            .map(|(_, at)| text.get(..*at).unwrap_or_default().trim_end().len())
            .unwrap_or(end);
        out.push(Meter::Loop(*start..end, compound(container)));
    }
}

/// Where the body after a tag starts: right after it, or after the white space that a `-%}`
/// trims (text put there changes nothing that is written).
fn body_start(text: &str, block: &lex::Block) -> usize {
    let close = block.span.end;
    if text.get(..close).is_some_and(|t| t.ends_with("-%}")) {
        let rest = text.get(close..).unwrap_or_default();
        close + (rest.len() - rest.trim_start().len())
    } else {
        close
    }
}

/// Where the expression of a block ends: before its closing `}}` / `%}` (and the `-` that
/// trims), less the white space before that.
fn expression_end(text: &str, block: &lex::Block) -> usize {
    let inner = text
        .get(..block.span.end.saturating_sub(2))
        .unwrap_or_default();
    let inner = inner.strip_suffix('-').unwrap_or(inner);
    inner.trim_end().len()
}

/// Whether tokens have an operator outside brackets (or a conditional expression).
fn compound(toks: &[(Tok, usize)]) -> bool {
    let mut depth = 0usize;
    toks.iter().any(|(t, _)| match t {
        Tok::Punct("(" | "[" | "{") => {
            depth += 1;
            false
        }
        Tok::Punct(")" | "]" | "}") => {
            depth = depth.saturating_sub(1);
            false
        }
        Tok::Punct(p) => depth == 0 && !matches!(*p, "." | "|" | "?." | "?[" | "," | ":" | "="),
        Tok::Ident(w) => {
            depth == 0
                && KEYWORDS.contains(&w.as_str())
                && !matches!(
                    w.as_str(),
                    "none" | "None" | "null" | "true" | "false" | "True" | "False"
                )
        }
        _ => false,
    })
}
