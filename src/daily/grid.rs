//! The daily grid's layout — one row per athlete per day, athletes in name order, each from
//! their first record to their last — and the gathering of a frame's rows into it: a row's
//! place in the grid is computed from its athlete and day, so the day frames (session
//! totals, fluids, food, daily summaries, weather) are put beside the grid by position
//! instead of by a join on (athlete, date) and a sort of the joined table.

use polars::prelude::*;
use polars::series::IsSorted;

use super::Window;
use crate::dates;
use crate::ingest::Frames;
use crate::schema as s;

/// Where each athlete's days are in the grid.
pub struct Grid {
    /// The athletes, in name order (the order the table is sorted in).
    names: Vec<String>,
    /// Each athlete's first day (days since 1970).
    first: Vec<i32>,
    /// The row of each athlete's first day; one entry more, the grid's height.
    start: Vec<usize>,
    /// An athlete's name → their place in `names`.
    number: PlHashMap<String, usize>,
}

/// The days (since 1970) of a column of dates.
fn days(df: &DataFrame) -> PolarsResult<&Int32Chunked> {
    Ok(df.column(s::DATE)?.date()?.physical())
}

impl Grid {
    /// Each athlete with a record (sessions, fluids, daily summaries, food) from their first
    /// record's day to their last, extended to the window's end when that is later.
    pub fn of(frames: &Frames, window: Window) -> PolarsResult<Grid> {
        let mut spans: PlHashMap<&str, (i32, i32)> = PlHashMap::new();
        for df in frames.records() {
            let names = df.column(s::ATHLETE)?.str()?;
            // A frame's rows of one athlete mostly follow each other: their span is kept
            // aside while they do, and the map is touched once per run of them.
            let mut run: Option<(&str, i32, i32)> = None;
            for (name, day) in names.iter().zip(days(df)?.iter()) {
                let (Some(name), Some(day)) = (name, day) else {
                    continue;
                };
                match &mut run {
                    Some((n, lo, hi)) if *n == name => {
                        *lo = (*lo).min(day);
                        *hi = (*hi).max(day);
                    }
                    _ => {
                        if let Some((n, lo, hi)) = run.replace((name, day, day)) {
                            widen(&mut spans, n, lo, hi);
                        }
                    }
                }
            }
            if let Some((n, lo, hi)) = run {
                widen(&mut spans, n, lo, hi);
            }
        }
        let to = window.to.map(dates::to_days);
        let mut athletes: Vec<(&str, i32, i32)> = spans
            .into_iter()
            .map(|(name, (lo, hi))| (name, lo, to.map_or(hi, |t| hi.max(t))))
            .collect();
        athletes.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let mut grid = Grid {
            names: Vec::with_capacity(athletes.len()),
            first: Vec::with_capacity(athletes.len()),
            start: Vec::with_capacity(athletes.len() + 1),
            number: PlHashMap::with_capacity(athletes.len()),
        };
        let mut rows = 0usize;
        for (k, (name, lo, hi)) in athletes.into_iter().enumerate() {
            grid.names.push(name.to_string());
            grid.number.insert(name.to_string(), k);
            grid.first.push(lo);
            grid.start.push(rows);
            rows += usize::try_from(hi - lo).unwrap_or(0) + 1;
        }
        grid.start.push(rows);
        Ok(grid)
    }

    /// Each athlete and how many days they have, in name order.
    pub fn athlete_days(&self) -> impl Iterator<Item = (&str, usize)> {
        (0..self.names.len()).map(|k| (self.names[k].as_str(), self.days_of(k)))
    }

    /// How many rows the grid has.
    pub fn height(&self) -> usize {
        self.start.last().copied().unwrap_or(0)
    }

    /// How many days athlete `k` has.
    fn days_of(&self, k: usize) -> usize {
        self.start[k + 1] - self.start[k]
    }

    /// The grid's own columns, athlete and date. The athlete column is flagged sorted (it
    /// is): the windows over each athlete's days then find the athletes' rows as slices.
    pub fn key_columns(&self) -> PolarsResult<Vec<Column>> {
        let mut athlete = StringChunked::from_iter_values(
            s::ATHLETE.into(),
            (0..self.names.len())
                .flat_map(|k| std::iter::repeat_n(self.names[k].as_str(), self.days_of(k))),
        );
        athlete.set_sorted_flag(IsSorted::Ascending);
        let mut day: Vec<i32> = Vec::with_capacity(self.height());
        for k in 0..self.names.len() {
            let first = self.first[k];
            day.extend((0..self.days_of(k)).map(|d| first + d as i32));
        }
        let date = Int32Chunked::from_vec(s::DATE.into(), day).into_date();
        Ok(vec![athlete.into_column(), date.into_column()])
    }

    /// `df`'s columns other than athlete and date, one row per grid row: the values of its row
    /// on the same athlete and day, null where it has none (what a left join on athlete and
    /// date gives, in the grid's order). `df` has at most one row per athlete and day; two
    /// are an error (a join would have doubled the grid's row).
    pub fn by_day(&self, df: &DataFrame) -> PolarsResult<Vec<Column>> {
        let rows = scatter(&self.day_rows(df, "")?, self.height())?;
        Ok(df
            .drop_many([s::ATHLETE, s::DATE])
            .take(&rows)?
            .into_columns())
    }

    /// The columns of `athletes` (one row per athlete) other than the name, one row per grid
    /// row: each row's athlete's values.
    pub fn by_athlete(&self, athletes: &DataFrame) -> PolarsResult<Vec<Column>> {
        let row_of = athlete_row_map(athletes)?;
        let mut rows: Vec<Option<IdxSize>> = Vec::with_capacity(self.height());
        for (k, name) in self.names.iter().enumerate() {
            let row = row_of.get(name.as_str()).copied();
            rows.extend(std::iter::repeat_n(row, self.days_of(k)));
        }
        let rows = IdxCa::from_iter_options(PlSmallStr::EMPTY, rows.into_iter());
        Ok(athletes.drop_many([s::ATHLETE]).take(&rows)?.into_columns())
    }

    /// The columns of `days` (one row per place and day) other than place and date, one row
    /// per grid row: the values for the row's day at its athlete's place (`athletes`'
    /// `weather_key`), null where there are none.
    pub fn by_place(&self, days: &DataFrame, athletes: &DataFrame) -> PolarsResult<Vec<Column>> {
        let row_of = athlete_row_map(athletes)?;
        let places = athletes.column(s::WEATHER_KEY)?.str()?;
        let keys = (0..self.names.len()).flat_map(|k| {
            let key = row_of
                .get(self.names[k].as_str())
                .and_then(|&row| places.get(row as usize));
            let first = self.first[k];
            (0..self.days_of(k)).map(move |d| (key, Some(first + d as i32)))
        });
        let rows = place_rows(days, keys)?;
        Ok(days
            .drop_many([s::LOCATION, s::DATE])
            .take(&rows)?
            .into_columns())
    }

    /// The grid row of each (athlete, day) of `df` (null: not in the grid), named `name`.
    pub fn day_rows(&self, df: &DataFrame, name: &str) -> PolarsResult<IdxCa> {
        let names = df.column(s::ATHLETE)?.str()?;
        let mut last: Option<(&str, Option<usize>)> = None;
        let rows = names.iter().zip(days(df)?.iter()).map(|(name, day)| {
            let (name, day) = (name?, day?);
            let k = match last {
                Some((n, k)) if n == name => k,
                _ => {
                    let k = self.number.get(name).copied();
                    last = Some((name, k));
                    k
                }
            }?;
            let offset = usize::try_from(day - self.first[k])
                .ok()
                .filter(|&o| o < self.days_of(k))?;
            IdxSize::try_from(self.start[k] + offset).ok()
        });
        Ok(IdxCa::from_iter_options(name.into(), rows))
    }
}

/// Each athlete's row in `athletes` (one row per athlete; the first, were a name repeated).
fn athlete_row_map(athletes: &DataFrame) -> PolarsResult<PlHashMap<&str, IdxSize>> {
    let names = athletes.column(s::ATHLETE)?.str()?;
    let mut row_of: PlHashMap<&str, IdxSize> = PlHashMap::with_capacity(names.len());
    for (i, name) in names.iter().enumerate() {
        if let Some(name) = name {
            row_of.entry(name).or_insert(i as IdxSize);
        }
    }
    Ok(row_of)
}

/// For each of `names`, the row of `athletes` (one row per athlete) with that name (null:
/// none): what a left join of rows on the athlete gives, as rows to take.
pub fn athlete_rows(athletes: &DataFrame, names: &StringChunked) -> PolarsResult<IdxCa> {
    let row_of = athlete_row_map(athletes)?;
    let mut last: Option<(&str, Option<IdxSize>)> = None;
    let rows = names.iter().map(|name| {
        let name = name?;
        match last {
            Some((n, row)) if n == name => row,
            _ => {
                let row = row_of.get(name).copied();
                last = Some((name, row));
                row
            }
        }
    });
    Ok(IdxCa::from_iter_options(PlSmallStr::EMPTY, rows))
}

/// For each (place, day) of `keys`, the row of `days` (one row per place and day: `location`,
/// `date`) on that place and day, null where there is none: what a left join on place and day
/// gives, as rows to take. Two rows for one place and day are an error.
pub fn place_rows<'a>(
    days: &'a DataFrame,
    keys: impl Iterator<Item = (Option<&'a str>, Option<i32>)>,
) -> PolarsResult<IdxCa> {
    // Each place's days: its first day and, from it, the row of each day.
    let mut places: PlHashMap<&str, (i32, Vec<Option<IdxSize>>)> = PlHashMap::new();
    let locations = days.column(s::LOCATION)?.str()?;
    let day_numbers = self::days(days)?;
    for (name, day) in locations.iter().zip(day_numbers.iter()) {
        if let (Some(name), Some(day)) = (name, day) {
            let first = places.entry(name).or_insert((day, Vec::new()));
            first.0 = first.0.min(day);
        }
    }
    for (i, (name, day)) in locations.iter().zip(day_numbers.iter()).enumerate() {
        let (Some(name), Some(day)) = (name, day) else {
            continue;
        };
        if let Some((first, rows)) = places.get_mut(name) {
            let at = (day - *first) as usize;
            if rows.len() <= at {
                rows.resize(at + 1, None);
            }
            if rows[at].is_some() {
                polars_bail!(ComputeError: "two weather rows for {name} on day {day}");
            }
            rows[at] = Some(i as IdxSize);
        }
    }
    let rows = keys.map(|(key, day)| {
        let (first, rows) = places.get(key?)?;
        let at = usize::try_from(day? - first).ok()?;
        rows.get(at).copied().flatten()
    });
    Ok(IdxCa::from_iter_options(PlSmallStr::EMPTY, rows))
}

/// The rows to take for a frame of `height` rows from one whose row `i` belongs at `keys[i]`:
/// `rows[keys[i]] = i`, null where no row belongs. A key used twice, or beyond `height`, is an
/// error.
pub fn scatter(keys: &IdxCa, height: usize) -> PolarsResult<IdxCa> {
    let mut rows: Vec<Option<IdxSize>> = vec![None; height];
    for (i, key) in keys.iter().enumerate() {
        let Some(key) = key else { continue };
        let Some(slot) = rows.get_mut(key as usize) else {
            polars_bail!(ComputeError: "row key {key} beyond the {height} rows");
        };
        if slot.is_some() {
            polars_bail!(ComputeError: "two rows for row key {key} where one was expected");
        }
        *slot = Some(i as IdxSize);
    }
    Ok(IdxCa::from_iter_options(
        PlSmallStr::EMPTY,
        rows.into_iter(),
    ))
}

/// Widens an athlete's span of days by a run of their rows.
fn widen<'a>(spans: &mut PlHashMap<&'a str, (i32, i32)>, name: &'a str, lo: i32, hi: i32) {
    spans
        .entry(name)
        .and_modify(|(l, h)| {
            *l = (*l).min(lo);
            *h = (*h).max(hi);
        })
        .or_insert((lo, hi));
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn day(s: &str) -> i32 {
        dates::to_days(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap())
    }

    /// A frame of athlete, date and one value column.
    fn keyed(rows: &[(&str, &str, f64)], value: &str) -> DataFrame {
        df!(
            s::ATHLETE => rows.iter().map(|r| r.0).collect::<Vec<_>>(),
            s::DATE => rows.iter().map(|r| day(r.1)).collect::<Vec<_>>(),
            value => rows.iter().map(|r| r.2).collect::<Vec<_>>(),
        )
        .unwrap()
        .lazy()
        .with_column(col(s::DATE).cast(DataType::Date))
        .collect()
        .unwrap()
    }

    fn frames() -> Frames {
        Frames {
            // "b" before "a", and a's rows not next to each other: the grid sorts by name.
            activities: keyed(
                &[
                    ("b", "2024-01-02", 1.0),
                    ("a", "2024-01-03", 2.0),
                    ("b", "2024-01-01", 3.0),
                ],
                "v",
            ),
            fluids: keyed(&[("a", "2024-01-01", 500.0)], "ml"),
            daily: keyed(&[], "steps"),
            food: keyed(&[("b", "2024-01-03", 9.0)], "mg"),
            ..Frames::default()
        }
    }

    fn texts(c: &Column) -> Vec<Option<String>> {
        c.str()
            .unwrap()
            .iter()
            .map(|t| t.map(str::to_string))
            .collect()
    }

    fn floats(c: &Column) -> Vec<Option<f64>> {
        c.f64().unwrap().iter().collect()
    }

    #[test]
    fn each_athlete_from_first_record_to_last_in_name_order() {
        let grid = Grid::of(&frames(), Window::default()).unwrap();
        // a: 1–3 January (fluids on the 1st, a session on the 3rd); b: 1–3 (food on the 3rd).
        assert_eq!(grid.height(), 6);
        let keys = grid.key_columns().unwrap();
        let names: Vec<Option<String>> = texts(&keys[0]);
        let want = ["a", "a", "a", "b", "b", "b"].map(|n| Some(n.to_string()));
        assert_eq!(names, want);
        let days: Vec<Option<i32>> = keys[1].date().unwrap().physical().iter().collect();
        let (d1, d2, d3) = (day("2024-01-01"), day("2024-01-02"), day("2024-01-03"));
        assert_eq!(days, [d1, d2, d3, d1, d2, d3].map(Some).to_vec());
    }

    #[test]
    fn the_window_end_extends_every_athlete() {
        let to = NaiveDate::from_ymd_opt(2024, 1, 5);
        let grid = Grid::of(&frames(), Window { from: None, to }).unwrap();
        assert_eq!(grid.height(), 10);
    }

    #[test]
    fn a_frame_by_day_has_nulls_where_it_has_no_row() {
        let f = frames();
        let grid = Grid::of(&f, Window::default()).unwrap();
        let columns = grid.by_day(&f.activities).unwrap();
        assert_eq!(columns.len(), 1);
        assert_eq!(
            floats(&columns[0]),
            vec![None, None, Some(2.0), Some(3.0), Some(1.0), None]
        );
    }

    #[test]
    fn two_rows_on_one_day_are_an_error_not_a_lost_row() {
        let f = frames();
        let grid = Grid::of(&f, Window::default()).unwrap();
        let twice = keyed(&[("a", "2024-01-02", 1.0), ("a", "2024-01-02", 2.0)], "v");
        assert!(grid.by_day(&twice).is_err());
    }

    #[test]
    fn profiles_and_weather_follow_the_athlete() {
        let f = frames();
        let grid = Grid::of(&f, Window::default()).unwrap();
        let athletes = df!(
            s::ATHLETE => ["a", "b"],
            s::WEATHER_KEY => [Some("oslo"), None],
            "mass" => [60.0, 70.0],
        )
        .unwrap();
        let profile = grid.by_athlete(&athletes).unwrap();
        assert_eq!(profile.len(), 2);
        assert_eq!(
            floats(&profile[1]),
            [60.0, 60.0, 60.0, 70.0, 70.0, 70.0].map(Some).to_vec()
        );
        // Oslo has the 2nd and 3rd (the 4th is outside the grid); Valencia is nobody's.
        let days = df!(
            s::LOCATION => ["oslo", "valencia", "oslo", "oslo"],
            s::DATE => [day("2024-01-03"), day("2024-01-01"), day("2024-01-02"), day("2024-01-04")],
            "tmax" => [3.0, 15.0, 2.0, 4.0],
        )
        .unwrap()
        .lazy()
        .with_column(col(s::DATE).cast(DataType::Date))
        .collect()
        .unwrap();
        let weather = grid.by_place(&days, &athletes).unwrap();
        assert_eq!(weather.len(), 1);
        // b has no place: unknown weather, not another place's.
        assert_eq!(
            floats(&weather[0]),
            vec![None, Some(2.0), Some(3.0), None, None, None]
        );
    }

    #[test]
    fn rows_by_key_land_on_their_grid_row() {
        let f = frames();
        let grid = Grid::of(&f, Window::default()).unwrap();
        // The sessions' grid rows: b on the 2nd (row 4), a on the 3rd (row 2), b on the 1st (3).
        let rows = grid.day_rows(&f.activities, "row").unwrap();
        let rows_seen: Vec<Option<IdxSize>> = rows.iter().collect();
        assert_eq!(rows_seen, vec![Some(4), Some(2), Some(3)]);
        let keys = |k: &[IdxSize]| IdxCa::from_vec("row".into(), k.to_vec());
        let taken = scatter(&keys(&[2, 4]), grid.height()).unwrap();
        let values = df!("v" => [7.0, 8.0]).unwrap().take(&taken).unwrap();
        assert_eq!(
            floats(values.column("v").unwrap()),
            vec![None, None, Some(7.0), None, Some(8.0), None]
        );
        assert!(scatter(&keys(&[2, 2]), grid.height()).is_err());
        assert!(scatter(&keys(&[6]), grid.height()).is_err());
    }
}
