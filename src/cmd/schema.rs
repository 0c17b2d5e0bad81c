//! `annex schema`: the JSON Schema of the project format, or the reference of its fields for
//! people (`--markdown`, the text of docs/project-format.md).

use annex::Failure;

use super::{Ended, Exit};

/// The field reference, as the repository's docs/project-format.md has it.
const REFERENCE: &str = include_str!("../../docs/project-format.md");

pub fn run(markdown: bool) -> Ended {
    if markdown {
        print!("{REFERENCE}");
        return Ok(Exit::Success);
    }
    let schema = schemars::schema_for!(annex::project::Project);
    let text = serde_json::to_string_pretty(&schema).map_err(Failure::internal)?;
    println!("{text}");
    Ok(Exit::Success)
}
