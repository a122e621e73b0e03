//! cramprisk: training, weather and fluid exports → a daily, explained muscle-cramp risk score.
//!
//! Floors, top to bottom (ARCHITECTURE.md): the front door (`cli` → `config` → `cmd`), the
//! shared computation (`compute`, `select`), `ingest` (one module per format, one list of
//! formats, canonical frames), `measures` (pure polars expressions) → `daily` (the
//! per-athlete grid) → `model` → `explain`, and the writers (`outputs`, `report`, `charts`,
//! `team`, `summary`) that take finished data. Data flows down; no floor calls the one above.

pub mod beside;
pub mod charts;
pub mod cli;
pub mod cmd;
pub mod columns;
pub mod compute;
pub mod config;
pub mod daily;
pub mod dates;
pub mod decimals;
pub mod direct_file;
pub mod evaluate;
pub mod explain;
pub mod generate;
pub mod ingest;
pub mod measures;
pub mod model;
pub mod outputs;
pub mod plan;
pub mod profiles;
pub mod pseudonym;
pub mod report;
pub mod reusable_plan;
pub mod safe_text;
pub mod schema;
pub mod select;
pub mod stages;
pub mod summary;
pub mod team;
pub mod view;

pub use cmd::Outcome;
pub use config::UsageError;

/// Runs one parsed command line: checks it into a `Config`, then runs its command.
pub fn run(cli: cli::Cli) -> anyhow::Result<Outcome> {
    use config::Config;
    match Config::from_cli(cli)? {
        Config::Analyze(cfg) => cmd::analyze::run(&cfg),
        Config::Explain(cfg) => cmd::explain::run(&cfg),
        Config::Inspect(cfg) => cmd::inspect::run(&cfg),
        Config::Model => cmd::model::run(),
        Config::Generate(opts, out, truth) => cmd::generate::run(&opts, &out, truth.as_ref()),
        Config::Evaluate(cfg) => cmd::evaluate::run(&cfg),
        Config::Calibrate(cfg) => cmd::calibrate::run(&cfg),
        Config::Plan(cfg) => cmd::plan::run(&cfg),
    }
}
