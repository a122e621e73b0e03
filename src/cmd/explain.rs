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
    super::print_result(&explain::breakdown(&analysis.daily, row, &inputs.model)?)?;
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
            if let Some(c) = analysis.capped.filter(|c| date > c.to) {
                return anyhow::anyhow!("no day {date} for athlete {athlete:?}: {}", c.note());
            }
            // The athlete is known (matched above): say which days their data covers.
            let theirs: Vec<i32> = (0..analysis.daily.height())
                .filter(|&i| athletes.get(i) == Some(athlete.as_str()))
                .filter_map(|i| days.get(i))
                .collect();
            match (theirs.iter().min(), theirs.iter().max()) {
                (Some(&lo), Some(&hi)) => anyhow::anyhow!(
                    "no day {date} for athlete {athlete:?}: their data covers {} to {}",
                    dates::from_days(lo),
                    dates::from_days(hi)
                ),
                _ => anyhow::anyhow!("no day {date} for athlete {athlete:?}: no days scored"),
            }
        })
}
