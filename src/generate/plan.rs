//! Training plans: the weekly plan, which sessions happen on a day, and each session realised with
//! its duration, intensity, load and title.

use super::*;

/// The athlete's usual week, Monday first; `None` is a rest day.
pub(super) struct WeekPlan {
    pub(super) week: [Option<(Sport, Kind)>; 7],
    pub(super) yoga_day: usize,
    pub(super) gym_day: usize,
    pub(super) new_sport_days: Vec<usize>,
}

impl WeekPlan {
    pub(super) fn new(a: &Athlete) -> Self {
        use Kind::*;
        use Sport::*;
        // Weekday priorities: the first `per_week` entries are trained, the rest are rest days.
        let order: [(usize, Sport, Kind); 7] = match a.main {
            Run => [
                (6, Run, Long),
                (1, Run, Intervals),
                (3, Run, Tempo),
                (5, Run, Easy),
                (2, Run, Easy),
                (0, Run, Recovery),
                (4, Run, Easy),
            ],
            Ride => [
                (5, Ride, Long),
                (1, Ride, Intervals),
                (3, Ride, Tempo),
                (6, Ride, Easy),
                (2, Ride, Easy),
                (4, Ride, Recovery),
                (0, Ride, Easy),
            ],
            Swim => [
                (1, Swim, Intervals),
                (3, Swim, Tempo),
                (5, Swim, Long),
                (0, Swim, Easy),
                (2, Swim, Easy),
                (4, Swim, Easy),
                (6, Swim, Recovery),
            ],
            Soccer => [
                (6, Soccer, Match),
                (1, Soccer, Training),
                (3, Soccer, Training),
                (0, Strength, Gym),
                (2, Soccer, Training),
                (4, Soccer, Recovery),
                (5, Soccer, Training),
            ],
            Strength | Yoga | Walk => [
                (0, Strength, Gym),
                (2, Strength, Gym),
                (4, Strength, Gym),
                (5, Run, Easy),
                (1, Strength, Gym),
                (6, Walk, Stroll),
                (3, Yoga, Mobility),
            ],
        };
        let mut week = [None; 7];
        for &(wd, sport, kind) in order.iter().take(a.per_week.clamp(1, 7) as usize) {
            week[wd] = Some((sport, kind));
        }
        let rest: Vec<usize> = (0..7).filter(|&wd| week[wd].is_none()).collect();
        let yoga_day = rest.last().copied().unwrap_or(6);
        let mut new_sport_days: Vec<usize> = rest.iter().copied().take(3).collect();
        if new_sport_days.len() < 2 {
            new_sport_days.extend(
                (0..7)
                    .filter(|&wd| matches!(week[wd], Some((_, Easy | Recovery))))
                    .take(3 - new_sport_days.len()),
            );
        }
        Self {
            week,
            yoga_day,
            gym_day: 2,
            new_sport_days,
        }
    }
}

/// Everything about one day that sessions, daily rows and fluids share.
pub(super) struct DayCtx<'a> {
    pub(super) d: u32,
    pub(super) date: &'a str,
    pub(super) weekend: bool,
    pub(super) hot: bool,
    /// The day's maximum temperature where the athlete lives.
    pub(super) tmax: f64,
    /// 0 at the start of the period, 1 at the end.
    pub(super) progress: f64,
    /// Body mass this morning (kg).
    pub(super) mass: f64,
}

/// A finished session, as written to activities.csv.
#[derive(Debug, Clone)]
pub(super) struct Session {
    pub(super) sport: Sport,
    pub(super) kind: Kind,
    pub(super) start: u32,
    pub(super) duration: f64,
    pub(super) distance: Option<f64>,
    pub(super) avg_hr: Option<u32>,
    pub(super) max_hr: Option<u32>,
    pub(super) rpe: Option<u32>,
    pub(super) load: Option<u32>,
    pub(super) kcal: Option<u32>,
    pub(super) mass: Option<(f64, f64)>,
    pub(super) fluid: Option<u32>,
    pub(super) warmup: Option<u32>,
    pub(super) title: String,
    /// Hidden truth used by the daily and fluid files.
    pub(super) effort: f64,
    pub(super) sweat_l: f64,
}

impl Session {
    pub(super) fn record(&self, athlete: &str, date: &str, decimal: bool) -> [String; 15] {
        let duration = if decimal {
            f1(self.duration)
        } else {
            format!("{}", self.duration.round() as i64)
        };
        let (before, after) = match self.mass {
            Some((b, a)) => (f1(b), f1(a)),
            None => (String::new(), String::new()),
        };
        [
            athlete.to_string(),
            stamp(date, self.start),
            self.sport.as_str().to_string(),
            duration,
            self.distance.map(f2).unwrap_or_default(),
            opt(self.avg_hr),
            opt(self.max_hr),
            opt(self.rpe),
            opt(self.load),
            opt(self.kcal),
            before,
            after,
            opt(self.fluid),
            opt(self.warmup),
            self.title.clone(),
        ]
    }
}

/// Which sessions happen on day `d` (at most two), in time order.
pub(super) fn plan_day(
    a: &Athlete,
    plan: &WeekPlan,
    cal: &Calendar,
    d: u32,
    rng: &mut Rng,
) -> Vec<(Sport, Kind)> {
    let wd = cal.dates[d as usize].weekday().num_days_from_monday() as usize;
    let mut v = Vec::with_capacity(3);
    if let Some(camp) = cal.camp.as_ref().filter(|c| a.camp && c.contains(&d)) {
        let k = d - camp.start;
        if k == 3 {
            v.push((a.main, Kind::Easy));
        } else {
            v.push((a.main, Kind::Camp));
            if k == 1 || k == 4 {
                v.push((Sport::Yoga, Kind::Mobility));
            }
        }
        return v;
    }
    if let Some((sport, kind)) = plan.week[wd] {
        if kind == Kind::Match || !chance(rng, 0.07) {
            v.push((sport, kind));
        }
    }
    if let Some(ns) = a.new_sport {
        let first_week = d < cal.new_sport_from + 7;
        if d >= cal.new_sport_from
            && plan.new_sport_days.contains(&wd)
            && (first_week || !chance(rng, 0.1))
        {
            v.push((ns, Kind::Novice));
        }
    }
    if a.gym_extra && wd == plan.gym_day && chance(rng, 0.8) {
        v.push((Sport::Strength, Kind::Gym));
    }
    if a.yoga && wd == plan.yoga_day && chance(rng, 0.8) {
        v.push((Sport::Yoga, Kind::Mobility));
    }
    if a.walks && plan.week[wd].is_none() && chance(rng, 0.4) {
        v.push((Sport::Walk, Kind::Stroll));
    }
    if v.len() == 1 && !matches!(v[0].1, Kind::Long | Kind::Match) && chance(rng, a.doubles) {
        let extra = match a.main {
            Sport::Run | Sport::Ride | Sport::Swim => (a.main, Kind::Recovery),
            _ => (Sport::Strength, Kind::Gym),
        };
        v.push(extra);
    }
    v.truncate(2);
    // Team training and stretching belong in the evening when there are two sessions.
    if v.len() == 2 && matches!(v[0].1, Kind::Training | Kind::Mobility) {
        v.swap(0, 1);
    }
    v
}

/// Start minute of each planned session.
pub(super) fn start_times(
    a: &Athlete,
    planned: &[(Sport, Kind)],
    ctx: &DayCtx,
    rng: &mut Rng,
) -> Vec<u32> {
    let early = ctx.hot && a.heat_early;
    let morning = |rng: &mut Rng| {
        if early {
            rng.u32(360..=435)
        } else {
            rng.u32(360..=540)
        }
    };
    let evening = |rng: &mut Rng| {
        if early {
            rng.u32(1110..=1200)
        } else {
            rng.u32(1020..=1200)
        }
    };
    if planned.len() >= 2 {
        let first = match planned[0].1 {
            Kind::Long | Kind::Camp => {
                if early {
                    rng.u32(360..=420)
                } else {
                    rng.u32(420..=510)
                }
            }
            _ => rng.u32(360..=510),
        };
        let second = rng.u32(1050..=1200);
        return vec![first, second];
    }
    let Some(&(sport, kind)) = planned.first() else {
        return Vec::new();
    };
    let t = match kind {
        Kind::Long | Kind::Camp => {
            if early {
                rng.u32(360..=420)
            } else {
                rng.u32(420..=570)
            }
        }
        Kind::Match => {
            if chance(rng, 0.35) {
                rng.u32(720..=810)
            } else {
                rng.u32(1020..=1140)
            }
        }
        Kind::Training if sport == Sport::Soccer => rng.u32(1080..=1200),
        _ if chance(rng, 0.04) => rng.u32(690..=840),
        _ => match a.slot {
            Slot::Morning => morning(rng),
            Slot::Evening => evening(rng),
            Slot::Mixed => {
                if rng.bool() {
                    morning(rng)
                } else {
                    evening(rng)
                }
            }
        },
    };
    vec![t]
}

pub(super) fn duration_range(sport: Sport, kind: Kind) -> (f64, f64) {
    use Kind::*;
    use Sport::*;
    match (sport, kind) {
        (Run, Easy) => (35.0, 60.0),
        (Run, Recovery) => (25.0, 40.0),
        (Run, Tempo) => (45.0, 65.0),
        (Run, Intervals) => (50.0, 75.0),
        (Run, Long) => (95.0, 150.0),
        (Run, Novice) => (20.0, 30.0),
        (Ride, Easy) => (60.0, 100.0),
        (Ride, Recovery) => (40.0, 60.0),
        (Ride, Tempo | Intervals) => (60.0, 95.0),
        (Ride, Long) => (150.0, 230.0),
        (Ride, Camp) => (190.0, 300.0),
        (Swim, Easy) => (40.0, 60.0),
        (Swim, Recovery) => (30.0, 45.0),
        (Swim, Tempo) => (45.0, 60.0),
        (Swim, Intervals) => (50.0, 75.0),
        (Swim, Long) => (90.0, 110.0),
        (Soccer, Match) => (95.0, 110.0),
        (Soccer, Training) => (75.0, 100.0),
        (Soccer, Recovery) => (45.0, 60.0),
        (Strength, _) => (45.0, 75.0),
        (Yoga, _) => (30.0, 60.0),
        (Walk, _) => (30.0, 90.0),
        _ => (40.0, 60.0),
    }
}

/// Fraction of heart-rate reserve.
pub(super) fn intensity_range(kind: Kind) -> (f64, f64) {
    match kind {
        Kind::Easy => (0.62, 0.70),
        Kind::Recovery => (0.52, 0.60),
        Kind::Tempo => (0.76, 0.83),
        Kind::Intervals => (0.78, 0.86),
        Kind::Long => (0.64, 0.72),
        Kind::Training => (0.62, 0.72),
        Kind::Match => (0.74, 0.82),
        Kind::Gym => (0.38, 0.50),
        Kind::Mobility => (0.20, 0.30),
        Kind::Stroll => (0.25, 0.35),
        Kind::Camp => (0.60, 0.70),
        Kind::Novice => (0.72, 0.80),
    }
}

/// Perceived effort (RPE 1–10) equivalent of a heart-rate-reserve fraction.
pub(super) fn rpe_of(f: f64) -> f64 {
    const TABLE: [(f64, f64); 10] = [
        (0.20, 1.0),
        (0.40, 2.0),
        (0.55, 3.0),
        (0.65, 4.0),
        (0.72, 5.0),
        (0.78, 6.0),
        (0.83, 7.0),
        (0.87, 8.0),
        (0.92, 9.0),
        (0.97, 10.0),
    ];
    if f <= TABLE[0].0 {
        return 1.0;
    }
    for pair in TABLE.windows(2) {
        let ((x0, y0), (x1, y1)) = (pair[0], pair[1]);
        if f <= x1 {
            return y0 + (y1 - y0) * (f - x0) / (x1 - x0);
        }
    }
    10.0
}

pub(super) const CAMP_ROUTES: [&str; 7] = [
    "long coast loop",
    "Garbi climb x2",
    "Sierra Calderona, \"queen stage\"",
    "easy day",
    "Puerto de Chera, long",
    "hilly loop, windy",
    "last long one, tired legs",
];
pub(super) const OPPONENTS: [&str; 8] = [
    "Lyn", "Skeid", "Kjelsaas", "Grorud", "Ready", "Frigg", "Stabaek", "Asker",
];

pub(super) fn session_title(
    sport: Sport,
    kind: Kind,
    start: u32,
    temp: f64,
    phase_day: u32,
    distance: Option<f64>,
    rng: &mut Rng,
) -> String {
    let part = if start < 11 * 60 {
        "Morning"
    } else if start < 15 * 60 {
        "Lunch"
    } else {
        "Evening"
    };
    let hot = temp >= 28.0;
    match (sport, kind) {
        (Sport::Run, Kind::Intervals) => pick(
            rng,
            &[
                "Intervals 6x800",
                "Intervals 5x1000",
                "Track 12x400",
                "Hill repeats 8x60s",
                "Intervals 4x2km",
            ],
        )
        .to_string(),
        (Sport::Run, Kind::Tempo) => {
            pick(rng, &["Tempo 3x10min", "Threshold run", "Tempo 2x20min"]).to_string()
        }
        (Sport::Run, Kind::Long) => {
            if hot {
                "Long run, \"hot\"".to_string()
            } else {
                pick(rng, &["Long run", "Sunday long run", "Long run, easy pace"]).to_string()
            }
        }
        (Sport::Run, Kind::Novice) => {
            if phase_day < 21 {
                pick(rng, &["First runs: run/walk 6x2min", "Run/walk 8x1min"]).to_string()
            } else {
                pick(rng, &["Easy run (new!)", "Easy run, still learning"]).to_string()
            }
        }
        (Sport::Run, Kind::Recovery) => "Recovery jog".to_string(),
        (Sport::Run, _) => format!("{part} Run"),
        (Sport::Ride, Kind::Long) => {
            if hot {
                "Long ride, \"hot\"".to_string()
            } else {
                pick(
                    rng,
                    &["Long ride", "Long ride, coast road", "Saturday group ride"],
                )
                .to_string()
            }
        }
        (Sport::Ride, Kind::Camp) => {
            let k = phase_day as usize % CAMP_ROUTES.len();
            format!("Training camp day {}: {}", phase_day + 1, CAMP_ROUTES[k])
        }
        (Sport::Ride, Kind::Intervals) => {
            pick(rng, &["Sweet spot 3x15", "VO2 5x4min", "Intervals 6x5min"]).to_string()
        }
        (Sport::Ride, Kind::Tempo) => pick(rng, &["Tempo ride", "Group ride, fast"]).to_string(),
        (Sport::Ride, Kind::Recovery) => "Recovery spin".to_string(),
        (Sport::Ride, _) => {
            if chance(rng, 0.2) {
                "Coffee ride, easy".to_string()
            } else {
                format!("{part} Ride")
            }
        }
        (Sport::Swim, Kind::Intervals) => pick(
            rng,
            &["Swim: 10x100 @ CSS", "Pool 20x50", "Pool 5x200 pull"],
        )
        .to_string(),
        (Sport::Swim, Kind::Long) => pick(
            rng,
            &["Open water swim", "Open water, \"choppy\"", "Sea swim"],
        )
        .to_string(),
        (Sport::Swim, Kind::Tempo) => "Pool threshold 3x400".to_string(),
        (Sport::Swim, _) => {
            let m = (distance.unwrap_or(2.0) * 40.0).round() * 25.0;
            format!("Pool {m:.0}m")
        }
        (Sport::Soccer, Kind::Match) => {
            let opp = pick(rng, &OPPONENTS);
            format!("Match vs {opp}, {}-{}", rng.u32(0..=4), rng.u32(0..=3))
        }
        (Sport::Soccer, Kind::Recovery) => "Recovery session".to_string(),
        (Sport::Soccer, _) => pick(
            rng,
            &[
                "Team training",
                "Training: small-sided games",
                "Evening training",
            ],
        )
        .to_string(),
        (Sport::Strength, _) => pick(
            rng,
            &[
                "Gym: legs & core",
                "Strength, upper body",
                "Full body strength",
                "Gym: deadlift day",
            ],
        )
        .to_string(),
        (Sport::Yoga, _) => pick(
            rng,
            &[
                "Yoga flow",
                "Stretching",
                "Yoga, hips & hamstrings",
                "Mobility session",
            ],
        )
        .to_string(),
        (Sport::Walk, _) => pick(rng, &["Walk with the dog", "Evening walk", "Hike"]).to_string(),
    }
}

/// Turns a planned (sport, kind) at `start` into a full session.
pub(super) fn realize(
    a: &Athlete,
    cal: &Calendar,
    wx: &Weather,
    ctx: &DayCtx,
    (sport, kind): (Sport, Kind),
    start: u32,
    rng: &mut Rng,
) -> Session {
    let duration = planned_duration(a, cal, ctx, (sport, kind), rng);
    let hours = duration / 60.0;
    let temp = wx.session_temp(ctx.d, start, duration);
    let heat = (temp - 20.0).max(0.0);

    let (ilo, ihi) = intensity_range(kind);
    let f = uniform(rng, ilo, ihi);
    let effort = (rpe_of(f)
        + if duration > 120.0 { 0.7 } else { 0.0 }
        + 0.06 * heat
        + match kind {
            Kind::Novice => 0.8,
            // Heart rate underrates lifting and stretching; perceived effort does not.
            Kind::Gym => 2.5,
            Kind::Mobility => 1.0,
            _ => 0.0,
        })
    .clamp(1.0, 10.0);

    let (avg_hr, max_hr) = heart_rates(a, (sport, kind), f, heat, rng);
    let rpe = (avg_hr.is_none() || a.logs_rpe)
        .then(|| (effort + 0.6 * normal(rng)).round().clamp(1.0, 10.0) as u32);
    // A device's own training load, in Banister TRIMP units like the analyser's, give or take
    // the device's algorithm.
    let load = chance(rng, a.load_rate).then(|| {
        let (k, b) = match a.sex {
            Sex::Female => (0.86, 1.67),
            Sex::Male => (0.64, 1.92),
        };
        let x = (f + 0.01 * heat).min(1.0);
        (duration * x * k * (b * x).exp() * uniform(rng, 0.9, 1.1)).round() as u32
    });

    let speed = speed_kmh(a, (sport, kind), temp, rng);
    let distance = speed.filter(|_| sport.has_distance()).map(|v| v * hours);

    let met = met_of(sport, speed, f);
    let kcal = (!chance(rng, 0.07)).then(|| (met * a.mass * hours).round() as u32);

    let medium = match sport {
        Sport::Swim => 0.5,
        Sport::Yoga => 0.3,
        _ => 1.0,
    };
    let sweat_l =
        a.sweat_rate * hours * (1.0 + 0.035 * (temp - 18.0).max(0.0)) * (0.55 + 0.6 * f) * medium;
    let weighs = duration >= 30.0 && sport != Sport::Yoga && chance(rng, a.weigh_rate);
    let drinks_during = duration >= 45.0 && sport != Sport::Swim;
    let fluid_ml = if drinks_during {
        ((sweat_l * 1000.0 * uniform(rng, 0.15, 0.6)) / 50.0).round() * 50.0
    } else {
        0.0
    };
    let (mass, fluid) = if weighs {
        let loss = round1((sweat_l - fluid_ml / 1000.0 + 0.05).clamp(0.3, 2.5));
        let before = round1(ctx.mass + 0.3 * normal(rng));
        (Some((before, round1(before - loss))), Some(fluid_ml as u32))
    } else if duration >= 90.0 && drinks_during && chance(rng, 0.15) {
        (None, Some(fluid_ml as u32))
    } else {
        (None, None)
    };

    let warmup = ((a.logs_warmup && chance(rng, 0.6)) || chance(rng, 0.04)).then(|| match kind {
        Kind::Intervals | Kind::Tempo | Kind::Match | Kind::Training => rng.u32(10..=20),
        Kind::Gym | Kind::Novice => rng.u32(5..=15),
        Kind::Mobility | Kind::Stroll => 0,
        _ => rng.u32(0..=10),
    });
    let phase_day = match (kind, cal.camp.as_ref()) {
        (Kind::Camp, Some(c)) => ctx.d.saturating_sub(c.start),
        (Kind::Novice, _) => ctx.d.saturating_sub(cal.new_sport_from),
        _ => 0,
    };
    let title = session_title(sport, kind, start, temp, phase_day, distance, rng);

    Session {
        sport,
        kind,
        start,
        duration,
        distance,
        avg_hr,
        max_hr,
        rpe,
        load,
        kcal,
        mass,
        fluid,
        warmup,
        title,
        effort,
        sweat_l,
    }
}

/// The session's duration in minutes: the plan's range, built up over the season with a
/// recovery week in four, growing for a new sport, shorter in the heat for some.
fn planned_duration(
    a: &Athlete,
    cal: &Calendar,
    ctx: &DayCtx,
    (sport, kind): (Sport, Kind),
    rng: &mut Rng,
) -> f64 {
    let (lo, hi) = duration_range(sport, kind);
    let mut duration = uniform(rng, lo, hi);
    let builds = matches!(
        kind,
        Kind::Easy | Kind::Recovery | Kind::Tempo | Kind::Intervals | Kind::Long
    );
    if builds {
        let week = ctx.d / 7;
        let recovery_week = if week % 4 == 3 { 0.8 } else { 1.0 };
        duration *= (0.85 + 0.3 * ctx.progress) * recovery_week;
    }
    if kind == Kind::Novice {
        let weeks = f64::from(ctx.d.saturating_sub(cal.new_sport_from)) / 7.0;
        duration += (2.0 * weeks).min(20.0);
    }
    if kind == Kind::Long {
        duration = duration.clamp(90.0, 240.0);
    }
    if ctx.hot && a.heat_early && sport.endurance() {
        duration *= 0.9;
    }
    if a.duration_decimal {
        round1(duration)
    } else {
        duration.round()
    }
}

/// Average and peak heart rate, when a strap was worn: the intensity's share of the
/// heart-rate reserve, with drift in the heat.
fn heart_rates(
    a: &Athlete,
    (sport, kind): (Sport, Kind),
    f: f64,
    heat: f64,
    rng: &mut Rng,
) -> (Option<u32>, Option<u32>) {
    let strap_off = (sport == Sport::Yoga && chance(rng, 0.7)) || chance(rng, 0.05);
    if a.has_hr && !strap_off {
        let (rest, max) = (f64::from(a.hr_rest), f64::from(a.hr_max));
        let swim = if sport == Sport::Swim { -10.0 } else { 0.0 };
        let drift = (0.5 * heat).min(10.0);
        let avg =
            (rest + f * (max - rest) + drift + swim + 2.0 * normal(rng)).clamp(80.0, max - 8.0);
        let (slo, shi) = match kind {
            Kind::Intervals | Kind::Novice => (15.0, 28.0),
            Kind::Match => (20.0, 32.0),
            Kind::Gym => (25.0, 40.0),
            Kind::Tempo => (10.0, 20.0),
            Kind::Stroll | Kind::Mobility => (8.0, 16.0),
            _ => (10.0, 24.0),
        };
        let peak = (avg + uniform(rng, slo, shi)).min(max).max(avg + 3.0);
        (Some(avg.round() as u32), Some(peak.round() as u32))
    } else {
        (None, None)
    }
}

/// Speed in km/h of the sports that have one (a run slower in the heat).
fn speed_kmh(a: &Athlete, (sport, kind): (Sport, Kind), temp: f64, rng: &mut Rng) -> Option<f64> {
    match sport {
        Sport::Run => {
            let threshold = 11.5 + 4.5 * a.fitness;
            let k = match kind {
                Kind::Easy => 0.76,
                Kind::Recovery => 0.70,
                Kind::Tempo => 0.93,
                Kind::Intervals => 0.86,
                Kind::Long => 0.79,
                _ => 0.75,
            };
            let v = if kind == Kind::Novice {
                uniform(rng, 8.3, 9.6)
            } else {
                threshold * k
            };
            Some(v * (1.0 - 0.008 * (temp - 18.0).max(0.0)))
        }
        Sport::Ride => {
            let base = 25.0 + 8.0 * a.fitness;
            let k = match kind {
                Kind::Recovery => 0.78,
                Kind::Easy => 0.88,
                Kind::Tempo => 1.0,
                Kind::Intervals => 0.95,
                Kind::Long => 0.92,
                Kind::Camp => 0.84,
                _ => 0.85,
            };
            Some(base * k * uniform(rng, 0.95, 1.05))
        }
        Sport::Swim => {
            let base = 2.4 + 1.0 * a.fitness;
            let k = match kind {
                Kind::Intervals | Kind::Recovery => 0.85,
                Kind::Long => 0.97,
                Kind::Tempo => 0.95,
                _ => 0.9,
            };
            Some(base * k)
        }
        Sport::Walk => Some(4.4 + 1.0 * a.fitness),
        _ => None,
    }
}

/// The session's metabolic equivalent, for its energy.
fn met_of(sport: Sport, speed: Option<f64>, f: f64) -> f64 {
    match sport {
        Sport::Run => speed.unwrap_or(10.0),
        Sport::Ride => 4.0 + 8.0 * f,
        Sport::Swim => 5.0 + 6.0 * f,
        Sport::Soccer => 5.0 + 6.0 * f,
        Sport::Strength => 3.0 + 3.0 * f,
        Sport::Yoga => 1.8 + 2.0 * f,
        Sport::Walk => 2.5 + 2.0 * f,
    }
}
