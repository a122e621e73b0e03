//! Planning ahead: each planned session is put into the athlete's history as if it had
//! happened (with the forecast as the day's weather) and the day is computed by the same
//! `daily` → `model` → `explain` chain `analyze` runs — never a second copy of the model.
//! Owns the scenarios (the plan as given, each start hour, the what-ifs), checking planned
//! sessions against the inputs, and the per-session results; `drinks` the drink plan.

pub mod drinks;
pub mod write;

use std::collections::{BTreeMap, HashSet};

use chrono::{NaiveDate, NaiveDateTime, Timelike};
use polars::prelude::*;

use crate::dates::StartWindow;
use crate::ingest::plan::PlannedSession;
use crate::ingest::{Canonical, Frames, Rejection};
use crate::profiles::{name_key, ProfilesFile};
use crate::schema as s;
use crate::{compute, daily, dates, explain, model};

/// One computed day of a scenario: the columns the plan reports.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DayResult {
    pub risk_pct: Option<f64>,
    pub risk_low_pct: Option<f64>,
    pub risk_high_pct: Option<f64>,
    pub band: Option<String>,
    pub confidence: Option<f64>,
    pub top_factors: String,
    pub missing_inputs: String,
    pub recommendation: String,
    pub heat_index_c: Option<f64>,
    pub wbgt_c: Option<f64>,
    pub sweat_loss_ml: Option<f64>,
}

/// A what-if: its name, the changed session, and its day.
#[derive(Debug, Clone)]
pub struct WhatIf {
    pub name: &'static str,
    pub session: PlannedSession,
    pub result: DayResult,
}

/// Everything the plan says about one planned session.
#[derive(Debug, Clone)]
pub struct SessionPlan {
    /// The athlete as in the outputs (resolved through athletes.toml aliases).
    pub athlete: String,
    pub session: PlannedSession,
    pub result: DayResult,
    /// (start, day) for every start hour tried, in order.
    pub by_start: Vec<(NaiveDateTime, DayResult)>,
    /// The start of least risk (ties: the earliest), and its day.
    pub best: Option<(NaiveDateTime, DayResult)>,
    pub what_ifs: Vec<WhatIf>,
    /// The what-if that changes the band (or lowers the risk most), when one lowers it.
    pub suggestion: Option<String>,
    pub drinks: drinks::DrinkPlan,
    /// The sweat loss of this session alone (the day's minus the other sessions').
    pub sweat_ml: f64,
}

/// What the plan needs from the inputs.
pub struct PlanInputs<'a> {
    pub frames: &'a Frames,
    pub profiles: &'a ProfilesFile,
    pub model: &'a model::Model,
    pub window: StartWindow,
}

/// A scenario: one athlete's history with some days' sessions replaced by planned ones, and
/// the day to read.
#[derive(Debug, Clone)]
struct Scenario {
    athlete: String,
    day: NaiveDate,
    sessions: Vec<PlannedSession>,
    location: Option<String>,
}

/// Weather hours on hand, per place: to say, before computing, which planned hours the
/// forecast does not cover.
struct Coverage {
    hours: HashSet<(String, i64)>,
    days: HashSet<(String, i32)>,
    /// The last hour with weather per place.
    last: BTreeMap<String, i64>,
}

const MS_PER_HOUR: i64 = 3_600_000;

impl Coverage {
    fn new(frames: &Frames) -> PolarsResult<Coverage> {
        let mut hours = HashSet::new();
        let mut last: BTreeMap<String, i64> = BTreeMap::new();
        let w = &frames.weather_hourly;
        let loc = w.column(s::LOCATION)?.str()?;
        let time = w.column(s::TIME)?.cast(&DataType::Int64)?;
        for (l, t) in loc.iter().zip(time.i64()?.iter()) {
            if let (Some(l), Some(t)) = (l, t) {
                let h = t.div_euclid(MS_PER_HOUR);
                hours.insert((l.to_string(), h));
                let e = last.entry(l.to_string()).or_insert(h);
                *e = (*e).max(h);
            }
        }
        let mut days = HashSet::new();
        let w = &frames.weather_daily;
        let loc = w.column(s::LOCATION)?.str()?;
        let date = w.column(s::DATE)?.cast(&DataType::Int32)?;
        for (l, d) in loc.iter().zip(date.i32()?.iter()) {
            if let (Some(l), Some(d)) = (l, d) {
                days.insert((l.to_string(), d));
            }
        }
        Ok(Coverage { hours, days, last })
    }

    /// The hours of a session at `place` with no weather (empty: covered). A daily weather
    /// row covers the whole day (analyze uses its hottest hour then).
    fn missing(&self, place: &str, start: NaiveDateTime, minutes: f64) -> Vec<i64> {
        let first = dates::to_millis(start).div_euclid(MS_PER_HOUR);
        let end_ms = dates::to_millis(start) + (minutes * 60_000.0) as i64 - 1;
        (first..=end_ms.div_euclid(MS_PER_HOUR))
            .filter(|h| {
                !self.hours.contains(&(place.to_string(), *h))
                    && !self
                        .days
                        .contains(&(place.to_string(), h.div_euclid(24) as i32))
            })
            .collect()
    }
}

fn hour_text(h: i64) -> String {
    chrono::DateTime::from_timestamp(h * 3600, 0)
        .map(|t| t.naive_utc().format("%Y-%m-%d %H:00").to_string())
        .unwrap_or_default()
}

/// The sports the model has per-sport figures or rules for; a planned sport outside them is
/// refused (a typo would otherwise be scored as a sport never done before).
pub fn known_sports() -> Vec<&'static str> {
    let mut v: Vec<&'static str> = crate::measures::hydration::SWEAT_RATE_L_PER_H
        .iter()
        .map(|(s, _)| *s)
        .collect();
    v.extend(daily::INDOOR_SPORTS);
    v.extend(daily::STRETCHING_SPORTS);
    v.sort_unstable();
    v.dedup();
    v
}

/// A planned session that passed the checks, with its athlete as in the outputs.
pub type Checked = (String, PlannedSession);

/// Checks planned sessions against the inputs: the athlete is known (in the files or in
/// athletes.toml) and, for outdoor sessions, the weather covers every hour planned. Returns
/// the sessions kept (with the athlete resolved) and the refused ones with their reasons.
pub fn check(
    sessions: Vec<PlannedSession>,
    inputs: &PlanInputs,
) -> anyhow::Result<(Vec<Checked>, Vec<Rejection>)> {
    let mut known: BTreeMap<String, String> = inputs.profiles.alias_map();
    for df in [&inputs.frames.activities, &inputs.frames.fluids] {
        for n in df.column(s::ATHLETE)?.str()?.iter().flatten() {
            known.entry(name_key(n)).or_insert_with(|| n.to_string());
        }
    }
    let last_record = inputs
        .frames
        .activities
        .column(s::DATE)?
        .cast(&DataType::Int32)?
        .i32()?
        .max()
        .map(dates::from_days);
    let coverage = Coverage::new(inputs.frames)?;
    let weather_places: HashSet<&str> = coverage
        .last
        .keys()
        .map(String::as_str)
        .chain(coverage.days.iter().map(|(l, _)| l.as_str()))
        .collect();
    let mut kept = Vec::new();
    let mut refused = Vec::new();
    for p in sessions {
        let (file, line) = match p.source.rsplit_once(':') {
            Some((f, l)) if l.parse::<u64>().is_ok() => (f.to_string(), l.parse().ok()),
            _ => (p.source.clone(), None),
        };
        let mut refuse = |reason: String| {
            refused.push(Rejection {
                file: file.clone(),
                line,
                reason,
            })
        };
        let known_sports = known_sports();
        if !known_sports.contains(&daily::base_sport(&p.sport)) {
            refuse(format!(
                "unknown sport {:?} (known: {})",
                p.sport,
                known_sports.join(", ")
            ));
            continue;
        }
        let Some(athlete) = known.get(&name_key(&p.athlete)).cloned() else {
            let mut names: Vec<&String> = known.values().collect();
            names.sort();
            names.dedup();
            let names: Vec<&str> = names.iter().map(|n| n.as_str()).collect();
            refuse(format!(
                "unknown athlete {:?}: not in the inputs or athletes.toml (athletes: {})",
                p.athlete,
                names.join(", ")
            ));
            continue;
        };
        if daily::is_outdoor(&p.sport) {
            let place = match &p.location {
                Some(l) => Some(name_key(l)),
                None => {
                    let prof = inputs.profiles.resolve(&athlete);
                    match prof.values.location {
                        Some(l) if weather_places.iter().any(|w| !w.is_empty()) => {
                            Some(name_key(&l))
                        }
                        None if weather_places.iter().any(|w| !w.is_empty()) => None,
                        _ => Some(String::new()),
                    }
                }
            };
            let Some(place) = place else {
                refuse(format!(
                    "{athlete} has no location in athletes.toml and the weather names places: \
                     give the session a location"
                ));
                continue;
            };
            let missing = coverage.missing(&place, p.start, p.duration_min);
            if !missing.is_empty() {
                let why = missing_weather(&coverage, &place, &missing, p.date(), last_record);
                refuse(format!(
                    "{why}: give an hourly forecast (Open-Meteo CSV) covering the session, or \
                     mark it indoor"
                ));
                continue;
            }
        }
        kept.push((athlete, p));
    }
    Ok((kept, refused))
}

/// Why a session's weather is missing: a past date without records, a forecast that ends
/// too early, or no weather at all for the place; `missing` is the uncovered hours, in order.
fn missing_weather(
    coverage: &Coverage,
    place: &str,
    missing: &[i64],
    date: NaiveDate,
    last_record: Option<NaiveDate>,
) -> String {
    let shown = if place.is_empty() {
        String::new()
    } else {
        format!(" for {place}")
    };
    let span = format!(
        "{}–{}",
        hour_text(missing[0]),
        hour_text(missing[missing.len() - 1] + 1)
            .split(' ')
            .nth(1)
            .unwrap_or("")
    );
    if last_record.is_some_and(|d| date <= d) {
        format!(
            "{} is a past date and the inputs have no weather{shown} at {span}",
            date
        )
    } else {
        match coverage.last.get(place) {
            Some(h) => format!(
                "the forecast{shown} does not cover {span} (it ends at {})",
                hour_text(*h + 1)
            ),
            None => format!("no weather or forecast{shown} for {span}"),
        }
    }
}

/// The sessions of `athlete` that stand on the days before and on `day` in the plan.
fn plan_state(
    plan: &[(String, PlannedSession)],
    athlete: &str,
    day: NaiveDate,
    without: usize,
) -> Vec<PlannedSession> {
    plan.iter()
        .enumerate()
        .filter(|(j, (a, p))| *j != without && a == athlete && p.date() <= day)
        .map(|(_, (_, p))| p.clone())
        .collect()
}

/// The what-ifs of a session: shorter (two thirds, at least 20 min), easier (RPE 2 lower,
/// average HR 10 % lower, load 30 % lower), earlier (2 h, not before the window) and indoors.
fn what_ifs(p: &PlannedSession, window: StartWindow) -> Vec<(&'static str, PlannedSession)> {
    let mut v = Vec::new();
    let shorter = ((p.duration_min * 2.0 / 3.0) / 5.0).round() * 5.0;
    if shorter >= 20.0 && shorter < p.duration_min {
        v.push((
            "shorter",
            PlannedSession {
                duration_min: shorter,
                ..p.clone()
            },
        ));
    }
    v.push((
        "easier",
        PlannedSession {
            rpe: p.rpe.map(|r| (r - 2.0).max(1.0)),
            avg_hr: p.avg_hr.map(|h| h * 0.9),
            load: p.load.map(|l| l * 0.7),
            ..p.clone()
        },
    ));
    let earliest = p.date().and_time(window.from);
    let earlier = (p.start - chrono::Duration::hours(2)).max(earliest);
    if earlier < p.start {
        v.push((
            "earlier",
            PlannedSession {
                start: earlier,
                ..p.clone()
            },
        ));
    }
    if daily::is_outdoor(&p.sport) {
        v.push((
            "indoor",
            PlannedSession {
                sport: format!("indoor {}", daily::base_sport(&p.sport)),
                indoor: true,
                ..p.clone()
            },
        ));
    }
    v
}

/// Plans every checked session: its day as planned, every start hour in the window with
/// weather, the what-ifs, and the drink plan. All scenarios are computed in one pass of the
/// daily table.
pub fn plan(
    sessions: &[(String, PlannedSession)],
    inputs: &PlanInputs,
) -> anyhow::Result<Vec<SessionPlan>> {
    let coverage = Coverage::new(inputs.frames)?;
    let mut scenarios: Vec<Scenario> = Vec::new();
    let mut index = Vec::new();
    let push = |scenarios: &mut Vec<Scenario>, athlete: &str, p: &PlannedSession, i| {
        let mut sessions = plan_state(sessions, athlete, p.date(), i);
        sessions.push(p.clone());
        scenarios.push(Scenario {
            athlete: athlete.to_string(),
            day: p.date(),
            sessions,
            location: p.location.clone(),
        });
        scenarios.len() - 1
    };
    let athletes_all = athlete_rows(sessions, inputs)?;
    let place_of = |athlete: &str, p: &PlannedSession| -> PolarsResult<String> {
        if let Some(l) = &p.location {
            return Ok(name_key(l));
        }
        let names = athletes_all.column(s::ATHLETE)?.str()?;
        let keys = athletes_all.column(s::WEATHER_KEY)?.str()?;
        Ok(names
            .iter()
            .zip(keys.iter())
            .find(|(n, _)| *n == Some(athlete))
            .and_then(|(_, k)| k.map(str::to_string))
            .unwrap_or_default())
    };
    for (i, (athlete, p)) in sessions.iter().enumerate() {
        let base = push(&mut scenarios, athlete, p, i);
        let place = place_of(athlete, p)?;
        let mut starts = Vec::new();
        for st in inputs.window.starts(p.date(), p.duration_min) {
            let q = PlannedSession {
                start: st,
                ..p.clone()
            };
            if daily::is_outdoor(&p.sport)
                && !coverage.missing(&place, st, p.duration_min).is_empty()
            {
                continue;
            }
            starts.push((st, push(&mut scenarios, athlete, &q, i)));
        }
        let mut wi = Vec::new();
        for (name, q) in what_ifs(p, inputs.window) {
            if daily::is_outdoor(&q.sport)
                && !coverage.missing(&place, q.start, q.duration_min).is_empty()
            {
                continue;
            }
            let k = push(&mut scenarios, athlete, &q, i);
            wi.push((name, q, k));
        }
        let others_same_day = sessions
            .iter()
            .enumerate()
            .any(|(j, (a, q))| j != i && a == athlete && q.date() == p.date());
        let without = if others_same_day {
            let sessions = plan_state(sessions, athlete, p.date(), i);
            scenarios.push(Scenario {
                athlete: athlete.clone(),
                day: p.date(),
                sessions,
                location: p.location.clone(),
            });
            Some(scenarios.len() - 1)
        } else {
            None
        };
        index.push(Index {
            base,
            starts,
            what_ifs: wi,
            without,
        });
    }
    let results = evaluate(&scenarios, &athletes_all, inputs)?;
    let mut out = Vec::new();
    for ((athlete, p), ix) in sessions.iter().zip(index) {
        out.push(session_plan(athlete, p, ix, &results, inputs));
    }
    Ok(out)
}

/// Per session, the indices of its scenarios: as planned (`base`), at each start in the
/// window, for each what-if, and without it on its day (when the athlete has others then).
struct Index {
    base: usize,
    starts: Vec<(NaiveDateTime, usize)>,
    what_ifs: Vec<(&'static str, PlannedSession, usize)>,
    without: Option<usize>,
}

/// One session's plan from the evaluated scenarios: its result, the best start, the what-ifs
/// and suggestion, and the drinks for the sweat this session alone adds to its day.
fn session_plan(
    athlete: &str,
    p: &PlannedSession,
    ix: Index,
    results: &[DayResult],
    inputs: &PlanInputs,
) -> SessionPlan {
    let result = results[ix.base].clone();
    let by_start: Vec<(NaiveDateTime, DayResult)> = ix
        .starts
        .iter()
        .map(|(st, k)| (*st, results[*k].clone()))
        .collect();
    let best = by_start
        .iter()
        .filter(|(_, r)| r.risk_pct.is_some())
        .fold(None::<&(NaiveDateTime, DayResult)>, |acc, x| match acc {
            Some(a) if a.1.risk_pct <= x.1.risk_pct => Some(a),
            _ => Some(x),
        })
        .cloned();
    let what_ifs: Vec<WhatIf> = ix
        .what_ifs
        .into_iter()
        .map(|(name, session, k)| WhatIf {
            name,
            session,
            result: results[k].clone(),
        })
        .collect();
    let suggestion = suggest(&result, &what_ifs);
    let day_sweat = result.sweat_loss_ml.unwrap_or(0.0);
    let other_sweat = ix
        .without
        .and_then(|k| results[k].sweat_loss_ml)
        .unwrap_or(0.0);
    let sweat_ml = (day_sweat - other_sweat).max(0.0);
    let prof = inputs.profiles.resolve(athlete);
    let drinks = drinks::drink_plan(&drinks::DrinkInputs {
        sweat_ml,
        duration_min: p.duration_min,
        body_mass_kg: prof.values.body_mass_kg,
        sweat_sodium_mg_per_l: prof.values.sweat_sodium_mg_per_l,
    });
    SessionPlan {
        athlete: athlete.to_string(),
        session: p.clone(),
        result,
        by_start,
        best,
        what_ifs,
        suggestion,
        drinks,
        sweat_ml,
    }
}

/// The what-if to suggest: one that lowers the band (the largest drop among those), else the
/// one that lowers the risk most; none when nothing lowers it.
fn suggest(base: &DayResult, what_ifs: &[WhatIf]) -> Option<String> {
    let base_risk = base.risk_pct?;
    let rank = |b: &Option<String>| {
        b.as_deref()
            .and_then(model::Band::parse)
            .map(|b| b.lower_pct())
    };
    let lower: Vec<&WhatIf> = what_ifs
        .iter()
        .filter(|w| w.result.risk_pct.is_some_and(|r| r < base_risk))
        .collect();
    let band_drops: Vec<&&WhatIf> = lower
        .iter()
        .filter(|w| rank(&w.result.band) < rank(&base.band))
        .collect();
    let pool: Vec<&WhatIf> = if band_drops.is_empty() {
        lower
    } else {
        band_drops.into_iter().copied().collect()
    };
    let best = pool.into_iter().min_by(|a, b| {
        a.result
            .risk_pct
            .partial_cmp(&b.result.risk_pct)
            .unwrap_or(std::cmp::Ordering::Equal)
    })?;
    Some(format!(
        "{}: {:.1} % ({})",
        best.name,
        best.result.risk_pct.unwrap_or(f64::NAN),
        best.result.band.as_deref().unwrap_or("")
    ))
}

/// The athletes frame of the inputs plus the planned athletes with no history (from
/// athletes.toml): the same `compute::athlete_frame`.
fn athlete_rows(
    sessions: &[(String, PlannedSession)],
    inputs: &PlanInputs,
) -> anyhow::Result<DataFrame> {
    let planned = planned_activities(
        sessions
            .iter()
            .map(|(a, p)| (a.clone(), p.clone()))
            .collect(),
    )?;
    let mut frames = inputs.frames.clone();
    frames.activities = concat_frames(&inputs.frames.activities, &planned)?;
    compute::athlete_frame(&frames, inputs.profiles, inputs.model)
}

fn concat_frames(a: &DataFrame, b: &DataFrame) -> PolarsResult<DataFrame> {
    let mut out = a.clone();
    out.vstack_mut(&b.select(a.get_column_names_owned())?)?;
    Ok(out)
}

/// Planned sessions as activity rows (through the same builder the readers fill).
fn planned_activities(rows: Vec<(String, PlannedSession)>) -> anyhow::Result<DataFrame> {
    let mut c = Canonical::default();
    for (athlete, p) in rows {
        c.add_session(
            crate::ingest::canonical::Session {
                athlete,
                start: p.start,
                utc: None,
                sport: p.sport.clone(),
                duration_min: p.duration_min,
                alt_duration_min: None,
                distance_km: None,
                avg_hr: p.avg_hr,
                max_hr: None,
                calories_kcal: None,
                title: Some("planned".to_string()),
                description: None,
                rpe: p.rpe,
                load: p.load,
                mass_before_kg: None,
                mass_after_kg: None,
                fluid_during_ml: None,
                warmup_min: None,
            },
            &p.source,
            0,
        )
        .map_err(|e| anyhow::anyhow!("{}: {e}", p.source))?;
    }
    Ok(c.into_frames()?.activities)
}

/// Computes every scenario's day in one daily table: scenario k is a copy of its athlete
/// under the name `athlete␞k`, with the history's sessions on the planned days replaced by
/// the planned ones; weather is shared, so each copy is computed exactly as `analyze`
/// computes the athlete.
fn evaluate(
    scenarios: &[Scenario],
    athletes: &DataFrame,
    inputs: &PlanInputs,
) -> anyhow::Result<Vec<DayResult>> {
    if scenarios.is_empty() {
        return Ok(Vec::new());
    }
    let clone_of = |k: usize| format!("{}\u{1e}{k}", scenarios[k].athlete);
    let map = DataFrame::new_infer_height(vec![
        Column::new(
            "real".into(),
            scenarios
                .iter()
                .map(|sc| sc.athlete.clone())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "clone".into(),
            (0..scenarios.len()).map(clone_of).collect::<Vec<_>>(),
        ),
    ])?;
    let copy = |df: &DataFrame| -> PolarsResult<DataFrame> {
        let names: Vec<Expr> = df
            .get_column_names()
            .iter()
            .map(|n| {
                if n.as_str() == s::ATHLETE {
                    col("clone").alias(s::ATHLETE)
                } else {
                    col(n.as_str())
                }
            })
            .collect();
        df.clone()
            .lazy()
            .join(
                map.clone().lazy(),
                [col(s::ATHLETE)],
                [col("real")],
                JoinArgs::new(JoinType::Inner),
            )
            .select(names)
            .collect()
    };
    // The planned days' real sessions give way to the planned ones.
    let replaced = replaced_days(scenarios, clone_of)?;
    let history = copy(&inputs.frames.activities)?
        .lazy()
        .join(
            replaced.lazy(),
            [col(s::ATHLETE), col(s::DATE)],
            [col(s::ATHLETE), col(s::DATE)],
            JoinArgs::new(JoinType::Left),
        )
        .filter(col("replaced").is_null())
        .drop(cols(["replaced"]))
        .collect()?;
    let planned = planned_activities(
        scenarios
            .iter()
            .enumerate()
            .flat_map(|(k, sc)| sc.sessions.iter().map(move |p| (clone_of(k), p.clone())))
            .collect(),
    )?;
    let frames = Frames {
        activities: concat_frames(&history, &planned)?,
        fluids: copy(&inputs.frames.fluids)?,
        daily: copy(&inputs.frames.daily)?,
        food: copy(&inputs.frames.food)?,
        weather_hourly: inputs.frames.weather_hourly.clone(),
        weather_daily: inputs.frames.weather_daily.clone(),
    };
    let mut clones = copy(athletes)?;
    // A session planned somewhere else takes that place's weather.
    let keys = planned_weather_keys(&clones, scenarios)?;
    clones.with_column(Column::new(s::WEATHER_KEY.into(), keys))?;
    let lf = model::score(
        daily::daily_measures(&frames, &clones, daily::Window::default())?,
        inputs.model,
    )?;
    let mut table = lf.collect()?;
    explain::add_explanations(&mut table, inputs.model)?;
    read_days(&table, scenarios, clone_of)
}

/// The (clone, day) rows whose real sessions the planned ones replace: every day a
/// scenario plans a session on, and the scenario's own day, flagged `replaced`.
fn replaced_days(
    scenarios: &[Scenario],
    clone_of: impl Fn(usize) -> String,
) -> PolarsResult<DataFrame> {
    // Borrowed so that each scenario's `move` iterator can call it.
    let clone_of = &clone_of;
    let replaced_days: Vec<(String, i32)> = scenarios
        .iter()
        .enumerate()
        .flat_map(|(k, sc)| {
            let mut d: Vec<i32> = sc
                .sessions
                .iter()
                .map(|p| dates::to_days(p.date()))
                .collect();
            d.push(dates::to_days(sc.day));
            d.sort_unstable();
            d.dedup();
            d.into_iter().map(move |d| (clone_of(k), d))
        })
        .collect();
    DataFrame::new_infer_height(vec![
        Column::new(
            s::ATHLETE.into(),
            replaced_days
                .iter()
                .map(|(a, _)| a.clone())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            s::DATE.into(),
            replaced_days.iter().map(|(_, d)| *d).collect::<Vec<_>>(),
        )
        .cast(&DataType::Date)?,
        Column::new("replaced".into(), vec![true; replaced_days.len()]),
    ])
}

/// The weather key of each clone row in `clones`: the scenario's planned location when it
/// names one, else the athlete's own key.
fn planned_weather_keys(
    clones: &DataFrame,
    scenarios: &[Scenario],
) -> PolarsResult<Vec<Option<String>>> {
    let names = clones.column(s::ATHLETE)?.str()?.clone();
    let old = clones.column(s::WEATHER_KEY)?.str()?.clone();
    Ok(names
        .iter()
        .zip(old.iter())
        .map(|(n, o)| {
            let k: Option<usize> = n
                .and_then(|n| n.rsplit_once('\u{1e}'))
                .and_then(|(_, k)| k.parse().ok());
            match k.and_then(|k| scenarios[k].location.as_deref()) {
                Some(l) => Some(name_key(l)),
                None => o.map(str::to_string),
            }
        })
        .collect())
}

fn read_days(
    table: &DataFrame,
    scenarios: &[Scenario],
    clone_of: impl Fn(usize) -> String,
) -> anyhow::Result<Vec<DayResult>> {
    let mut row_of: BTreeMap<(String, i32), usize> = BTreeMap::new();
    let names = table.column(s::ATHLETE)?.str()?;
    let days = table.column(s::DATE)?.cast(&DataType::Int32)?;
    for (i, (n, d)) in names.iter().zip(days.i32()?.iter()).enumerate() {
        if let (Some(n), Some(d)) = (n, d) {
            row_of.insert((n.to_string(), d), i);
        }
    }
    let num = |c: &str| -> PolarsResult<Float64Chunked> {
        Ok(table.column(c)?.cast(&DataType::Float64)?.f64()?.clone())
    };
    let text = |c: &str| -> PolarsResult<StringChunked> {
        Ok(table.column(c)?.cast(&DataType::String)?.str()?.clone())
    };
    let (risk, low, high, conf) = (
        num(s::RISK_PCT)?,
        num(s::RISK_LOW_PCT)?,
        num(s::RISK_HIGH_PCT)?,
        num("confidence")?,
    );
    let (hi, wbgt, sweat) = (
        num(s::HEAT_INDEX_C)?,
        num(s::WBGT_C)?,
        num(s::SWEAT_LOSS_ML)?,
    );
    let (band, top, missing, advice) = (
        text(s::RISK_BAND)?,
        text("top_factors")?,
        text("missing_inputs")?,
        text("recommendation")?,
    );
    let mut out = Vec::with_capacity(scenarios.len());
    for (k, sc) in scenarios.iter().enumerate() {
        let i = row_of
            .get(&(clone_of(k), dates::to_days(sc.day)))
            .copied()
            .ok_or_else(|| anyhow::anyhow!("the planned day {} was not computed", sc.day))?;
        let t = |c: &StringChunked| c.get(i).unwrap_or("").to_string();
        out.push(DayResult {
            risk_pct: risk.get(i),
            risk_low_pct: low.get(i),
            risk_high_pct: high.get(i),
            band: band.get(i).map(str::to_string),
            confidence: conf.get(i),
            top_factors: t(&top),
            missing_inputs: t(&missing),
            recommendation: t(&advice),
            heat_index_c: hi.get(i),
            wbgt_c: wbgt.get(i),
            sweat_loss_ml: sweat.get(i),
        });
    }
    Ok(out)
}

/// The hour of a start, for the outputs.
pub fn start_text(t: NaiveDateTime) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::plan::parse_session;

    struct Run {
        ingested: crate::ingest::Ingested,
        model: model::Model,
    }

    fn read(paths: &[std::path::PathBuf]) -> Run {
        let (files, profiles) = crate::ingest::discover(paths).unwrap();
        let ingested =
            crate::ingest::load(&files, &profiles, &crate::ingest::ReadOptions::default()).unwrap();
        Run {
            ingested,
            model: model::Model::default(),
        }
    }

    fn plan_one(run: &Run, athlete: &str, spec: &str) -> (Vec<SessionPlan>, Vec<Rejection>) {
        let pi = PlanInputs {
            frames: &run.ingested.frames,
            profiles: &run.ingested.profiles,
            model: &run.model,
            window: StartWindow::default(),
        };
        let s = parse_session(spec, athlete).unwrap();
        let (kept, refused) = check(vec![s], &pi).unwrap();
        (plan(&kept, &pi).unwrap(), refused)
    }

    /// A small team in a temporary folder: `ana` (58 kg, sweat test, 40 days of runs) and
    /// `zoe` (in athletes.toml only, no sweat rate, no records), one place with hourly
    /// weather from 2025-07-01 to 2025-07-12 whose afternoons are as hot as `peak_c`.
    fn team(peak_c: f64) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("athletes.toml"),
            "[athletes.ana]\nsex = \"female\"\nbody_mass_kg = 58.0\nhr_rest = 50\nhr_max = 190\n\
             sweat_sodium_mg_per_l = 1100\nlocation = \"town\"\n\
             [athletes.zoe]\nsex = \"female\"\nlocation = \"town\"\n",
        )
        .unwrap();
        let mut acts = String::from("athlete,start,sport,duration_min,rpe\n");
        let first = NaiveDate::from_ymd_opt(2025, 6, 1).unwrap();
        for d in 0..40 {
            if d % 7 != 6 {
                let day = first + chrono::Duration::days(d);
                acts.push_str(&format!("ana,{day} 07:00,run,60,5\n"));
            }
        }
        std::fs::write(dir.path().join("activities.csv"), acts).unwrap();
        // 18 °C at night rising to `peak_c` at 15:00 (a triangle), 40 % humidity.
        let mut w = String::from("location,time,temp_c,rh_pct,wind_kmh\n");
        for d in 0..42 {
            let day = first + chrono::Duration::days(d);
            for h in 0..24 {
                let t = 18.0 + (peak_c - 18.0) * (1.0 - ((h as f64 - 15.0).abs() / 9.0)).max(0.0);
                w.push_str(&format!("town,{day} {h:02}:00,{t:.1},40,5\n"));
            }
        }
        std::fs::write(dir.path().join("weather.csv"), w).unwrap();
        dir
    }

    /// Issue 14's consistency check: a session planned on a day that happened, with that
    /// day's real weather and drinks, gets the risk `analyze` computes for that day.
    /// chloe's 2025-08-24 in the samples: soccer, 17:23, 105 min, RPE 6 (her only session).
    #[test]
    fn a_planned_day_that_happened_gets_analyzes_risk() {
        let samples = std::path::PathBuf::from("samples/team");
        let run = read(std::slice::from_ref(&samples));
        let (plans, refused) = plan_one(&run, "chloe", "2025-08-24 17:23 soccer 105min rpe6");
        assert!(refused.is_empty(), "{refused:?}");
        let got = &plans[0].result;
        let inputs = compute::Inputs::of_folder(&samples).unwrap();
        let a = compute::compute(&inputs, None, None).unwrap();
        let day = crate::dates::to_days(NaiveDate::from_ymd_opt(2025, 8, 24).unwrap());
        let names = a.daily.column(s::ATHLETE).unwrap().str().unwrap().clone();
        let days = a
            .daily
            .column(s::DATE)
            .unwrap()
            .cast(&DataType::Int32)
            .unwrap();
        let i = (0..a.daily.height())
            .find(|&i| names.get(i) == Some("chloe") && days.i32().unwrap().get(i) == Some(day))
            .unwrap();
        let f = |c: &str| a.daily.column(c).unwrap().f64().unwrap().get(i);
        assert_eq!(got.risk_pct, f(s::RISK_PCT));
        assert_eq!(got.risk_low_pct, f(s::RISK_LOW_PCT));
        assert_eq!(got.risk_high_pct, f(s::RISK_HIGH_PCT));
        assert_eq!(got.sweat_loss_ml, f(s::SWEAT_LOSS_ML));
        let band = a.daily.column(s::RISK_BAND).unwrap().str().unwrap().get(i);
        assert_eq!(got.band.as_deref(), band);
        // The value itself, as analyze writes it for that day (daily_risk.csv: 4.1 %, low).
        assert!((got.risk_pct.unwrap() - 4.1).abs() < 0.05);
    }

    /// A hot afternoon (38 °C at 15:00, 18 °C at dawn): the best start of a 2-h run planned
    /// at 14:00 is in the cool morning, with a lower risk than at 14:00.
    #[test]
    fn hot_afternoon_best_start_is_the_cool_morning() {
        let dir = team(38.0);
        let run = read(&[dir.path().to_path_buf()]);
        let (plans, _) = plan_one(&run, "ana", "2025-07-10 14:00 run 120min rpe7");
        let p = &plans[0];
        let (best, r) = p.best.clone().unwrap();
        assert!(best.hour() <= 8, "best start {best}");
        assert!(r.risk_pct.unwrap() < p.result.risk_pct.unwrap());
        // The start hours tried: 06:00 to 18:00 (a 2-h session ends by 20:00) = 13.
        assert_eq!(p.by_start.len(), 13);
        // The what-ifs: shorter (80 min), easier, earlier (12:00) and indoor all computed;
        // indoors there is no outdoor heat, so it is lower than the 14:00 run.
        let names: Vec<&str> = p.what_ifs.iter().map(|w| w.name).collect();
        assert_eq!(names, ["shorter", "easier", "earlier", "indoor"]);
        let indoor = &p.what_ifs[3].result;
        assert!(indoor.risk_pct < p.result.risk_pct);
    }

    /// The drink plan follows the forecast (zoe has no sweat rate: the sport default rises
    /// with the heat index) and never gives more fluid than the predicted sweat loss.
    #[test]
    fn drink_plan_follows_the_forecast_and_stays_under_sweat_loss() {
        let mut sweat = Vec::new();
        for peak in [22.0, 36.0] {
            let dir = team(peak);
            let run = read(&[dir.path().to_path_buf()]);
            let (plans, refused) = plan_one(&run, "zoe", "2025-07-10 13:00 run 90min rpe6");
            assert!(refused.is_empty(), "{refused:?}");
            let p = &plans[0];
            let d = &p.drinks;
            assert!(d.during_ml_per_h <= d.sweat_ml_per_h);
            assert!(d.during_ml_per_h * 1.5 <= p.sweat_ml + 1e-9);
            assert!(d.sodium_source.starts_with("default"));
            sweat.push((p.sweat_ml, d.during_ml_per_h));
        }
        assert!(sweat[1].0 > sweat[0].0, "{sweat:?}");
        assert!(sweat[1].1 > sweat[0].1, "{sweat:?}");
    }

    /// zoe has no records at all: the plan still computes her day, with a range wider than
    /// ana's (40 days of history) for the same session.
    #[test]
    fn no_history_gives_an_honest_wide_range() {
        let dir = team(30.0);
        let run = read(&[dir.path().to_path_buf()]);
        let width = |athlete: &str| {
            let (plans, refused) = plan_one(&run, athlete, "2025-07-10 07:00 run 60min rpe5");
            assert!(refused.is_empty(), "{refused:?}");
            let r = &plans[0].result;
            assert!(r.risk_low_pct <= r.risk_pct && r.risk_pct <= r.risk_high_pct);
            r.risk_high_pct.unwrap() - r.risk_low_pct.unwrap()
        };
        let (zoe, ana) = (width("zoe"), width("ana"));
        assert!(zoe > ana, "zoe {zoe} ana {ana}");
    }

    #[test]
    fn bad_plans_get_clear_messages() {
        let dir = team(30.0);
        let run = read(&[dir.path().to_path_buf()]);
        let (plans, refused) = plan_one(&run, "zed", "2025-07-10 07:00 run 60min rpe5");
        assert!(plans.is_empty());
        assert!(
            refused[0].reason.starts_with("unknown athlete \"zed\""),
            "{}",
            refused[0].reason
        );
        // 2025-05-10 is before ana's last record and the weather starts on 2025-06-01.
        let (_, refused) = plan_one(&run, "ana", "2025-05-10 07:00 run 60min rpe5");
        assert!(
            refused[0]
                .reason
                .starts_with("2025-05-10 is a past date and the inputs have no weather for town"),
            "{}",
            refused[0].reason
        );
        // After the weather ends (2025-07-12 23:00): the forecast does not cover it.
        let (_, refused) = plan_one(&run, "ana", "2025-07-20 07:00 run 60min rpe5");
        assert!(
            refused[0]
                .reason
                .contains("the forecast for town does not cover 2025-07-20 07:00–08:00"),
            "{}",
            refused[0].reason
        );
        let (_, refused) = plan_one(&run, "ana", "2025-07-10 07:00 quidditch 60min rpe5");
        assert!(
            refused[0]
                .reason
                .starts_with("unknown sport \"quidditch\" (known: "),
            "{}",
            refused[0].reason
        );
        // Indoors, no weather is needed.
        let (plans, refused) = plan_one(&run, "ana", "2025-07-20 07:00 run 60min rpe5 indoor");
        assert!(refused.is_empty() && plans.len() == 1);
    }
}
