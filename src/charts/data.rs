//! What each chart shows, as plain values: pure functions from the athlete-days of `view` to
//! the series the drawing code plots. Unknown stays unknown (`None`): a gap in a line, never a
//! zero.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::model::{Band, FactorId};
use crate::view::{Day, TeamDays};

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

/// The factors whose effect changes from day to day, in the order their effects are stacked
/// (nearest the zero line first): every factor but the profile ones (`day_invariant`), which
/// are stated once per athlete instead.
pub fn day_factors() -> Vec<FactorId> {
    FactorId::ALL
        .into_iter()
        .filter(|f| !f.day_invariant())
        .collect()
}

/// One day of the risk chart: the probability with its range, and the factors' effects.
#[derive(Debug, Clone, PartialEq)]
pub struct RiskDay {
    pub date: NaiveDate,
    pub risk_pct: Option<f64>,
    /// The range the unknown inputs could move the estimate over.
    pub low_pct: Option<f64>,
    pub high_pct: Option<f64>,
    pub band: Option<Band>,
    /// The trailing 7-day mean of risk_pct.
    pub mean7: Option<f64>,
    /// (factor, from, to) in log-odds: each day factor with a known odds multiplier other than
    /// 1 (to the 3 decimals of daily_risk.csv), stacked up from 0 when it raises the odds (ln OR > 0) and down from 0 when it lowers
    /// them. Log-odds add up, so a stack's end is the day factors' combined effect.
    pub effects: Vec<(FactorId, f64, f64)>,
    /// A cramp that day: logged, or only mentioned in a session title.
    pub cramp: Option<crate::ingest::cramplog::CrampSource>,
}

/// The risk chart of one athlete's days.
pub fn risk_days(days: &[Day]) -> Vec<RiskDay> {
    let series: Vec<(NaiveDate, Option<f64>)> = days.iter().map(|d| (d.date, d.risk_pct)).collect();
    let means = trailing_mean(&series, MEAN_WINDOW_DAYS, MEAN_MIN_KNOWN);
    let factors = day_factors();
    days.iter()
        .zip(means)
        .map(|(d, mean7)| {
            let (mut up, mut down) = (0.0, 0.0);
            let mut effects = Vec::new();
            for id in &factors {
                let Some(k) = FactorId::ALL.iter().position(|f| f == id) else {
                    continue;
                };
                // A multiplier that prints as 1.000 in daily_risk.csv is no effect here too.
                let Some(log) = d.odds[k]
                    .filter(|o| *o > 0.0 && (o - 1.0).abs() >= 5e-4)
                    .map(f64::ln)
                else {
                    continue;
                };
                if log > 0.0 {
                    effects.push((*id, up, up + log));
                    up += log;
                } else if log < 0.0 {
                    effects.push((*id, down, down + log));
                    down += log;
                }
            }
            RiskDay {
                date: d.date,
                risk_pct: d.risk_pct,
                low_pct: d.risk_low_pct,
                high_pct: d.risk_high_pct,
                band: d.band,
                mean7,
                effects,
                cramp: d.cramp,
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
pub fn heatmap(team: &TeamDays, order: &[String], max_rows: usize) -> Option<Heatmap> {
    let (first, last) = (team.first_date()?, team.last_date()?);
    let athletes: Vec<String> = order.iter().take(max_rows).cloned().collect();
    let rows: BTreeMap<&str, usize> = athletes
        .iter()
        .enumerate()
        .map(|(i, a)| (a.as_str(), i))
        .collect();
    // In the table's order (athlete, then date), read only for the athletes shown.
    let mut cells = Vec::new();
    for (k, name) in team.names().enumerate() {
        if let Some(&r) = rows.get(name) {
            cells.extend(team.days_of(k).iter().map(|d| (r, d.date, d.band)));
        }
    }
    Some(Heatmap {
        athletes,
        first,
        last,
        cells,
        total_athletes: team.athlete_count(),
    })
}

/// The band a mean probability falls in (for colouring ranking bars).
pub fn band_of(mean: Option<f64>) -> Option<Band> {
    mean.map(Band::of_pct)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates;

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
    fn effects_stack_log_odds_up_and_down_and_leave_out_unknown_and_profile_factors() {
        let k = |f: FactorId| FactorId::ALL.iter().position(|x| *x == f).unwrap();
        let mut d = day("ana", "2025-06-01", Some(12.0));
        d.odds[k(FactorId::Exertion)] = Some(2.0);
        d.odds[k(FactorId::Fatigue)] = Some(0.5); // protective: below the line
        d.odds[k(FactorId::Dehydration)] = None; // unknown: no segment
        d.odds[k(FactorId::Electrolytes)] = Some(1.0); // no effect: no segment
        d.odds[k(FactorId::Heat)] = Some(1.5);
        d.odds[k(FactorId::Predisposition)] = Some(10.85); // profile: never stacked
        let days = risk_days(&[d]);
        let (ln2, ln15) = (2f64.ln(), 1.5f64.ln());
        assert_eq!(
            days[0].effects,
            vec![
                (FactorId::Exertion, 0.0, ln2),
                (FactorId::Fatigue, 0.0, -ln2),
                (FactorId::Heat, ln2, ln2 + ln15),
            ]
        );
    }
}
