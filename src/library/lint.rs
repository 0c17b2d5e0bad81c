//! `annex templates check`: checks a template library without a project and reports every
//! problem, each at its line of the user's file, with a hint.
//!
//! 1. The loader's checks (front matter, topic catalogue, defaults, locales, both languages).
//! 2. Each Tera template on its own: syntax, unknown filters, tests and functions, variables
//!    that do not exist (against the context the renderer builds for the example projects,
//!    completed by the project schema), `ref(id=…)` and `sections[…]` naming no clause.
//! 3. Topics of the catalogue without any clause.
//! 4. Every clause rendered for the example projects at every level in both languages, to
//!    catch what only shows at run time; each distinct error is reported once.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};
use serde_json::Value;
use tera::{Context, Tera};

use super::front_matter;
use super::scan::{self, PathUse, Segment};
use super::shape::Shape;
use super::{Clause, Files, Library};
use crate::diagnostic::{Diagnostic, Location, did_you_mean};
use crate::level::Level;
use crate::project::{Language, ProjectSource};
use crate::render::{self, FILTERS, FUNCTIONS};

static EXAMPLES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/fixtures/examples");

/// Where the example projects are said to live in messages.
const EXAMPLES_PREFIX: &str = "fixtures/examples";

/// The result of a check.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Every problem, in file order.
    pub diagnostics: Vec<Diagnostic>,
    /// Clause files checked.
    pub clause_files: usize,
    /// Topics of the catalogue.
    pub topics: usize,
    /// Example project variants (project × level × language) rendered.
    pub variants: usize,
    /// Clause renders done.
    pub renders: usize,
    /// Example projects rendered.
    pub examples: usize,
}

impl Report {
    /// Whether no problem was found.
    pub fn is_clean(&self) -> bool {
        self.diagnostics.is_empty()
    }

    /// The last line of the output.
    pub fn summary(&self, library: &str) -> String {
        if self.is_clean() {
            format!(
                "{library}: ok: {} clause files, {} topics; {} clause renders with {} example projects at 3 levels in 2 languages, no problems",
                self.clause_files, self.topics, self.renders, self.examples
            )
        } else {
            let n = self.diagnostics.len();
            format!(
                "{library}: {n} {} found",
                if n == 1 { "problem" } else { "problems" }
            )
        }
    }
}

/// One Tera template of the library.
struct Template {
    /// Name for Tera.
    name: String,
    /// The file as shown in messages.
    file: String,
    /// The Tera text.
    body: String,
    /// Lines of the file before `body`.
    line_offset: usize,
    /// A clause (sees `clause` and `level`), the title block, or the coverage appendix.
    kind: Kind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Clause(Language),
    Title,
    Coverage,
}

/// Checks the library: the built-in one with `dir` laid over it, or the built-in one alone.
pub fn check(dir: Option<&Path>) -> Report {
    let mut report = Report::default();
    let files = match Files::load(dir) {
        Ok(f) => f,
        Err(e) => {
            report.diagnostics = e;
            return report;
        }
    };
    let library = match Library::from_files(&files.files) {
        Ok(l) => Some(l),
        Err(errors) => {
            report.diagnostics.extend(errors);
            None
        }
    };

    // The templates, whether or not the whole library loads.
    let mut templates = Vec::new();
    let mut clause_ids = BTreeSet::new();
    let mut clause_topics = BTreeSet::new();
    for (rel, file) in &files.files {
        if rel.starts_with("clauses/") && rel.ends_with(".md") {
            report.clause_files += 1;
            if let Ok(s) = front_matter::split(&file.shown_as, &file.text) {
                clause_ids.insert(s.meta.id.clone());
                clause_topics.insert(s.meta.topic.clone());
                templates.push(Template {
                    name: format!("{}.md", file.shown_as),
                    file: file.shown_as.clone(),
                    body: s.body.to_string(),
                    line_offset: s.body_line_offset,
                    kind: Kind::Clause(s.meta.language),
                });
            }
        }
    }
    for (rel, kind) in [
        ("markdown/title.md", Kind::Title),
        ("markdown/coverage.md", Kind::Coverage),
    ] {
        if let Some(f) = files.files.get(rel) {
            templates.push(Template {
                name: f.shown_as.clone(),
                file: f.shown_as.clone(),
                body: f.text.clone(),
                line_offset: 0,
                kind,
            });
        }
    }

    // The variables: what the renderer builds for the examples, completed by the schema.
    let shape_library = library.clone().or_else(|| Library::builtin().ok());
    let variants = shape_library.as_ref().map(variants).unwrap_or_default();
    let shapes = shape_library
        .as_ref()
        .map(|l| shapes(l, &variants, &clause_ids));

    // Static checks of each template.
    let mut probes = Probes::default();
    let mut sound = BTreeSet::new();
    for t in &templates {
        let errors = static_check(t, shapes.as_ref(), &clause_ids, &mut probes);
        if errors.is_empty() {
            sound.insert(t.name.clone());
        }
        report.diagnostics.extend(errors);
    }

    // Topics without clauses.
    if let Some(topics) = files.files.get("topics.toml")
        && let Ok(catalogue) = super::catalogue::parse_topics(&topics.text)
    {
        report.topics = catalogue.len();
        for topic in &catalogue {
            if !clause_topics.contains(&topic.id) {
                let (location, line) = id_location(&topics.shown_as, &topics.text, &topic.id);
                report.diagnostics.push(
                    Diagnostic::error(
                        Some(location),
                        format!("topic \"{}\" has no clause", topic.id),
                    )
                    .with_line_text(&line)
                    .hint(format!("write a clause with `topic = \"{}\"` in clauses/de/ and clauses/en/, or remove the topic from topics.toml", topic.id)),
                );
            }
        }
    }

    // Render every sound template with the examples.
    if let Some(library) = &library {
        let own = if dir.is_some() {
            self::variants(library)
        } else {
            variants
        };
        report.variants = own.len();
        report.examples = own.iter().map(|v| &v.path).collect::<BTreeSet<_>>().len();
        let (errors, renders) = render_all(library, &templates, &sound, &own);
        report.renders = renders;
        report.diagnostics.extend(errors);
    }

    // Each problem once, in the order of the files.
    let mut seen = BTreeSet::new();
    report.diagnostics.retain(|d| seen.insert(d.to_string()));
    report.diagnostics.sort_by(|a, b| {
        let key = |d: &Diagnostic| {
            d.location
                .as_ref()
                .map(|l| (false, l.file.clone(), l.line, l.column))
                .unwrap_or((true, PathBuf::new(), None, None))
        };
        key(a).cmp(&key(b))
    });
    report
}

/// The line of `id = "<id>"` in the topic catalogue.
fn id_location(file: &str, text: &str, id: &str) -> (Location, String) {
    let wanted = format!("\"{id}\"");
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_start();
        if t.strip_prefix("id")
            .map(str::trim_start)
            .and_then(|r| r.strip_prefix('='))
            .is_some_and(|r| r.trim() == wanted)
        {
            let column = line.chars().count() - t.chars().count() + 1;
            return (Location::at(file, i + 1, column), line.to_string());
        }
    }
    (Location::file(file), String::new())
}

/// One example project at one level in one language, prepared up to the Markdown.
struct Variant {
    /// "fixtures/examples/x.json at level high in English".
    label: String,
    /// The example's file, as shown.
    path: PathBuf,
    language: Language,
    project: crate::project::Project,
    resolved: crate::service_levels::Resolved,
}

/// The example projects with all three basic values at each level, in each language; the
/// variants the library cannot prepare (e.g. a project figure that contradicts a level's
/// default) are left out: they say nothing about the templates.
fn variants(library: &Library) -> Vec<Variant> {
    let mut examples: Vec<_> = EXAMPLES
        .files()
        .filter(|f| f.path().extension().is_some_and(|x| x == "json"))
        .collect();
    examples.sort_by_key(|f| f.path().to_path_buf());
    let mut out = Vec::new();
    for file in examples {
        let Some(Ok(mut value)) = file.contents_utf8().map(serde_json::from_str::<Value>) else {
            continue;
        };
        let path = PathBuf::from(EXAMPLES_PREFIX).join(file.path());
        // The example's own figures suit its own levels and may contradict another level's
        // defaults: every level takes its defaults, but for the capacity figures, which have
        // none.
        if let Some(object) = value.as_object_mut() {
            object.remove("security_concept");
            object.remove("term");
            object.remove("accepted_deviations");
            if let Some(Value::Object(levels)) = object.get_mut("service_levels") {
                levels.retain(|k, _| ["compute", "storage_gb", "staff_min"].contains(&k.as_str()));
            }
        }
        for level in [Level::Normal, Level::High, Level::VeryHigh] {
            for language in [Language::De, Language::En] {
                for key in ["confidentiality", "integrity", "availability"] {
                    set(
                        &mut value,
                        &["protection", key],
                        Value::from(level.as_str()),
                    );
                }
                set(
                    &mut value,
                    &["annex", "language"],
                    Value::from(language.code()),
                );
                let source = ProjectSource {
                    path: path.clone(),
                    text: value.to_string(),
                };
                let Ok(project) = crate::project::parse(&source) else {
                    continue;
                };
                if !crate::project::check(&project, &source).is_empty() {
                    continue;
                }
                let Ok(resolved) = library.defaults.resolve(&project, &source) else {
                    continue;
                };
                let language_name = match language {
                    Language::De => "German",
                    Language::En => "English",
                };
                out.push(Variant {
                    label: format!(
                        "{} with every protection level \"{level}\", in {language_name}",
                        path.display()
                    ),
                    path: path.clone(),
                    language,
                    project,
                    resolved,
                });
            }
        }
    }
    out
}

/// Sets the member at `path` of a JSON object, creating the objects on the way; leaves a value
/// that is not an object where one is needed as it is.
fn set(value: &mut Value, path: &[&str], to: Value) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut at = value;
    for key in parents {
        let Some(next) = at.as_object_mut().map(|o| {
            o.entry(*key)
                .or_insert_with(|| Value::Object(serde_json::Map::new()))
        }) else {
            return;
        };
        at = next;
    }
    if let Some(object) = at.as_object_mut() {
        object.insert((*last).to_owned(), to);
    }
}

/// The variables each kind of template sees.
struct Shapes {
    clause: Shape,
    title: Shape,
    coverage: Shape,
    /// The top-level names that come from the project file.
    project_roots: BTreeSet<String>,
}

/// The clauses an example variant selects and the template context of its annex.
fn selected<'l>(
    library: &'l Library,
    v: &Variant,
) -> Option<(crate::select::Selection<'l>, Value)> {
    let source = ProjectSource {
        path: PathBuf::new(),
        text: String::new(),
    };
    let selection = crate::select::select(library, &v.project, &source).ok()?;
    let ctx = render::context::base(library, &v.project, &v.resolved, &selection, false);
    Some((selection, ctx))
}

fn shapes(library: &Library, variants: &[Variant], clause_ids: &BTreeSet<String>) -> Shapes {
    let mut base = Shape::Open;
    let mut scope = Shape::Open;
    for v in variants {
        let Some((selection, ctx)) = selected(library, v) else {
            continue;
        };
        base = base.merge(Shape::of_value(&ctx));
        for s in &selection.sections {
            let vars: serde_json::Map<String, Value> =
                render::context::clause_scope(s.clause, s.number, s.level)
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v))
                    .collect();
            scope = scope.merge(Shape::of_value(&Value::Object(vars)));
        }
    }
    let schema =
        serde_json::to_value(schemars::schema_for!(crate::project::Project)).unwrap_or(Value::Null);
    let project_roots = schema
        .get("properties")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    base.fill(&Shape::of_schema(&schema, &schema));
    // `sections` has one entry per clause of the annex: any clause id of the library.
    base.set(
        "sections",
        Shape::Object(
            clause_ids
                .iter()
                .map(|id| (id.clone(), Shape::Leaf))
                .collect(),
        ),
    );
    let mut clause = base.clone();
    if let Shape::Object(vars) = scope {
        for (k, v) in vars {
            clause.set(&k, v);
        }
    }
    let mut coverage = base.clone();
    // The rows of the matrix differ by status (`sections`, `reasons`, `needs`), and the
    // examples need not show every status: the appendix's data is not checked field by field.
    coverage.set("coverage", Shape::Open);
    Shapes {
        clause,
        title: base,
        coverage,
        project_roots,
    }
}

/// Whether Tera (with annex's additions) knows a filter, test or function: found by compiling
/// a one-line template that uses it, so the answer is Tera's own.
#[derive(Default)]
struct Probes {
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

fn error_at(t: &Template, offset: usize, message: String) -> Diagnostic {
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

const VARIABLES_HINT: &str =
    "the variables are listed in templates/README.md, section “Variables” / „Variablen“";

fn static_check(
    t: &Template,
    shapes: Option<&Shapes>,
    clause_ids: &BTreeSet<String>,
    probes: &mut Probes,
) -> Vec<Diagnostic> {
    let mut tera = render::engine();
    let compiled = tera.add_raw_template(&t.name, &t.body);
    if let Err(e) = &compiled
        && matches!(e.kind(), tera::ErrorKind::SyntaxError(_))
    {
        let mut d = render::template_error(e, &t.file, t.line_offset, &t.body);
        if d.message.contains("unexpected end of input") {
            d.message = "the text ends inside an open block".to_owned();
            d = d.hint("every {% if … %} needs its {% endif %}, every {% for … %} its {% endfor %}, every {% raw %} its {% endraw %}: look for the one that is not closed");
        }
        return vec![d.hint("see templates/README.md for the template syntax: {{ value }}, {% if … %}…{% endif %}, {% for x in list %}…{% endfor %}")];
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
    let mut errors = Vec::new();
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
        let mut message = format!("unknown filter `{name}`");
        if let Some(s) = did_you_mean(name, candidates.iter().copied()) {
            message.push_str(&format!("; did you mean `{s}`?"));
        }
        errors.push(error_at(t, *at, message).hint(format!(
            "annex's filters are {}; Tera's own (such as `length`, `join`, `upper`) work too",
            FILTERS.join(", ")
        )));
    }
    for (name, at) in &uses.tests {
        if !probes.knows('t', name) {
            errors.push(
                error_at(t, *at, format!("unknown test `{name}` after `is`")).hint(
                    "tests are Tera's: `is defined`, `is undefined`, `is none`, `is string`, `is number`, …",
                ),
            );
        }
    }
    for (name, at) in &uses.functions {
        if probes.knows('g', name) {
            continue;
        }
        let mut message = format!("unknown function `{name}`");
        if let Some(s) = did_you_mean(name, FUNCTIONS.iter().copied().chain(["range"])) {
            message.push_str(&format!("; did you mean `{s}`?"));
        }
        errors.push(error_at(t, *at, message).hint(
            "annex's only function is ref(id=\"clause-id\"), which gives \"§ n\" of a clause",
        ));
    }
    for (id, at) in &uses.refs {
        if !clause_ids.contains(id) {
            let mut message = format!("ref(id=\"{id}\"): there is no clause with the id \"{id}\"");
            if let Some(s) = did_you_mean(id, clause_ids.iter().map(String::as_str)) {
                message.push_str(&format!("; did you mean \"{s}\"?"));
            }
            errors.push(error_at(t, at + 1, message).hint(
                "ref takes a clause id, the `id` in the front matter of a clause file (not a topic id)",
            ));
        }
    }
    if let Some(shapes) = shapes {
        let shape = match t.kind {
            Kind::Clause(_) => &shapes.clause,
            Kind::Title => &shapes.title,
            Kind::Coverage => &shapes.coverage,
        };
        for p in uses.paths.iter().filter(|p| !p.tested) {
            if let Err(miss) = shape.check(&p.segments) {
                errors.push(missing_variable(t, p, &miss, shapes, t.kind));
            }
        }
    }
    if errors.is_empty()
        && let Err(e) = compiled
    {
        // Something Tera rejects that the checks above do not explain.
        errors.push(render::template_error(&e, &t.file, t.line_offset, &t.body));
    }
    errors
}

fn missing_variable(
    t: &Template,
    p: &PathUse,
    miss: &super::shape::Miss,
    shapes: &Shapes,
    kind: Kind,
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
        let mut m = format!(
            "there is no clause with the id \"{name}\", so `{shown}` is never set and the condition never holds"
        );
        if let Some(s) = did_you_mean(&name, miss.candidates.iter().map(String::as_str)) {
            m.push_str(&format!("; did you mean \"{s}\"?"));
        }
        error_at(t, offset, m)
            .hint("`sections` is keyed by clause id, the `id` in the front matter of a clause file (not a topic id)")
    } else if miss.index == 0 {
        let mut m = format!("unknown variable `{name}`");
        if let Some(s) = &suggestion {
            m.push_str(&format!("; did you mean `{s}`?"));
        }
        let mut d = error_at(t, offset, m);
        if kind != Kind::Coverage && name == "coverage" {
            d = d.hint("`coverage` exists only in markdown/coverage.md");
        } else if !matches!(kind, Kind::Clause(_)) && (name == "clause" || name == "level") {
            d = d.hint(format!("`{name}` exists only in clause files"));
        }
        d.hint(VARIABLES_HINT)
    } else if miss.list {
        error_at(
            t,
            offset,
            format!("`{parent}` is a list, so it has no field `{name}`"),
        )
        .hint(format!(
            "go through the list with {{% for x in {parent} %}}…{{{{ x }}}}…{{% endfor %}}, or print it with `| join_and`"
        ))
    } else if miss.candidates.is_empty() {
        error_at(
            t,
            offset,
            format!("`{parent}` is a single value, so it has no field `{name}`"),
        )
        .hint(VARIABLES_HINT)
    } else {
        let what = if shapes.project_roots.contains(root) {
            "the project format has no field"
        } else {
            "there is no variable"
        };
        let mut m = format!("{what} `{shown}`");
        if let Some(s) = &suggestion {
            m.push_str(&format!("; did you mean `{s}`?"));
        }
        error_at(t, offset, m).hint(format!("`{parent}` has: {}", miss.candidates.join(", ")))
    }
}

/// Renders the title block, each selected clause and the appendix for every variant, then the
/// clause variants no example selects with every variant of their language. Returns the
/// distinct errors and the number of clause renders.
fn render_all(
    library: &Library,
    templates: &[Template],
    sound: &BTreeSet<String>,
    variants: &[Variant],
) -> (Vec<Diagnostic>, usize) {
    let mut tera = render::engine();
    let mut ready: BTreeSet<&str> = BTreeSet::new();
    for t in templates.iter().filter(|t| sound.contains(&t.name)) {
        if tera.add_raw_template(&t.name, &t.body).is_ok() {
            ready.insert(&t.name);
        }
    }
    let by_file: BTreeMap<&str, &Template> =
        templates.iter().map(|t| (t.file.as_str(), t)).collect();
    let mut errors: Vec<Diagnostic> = Vec::new();
    let mut seen = BTreeSet::new();
    let mut renders = 0;
    let mut rendered: BTreeSet<&str> = BTreeSet::new();
    let mut contexts = Vec::new();
    let mut run =
        |tera: &Tera, t: &Template, ctx: &Context, label: &str, errors: &mut Vec<Diagnostic>| {
            match render::render_bounded(tera, &t.name, ctx) {
                Ok(_) => {}
                Err(render::Bounds::TooLong) => {
                    let d = render::too_long(&t.file);
                    if seen.insert(d.to_string()) {
                        errors.push(d.hint(format!("found when rendering {label}")));
                    }
                }
                Err(render::Bounds::Error(e)) => {
                    let d = render::template_error(&e, &t.file, t.line_offset, &t.body);
                    if seen.insert(d.to_string()) {
                        let d = explain_undefined(d);
                        errors.push(d.hint(format!("found when rendering {label}")));
                    }
                }
            }
        };
    let template = |file: &str| {
        by_file
            .get(file)
            .copied()
            .filter(|t| ready.contains(t.name.as_str()))
    };
    for v in variants {
        let Some((selection, base)) = selected(library, v) else {
            continue;
        };
        let Ok(ctx) = Context::from_serialize(&base) else {
            continue;
        };
        let coverage = crate::coverage::check(&library.catalogue, &v.project, &selection, &base);
        let appendix = coverage.appendix();
        for (rel, extra) in [
            ("markdown/title.md", None),
            ("markdown/coverage.md", Some(&appendix)),
        ] {
            let file = by_file
                .values()
                .find(|t| {
                    t.kind
                        == if extra.is_some() {
                            Kind::Coverage
                        } else {
                            Kind::Title
                        }
                })
                .map(|t| t.file.clone())
                .unwrap_or_else(|| format!("templates/{rel}"));
            if let Some(t) = template(&file) {
                let mut c = ctx.clone();
                if let Some(items) = extra {
                    c.insert("coverage", items);
                }
                run(&tera, t, &c, &v.label, &mut errors);
            }
        }
        for s in &selection.sections {
            if let Some(t) = template(&s.clause.file) {
                let mut c = ctx.clone();
                for (k, val) in render::context::clause_scope(s.clause, s.number, s.level) {
                    c.insert(k, &val);
                }
                run(&tera, t, &c, &v.label, &mut errors);
                renders += 1;
                rendered.insert(t.file.as_str());
            }
        }
        contexts.push((v, ctx, selection.sections.len()));
    }
    // Variants no example selects: rendered with every example of their language.
    let unselected: Vec<&Clause> = library
        .clauses
        .iter()
        .filter(|c| !rendered.contains(c.file.as_str()))
        .collect();
    for clause in unselected {
        let Some(t) = template(&clause.file) else {
            continue;
        };
        for (v, ctx, n) in contexts
            .iter()
            .filter(|(v, _, _)| v.language == clause.meta.language)
        {
            let level = v.project.protection.governing(clause.meta.governed_by);
            let mut c = ctx.clone();
            for (k, val) in render::context::clause_scope(clause, n + 1, level) {
                c.insert(k, &val);
            }
            run(&tera, t, &c, &v.label, &mut errors);
            renders += 1;
        }
    }
    (errors, renders)
}

/// Tera's "field `x` is not defined" at `a.b.x`, said in terms of the value that is empty.
fn explain_undefined(d: Diagnostic) -> Diagnostic {
    let field = d
        .message
        .strip_prefix("field `")
        .and_then(|r| r.split_once('`'))
        .map(|(f, _)| f.to_string());
    let column = d.location.as_ref().and_then(|l| l.column);
    let (Some(field), Some(line), Some(column)) = (field, d.source_line.clone(), column) else {
        return d;
    };
    let chars: Vec<char> = line.chars().collect();
    let Some(end) = usize::try_from(column)
        .ok()
        .and_then(|c| c.checked_sub(2))
        .filter(|&e| chars.get(e) == Some(&'.'))
    else {
        return d;
    };
    let mut start = end;
    while start > 0
        && chars
            .get(start - 1)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '.')
    {
        start -= 1;
    }
    let parent: String = chars.get(start..end).unwrap_or_default().iter().collect();
    if parent.is_empty() {
        return d;
    }
    Diagnostic {
        message: format!(
            "`{parent}` is empty (null) in this project, so `{parent}.{field}` cannot be printed"
        ),
        hints: vec![format!(
            "`{parent}` is optional in the project format: print it only when it is given, {{% if {parent} %}}…{{{{ {parent}.{field} }}}}…{{% endif %}}"
        )],
        ..d
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLAUSE: &str = r#"+++
id = "edge"
topic = "confidentiality"
language = "LANG"
title = "Edge"
governed_by = "confidentiality"
level = "normal"
order = 122
+++

## A

{{ service_levels.response_minutes.p1 | minutes }} {% for c in service.components %}{{ c }}{% endfor %}
{% for s in subcontractors %}{{ s.name }} {{ loop.index }}{% endfor %} {{ level }} {{ clause.number }}
{% if sections["audit-rights"] %}{{ ref(id="audit-rights") }}{% endif %} {{ variables.anything.deep }}
{% set x = service.description %}{{ x }}{% if foo is defined %}y{% endif %} {# {{ ignored }} #}
{{ service.description | upper | truncate(length=3) }}{% if client.contact %}{{ client.contact.name }}{% endif %}
{{ labels.clientt }} {{ s.name }} {{ service.components.first }}
"#;

    #[test]
    fn accepts_what_works_and_locates_what_does_not() {
        let dir = tempfile::tempdir().unwrap();
        for lang in ["de", "en"] {
            let folder = dir.path().join("clauses").join(lang);
            std::fs::create_dir_all(&folder).unwrap();
            std::fs::write(folder.join("edge.normal.md"), CLAUSE.replace("LANG", lang)).unwrap();
        }
        let report = check(Some(dir.path()));
        let messages: Vec<String> = report
            .diagnostics
            .iter()
            .map(|d| {
                let l = d.location.as_ref().unwrap();
                format!("{}:{} {}", l.line.unwrap(), l.column.unwrap(), d.message)
            })
            .collect();
        let de = &messages[..messages.len() / 2];
        assert_eq!(
            de,
            [
                "18:11 there is no variable `labels.clientt`; did you mean `labels.client`?",
                "18:25 unknown variable `s`",
                "18:57 `service.components` is a list, so it has no field `first`",
            ],
            "{messages:#?}"
        );
        assert_eq!(messages.len(), 6, "{messages:#?}");
    }
}
