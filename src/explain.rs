//! Reasons and advice: from the finished, scored daily table, each day's `top_factors` (up to
//! three day-to-day factors by their effect on the odds, each with its odds multiplier and the
//! measured value behind it), `recommendation` (advice on what can be acted on that day) and
//! `missing_inputs` (what the unknown exposures lacked). Text only: it computes no estimate.

use std::borrow::Cow;
use std::collections::VecDeque;

use polars::prelude::*;
use rayon::prelude::*;

use crate::columns::{Floats, SharedTexts};
use crate::decimals::Fixed;
use crate::model::{Band, FactorId, Model, TermId};
use crate::schema as s;

/// How many factors `top_factors` names.
const TOP: usize = 3;
/// A factor is named among a day's reasons when it raises the odds by at least this much.
const NOTABLE_OR: f64 = 1.05;
/// Days at `high` or above within the last 7 that count as recurring risk.
const RECURRING_HIGH_DAYS: usize = 3;

/// The columns the texts read, taken out of the frame once. Numbers by position: the inputs
/// of `NUMERIC_INPUTS` first (read in the row loop through `num!`, whose place is found when
/// the program is compiled), then any a caller adds (read by name); each factor's effect and
/// each term's exposure by their place in `FactorId::ALL` / `TermId::ALL`. So the row loop
/// neither formats column names nor hashes them; text cells borrowed from the frame, not
/// copied.
struct Table {
    nums: Vec<(&'static str, Floats)>,
    effects: Vec<Floats>,
    xs: Vec<Floats>,
    texts: PlHashMap<String, StringChunked>,
}

/// A numeric column of the table, read by row index (`columns::Floats`: shared with the
/// frame, not copied into a `Vec`; a pass reads about a hundred such columns). A column in
/// several chunks is made one first (one in a single chunk is not copied): the loop reads
/// every row of each column, and a read in a chunked column first searches for its chunk.
fn floats(df: &DataFrame, name: &str) -> PolarsResult<Floats> {
    Floats::of(&df.column(name)?.rechunk())
}

fn finite(x: Option<f64>) -> Option<f64> {
    x.filter(|x| x.is_finite())
}

/// The place of `name` in `NUMERIC_INPUTS`; a name not there fails the build when used in a
/// constant (`num!`).
const fn num_index(name: &str) -> usize {
    let mut k = 0;
    while k < NUMERIC_INPUTS.len() {
        let (a, b) = (NUMERIC_INPUTS[k].as_bytes(), name.as_bytes());
        if a.len() == b.len() {
            let mut j = 0;
            while j < a.len() && a[j] == b[j] {
                j += 1;
            }
            if j == a.len() {
                return k;
            }
        }
        k += 1;
    }
    panic!("not a column of NUMERIC_INPUTS")
}

/// The number in column `name` (one of `NUMERIC_INPUTS`) on row `i` of table `t`, found by
/// its place, fixed when the program is compiled.
macro_rules! num {
    ($t:expr, $name:expr, $i:expr) => {
        $t.num_at(
            {
                const K: usize = num_index($name);
                K
            },
            $i,
        )
    };
}

impl Table {
    /// The table of `NUMERIC_INPUTS`, the `more` numeric columns and the `texts` of `df`.
    fn new(df: &DataFrame, more: &[&'static str], texts: &[&str]) -> PolarsResult<Table> {
        let mut t = Table {
            nums: Vec::new(),
            effects: Vec::new(),
            xs: Vec::new(),
            texts: PlHashMap::default(),
        };
        for n in NUMERIC_INPUTS.iter().chain(more) {
            t.nums.push((n, floats(df, n)?));
        }
        for id in FactorId::ALL {
            t.effects.push(floats(df, &id.effect_col())?);
        }
        for id in TermId::ALL {
            t.xs.push(floats(df, &id.x_col())?);
        }
        for n in texts {
            let c = df.column(n)?.cast(&DataType::String)?;
            t.texts
                .insert(n.to_string(), c.str()?.rechunk().into_owned());
        }
        Ok(t)
    }

    /// The number of the `k`th numeric column on row `i` (`num!`).
    fn num_at(&self, k: usize, i: usize) -> Option<f64> {
        finite(self.nums.get(k).and_then(|(_, v)| v.get(i)))
    }

    /// A numeric column's number on row `i`, the column found by name (outside the row loop).
    fn num(&self, name: &str, i: usize) -> Option<f64> {
        let k = self.nums.iter().position(|(n, _)| *n == name)?;
        self.num_at(k, i)
    }

    /// Reads `rows` of every numeric column a column at a time (`columns::warm_values`): the
    /// row loop reads some forty of them row by row.
    fn warm(&self, rows: std::ops::Range<usize>) -> u64 {
        let nums = self.nums.iter().map(|(_, v)| v);
        nums.chain(&self.effects)
            .chain(&self.xs)
            .fold(0, |acc, v| acc ^ v.warm(rows.clone()))
    }

    /// The log-odds a factor added on row `i`, imputed exposures included.
    fn effect(&self, id: FactorId, i: usize) -> f64 {
        finite(self.effects[id.index()].get(i)).unwrap_or(0.0)
    }

    /// A term's exposure on row `i` (`None` = unknown).
    fn x(&self, id: TermId, i: usize) -> Option<f64> {
        finite(self.xs[id.index()].get(i))
    }

    fn text(&self, name: &str, i: usize) -> Option<&str> {
        self.texts.get(name).and_then(|v| v.get(i))
    }

    /// A text column, for a loop over its rows.
    fn text_column(&self, name: &str) -> Option<&StringChunked> {
        self.texts.get(name)
    }
}

/// The numeric columns the texts are written from (besides every factor's effect and every
/// term's exposure, which `Table` always takes), in the order `num!` finds them.
const NUMERIC_INPUTS: [&str; 31] = [
    "usual_intensity",
    "hardest_known_intensity",
    s::LOAD,
    s::CTL,
    s::TSB,
    "streak_days",
    "longest_session_min",
    "deficit_pct",
    "mass_loss_pct",
    s::FLUID_BALANCE_ML,
    s::FLUID_INTAKE_ML,
    s::SODIUM_LOSS_MG,
    s::SODIUM_INTAKE_MG,
    "drink_sodium_mg",
    s::FOOD_SODIUM_MG,
    "food_meals",
    s::SWEAT_LOSS_ML,
    "outdoor_wbgt",
    "outdoor_min",
    "outdoor_sessions",
    "exercise_sessions",
    "hot_days_before",
    "sessions_per_week",
    "hardest_warmup_min",
    "hardest_intensity",
    s::SEDENTARY_MIN,
    "outdoor_apparent_c",
    "age",
    s::BODY_MASS_KG,
    "history_days",
    "own_unreplaced_share",
];

fn round_to(x: f64, step: f64) -> f64 {
    (x / step).round() * step
}

/// The electrolytes factor's measured values: sweat sodium against the day's intake, and
/// where the intake came from (which log is missing from it), written onto `out`.
fn describe_sodium(t: &Table, i: usize, out: &mut String) {
    use std::fmt::Write as _;
    macro_rules! n {
        ($c:expr) => {
            num!(t, $c, i)
        };
    }
    let drinks_logged = n!(s::FLUID_INTAKE_ML).is_some();
    let food_logged = n!("food_meals").is_some();
    // Writing into a String cannot fail.
    let _ = match (n!(s::SODIUM_LOSS_MG), n!(s::SODIUM_INTAKE_MG)) {
        (Some(l), Some(d)) => match (drinks_logged, food_logged) {
            (true, true) => write!(
                out,
                "sweat sodium {} mg vs {} mg taken in ({} in drinks, {} in food)",
                Fixed(l, 0),
                Fixed(d, 0),
                Fixed(n!("drink_sodium_mg").unwrap_or(f64::NAN), 0),
                Fixed(n!(s::FOOD_SODIUM_MG).unwrap_or(f64::NAN), 0)
            ),
            (false, true) => write!(
                out,
                "sweat sodium {} mg vs {} mg in food (no fluid log)",
                Fixed(l, 0),
                Fixed(d, 0)
            ),
            _ => write!(
                out,
                "sweat sodium {} mg vs {} mg in drinks (no food log: food sodium unknown)",
                Fixed(l, 0),
                Fixed(d, 0)
            ),
        },
        (Some(l), None) if l > 0.0 => write!(out, "sweat sodium {} mg", Fixed(l, 0)),
        _ => Ok(()),
    };
}

/// Starts the next of a list of parts written onto `out` since `start`: ", " before all but
/// the first.
fn next_part(out: &mut String, start: usize) {
    if out.len() > start {
        out.push_str(", ");
    }
}

/// The measured value behind a factor, as a person would say it, written onto `out` (nothing
/// when there is nothing to say).
fn describe(id: FactorId, t: &Table, i: usize, m: &Model, out: &mut String) {
    use std::fmt::Write as _;
    macro_rules! n {
        ($c:expr) => {
            num!(t, $c, i)
        };
    }
    let p = &m.params;
    let start = out.len();
    // Writing into a String cannot fail.
    let _ = match id {
        FactorId::Exertion => match (n!("hardest_known_intensity"), n!("usual_intensity")) {
            (Some(h), Some(u)) => write!(
                out,
                "intensity {} % of heart-rate reserve vs a usual {} %",
                Fixed(h * 100.0, 0),
                Fixed(u * 100.0, 0)
            ),
            _ => Ok(()),
        },
        FactorId::Fatigue => {
            if let Some(l) = n!("longest_session_min").filter(|l| *l > 0.0) {
                let _ = write!(out, "longest session {} min", Fixed(l, 0));
            }
            if let Some(tsb) = n!(s::TSB).filter(|v| *v < p.form_tsb_start) {
                next_part(out, start);
                let _ = write!(out, "TSB {} going into the day", Fixed(tsb, 0));
            }
            if let Some(k) = n!("streak_days").filter(|k| *k > p.streak_start_days) {
                next_part(out, start);
                let _ = write!(out, "{} training days in a row", Fixed(k, 0));
            }
            Ok(())
        }
        FactorId::Dehydration => match (n!("mass_loss_pct"), n!(s::FLUID_BALANCE_ML)) {
            (Some(pc), _) => write!(
                out,
                "body mass −{} % over a session (weighed)",
                Fixed(pc, 1)
            ),
            (None, Some(b)) => match n!("deficit_pct") {
                Some(d) => write!(
                    out,
                    "fluid deficit {} ml = {} % of body mass",
                    Fixed((-b).max(0.0), 0),
                    Fixed(d, 1)
                ),
                None => write!(out, "fluid deficit {} ml", Fixed((-b).max(0.0), 0)),
            },
            _ => match n!(s::SWEAT_LOSS_ML) {
                Some(sw) if sw > 0.0 => write!(
                    out,
                    "sweat loss {} L, drinking not logged",
                    Fixed(sw / 1000.0, 1)
                ),
                _ => Ok(()),
            },
        },
        FactorId::Electrolytes => {
            describe_sodium(t, i, out);
            Ok(())
        }
        FactorId::Heat => match n!("outdoor_wbgt") {
            Some(w) => {
                let _ = write!(
                    out,
                    "WBGT {} °C over {} min outdoors",
                    Fixed(w, 1),
                    Fixed(n!("outdoor_min").unwrap_or(0.0), 0)
                );
                match n!("hot_days_before").filter(|h| *h > 0.0) {
                    Some(h) => write!(
                        out,
                        " (acclimatising: {} hot training days in the previous {})",
                        Fixed(h, 0),
                        p.acclimatisation_window_days
                    ),
                    None => Ok(()),
                }
            }
            None if n!("outdoor_sessions").unwrap_or(0.0) > 0.0 => {
                out.push_str("no weather for the outdoor session");
                Ok(())
            }
            None => {
                out.push_str("indoors");
                Ok(())
            }
        },
        FactorId::Conditioning => match (n!("sessions_per_week"), t.x(TermId::Infrequent, i)) {
            (Some(k), Some(_)) => {
                write!(out, "{} sessions a week over the last 28 days", Fixed(k, 1))
            }
            _ => Ok(()),
        },
        FactorId::NewActivity if t.x(TermId::NewSport, i).unwrap_or(0.0) > 0.0 => write!(
            out,
            "{}: not done in the previous {} days",
            t.text("least_recent_sport", i).unwrap_or("a sport"),
            p.unseen_days
        ),
        FactorId::NewActivity => Ok(()),
        FactorId::Warmup => {
            if t.x(TermId::ShortWarmup, i).unwrap_or(0.0) > 0.0 {
                let _ = write!(
                    out,
                    "warm-up {} min before a hard session",
                    Fixed(n!("hardest_warmup_min").unwrap_or(0.0), 0)
                );
            }
            if t.x(TermId::NoStretching, i).unwrap_or(0.0) > 0.0 {
                next_part(out, start);
                let _ = write!(
                    out,
                    "no stretching, yoga or mobility in the previous {} days",
                    p.stretch_window_days
                );
            }
            Ok(())
        }
        FactorId::StaticPosture => match n!(s::SEDENTARY_MIN) {
            Some(v) => write!(out, "{} h sedentary", Fixed(v / 60.0, 1)),
            None => Ok(()),
        },
        FactorId::Cold => match n!("outdoor_apparent_c") {
            Some(a) => write!(out, "apparent temperature {} °C outdoors", Fixed(a, 1)),
            None => Ok(()),
        },
        FactorId::Predisposition => {
            out.push_str(t.text("predisposition_detail", i).unwrap_or(""));
            match n!("age").filter(|a| *a > f64::from(p.age_over)) {
                Some(a) => {
                    next_part(out, start);
                    write!(out, "age {}", Fixed(a, 0))
                }
                None => Ok(()),
            }
        }
        FactorId::Sex => {
            match t.x(TermId::Male, i) {
                Some(x) if x > 0.0 => out.push_str("male"),
                Some(_) if n!("exercise_sessions").unwrap_or(0.0) > 0.0 => out.push_str("female"),
                _ => {}
            }
            Ok(())
        }
    };
}

/// Advice for a factor on a day: what the athlete can act on.
fn advise(id: FactorId, t: &Table, i: usize, m: &Model) -> Option<Cow<'static, str>> {
    macro_rules! n {
        ($c:expr) => {
            num!(t, $c, i)
        };
    }
    Some(match id {
        FactorId::Exertion => "Pace by your usual effort: going harder than usual was one of the two independent risk factors in the Ironman cohort.".into(),
        FactorId::Fatigue => {
            // Advice for the fatigue term that weighs most today.
            let effect = |term: TermId| t.x(term, i).unwrap_or(0.0) * m.term(term).coef();
            let (duration, form, streak) = (
                effect(TermId::Duration),
                effect(TermId::Form),
                effect(TermId::Streak),
            );
            if duration >= form && duration >= streak {
                "Long session: build duration gradually, fuel and drink during it, and ease off late on, when most cramps come.".into()
            } else if form >= streak {
                "Plan a recovery or rest day; avoid another long or hard session until fatigue (TSB) recovers.".into()
            } else {
                "Many training days in a row: take a rest or an easy day.".into()
            }
        }
        FactorId::Dehydration => match (n!("mass_loss_pct"), n!(s::BODY_MASS_KG), n!(s::FLUID_BALANCE_ML)) {
            (Some(p), Some(kg), _) => Cow::Owned(format!(
                "Replace about {} ml after sessions like this (1.5 L per kg of body mass lost), and drink more during them.",
                Fixed(round_to(p / 100.0 * kg * 1500.0, 50.0), 0)
            )),
            (_, _, Some(b)) if b < 0.0 => Cow::Owned(format!(
                "Drink about {} ml more today, spread over the day and during training.",
                Fixed(round_to(-b, 50.0), 0)
            )),
            _ => "Drink to replace what you sweat, before, during and after training (log your drinks to see the deficit).".into(),
        },
        FactorId::Electrolytes => match (n!(s::SODIUM_LOSS_MG), n!(s::SODIUM_INTAKE_MG)) {
            (Some(l), Some(d)) if l > d && n!("food_meals").is_some() => Cow::Owned(format!(
                "Take about {} mg of sodium with your fluids (salty food or an electrolyte drink), not plain water alone.",
                Fixed(round_to(l - d, 100.0), 0)
            )),
            _ => "Replace sweat sodium with salty food or an electrolyte drink, not plain water alone.".into(),
        },
        FactorId::Heat => "Train in the cooler hours, shorten or ease sessions in the heat, and drink during them.".into(),
        FactorId::Conditioning => "Build fitness gradually: at least 3 sessions a week, raising load in small steps.".into(),
        FactorId::NewActivity => Cow::Owned(format!(
            "Ease into {}: shorter, easier first sessions.",
            t.text("least_recent_sport", i).unwrap_or("the new activity")
        )),
        FactorId::Warmup => "Warm up for at least 10 minutes before hard sessions, and stretch the working muscles regularly.".into(),
        FactorId::StaticPosture => "Break up long sitting: stand up and move every 30 minutes.".into(),
        FactorId::Cold => "Dress warmly, keep the legs covered, and warm up indoors before training in the cold.".into(),
        FactorId::Predisposition | FactorId::Sex => return None,
    })
}

/// What an unknown term lacked.
fn missing<'a>(id: TermId, t: &Table, i: usize, texts: &'a LackTexts) -> &'a str {
    macro_rules! n {
        ($c:expr) => {
            num!(t, $c, i)
        };
    }
    match id {
        TermId::Intensity => {
            if n!("hardest_known_intensity").is_none() {
                "heart rate or RPE of the session"
            } else {
                &texts.intensity_history
            }
        }
        TermId::Deficit => {
            if n!(s::FLUID_INTAKE_ML).is_none() {
                "fluid log"
            } else {
                "body_mass_kg"
            }
        }
        TermId::NetSodium => "food log with sodium (and the drinks' sodium)",
        TermId::Wbgt => "weather at the training hours",
        TermId::Cold => "hourly weather at outdoor sessions",
        TermId::Infrequent => &texts.conditioning_history,
        TermId::NewSport => &texts.new_sport_history,
        TermId::ShortWarmup => "warmup_min of the hard session",
        TermId::Sedentary => "daily summaries (sedentary_min)",
        TermId::History => "cramp_history in athletes.toml",
        TermId::Medication => "medications in athletes.toml",
        TermId::NerveCirculation => "conditions in athletes.toml",
        TermId::Family => "family_history in athletes.toml",
        TermId::TightHamstrings => "tight_hamstrings in athletes.toml",
        TermId::Age => "birth_year in athletes.toml",
        TermId::Male => "sex in athletes.toml",
        TermId::Duration | TermId::Form | TermId::Streak | TermId::NoStretching => "its inputs",
    }
}

/// The unknown exposures of a factor on a row, as "what it lacked" texts.
fn factor_missing<'a>(
    f: FactorId,
    t: &'a Table,
    i: usize,
    texts: &'a LackTexts,
) -> impl Iterator<Item = &'a str> + 'a {
    f.terms()
        .filter(move |&term| t.x(term, i).is_none())
        .map(move |term| missing(term, t, i, texts))
}

/// Everything a row's `missing_inputs` cell is written from (`missing`): which terms are
/// unknown, and for the two terms whose text depends on it, which input they lacked. Two rows
/// with the same key have the same cell.
fn lack_key(t: &Table, i: usize) -> u64 {
    const _: () = assert!(TermId::ALL.len() <= 30);
    let mut key = 0u64;
    for (k, &term) in TermId::ALL.iter().enumerate() {
        if t.x(term, i).is_none() {
            key |= 1 << k;
        }
    }
    let unknown = |key: u64, term: TermId| key & (1 << term.index()) != 0;
    if unknown(key, TermId::Intensity) && num!(t, "hardest_known_intensity", i).is_none() {
        key |= 1 << 30;
    }
    if unknown(key, TermId::Deficit) && num!(t, s::FLUID_INTAKE_ML, i).is_none() {
        key |= 1 << 31;
    }
    key
}

/// The "what it lacked" texts that quote the model's parameters, written once for a run of
/// rows instead of once for every day that lacks them.
struct LackTexts {
    intensity_history: String,
    conditioning_history: String,
    new_sport_history: String,
}

impl LackTexts {
    fn of(m: &Model) -> LackTexts {
        let p = &m.params;
        LackTexts {
            intensity_history: format!(
                "{} training days with heart rate or RPE in the previous {}",
                p.usual_min_days, p.usual_window_days
            ),
            conditioning_history: format!(
                "{} days of training history",
                p.conditioning_history_days
            ),
            new_sport_history: format!("{} days of training history", p.unseen_days),
        }
    }
}

/// One factor's entry in `top_factors`: "fatigue ×2.10 (longest session 240 min)", written
/// onto the end of `out` (the day's cell: no String per entry).
fn write_factor_entry(
    out: &mut String,
    f: FactorId,
    t: &Table,
    i: usize,
    m: &Model,
    texts: &LackTexts,
) {
    let multiplier = t.effect(f, i).exp();
    let mut lacks = factor_missing(f, t, i, texts).peekable();
    out.push_str(f.name());
    out.push_str(" ×");
    // An odds multiplier is never negative: `push_fixed` prints it as `Fixed` would.
    crate::decimals::push_fixed(multiplier, 2, out);
    let open = out.len();
    out.push_str(" (");
    describe(f, t, i, m, out);
    let nothing_said = out.len() == open + 2;
    if nothing_said && lacks.peek().is_none() {
        out.truncate(open);
        return;
    }
    for (k, lacked) in lacks.enumerate() {
        out.push_str(match (k, nothing_said) {
            (0, true) => "imputed: no ",
            (0, false) => "; imputed: no ",
            _ => ", no ",
        });
        out.push_str(lacked);
    }
    out.push(')');
}

/// Rows explained together (`add_explanations` splits only between athletes).
const ROWS_PER_BLOCK: usize = 8_192;

/// The three explanation texts of a run of rows, as string columns of one chunk each.
struct Explained {
    top: StringChunked,
    advice: StringChunked,
    missing_inputs: StringChunked,
}

impl Explained {
    /// No rows (a table without rows still gets its three text columns).
    fn empty() -> Explained {
        let none = || StringChunked::full_null(PlSmallStr::EMPTY, 0);
        Explained {
            top: none(),
            advice: none(),
            missing_inputs: none(),
        }
    }

    /// The next rows' texts, after these.
    fn append(&mut self, next: Explained) -> PolarsResult<()> {
        self.top.append_owned(next.top)?;
        self.advice.append_owned(next.advice)?;
        self.missing_inputs.append_owned(next.missing_inputs)
    }
}

/// Adds a tip to a day's advice, one space after the one before (as `join(" ")` puts them).
fn push_tip(tips: &mut String, count: &mut usize, tip: &str) {
    if *count > 0 {
        tips.push(' ');
    }
    tips.push_str(tip);
    *count += 1;
}

/// Explains `rows`, which start at an athlete's first row or continue the same athlete.
fn explain_rows(t: &Table, rows: std::ops::Range<usize>, m: &Model) -> Explained {
    // Each cell is written into one reused buffer and copied into its column's builder: no
    // String per cell (three per athlete-day), no second copy into the frame.
    // The advice and the missing inputs repeat from day to day: their cells share the bytes
    // of the block's first copy (`SharedTexts`). The top factors quote each day's own values.
    let mut top = StringChunkedBuilder::new(PlSmallStr::EMPTY, rows.len());
    let (mut advice, mut missing_inputs) = (
        SharedTexts::with_capacity(rows.len()),
        SharedTexts::with_capacity(rows.len()),
    );
    let (mut entries, mut tips, mut lacks) = (String::new(), String::new(), String::new());
    let mut ranked: Vec<(FactorId, f64)> = Vec::with_capacity(FactorId::ALL.len());
    let mut recent: VecDeque<bool> = VecDeque::new();
    let mut athlete: Option<&str> = None;
    let mut listed: Vec<(FactorId, &str)> = Vec::new();
    let texts = LackTexts::of(m);
    let (names, bands) = (t.text_column(s::ATHLETE), t.text_column(s::RISK_BAND));
    for i in rows.clone() {
        // The tile's numbers brought into the cache a column at a time (`Table::warm`).
        if let Some(tile) = crate::columns::tile_at(i, rows.clone()) {
            std::hint::black_box(t.warm(tile));
        }
        let name = names.and_then(|c| c.get(i));
        if name != athlete {
            recent.clear();
            athlete = name;
        }
        let band = bands.and_then(|c| c.get(i)).and_then(Band::parse);
        let high = matches!(band, Some(Band::High | Band::VeryHigh));
        recent.push_back(high);
        if recent.len() > 7 {
            recent.pop_front();
        }
        // The day-to-day factors by their effect on the odds (imputed values included, and
        // said so); the profile factors are stated once per athlete instead.
        ranked.clear();
        ranked.extend(
            FactorId::ALL
                .iter()
                .filter(|f| !f.day_invariant())
                .map(|&f| (f, t.effect(f, i)))
                .filter(|(_, e)| *e >= NOTABLE_OR.ln()),
        );
        // Largest effect first; ties keep the model's factor order.
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
        ranked.truncate(TOP);
        entries.clear();
        for (k, &(f, _)) in ranked.iter().enumerate() {
            if k > 0 {
                entries.push_str("; ");
            }
            write_factor_entry(&mut entries, f, t, i, m, &texts);
        }
        top.append_value(&entries);
        tips.clear();
        let mut tip_count = 0;
        for &(f, _) in &ranked {
            if let Some(tip) = advise(f, t, i, m) {
                push_tip(&mut tips, &mut tip_count, &tip);
            }
        }
        if tip_count == 0 && high {
            push_tip(
                &mut tips,
                &mut tip_count,
                "Nothing in today's training stands out: the risk comes from your profile (see predisposition). Ease off if a cramp starts and stretch the muscle gently.",
            );
        }
        let recurring = recent.iter().filter(|h| **h).count() >= RECURRING_HIGH_DAYS;
        if band == Some(Band::VeryHigh) || recurring {
            push_tip(
                &mut tips,
                &mut tip_count,
                "Very high or recurring risk: talk to a sports physician or physiotherapist, especially if cramps are frequent or severe.",
            );
        }
        advice.push(&tips);
        // "factor: what it lacked" entries, each once, written straight into the cell (a
        // day of a squad without food logs lacks several: no String per entry). The cell
        // depends only on `lack_key`: a block has a few hundred distinct ones, each written
        // once.
        missing_inputs.push_keyed(lack_key(t, i), &mut lacks, |lacks| {
            listed.clear();
            for f in FactorId::ALL {
                for what in factor_missing(f, t, i, &texts) {
                    if listed.iter().any(|(g, w)| *g == f && *w == what) {
                        continue;
                    }
                    if !lacks.is_empty() {
                        lacks.push_str("; ");
                    }
                    lacks.push_str(f.name());
                    lacks.push_str(": ");
                    lacks.push_str(what);
                    listed.push((f, what));
                }
            }
        });
    }
    Explained {
        top: top.finish(),
        advice: advice.finish(),
        missing_inputs: missing_inputs.finish(),
    }
}

/// Adds `top_factors`, `recommendation` and `missing_inputs` to the scored daily table
/// (sorted by athlete then date).
pub fn add_explanations(df: &mut DataFrame, m: &Model) -> PolarsResult<()> {
    let t = Table::new(
        df,
        &[],
        &[
            s::ATHLETE,
            s::RISK_BAND,
            "least_recent_sport",
            "predisposition_detail",
        ],
    )?;
    let height = df.height();
    // Blocks of whole athletes (the recurring-risk window runs within an athlete), explained
    // on all cores and put back in row order.
    let mut blocks = Vec::new();
    let mut start = 0;
    for i in 1..=height {
        if i == height
            || (i - start >= ROWS_PER_BLOCK && t.text(s::ATHLETE, i) != t.text(s::ATHLETE, i - 1))
        {
            blocks.push(start..i);
            start = i;
        }
    }
    let parts: Vec<Explained> = blocks
        .into_par_iter()
        .map(|rows| explain_rows(&t, rows, m))
        .collect();
    // The blocks' columns become chunks of one column each, in row order (no copy).
    let mut parts = parts.into_iter();
    let mut whole = parts.next().unwrap_or_else(Explained::empty);
    for part in parts {
        whole.append(part)?;
    }
    df.with_column(whole.top.with_name("top_factors".into()).into_column())?;
    df.with_column(
        whole
            .advice
            .with_name("recommendation".into())
            .into_column(),
    )?;
    df.with_column(
        whole
            .missing_inputs
            .with_name("missing_inputs".into())
            .into_column(),
    )?;
    Ok(())
}

/// What widens the day's range: the unknown (imputed) inputs listed in `missing_inputs`, and
/// that logging them would narrow it; or that nothing was unknown.
fn range_note(t: &Table) -> String {
    let lacks: Vec<&str> = t
        .text("missing_inputs", 0)
        .unwrap_or("")
        .split("; ")
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .collect();
    if lacks.is_empty() {
        return "Nothing the model uses was unknown on this day: no input to add.\n".to_string();
    }
    format!(
        "The range {:.1}–{:.1} % is what the unknown inputs leave open (each imputed between its plausible low and high); to narrow it, add: {}.\n",
        t.num(s::RISK_LOW_PCT, 0).unwrap_or(f64::NAN),
        t.num(s::RISK_HIGH_PCT, 0).unwrap_or(f64::NAN),
        lacks.join("; "),
    )
}

/// One day's full breakdown as text: the intercept, then every factor's terms with exposure,
/// coefficient, odds multiplier and source, then what was unknown, the top factors and the
/// advice. `row` indexes `df`, which must already carry the explanation columns.
pub fn breakdown(df: &DataFrame, row: usize, m: &Model) -> PolarsResult<String> {
    let t = Table::new(
        &df.slice(row as i64, 1),
        &[s::RISK_PCT, s::RISK_LOW_PCT, s::RISK_HIGH_PCT, "confidence"],
        &[
            s::ATHLETE,
            s::DATE,
            s::RISK_BAND,
            "least_recent_sport",
            "predisposition_detail",
            "top_factors",
            "recommendation",
            "missing_inputs",
        ],
    )?;
    let exercise = t.num("exercise_sessions", 0).unwrap_or(0.0) > 0.0;
    // The athlete's own coefficients, where the model file has them (`[athletes.NAME]`).
    let own = m.for_athlete(t.text(s::ATHLETE, 0).unwrap_or(""));
    let m = &own;
    let (b_train, b_rest) = m.intercepts();
    let mut out = format!(
        "{} on {}: risk {:.1} % ({}), range {:.1}–{:.1} %, confidence {:.2}\n\n",
        t.text(s::ATHLETE, 0).unwrap_or(""),
        t.text(s::DATE, 0).unwrap_or(""),
        t.num(s::RISK_PCT, 0).unwrap_or(f64::NAN),
        t.text(s::RISK_BAND, 0).unwrap_or(""),
        t.num(s::RISK_LOW_PCT, 0).unwrap_or(f64::NAN),
        t.num(s::RISK_HIGH_PCT, 0).unwrap_or(f64::NAN),
        t.num("confidence", 0).unwrap_or(f64::NAN),
    );
    out.truncate(out.trim_end().len());
    out.push('\n');
    out.push_str(&range_note(&t));
    out.push('\n');
    out.push_str(&if exercise {
        format!(
            "Training day: intercept {:.1} % (b0 = {b_train:.3}), the reference athlete's risk on a usual 60-min session.\n",
            m.intercept.training_day_pct
        )
    } else {
        format!(
            "Rest day (no exercise session): intercept {:.1} % (b0 = {b_rest:.3}); exercise factors do not apply.\n",
            m.intercept.rest_day_pct
        )
    });
    out.push_str(
        "logit p = b0 + Σ b·x;  odds × = e^(b·x);  unknown exposures are imputed (*).\n\n",
    );
    out.push_str(&format!(
        "{:<15} {:<18} {:>9} {:>7} {:>8}  {}\n",
        "factor", "term", "exposure", "b", "odds ×", "measured / source"
    ));
    for f in FactorId::ALL {
        let mut what = String::new();
        describe(f, &t, 0, m, &mut what);
        for (k, term) in f.terms().enumerate() {
            let spec = m.term(term);
            let b = spec.coef();
            let (x_text, x_used) = match t.x(term, 0) {
                Some(x) => (format!("{x:.3}"), x),
                None => {
                    // The imputed value the estimate used: the prior; for the sweat-based
                    // terms (each its factor's only term) the factor's effect over b.
                    let x = if term.imputed_from_sweat() && b > 0.0 {
                        t.effect(f, 0) / b
                    } else {
                        spec.prior.unwrap_or(0.0)
                    };
                    (format!("{x:.3}*"), x)
                }
            };
            let note = if k == 0 && !what.is_empty() {
                format!("{what} — {}", spec.source)
            } else {
                spec.source.clone()
            };
            out.push_str(&format!(
                "{:<15} {:<18} {:>9} {:>7.3} {:>8.3}  {}\n",
                if k == 0 { f.name() } else { "" },
                term.name(),
                x_text,
                b,
                (b * x_used).exp(),
                note
            ));
        }
    }
    for (label, col) in [
        ("Top factors", "top_factors"),
        ("Advice", "recommendation"),
        ("Unknown (imputed)", "missing_inputs"),
    ] {
        let text = t.text(col, 0).unwrap_or("");
        if !text.is_empty() {
            out.push_str(&format!("\n{label}: {text}\n"));
        }
    }
    out.push_str(
        "\nAn evidence-informed estimate (docs/model.md), not a diagnosis or medical advice.\n",
    );
    Ok(out)
}
