//! The checks of each template on its own: syntax, unknown filters, tests and functions,
//! variables that do not exist, `ref(id=…)` and `sections[…]` naming no clause.

use std::collections::{BTreeMap, BTreeSet};

use super::shape::Miss;
use crate::diagnostic::{Diagnostic, Findings, Location, did_you_mean};
use crate::language::Localized;
use crate::library::scan::{self, PathUse, Segment};
use crate::project::Language;
use crate::render::{self, FILTERS, FUNCTIONS};

/// One Tera template of the library.
pub struct Template {
    /// Name for Tera.
    pub name: String,
    /// The file as shown in messages.
    pub file: String,
    /// The Tera text.
    pub body: String,
    /// Lines of the file before `body`.
    pub line_offset: usize,
    /// A clause (sees `clause` and `level`), the title block, or the coverage appendix.
    pub kind: TemplateKind,
}

/// What a template is, which decides the variables it sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemplateKind {
    Clause(Language),
    Title,
    Coverage,
}

/// Whether Tera (with annex's additions) knows a filter, test or function: found by compiling
/// a one-line template that uses it, so the answer is Tera's own.
#[derive(Default)]
pub struct Probes {
    known: BTreeMap<(char, String), bool>,
}

impl Probes {
    fn knows(&mut self, what: char, name: &str) -> bool {
        *self
            .known
            .entry((what, name.to_string()))
            .or_insert_with(|| {
                let probe = match what {
                    'f' => format!("{{{{ x | {name} }}}}"),
                    't' => format!("{{% if x is {name} %}}{{% endif %}}"),
                    _ => format!("{{{{ {name}() }}}}"),
                };
                render::engine().add_raw_template("probe", &probe).is_ok()
            })
    }
}

/// Tera's own filters, offered as suggestions (only those Tera confirms are offered).
const TERA_FILTERS: [&str; 36] = [
    "safe",
    "default",
    "upper",
    "lower",
    "wordcount",
    "escape",
    "escape_html",
    "escape_xml",
    "newlines_to_br",
    "pluralize",
    "trim",
    "trim_start",
    "trim_end",
    "replace",
    "capitalize",
    "title",
    "truncate",
    "indent",
    "str",
    "int",
    "float",
    "length",
    "reverse",
    "split",
    "abs",
    "round",
    "first",
    "last",
    "nth",
    "join",
    "sort",
    "unique",
    "get",
    "values",
    "keys",
    "pairs",
];

/// Line, column and text of the line at byte `offset` of a template, in the file's numbering.
fn locate(t: &Template, offset: usize) -> (Location, String) {
    let (line, column) = crate::diagnostic::line_column(&t.body, offset.min(t.body.len()));
    let text = t.body.lines().nth(line - 1).unwrap_or_default().to_string();
    (Location::at(&t.file, line + t.line_offset, column), text)
}

fn error_at(t: &Template, offset: usize, message: impl Into<Localized>) -> Diagnostic {
    let (location, line) = locate(t, offset);
    Diagnostic::error(Some(location), message).with_line_text(&line)
}

/// `a.b["c"][…]`.
fn show_path(path: &[Segment]) -> String {
    let mut s = String::new();
    for (i, seg) in path.iter().enumerate() {
        match seg {
            Segment::Field(n) if i == 0 => s.push_str(n),
            Segment::Field(n) => {
                s.push('.');
                s.push_str(n);
            }
            Segment::Key(k) => s.push_str(&format!("[\"{k}\"]")),
            Segment::Index => s.push_str("[…]"),
        }
    }
    s
}

/// Where the variables are listed.
fn variables_hint() -> Localized {
    Localized::new(
        "the variables are listed in the guide (README.md of the template library), section “Variables” / „Variablen“",
        "die Variablen sind in der Anleitung (README.md der Vorlagenbibliothek) im Abschnitt „Variablen“ aufgeführt",
    )
}

/// `; did you mean `s`?`, to append to a message.
fn did_you_mean_code(s: &str) -> Localized {
    crate::text!(en: "; did you mean `{s}`?", de: "; meinten Sie `{s}`?")
}

/// `; did you mean "s"?`, to append to a message about a clause id.
fn did_you_mean_id(s: &str) -> Localized {
    crate::text!(en: "; did you mean \"{s}\"?", de: "; meinten Sie \"{s}\"?")
}

pub fn static_check(
    t: &Template,
    shapes: Option<&super::shapes::Shapes>,
    clause_ids: &BTreeSet<String>,
    probes: &mut Probes,
) -> Vec<Diagnostic> {
    let mut tera = render::engine();
    let compiled = tera.add_raw_template(&t.name, &t.body);
    if let Err(e) = &compiled
        && matches!(e.kind(), tera::ErrorKind::SyntaxError(_))
    {
        let mut d = render::template_error(e, &t.file, t.line_offset, &t.body);
        if d.message.en().contains("unexpected end of input") {
            d.message = crate::text!(
                en: "the text ends inside an open block",
                de: "der Text endet in einem offenen Block",
            );
            d = d.hint(Localized::new(
                "every {% if … %} needs its {% endif %}, every {% for … %} its {% endfor %}, every {% raw %} its {% endraw %}: look for the one that is not closed",
                "jedes {% if … %} braucht sein {% endif %}, jedes {% for … %} sein {% endfor %}, jedes {% raw %} sein {% endraw %}: suchen Sie dasjenige, das nicht geschlossen ist",
            ));
        }
        return vec![d.hint(Localized::new(
            "see the guide (README.md of the template library) for the template syntax: {{ value }}, {% if … %}…{% endif %}, {% for x in list %}…{% endfor %}",
            "die Syntax der Vorlagen beschreibt die Anleitung (README.md der Vorlagenbibliothek): {{ value }}, {% if … %}…{% endif %}, {% for x in list %}…{% endfor %}",
        ))];
    }
    if let Some(d) = render::nested_range(&t.file, t.line_offset, &t.body) {
        return vec![d];
    }
    let Some(uses) = scan::scan(&t.body) else {
        return compiled
            .err()
            .map(|e| vec![render::template_error(&e, &t.file, t.line_offset, &t.body)])
            .unwrap_or_default();
    };
    // At most MAX_PER_FILE are built: a template of a megabyte can hold 100,000 mistakes.
    let mut errors = Findings::new();
    for (name, at) in &uses.filters {
        if probes.knows('f', name) {
            continue;
        }
        let candidates: Vec<&str> = FILTERS
            .iter()
            .chain(TERA_FILTERS.iter())
            .copied()
            .filter(|c| probes.knows('f', c))
            .collect();
        let mut message =
            crate::text!(en: "unknown filter `{name}`", de: "unbekannter Filter `{name}`");
        if let Some(s) = did_you_mean(name, candidates.iter().copied()) {
            message.push(&did_you_mean_code(s));
        }
        errors.push_with(|| {
            let filters = FILTERS.join(", ");
            error_at(t, *at, message).hint(crate::text!(
                en: "annex's filters are {filters}; Tera's own (such as `length`, `join`, `upper`) work too",
                de: "die Filter von annex sind {filters}; die eigenen Filter von Tera (etwa `length`, `join`, `upper`) funktionieren ebenfalls",
            ))
        });
    }
    for (name, at) in &uses.tests {
        if !probes.knows('t', name) {
            errors.push_with(||
                error_at(t, *at, crate::text!(
                    en: "unknown test `{name}` after `is`",
                    de: "unbekannter Test `{name}` nach `is`",
                ))
                .hint(crate::text!(
                    en: "tests are Tera's: `is defined`, `is undefined`, `is none`, `is string`, `is number`, …",
                    de: "die Tests sind die von Tera: `is defined`, `is undefined`, `is none`, `is string`, `is number`, …",
                )),
            );
        }
    }
    for (name, at) in &uses.functions {
        if probes.knows('g', name) {
            continue;
        }
        let mut message = crate::text!(
            en: "unknown function `{name}`",
            de: "unbekannte Funktion `{name}`",
        );
        if let Some(s) = did_you_mean(name, FUNCTIONS.iter().copied().chain(["range"])) {
            message.push(&did_you_mean_code(s));
        }
        errors.push_with(|| {
            error_at(t, *at, message).hint(crate::text!(
                en: "annex's only function is ref(id=\"clause-id\"), which gives \"§ n\" of a clause",
                de: "die einzige Funktion von annex ist ref(id=\"klausel-id\"); sie ergibt \"§ n\" einer Klausel",
            ))
        });
    }
    // Caught here, not only when an annex is rendered: a template with another mistake is not
    // rendered, and this one would show only after that one is fixed.
    if matches!(t.kind, TemplateKind::Clause(_)) {
        for (at, title) in render::numbered_heading_lines(&t.body) {
            errors.push_with(|| {
                error_at(t, at, render::own_number_message(&title)).hint(crate::text!(
                    en: "write subsections as `## Title` lines; annex numbers them and prints the clause heading itself",
                    de: "schreiben Sie Unterabschnitte als Zeilen `## Titel`; annex nummeriert sie und setzt die Überschrift der Klausel selbst",
                ))
            });
        }
    }
    for (id, at) in &uses.refs {
        if !clause_ids.contains(id) {
            let mut message = crate::text!(
                en: "ref(id=\"{id}\"): there is no clause with the id \"{id}\"",
                de: "ref(id=\"{id}\"): es gibt keine Klausel mit der ID \"{id}\"",
            );
            if let Some(s) = did_you_mean(id, clause_ids.iter().map(String::as_str)) {
                message.push(&did_you_mean_id(s));
            }
            errors.push_with(|| {
                error_at(t, at + 1, message).hint(crate::text!(
                    en: "ref takes a clause id, the `id` in the front matter of a clause file (not a topic id)",
                    de: "ref erwartet die ID einer Klausel, also das Feld `id` im Kopfbereich (front matter) einer Klauseldatei (nicht die ID eines Themas)",
                ))
            });
        }
    }
    if let Some(shapes) = shapes {
        let shape = match t.kind {
            TemplateKind::Clause(_) => &shapes.clause,
            TemplateKind::Title => &shapes.title,
            TemplateKind::Coverage => &shapes.coverage,
        };
        for p in uses.paths.iter().filter(|p| !p.tested) {
            if let Err(miss) = shape.check(&p.segments) {
                errors.push_with(|| missing_variable(t, p, &miss, shapes, t.kind));
            }
        }
    }
    if errors.is_empty()
        && let Err(e) = compiled
    {
        // Something Tera rejects that the checks above do not explain.
        errors.push_with(|| render::template_error(&e, &t.file, t.line_offset, &t.body));
    }
    errors.finish(std::path::Path::new(&t.file))
}

fn missing_variable(
    t: &Template,
    p: &PathUse,
    miss: &Miss,
    shapes: &super::shapes::Shapes,
    kind: TemplateKind,
) -> Diagnostic {
    let (before, rest) = p.segments.split_at(miss.index.min(p.segments.len()));
    let missing = rest.first();
    let upto: Vec<Segment> = before.iter().chain(missing).cloned().collect();
    let shown = show_path(&upto);
    let parent = show_path(before);
    let offset = p.offsets.get(miss.index).copied().unwrap_or_default();
    let name = match missing {
        Some(Segment::Field(n) | Segment::Key(n)) => n.clone(),
        Some(Segment::Index) | None => String::new(),
    };
    let suggestion = did_you_mean(&name, miss.candidates.iter().map(String::as_str)).map(|s| {
        let mut path = before.to_vec();
        path.push(match missing {
            Some(Segment::Key(_)) => Segment::Key(s.to_string()),
            _ => Segment::Field(s.to_string()),
        });
        show_path(&path)
    });
    let root = match p.segments.first() {
        Some(Segment::Field(r)) => r.as_str(),
        _ => "",
    };
    if root == "sections" && miss.index == 1 {
        let mut m = crate::text!(
            en: "there is no clause with the id \"{name}\", so `{shown}` is never set and the condition never holds",
            de: "es gibt keine Klausel mit der ID \"{name}\", daher ist `{shown}` nie gesetzt und die Bedingung trifft nie zu",
        );
        if let Some(s) = did_you_mean(&name, miss.candidates.iter().map(String::as_str)) {
            m.push(&did_you_mean_id(s));
        }
        error_at(t, offset, m).hint(crate::text!(
            en: "`sections` is keyed by clause id, the `id` in the front matter of a clause file (not a topic id)",
            de: "die Schlüssel von `sections` sind Klausel-IDs, also das Feld `id` im Kopfbereich (front matter) einer Klauseldatei (nicht die ID eines Themas)",
        ))
    } else if miss.index == 0 {
        let mut m = crate::text!(
            en: "unknown variable `{name}`",
            de: "unbekannte Variable `{name}`",
        );
        if let Some(s) = &suggestion {
            m.push(&did_you_mean_code(s));
        }
        let mut d = error_at(t, offset, m);
        if kind != TemplateKind::Coverage && name == "coverage" {
            d = d.hint(crate::text!(
                en: "`coverage` exists only in markdown/coverage.md",
                de: "`coverage` gibt es nur in markdown/coverage.md",
            ));
        } else if !matches!(kind, TemplateKind::Clause(_)) && (name == "clause" || name == "level")
        {
            d = d.hint(crate::text!(
                en: "`{name}` exists only in clause files",
                de: "`{name}` gibt es nur in Klauseldateien",
            ));
        }
        d.hint(variables_hint())
    } else if miss.list {
        error_at(
            t,
            offset,
            crate::text!(
                en: "`{parent}` is a list, so it has no field `{name}`",
                de: "`{parent}` ist eine Liste und hat daher kein Feld `{name}`",
            ),
        )
        .hint(crate::text!(
            en: "go through the list with {{% for x in {parent} %}}…{{{{ x }}}}…{{% endfor %}}, or print it with `| join_and`",
            de: "gehen Sie die Liste mit {{% for x in {parent} %}}…{{{{ x }}}}…{{% endfor %}} durch, oder geben Sie sie mit `| join_and` aus",
        ))
    } else if miss.candidates.is_empty() {
        error_at(
            t,
            offset,
            crate::text!(
                en: "`{parent}` is a single value, so it has no field `{name}`",
                de: "`{parent}` ist ein einzelner Wert und hat daher kein Feld `{name}`",
            ),
        )
        .hint(variables_hint())
    } else {
        let mut m = if shapes.project_roots.contains(root) {
            crate::text!(
                en: "the project format has no field `{shown}`",
                de: "das Projektformat hat kein Feld `{shown}`",
            )
        } else {
            crate::text!(
                en: "there is no variable `{shown}`",
                de: "es gibt keine Variable `{shown}`",
            )
        };
        if let Some(s) = &suggestion {
            m.push(&did_you_mean_code(s));
        }
        let has = miss.candidates.join(", ");
        error_at(t, offset, m).hint(crate::text!(
            en: "`{parent}` has: {has}",
            de: "`{parent}` hat: {has}",
        ))
    }
}
