//! The heat of the hours a session covers, from the hourly weather at its athlete's place:
//! the hottest hour's heat index and its WBGT, and the coldest apparent temperature. Each
//! covered hour is one lookup in an index of the weather's hours, made once per run.
//!
//! Why not polars: the same result as a plan is the sessions exploded into their hours, an
//! inner join with the hours, a sort and a group-by — a million rows made, joined and sorted at
//! 1,000 athletes × 730 days to pick three values per session; the loop runs 4 % fewer
//! instructions of the whole run (docs/performance.md, sixteenth session). The picks are
//! maxima and minima, exact in any order, so the loop gives the values the plan gave.

use polars::prelude::*;

use super::cmp_known;
use crate::schema as s;

/// The weather's hours by place and hour, with the values a session picks from.
pub struct HourHeat {
    /// A place's key (`weather_key` of the athletes, `location` of the weather) → its number.
    places: PlHashMap<String, u32>,
    /// Each place's hours, by its number.
    hours: Vec<PlaceHours>,
    heat_index: Vec<Option<f64>>,
    wbgt: Vec<Option<f64>>,
    apparent: Vec<Option<f64>>,
}

/// A value as the picks read it: a NaN (which checked inputs cannot give) is unknown, as a
/// null is, so it is never picked.
fn known(x: Option<f64>) -> Option<f64> {
    x.filter(|v| !v.is_nan())
}

impl HourHeat {
    /// The index of the hourly weather (`location`, `hour`, `hi`, `wbgt`, `apparent`; one row
    /// per place and hour, as `weather_hours` makes it).
    pub fn of(hours: &DataFrame) -> PolarsResult<HourHeat> {
        let locations = hours.column(s::LOCATION)?.str()?;
        let hour = hours.column(s::HOUR)?.i64()?;
        let floats = |name: &str| -> PolarsResult<Vec<Option<f64>>> {
            Ok(hours.column(name)?.f64()?.iter().map(known).collect())
        };
        let mut places: PlHashMap<String, u32> = PlHashMap::new();
        let mut rows: Vec<Vec<(i64, u32)>> = Vec::new();
        for (row, (place, hour)) in locations.iter().zip(hour.iter()).enumerate() {
            let (Some(place), Some(hour)) = (place, hour) else {
                continue;
            };
            let next = u32::try_from(places.len()).unwrap_or(u32::MAX);
            let number = *places.entry(place.to_string()).or_insert(next) as usize;
            if number == rows.len() {
                rows.push(Vec::new());
            }
            rows[number].push((hour, u32::try_from(row).unwrap_or(u32::MAX)));
        }
        Ok(HourHeat {
            places,
            hours: rows.into_iter().map(PlaceHours::of).collect(),
            heat_index: floats("hi")?,
            wbgt: floats("wbgt")?,
            apparent: floats("apparent")?,
        })
    }

    /// For each session (its place's key, the hour it starts in and the hour of its last
    /// minute; a session with any of them unknown covers no hour): `hours_hi`, the highest
    /// heat index of the hours covered that have weather; `hours_wbgt`, the WBGT of the hour
    /// greatest by (heat index, WBGT), unknowns lowest; `session_apparent_c`, the lowest
    /// apparent temperature. Unknown where no hour has the value.
    pub fn of_sessions(
        &self,
        places: &StringChunked,
        first_hour: &Int64Chunked,
        last_hour: &Int64Chunked,
    ) -> [Column; 3] {
        let n = places.len();
        let mut hi_out: Vec<Option<f64>> = Vec::with_capacity(n);
        let mut wbgt_out: Vec<Option<f64>> = Vec::with_capacity(n);
        let mut apparent_out: Vec<Option<f64>> = Vec::with_capacity(n);
        let mut last_place: Option<(&str, Option<u32>)> = None;
        for ((place, first), last) in places.iter().zip(first_hour.iter()).zip(last_hour.iter()) {
            let mut pick = Pick::default();
            if let (Some(place), Some(first), Some(last)) = (place, first, last) {
                // A squad's sessions come athlete by athlete: the place is looked up once per
                // run of sessions at the same place.
                let number = match last_place {
                    Some((p, number)) if p == place => number,
                    _ => {
                        let number = self.places.get(place).copied();
                        last_place = Some((place, number));
                        number
                    }
                };
                if let Some(hours) = number.and_then(|n| self.hours.get(n as usize)) {
                    hours.each_row(first, last, |row| {
                        pick.add(self.heat_index[row], self.wbgt[row], self.apparent[row]);
                    });
                }
            }
            hi_out.push(pick.hi);
            wbgt_out.push(pick.hottest.and_then(|(_, wbgt)| wbgt));
            apparent_out.push(pick.apparent);
        }
        [
            Column::new("hours_hi".into(), hi_out),
            Column::new("hours_wbgt".into(), wbgt_out),
            Column::new("session_apparent_c".into(), apparent_out),
        ]
    }
}

/// One place's hours → their rows. Why not one hash map of (place, hour): a session's hours
/// were a hash lookup each, and the loop a sixth of the day measures' time at 1,000 × 730
/// (perf); a place's weather is nearly every hour of its span, so a row per hour of the span,
/// found by subtraction, is about as large as the map.
enum PlaceHours {
    /// The rows of the hours from `first` on (`NO_ROW`: no weather that hour).
    Dense { first: i64, rows: Vec<u32> },
    /// A few hours far apart (a span more than `DENSE_SPAN_PER_HOUR` times their number):
    /// a row per hour of the span would be mostly empty.
    Sparse(PlHashMap<i64, u32>),
}

const NO_ROW: u32 = u32::MAX;
/// The widest span, in hours per hour with weather (plus a day), kept as a row per hour.
const DENSE_SPAN_PER_HOUR: usize = 4;

impl PlaceHours {
    /// `hours`: (hour, row), one per hour.
    fn of(hours: Vec<(i64, u32)>) -> PlaceHours {
        let lo = hours.iter().map(|h| h.0).min().unwrap_or(0);
        let hi = hours.iter().map(|h| h.0).max().unwrap_or(0);
        let span =
            usize::try_from(hi.saturating_sub(lo)).map_or(usize::MAX, |s| s.saturating_add(1));
        if span
            > hours
                .len()
                .saturating_mul(DENSE_SPAN_PER_HOUR)
                .saturating_add(24)
        {
            return PlaceHours::Sparse(hours.into_iter().collect());
        }
        let mut rows = vec![NO_ROW; span];
        for (hour, row) in hours {
            rows[(hour - lo) as usize] = row;
        }
        PlaceHours::Dense { first: lo, rows }
    }

    /// Calls `f` with the row of each hour from `first` to `last` (inclusive) that has one.
    fn each_row(&self, first: i64, last: i64, mut f: impl FnMut(usize)) {
        match self {
            PlaceHours::Dense { first: start, rows } => {
                // The part of the session's hours inside the span (none when outside it).
                let from = first.max(*start).saturating_sub(*start);
                let to = last.saturating_sub(*start).min(rows.len() as i64 - 1);
                if from > to {
                    return;
                }
                for &row in &rows[from as usize..=to as usize] {
                    if row != NO_ROW {
                        f(row as usize);
                    }
                }
            }
            PlaceHours::Sparse(rows) => {
                for hour in first..=last {
                    if let Some(&row) = rows.get(&hour) {
                        f(row as usize);
                    }
                }
            }
        }
    }
}

/// What a session's hours give so far.
#[derive(Default)]
struct Pick {
    hi: Option<f64>,
    /// (heat index, WBGT) of the greatest hour so far, unknowns lowest; `None` before any hour.
    hottest: Option<(Option<f64>, Option<f64>)>,
    apparent: Option<f64>,
}

impl Pick {
    fn add(&mut self, hi: Option<f64>, wbgt: Option<f64>, apparent: Option<f64>) {
        if let Some(h) = hi {
            self.hi = Some(self.hi.map_or(h, |m| m.max(h)));
        }
        if let Some(a) = apparent {
            self.apparent = Some(self.apparent.map_or(a, |m| m.min(a)));
        }
        // `Option`'s order puts `None` lowest, as the sort with unknowns first did.
        let key = (hi, wbgt);
        let greater = match &self.hottest {
            None => true,
            Some(best) => {
                cmp_known(key.0, best.0).then_with(|| cmp_known(key.1, best.1))
                    != std::cmp::Ordering::Less
            }
        };
        if greater {
            self.hottest = Some(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two places; a session over three hours of one of them (one hour missing from the
    /// weather), one at a place with no weather, one of unknown start, one whose hottest
    /// heat index is shared by two hours (the higher WBGT wins), one whose hours have no
    /// heat index (the greatest WBGT stands). Values picked by hand.
    #[test]
    fn picks_the_hottest_hour_and_the_coldest_apparent_temperature() {
        let hours = df!(
            s::LOCATION => ["oslo", "oslo", "oslo", "rome", "rome", "rome", "rome"],
            s::HOUR => [10i64, 11, 13, 10, 11, 20, 21],
            "hi" => [Some(20.0), Some(25.5), Some(30.0), Some(31.0), Some(31.0), None, None],
            "wbgt" => [Some(15.0), Some(18.0), Some(22.0), Some(24.0), Some(26.0), Some(12.0), Some(14.0)],
            "apparent" => [Some(-3.0), Some(-1.0), Some(4.0), Some(30.0), Some(29.5), None, Some(9.0)],
        )
        .unwrap();
        let index = HourHeat::of(&hours).unwrap();
        let places = StringChunked::from_iter_options(
            "p".into(),
            [
                Some("oslo"),
                Some("paris"),
                Some("oslo"),
                Some("rome"),
                Some("rome"),
                None,
            ]
            .into_iter(),
        );
        let first = Int64Chunked::from_iter_options(
            "f".into(),
            [Some(10), Some(10), None, Some(10), Some(20), Some(10)].into_iter(),
        );
        let last = Int64Chunked::from_iter_options(
            "l".into(),
            [Some(12), Some(11), Some(11), Some(11), Some(21), Some(11)].into_iter(),
        );
        let [hi, wbgt, apparent] = index.of_sessions(&places, &first, &last);
        let values = |c: &Column| c.f64().unwrap().iter().collect::<Vec<_>>();
        assert_eq!(
            values(&hi),
            [Some(25.5), None, None, Some(31.0), None, None]
        );
        assert_eq!(
            values(&wbgt),
            [Some(18.0), None, None, Some(26.0), Some(14.0), None]
        );
        assert_eq!(
            values(&apparent),
            [Some(-3.0), None, None, Some(29.5), Some(9.0), None]
        );
    }

    /// The edges of a place's hours: sessions starting before its first hour, ending after
    /// its last, wholly outside, and ending before they start; and a place of two hours a
    /// century apart (kept as a map, not as a row per hour). Values picked by hand.
    #[test]
    fn sessions_at_the_edges_of_the_weather_and_far_apart_hours() {
        let hours = df!(
            s::LOCATION => ["oslo", "oslo", "oslo", "far", "far"],
            s::HOUR => [100i64, 101, 102, 5, 900_000],
            "hi" => [Some(20.0), Some(22.0), Some(21.0), Some(10.0), Some(35.0)],
            "wbgt" => [Some(15.0), Some(16.0), Some(17.0), Some(8.0), Some(30.0)],
            "apparent" => [Some(1.0), Some(2.0), Some(-4.0), Some(5.0), Some(33.0)],
        )
        .unwrap();
        let index = HourHeat::of(&hours).unwrap();
        assert!(matches!(index.hours[1], PlaceHours::Sparse(_)));
        let places = StringChunked::from_iter_options(
            "p".into(),
            ["oslo", "oslo", "oslo", "oslo", "oslo", "far", "far", "far"]
                .map(Some)
                .into_iter(),
        );
        let first = Int64Chunked::from_iter_options(
            "f".into(),
            [98i64, 102, 90, 103, 101, 0, 899_999, 6]
                .map(Some)
                .into_iter(),
        );
        let last = Int64Chunked::from_iter_options(
            "l".into(),
            [100i64, 110, 99, 200, 100, 5, 900_001, 899_999]
                .map(Some)
                .into_iter(),
        );
        let [hi, wbgt, apparent] = index.of_sessions(&places, &first, &last);
        let values = |c: &Column| c.f64().unwrap().iter().collect::<Vec<_>>();
        assert_eq!(
            values(&hi),
            [
                Some(20.0),
                Some(21.0),
                None,
                None,
                None,
                Some(10.0),
                Some(35.0),
                None
            ]
        );
        assert_eq!(
            values(&wbgt),
            [
                Some(15.0),
                Some(17.0),
                None,
                None,
                None,
                Some(8.0),
                Some(30.0),
                None
            ]
        );
        assert_eq!(
            values(&apparent),
            [
                Some(1.0),
                Some(-4.0),
                None,
                None,
                None,
                Some(5.0),
                Some(33.0),
                None
            ]
        );
    }
}
