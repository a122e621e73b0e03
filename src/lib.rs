//! cramprisk: training, weather and fluid exports → a daily, explained muscle-cramp risk score.
//!
//! Floors, top to bottom (ARCHITECTURE.md): the front door (`cli` → `config` → `cmd`), the
//! shared computation (`compute`, `select`), `ingest` (one module per format, one list of
//! formats, canonical frames), `measures` (pure polars expressions) → `daily` (the
//! per-athlete grid) → `model` → `explain`, and the writers (`outputs`, `report`, `charts`,
//! `team`, `summary`) that take finished data. Data flows down; no floor calls the one above.

pub mod charts;
pub mod cli;
pub mod cmd;
pub mod compute;
pub mod config;
pub mod daily;
pub mod dates;
pub mod explain;
pub mod generate;
pub mod ingest;
pub mod measures;
pub mod model;
pub mod outputs;
pub mod profiles;
pub mod pseudonym;
pub mod report;
pub mod schema;
pub mod select;
pub mod stages;
pub mod summary;
pub mod team;
pub mod view;

/// The model's former name, for code written against it.
pub use model as scoring;

use std::process::ExitCode;

pub use config::UsageError;

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

/// Runs one parsed command line: checks it into a `Config`, then runs its command.
pub fn run(cli: cli::Cli) -> anyhow::Result<Outcome> {
    use config::Config;
    match Config::from_cli(cli)? {
        Config::Analyze(cfg) => cmd::analyze::run(&cfg),
        Config::Explain(cfg) => cmd::explain::run(&cfg),
        Config::Inspect(cfg) => cmd::inspect::run(&cfg),
        Config::Model => cmd::model::run(),
        Config::Generate(opts, out) => cmd::generate::run(&opts, &out),
    }
}
