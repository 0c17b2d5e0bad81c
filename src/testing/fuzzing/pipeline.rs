//! The `render` target: the whole pipeline for one project, from the bank example with
//! fuzzed strings in its slots to the PDF.

use std::path::Path;

use pulldown_cmark::{Event, Parser};
use serde_json::Value;

use super::{generator, show};
use crate::markup::{self, placeholder};
use crate::{Formats, Options, project};

/// The project every render input starts from: the bank example (every service flag on, high
/// and very high levels, sub-contractors), with an exclusion and a variable added.
const BASE: &str = include_str!("../../../templates/examples/bank-core-very-high.json");

/// Where the strings of a render input go (JSON pointers into [`BASE`]).
pub const SLOTS: &[&str] = &[
    "/annex/id",
    "/annex/date",
    "/annex/main_contract",
    "/annex/number",
    "/annex/title",
    "/annex/version",
    "/client/name",
    "/client/address",
    "/client/representative",
    "/client/security_officer/name",
    "/client/security_officer/role",
    "/client/security_officer/email",
    "/client/security_officer/phone",
    "/provider/name",
    "/provider/address",
    "/provider/representative",
    "/provider/contact/name",
    "/provider/contact/role",
    "/provider/contact/email",
    "/provider/contact/phone",
    "/provider/security_officer/name",
    "/service/description",
    "/service/components/0",
    "/service/components/3",
    "/service/locations/0",
    "/service/locations/1",
    "/service/start_date",
    "/protection/rationale",
    "/service_levels/service_hours",
    "/service_levels/support_hours",
    "/service_levels/compute",
    "/security_concept/framework",
    "/subcontractors/0/name",
    "/subcontractors/0/service",
    "/subcontractors/0/location",
    "/subcontractors/1/name",
    "/clauses/include/0",
    "/clauses/exclude/0/id",
    "/clauses/exclude/0/reason",
    "/variables/note",
];

/// The name of the render target's project file.
const PROJECT: &str = "fuzz.json";

const LEVELS: [&str; 3] = ["normal", "high", "very_high"];

/// The whole pipeline for one project, PDF included. The input is two bytes of settings
/// (draft, language, protection levels, service flags, coverage appendix), then segments
/// separated by 0xFF (never part of UTF-8): each a slot number (byte, modulo [`SLOTS`]) and
/// the text that goes there. A project that fails validation is fine; one that passes must
/// give a PDF, and its party names must appear in the Markdown.
pub fn render(data: &[u8]) {
    let Ok(mut project) = serde_json::from_str::<Value>(BASE) else {
        panic!("the base project is not JSON");
    };
    project["clauses"]["exclude"] = serde_json::json!([
        { "id": "metadata", "reason": "agreed in the framework contract" }
    ]);
    project["variables"] = serde_json::json!({ "note": "see the main contract" });
    let (settings, rest) = match data {
        [a, b, rest @ ..] => ([*a, *b], rest),
        _ => ([0, 0], &[][..]),
    };
    let draft = settings[0] & 1 != 0;
    if settings[0] & 2 != 0 {
        project["annex"]["language"] = "de".into();
    }
    for (i, basic) in ["confidentiality", "integrity", "availability"]
        .into_iter()
        .enumerate()
    {
        if let Some(level) = LEVELS.get(usize::from(settings[0] >> (2 + 2 * i) & 3)) {
            project["protection"][basic] = (*level).into();
        }
    }
    for (i, flag) in [
        "personal_data",
        "network_coupling",
        "software",
        "migration",
        "shared_platform",
        "cloud",
    ]
    .into_iter()
    .enumerate()
    {
        if settings[1] >> i & 1 != 0 {
            let on = project["service"][flag].as_bool().unwrap_or(false);
            project["service"][flag] = (!on).into();
        }
    }
    let coverage_appendix = settings[1] & 0x40 == 0;
    for segment in rest.split(|b| *b == 0xFF) {
        let Some((slot, text)) = segment.split_first() else {
            continue;
        };
        let pointer = SLOTS[usize::from(*slot) % SLOTS.len()];
        if let Some(place) = project.pointer_mut(pointer) {
            *place = String::from_utf8_lossy(text).into_owned().into();
        }
    }
    let Ok(text) = serde_json::to_string_pretty(&project) else {
        panic!("the project does not serialise");
    };
    let generator = generator();
    let (project, source) = match project::from_bytes(Path::new(PROJECT), text.into_bytes()) {
        Ok(loaded) => loaded,
        Err(d) => return show(&d),
    };
    let prepared = match generator.prepare_loaded(
        crate::validate::Loaded { project, source },
        crate::Mode::draft_if(draft),
    ) {
        Ok(prepared) => prepared,
        Err(failure) => {
            // Rejected project text is fine; an error in a template (a filter that fails on
            // a value) is a defect of annex.
            for d in failure.diagnostics.iter().filter(|d| d.is_error()) {
                assert!(
                    d.location
                        .as_ref()
                        .is_some_and(|l| l.file == Path::new(PROJECT)),
                    "an error outside the project:\n{}",
                    failure.display(crate::language::Language::En)
                );
            }
            return show(&failure.diagnostics);
        }
    };
    show(&prepared.warnings);
    let options = Options {
        formats: Formats {
            markdown: true,
            pdf: true,
            docx: true,
            typst: false,
        },
        coverage_appendix,
        draft,
        ..Options::default()
    };
    let annex = match generator.typeset(&prepared, &options) {
        Ok(annex) => annex,
        // A character no embedded font has is refused, located in the project file.
        Err(failure)
            if failure
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .all(|d| {
                    d.message.en().contains("cannot be printed")
                        && d.location
                            .as_ref()
                            .is_some_and(|l| l.file == Path::new(PROJECT))
                }) =>
        {
            return show(&failure.diagnostics);
        }
        Err(failure) => panic!(
            "a valid project gives no PDF:\n{}",
            failure.display(crate::language::Language::En)
        ),
    };
    assert!(
        annex
            .pdf
            .as_ref()
            .is_some_and(|p| p.bytes.starts_with(b"%PDF-")),
        "no PDF"
    );
    let shown = words(&document_text(&annex.markdown));
    for party in [
        &prepared.project.client.name,
        &prepared.project.provider.name,
    ] {
        let value = words(&placeholder::sanitize(
            &party.as_str().replace('\0', "\u{FFFD}"),
        ));
        assert!(
            shown.contains(&value),
            "the Markdown does not show {value:?}:\n{}",
            annex.markdown
        );
    }
}

/// The text a reader of a Markdown document sees.
fn document_text(md: &str) -> String {
    Parser::new_ext(md, markup::parser_options())
        .filter_map(|e| match e {
            Event::Text(t) | Event::Code(t) => Some(t.into_string()),
            Event::SoftBreak | Event::HardBreak => Some(" ".to_string()),
            _ => None,
        })
        .collect()
}

/// Whitespace runs as single spaces, ends trimmed.
fn words(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
