//! The terminal summary of a run: each input file with its kind and row counts, the athletes
//! and dates covered, and the highest-risk days. Takes finished data; computes no score.

use polars::prelude::*;
use std::fmt::Write;

use crate::compute::Analysis;
use crate::schema as s;

/// How many of the highest-risk days to list.
const TOP_DAYS: usize = 5;

/// The reading's warnings, one `warning: …` line each (printed on stderr, apart from the
/// summary, which is the run's result).
pub fn warnings(a: &Analysis) -> String {
    a.ingested
        .warnings
        .iter()
        .map(|w| format!("warning: {w}\n"))
        .collect()
}

/// Renders the summary as text; `wrote` are the lines naming the files the run wrote.
pub fn render(a: &Analysis, team: &DataFrame, wrote: &[String]) -> anyhow::Result<String> {
    let mut t = String::new();
    writeln!(t, "Inputs:")?;
    for f in &a.ingested.files {
        match (&f.kind, &f.skipped) {
            (_, Some(why)) => writeln!(t, "  {}  SKIPPED: {why}", f.path.display())?,
            (Some(kind), None) => {
                writeln!(
                    t,
                    "  {}  {kind}: {} rows read, {} used, {} rejected",
                    f.path.display(),
                    f.rows_read,
                    f.rows_used,
                    f.rows_rejected
                )?;
                t.push_str(&f.describe());
            }
            (None, None) => writeln!(t, "  {}", f.path.display())?,
        }
    }
    if let Some(p) = &a.ingested.profiles_path {
        writeln!(
            t,
            "  {}  profiles: {} athletes",
            p.display(),
            a.ingested.profiles.athletes.len()
        )?;
    }
    let df = &a.daily;
    let athletes = df.column(s::ATHLETE)?.n_unique()?;
    let dates = df.column(s::DATE)?.cast(&DataType::Int32)?;
    let dates = dates.i32()?;
    let span = match (dates.min(), dates.max()) {
        (Some(lo), Some(hi)) => format!(
            "{} to {}",
            crate::dates::from_days(lo),
            crate::dates::from_days(hi)
        ),
        _ => "no days".to_string(),
    };
    writeln!(
        t,
        "Athletes: {athletes}; days: {span}; {} athlete-days",
        df.height()
    )?;
    let top = df
        .clone()
        .lazy()
        .sort(
            [s::RISK_PCT, s::ATHLETE, s::DATE],
            SortMultipleOptions::default()
                .with_order_descending_multi([true, false, false])
                .with_nulls_last(true),
        )
        .limit(TOP_DAYS as IdxSize)
        .collect()?;
    if top.height() > 0 {
        writeln!(t, "Highest-risk days:")?;
        let names = top.column(s::ATHLETE)?.str()?.clone();
        let days = top.column(s::DATE)?.cast(&DataType::Int32)?;
        let days = days.i32()?;
        let scores = top.column(s::RISK_PCT)?.f64()?.clone();
        let bands = top.column(s::RISK_BAND)?.str()?.clone();
        for i in 0..top.height() {
            writeln!(
                t,
                "  {:<12} {}  {:>5.1}  {}",
                names.get(i).unwrap_or(""),
                days.get(i)
                    .map(crate::dates::from_days)
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
                scores.get(i).unwrap_or(f64::NAN),
                bands.get(i).unwrap_or("")
            )?;
        }
    }
    if team.height() > 0 {
        render_team(&mut t, team)?;
    }
    for line in wrote {
        writeln!(t, "{line}")?;
    }
    writeln!(
        t,
        "An evidence-informed heuristic, not a diagnosis or medical advice."
    )?;
    Ok(t)
}

/// How many athletes the terminal ranking lists (all are in team_summary.csv).
const RANKED: usize = 15;

/// The athletes ranked as in team_summary.csv, with the notes a coach should see.
fn render_team(t: &mut String, team: &DataFrame) -> anyhow::Result<()> {
    let text = |c: &str| -> anyhow::Result<StringChunked> { Ok(team.column(c)?.str()?.clone()) };
    let int = |c: &str| -> anyhow::Result<Int64Chunked> { Ok(team.column(c)?.i64()?.clone()) };
    let num = |c: &str| -> anyhow::Result<Float64Chunked> { Ok(team.column(c)?.f64()?.clone()) };
    let (names, bands, leads) = (
        text(s::ATHLETE)?,
        text("latest_band")?,
        text("frequent_top_factors")?,
    );
    let (high7, high28) = (int("high_days_last_7")?, int("high_days_last_28")?);
    let (latest, mean7) = (num("latest_score")?, num("mean_score_last_7")?);
    let latest_day = team.column("latest_day")?.cast(&DataType::Int32)?;
    let latest_day = latest_day.i32()?;
    let as_of = latest_day
        .max()
        .map(|d| crate::dates::from_days(d).to_string())
        .unwrap_or_default();
    writeln!(
        t,
        "Team, week ending {as_of} (ranked by the mean score of the last 7 days):"
    )?;
    let width = names
        .iter()
        .flatten()
        .map(|n| n.chars().count())
        .max()
        .unwrap_or(0)
        .clamp(7, 28);
    writeln!(
        t,
        "  {:<width$} {:>6} {:>6} {:>7} {:>13}  most often leading",
        "athlete", "mean 7", "high 7", "high 28", "latest"
    )?;
    let fmt = |x: Option<f64>| x.map_or("-".to_string(), |v| format!("{v:.1}"));
    for i in 0..team.height().min(RANKED) {
        writeln!(
            t,
            "  {:<width$} {:>6} {:>6} {:>7} {:>13}  {}",
            names.get(i).unwrap_or(""),
            fmt(mean7.get(i)),
            high7.get(i).unwrap_or(0),
            high28.get(i).unwrap_or(0),
            format!("{} {}", fmt(latest.get(i)), bands.get(i).unwrap_or("")),
            leads.get(i).unwrap_or("")
        )?;
    }
    if team.height() > RANKED {
        writeln!(t, "  … {} more in team_summary.csv", team.height() - RANKED)?;
    }
    let notes = text("location_note")?;
    let defaulted = text("profile_defaulted")?;
    for i in 0..team.height() {
        let name = names.get(i).unwrap_or("");
        if let Some(n) = notes.get(i).filter(|n| !n.is_empty()) {
            writeln!(t, "note: {name}: {n}")?;
        }
        if let Some(d) = defaulted.get(i).filter(|d| !d.is_empty()) {
            writeln!(t, "note: {name}: from [defaults] in athletes.toml: {d}")?;
        }
    }
    Ok(())
}
