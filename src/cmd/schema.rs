//! `annex schema`: the JSON Schema of the project format.

use annex::Failure;

use super::{Ended, Exit};

pub fn run() -> Ended {
    let schema = schemars::schema_for!(annex::project::Project);
    let text = serde_json::to_string_pretty(&schema).map_err(Failure::internal)?;
    println!("{text}");
    Ok(Exit::Success)
}
