//! What each chart shows, as plain values: pure functions from the athlete-days of `view` to
//! the series the drawing code plots. Unknown stays unknown (`None`): a gap in a line, never a
//! zero.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::theme::Band;
use crate::scoring::{Bands, FactorId};
use crate::view::{self, Day};

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
pub const STACK_ORDER: [FactorId; 11] = [
    FactorId::Predisposition,
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
    pub tsb: Option<f64>,
    pub acwr: Option<f64>,
}

pub fn load_points(days: &[Day]) -> Vec<LoadPoint> {
    days.iter()
        .map(|d| LoadPoint {
            date: d.date,
            load: d.load,
            atl: d.atl,
            ctl: d.ctl,
            tsb: d.tsb,
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
    let last = view::last_date(days)?;
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
        total_athletes: view::by_athlete(days).len(),
    })
}

/// The band a mean score falls in (for colouring ranking bars).
pub fn band_of(mean: Option<f64>, bands: &Bands) -> Option<Band> {
    mean.map(|m| Band::of_score(m, bands))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates;

    fn date(text: &str) -> NaiveDate {
        dates::parse_date(text).unwrap()
    }

    fn day(athlete: &str, d: &str, score: Option<f64>) -> Day {
        Day {
            risk_score: score,
            ..Day::new(athlete, date(d))
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
}
