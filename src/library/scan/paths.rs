//! Variable paths in the tokens: `a.b["c"]` read as segments, and their first name resolved
//! against the names bound by `for` loops.

use std::collections::BTreeSet;

use super::Segment;
use super::lex::Tok;

/// What a name bound by a `for` loop stands for.
#[derive(Debug, Clone)]
pub(super) enum Binding {
    /// An element of the list at this path.
    Element(Vec<Segment>),
    /// Anything (a key, a value of a map, an expression we do not follow).
    Open,
}

/// `a.b["c"]` as segments, if the tokens are exactly a path.
pub(super) fn simple_path(toks: &[(Tok, usize)]) -> Option<Vec<Segment>> {
    let (path, _, used) = path_at(toks, 0)?;
    (used == toks.len()).then_some(path)
}

/// The path starting at `toks[i]` (an identifier): segments, their offsets, tokens used.
/// The tokens from the `n`th on (none when there are fewer).
pub(super) fn after<T>(toks: &[T], n: usize) -> &[T] {
    toks.get(n..).unwrap_or_default()
}

pub(super) fn path_at(
    toks: &[(Tok, usize)],
    i: usize,
) -> Option<(Vec<Segment>, Vec<usize>, usize)> {
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
pub(super) fn resolve(
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
