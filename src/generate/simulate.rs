//! Per-athlete simulation, streamed day by day: activities, daily summaries and the fluid log.

use super::*;

pub(super) const DRINKS: [&str; 6] = [
    "water",
    "coffee",
    "sports drink",
    "electrolyte",
    "tea",
    "milk",
];

pub(super) struct Drink {
    pub(super) minute: u32,
    pub(super) volume: u32,
    pub(super) drink: &'static str,
    pub(super) sodium: Option<u32>,
}

pub(super) fn simulate(
    a: &Athlete,
    cal: &Calendar,
    wx: &Weather,
    acts: &mut CsvOut,
    daily: &mut CsvOut,
    fluids: &mut CsvOut,
) -> Result<Option<u32>> {
    let mut rng_act = sub_rng(cal.seed, STREAM_ACTIVITIES, a.index as u64);
    let mut rng_day = sub_rng(cal.seed, STREAM_DAILY, a.index as u64);
    let mut rng_fl = sub_rng(cal.seed, STREAM_FLUIDS, a.index as u64);
    let plan = WeekPlan::new(a);
    let typical = f64::from(a.per_week) * 60.0 * 5.0 / 7.0;
    let (mut atl, mut ctl) = (typical, typical);
    let mut drift = 0.0_f64;
    let mut first_novice = None;

    for d in 0..cal.days {
        let date = cal.date_str[d as usize].as_str();
        let weekend = cal.dates[d as usize].weekday().num_days_from_monday() >= 5;
        drift = (0.97 * drift + 0.15 * normal(&mut rng_act)).clamp(-1.5, 1.5);
        let ctx = DayCtx {
            d,
            date,
            weekend,
            hot: wx.is_hot(d),
            tmax: wx.day(d).tmax,
            progress: if cal.days > 1 {
                f64::from(d) / f64::from(cal.days - 1)
            } else {
                0.0
            },
            mass: a.mass + drift,
        };
        let planned = plan_day(a, &plan, cal, d, &mut rng_act);
        let starts = start_times(a, &planned, &ctx, &mut rng_act);
        let sessions: Vec<Session> = planned
            .iter()
            .zip(starts)
            .map(|(&p, t)| realize(a, cal, wx, &ctx, p, t, &mut rng_act))
            .collect();
        for s in &sessions {
            acts.row(s.record(&a.name, date, a.duration_decimal))?;
            if s.kind == Kind::Novice && first_novice.is_none() {
                first_novice = Some(d);
            }
        }

        let load: f64 = sessions.iter().map(|s| s.duration * s.effort).sum();
        atl += (load - atl) / 7.0;
        ctl += (load - ctl) / 42.0;
        if a.has_watch {
            if let Some(row) = daily_row(a, wx, &ctx, &sessions, atl / ctl.max(50.0), &mut rng_day)
            {
                daily.row(row)?;
            }
        }
        if a.logs_fluids {
            for drink in fluid_day(a, &ctx, &sessions, &mut rng_fl) {
                fluids.row([
                    a.name.clone(),
                    stamp(date, drink.minute),
                    drink.volume.to_string(),
                    drink.drink.to_string(),
                    opt(drink.sodium),
                ])?;
            }
        }
    }
    Ok(first_novice)
}

pub(super) fn daily_row(
    a: &Athlete,
    wx: &Weather,
    ctx: &DayCtx,
    sessions: &[Session],
    fatigue: f64,
    rng: &mut Rng,
) -> Option<[String; 6]> {
    let missing = chance(rng, 0.035);
    let mut steps = a.steps_base
        * if ctx.weekend {
            uniform(rng, 0.75, 1.3)
        } else {
            uniform(rng, 0.85, 1.15)
        }
        + 1200.0 * normal(rng);
    let mut train_min = 0.0;
    for s in sessions {
        train_min += s.duration;
        let per_min = match s.sport {
            Sport::Run => uniform(rng, 155.0, 175.0),
            Sport::Walk => uniform(rng, 100.0, 120.0),
            Sport::Soccer => uniform(rng, 70.0, 95.0),
            Sport::Strength => 10.0,
            _ => 3.0,
        };
        steps += per_min * s.duration;
    }
    let steps = steps.clamp(600.0, 60_000.0).round() as u32;
    let sedentary = (a.sedentary_base - 0.5 * train_min - if ctx.weekend { 60.0 } else { 0.0 }
        + 35.0 * normal(rng))
    .clamp(150.0, 960.0)
    .round() as u32;
    let warm_night = wx.day(ctx.d).tmin >= 20.0;
    let resting = (f64::from(a.hr_rest)
        + 5.0 * (fatigue - 1.0).clamp(-0.4, 1.5)
        + if warm_night { 1.5 } else { 0.0 }
        + 1.3 * normal(rng))
    .round()
    .clamp(35.0, 100.0) as u32;
    let sleep = (a.sleep_base + if ctx.weekend { 25.0 } else { 0.0 }
        - if warm_night { 25.0 } else { 0.0 }
        - if fatigue > 1.3 { 15.0 } else { 0.0 }
        + 35.0 * normal(rng))
    .clamp(240.0, 660.0)
    .round() as u32;
    (!missing).then(|| {
        [
            a.name.clone(),
            ctx.date.to_string(),
            steps.to_string(),
            sedentary.to_string(),
            resting.to_string(),
            sleep.to_string(),
        ]
    })
}

pub(super) fn round50(ml: f64) -> u32 {
    ((ml / 50.0).round() * 50.0).max(50.0) as u32
}

/// The day's logged drinks in time order; empty on an unlogged day. Totals stay in 1.2–3.5 L.
pub(super) fn fluid_day(
    a: &Athlete,
    ctx: &DayCtx,
    sessions: &[Session],
    rng: &mut Rng,
) -> Vec<Drink> {
    if chance(rng, 0.15) {
        return Vec::new();
    }
    let sweat: f64 = sessions.iter().map(|s| s.sweat_l).sum();
    let warmth = 40.0 * (ctx.tmax - 22.0).max(0.0);
    let base = a.mass * uniform(rng, 20.0, 30.0);
    let target = if ctx.hot && a.under_drinker && chance(rng, 0.85) {
        // Under-drinking: no extra for the heat or the sweat, and less than usual.
        base * uniform(rng, 0.6, 0.85)
    } else if ctx.hot {
        base + 400.0 * sweat + warmth + uniform(rng, 200.0, 600.0)
    } else {
        base + 400.0 * sweat + warmth
    };
    let target = target.clamp(1400.0, 3400.0);

    let first_session = sessions.first().map_or(24 * 60, |s| s.start);
    let wake = (390 + rng.u32(0..=75)).min(first_session.saturating_sub(20).max(330));
    let bed = 22 * 60 + rng.u32(0..=75);
    let mut out = Vec::with_capacity(10);
    let morning = if a.coffee { "coffee" } else { "tea" };
    out.push(Drink {
        minute: wake + rng.u32(5..=30),
        volume: if a.coffee {
            round50(uniform(rng, 150.0, 250.0))
        } else {
            round50(uniform(rng, 250.0, 300.0))
        },
        drink: morning,
        sodium: None,
    });
    if chance(rng, 0.45) {
        let minute = if rng.bool() {
            rng.u32(630..=690)
        } else {
            rng.u32(930..=990)
        };
        out.push(Drink {
            minute,
            volume: round50(uniform(rng, 150.0, 250.0)),
            drink: morning,
            sodium: None,
        });
    }
    if a.milk && chance(rng, 0.5) {
        out.push(Drink {
            minute: wake + rng.u32(10..=40),
            volume: round50(uniform(rng, 200.0, 250.0)),
            drink: "milk",
            sodium: None,
        });
    }
    for s in sessions {
        let end = s.start + s.duration.round() as u32;
        if a.sports_drink && s.duration >= 60.0 && chance(rng, 0.65) {
            let volume = if rng.bool() { 500 } else { 750 };
            let sodium = chance(rng, 0.6).then(|| {
                ((f64::from(volume) * uniform(rng, 0.35, 0.5)) / 10.0).round() as u32 * 10
            });
            out.push(Drink {
                minute: end + rng.u32(5..=30),
                volume,
                drink: "sports drink",
                sodium,
            });
        }
        if a.electrolytes && (ctx.hot || s.duration >= 90.0) && chance(rng, 0.7) {
            let sodium =
                chance(rng, 0.75).then(|| (a.electrolyte_mg_per_l * 0.05).round() as u32 * 10);
            out.push(Drink {
                minute: end + rng.u32(30..=90),
                volume: 500,
                drink: "electrolyte",
                sodium,
            });
        }
    }
    let fixed: f64 = out.iter().map(|d| f64::from(d.volume)).sum();
    let mut remaining = target - fixed;
    let mut water = Vec::new();
    while remaining > 150.0 {
        let sizes: &[u32] = &[250, 330, 500, 750];
        let fitting: Vec<u32> = sizes
            .iter()
            .copied()
            .filter(|&v| f64::from(v) <= remaining)
            .collect();
        let volume = if fitting.is_empty() {
            round50(remaining)
        } else {
            *pick(rng, &fitting)
        };
        remaining -= f64::from(volume);
        water.push(volume);
    }
    let n = water.len() as f64;
    let span = f64::from(bed.saturating_sub(wake + 30));
    for (i, volume) in water.into_iter().enumerate() {
        let at = f64::from(wake + 30) + span * (i as f64 + 0.5) / n + 25.0 * normal(rng);
        out.push(Drink {
            minute: at.round() as u32,
            volume,
            drink: "water",
            sodium: None,
        });
    }
    for drink in &mut out {
        drink.minute = drink.minute.min(23 * 60 + 59);
    }
    out.sort_by_key(|d| d.minute);
    debug_assert!(out.iter().all(|d| DRINKS.contains(&d.drink)));
    out
}
