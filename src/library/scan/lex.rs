//! The tokenizer: Tera's lexical rules, splitting a template into its expression blocks and
//! their tokens.

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
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
pub(super) const KEYWORDS: [&str; 15] = [
    "and", "or", "not", "in", "is", "if", "else", "for", "none", "None", "null", "true", "false",
    "True", "False",
];

/// One `{{ … }}` or `{% … %}` with its tokens.
pub(super) struct Block {
    pub(super) tag: bool,
    pub(super) toks: Vec<(Tok, usize)>,
    /// Byte range of the block, delimiters included.
    pub(super) span: std::ops::Range<usize>,
}

impl Block {
    /// The tag's name (`for`, `set`, `endfor`, …); empty for an output block.
    pub(super) fn head(&self) -> &str {
        match self.toks.first() {
            Some((Tok::Ident(head), _)) if self.tag => head.as_str(),
            _ => "",
        }
    }
}

/// Splits a template into its expression blocks. `None` if the text does not lex (Tera
/// reports that as a syntax error).
pub(super) fn blocks(text: &str) -> Option<Vec<Block>> {
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
                if tag && let Some(after) = skip_tag(text.get(start + 2..)?, "raw") {
                    // As Tera does: the body is not read at all, only searched for the first
                    // `{% endraw %}` (a body need not lex).
                    let mut k = start + 2 + after;
                    loop {
                        let next = k + text.get(k..)?.find("{%")? + 2;
                        if let Some(end) = skip_tag(text.get(next..)?, "endraw") {
                            k = next + end;
                            break;
                        }
                        k = next;
                    }
                    i = k;
                    continue;
                }
                let (toks, end) = tokens(text, j, tag)?;
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

/// The length of a tag `name` at the start of `rest` (what follows a `{%`): an optional `-`,
/// white space, the name, white space, an optional `-` and `%}`, as Tera's lexer reads
/// `raw` and `endraw`.
fn skip_tag(rest: &str, name: &str) -> Option<usize> {
    let tail = rest
        .strip_prefix('-')
        .unwrap_or(rest)
        .trim_start_matches(|c: char| c.is_ascii_whitespace());
    let tail = tail
        .strip_prefix(name)?
        .trim_start_matches(|c: char| c.is_ascii_whitespace());
    let tail = tail.strip_prefix('-').unwrap_or(tail).strip_prefix("%}")?;
    Some(rest.len() - tail.len())
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
