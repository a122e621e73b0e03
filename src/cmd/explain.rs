//! `cramprisk explain --athlete NAME --date DATE`: one day's breakdown, factor by factor.

use polars::prelude::*;

use super::Outcome;
use crate::compute::{self, Analysis};
use crate::config::ExplainConfig;
use crate::schema as s;
use crate::{dates, explain, select};

pub fn run(cfg: &ExplainConfig) -> anyhow::Result<Outcome> {
    let inputs = compute::gather(&cfg.inputs)?;
    let analysis = compute::compute(&inputs, Some(cfg.date), None)?;
    let row = day_row(&analysis, &cfg.athlete, cfg.date)?;
    print!(
        "{}",
        explain::breakdown(&analysis.daily, row, &inputs.model)?
    );
    Ok(Outcome::Success)
}

/// The row of the daily table of an athlete (matched as `--athlete` is) on a day.
fn day_row(analysis: &Analysis, wanted: &str, date: chrono::NaiveDate) -> anyhow::Result<usize> {
    let athlete = select::athlete(wanted, analysis)?;
    let athletes = analysis.daily.column(s::ATHLETE)?.str()?.clone();
    let days = analysis.daily.column(s::DATE)?.cast(&DataType::Int32)?;
    let days = days.i32()?;
    let target = dates::to_days(date);
    (0..analysis.daily.height())
        .find(|&i| athletes.get(i) == Some(athlete.as_str()) && days.get(i) == Some(target))
        .ok_or_else(|| {
            let mut known: Vec<String> = athletes.iter().flatten().map(str::to_string).collect();
            known.dedup();
            anyhow::anyhow!(
                "no day {date} for athlete {wanted:?} in the inputs (athletes: {})",
                known.join(", ")
            )
        })
}
