//! The finished daily table as plain rows, read once for every view of it (the charts, the
//! HTML report and the terminal summary): the athlete-days, grouped per athlete, the
//! highest-risk days (one rule, used everywhere) and the days per band. Unknown stays
//! unknown (`None`): a gap in a line, an empty cell, never a zero. Computes no score.

use chrono::NaiveDate;
use polars::prelude::*;

use crate::columns::Floats;
use crate::dates;
use crate::evaluate::logged::CRAMP_LOGGED;
use crate::ingest::cramplog::CrampSource;
use crate::model::{Band, FactorId};
use crate::schema as s;

/// One athlete-day, as read from the daily table. Its texts are borrowed from the table, not
/// copied: a squad's days are read in full for the charts and the report, and the three
/// explanation texts are most of a daily table's bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct Day<'a> {
    pub athlete: &'a str,
    pub date: NaiveDate,
    /// The estimated probability of a cramp (%), and the range the unknown inputs could
    /// move it over.
    pub risk_pct: Option<f64>,
    pub risk_low_pct: Option<f64>,
    pub risk_high_pct: Option<f64>,
    pub band: Option<Band>,
    /// Each factor's odds multiplier that day, in `FactorId::ALL` order (1 = no effect; None:
    /// its inputs were unknown and it was imputed).
    pub odds: [Option<f64>; FactorId::ALL.len()],
    pub load: Option<f64>,
    pub atl: Option<f64>,
    pub ctl: Option<f64>,
    /// Form (training stress balance), as in the daily table.
    pub tsb: Option<f64>,
    pub acwr: Option<f64>,
    pub fluid_intake_ml: Option<f64>,
    pub fluid_need_ml: Option<f64>,
    pub heat_index_c: Option<f64>,
    pub confidence: Option<f64>,
    pub missing_inputs: Option<&'a str>,
    pub top_factors: Option<&'a str>,
    pub recommendation: Option<&'a str>,
    /// A cramp that day (`cramp_logged`: a log, or only a title's mention); None when none was
    /// logged or it is unknown (the table's column, absent when no cramps were read, tells).
    pub cramp: Option<CrampSource>,
}

/// The number columns a day carries besides the risk and the factors' odds, in the order
/// `days_where` takes them apart.
const NUMBER_COLUMNS: [&str; 9] = [
    s::LOAD,
    s::ATL,
    s::CTL,
    s::TSB,
    s::ACWR,
    s::FLUID_INTAKE_ML,
    s::FLUID_NEED_ML,
    s::HEAT_INDEX_C,
    "confidence",
];

fn column<'a>(df: &'a DataFrame, name: &str) -> anyhow::Result<&'a Column> {
    anyhow::Context::with_context(df.column(name), || {
        format!("column {name} missing from the daily table")
    })
}

/// A number column of the daily table, read by row index (`columns::Floats`); a non-finite
/// value reads as unknown.
struct Numbers(Floats);

impl Numbers {
    fn of(df: &DataFrame, name: &str) -> anyhow::Result<Numbers> {
        Ok(Numbers(Floats::of(column(df, name)?)?))
    }

    fn get(&self, i: usize) -> Option<f64> {
        self.0.get(i).filter(|x| x.is_finite())
    }
}

/// A text column's cells, borrowed from the table; an empty cell reads as unknown.
fn texts<'a>(df: &'a DataFrame, name: &str) -> anyhow::Result<Vec<Option<&'a str>>> {
    Ok(column(df, name)?
        .str()?
        .iter()
        .map(|v| v.filter(|t| !t.is_empty()))
        .collect())
}

impl<'a> Day<'a> {
    /// A day of an athlete with every value unknown.
    pub fn new(athlete: &'a str, date: NaiveDate) -> Day<'a> {
        Day {
            athlete,
            date,
            risk_pct: None,
            risk_low_pct: None,
            risk_high_pct: None,
            band: None,
            odds: [None; FactorId::ALL.len()],
            load: None,
            atl: None,
            ctl: None,
            tsb: None,
            acwr: None,
            fluid_intake_ml: None,
            fluid_need_ml: None,
            heat_index_c: None,
            confidence: None,
            missing_inputs: None,
            top_factors: None,
            recommendation: None,
            cramp: None,
        }
    }
}

/// The daily table as rows, sorted by athlete then date. Athlete names come only from the
/// `athlete` column; rows without an athlete or a date are not days and are left out.
pub fn days_from_frame(df: &DataFrame) -> anyhow::Result<Vec<Day<'_>>> {
    days_where(df, |_| true)
}

/// The rows `keep` accepts, as `days_from_frame` reads them.
fn days_where(df: &DataFrame, keep: impl Fn(usize) -> bool) -> anyhow::Result<Vec<Day<'_>>> {
    let athletes = texts(df, s::ATHLETE)?;
    let day_numbers: Vec<Option<i32>> = {
        let c = anyhow::Context::context(df.column(s::DATE), "column date missing")?;
        c.cast(&DataType::Int32)?.i32()?.iter().collect()
    };
    let pct = Numbers::of(df, s::RISK_PCT)?;
    let low = Numbers::of(df, s::RISK_LOW_PCT)?;
    let high = Numbers::of(df, s::RISK_HIGH_PCT)?;
    let band: Vec<Option<Band>> = column(df, s::RISK_BAND)?
        .cast(&DataType::String)?
        .str()?
        .iter()
        .map(|v| v.and_then(Band::parse))
        .collect();
    let ors: Vec<Numbers> = FactorId::ALL
        .iter()
        .map(|id| Numbers::of(df, &id.or_col()))
        .collect::<anyhow::Result<_>>()?;
    let [load, atl, ctl, tsb, acwr, intake, need, heat, confidence] =
        NUMBER_COLUMNS.map(|n| Numbers::of(df, n));
    let (load, atl, ctl, tsb, acwr) = (load?, atl?, ctl?, tsb?, acwr?);
    let (intake, need, heat, confidence) = (intake?, need?, heat?, confidence?);
    let top = texts(df, "top_factors")?;
    let advice = texts(df, "recommendation")?;
    let missing = texts(df, "missing_inputs")?;
    // Only when cramps were read (`evaluate::logged`).
    let cramps: Vec<Option<CrampSource>> = match df.column(CRAMP_LOGGED) {
        Ok(c) => c
            .str()?
            .iter()
            .map(|v| match v {
                Some("log") => Some(CrampSource::Log),
                Some("mention") => Some(CrampSource::Mention),
                _ => None,
            })
            .collect(),
        Err(_) => vec![None; df.height()],
    };
    // The rows kept with their athlete and day, in athlete then date order (a stable sort:
    // rows with the same athlete and date keep their table order). Row indices are sorted,
    // not the days, whose sort needed a scratch copy half the size of a squad's days (166 MB
    // at 1,000 athletes × 730 days).
    let mut rows: Vec<(usize, &str, i32)> = (0..df.height())
        .filter(|&i| keep(i))
        .filter_map(|i| Some((i, athletes[i]?, day_numbers[i]?)))
        .collect();
    rows.sort_by_key(|&(_, athlete, day)| (athlete, day));
    let mut out = Vec::with_capacity(rows.len());
    for (i, athlete, day) in rows {
        let mut odds = [None; FactorId::ALL.len()];
        for (k, o) in ors.iter().enumerate() {
            odds[k] = o.get(i);
        }
        out.push(Day {
            athlete,
            date: dates::from_days(day),
            risk_pct: pct.get(i),
            risk_low_pct: low.get(i),
            risk_high_pct: high.get(i),
            band: band[i],
            odds,
            load: load.get(i),
            atl: atl.get(i),
            ctl: ctl.get(i),
            tsb: tsb.get(i),
            acwr: acwr.get(i),
            fluid_intake_ml: intake.get(i),
            fluid_need_ml: need.get(i),
            heat_index_c: heat.get(i),
            confidence: confidence.get(i),
            missing_inputs: missing[i],
            top_factors: top[i],
            recommendation: advice[i],
            cramp: cramps[i],
        });
    }
    Ok(out)
}

/// The days grouped per athlete (input sorted by athlete, as `days_from_frame` returns).
pub fn by_athlete<'d, 'a>(days: &'d [Day<'a>]) -> Vec<(&'a str, &'d [Day<'a>])> {
    let mut out: Vec<(&str, &[Day])> = Vec::new();
    let mut start = 0;
    for i in 1..=days.len() {
        if i == days.len() || days[i].athlete != days[start].athlete {
            if start < i {
                out.push((days[start].athlete, &days[start..i]));
            }
            start = i;
        }
    }
    out
}

/// The last date in the table: the default `as_of` of the ranking.
pub fn last_date(days: &[Day]) -> Option<NaiveDate> {
    days.iter().map(|d| d.date).max()
}

/// The order of the highest-risk days, everywhere they are listed: highest `risk_pct` first; equal
/// estimates by athlete name, then by date (earliest first). Days without an estimate are not
/// listed.
pub fn highest_first(a: &Day, b: &Day) -> std::cmp::Ordering {
    let score = |d: &Day| d.risk_pct.unwrap_or(f64::NEG_INFINITY);
    score(b)
        .total_cmp(&score(a))
        .then_with(|| a.athlete.cmp(b.athlete))
        .then(a.date.cmp(&b.date))
}

/// The `n` highest-risk days, in `highest_first` order.
pub fn highest_days<'d, 'a>(days: &'d [Day<'a>], n: usize) -> Vec<&'d Day<'a>> {
    let mut scored: Vec<&Day> = days.iter().filter(|d| d.risk_pct.is_some()).collect();
    scored.sort_by(|a, b| highest_first(a, b));
    scored.truncate(n);
    scored
}

/// The `n` highest-risk days of a whole daily table, without turning every row into a `Day`:
/// only the rows at least as high as the n-th highest `risk_pct` (ties kept) are read, then ordered by
/// `highest_first`.
pub fn highest_days_of_frame(df: &DataFrame, n: usize) -> anyhow::Result<Vec<Day<'_>>> {
    if n == 0 || df.height() == 0 {
        return Ok(Vec::new());
    }
    let risk = Numbers::of(df, s::RISK_PCT)?;
    let mut scores: Vec<f64> = (0..df.height()).filter_map(|i| risk.get(i)).collect();
    if scores.is_empty() {
        return Ok(Vec::new());
    }
    scores.sort_by(|a, b| b.total_cmp(a));
    let threshold = scores[(n - 1).min(scores.len() - 1)];
    let days = days_where(df, |i| risk.get(i).is_some_and(|r| r >= threshold))?;
    Ok(highest_days(&days, n).into_iter().cloned().collect())
}

/// Days per band, in `Band::ALL` order.
pub fn band_counts(days: &[Day]) -> [usize; 4] {
    let mut counts = [0; 4];
    for d in days {
        if let Some(b) = d.band {
            counts[b as usize] += 1;
        }
    }
    counts
}

/// The mean of the known `risk_pct` in a window of days, and how many days it rests on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WindowMean {
    pub mean: Option<f64>,
    /// Days in the window with a known estimate.
    pub days: usize,
}

/// The mean `risk_pct` over the `window` calendar days ending on `as_of` (inclusive).
pub fn window_mean(days: &[Day], as_of: NaiveDate, window: i64) -> WindowMean {
    let known: Vec<f64> = days
        .iter()
        .filter(|d| d.date <= as_of && (as_of - d.date).num_days() < window)
        .filter_map(|d| d.risk_pct)
        .collect();
    WindowMean {
        mean: (!known.is_empty()).then(|| known.iter().sum::<f64>() / known.len() as f64),
        days: known.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        dates::parse_date(text).unwrap()
    }

    fn day<'a>(athlete: &'a str, d: &str, score: Option<f64>) -> Day<'a> {
        Day {
            risk_pct: score,
            ..Day::new(athlete, date(d))
        }
    }

    #[test]
    fn frame_rows_become_sorted_days_with_unknowns_kept() {
        let mut cols = vec![
            Column::new(s::ATHLETE.into(), ["ben", "ana", "ana"]),
            Column::new(s::DATE.into(), [20240i32, 20241, 20240])
                .cast(&DataType::Date)
                .unwrap(),
            Column::new(s::RISK_PCT.into(), [Some(12.0), None, Some(30.0)]),
            Column::new(s::RISK_LOW_PCT.into(), [Some(10.0), None, Some(25.0)]),
            Column::new(s::RISK_HIGH_PCT.into(), [Some(15.0), None, Some(33.0)]),
            Column::new("missing_inputs".into(), ["", "", "fluids"]),
            Column::new(s::RISK_BAND.into(), ["low", "low", "moderate"]),
            Column::new("top_factors".into(), ["", "x", "y"]),
            Column::new("recommendation".into(), ["a", "b", "c"]),
        ];
        for name in NUMBER_COLUMNS {
            cols.push(Column::new(name.into(), [Some(1.0), None, Some(f64::NAN)]));
        }
        for id in FactorId::ALL {
            cols.push(Column::new(
                id.or_col().into(),
                [Some(1.0), None, Some(2.0)],
            ));
        }
        let df = DataFrame::new_infer_height(cols).unwrap();
        let days = days_from_frame(&df).unwrap();
        let keys: Vec<(String, String)> = days
            .iter()
            .map(|d| (d.athlete.to_string(), d.date.to_string()))
            .collect();
        // Day 20240 after 1970-01-01 is 2025-06-01.
        assert_eq!(
            keys,
            [
                ("ana".to_string(), "2025-06-01".to_string()),
                ("ana".to_string(), "2025-06-02".to_string()),
                ("ben".to_string(), "2025-06-01".to_string()),
            ]
        );
        assert_eq!(days[0].risk_pct, Some(30.0));
        assert_eq!(
            (days[0].risk_low_pct, days[0].risk_high_pct),
            (Some(25.0), Some(33.0))
        );
        assert_eq!(days[0].missing_inputs, Some("fluids"));
        assert_eq!(days[0].odds[0], Some(2.0));
        assert_eq!(days[0].band, Some(Band::Moderate));
        assert_eq!(days[0].load, None, "NaN is unknown, not a number");
        assert_eq!(days[1].risk_pct, None);
        assert_eq!(days[1].odds[0], None, "unknown odds stay unknown");
        assert_eq!(days[2].top_factors, None, "empty text is no text");
        assert_eq!(by_athlete(&days).len(), 2);
    }

    #[test]
    fn highest_days_break_ties_by_athlete_then_date() {
        let days = vec![
            day("ben", "2025-06-02", Some(40.0)),
            day("ana", "2025-06-03", Some(40.0)),
            day("ana", "2025-06-01", Some(55.0)),
            day("ana", "2025-06-02", None),
        ];
        let top: Vec<(&str, String)> = highest_days(&days, 3)
            .iter()
            .map(|d| (d.athlete, d.date.to_string()))
            .collect();
        assert_eq!(
            top,
            [
                ("ana", "2025-06-01".to_string()),
                ("ana", "2025-06-03".to_string()),
                ("ben", "2025-06-02".to_string()),
            ]
        );
    }
    #[test]
    fn highest_days_of_a_frame_follow_the_same_rule_and_keep_ties() {
        // Scores: ana 40 (06-03), 55 (06-01), none (06-02); ben 40 (06-02), 10 (06-01).
        // The 3 highest: ana 55; then the 40s tied, ana before ben. With n = 2 the threshold
        // is 40, so both 40s are read and the rule keeps ana's.
        let df = DataFrame::new_infer_height(vec![
            Column::new(s::ATHLETE.into(), ["ben", "ana", "ana", "ana", "ben"]),
            Column::new(s::DATE.into(), [20241i32, 20242, 20240, 20241, 20240])
                .cast(&DataType::Date)
                .unwrap(),
            Column::new(
                s::RISK_PCT.into(),
                [Some(40.0), Some(40.0), Some(55.0), None, Some(10.0)],
            ),
            Column::new(s::RISK_LOW_PCT.into(), [None::<f64>; 5]),
            Column::new(s::RISK_HIGH_PCT.into(), [None::<f64>; 5]),
            Column::new("missing_inputs".into(), [""; 5]),
            Column::new(s::RISK_BAND.into(), ["moderate"; 5]),
            Column::new("top_factors".into(), [""; 5]),
            Column::new("recommendation".into(), [""; 5]),
        ])
        .unwrap();
        let mut df = df;
        for name in NUMBER_COLUMNS {
            df.with_column(Column::new(name.into(), [None::<f64>; 5]))
                .unwrap();
        }
        for id in FactorId::ALL {
            df.with_column(Column::new(id.or_col().into(), [None::<f64>; 5]))
                .unwrap();
        }
        let keys = |n: usize| -> Vec<(String, String)> {
            highest_days_of_frame(&df, n)
                .unwrap()
                .iter()
                .map(|d| (d.athlete.to_string(), d.date.to_string()))
                .collect()
        };
        // Day 20240 is 2025-06-01.
        assert_eq!(
            keys(2),
            [
                ("ana".to_string(), "2025-06-01".to_string()),
                ("ana".to_string(), "2025-06-03".to_string()),
            ]
        );
        assert_eq!(keys(9).len(), 4, "the unscored day is never listed");
        assert!(keys(0).is_empty());
    }
}
