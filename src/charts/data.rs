//! What each chart shows, as plain values: pure functions from the finished daily table (one
//! row per athlete and day) to the series the drawing code plots. Unknown stays unknown
//! (`None`): a gap in a line, an empty cell, never a zero.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use polars::prelude::*;

use super::Band;
use crate::dates;
use crate::model::{Bands, FactorId};
use crate::schema as s;

/// One athlete-day, as read from the daily table.
#[derive(Debug, Clone, PartialEq)]
pub struct Day {
    pub athlete: String,
    pub date: NaiveDate,
    pub risk_score: Option<f64>,
    pub band: Option<Band>,
    /// Each factor's points, in `FactorId::ALL` order (None: its inputs were unknown).
    pub points: [Option<f64>; FactorId::ALL.len()],
    pub load: Option<f64>,
    pub atl: Option<f64>,
    pub ctl: Option<f64>,
    pub acwr: Option<f64>,
    pub fluid_intake_ml: Option<f64>,
    pub fluid_need_ml: Option<f64>,
    pub heat_index_c: Option<f64>,
    pub confidence: Option<f64>,
    pub top_factors: Option<String>,
    pub recommendation: Option<String>,
}

fn numbers(df: &DataFrame, name: &str) -> anyhow::Result<Vec<Option<f64>>> {
    let c = anyhow::Context::with_context(df.column(name), || {
        format!("column {name} missing from the daily table")
    })?;
    Ok(c.cast(&DataType::Float64)?
        .f64()?
        .iter()
        .map(|v| v.filter(|x| x.is_finite()))
        .collect())
}

fn texts(df: &DataFrame, name: &str) -> anyhow::Result<Vec<Option<String>>> {
    let c = anyhow::Context::with_context(df.column(name), || {
        format!("column {name} missing from the daily table")
    })?;
    Ok(c.cast(&DataType::String)?
        .str()?
        .iter()
        .map(|v| v.filter(|t| !t.is_empty()).map(str::to_string))
        .collect())
}

/// The daily table as rows, sorted by athlete then date. Athlete names come only from the
/// `athlete` column; rows without an athlete or a date are not days and are left out.
pub fn days_from_frame(df: &DataFrame) -> anyhow::Result<Vec<Day>> {
    let athletes = texts(df, s::ATHLETE)?;
    let day_numbers: Vec<Option<i32>> = {
        let c = anyhow::Context::context(df.column(s::DATE), "column date missing")?;
        c.cast(&DataType::Int32)?.i32()?.iter().collect()
    };
    let score = numbers(df, s::RISK_PCT)?;
    let band = texts(df, s::RISK_BAND)?;
    let ors: Vec<Vec<Option<f64>>> = FactorId::ALL
        .iter()
        .map(|id| numbers(df, &id.or_col()))
        .collect::<anyhow::Result<_>>()?;
    let [load, atl, ctl, acwr, intake, need, heat, confidence] = [
        s::LOAD,
        s::ATL,
        s::CTL,
        s::ACWR,
        s::FLUID_INTAKE_ML,
        s::FLUID_NEED_ML,
        s::HEAT_INDEX_C,
        "confidence",
    ]
    .map(|n| numbers(df, n));
    let (load, atl, ctl, acwr) = (load?, atl?, ctl?, acwr?);
    let (intake, need, heat, confidence) = (intake?, need?, heat?, confidence?);
    // Moved into the days below, not cloned: the two longest texts of the table would
    // otherwise be held twice over (about 0.4 GB at 1,000 athletes × 730 days).
    let mut top = texts(df, "top_factors")?;
    let mut advice = texts(df, "recommendation")?;
    let mut out = Vec::with_capacity(df.height());
    for i in 0..df.height() {
        let (Some(athlete), Some(day)) = (&athletes[i], day_numbers[i]) else {
            continue;
        };
        // Until the charts show odds multipliers: the day's probability shared out in
        // proportion to each known factor's log odds multiplier above 1.
        let mut points = [None; FactorId::ALL.len()];
        let logs: Vec<Option<f64>> = ors.iter().map(|o| o[i].map(|v| v.ln().max(0.0))).collect();
        let total: f64 = logs.iter().flatten().sum();
        for (k, l) in logs.iter().enumerate() {
            points[k] = l.map(|l| match score[i] {
                Some(p) if total > 0.0 => p * l / total,
                _ => 0.0,
            });
        }
        out.push(Day {
            athlete: athlete.clone(),
            date: dates::from_days(day),
            risk_score: score[i],
            band: band[i].as_deref().and_then(Band::parse),
            points,
            load: load[i],
            atl: atl[i],
            ctl: ctl[i],
            acwr: acwr[i],
            fluid_intake_ml: intake[i],
            fluid_need_ml: need[i],
            heat_index_c: heat[i],
            confidence: confidence[i],
            top_factors: top[i].take(),
            recommendation: advice[i].take(),
        });
    }
    out.sort_by(|a, b| (&a.athlete, a.date).cmp(&(&b.athlete, b.date)));
    Ok(out)
}

/// The days grouped per athlete (input sorted by athlete, as `days_from_frame` returns).
pub fn by_athlete(days: &[Day]) -> Vec<(&str, &[Day])> {
    let mut out: Vec<(&str, &[Day])> = Vec::new();
    let mut start = 0;
    for i in 1..=days.len() {
        if i == days.len() || days[i].athlete != days[start].athlete {
            if start < i {
                out.push((days[start].athlete.as_str(), &days[start..i]));
            }
            start = i;
        }
    }
    out
}

/// The mean of the known values over the `window` calendar days ending on each day (that day
/// included), when at least `min_known` of them are known. `series` is (date, value), sorted.
pub fn trailing_mean(
    series: &[(NaiveDate, Option<f64>)],
    window: i64,
    min_known: usize,
) -> Vec<Option<f64>> {
    series
        .iter()
        .map(|(day, _)| {
            let known: Vec<f64> = series
                .iter()
                .filter(|(d, _)| *d <= *day && (*day - *d).num_days() < window)
                .filter_map(|(_, v)| *v)
                .collect();
            (known.len() >= min_known.max(1))
                .then(|| known.iter().sum::<f64>() / known.len() as f64)
        })
        .collect()
}

/// The days of the trailing risk mean: a week.
pub const MEAN_WINDOW_DAYS: i64 = 7;
/// Known days needed for the trailing mean: more than half the window.
pub const MEAN_MIN_KNOWN: usize = 4;

/// The order factors are stacked in, bottom first: predisposition, a constant per athlete, is
/// the base; the day's factors sit on it in `FactorId::ALL` order.
pub const STACK_ORDER: [FactorId; 12] = [
    FactorId::Predisposition,
    FactorId::Sex,
    FactorId::Exertion,
    FactorId::Fatigue,
    FactorId::Dehydration,
    FactorId::Electrolytes,
    FactorId::Heat,
    FactorId::Conditioning,
    FactorId::NewActivity,
    FactorId::Warmup,
    FactorId::StaticPosture,
    FactorId::Cold,
];

/// One bar of the risk chart: the factors' points stacked in `STACK_ORDER`.
#[derive(Debug, Clone, PartialEq)]
pub struct RiskBar {
    pub date: NaiveDate,
    pub risk_score: Option<f64>,
    pub band: Option<Band>,
    /// (factor, bottom, top) of each factor with known, positive points.
    pub stack: Vec<(FactorId, f64, f64)>,
    /// The trailing 7-day mean of risk_score.
    pub mean7: Option<f64>,
}

/// The risk chart of one athlete's days.
pub fn risk_bars(days: &[Day]) -> Vec<RiskBar> {
    let series: Vec<(NaiveDate, Option<f64>)> =
        days.iter().map(|d| (d.date, d.risk_score)).collect();
    let means = trailing_mean(&series, MEAN_WINDOW_DAYS, MEAN_MIN_KNOWN);
    days.iter()
        .zip(means)
        .map(|(d, mean7)| {
            let mut bottom = 0.0;
            let mut stack = Vec::new();
            for id in STACK_ORDER {
                let Some(k) = FactorId::ALL.iter().position(|f| *f == id) else {
                    continue;
                };
                if let Some(p) = d.points[k].filter(|p| *p > 0.0) {
                    stack.push((id, bottom, bottom + p));
                    bottom += p;
                }
            }
            RiskBar {
                date: d.date,
                risk_score: d.risk_score,
                band: d.band,
                stack,
                mean7,
            }
        })
        .collect()
}

/// One day of the load chart.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadPoint {
    pub date: NaiveDate,
    pub load: Option<f64>,
    pub atl: Option<f64>,
    pub ctl: Option<f64>,
    pub acwr: Option<f64>,
}

pub fn load_points(days: &[Day]) -> Vec<LoadPoint> {
    days.iter()
        .map(|d| LoadPoint {
            date: d.date,
            load: d.load,
            atl: d.atl,
            ctl: d.ctl,
            acwr: d.acwr,
        })
        .collect()
}

/// One day of the fluids chart.
#[derive(Debug, Clone, PartialEq)]
pub struct FluidPoint {
    pub date: NaiveDate,
    pub intake_ml: Option<f64>,
    pub need_ml: Option<f64>,
    pub heat_index_c: Option<f64>,
}

pub fn fluid_points(days: &[Day]) -> Vec<FluidPoint> {
    days.iter()
        .map(|d| FluidPoint {
            date: d.date,
            intake_ml: d.fluid_intake_ml,
            need_ml: d.fluid_need_ml,
            heat_index_c: d.heat_index_c,
        })
        .collect()
}

/// A mean of risk_score over a window of days.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WindowMean {
    pub mean: Option<f64>,
    /// Days in the window with a known score.
    pub days: usize,
}

/// An athlete's place in the team ranking.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked {
    pub athlete: String,
    pub last7: WindowMean,
    pub last28: WindowMean,
}

fn window_mean(days: &[Day], as_of: NaiveDate, window: i64) -> WindowMean {
    let known: Vec<f64> = days
        .iter()
        .filter(|d| d.date <= as_of && (as_of - d.date).num_days() < window)
        .filter_map(|d| d.risk_score)
        .collect();
    WindowMean {
        mean: (!known.is_empty()).then(|| known.iter().sum::<f64>() / known.len() as f64),
        days: known.len(),
    }
}

/// The team ranked by mean risk_score over the 7 and the 28 days ending on `as_of` (inclusive),
/// highest 7-day mean first; athletes with no known day in a window rank last.
pub fn ranking(days: &[Day], as_of: NaiveDate) -> Vec<Ranked> {
    let mut out: Vec<Ranked> = by_athlete(days)
        .into_iter()
        .map(|(name, rows)| Ranked {
            athlete: name.to_string(),
            last7: window_mean(rows, as_of, 7),
            last28: window_mean(rows, as_of, 28),
        })
        .collect();
    let key = |m: &WindowMean| m.mean.unwrap_or(f64::NEG_INFINITY);
    out.sort_by(|a, b| {
        key(&b.last7)
            .total_cmp(&key(&a.last7))
            .then(key(&b.last28).total_cmp(&key(&a.last28)))
            .then_with(|| a.athlete.cmp(&b.athlete))
    });
    out
}

/// The last date in the table: the default `as_of` of the ranking.
pub fn last_date(days: &[Day]) -> Option<NaiveDate> {
    days.iter().map(|d| d.date).max()
}

/// The team heat map: athletes (rows, top first) × days, each cell the day's band.
#[derive(Debug, Clone, PartialEq)]
pub struct Heatmap {
    pub athletes: Vec<String>,
    pub first: NaiveDate,
    pub last: NaiveDate,
    /// (row, date, band) of every day that has a row in the table.
    pub cells: Vec<(usize, NaiveDate, Option<Band>)>,
    /// Athletes in the table; more than `athletes.len()` when the map shows only some.
    pub total_athletes: usize,
}

/// The heat map of the athletes in `order` (e.g. the ranking's), at most `max_rows` of them.
pub fn heatmap(days: &[Day], order: &[String], max_rows: usize) -> Option<Heatmap> {
    let first = days.iter().map(|d| d.date).min()?;
    let last = last_date(days)?;
    let athletes: Vec<String> = order.iter().take(max_rows).cloned().collect();
    let rows: BTreeMap<&str, usize> = athletes
        .iter()
        .enumerate()
        .map(|(i, a)| (a.as_str(), i))
        .collect();
    let cells = days
        .iter()
        .filter_map(|d| rows.get(d.athlete.as_str()).map(|&r| (r, d.date, d.band)))
        .collect();
    Some(Heatmap {
        athletes,
        first,
        last,
        cells,
        total_athletes: by_athlete(days).len(),
    })
}

/// The `n` highest-risk days (ties: athlete, then date), for the report.
pub fn highest_days(days: &[Day], n: usize) -> Vec<&Day> {
    let mut scored: Vec<&Day> = days.iter().filter(|d| d.risk_score.is_some()).collect();
    scored.sort_by(|a, b| {
        b.risk_score
            .unwrap_or(f64::NEG_INFINITY)
            .total_cmp(&a.risk_score.unwrap_or(f64::NEG_INFINITY))
            .then_with(|| a.athlete.cmp(&b.athlete))
            .then(a.date.cmp(&b.date))
    });
    scored.truncate(n);
    scored
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

/// The band a mean score falls in (for colouring ranking bars).
pub fn band_of(mean: Option<f64>, bands: &Bands) -> Option<Band> {
    mean.map(|m| Band::of_score(m, bands))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        dates::parse_date(text).unwrap()
    }

    fn day(athlete: &str, d: &str, score: Option<f64>) -> Day {
        Day {
            athlete: athlete.to_string(),
            date: date(d),
            risk_score: score,
            band: None,
            points: [None; FactorId::ALL.len()],
            load: None,
            atl: None,
            ctl: None,
            acwr: None,
            fluid_intake_ml: None,
            fluid_need_ml: None,
            heat_index_c: None,
            confidence: None,
            top_factors: None,
            recommendation: None,
        }
    }

    #[test]
    fn trailing_mean_skips_unknowns_and_needs_four_known_days() {
        // Scores 10, 20, ?, 30, 40, 50, 60, 70 on 1–8 June.
        let scores = [
            Some(10.0),
            Some(20.0),
            None,
            Some(30.0),
            Some(40.0),
            Some(50.0),
            Some(60.0),
            Some(70.0),
        ];
        let series: Vec<(NaiveDate, Option<f64>)> = scores
            .iter()
            .enumerate()
            .map(|(i, s)| (date(&format!("2025-06-{:02}", i + 1)), *s))
            .collect();
        let m = trailing_mean(&series, 7, 4);
        // 1–4 June: 10, 20, 30 known → 3 < 4 → none.
        assert_eq!(m[..4], [None, None, None, None]);
        // 5 June: (10 + 20 + 30 + 40) / 4 = 25.
        assert_eq!(m[4], Some(25.0));
        // 7 June (window 1–7): (10+20+30+40+50+60)/6 = 35.
        assert_eq!(m[6], Some(35.0));
        // 8 June (window 2–8): (20+30+40+50+60+70)/6 = 45.
        assert_eq!(m[7], Some(45.0));
    }

    #[test]
    fn trailing_mean_counts_calendar_days_not_rows() {
        // A 10-day gap: the 7-day window of 15 June holds only that day.
        let series = vec![
            (date("2025-06-01"), Some(90.0)),
            (date("2025-06-15"), Some(10.0)),
        ];
        assert_eq!(trailing_mean(&series, 7, 1), [Some(90.0), Some(10.0)]);
    }

    #[test]
    fn stack_skips_unknown_and_zero_factors_and_tops_out_at_the_sum() {
        let mut d = day("ana", "2025-06-01", Some(31.5));
        d.points[0] = Some(4.0); // exertion
        d.points[2] = None; // dehydration unknown
        d.points[3] = Some(0.0); // electrolytes zero: no segment
        d.points[4] = Some(7.5); // heat
        d.points[10] = Some(20.0); // predisposition
        let bars = risk_bars(&[d]);
        assert_eq!(
            bars[0].stack,
            vec![
                (FactorId::Predisposition, 0.0, 20.0),
                (FactorId::Exertion, 20.0, 24.0),
                (FactorId::Heat, 24.0, 31.5),
            ]
        );
    }

    #[test]
    fn stack_order_holds_every_factor_once() {
        for id in FactorId::ALL {
            assert_eq!(
                STACK_ORDER.iter().filter(|f| **f == id).count(),
                1,
                "{id:?}"
            );
        }
    }

    #[test]
    fn ranking_uses_the_windows_ending_on_as_of() {
        let mut days = Vec::new();
        // ana: 1–28 June score = day of month; ben: 50 every day but unknown in the last week.
        for i in 1..=30 {
            let d = format!("2025-06-{i:02}");
            days.push(day("ana", &d, Some(i as f64)));
            days.push(day("ben", &d, (i <= 21).then_some(50.0)));
        }
        days.sort_by(|a, b| (&a.athlete, a.date).cmp(&(&b.athlete, b.date)));
        let r = ranking(&days, date("2025-06-28"));
        // ana 7 days = 22..=28 → mean 25; 28 days = 1..=28 → mean 14.5.
        // ben: 22–28 unknown → no 7-day mean, ranks below ana; 28 days = 1–21 known → 50.
        assert_eq!(r[0].athlete, "ana");
        assert_eq!(
            r[0].last7,
            WindowMean {
                mean: Some(25.0),
                days: 7
            }
        );
        assert_eq!(
            r[0].last28,
            WindowMean {
                mean: Some(14.5),
                days: 28
            }
        );
        assert_eq!(r[1].athlete, "ben");
        assert_eq!(
            r[1].last7,
            WindowMean {
                mean: None,
                days: 0
            }
        );
        assert_eq!(
            r[1].last28,
            WindowMean {
                mean: Some(50.0),
                days: 21
            }
        );
    }

    #[test]
    fn frame_rows_become_sorted_days_with_unknowns_kept() {
        let mut cols = vec![
            Column::new(s::ATHLETE.into(), ["ben", "ana", "ana"]),
            Column::new(s::DATE.into(), [20240i32, 20241, 20240])
                .cast(&DataType::Date)
                .unwrap(),
            Column::new(s::RISK_PCT.into(), [Some(12.0), None, Some(30.0)]),
            Column::new(s::RISK_BAND.into(), ["low", "low", "moderate"]),
            Column::new("top_factors".into(), ["", "x", "y"]),
            Column::new("recommendation".into(), ["a", "b", "c"]),
        ];
        for name in [
            s::LOAD,
            s::ATL,
            s::CTL,
            s::ACWR,
            s::FLUID_INTAKE_ML,
            s::FLUID_NEED_ML,
            s::HEAT_INDEX_C,
            "confidence",
        ] {
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
            .map(|d| (d.athlete.clone(), d.date.to_string()))
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
        assert_eq!(days[0].risk_score, Some(30.0));
        assert_eq!(days[0].band, Some(Band::Moderate));
        assert_eq!(days[0].load, None, "NaN is unknown, not a number");
        assert_eq!(days[1].risk_score, None);
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
            .map(|d| (d.athlete.as_str(), d.date.to_string()))
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
}
