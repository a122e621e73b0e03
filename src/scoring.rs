//! The risk score: each factor's sub-score in [0, 1] (null when its inputs are unknown), its
//! points (weight × sub-score), their sum as `risk_score` (0–100) and the band. Weights and
//! breakpoints live in `Model`.

use polars::prelude::*;

use crate::measures::ramp;
use crate::schema as s;

/// A factor's id, which is also the prefix of its columns (`<id>_score`, `<id>_pts`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactorId {
    Exertion,
    Fatigue,
    Dehydration,
    Electrolytes,
    Heat,
    Predisposition,
}

impl FactorId {
    pub const ALL: [FactorId; 6] = [
        FactorId::Exertion,
        FactorId::Fatigue,
        FactorId::Dehydration,
        FactorId::Electrolytes,
        FactorId::Heat,
        FactorId::Predisposition,
    ];

    pub fn name(self) -> &'static str {
        match self {
            FactorId::Exertion => "exertion",
            FactorId::Fatigue => "fatigue",
            FactorId::Dehydration => "dehydration",
            FactorId::Electrolytes => "electrolytes",
            FactorId::Heat => "heat",
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

/// Weights (points at a sub-score of 1; they sum to 100) and breakpoints of the first model.
#[derive(Debug, Clone)]
pub struct Model {
    pub weights: [(FactorId, f64); 6],
    /// ACWR ramp: Gabbett's sweet spot ends at 1.3; 2.0 is Murray's "very high".
    pub acwr: (f64, f64),
    /// TSB ramp (negated): −10 is the start of intervals.icu's optimal zone, −40 GoldenCheetah's red.
    pub tsb: (f64, f64),
    /// Longest day's training minutes: cramps come late in long efforts.
    pub duration_min: (f64, f64),
    /// Fluid deficit as % of body mass: ACSM's 2 % line is the middle of the ramp.
    pub deficit_pct: (f64, f64),
    /// Net sodium loss (sweat − drinks), mg.
    pub sodium_net_mg: (f64, f64),
    /// Heat index while training, °C: NWS caution (27) to danger (41).
    pub heat_index_c: (f64, f64),
    /// Band lower limits: moderate, high, very high.
    pub bands: (f64, f64, f64),
}

impl Default for Model {
    fn default() -> Self {
        Model {
            weights: [
                (FactorId::Exertion, 15.0),
                (FactorId::Fatigue, 15.0),
                (FactorId::Dehydration, 20.0),
                (FactorId::Electrolytes, 15.0),
                (FactorId::Heat, 20.0),
                (FactorId::Predisposition, 15.0),
            ],
            acwr: (1.3, 2.0),
            tsb: (10.0, 40.0),
            duration_min: (90.0, 240.0),
            deficit_pct: (1.0, 3.0),
            sodium_net_mg: (500.0, 3000.0),
            heat_index_c: (27.0, 41.0),
            bands: (25.0, 50.0, 75.0),
        }
    }
}

/// The larger of two values, ignoring an unknown one (null only when both are).
pub fn max_known(a: Expr, b: Expr) -> Expr {
    when(a.clone().is_null())
        .then(b.clone())
        .when(b.clone().is_null().or(a.clone().gt_eq(b.clone())))
        .then(a)
        .otherwise(b)
}

#[allow(dead_code)]
fn null_f64() -> Expr {
    lit(NULL).cast(DataType::Float64)
}

/// The sub-score expression of a factor; null where its inputs are unknown.
pub fn factor_score(id: FactorId, m: &Model) -> Expr {
    let trained = col(s::SESSIONS).gt(lit(0));
    match id {
        FactorId::Exertion => ramp(col(s::ACWR), m.acwr.0, m.acwr.1),
        FactorId::Fatigue => {
            let form = ramp(-col(s::TSB), m.tsb.0, m.tsb.1);
            let long = ramp(col(s::DURATION_MIN), m.duration_min.0, m.duration_min.1);
            max_known(form, long)
        }
        FactorId::Dehydration => {
            // ml / (10 · kg) = % of body mass.
            let deficit =
                (-col(s::FLUID_BALANCE_ML)).clip_min(lit(0.0)) / (lit(10.0) * col(s::BODY_MASS_KG));
            ramp(deficit, m.deficit_pct.0, m.deficit_pct.1)
        }
        FactorId::Electrolytes => ramp(
            col(s::SODIUM_LOSS_MG) - col(s::SODIUM_INTAKE_MG),
            m.sodium_net_mg.0,
            m.sodium_net_mg.1,
        ),
        FactorId::Heat => when(trained)
            .then(ramp(
                col(s::HEAT_INDEX_C),
                m.heat_index_c.0,
                m.heat_index_c.1,
            ))
            // Heat at rest is not exercise in heat: a rest day's heat sub-score is a known 0.
            .otherwise(lit(0.0)),
        FactorId::Predisposition => col("cramp_level"),
    }
}

/// Adds `<factor>_score`, `<factor>_pts`, `risk_score`, `risk_band` and `confidence`.
pub fn score(lf: LazyFrame, m: &Model) -> LazyFrame {
    let scores: Vec<Expr> = m
        .weights
        .iter()
        .map(|&(id, _)| factor_score(id, m).alias(id.score_col()))
        .collect();
    let pts: Vec<Expr> = m
        .weights
        .iter()
        .map(|&(id, w)| (col(id.score_col()) * lit(w)).alias(id.pts_col()))
        .collect();
    let total_weight: f64 = m.weights.iter().map(|(_, w)| w).sum();
    let known_weight = m
        .weights
        .iter()
        .map(|&(id, w)| {
            when(col(id.score_col()).is_not_null())
                .then(lit(w))
                .otherwise(lit(0.0))
        })
        .reduce(|a, b| a + b)
        .unwrap_or_else(|| lit(0.0));
    let sum_pts = m
        .weights
        .iter()
        .map(|&(id, _)| col(id.pts_col()).fill_null(lit(0.0)))
        .reduce(|a, b| a + b)
        .unwrap_or_else(|| lit(0.0));
    let (moderate, high, very_high) = m.bands;
    lf.with_columns(scores)
        .with_columns(pts)
        .with_columns([
            sum_pts.alias(s::RISK_SCORE),
            (known_weight / lit(total_weight)).alias("confidence"),
        ])
        .with_column(
            when(col(s::RISK_SCORE).lt(lit(moderate)))
                .then(lit("low"))
                .when(col(s::RISK_SCORE).lt(lit(high)))
                .then(lit("moderate"))
                .when(col(s::RISK_SCORE).lt(lit(very_high)))
                .then(lit("high"))
                .otherwise(lit("very_high"))
                .alias(s::RISK_BAND),
        )
}
