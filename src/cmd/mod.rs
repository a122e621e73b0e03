//! One module per command: each takes its checked configuration (`config.rs`), runs the
//! shared computation (`compute.rs`) where it needs it, and hands finished data to the
//! writers. Nothing here parses flags or reads files itself.

pub mod analyze;
pub mod explain;
pub mod generate;
pub mod inspect;
pub mod model;

use std::process::ExitCode;

use crate::config::UsageError;

/// How a run ended; mapped to the documented exit codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Finished; rejected rows, if any, are listed in rejected_rows.csv.
    Success,
    /// A runtime or data error, or (with `--strict`) a rejected row or file.
    Error,
    /// A usage error: flags that cannot be run together (clap reports its own the same way).
    Usage,
}

impl From<Outcome> for ExitCode {
    fn from(o: Outcome) -> Self {
        match o {
            Outcome::Success => ExitCode::SUCCESS,
            Outcome::Error => ExitCode::from(1),
            Outcome::Usage => ExitCode::from(2),
        }
    }
}

impl Outcome {
    /// The outcome of a run that failed with `err`: a usage error, or an error.
    pub fn of_error(err: &anyhow::Error) -> Outcome {
        if err.is::<UsageError>() {
            Outcome::Usage
        } else {
            Outcome::Error
        }
    }
}
