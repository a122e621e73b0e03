//! The front door: the clap arguments (`cli.rs`) turned once into a checked `Config` — how
//! files are read (one `ReadOptions`, the clock read at most once), the days and athletes to
//! report, where the outputs go. Inconsistent flags are usage errors (exit 2), found here,
//! before any file is read.

use std::path::PathBuf;

use chrono::NaiveDate;

use crate::cli::{self, ChartFormat};
use crate::ingest::{checks, KindHint, ReadOptions};
use crate::outputs::Outputs;

/// A usage error: a flag value or combination that cannot be run. `main` exits 2 on it.
#[derive(Debug)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// Fails with a usage error when `ok` is false.
fn usage(ok: bool, message: impl FnOnce() -> String) -> anyhow::Result<()> {
    if ok {
        Ok(())
    } else {
        Err(UsageError(message()).into())
    }
}

/// One command, checked.
pub enum Config {
    Analyze(AnalyzeConfig),
    Explain(ExplainConfig),
    Inspect(InspectConfig),
    Model,
    Generate(crate::generate::GenerateOptions, PathBuf, Option<Truth>),
    Evaluate(EvaluateConfig),
    Calibrate(CalibrateConfig),
    Plan(PlanConfig),
}

/// `cramprisk calibrate`: the inputs (cramp logs among them) and the model file to write.
pub struct CalibrateConfig {
    pub inputs: InputConfig,
    pub out: PathBuf,
    pub quiet: bool,
    /// `--per-athlete`: each athlete's coefficients too, shrunk toward the team's.
    pub per_athlete: bool,
    /// `--cramps-from-titles`: mentioned cramps count too.
    pub cramps_from_titles: bool,
}

/// `generate --cramps`: the ground-truth model the cramps are drawn from (`None` = built in).
pub struct Truth {
    pub model: Option<PathBuf>,
}

/// `cramprisk evaluate`: the inputs (cramp logs among them) and the output folder.
pub struct EvaluateConfig {
    pub inputs: InputConfig,
    pub outputs: Outputs,
    pub quiet: bool,
    /// `--cramps-from-titles`: mentioned cramps count too.
    pub cramps_from_titles: bool,
}

/// `cramprisk plan`, checked.
pub struct PlanConfig {
    pub inputs: InputConfig,
    pub plans: Vec<PathBuf>,
    pub sessions: Vec<String>,
    pub athlete: Option<String>,
    pub window: crate::dates::StartWindow,
    pub outputs: Outputs,
    pub quiet: bool,
    pub charts: ChartFormat,
}

/// The inputs of `analyze` and `explain`: what to read and how.
pub struct InputConfig {
    /// Files and folders to discover inputs in.
    pub paths: Vec<PathBuf>,
    /// Files whose kind was named (`--activities F`, …).
    pub named: Vec<(PathBuf, KindHint)>,
    /// `--profiles`.
    pub profiles: Option<PathBuf>,
    /// `--model`.
    pub model: Option<PathBuf>,
    pub read: ReadOptions,
}

/// `--from/--to/--last/--as-of`, checked against each other (not yet against the data).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DayFlags {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// `--last N`, in days.
    pub last: Option<u32>,
    pub as_of: Option<NaiveDate>,
}

pub struct AnalyzeConfig {
    pub inputs: InputConfig,
    pub days: DayFlags,
    /// `--athlete`, as typed (matched against the data after reading).
    pub athletes: Vec<String>,
    pub outputs: Outputs,
    pub pseudonymize: bool,
    pub strict: bool,
    pub quiet: bool,
    /// `--charts`: which chart images to write.
    pub charts: ChartFormat,
    /// `--cramps-from-titles`: mentioned cramps are shown and counted too.
    pub cramps_from_titles: bool,
    /// `--format` and `--partition-by`: how the tables are written.
    pub tables: TableOutput,
}

/// How `analyze` writes its tables, checked: CSV and/or Parquet, and whether the Parquet
/// daily table is split into one folder per athlete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableOutput {
    pub csv: bool,
    pub parquet: bool,
    pub partition_by_athlete: bool,
}

impl TableOutput {
    /// `--format` and `--partition-by`: partitioning is a Parquet layout, so it needs Parquet.
    pub fn from_flags(
        format: cli::TableFormat,
        partition_by: Option<cli::PartitionBy>,
    ) -> anyhow::Result<TableOutput> {
        use cli::TableFormat as F;
        let parquet = matches!(format, F::Parquet | F::Both);
        usage(partition_by.is_none() || parquet, || {
            "--partition-by writes Parquet: add --format parquet (or both)".to_string()
        })?;
        Ok(TableOutput {
            csv: matches!(format, F::Csv | F::Both),
            parquet,
            partition_by_athlete: partition_by == Some(cli::PartitionBy::Athlete),
        })
    }
}

pub struct ExplainConfig {
    pub inputs: InputConfig,
    pub athlete: String,
    pub date: NaiveDate,
}

pub struct InspectConfig {
    pub paths: Vec<PathBuf>,
    pub read: ReadOptions,
}

/// Every path the user named exists: a typo is a usage error naming it, found before any
/// file is read or any output written (a broken link counts as missing: there is nothing to
/// read behind it). What the paths hold is judged later, file by file.
fn paths_exist<'a>(paths: impl IntoIterator<Item = &'a PathBuf>) -> anyhow::Result<()> {
    for p in paths {
        usage(p.exists(), || {
            let link = std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink());
            if link {
                format!(
                    "{}: a link to a file or folder that does not exist",
                    p.display()
                )
            } else {
                format!("{}: no such file or folder", p.display())
            }
        })?;
    }
    Ok(())
}

impl Config {
    /// Checks the parsed command line and builds the run's configuration.
    pub fn from_cli(cli: cli::Cli) -> anyhow::Result<Config> {
        match &cli.command {
            cli::Command::Analyze(a) => paths_exist(input_paths(&a.input))?,
            cli::Command::Explain(a) => paths_exist(input_paths(&a.input))?,
            cli::Command::Evaluate(a) => paths_exist(input_paths(&a.input))?,
            cli::Command::Calibrate(a) => paths_exist(input_paths(&a.input))?,
            cli::Command::Inspect(a) => paths_exist(&a.files)?,
            cli::Command::Plan(a) => {
                paths_exist(input_paths(&a.input))?;
                paths_exist(&a.plans)?;
            }
            cli::Command::Model => {}
            cli::Command::Generate(a) => paths_exist(&a.truth)?,
        }
        Ok(match cli.command {
            cli::Command::Analyze(a) => Config::Analyze(analyze(a)?),
            cli::Command::Explain(a) => Config::Explain(ExplainConfig {
                // `explain` has no --as-of: the clock's date is "today" for the future-date check.
                inputs: inputs(a.input, Some(checks::today_utc())),
                athlete: a.athlete,
                date: a.date,
            }),
            cli::Command::Inspect(a) => Config::Inspect(InspectConfig {
                paths: a.files,
                read: read_options(a.athlete_name, &a.vendor, Some(checks::today_utc())),
            }),
            cli::Command::Model => Config::Model,
            cli::Command::Calibrate(a) => Config::Calibrate(CalibrateConfig {
                inputs: inputs(a.input, Some(checks::today_utc())),
                out: a.out,
                quiet: a.quiet,
                per_athlete: a.per_athlete,
                cramps_from_titles: a.cramps_from_titles,
            }),
            cli::Command::Evaluate(a) => Config::Evaluate(EvaluateConfig {
                inputs: inputs(a.input, Some(checks::today_utc())),
                outputs: Outputs::new(&a.out),
                quiet: a.quiet,
                cramps_from_titles: a.cramps_from_titles,
            }),
            cli::Command::Plan(a) => Config::Plan(plan(a)?),
            cli::Command::Generate(a) => Config::Generate(
                crate::generate::GenerateOptions {
                    athletes: a.athletes,
                    days: a.days,
                    start: a.start,
                    seed: a.seed,
                },
                a.out,
                a.cramps.then_some(Truth { model: a.truth }),
            ),
        })
    }
}

fn plan(a: cli::PlanArgs) -> anyhow::Result<PlanConfig> {
    usage(!a.plans.is_empty() || !a.sessions.is_empty(), || {
        "nothing planned: give --plan FILE or --session TEXT".to_string()
    })?;
    usage(a.sessions.is_empty() || a.athlete.is_some(), || {
        "--session needs --athlete NAME".to_string()
    })?;
    let window = match &a.between {
        Some(w) => crate::dates::StartWindow::parse(w).map_err(UsageError)?,
        None => crate::dates::StartWindow::default(),
    };
    Ok(PlanConfig {
        // Planned days are in the future: no future-date check (the forecast is not checked
        // against today either).
        inputs: inputs(a.input, None),
        plans: a.plans,
        sessions: a.sessions,
        athlete: a.athlete,
        window,
        outputs: Outputs::new(&a.out),
        quiet: a.quiet,
        charts: a.charts,
    })
}

fn analyze(a: cli::AnalyzeArgs) -> anyhow::Result<AnalyzeConfig> {
    let days = DayFlags {
        from: a.from,
        to: a.to,
        last: a.last,
        as_of: a.as_of,
    };
    days.check()?;
    // The clock is read once, for the future-date check only (a record dated after today is
    // an error in the data, whatever --as-of says); the days reported never depend on it.
    let today = Some(checks::today_utc());
    let tables = TableOutput::from_flags(a.format, a.partition_by)?;
    Ok(AnalyzeConfig {
        inputs: inputs(a.input, today),
        days,
        athletes: a.athlete,
        outputs: Outputs::new(&a.out),
        pseudonymize: a.pseudonymize,
        strict: a.strict,
        quiet: a.quiet,
        charts: a.charts,
        tables,
        cramps_from_titles: a.cramps_from_titles,
    })
}

impl DayFlags {
    /// The flags agree with each other: `--from` not after `--to`, `--to` not after
    /// `--as-of` (whose default `--to` is).
    pub fn check(&self) -> anyhow::Result<()> {
        if let (Some(t), Some(a)) = (self.to, self.as_of) {
            usage(t <= a, || format!("--to {t} is after --as-of {a}"))?;
        }
        if let (Some(f), Some(t)) = (self.from, self.to.or(self.as_of)) {
            usage(f <= t, || format!("--from {f} is after --to {t}"))?;
        }
        Ok(())
    }

    /// Resolves the days against the last day in the data (the clock is never read):
    /// `as_of` = `--as-of`, else `--to`, else the last day; `--to` defaults to `--as-of`;
    /// `--last N` = the N days ending on `--to` (or `as_of`). Returns (from, to, as_of).
    pub fn resolve(
        &self,
        last_day: Option<NaiveDate>,
    ) -> (Option<NaiveDate>, Option<NaiveDate>, Option<NaiveDate>) {
        let to = self.to.or(self.as_of);
        let as_of = self.as_of.or(self.to).or(last_day);
        let from = match (self.from, self.last) {
            (Some(f), _) => Some(f),
            (None, Some(n)) => to.or(as_of).map(|end| {
                end.checked_sub_days(chrono::Days::new(u64::from(n) - 1))
                    .unwrap_or(NaiveDate::MIN)
            }),
            (None, None) => None,
        };
        (from, to, as_of)
    }
}

/// Every path of the inputs: positional, named by kind, profiles and model.
fn input_paths(a: &cli::InputArgs) -> Vec<&PathBuf> {
    a.inputs
        .iter()
        .chain(&a.activities)
        .chain(&a.daily)
        .chain(&a.weather)
        .chain(&a.fluids)
        .chain(&a.cramps)
        .chain(&a.profiles)
        .chain(&a.model)
        .collect()
}

fn inputs(a: cli::InputArgs, today: Option<NaiveDate>) -> InputConfig {
    let named = [
        (a.activities, KindHint::Activities),
        (a.daily, KindHint::Daily),
        (a.weather, KindHint::Weather),
        (a.fluids, KindHint::Fluids),
        (a.cramps, KindHint::Cramps),
    ]
    .into_iter()
    .flat_map(|(paths, hint)| paths.into_iter().map(move |p| (p, hint)))
    .collect();
    InputConfig {
        paths: a.inputs,
        named,
        profiles: a.profiles,
        model: a.model,
        read: read_options(a.athlete_name, &a.vendor, today),
    }
}

/// The one place `ReadOptions` are built.
fn read_options(
    athlete_name: Option<String>,
    vendor: &cli::VendorArgs,
    today: Option<NaiveDate>,
) -> ReadOptions {
    ReadOptions {
        athlete_name,
        vendor: vendor.vendor,
        units: vendor.units,
        tz: vendor.tz,
        today,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Option<NaiveDate> {
        crate::dates::parse_date(s)
    }

    #[test]
    fn inconsistent_days_are_usage_errors() {
        let flags = |from, to, as_of| DayFlags {
            from: day(from),
            to: day(to),
            last: None,
            as_of: day(as_of),
        };
        let err = flags("2025-07-05", "2025-07-01", "").check().unwrap_err();
        assert!(err.is::<UsageError>());
        assert_eq!(
            err.to_string(),
            "--from 2025-07-05 is after --to 2025-07-01"
        );
        let err = flags("", "2025-07-03", "2025-07-02").check().unwrap_err();
        assert_eq!(
            err.to_string(),
            "--to 2025-07-03 is after --as-of 2025-07-02"
        );
        // --to defaults to --as-of, so --from after --as-of is refused too.
        assert!(flags("2025-07-05", "", "2025-07-02").check().is_err());
        assert!(flags("2025-07-01", "2025-07-01", "2025-07-01")
            .check()
            .is_ok());
    }

    #[test]
    fn last_counts_back_from_to_or_as_of_or_the_data() {
        let flags = DayFlags {
            last: Some(28),
            ..DayFlags::default()
        };
        // 28 days ending 2025-07-20 start on 2025-06-23 (20 + 30 − 27 = 23 June).
        assert_eq!(
            flags.resolve(day("2025-07-20")),
            (day("2025-06-23"), None, day("2025-07-20"))
        );
        let flags = DayFlags {
            as_of: day("2025-07-10"),
            last: Some(7),
            ..DayFlags::default()
        };
        assert_eq!(
            flags.resolve(day("2025-07-20")),
            (day("2025-07-04"), day("2025-07-10"), day("2025-07-10"))
        );
    }
}
