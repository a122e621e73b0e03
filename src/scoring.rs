//! The risk model: one factor per cause of the cause list, each a sub-score in [0, 1] (null
//! when its inputs are unknown), its points = weight × sub-score, `risk_score` = the sum of the
//! points (0–100), `confidence` = the share of the weight whose inputs were known, and the band.
//! Weights and breakpoints come from a TOML model (`assets/model.toml` built in, `--model FILE`).

use polars::prelude::*;
use serde::Deserialize;

use crate::measures::ramp;
use crate::profiles::{CrampHistory, ProfileValues};
use crate::schema as s;

/// The default model, as shipped (printed by `cramprisk model`).
pub const DEFAULT_MODEL_TOML: &str = include_str!("../assets/model.toml");

/// A factor: its id is the prefix of its columns (`<id>_score`, `<id>_pts`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactorId {
    Exertion,
    Fatigue,
    Dehydration,
    Electrolytes,
    Heat,
    Conditioning,
    NewActivity,
    Warmup,
    StaticPosture,
    Cold,
    Predisposition,
}

impl FactorId {
    pub const ALL: [FactorId; 11] = [
        FactorId::Exertion,
        FactorId::Fatigue,
        FactorId::Dehydration,
        FactorId::Electrolytes,
        FactorId::Heat,
        FactorId::Conditioning,
        FactorId::NewActivity,
        FactorId::Warmup,
        FactorId::StaticPosture,
        FactorId::Cold,
        FactorId::Predisposition,
    ];

    pub fn name(self) -> &'static str {
        match self {
            FactorId::Exertion => "exertion",
            FactorId::Fatigue => "fatigue",
            FactorId::Dehydration => "dehydration",
            FactorId::Electrolytes => "electrolytes",
            FactorId::Heat => "heat",
            FactorId::Conditioning => "conditioning",
            FactorId::NewActivity => "new_activity",
            FactorId::Warmup => "warmup",
            FactorId::StaticPosture => "static_posture",
            FactorId::Cold => "cold",
            FactorId::Predisposition => "predisposition",
        }
    }

    pub fn score_col(self) -> String {
        format!("{}_score", self.name())
    }

    pub fn pts_col(self) -> String {
        format!("{}_pts", self.name())
    }
}

/// A linear ramp's two breakpoints: sub-score 0 at the first, 1 at the second.
pub type Ramp = [f64; 2];

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bands {
    pub moderate: f64,
    pub high: f64,
    pub very_high: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exertion {
    pub weight: f64,
    pub acwr: Ramp,
    pub load_vs_usual: Ramp,
    pub history_days: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fatigue {
    pub weight: f64,
    pub tsb: Ramp,
    pub streak_days: Ramp,
    pub longest_session_min: Ramp,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dehydration {
    pub weight: f64,
    pub deficit_pct: Ramp,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Electrolytes {
    pub weight: f64,
    pub net_sodium_mg: Ramp,
    pub plain_water_sweat_ml: Ramp,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Heat {
    pub weight: f64,
    pub heat_index_c: Ramp,
    pub full_exposure_min: f64,
    pub hot_day_heat_index_c: f64,
    pub acclimatisation_window_days: u32,
    pub acclimatised_after_days: f64,
    pub acclimatisation_relief: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Conditioning {
    pub weight: f64,
    pub ctl_below_peak: Ramp,
    pub peak_window_days: u32,
    pub sessions_per_week: Ramp,
    pub history_days: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewActivity {
    pub weight: f64,
    pub unseen_days: u32,
    pub history_days: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Warmup {
    pub weight: f64,
    pub hard_intensity: f64,
    pub min_warmup_min: f64,
    pub stretch_window_days: u32,
    pub no_recent_stretching: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StaticPosture {
    pub weight: f64,
    pub sedentary_min: Ramp,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cold {
    pub weight: f64,
    pub apparent_temp_c: Ramp,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Predisposition {
    pub weight: f64,
    pub occasional_history: f64,
    pub frequent_history: f64,
    pub diuretic: f64,
    pub long_acting_beta_agonist: f64,
    pub statin: f64,
    pub nerve_or_circulation: f64,
    pub family_history: f64,
    pub tight_hamstrings: f64,
    pub age_over_40: f64,
}

/// The whole model: bands and every factor's weight and breakpoints.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Model {
    pub bands: Bands,
    pub exertion: Exertion,
    pub fatigue: Fatigue,
    pub dehydration: Dehydration,
    pub electrolytes: Electrolytes,
    pub heat: Heat,
    pub conditioning: Conditioning,
    pub new_activity: NewActivity,
    pub warmup: Warmup,
    pub static_posture: StaticPosture,
    pub cold: Cold,
    pub predisposition: Predisposition,
}

impl Model {
    /// Parses and checks a model: weights ≥ 0 (so raising a factor never lowers the score),
    /// sub-score parameters in [0, 1], ordered bands, ramps with distinct ends.
    pub fn parse(text: &str) -> anyhow::Result<Model> {
        let m: Model = toml::from_str(text)?;
        for id in FactorId::ALL {
            let w = m.weight(id);
            anyhow::ensure!(
                w.is_finite() && w >= 0.0,
                "{}.weight must be ≥ 0, got {w}",
                id.name()
            );
        }
        let b = &m.bands;
        anyhow::ensure!(
            b.moderate < b.high && b.high < b.very_high,
            "bands must rise: moderate < high < very_high"
        );
        let ramps = [
            ("exertion.acwr", m.exertion.acwr),
            ("exertion.load_vs_usual", m.exertion.load_vs_usual),
            ("fatigue.tsb", m.fatigue.tsb),
            ("fatigue.streak_days", m.fatigue.streak_days),
            ("fatigue.longest_session_min", m.fatigue.longest_session_min),
            ("dehydration.deficit_pct", m.dehydration.deficit_pct),
            ("electrolytes.net_sodium_mg", m.electrolytes.net_sodium_mg),
            (
                "electrolytes.plain_water_sweat_ml",
                m.electrolytes.plain_water_sweat_ml,
            ),
            ("heat.heat_index_c", m.heat.heat_index_c),
            ("conditioning.ctl_below_peak", m.conditioning.ctl_below_peak),
            (
                "conditioning.sessions_per_week",
                m.conditioning.sessions_per_week,
            ),
            (
                "static_posture.sedentary_min",
                m.static_posture.sedentary_min,
            ),
            ("cold.apparent_temp_c", m.cold.apparent_temp_c),
        ];
        for (name, [a, b]) in ramps {
            anyhow::ensure!(
                a != b && a.is_finite() && b.is_finite(),
                "{name}: the two breakpoints must differ"
            );
        }
        let p = &m.predisposition;
        let shares = [
            ("heat.acclimatisation_relief", m.heat.acclimatisation_relief),
            ("warmup.no_recent_stretching", m.warmup.no_recent_stretching),
            ("predisposition.occasional_history", p.occasional_history),
            ("predisposition.frequent_history", p.frequent_history),
            ("predisposition.diuretic", p.diuretic),
            (
                "predisposition.long_acting_beta_agonist",
                p.long_acting_beta_agonist,
            ),
            ("predisposition.statin", p.statin),
            (
                "predisposition.nerve_or_circulation",
                p.nerve_or_circulation,
            ),
            ("predisposition.family_history", p.family_history),
            ("predisposition.tight_hamstrings", p.tight_hamstrings),
            ("predisposition.age_over_40", p.age_over_40),
        ];
        for (name, v) in shares {
            anyhow::ensure!(
                (0.0..=1.0).contains(&v),
                "{name} must be within 0–1, got {v}"
            );
        }
        Ok(m)
    }

    /// Reads a model file.
    pub fn load(path: &std::path::Path) -> anyhow::Result<Model> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("reading model {}: {e}", path.display()))?;
        Model::parse(&text).map_err(|e| anyhow::anyhow!("in model {}: {e:#}", path.display()))
    }

    /// A factor's weight (its points at a sub-score of 1).
    pub fn weight(&self, id: FactorId) -> f64 {
        match id {
            FactorId::Exertion => self.exertion.weight,
            FactorId::Fatigue => self.fatigue.weight,
            FactorId::Dehydration => self.dehydration.weight,
            FactorId::Electrolytes => self.electrolytes.weight,
            FactorId::Heat => self.heat.weight,
            FactorId::Conditioning => self.conditioning.weight,
            FactorId::NewActivity => self.new_activity.weight,
            FactorId::Warmup => self.warmup.weight,
            FactorId::StaticPosture => self.static_posture.weight,
            FactorId::Cold => self.cold.weight,
            FactorId::Predisposition => self.predisposition.weight,
        }
    }

    pub fn total_weight(&self) -> f64 {
        FactorId::ALL.iter().map(|&id| self.weight(id)).sum()
    }
}

impl Default for Model {
    fn default() -> Self {
        // The built-in file is checked by a test; should it ever fail, this is a build defect.
        Model::parse(DEFAULT_MODEL_TOML).expect("the built-in model parses")
    }
}

/// Medicines whose starts were followed by cramp treatment more often (Garrison et al. 2012).
const DIURETICS: [&str; 14] = [
    "diuretic",
    "furosemide",
    "bumetanide",
    "torsemide",
    "hydrochlorothiazide",
    "chlorthalidone",
    "indapamide",
    "spironolactone",
    "amiloride",
    "triamterene",
    "eplerenone",
    "bendroflumethiazide",
    "metolazone",
    "thiazide",
];
const LONG_ACTING_BETA_AGONISTS: [&str; 6] = [
    "salmeterol",
    "formoterol",
    "vilanterol",
    "indacaterol",
    "olodaterol",
    "laba",
];
const STATINS: [&str; 8] = [
    "statin",
    "atorvastatin",
    "simvastatin",
    "rosuvastatin",
    "pravastatin",
    "lovastatin",
    "fluvastatin",
    "pitavastatin",
];
/// Words that mark a nerve or circulation problem in a profile's `conditions`.
const NERVE_OR_CIRCULATION: [&str; 14] = [
    "neuropath",
    "sciatica",
    "radiculopathy",
    "nerve",
    "stenosis",
    "varicose",
    "venous",
    "peripheral arter",
    "claudication",
    "circulation",
    "multiple sclerosis",
    "parkinson",
    "raynaud",
    "pad",
];

fn mentions(items: &Option<Vec<String>>, words: &[&str]) -> Option<String> {
    items.iter().flatten().find_map(|item| {
        let lower = item.to_lowercase();
        // A word matches the start of a token ("neuropath" in "neuropathy"); a phrase matches
        // anywhere.
        let hit = |w: &&str| {
            if w.contains(' ') {
                lower.contains(*w)
            } else {
                lower
                    .split(|c: char| !c.is_alphanumeric())
                    .any(|t| t.starts_with(*w))
            }
        };
        words.iter().any(hit).then(|| item.clone())
    })
}

/// The profile part of the predisposition sub-score, 1 − Π(1 − component) over the components
/// present, and what it rests on; `None` when the cramp history is unknown. Age is added per
/// day (it changes with the date).
pub fn predisposition_base(v: &ProfileValues, p: &Predisposition) -> (Option<f64>, String) {
    let Some(history) = v.cramp_history else {
        return (None, String::new());
    };
    let mut parts: Vec<(f64, String)> = vec![match history {
        CrampHistory::None => (0.0, "no cramp history".to_string()),
        CrampHistory::Occasional => (p.occasional_history, "occasional cramps".to_string()),
        CrampHistory::Frequent => (p.frequent_history, "frequent cramps".to_string()),
    }];
    if let Some(m) = mentions(&v.medications, &DIURETICS) {
        parts.push((p.diuretic, format!("diuretic ({m})")));
    }
    if let Some(m) = mentions(&v.medications, &LONG_ACTING_BETA_AGONISTS) {
        parts.push((
            p.long_acting_beta_agonist,
            format!("long-acting β2-agonist ({m})"),
        ));
    }
    if let Some(m) = mentions(&v.medications, &STATINS) {
        parts.push((p.statin, format!("statin ({m})")));
    }
    if let Some(c) = mentions(&v.conditions, &NERVE_OR_CIRCULATION) {
        parts.push((p.nerve_or_circulation, c));
    }
    if v.family_history == Some(true) {
        parts.push((p.family_history, "family tendency".to_string()));
    }
    if v.tight_hamstrings == Some(true) {
        parts.push((p.tight_hamstrings, "tight hamstrings".to_string()));
    }
    let score = 1.0 - parts.iter().map(|(c, _)| 1.0 - c).product::<f64>();
    let text = parts
        .into_iter()
        .map(|(_, t)| t)
        .collect::<Vec<_>>()
        .join(", ");
    (Some(score), text)
}

fn null_f64() -> Expr {
    lit(NULL).cast(DataType::Float64)
}

/// The larger of two values, ignoring an unknown one (null only when both are).
pub fn max_known(a: Expr, b: Expr) -> Expr {
    when(a.clone().is_null())
        .then(b.clone())
        .when(b.clone().is_null().or(a.clone().gt_eq(b.clone())))
        .then(a)
        .otherwise(b)
}

fn ramp2(x: Expr, r: Ramp) -> Expr {
    ramp(x, r[0], r[1])
}

fn over(e: Expr) -> PolarsResult<Expr> {
    e.over([col(s::ATHLETE)])
}

/// A rolling sum over the previous `days` days (today excluded), per athlete; the rows are
/// consecutive calendar days in order.
fn previous_days_sum(x: Expr, days: u32) -> PolarsResult<Expr> {
    over(
        x.cast(DataType::Float64)
            .shift(lit(1))
            .rolling_sum(RollingOptionsFixedWindow {
                window_size: days.max(1) as usize,
                min_periods: 1,
                ..Default::default()
            })
            .fill_null(lit(0.0)),
    )
}

/// Intermediate columns the factors share: history length, streaks, rolling counts.
pub fn context_columns(m: &Model) -> PolarsResult<Vec<Expr>> {
    let day_int = col(s::DATE).cast(DataType::Int32);
    let trained = col(s::SESSIONS).gt(lit(0));
    let rest_run = (trained.clone().not()).cast(DataType::Int32).cum_sum(false);
    let hot_training = trained
        .clone()
        .and(col(s::HEAT_INDEX_C).gt_eq(lit(m.heat.hot_day_heat_index_c)));
    Ok(vec![
        (over(day_int.clone() - day_int.min())? + lit(1)).alias("history_days"),
        over(rest_run)?.alias("rest_run"),
        previous_days_sum(hot_training, m.heat.acclimatisation_window_days)?
            .alias("hot_days_before"),
        previous_days_sum(col("stretch_sessions"), m.warmup.stretch_window_days)?
            .alias("stretch_before"),
        (over(
            col(s::SESSIONS)
                .cast(DataType::Float64)
                .rolling_sum(RollingOptionsFixedWindow {
                    window_size: 28,
                    min_periods: 1,
                    ..Default::default()
                }),
        )? / lit(4.0))
        .alias("sessions_per_week"),
        over(col(s::CTL).rolling_max(RollingOptionsFixedWindow {
            window_size: m.conditioning.peak_window_days.max(1) as usize,
            min_periods: 1,
            ..Default::default()
        }))?
        .alias("peak_ctl"),
        (col(s::DATE).dt().year() - col("birth_year")).alias("age"),
        // The mean load of the training days in the previous 28 days; unknown when there were
        // none (0/0 would be NaN, which is not null and poisoned the score after long breaks).
        when(previous_days_sum(col(s::SESSIONS).gt(lit(0)), 28)?.gt(lit(0)))
            .then(
                previous_days_sum(col(s::LOAD), 28)?
                    / previous_days_sum(col(s::SESSIONS).gt(lit(0)), 28)?,
            )
            .otherwise(null_f64())
            .alias("usual_day_load"),
    ])
}

/// Columns that need the context columns first.
fn context_columns_2() -> PolarsResult<Vec<Expr>> {
    let trained = col(s::SESSIONS).gt(lit(0));
    Ok(vec![
        // Consecutive training days up to today (0 on a rest day).
        trained
            .cast(DataType::Int32)
            .cum_sum(false)
            .over([col(s::ATHLETE), col("rest_run")])?
            .alias("streak_days"),
        // Deficit as % of body mass: a measured mass loss overrides the estimate.
        coalesce(&[
            col("mass_loss_pct"),
            (-col(s::FLUID_BALANCE_ML)).clip_min(lit(0.0)) / (lit(10.0) * col(s::BODY_MASS_KG)),
        ])
        .alias("deficit_pct"),
    ])
}

/// The sub-score expression of a factor; null where its inputs are unknown.
pub fn factor_score(id: FactorId, m: &Model) -> Expr {
    let trained = col(s::SESSIONS).gt(lit(0));
    let history = col("history_days");
    match id {
        FactorId::Exertion => {
            let p = &m.exertion;
            // Unknown usual load stays unknown; without training days before there is no ratio.
            let day_vs_usual = when(col("usual_day_load").is_null())
                .then(null_f64())
                .when(col("usual_day_load").gt(lit(0.0)))
                .then(ramp2(col(s::LOAD) / col("usual_day_load"), p.load_vs_usual))
                .otherwise(lit(0.0));
            when(history.gt_eq(lit(p.history_days)))
                .then(max_known(ramp2(col(s::ACWR), p.acwr), day_vs_usual))
                .otherwise(null_f64())
        }
        FactorId::Fatigue => {
            let p = &m.fatigue;
            max_known(
                max_known(
                    ramp2(col(s::TSB), p.tsb),
                    ramp2(col("streak_days"), p.streak_days),
                ),
                when(trained)
                    .then(ramp2(col("longest_session_min"), p.longest_session_min))
                    .otherwise(lit(0.0)),
            )
        }
        FactorId::Dehydration => ramp2(col("deficit_pct"), m.dehydration.deficit_pct),
        FactorId::Electrolytes => {
            let p = &m.electrolytes;
            let net = ramp2(
                col(s::SODIUM_LOSS_MG) - col(s::SODIUM_INTAKE_MG),
                p.net_sodium_mg,
            );
            let plain_share =
                (col("plain_water_ml") / col(s::FLUID_INTAKE_ML)).clip(lit(0.0), lit(1.0));
            let diluted = plain_share * ramp2(col(s::SWEAT_LOSS_ML), p.plain_water_sweat_ml);
            max_known(net, diluted)
        }
        FactorId::Heat => {
            let p = &m.heat;
            let exposure =
                (col(s::DURATION_MIN) / lit(p.full_exposure_min)).clip(lit(0.0), lit(1.0));
            let acclimatised =
                (col("hot_days_before") / lit(p.acclimatised_after_days)).clip(lit(0.0), lit(1.0));
            when(trained)
                .then(
                    ramp2(col(s::HEAT_INDEX_C), p.heat_index_c)
                        * exposure
                        * (lit(1.0) - lit(p.acclimatisation_relief) * acclimatised),
                )
                // Heat at rest is not exercise in heat: a known 0 on rest days.
                .otherwise(lit(0.0))
        }
        FactorId::Conditioning => {
            let p = &m.conditioning;
            let below_peak = when(col("peak_ctl").is_null().or(col(s::CTL).is_null()))
                .then(null_f64())
                .when(col("peak_ctl").gt(lit(0.0)))
                .then(ramp2(
                    lit(1.0) - col(s::CTL) / col("peak_ctl"),
                    p.ctl_below_peak,
                ))
                .otherwise(lit(0.0));
            let infrequent = ramp2(col("sessions_per_week"), p.sessions_per_week);
            when(trained.not())
                .then(lit(0.0))
                .when(history.gt_eq(lit(p.history_days)))
                .then(max_known(below_peak, infrequent))
                .otherwise(null_f64())
        }
        FactorId::NewActivity => {
            let p = &m.new_activity;
            let new = col("sport_gap_days")
                .gt(lit(p.unseen_days as i32))
                .cast(DataType::Float64);
            when(trained.not())
                .then(lit(0.0))
                .when(history.gt(lit(p.unseen_days.max(p.history_days))))
                .then(new)
                .otherwise(null_f64())
        }
        FactorId::Warmup => {
            let p = &m.warmup;
            let hard = trained.and(col("hardest_intensity").gt_eq(lit(p.hard_intensity)));
            when(hard.not())
                .then(lit(0.0))
                .when(col("hardest_warmup_min").lt(lit(p.min_warmup_min)))
                .then(lit(1.0))
                .when(col("stretch_before").eq(lit(0.0)))
                .then(lit(p.no_recent_stretching))
                .otherwise(lit(0.0))
        }
        FactorId::StaticPosture => ramp2(col(s::SEDENTARY_MIN), m.static_posture.sedentary_min),
        FactorId::Cold => when(col("outdoor_sessions").gt(lit(0)))
            .then(ramp2(col("outdoor_apparent_c"), m.cold.apparent_temp_c))
            .otherwise(lit(0.0)),
        FactorId::Predisposition => {
            let p = &m.predisposition;
            let age = when(col("age").gt(lit(40)))
                .then(lit(p.age_over_40))
                .otherwise(lit(0.0));
            lit(1.0) - (lit(1.0) - col("predisposition_base")) * (lit(1.0) - age)
        }
    }
}

/// Adds the factors' `<factor>_score` and `<factor>_pts`, `risk_score`, `risk_band` and
/// `confidence`.
pub fn score(lf: LazyFrame, m: &Model) -> PolarsResult<LazyFrame> {
    let scores: Vec<Expr> = FactorId::ALL
        .iter()
        .map(|&id| {
            factor_score(id, m)
                .clip(lit(0.0), lit(1.0))
                .alias(id.score_col())
        })
        .collect();
    let pts: Vec<Expr> = FactorId::ALL
        .iter()
        .map(|&id| (col(id.score_col()) * lit(m.weight(id))).alias(id.pts_col()))
        .collect();
    let known_weight = FactorId::ALL
        .iter()
        .map(|&id| {
            when(col(id.score_col()).is_not_null())
                .then(lit(m.weight(id)))
                .otherwise(lit(0.0))
        })
        .reduce(|a, b| a + b)
        .unwrap_or_else(|| lit(0.0));
    let sum_pts = FactorId::ALL
        .iter()
        .map(|&id| col(id.pts_col()).fill_null(lit(0.0)))
        .reduce(|a, b| a + b)
        .unwrap_or_else(|| lit(0.0));
    let total = m.total_weight().max(f64::MIN_POSITIVE);
    let b = &m.bands;
    // Round once here so the band always agrees with the printed score.
    let rounded = (sum_pts * lit(10.0)).round(0, RoundMode::HalfAwayFromZero) / lit(10.0);
    Ok(lf
        .with_columns(context_columns(m)?)
        .with_columns(context_columns_2()?)
        .with_columns(scores)
        .with_columns(pts)
        .with_columns([
            rounded.alias(s::RISK_SCORE),
            (known_weight / lit(total)).alias("confidence"),
        ])
        .with_column(
            when(col(s::RISK_SCORE).lt(lit(b.moderate)))
                .then(lit("low"))
                .when(col(s::RISK_SCORE).lt(lit(b.high)))
                .then(lit("moderate"))
                .when(col(s::RISK_SCORE).lt(lit(b.very_high)))
                .then(lit("high"))
                .otherwise(lit("very_high"))
                .alias(s::RISK_BAND),
        ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_model_parses_and_weights_sum_to_100() {
        let m = Model::parse(DEFAULT_MODEL_TOML).unwrap();
        assert!((m.total_weight() - 100.0).abs() < 1e-9);
    }

    #[test]
    fn negative_weights_are_refused() {
        let bad = DEFAULT_MODEL_TOML.replace("weight = 12.0", "weight = -12.0");
        assert!(format!("{:#}", Model::parse(&bad).unwrap_err()).contains("exertion.weight"));
    }

    #[test]
    fn predisposition_combines_components() {
        let p = Model::default().predisposition;
        let v = ProfileValues {
            cramp_history: Some(CrampHistory::Occasional),
            medications: Some(vec!["Furosemide 40 mg".into(), "salbutamol".into()]),
            ..Default::default()
        };
        let (score, text) = predisposition_base(&v, &p);
        // 1 − (1 − 0.5)(1 − 0.4) = 0.7; salbutamol is short-acting, not counted.
        assert!((score.unwrap() - 0.7).abs() < 1e-12);
        assert_eq!(text, "occasional cramps, diuretic (Furosemide 40 mg)");
        let unknown = ProfileValues::default();
        assert_eq!(predisposition_base(&unknown, &p).0, None);
    }
}
