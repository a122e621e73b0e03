//! What a run reports: the days (`--from/--to/--last/--as-of` resolved against the data) and
//! the athletes (`--athlete`, matched through aliases and case) — the one home of athlete
//! matching for the commands.

use chrono::NaiveDate;
use polars::prelude::*;

use crate::compute::Analysis;
use crate::config::DayFlags;
use crate::schema as s;
use crate::{dates, profiles};

/// The days and athletes a run reports, resolved from the flags and the data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// The day "this week" ends on (team summary).
    pub as_of: Option<NaiveDate>,
    /// Canonical athlete names to keep (empty = all).
    pub athletes: Vec<String>,
}

impl Selection {
    /// Resolves the flags: the days against the daily table's last day, the names against
    /// the analysis's athletes. The day is given, not read from the table: `analyze` chooses
    /// the days before the table is computed (`compute::Prepared::last_day`), to write its
    /// rows as they are computed.
    pub fn resolve(
        days: &DayFlags,
        wanted: &[String],
        analysis: &Analysis,
        last_day: Option<NaiveDate>,
    ) -> anyhow::Result<Selection> {
        let (from, to, as_of) = days.resolve(last_day);
        Ok(Selection {
            from,
            to,
            as_of,
            athletes: wanted
                .iter()
                .map(|w| athlete(w, analysis))
                .collect::<anyhow::Result<_>>()?,
        })
    }

    /// Keeps the rows of the selected days and athletes.
    pub fn apply(&self, daily: &DataFrame) -> anyhow::Result<DataFrame> {
        if self.from.is_none() && self.to.is_none() && self.athletes.is_empty() {
            // Every row: the same table, not a filtered copy of it.
            return Ok(daily.clone());
        }
        let day = |d: NaiveDate| lit(dates::to_days(d)).cast(DataType::Date);
        let mut keep = lit(true);
        if let Some(f) = self.from {
            keep = keep.and(col(s::DATE).gt_eq(day(f)));
        }
        if let Some(t) = self.to {
            keep = keep.and(col(s::DATE).lt_eq(day(t)));
        }
        if !self.athletes.is_empty() {
            let names = Series::new("wanted".into(), self.athletes.clone());
            keep = keep.and(col(s::ATHLETE).is_in(lit(names).implode(false), false));
        }
        Ok(daily.clone().lazy().filter(keep).collect()?)
    }
}

/// The athletes of a frame with an `athlete` column, in its order.
pub fn athlete_names(df: &DataFrame) -> anyhow::Result<Vec<String>> {
    Ok(df
        .column(s::ATHLETE)?
        .str()?
        .iter()
        .flatten()
        .map(str::to_string)
        .collect())
}

/// The canonical name of an athlete asked for by name (`--athlete`), matched through the
/// spellings met in the inputs and the profiles' aliases, case- and space-insensitively; an
/// unknown name is an error that lists the athletes (closest first).
pub fn athlete(wanted: &str, analysis: &Analysis) -> anyhow::Result<String> {
    let known = athlete_names(&analysis.athletes)?;
    let key = profiles::name_key(wanted);
    // The last of two athletes with one key wins, as a map built from the list would.
    let found = known
        .iter()
        .rev()
        .find(|n| profiles::name_key(n) == key)
        .or_else(|| {
            analysis
                .ingested
                .spellings
                .iter()
                .find(|(spelling, _)| profiles::name_key(spelling) == key)
                .map(|(_, athlete)| athlete)
        });
    found.cloned().ok_or_else(|| {
        let sim = |n: &str| strsim::jaro_winkler(&profiles::name_key(n), &key);
        let mut near = known.clone();
        near.sort_by(|a, b| sim(b).total_cmp(&sim(a)).then(a.cmp(b)));
        // The closest athlete by any of their spellings (name, aliases, names met in the
        // files), when close enough to be a slip of the keyboard.
        let suggestion = known
            .iter()
            .map(|n| (sim(n), n))
            .chain(
                analysis
                    .ingested
                    .spellings
                    .iter()
                    .map(|(spelling, athlete)| (sim(spelling), athlete)),
            )
            .filter(|(score, _)| *score >= SUGGEST_SIMILARITY)
            .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(a.1)))
            .map(|(_, n)| format!(" Did you mean {n:?}?"))
            .unwrap_or_default();
        // A name no one has is a mistake in the command line: a usage error (exit 2).
        crate::config::UsageError(format!(
            "--athlete {wanted:?}: no such athlete in the inputs.{suggestion} (athletes: {})",
            near.join(", ")
        ))
        .into()
    })
}

/// The Jaro–Winkler similarity (of the case- and space-folded names) above which an unknown
/// name is offered the closest athlete: `anna` → `ana` is 0.93, `Bartholomeu` →
/// `Bartholomew` 0.96, while unrelated short names (`ana` → `ben`) score 0.
const SUGGEST_SIMILARITY: f64 = 0.8;
