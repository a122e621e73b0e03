//! Reasons and advice: from the finished, scored daily table, each day's `top_factors` (up to
//! three factors by points, each with the measured value behind it), `recommendation` (advice
//! tied to those factors) and `missing_inputs` (what the unknown factors lacked). Text only:
//! it computes no score.

use std::collections::VecDeque;

use polars::prelude::*;
use rayon::prelude::*;

use crate::schema as s;
use crate::scoring::{FactorId, Model};

/// How many factors `top_factors` names.
const TOP: usize = 3;
/// Days at `high` or above within the last 7 that count as recurring risk.
const RECURRING_HIGH_DAYS: usize = 3;

/// The columns the texts read, taken out of the frame once. Numbers by name; each factor's
/// sub-score and points by the factor's position in `FactorId::ALL`, so the row loop neither
/// formats column names nor hashes them; text cells borrowed from the frame, not copied.
struct Table {
    nums: PlHashMap<String, Vec<Option<f64>>>,
    scores: Vec<Vec<Option<f64>>>,
    points: Vec<Vec<Option<f64>>>,
    texts: PlHashMap<String, StringChunked>,
}

fn floats(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<f64>>> {
    let c = df.column(name)?.cast(&DataType::Float64)?;
    Ok(c.f64()?.iter().collect())
}

fn finite(x: Option<f64>) -> Option<f64> {
    x.filter(|x| x.is_finite())
}

impl Table {
    fn new(df: &DataFrame, nums: &[&str], texts: &[&str]) -> PolarsResult<Table> {
        let mut t = Table {
            nums: PlHashMap::default(),
            scores: Vec::new(),
            points: Vec::new(),
            texts: PlHashMap::default(),
        };
        for n in nums {
            t.nums.insert(n.to_string(), floats(df, n)?);
        }
        for id in FactorId::ALL {
            t.scores.push(floats(df, &id.score_col())?);
            t.points.push(floats(df, &id.pts_col())?);
        }
        for n in texts {
            let c = df.column(n)?.cast(&DataType::String)?;
            t.texts
                .insert(n.to_string(), c.str()?.rechunk().into_owned());
        }
        Ok(t)
    }

    fn num(&self, name: &str, i: usize) -> Option<f64> {
        finite(self.nums.get(name).and_then(|v| v[i]))
    }

    fn factor_index(id: FactorId) -> usize {
        FactorId::ALL.iter().position(|&f| f == id).unwrap_or(0)
    }

    /// A factor's sub-score on row `i` (`None` = unknown).
    fn score(&self, id: FactorId, i: usize) -> Option<f64> {
        finite(self.scores[Self::factor_index(id)][i])
    }

    /// A factor's points on row `i`.
    fn points(&self, id: FactorId, i: usize) -> Option<f64> {
        finite(self.points[Self::factor_index(id)][i])
    }

    fn text(&self, name: &str, i: usize) -> Option<&str> {
        self.texts.get(name).and_then(|v| v.get(i))
    }
}

const NUMERIC_INPUTS: [&str; 29] = [
    "usual_day_load",
    s::ACWR,
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
    "plain_water_ml",
    s::SWEAT_LOSS_ML,
    s::HEAT_INDEX_C,
    s::DURATION_MIN,
    "hot_days_before",
    "peak_ctl",
    "sessions_per_week",
    "hardest_warmup_min",
    s::SEDENTARY_MIN,
    "outdoor_apparent_c",
    "age",
    s::BODY_MASS_KG,
    "history_days",
];

/// The numeric columns the texts are written from (besides every factor's sub-score and
/// points, which `Table` always takes).
fn numeric_columns() -> Vec<&'static str> {
    NUMERIC_INPUTS.to_vec()
}

fn round_to(x: f64, step: f64) -> f64 {
    (x / step).round() * step
}

/// The measured value behind a factor, as a person would say it.
fn describe(id: FactorId, t: &Table, i: usize, m: &Model) -> String {
    let n = |c: &str| t.num(c, i);
    match id {
        FactorId::Exertion => {
            let mut parts = Vec::new();
            if let Some(a) = n(s::ACWR) {
                parts.push(format!("ACWR {a:.2}"));
            }
            if let (Some(l), Some(u)) = (n(s::LOAD), n("usual_day_load")) {
                if u > 0.0 && l > 0.0 {
                    parts.push(format!(
                        "today's load {l:.0} = {:.1}× a usual training day",
                        l / u
                    ));
                }
            }
            parts.join(", ")
        }
        FactorId::Fatigue => {
            let mut parts = Vec::new();
            if let Some(tsb) = n(s::TSB) {
                parts.push(format!("TSB {tsb:.0}"));
            }
            if let Some(k) = n("streak_days").filter(|k| *k >= 2.0) {
                parts.push(format!("{k:.0} training days in a row"));
            }
            if let Some(l) = n("longest_session_min").filter(|l| *l > 0.0) {
                parts.push(format!("longest session {l:.0} min"));
            }
            parts.join(", ")
        }
        FactorId::Dehydration => match (n("mass_loss_pct"), n(s::FLUID_BALANCE_ML)) {
            (Some(p), _) => format!("body mass −{p:.1} % over a session (weighed)"),
            (None, Some(b)) => format!(
                "fluid deficit {:.0} ml = {:.1} % of body mass",
                (-b).max(0.0),
                n("deficit_pct").unwrap_or(0.0)
            ),
            _ => String::new(),
        },
        FactorId::Electrolytes => {
            // Where the day's sodium came from, and which log is missing from it.
            let drinks_logged = n(s::FLUID_INTAKE_ML).is_some();
            let food_logged = n("food_meals").is_some();
            let taken = |d: f64| match (drinks_logged, food_logged) {
                (true, true) => format!(
                    "{d:.0} mg taken in ({:.0} in drinks, {:.0} in food)",
                    n("drink_sodium_mg").unwrap_or(f64::NAN),
                    n(s::FOOD_SODIUM_MG).unwrap_or(f64::NAN)
                ),
                (false, true) => format!("{d:.0} mg in food (no fluid log)"),
                _ => format!("{d:.0} mg in drinks (no food log: food sodium unknown)"),
            };
            let mut text = match (n(s::SODIUM_LOSS_MG), n(s::SODIUM_INTAKE_MG)) {
                (Some(l), Some(d)) => format!("sweat sodium {l:.0} mg vs {}", taken(d)),
                (Some(l), None) => format!("sweat sodium {l:.0} mg"),
                _ => String::new(),
            };
            if let (Some(w), Some(f), Some(sw)) = (
                n("plain_water_ml"),
                n(s::FLUID_INTAKE_ML),
                n(s::SWEAT_LOSS_ML),
            ) {
                if f > 0.0 && w / f >= 0.5 && sw >= m.electrolytes.plain_water_sweat_ml[0] {
                    text.push_str(&format!(
                        "; {:.1} L of sweat replaced mostly with plain water",
                        sw / 1000.0
                    ));
                }
            }
            text
        }
        FactorId::Heat => {
            let mut text = format!(
                "heat index {:.1} °C over {:.0} min",
                n(s::HEAT_INDEX_C).unwrap_or(f64::NAN),
                n(s::DURATION_MIN).unwrap_or(0.0)
            );
            if let Some(h) = n("hot_days_before").filter(|h| *h > 0.0) {
                text.push_str(&format!(
                    " (acclimatising: {h:.0} hot training days in the previous {})",
                    m.heat.acclimatisation_window_days
                ));
            }
            text
        }
        FactorId::Conditioning => format!(
            "CTL {:.0} vs a {}-day peak of {:.0}; {:.1} sessions a week",
            n(s::CTL).unwrap_or(0.0),
            m.conditioning.peak_window_days,
            n("peak_ctl").unwrap_or(0.0),
            n("sessions_per_week").unwrap_or(0.0)
        ),
        FactorId::NewActivity if t.score(id, i).unwrap_or(0.0) > 0.0 => format!(
            "{}: not done in the previous {} days",
            t.text("least_recent_sport", i).unwrap_or("a sport"),
            m.new_activity.unseen_days
        ),
        FactorId::NewActivity => format!(
            "every sport done within the previous {} days",
            m.new_activity.unseen_days
        ),
        FactorId::Warmup => match (t.score(id, i), n("hardest_warmup_min")) {
            (Some(sc), _) if sc <= 0.0 => "no hard session without warm-up".to_string(),
            (_, Some(w)) if w < m.warmup.min_warmup_min => {
                format!("warm-up {w:.0} min before a hard session")
            }
            _ => format!(
                "hard session with no stretching, yoga or mobility in the previous {} days",
                m.warmup.stretch_window_days
            ),
        },
        FactorId::StaticPosture => format!(
            "{:.1} h sedentary",
            n(s::SEDENTARY_MIN).unwrap_or(0.0) / 60.0
        ),
        FactorId::Cold => format!(
            "apparent temperature {:.1} °C outdoors",
            n("outdoor_apparent_c").unwrap_or(f64::NAN)
        ),
        FactorId::Predisposition => {
            let mut text = t.text("predisposition_detail", i).unwrap_or("").to_string();
            if let Some(a) = n("age").filter(|a| *a > 40.0) {
                text.push_str(&format!(", age {a:.0}"));
            }
            text
        }
    }
}

/// Advice for a factor on a day.
fn advise(id: FactorId, t: &Table, i: usize) -> String {
    let n = |c: &str| t.num(c, i);
    match id {
        FactorId::Exertion => match n(s::CTL) {
            Some(c) if c > 0.0 => format!(
                "Make the next session lighter: keep tomorrow's load under about {:.0} (1.3 × chronic load).",
                c * 1.3
            ),
            _ => "Make the next session lighter and build load gradually.".to_string(),
        },
        FactorId::Fatigue => {
            "Plan a recovery or rest day; avoid another long session until fatigue (TSB) recovers."
                .to_string()
        }
        FactorId::Dehydration => match (n("mass_loss_pct"), n(s::BODY_MASS_KG), n(s::FLUID_BALANCE_ML)) {
            (Some(p), Some(kg), _) => format!(
                "Replace about {:.0} ml after sessions like this (1.5 L per kg of body mass lost), and drink more during them.",
                round_to(p / 100.0 * kg * 1500.0, 50.0)
            ),
            (_, _, Some(b)) if b < 0.0 => format!(
                "Drink about {:.0} ml more today, spread over the day and during training.",
                round_to(-b, 50.0)
            ),
            _ => "Drink to replace what you sweat, before, during and after training.".to_string(),
        },
        FactorId::Electrolytes => match (n(s::SODIUM_LOSS_MG), n(s::SODIUM_INTAKE_MG)) {
            (Some(l), Some(d)) if l > d => format!(
                "Take about {:.0} mg of sodium with your fluids (salty food or an electrolyte drink), not plain water alone.",
                round_to(l - d, 100.0)
            ),
            _ => "Replace sweat sodium with salty food or an electrolyte drink, not plain water alone."
                .to_string(),
        },
        FactorId::Heat => "Train earlier or later in the day, shorten or ease sessions in the heat, and drink during them."
            .to_string(),
        FactorId::Conditioning => {
            "Build fitness gradually: at least 3 sessions a week, raising load in small steps."
                .to_string()
        }
        FactorId::NewActivity => format!(
            "Ease into {}: shorter, easier first sessions.",
            t.text("least_recent_sport", i).unwrap_or("the new activity")
        ),
        FactorId::Warmup => "Warm up for at least 10 minutes before hard sessions, and stretch the working muscles regularly."
            .to_string(),
        FactorId::StaticPosture => "Break up long sitting: stand up and move every 30 minutes.".to_string(),
        FactorId::Cold => "Dress warmly, keep the legs covered, and warm up indoors before training in the cold."
            .to_string(),
        FactorId::Predisposition => {
            let detail = t.text("predisposition_detail", i).unwrap_or("");
            let mut text = "Given your history, stretch the cramping muscle gently and ease off if a cramp starts.".to_string();
            if detail.contains("diuretic") || detail.contains("statin") || detail.contains("agonist") {
                text.push_str(" Ask your doctor whether a medicine may add to cramping.");
            }
            text
        }
    }
}

/// What an unknown factor lacked.
fn missing(id: FactorId, t: &Table, i: usize, m: &Model) -> Vec<String> {
    let n = |c: &str| t.num(c, i);
    match id {
        FactorId::Exertion => vec![format!(
            "{} days of training history",
            m.exertion.history_days
        )],
        FactorId::Conditioning => vec![format!(
            "{} days of training history",
            m.conditioning.history_days
        )],
        FactorId::NewActivity => vec![format!(
            "{} days of training history",
            m.new_activity.unseen_days.max(m.new_activity.history_days)
        )],
        FactorId::Dehydration => {
            let mut v = Vec::new();
            if n(s::FLUID_INTAKE_ML).is_none() {
                v.push("fluid log".to_string());
            }
            if n(s::BODY_MASS_KG).is_none() {
                v.push("body_mass_kg".to_string());
            }
            v
        }
        FactorId::Electrolytes => {
            let drinks_logged = n(s::FLUID_INTAKE_ML).is_some();
            let food_logged = n("food_meals").is_some();
            let mut v = Vec::new();
            if !drinks_logged && !food_logged {
                v.push("fluid log or food log".to_string());
            }
            if drinks_logged && n("drink_sodium_mg").is_none() {
                v.push("sodium of the drinks".to_string());
            }
            if food_logged && n(s::FOOD_SODIUM_MG).is_none() {
                v.push("sodium of every meal in the food log".to_string());
            }
            v
        }
        FactorId::Heat => vec!["weather at the training hours".to_string()],
        FactorId::Cold => vec!["hourly weather at outdoor sessions".to_string()],
        FactorId::StaticPosture => vec!["daily summaries (sedentary_min)".to_string()],
        FactorId::Predisposition => vec!["cramp_history in athletes.toml".to_string()],
        FactorId::Fatigue | FactorId::Warmup => Vec::new(),
    }
}

/// Rows explained together (`add_explanations` splits only between athletes).
const ROWS_PER_BLOCK: usize = 8_192;

/// The three explanation texts of a run of rows.
struct Explained {
    top: Vec<String>,
    advice: Vec<String>,
    missing_inputs: Vec<String>,
}

/// Explains `rows`, which start at an athlete's first row or continue the same athlete.
fn explain_rows(t: &Table, rows: std::ops::Range<usize>, m: &Model) -> Explained {
    let mut out = Explained {
        top: Vec::with_capacity(rows.len()),
        advice: Vec::with_capacity(rows.len()),
        missing_inputs: Vec::with_capacity(rows.len()),
    };
    let (top, advice, missing_inputs) = (&mut out.top, &mut out.advice, &mut out.missing_inputs);
    let mut recent: VecDeque<bool> = VecDeque::new();
    let mut athlete: Option<&str> = None;
    for i in rows {
        let name = t.text(s::ATHLETE, i);
        if name != athlete {
            recent.clear();
            athlete = name;
        }
        let band = t.text(s::RISK_BAND, i).unwrap_or("");
        let high = matches!(band, "high" | "very_high");
        recent.push_back(high);
        if recent.len() > 7 {
            recent.pop_front();
        }
        let mut ranked: Vec<(FactorId, f64)> = FactorId::ALL
            .iter()
            .filter_map(|&id| t.points(id, i).filter(|p| *p > 0.0).map(|p| (id, p)))
            .collect();
        // Highest points first; ties keep the model's factor order.
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
        ranked.truncate(TOP);
        top.push(
            ranked
                .iter()
                .map(|&(id, p)| format!("{}: {} ({p:.1} pts)", id.name(), describe(id, t, i, m)))
                .collect::<Vec<_>>()
                .join("; "),
        );
        let mut tips: Vec<String> = ranked.iter().map(|&(id, _)| advise(id, t, i)).collect();
        let recurring = recent.iter().filter(|h| **h).count() >= RECURRING_HIGH_DAYS;
        if band == "very_high" || recurring {
            tips.push(
                "Very high or recurring risk: talk to a sports physician or physiotherapist, especially if cramps are frequent or severe."
                    .to_string(),
            );
        }
        advice.push(tips.join(" "));
        let mut lacks: Vec<String> = Vec::new();
        for id in FactorId::ALL {
            if t.score(id, i).is_none() {
                for what in missing(id, t, i, m) {
                    let entry = format!("{}: {what}", id.name());
                    if !lacks.contains(&entry) {
                        lacks.push(entry);
                    }
                }
            }
        }
        missing_inputs.push(lacks.join("; "));
    }
    out
}

/// Adds `top_factors`, `recommendation` and `missing_inputs` to the scored daily table
/// (sorted by athlete then date).
pub fn add_explanations(df: &mut DataFrame, m: &Model) -> PolarsResult<()> {
    let nums = numeric_columns();
    let t = Table::new(
        df,
        &nums,
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
    let mut top = Vec::with_capacity(height);
    let mut advice = Vec::with_capacity(height);
    let mut missing_inputs = Vec::with_capacity(height);
    for part in parts {
        top.extend(part.top);
        advice.extend(part.advice);
        missing_inputs.extend(part.missing_inputs);
    }
    df.with_column(Column::new("top_factors".into(), top))?;
    df.with_column(Column::new("recommendation".into(), advice))?;
    df.with_column(Column::new("missing_inputs".into(), missing_inputs))?;
    Ok(())
}

/// One day's full breakdown as text: every factor with its measured inputs, sub-score, weight
/// and points, then what was unknown, the top factors and the advice. `row` indexes `df`,
/// which must already carry the explanation columns.
pub fn breakdown(df: &DataFrame, row: usize, m: &Model) -> PolarsResult<String> {
    let mut nums = numeric_columns();
    nums.push(s::RISK_SCORE);
    nums.push("confidence");
    let t = Table::new(
        &df.slice(row as i64, 1),
        &nums,
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
    let mut out = format!(
        "{} on {}: risk {:.1} of 100 ({}), confidence {:.2}\n\n",
        t.text(s::ATHLETE, 0).unwrap_or(""),
        t.text(s::DATE, 0).unwrap_or(""),
        t.num(s::RISK_SCORE, 0).unwrap_or(f64::NAN),
        t.text(s::RISK_BAND, 0).unwrap_or(""),
        t.num("confidence", 0).unwrap_or(f64::NAN),
    );
    out.push_str(&format!(
        "{:<15} {:>9} {:>6} {:>6}  {}\n",
        "factor", "sub-score", "weight", "points", "inputs"
    ));
    for id in FactorId::ALL {
        let score = t.score(id, 0);
        let (score_text, pts_text, inputs) = match score {
            Some(sc) => (
                format!("{sc:.3}"),
                format!("{:.1}", t.points(id, 0).unwrap_or(0.0)),
                describe(id, &t, 0, m),
            ),
            None => (
                "unknown".to_string(),
                "–".to_string(),
                format!("needs {}", missing(id, &t, 0, m).join(", ")),
            ),
        };
        out.push_str(&format!(
            "{:<15} {:>9} {:>6.0} {:>6}  {}\n",
            id.name(),
            score_text,
            m.weight(id),
            pts_text,
            inputs
        ));
    }
    for (label, col) in [
        ("Top factors", "top_factors"),
        ("Advice", "recommendation"),
        ("Unknown", "missing_inputs"),
    ] {
        let text = t.text(col, 0).unwrap_or("");
        if !text.is_empty() {
            out.push_str(&format!("\n{label}: {text}\n"));
        }
    }
    out.push_str(
        "\nAn evidence-informed heuristic (docs/model.md), not a diagnosis or medical advice.\n",
    );
    Ok(out)
}
