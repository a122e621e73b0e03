//! What the user typed: clap types only. Turned into a checked `Config` by `config.rs`.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::ingest::format::{Format, Units};
use crate::ingest::formats;

/// Parses `--last`: a number of days (`28`, `28d`) or weeks (`4w`).
fn parse_span_flag(text: &str) -> Result<u32, String> {
    let t = text.trim().to_ascii_lowercase();
    let (digits, unit) = match t.strip_suffix('d') {
        Some(d) => (d, 1),
        None => match t.strip_suffix('w') {
            Some(w) => (w, 7),
            None => (t.as_str(), 1),
        },
    };
    match digits.trim().parse::<u32>() {
        Ok(n) if n >= 1 && n <= 36_600 / unit => Ok(n * unit),
        _ => Err("expected a number of days or weeks, such as 28d or 4w".to_string()),
    }
}

/// Parses `--vendor`: a name from the list of formats.
fn parse_vendor_flag(text: &str) -> Result<&'static Format, String> {
    formats::by_name(text)
        .ok_or_else(|| format!("unknown vendor; one of: {}", formats::vendor_names()))
}

/// Parses `--units`.
fn parse_units_flag(text: &str) -> Result<Units, String> {
    Units::parse(text).ok_or_else(|| "expected metric or imperial".into())
}

/// Parses `--tz` (an IANA zone name such as Europe/Copenhagen).
fn parse_tz_flag(text: &str) -> Result<chrono_tz::Tz, String> {
    text.parse::<chrono_tz::Tz>()
        .map_err(|_| "expected an IANA time zone such as Europe/Copenhagen or UTC".to_string())
}

/// How vendor exports are read: shared by `analyze`, `explain` and `inspect`.
#[derive(Debug, Args, Clone)]
pub struct VendorArgs {
    // The help names the formats of the list (ingest/formats.rs).
    #[arg(long, value_name = "NAME", value_parser = parse_vendor_flag, help = formats::vendor_help())]
    pub vendor: Option<&'static Format>,
    /// Unit system of files that do not state theirs (Garmin accounts, NOAA orders):
    /// metric or imperial. Default: detected where possible, else metric (reported).
    #[arg(long, value_name = "SYSTEM", value_parser = parse_units_flag)]
    pub units: Option<Units>,
    /// The athletes' time zone (IANA name): UTC sources (Strava, Meteostat hourly) are
    /// converted to local days, and times with a stated zone (Apple Health, WHOOP,
    /// Open-Meteo) are moved to it. Without it UTC sources keep UTC days, and the summary
    /// says so.
    #[arg(long, value_name = "ZONE", value_parser = parse_tz_flag)]
    pub tz: Option<chrono_tz::Tz>,
}

/// Parses a date flag; clap reports a failure as a usage error (exit 2).
fn parse_date_flag(text: &str) -> Result<NaiveDate, String> {
    crate::dates::parse_date(text).ok_or_else(|| {
        // Shaped as a date but not one (2025-02-30, 2025-13-01): say so, not "expected a date".
        let t = text.trim();
        let shaped = t.len() == 10
            && t.bytes().enumerate().all(|(i, b)| {
                if i == 4 || i == 7 {
                    b == b'-'
                } else {
                    b.is_ascii_digit()
                }
            });
        if shaped {
            format!("{t} is not a date")
        } else {
            "expected a date as YYYY-MM-DD".to_string()
        }
    })
}

/// Daily muscle-cramp risk, with its reasons, from the CSV exports athletes already have.
///
/// An evidence-informed heuristic, not a diagnosis and not medical advice.
#[derive(Debug, Parser)]
#[command(name = "cramprisk", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Score every athlete and every day: writes daily_risk.csv, rejected_rows.csv, charts/
    /// and report.html.
    #[command(after_long_help = ANALYZE_EXAMPLES)]
    Analyze(AnalyzeArgs),
    /// Print one day's breakdown: every factor with its inputs, sub-score, weight and points.
    #[command(after_long_help = EXPLAIN_EXAMPLES)]
    Explain(ExplainArgs),
    /// Print the built-in risk model (TOML): weights, breakpoints and bands.
    Model,
    /// Show how each file would be read: kind, vendor, confidence, column mapping, units,
    /// time zone, rows readable and rejected (with the first reasons).
    #[command(after_long_help = INSPECT_EXAMPLES)]
    Inspect(InspectArgs),
    /// Check the risk against logged cramps: AUC, Brier score, calibration, reliability
    /// deciles and each factor's observed odds ratio (evaluation.csv, calibration.csv,
    /// factor_check.csv).
    #[command(after_long_help = EVALUATE_EXAMPLES)]
    Evaluate(EvaluateArgs),
    /// Fit the model's coefficients to logged cramps (penalised toward the model's values) and
    /// write the fitted model file (for --model); compares both on the later days.
    #[command(after_long_help = CALIBRATE_EXAMPLES)]
    Calibrate(CalibrateArgs),
    /// Write a deterministic demo team (native CSVs and athletes.toml) of any size.
    #[command(after_long_help = GENERATE_EXAMPLES)]
    Generate(GenerateArgs),
    /// Plan ahead: planned sessions and the forecast → risk, best start, what-ifs and a drink
    /// and sodium plan per session (plan.csv, plan_hours.csv).
    #[command(after_long_help = PLAN_EXAMPLES)]
    Plan(PlanArgs),
}

const PLAN_EXAMPLES: &str = "\
Examples:
  cramprisk plan samples/team samples/plan/weather-valencia.csv samples/plan/weather-oslo.csv --plan samples/plan/plan.csv --out plan
  cramprisk plan samples/team --athlete chloe --session \"2025-08-24 17:23 soccer 105min rpe6\" --out one";

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The history and the forecast: files and folders as for `analyze` (an Open-Meteo
    /// forecast CSV is read like its history files).
    #[command(flatten)]
    pub input: InputArgs,

    /// A plan CSV: athlete, date, start, sport, duration_min, one of rpe/avg_hr/load;
    /// optional indoor, location (docs/planning.md). Repeatable.
    #[arg(long = "plan", value_name = "FILE")]
    pub plans: Vec<PathBuf>,
    /// One session: "DATE HH:MM SPORT DURATION INTENSITY [indoor]", e.g.
    /// "2025-08-04 07:00 run 120min rpe7" (needs --athlete). Repeatable.
    #[arg(long = "session", value_name = "TEXT")]
    pub sessions: Vec<String>,
    /// The athlete of --session.
    #[arg(long, value_name = "NAME")]
    pub athlete: Option<String>,
    /// The start hours tried for the best start, HH:MM-HH:MM (default 06:00-20:00).
    #[arg(long, value_name = "WINDOW")]
    pub between: Option<String>,

    /// Folder the outputs are written to (created if missing).
    #[arg(long, short, value_name = "DIR")]
    pub out: PathBuf,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
    /// Chart images written under DIR/charts/ and embedded in DIR/plan.html.
    #[arg(long, value_enum, default_value_t = ChartFormat::Png, value_name = "FORMAT")]
    pub charts: ChartFormat,
}

const ANALYZE_EXAMPLES: &str = "\
Examples:
  cramprisk analyze samples/team --out report
  cramprisk analyze --activities runs.csv --weather weather.csv --athlete-name ana --out out
  cramprisk analyze team/ --from 2025-06-01 --to 2025-06-30 --out june
  cramprisk analyze team/ --as-of 2025-08-17 --last 28d --out monday
  cramprisk analyze team/ --athlete ana --athlete ben --pseudonymize --out shared
  cramprisk analyze big/ --format parquet --partition-by athlete --charts none --out lake

Exit codes: 0 finished (rejected rows are listed in rejected_rows.csv); 1 an error (or, with --strict, a rejected row or skipped file); 2 usage (a bad flag or date, an input path that does not exist, an unknown --athlete).";

const EXPLAIN_EXAMPLES: &str = "\
Examples:
  cramprisk explain --athlete ana --date 2025-07-02 samples/team";

const EVALUATE_EXAMPLES: &str = "\
Examples:
  cramprisk evaluate samples/team --out eval
  cramprisk evaluate ~/exports --cramps my-cramps.csv --athlete-name ana --out eval

Fewer than 10 cramp days give no AUC or calibration line: the summary says so.";

const CALIBRATE_EXAMPLES: &str = "\
Examples:
  cramprisk calibrate samples/team --out fitted.toml
  cramprisk analyze samples/team --model fitted.toml --out report

Fewer than 30 cramp days: no fit (the summary says so).";

const INSPECT_EXAMPLES: &str = "\
Examples:
  cramprisk inspect ~/Downloads/Activities.csv ~/Downloads/activities.csv
  cramprisk inspect --units imperial --tz America/Denver exports/*";

const GENERATE_EXAMPLES: &str = "\
Examples:
  cramprisk generate --athletes 6 --days 120 --out samples/team
  cramprisk generate --athletes 1000 --days 730 --start 2024-06-01 --out /tmp/big";

/// The inputs and how to read them; shared by `analyze` and `explain`.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Files or folders to read. Folders are scanned for *.csv and athletes.toml;
    /// each CSV's kind is detected from its header.
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// An activities CSV, named explicitly (skips detection).
    #[arg(long, value_name = "FILE")]
    pub activities: Vec<PathBuf>,
    /// A daily-summaries CSV (steps, sedentary minutes, resting HR, sleep).
    #[arg(long, value_name = "FILE")]
    pub daily: Vec<PathBuf>,
    /// A weather CSV, hourly or daily.
    #[arg(long, value_name = "FILE")]
    pub weather: Vec<PathBuf>,
    /// A fluid-intake log CSV, or a food log (MyFitnessPal nutrition summary: its sodium counts).
    #[arg(long, value_name = "FILE")]
    pub fluids: Vec<PathBuf>,
    /// A cramp log CSV (date or time; optional athlete, muscle, severity, when, note).
    #[arg(long, value_name = "FILE")]
    pub cramps: Vec<PathBuf>,
    /// Athlete profiles (athletes.toml).
    #[arg(long, value_name = "FILE")]
    pub profiles: Option<PathBuf>,

    /// Athlete name for files that have no `athlete` column (default: the file's folder name).
    #[arg(long, value_name = "NAME")]
    pub athlete_name: Option<String>,

    /// A risk model (TOML) to use instead of the built-in one (see `cramprisk model`).
    #[arg(long, value_name = "FILE")]
    pub model: Option<PathBuf>,

    #[command(flatten)]
    pub vendor: VendorArgs,
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Files (or folders) to inspect.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,

    /// Athlete name for files that have no `athlete` column (default: the file's folder name).
    #[arg(long, value_name = "NAME")]
    pub athlete_name: Option<String>,

    #[command(flatten)]
    pub vendor: VendorArgs,
}

#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Folder the outputs are written to (created if missing).
    #[arg(long, short, value_name = "DIR")]
    pub out: PathBuf,

    /// First day reported (YYYY-MM-DD). Loads before it still count towards ATL/CTL/ACWR.
    #[arg(long, value_name = "DATE", value_parser = parse_date_flag, conflicts_with = "last")]
    pub from: Option<NaiveDate>,
    /// Last day reported (YYYY-MM-DD). Rest days up to it are added. Default: --as-of, else
    /// the last day in the inputs.
    #[arg(long, value_name = "DATE", value_parser = parse_date_flag)]
    pub to: Option<NaiveDate>,
    /// Report only the last N days up to --to/--as-of: `28d`, `4w`, `90`.
    #[arg(long, value_name = "SPAN", value_parser = parse_span_flag)]
    pub last: Option<u32>,
    /// The day "this week" ends on for the team summary (YYYY-MM-DD); records after it are
    /// not reported. Default: --to, else the last day in the inputs (the clock only rejects
    /// records dated after today).
    #[arg(long, value_name = "DATE", value_parser = parse_date_flag)]
    pub as_of: Option<NaiveDate>,
    /// Report only this athlete (repeatable; aliases and case are matched).
    #[arg(long, value_name = "NAME")]
    pub athlete: Vec<String>,
    /// Replace athlete names by stable codes in every output; the key is written to
    /// DIR/pseudonym_key.csv (and reused from there on the next run).
    #[arg(long)]
    pub pseudonymize: bool,

    /// Fail (exit 1) when any row or file is rejected, instead of reporting it and going on.
    #[arg(long)]
    pub strict: bool,

    /// Also count cramps mentioned in session titles and descriptions ("calf cramp at km 30",
    /// "Wadenkrampf"; negations such as "no cramps" are not), kept apart as `mention`.
    #[arg(long)]
    pub cramps_from_titles: bool,

    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,

    /// Chart images written under DIR/charts/ and embedded in DIR/report.html.
    #[arg(long, value_enum, default_value_t = ChartFormat::Png, value_name = "FORMAT")]
    pub charts: ChartFormat,

    /// The tables (daily_risk, team_summary, rejected_rows) as CSV, as Parquet (typed columns:
    /// dates as dates, unknowns as nulls, bands as categories) or both.
    #[arg(long, value_enum, default_value_t = TableFormat::Csv, value_name = "FORMAT")]
    pub format: TableFormat,

    /// Write daily_risk as Parquet in a hive layout, one folder per athlete
    /// (DIR/daily_risk/athlete=NAME/part-0.parquet), read as one table by polars, DuckDB,
    /// DataFusion or Spark. Needs --format parquet or both.
    #[arg(long, value_enum, value_name = "KEY")]
    pub partition_by: Option<PartitionBy>,
}

/// How the tables are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    Csv,
    Parquet,
    Both,
}

/// The column the Parquet daily table is partitioned by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PartitionBy {
    Athlete,
}

/// Which chart images to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ChartFormat {
    Png,
    Svg,
    Both,
    /// No charts; report.html still has its tables.
    None,
}

#[derive(Debug, Args)]
pub struct CalibrateArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// The model file to write (TOML).
    #[arg(long, short, value_name = "FILE")]
    pub out: PathBuf,

    /// Also fit each athlete's own coefficients, shrunk toward the team's fit; written as
    /// `[athletes.NAME]` sections of the same model file (`--model` takes them back).
    #[arg(long)]
    pub per_athlete: bool,

    /// Also count cramps mentioned in session titles and descriptions ("calf cramp at km 30",
    /// "Wadenkrampf"; negations such as "no cramps" are not), kept apart as `mention`.
    #[arg(long)]
    pub cramps_from_titles: bool,

    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct EvaluateArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Folder the tables are written to (created if missing).
    #[arg(long, short, value_name = "DIR")]
    pub out: PathBuf,

    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,

    /// Also count cramps mentioned in session titles and descriptions ("calf cramp at km 30",
    /// "Wadenkrampf"; negations such as "no cramps" are not), kept apart as `mention`.
    #[arg(long)]
    pub cramps_from_titles: bool,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// The athlete (as in the outputs; aliases and case are matched).
    #[arg(long, value_name = "NAME")]
    pub athlete: String,

    /// The day to explain (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_date_flag)]
    pub date: NaiveDate,
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Number of athletes.
    #[arg(long, default_value_t = 6, value_name = "N")]
    pub athletes: usize,
    /// Number of days.
    #[arg(long, default_value_t = 120, value_name = "D")]
    pub days: u32,
    /// First day (YYYY-MM-DD).
    #[arg(long, default_value = "2025-05-01", value_name = "DATE", value_parser = parse_date_flag)]
    pub start: NaiveDate,
    /// Random seed; the same seed gives byte-identical files.
    #[arg(long, default_value_t = 42, value_name = "N")]
    pub seed: u64,
    /// Also write a cramp log (cramps.csv) drawn from a ground-truth model's daily
    /// probabilities, and that model beside it (truth.toml).
    #[arg(long)]
    pub cramps: bool,
    /// The ground-truth model for --cramps (a model file; default: the built-in model).
    #[arg(long, value_name = "FILE", requires = "cramps")]
    pub truth: Option<PathBuf>,
    /// Folder to write into (created if missing).
    #[arg(long, short, value_name = "DIR")]
    pub out: PathBuf,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }

    #[test]
    fn impossible_dates_are_named() {
        assert_eq!(
            parse_date_flag("2025-02-30"),
            Err("2025-02-30 is not a date".to_string())
        );
        assert_eq!(
            parse_date_flag("2025-13-01"),
            Err("2025-13-01 is not a date".to_string())
        );
        assert_eq!(
            parse_date_flag("July"),
            Err("expected a date as YYYY-MM-DD".to_string())
        );
        // 2024 is a leap year (divisible by 4, not by 100).
        assert!(parse_date_flag("2024-02-29").is_ok());
    }

    #[test]
    fn spans_in_days_and_weeks() {
        assert_eq!(parse_span_flag("28d"), Ok(28));
        assert_eq!(parse_span_flag("4w"), Ok(28));
        assert_eq!(parse_span_flag("90"), Ok(90));
        assert_eq!(parse_span_flag(" 7D "), Ok(7));
        for bad in ["0d", "-3d", "d", "", "2m", "1.5w", "99999w"] {
            assert!(parse_span_flag(bad).is_err(), "{bad:?} accepted");
        }
    }
}
