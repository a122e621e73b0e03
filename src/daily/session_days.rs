//! Per athlete and day, what the day's sessions add up to — counts, totals, the longest and
//! hardest, the outdoor share — and the picks "at the session where …" (the warm-up of the
//! hardest session, the sport done least recently, the WBGT of the hottest session), put
//! straight into the grid's rows.
//!
//! Why not polars: the plan was a group-by of seventeen aggregations and three sorts with
//! group-bys, per pass, for a few sessions per day. One loop over the sessions in their order
//! gives the same values: sums are added in the sessions' order with the compensated sum
//! polars' group sums use (`measures::GroupSum`), maxima and minima are exact in any
//! order, and a pick takes the last session greatest by its ordering, as the last row of a
//! stable sort does. A test compares it with the polars plan it replaced.

use std::cmp::Ordering;

use super::cmp_known;
use crate::measures::{float_values as floats, kleene_and, GroupSum};
use crate::schema as s;
use polars::prelude::*;

fn bools(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<bool>>> {
    Ok(df.column(name)?.bool()?.iter().collect())
}

/// A running maximum (`Greater`) or minimum (`Less`) that ignores unknowns and NaN.
fn keep_extreme(slot: &mut Option<f64>, x: Option<f64>, wanted: Ordering) {
    if let Some(x) = x.filter(|x| !x.is_nan()) {
        match slot {
            Some(m) if x.partial_cmp(m) != Some(wanted) => {}
            _ => *slot = Some(x),
        }
    }
}

/// Session `i` takes a pick's place when it is at least as great by the pick's ordering as
/// the session there: of equals the later one, as the last row of a stable sort.
fn pick_last_greatest(at: &mut Option<usize>, i: usize, order: impl Fn(usize, usize) -> Ordering) {
    if at.is_none_or(|j| order(i, j) != Ordering::Less) {
        *at = Some(i);
    }
}

/// The columns of the day totals and picks, one row per grid row (`height`), from sessions
/// whose grid row is `day_row` (sessions without one are not counted). Unknown on days without
/// a session. Columns, in order: sessions, duration_min, distance_km, load, sweat_loss_ml,
/// sessions_hi, exercise_sessions, longest_session_min, hardest_intensity,
/// hardest_known_intensity, stretch_sessions, outdoor_sessions, outdoor_min, outdoor_wbgt,
/// outdoor_apparent_c, mass_loss_pct, sport_gap_days, hardest_warmup_min,
/// least_recent_sport, sessions_wbgt.
pub fn session_days(
    sessions: &DataFrame,
    day_row: &str,
    height: usize,
) -> PolarsResult<Vec<Column>> {
    let rows: Vec<Option<IdxSize>> = sessions.column(day_row)?.idx()?.iter().collect();
    let duration = floats(sessions, s::DURATION_MIN)?;
    let distance = floats(sessions, s::DISTANCE_KM)?;
    let load = floats(sessions, "session_load")?;
    let sweat = floats(sessions, "session_sweat_ml")?;
    let heat = floats(sessions, "session_hi")?;
    let wbgt = floats(sessions, "session_wbgt")?;
    let apparent = floats(sessions, "session_apparent_c")?;
    let intensity = floats(sessions, "session_intensity")?;
    let known_intensity = floats(sessions, "known_intensity")?;
    let mass_loss = floats(sessions, "mass_loss_pct")?;
    let warmup = floats(sessions, s::WARMUP_MIN)?;
    let exercise = bools(sessions, "exercise")?;
    let outdoor = bools(sessions, "outdoor")?;
    let gap: Vec<Option<i32>> = sessions.column("sport_gap_days")?.i32()?.iter().collect();
    let sport = sessions.column(s::SPORT)?.str()?;
    let sport: Vec<Option<&str>> = sport.iter().collect();

    let mut count = vec![0i32; height];
    let mut duration_sum = vec![GroupSum::default(); height];
    let mut distance_sum = vec![GroupSum::default(); height];
    let mut distance_known = vec![0u32; height];
    let mut load_sum = vec![GroupSum::default(); height];
    let mut sweat_sum = vec![GroupSum::default(); height];
    let mut heat_max: Vec<Option<f64>> = vec![None; height];
    let mut exercise_count: Vec<Option<i32>> = vec![None; height];
    let mut longest: Vec<Option<f64>> = vec![None; height];
    let mut hardest: Vec<Option<f64>> = vec![None; height];
    let mut hardest_known: Vec<Option<f64>> = vec![None; height];
    let mut stretch_count: Vec<Option<i32>> = vec![None; height];
    let mut outdoor_count: Vec<Option<i32>> = vec![None; height];
    let mut outdoor_sum = vec![GroupSum::default(); height];
    let mut outdoor_wbgt: Vec<Option<f64>> = vec![None; height];
    let mut outdoor_apparent: Vec<Option<f64>> = vec![None; height];
    let mut mass_loss_max: Vec<Option<f64>> = vec![None; height];
    let mut gap_max: Vec<Option<i32>> = vec![None; height];
    // The session each pick stands at so far.
    let mut warmup_at: Vec<Option<usize>> = vec![None; height];
    let mut sport_at: Vec<Option<usize>> = vec![None; height];
    let mut wbgt_at: Vec<Option<usize>> = vec![None; height];

    // A sum of a 0/1 or nullable integer, as polars' integer group sum: unknown values are
    // left out, and a day with none known sums to 0.
    let add_int = |slot: &mut Option<i32>, x: Option<bool>| {
        *slot = Some(slot.unwrap_or(0) + x.map_or(0, i32::from));
    };
    // The picks' orderings of two sessions, key by key (each as the plan's sort ordered it).
    let warmup_order = |i: usize, j: usize| {
        cmp_known(exercise[i], exercise[j])
            .then_with(|| cmp_known(intensity[i], intensity[j]))
            .then_with(|| cmp_known(warmup[i], warmup[j]))
    };
    let sport_order = |i: usize, j: usize| {
        cmp_known(exercise[i], exercise[j])
            .then_with(|| cmp_known(gap[i], gap[j]))
            .then_with(|| cmp_known(sport[i], sport[j]))
    };
    let wbgt_order =
        |i: usize, j: usize| cmp_known(heat[i], heat[j]).then_with(|| cmp_known(wbgt[i], wbgt[j]));
    for (i, row) in rows.iter().enumerate() {
        let Some(r) = row.map(|r| r as usize).filter(|&r| r < height) else {
            continue;
        };
        count[r] += 1;
        duration_sum[r].add(duration[i]);
        distance_sum[r].add(distance[i]);
        distance_known[r] += u32::from(distance[i].is_some());
        load_sum[r].add(load[i]);
        sweat_sum[r].add(sweat[i]);
        keep_extreme(&mut heat_max[r], heat[i], Ordering::Greater);
        add_int(&mut exercise_count[r], exercise[i]);
        add_int(&mut stretch_count[r], exercise[i].map(|e| !e));
        let outdoor_exercise = kleene_and(outdoor[i], exercise[i]);
        add_int(&mut outdoor_count[r], outdoor_exercise);
        keep_extreme(&mut mass_loss_max[r], mass_loss[i], Ordering::Greater);
        // The filtered aggregations see only the sessions whose filter is true; a filtered
        // sum over none is 0 (`GroupSum` of no value).
        if exercise[i] == Some(true) {
            keep_extreme(&mut longest[r], duration[i], Ordering::Greater);
            keep_extreme(&mut hardest[r], intensity[i], Ordering::Greater);
            keep_extreme(&mut hardest_known[r], known_intensity[i], Ordering::Greater);
            if let Some(g) = gap[i] {
                gap_max[r] = Some(gap_max[r].map_or(g, |m| m.max(g)));
            }
        }
        if outdoor_exercise == Some(true) {
            outdoor_sum[r].add(duration[i]);
            keep_extreme(&mut outdoor_wbgt[r], wbgt[i], Ordering::Greater);
            keep_extreme(&mut outdoor_apparent[r], apparent[i], Ordering::Less);
        }
        pick_last_greatest(&mut warmup_at[r], i, warmup_order);
        pick_last_greatest(&mut sport_at[r], i, sport_order);
        pick_last_greatest(&mut wbgt_at[r], i, wbgt_order);
    }

    let on_session_days = |v: Vec<GroupSum>| -> Vec<Option<f64>> {
        v.iter()
            .zip(&count)
            .map(|(g, &n)| (n > 0).then(|| g.value()))
            .collect()
    };
    let distance: Vec<Option<f64>> = distance_sum
        .iter()
        .zip(&distance_known)
        .map(|(g, &known)| (known > 0).then(|| g.value()))
        .collect();
    let picked = |at: &[Option<usize>], values: &[Option<f64>]| -> Vec<Option<f64>> {
        at.iter().map(|i| i.and_then(|i| values[i])).collect()
    };
    let sessions_count: Vec<Option<i32>> = count.iter().map(|&n| (n > 0).then_some(n)).collect();
    Ok(vec![
        Column::new(s::SESSIONS.into(), sessions_count),
        Column::new(s::DURATION_MIN.into(), on_session_days(duration_sum)),
        Column::new(s::DISTANCE_KM.into(), distance),
        Column::new(s::LOAD.into(), on_session_days(load_sum)),
        Column::new(s::SWEAT_LOSS_ML.into(), on_session_days(sweat_sum)),
        Column::new("sessions_hi".into(), heat_max),
        Column::new("exercise_sessions".into(), exercise_count),
        Column::new("longest_session_min".into(), longest),
        Column::new("hardest_intensity".into(), hardest),
        Column::new("hardest_known_intensity".into(), hardest_known),
        Column::new("stretch_sessions".into(), stretch_count),
        Column::new("outdoor_sessions".into(), outdoor_count),
        Column::new("outdoor_min".into(), on_session_days(outdoor_sum)),
        Column::new("outdoor_wbgt".into(), outdoor_wbgt),
        Column::new("outdoor_apparent_c".into(), outdoor_apparent),
        Column::new("mass_loss_pct".into(), mass_loss_max),
        Column::new("sport_gap_days".into(), gap_max),
        Column::new("hardest_warmup_min".into(), picked(&warmup_at, &warmup)),
        Column::new(
            "least_recent_sport".into(),
            StringChunked::from_iter_options(
                "least_recent_sport".into(),
                sport_at.iter().map(|i| i.and_then(|i| sport[i])),
            ),
        ),
        Column::new("sessions_wbgt".into(), picked(&wbgt_at, &wbgt)),
    ])
}

#[cfg(test)]
mod tests {
    use super::super::{at_max, per_pass};
    use super::*;
    use crate::measures::testing::assert_same_column;

    /// The polars plan the loop replaced (docs/performance.md, sixteenth session): a group-by
    /// on the day's row, and one sorted group-by per pick.
    fn by_plan(sessions: LazyFrame) -> [LazyFrame; 4] {
        let known_sum = |c: &str| {
            when(col(c).count().gt(lit(0)))
                .then(col(c).sum())
                .otherwise(lit(NULL).cast(DataType::Float64))
                .alias(c)
        };
        let outdoor_exercise = || col("outdoor").and(col("exercise"));
        let totals = sessions.clone().group_by([col(DAY_ROW)]).agg([
            len().cast(DataType::Int32).alias(s::SESSIONS),
            col(s::DURATION_MIN).sum(),
            known_sum(s::DISTANCE_KM),
            col("session_load").sum().alias(s::LOAD),
            col("session_sweat_ml").sum().alias(s::SWEAT_LOSS_ML),
            col("session_hi").max().alias("sessions_hi"),
            col("exercise")
                .cast(DataType::Int32)
                .sum()
                .alias("exercise_sessions"),
            col(s::DURATION_MIN)
                .filter(col("exercise"))
                .max()
                .alias("longest_session_min"),
            col("session_intensity")
                .filter(col("exercise"))
                .max()
                .alias("hardest_intensity"),
            col("known_intensity")
                .filter(col("exercise"))
                .max()
                .alias("hardest_known_intensity"),
            col("exercise")
                .not()
                .cast(DataType::Int32)
                .sum()
                .alias("stretch_sessions"),
            outdoor_exercise()
                .cast(DataType::Int32)
                .sum()
                .alias("outdoor_sessions"),
            col(s::DURATION_MIN)
                .filter(outdoor_exercise())
                .sum()
                .alias("outdoor_min"),
            col("session_wbgt")
                .filter(outdoor_exercise())
                .max()
                .alias("outdoor_wbgt"),
            col("session_apparent_c")
                .filter(outdoor_exercise())
                .min()
                .alias("outdoor_apparent_c"),
            col("mass_loss_pct").max().alias("mass_loss_pct"),
            col("sport_gap_days")
                .filter(col("exercise"))
                .max()
                .alias("sport_gap_days"),
        ]);
        let day = [DAY_ROW];
        [
            totals,
            at_max(
                sessions.clone(),
                &day,
                s::WARMUP_MIN,
                &["exercise", "session_intensity"],
                "hardest_warmup_min",
            ),
            at_max(
                sessions.clone(),
                &day,
                s::SPORT,
                &["exercise", "sport_gap_days"],
                "least_recent_sport",
            ),
            at_max(
                sessions,
                &day,
                "session_wbgt",
                &["session_hi"],
                "sessions_wbgt",
            ),
        ]
    }

    const DAY_ROW: &str = "day_row";

    /// Sessions drawn from few values (so that ties, several sessions a day and unknowns are
    /// common), in no order of day: the loop gives the plan's columns, value for value and type
    /// for type.
    #[test]
    fn the_loop_gives_the_plans_columns() {
        let mut draws = fastrand::Rng::with_seed(0x9e37_79b9_7f4a_7c15);
        let mut next = |n: u64| draws.u64(..n);
        let height = 400usize;
        let n = 3000;
        let mut pick_f = |values: &[f64], nulls: u64| -> Vec<Option<f64>> {
            (0..n)
                .map(|_| {
                    if next(100) < nulls {
                        None
                    } else {
                        Some(values[next(values.len() as u64) as usize])
                    }
                })
                .collect()
        };
        let duration = pick_f(&[0.1, 0.2, 0.3, 45.0, 61.7, 1e-9, 1e9], 5);
        let distance = pick_f(&[0.1, 0.7, 10.35, 3.3333], 30);
        let load = pick_f(&[0.1, 0.2, 0.3, 17.123456789, 1e16, -0.0], 5);
        let sweat = pick_f(&[100.1, 0.2, 333.3], 10);
        let heat = pick_f(&[20.0, 25.5, 31.0], 20);
        let wbgt = pick_f(&[15.0, 18.0, 22.0], 20);
        let apparent = pick_f(&[-3.0, 4.0, 9.5], 20);
        let intensity = pick_f(&[0.4, 0.6, 0.8], 10);
        let known = pick_f(&[0.4, 0.6, 0.8], 40);
        let mass = pick_f(&[0.5, 1.0, 2.5], 70);
        let warmup = pick_f(&[0.0, 5.0, 10.0, 15.0], 20);
        let mut draws = |k: u64, nulls: u64| -> Vec<Option<u64>> {
            (0..n)
                .map(|_| (next(100) >= nulls).then(|| next(k)))
                .collect()
        };
        let rows: Vec<Option<IdxSize>> = draws(height as u64 + 20, 2)
            .into_iter()
            .map(|r| r.map(|r| r as IdxSize))
            .collect();
        let exercise: Vec<Option<bool>> =
            draws(4, 5).into_iter().map(|b| b.map(|b| b > 0)).collect();
        let outdoor: Vec<Option<bool>> =
            draws(2, 5).into_iter().map(|b| b.map(|b| b > 0)).collect();
        let gap: Vec<Option<i32>> = draws(5, 10)
            .into_iter()
            .map(|g| g.map(|g| g as i32))
            .collect();
        let sports = ["run", "ride", "yoga", "Run"];
        let sport: Vec<Option<&str>> = draws(4, 10)
            .into_iter()
            .map(|k| k.map(|k| sports[k as usize]))
            .collect();
        // Rows beyond the grid are not counted by either: the plan's frame keeps only the
        // grid's rows, as the passes' sessions are.
        let rows: Vec<Option<IdxSize>> = rows
            .into_iter()
            .map(|r| r.filter(|&r| (r as usize) < height))
            .collect();
        let sessions = DataFrame::new_infer_height(vec![
            Column::new(DAY_ROW.into(), rows),
            Column::new(s::DURATION_MIN.into(), duration),
            Column::new(s::DISTANCE_KM.into(), distance),
            Column::new("session_load".into(), load),
            Column::new("session_sweat_ml".into(), sweat),
            Column::new("session_hi".into(), heat),
            Column::new("session_wbgt".into(), wbgt),
            Column::new("session_apparent_c".into(), apparent),
            Column::new("session_intensity".into(), intensity),
            Column::new("known_intensity".into(), known),
            Column::new("mass_loss_pct".into(), mass),
            Column::new(s::WARMUP_MIN.into(), warmup),
            Column::new("exercise".into(), exercise),
            Column::new("outdoor".into(), outdoor),
            Column::new("sport_gap_days".into(), gap),
            Column::new(s::SPORT.into(), sport),
        ])
        .unwrap();
        let mut expected: Vec<Column> = Vec::new();
        for part in by_plan(sessions.clone().lazy()) {
            let part = per_pass(part).collect().unwrap();
            let rows =
                super::super::grid::scatter(part.column(DAY_ROW).unwrap().idx().unwrap(), height)
                    .unwrap();
            expected.extend(
                part.drop_many([DAY_ROW])
                    .take(&rows)
                    .unwrap()
                    .into_columns(),
            );
        }
        let got = session_days(&sessions, DAY_ROW, height).unwrap();
        assert_eq!(got.len(), expected.len());
        let days_with_sessions = got[0].i32().unwrap().iter().flatten().count();
        assert!(days_with_sessions > 300, "{days_with_sessions} days");
        let several = got[0]
            .i32()
            .unwrap()
            .iter()
            .flatten()
            .filter(|&n| n >= 3)
            .count();
        assert!(several > 100, "{several} days of three sessions or more");
        for (g, e) in got.iter().zip(&expected) {
            assert_same_column(g, e);
        }
    }
}
