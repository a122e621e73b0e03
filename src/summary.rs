//! The terminal summary of a run: each input file with its kind and row counts, the athletes
//! and dates covered, and the highest-risk days. Takes finished data; computes no score.

use std::fmt::Write;
use std::path::Path;

use polars::prelude::*;

use crate::schema as s;
use crate::Analysis;

/// How many of the highest-risk days to list.
const TOP_DAYS: usize = 5;

/// Renders the summary as text.
pub fn render(a: &Analysis, out_dir: &Path) -> anyhow::Result<String> {
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
                t.push_str(&crate::inspect::describe(f));
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
            [s::RISK_SCORE, s::ATHLETE, s::DATE],
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
        let scores = top.column(s::RISK_SCORE)?.f64()?.clone();
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
    let rejected = a.ingested.rejections.len();
    writeln!(
        t,
        "Wrote {} and {} ({} rejected).",
        out_dir.join("daily_risk.csv").display(),
        out_dir.join("rejected_rows.csv").display(),
        rejected
    )?;
    writeln!(
        t,
        "An evidence-informed heuristic, not a diagnosis or medical advice."
    )?;
    Ok(t)
}
