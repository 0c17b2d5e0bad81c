//! The `annex` command: parses the command line and hands it to the command's module
//! ([`cmd`]); the kind of a failure decides the exit code (see [`annex::Kind`]).

mod cli;
mod cmd;

/// mimalloc instead of the system allocator: typst allocates and frees small objects at a
/// high rate, and with glibc's malloc that cost about a sixth of the time of a batch.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::process::ExitCode;

use clap::Parser;
use cli::{Cli, Command};
use cmd::Exit;

fn main() -> ExitCode {
    let command = Cli::parse().command;
    let lang = language_of(&command);
    let ended = match command {
        Command::Render {
            inputs,
            output,
            library,
            fonts,
            jobs,
            fail_fast,
            force,
        } => cmd::render::run(&inputs, &output, library, fonts, jobs, fail_fast, force),
        Command::Check {
            inputs,
            library,
            fonts,
            jobs,
            fail_fast,
            draft,
            figures,
        } => cmd::check::run(&inputs, library, fonts, jobs, fail_fast, draft, figures),
        Command::Coverage {
            inputs,
            format,
            library,
            fonts,
        } => cmd::coverage::run(&inputs, format, library, fonts),
        Command::Explain {
            inputs,
            json,
            figures,
            library,
            fonts,
        } => cmd::explain::run(&inputs, json, figures, library, fonts),
        Command::Watch {
            input,
            output,
            library,
            fonts,
        } => cmd::watch::run(input, &output, library, fonts),
        Command::Diff {
            old,
            new,
            out,
            format,
            library,
            fonts,
        } => match (old, new) {
            (Some(old), Some(new)) => cmd::diff::run(&old, &new, &out, &format, library, fonts),
            _ => cmd::diff::library(&out, &format, library),
        },
        Command::Templates { command } => cmd::templates::run(command),
        Command::Init { file, lang, force } => cmd::init::run(&file, lang, force),
        Command::Schema { markdown } => cmd::schema::run(markdown),
    };
    match ended {
        Ok(Exit::Success) => ExitCode::SUCCESS,
        Ok(Exit::Failed(kind)) => ExitCode::from(kind.exit_code()),
        Err(failure) => {
            cmd::print_in(&failure.diagnostics, lang);
            ExitCode::from(failure.kind.exit_code())
        }
    }
}

/// The language of the messages of a command that could not run: that of its one project (the
/// file to watch, the starter project to write, the one project file given), else the run's.
fn language_of(command: &Command) -> annex::language::Language {
    let messages = cmd::messages();
    let one_file = |inputs: &[std::path::PathBuf]| match inputs {
        [one] if one.is_file() => annex::project::message_language_of_file(one),
        _ => None,
    };
    match command {
        Command::Render { inputs, .. }
        | Command::Check { inputs, .. }
        | Command::Coverage { inputs, .. }
        | Command::Explain { inputs, .. } => messages.for_project(one_file(inputs)),
        Command::Watch { input, .. } => {
            messages.for_project(annex::project::message_language_of_file(input))
        }
        Command::Init { lang, .. } => messages.for_project(Some(match lang {
            cli::Lang::De => annex::language::Language::De,
            cli::Lang::En => annex::language::Language::En,
        })),
        Command::Diff { new: Some(new), .. } => {
            messages.for_project(annex::project::message_language_of_file(new))
        }
        Command::Diff { new: None, .. } => messages.general(),
        Command::Templates { .. } | Command::Schema { .. } => messages.general(),
    }
}
