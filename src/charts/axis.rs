//! Chart axes whose ticks fall where a reader expects them: calendar dates (every day, every
//! Monday, every other Monday, the 1st of each month) and one tick per row of a team chart.
//! Plotters' plain numeric axes would put ticks on "round" day numbers such as day 20 220.

use std::ops::Range;

use chrono::{Datelike, NaiveDate, Weekday};
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};

use crate::dates;

/// A linear f64 axis with tick sets from coarse to fine; the finest set that fits is used.
#[derive(Debug, Clone)]
pub struct TickedAxis {
    range: Range<f64>,
    /// Candidate tick sets, coarse first.
    levels: Vec<Vec<f64>>,
}

impl TickedAxis {
    /// Days as plotted: day numbers (days since 1970-01-01), each day centred on its number.
    pub fn days(first: NaiveDate, last: NaiveDate) -> TickedAxis {
        let (a, b) = (dates::to_days(first), dates::to_days(last.max(first)));
        let all: Vec<NaiveDate> = (a..=b).map(dates::from_days).collect();
        let pick = |keep: &dyn Fn(&NaiveDate) -> bool| -> Vec<f64> {
            all.iter()
                .filter(|d| keep(d))
                .map(|d| dates::to_days(*d) as f64)
                .collect()
        };
        let first_monday = all.iter().find(|d| d.weekday() == Weekday::Mon).copied();
        let new_year = |d: &NaiveDate| d.day() == 1 && d.month() == 1;
        let levels = vec![
            // Decades of data: every 5th or 2nd new year; then every new year; then quarters.
            pick(&|d| new_year(d) && d.year() % 5 == 0),
            pick(&|d| new_year(d) && d.year() % 2 == 0),
            pick(&new_year),
            pick(&|d| d.day() == 1 && d.month0() % 3 == 0),
            pick(&|d| d.day() == 1),
            pick(&|d| {
                first_monday
                    .is_some_and(|m| d.weekday() == Weekday::Mon && (*d - m).num_days() % 14 == 0)
            }),
            pick(&|d| d.weekday() == Weekday::Mon),
            pick(&|_| true),
        ];
        TickedAxis {
            range: a as f64 - 0.5..b as f64 + 0.5,
            levels,
        }
    }

    /// `n` rows, each centred on its index (0 at the bottom).
    pub fn rows(n: usize) -> TickedAxis {
        TickedAxis {
            range: -0.5..n.max(1) as f64 - 0.5,
            levels: vec![(0..n).map(|i| i as f64).collect()],
        }
    }

    /// A plain numeric range with ticks every `step`.
    pub fn linear(range: Range<f64>, steps: &[f64]) -> TickedAxis {
        let levels = steps
            .iter()
            .map(|&step| {
                let start = (range.start / step).ceil() as i64;
                let end = (range.end / step).floor() as i64;
                (start..=end).map(|k| k as f64 * step).collect()
            })
            .collect();
        TickedAxis { range, levels }
    }

    /// A linear axis with ticks exactly at `ticks` (those inside the range), e.g. at the logs
    /// of round odds multipliers.
    pub fn at(range: Range<f64>, ticks: &[f64]) -> TickedAxis {
        let level = ticks
            .iter()
            .copied()
            .filter(|t| *t >= range.start && *t <= range.end)
            .collect();
        TickedAxis {
            range,
            levels: vec![level],
        }
    }

    /// The tick set used for at most `max` ticks.
    pub fn ticks(&self, max: usize) -> Vec<f64> {
        let mut chosen: &[f64] = &[];
        for level in &self.levels {
            if level.len() <= max {
                chosen = level;
            }
        }
        // Even the coarsest level has too many: keep every k-th of it, spread over the whole
        // range (never only the first few, which would leave the rest of the axis unlabelled).
        if chosen.is_empty() {
            if let Some(first) = self.levels.first() {
                let k = first.len().div_ceil(max.max(1)).max(1);
                return first.iter().step_by(k).copied().collect();
            }
        }
        chosen.to_vec()
    }
}

impl Ranged for TickedAxis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let span = self.range.end - self.range.start;
        let t = if span > 0.0 {
            (value - self.range.start) / span
        } else {
            0.5
        };
        limit.0 + ((limit.1 - limit.0) as f64 * t).round() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        self.ticks(hint.max_num_points())
    }

    fn range(&self) -> Range<f64> {
        self.range.clone()
    }
}

/// A date tick's label: "1 Jun"; when the period spans more than one year, "2019" for a new
/// year, "Apr 2019" for another month start, "3 Jun 2019" otherwise.
pub fn date_label(day: f64, with_year: bool) -> String {
    let d = dates::from_days(day.round() as i32);
    match (with_year, d.day(), d.month()) {
        (false, _, _) => d.format("%-d %b").to_string(),
        (true, 1, 1) => d.format("%Y").to_string(),
        (true, 1, _) => d.format("%b %Y").to_string(),
        (true, _, _) => d.format("%-d %b %Y").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn long_periods_tick_on_month_starts_short_ones_on_mondays() {
        let axis = TickedAxis::days(d(2025, 5, 1), d(2025, 8, 28));
        let labels: Vec<String> = axis
            .ticks(6)
            .iter()
            .map(|&x| date_label(x, false))
            .collect();
        assert_eq!(labels, ["1 May", "1 Jun", "1 Jul", "1 Aug"]);
        // 2025-06-02 was a Monday (calendar); three weeks → Mondays 2, 9, 16.
        let short = TickedAxis::days(d(2025, 6, 1), d(2025, 6, 21));
        let labels: Vec<String> = short
            .ticks(5)
            .iter()
            .map(|&x| date_label(x, false))
            .collect();
        assert_eq!(labels, ["2 Jun", "9 Jun", "16 Jun"]);
    }

    #[test]
    fn years_of_data_tick_on_new_years_across_the_whole_axis() {
        // 2017-03-01 to 2026-05-13 (the real Garmin export's span): new years 2018..2026 = 9.
        let axis = TickedAxis::days(d(2017, 3, 1), d(2026, 5, 13));
        let labels: Vec<String> = axis
            .ticks(10)
            .iter()
            .map(|&x| date_label(x, true))
            .collect();
        assert_eq!(
            labels,
            ["2018", "2019", "2020", "2021", "2022", "2023", "2024", "2025", "2026"]
        );
        // Forty years with room for 3 labels: every 5th new year is 8 ticks, too many, so
        // every 3rd of them, spread to the end.
        let axis = TickedAxis::days(d(1990, 1, 1), d(2029, 12, 31));
        let labels: Vec<String> = axis.ticks(3).iter().map(|&x| date_label(x, true)).collect();
        assert_eq!(labels, ["1990", "2005", "2020"]);
        assert_eq!(
            date_label(dates::to_days(d(2019, 4, 1)) as f64, true),
            "Apr 2019"
        );
    }

    #[test]
    fn rows_tick_on_every_row() {
        assert_eq!(TickedAxis::rows(3).ticks(10), [0.0, 1.0, 2.0]);
        assert_eq!(TickedAxis::rows(3).range(), -0.5..2.5);
    }

    #[test]
    fn linear_ticks_pick_the_finest_step_that_fits() {
        let axis = TickedAxis::linear(0.0..100.0, &[50.0, 25.0, 10.0]);
        assert_eq!(axis.ticks(5), [0.0, 25.0, 50.0, 75.0, 100.0]);
        assert_eq!(axis.ticks(11).len(), 11);
    }
}
