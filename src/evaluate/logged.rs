//! The cramps beside the daily table: which athlete-days have data (the one rule that rejects
//! a cramp of an unknown athlete or on a day without data), and `daily_risk.csv`'s
//! `cramp_logged` column — `log`, `mention`, `none` (a cramp log names the athlete and has no
//! cramp that day) or empty (unknown: no cramp log names the athlete). Pure.

use std::collections::{BTreeMap, BTreeSet};

use polars::prelude::*;

use crate::ingest::cramplog::{Cramp, CrampSource};
use crate::ingest::Rejection;
use crate::schema as s;

/// The `daily_risk.csv` column.
pub const CRAMP_LOGGED: &str = "cramp_logged";

/// Each athlete's first and last day in a daily table (days since the epoch).
pub fn spans(daily: &DataFrame) -> anyhow::Result<BTreeMap<String, (i32, i32)>> {
    let athlete = daily.column(s::ATHLETE)?.str()?.clone();
    let date = daily.column(s::DATE)?.date()?.physical().clone();
    let mut span: BTreeMap<String, (i32, i32)> = BTreeMap::new();
    for i in 0..daily.height() {
        let (Some(a), Some(d)) = (athlete.get(i), date.get(i)) else {
            continue;
        };
        let e = span.entry(a.to_string()).or_insert((d, d));
        e.0 = e.0.min(d);
        e.1 = e.1.max(d);
    }
    Ok(span)
}

/// Why a cramp matches no day with data (None: it does).
pub fn unmatched(c: &Cramp, spans: &BTreeMap<String, (i32, i32)>) -> Option<Rejection> {
    let d = crate::dates::to_days(c.date);
    let reject = |reason: String| {
        Some(Rejection {
            file: c.file.clone(),
            line: Some(c.line),
            reason,
        })
    };
    let what = match c.source {
        CrampSource::Log => "a cramp",
        CrampSource::Mention => "a cramp mentioned in a session title",
    };
    match spans.get(&c.athlete) {
        None => reject(format!(
            "{what} of {:?}, who has no activities, daily summaries or fluids in the inputs \
             (a misspelt name? aliases go in athletes.toml)",
            c.athlete
        )),
        Some(&(first, last)) if d < first || d > last => reject(format!(
            "{what} on {}, a day with no data for {} (their data runs {} to {})",
            c.date,
            c.athlete,
            crate::dates::from_days(first),
            crate::dates::from_days(last)
        )),
        Some(_) => None,
    }
}

/// The athletes a cramp log names: on their days "no cramp logged" means `none`; on anyone
/// else's it is unknown. Mentions cover no one (a title without one says nothing).
pub fn covered(cramps: &[Cramp]) -> BTreeSet<String> {
    cramps
        .iter()
        .filter(|c| c.source == CrampSource::Log)
        .map(|c| c.athlete.clone())
        .collect()
}

/// `cramp_logged` for each row of a daily table: `log` when a cramp log has a cramp that day,
/// else `mention` when only a title mentions one, else `none` when the athlete is `covered`,
/// else null (unknown).
pub fn cramp_column(
    daily: &DataFrame,
    cramps: &[Cramp],
    covered: &BTreeSet<String>,
) -> anyhow::Result<Column> {
    let mut on: BTreeMap<(&str, i32), CrampSource> = BTreeMap::new();
    for c in cramps {
        let e = on
            .entry((c.athlete.as_str(), crate::dates::to_days(c.date)))
            .or_insert(c.source);
        if c.source == CrampSource::Log {
            *e = CrampSource::Log;
        }
    }
    let athlete = daily.column(s::ATHLETE)?.str()?;
    let date = daily.column(s::DATE)?.date()?.physical();
    let values: Vec<Option<&str>> = athlete
        .iter()
        .zip(date.iter())
        .map(|(a, d)| {
            let (a, d) = (a?, d?);
            match on.get(&(a, d)) {
                Some(src) => Some(src.name()),
                None if covered.contains(a) => Some("none"),
                None => None,
            }
        })
        .collect();
    Ok(Column::new(CRAMP_LOGGED.into(), values))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn cramp(athlete: &str, date: &str, source: CrampSource) -> Cramp {
        Cramp {
            athlete: athlete.into(),
            date: date.parse().unwrap(),
            muscle: None,
            severity: None,
            when: None,
            note: None,
            source,
            file: "c.csv".into(),
            line: 2,
        }
    }

    #[test]
    fn log_beats_mention_and_uncovered_athletes_are_unknown() {
        let d = |s: &str| crate::dates::to_days(s.parse::<NaiveDate>().unwrap());
        let mut daily = df!(
            s::ATHLETE => ["ana", "ana", "ana", "ben", "ben"],
            s::DATE => [d("2025-06-01"), d("2025-06-02"), d("2025-06-03"), d("2025-06-01"), d("2025-06-02")],
        )
        .unwrap();
        daily
            .with_column(
                daily
                    .column(s::DATE)
                    .unwrap()
                    .cast(&DataType::Date)
                    .unwrap(),
            )
            .unwrap();
        let cramps = [
            cramp("ana", "2025-06-01", CrampSource::Mention),
            cramp("ana", "2025-06-01", CrampSource::Log),
            cramp("ana", "2025-06-03", CrampSource::Mention),
            cramp("ben", "2025-06-02", CrampSource::Mention),
        ];
        let col = cramp_column(&daily, &cramps, &covered(&cramps)).unwrap();
        let v: Vec<Option<&str>> = col.str().unwrap().iter().collect();
        // ana is named by a log: her day without anything is "none". ben only has a mention:
        // his other day is unknown.
        assert_eq!(
            v,
            [
                Some("log"),
                Some("none"),
                Some("mention"),
                None,
                Some("mention")
            ]
        );
        let spans = spans(&daily).unwrap();
        assert!(unmatched(&cramps[0], &spans).is_none());
        let r = unmatched(&cramp("ana", "2025-07-01", CrampSource::Log), &spans).unwrap();
        assert_eq!(
            r.reason,
            "a cramp on 2025-07-01, a day with no data for ana (their data runs 2025-06-01 to 2025-06-03)"
        );
        let r = unmatched(&cramp("zed", "2025-06-01", CrampSource::Mention), &spans).unwrap();
        assert!(r
            .reason
            .starts_with("a cramp mentioned in a session title of \"zed\""));
    }
}
