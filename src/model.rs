//! The risk model: the one home of the factor list (`FactorId`), the bands (`Band`), the model
//! file (`Model`, `assets/model.toml` built in, `--model FILE`) and the logistic estimate
//! `logit p = b0 + Σ b_t·x_t` over the day's exposures, with unknown exposures imputed and the
//! range they could move the estimate over. Pure: a LazyFrame of measures in, the scored
//! LazyFrame out.

use std::collections::BTreeMap;

use polars::prelude::*;
use serde::Deserialize;

use crate::measures::history::{history_columns, HistoryParams};
use crate::profiles::{CrampHistory, ProfileValues, Sex};
use crate::schema as s;

/// The default model, as shipped (printed by `cramprisk model`).
pub const DEFAULT_MODEL_TOML: &str = include_str!("../assets/model.toml");

/// A factor: one per cause of the cause list, plus `sex`. Its id is the prefix of its output
/// column `<id>_or`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
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
    Sex,
}

impl FactorId {
    pub const ALL: [FactorId; 12] = [
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
        FactorId::Sex,
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
            FactorId::Sex => "sex",
        }
    }

    /// The odds multiplier column `<factor>_or` (1 = no effect, empty = unknown → imputed).
    pub fn or_col(self) -> String {
        format!("{}_or", self.name())
    }

    /// The log-odds the factor added to the estimate, imputed values included (internal
    /// column: what `top_factors` ranks by).
    pub fn effect_col(self) -> String {
        format!("{}_effect", self.name())
    }

    /// Profile factors: the same every day for an athlete, so they are stated once per
    /// athlete rather than ranked among a day's reasons.
    pub fn day_invariant(self) -> bool {
        matches!(self, FactorId::Predisposition | FactorId::Sex)
    }

    /// The model terms of this factor, in `TermId::ALL` order.
    pub fn terms(self) -> impl Iterator<Item = TermId> {
        self.term_list().iter().copied()
    }

    /// `terms` as a slice: the explanations ask for a factor's terms some ten times a day
    /// explained, so they are written out instead of found among all the terms each time
    /// (`factor_terms_are_the_terms_of_that_factor` checks them against `TermId::factor`).
    fn term_list(self) -> &'static [TermId] {
        use TermId as T;
        match self {
            FactorId::Exertion => &[T::Intensity],
            FactorId::Fatigue => &[T::Duration, T::Form, T::Streak],
            FactorId::Dehydration => &[T::Deficit],
            FactorId::Electrolytes => &[T::NetSodium],
            FactorId::Heat => &[T::Wbgt],
            FactorId::Conditioning => &[T::Infrequent],
            FactorId::NewActivity => &[T::NewSport],
            FactorId::Warmup => &[T::ShortWarmup, T::NoStretching],
            FactorId::StaticPosture => &[T::Sedentary],
            FactorId::Cold => &[T::Cold],
            FactorId::Predisposition => &[
                T::History,
                T::Medication,
                T::NerveCirculation,
                T::Family,
                T::TightHamstrings,
                T::Age,
            ],
            FactorId::Sex => &[T::Male],
        }
    }

    /// The factor's place in `ALL` (its declaration order, which `ALL` follows).
    pub fn index(self) -> usize {
        self as usize
    }
}

/// One exposure of the model, with its own coefficient; a factor has one or more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TermId {
    Intensity,
    Duration,
    Form,
    Streak,
    Deficit,
    NetSodium,
    Wbgt,
    Infrequent,
    NewSport,
    ShortWarmup,
    NoStretching,
    Sedentary,
    Cold,
    History,
    Medication,
    NerveCirculation,
    Family,
    TightHamstrings,
    Age,
    Male,
}

impl TermId {
    pub const ALL: [TermId; 20] = [
        TermId::Intensity,
        TermId::Duration,
        TermId::Form,
        TermId::Streak,
        TermId::Deficit,
        TermId::NetSodium,
        TermId::Wbgt,
        TermId::Infrequent,
        TermId::NewSport,
        TermId::ShortWarmup,
        TermId::NoStretching,
        TermId::Sedentary,
        TermId::Cold,
        TermId::History,
        TermId::Medication,
        TermId::NerveCirculation,
        TermId::Family,
        TermId::TightHamstrings,
        TermId::Age,
        TermId::Male,
    ];

    /// The term's name in the model file (`[terms.NAME]`).
    pub fn name(self) -> &'static str {
        match self {
            TermId::Intensity => "intensity",
            TermId::Duration => "duration",
            TermId::Form => "form",
            TermId::Streak => "streak",
            TermId::Deficit => "deficit",
            TermId::NetSodium => "net_sodium",
            TermId::Wbgt => "wbgt",
            TermId::Infrequent => "infrequent",
            TermId::NewSport => "new_sport",
            TermId::ShortWarmup => "short_warmup",
            TermId::NoStretching => "no_stretching",
            TermId::Sedentary => "sedentary",
            TermId::Cold => "cold",
            TermId::History => "history",
            TermId::Medication => "medication",
            TermId::NerveCirculation => "nerve_circulation",
            TermId::Family => "family",
            TermId::TightHamstrings => "tight_hamstrings",
            TermId::Age => "age",
            TermId::Male => "male",
        }
    }

    pub fn factor(self) -> FactorId {
        match self {
            TermId::Intensity => FactorId::Exertion,
            TermId::Duration | TermId::Form | TermId::Streak => FactorId::Fatigue,
            TermId::Deficit => FactorId::Dehydration,
            TermId::NetSodium => FactorId::Electrolytes,
            TermId::Wbgt => FactorId::Heat,
            TermId::Infrequent => FactorId::Conditioning,
            TermId::NewSport => FactorId::NewActivity,
            TermId::ShortWarmup | TermId::NoStretching => FactorId::Warmup,
            TermId::Sedentary => FactorId::StaticPosture,
            TermId::Cold => FactorId::Cold,
            TermId::History
            | TermId::Medication
            | TermId::NerveCirculation
            | TermId::Family
            | TermId::TightHamstrings
            | TermId::Age => FactorId::Predisposition,
            TermId::Male => FactorId::Sex,
        }
    }

    /// The term's place in `ALL` (its declaration order, which `ALL` follows).
    pub fn index(self) -> usize {
        self as usize
    }

    /// Whether the term's inputs can be missing (then it needs prior, low and high).
    pub fn can_be_unknown(self) -> bool {
        !matches!(
            self,
            TermId::Duration | TermId::Form | TermId::Streak | TermId::NoStretching
        )
    }

    /// Deficit and net sodium are imputed from a share not replaced (of the day's fluid need,
    /// of its sweat sodium): their prior, low and high are shares, not exposures.
    pub fn imputed_from_sweat(self) -> bool {
        matches!(self, TermId::Deficit | TermId::NetSodium)
    }

    /// The exposure column (`x_<term>`; null = unknown).
    pub fn x_col(self) -> String {
        format!("x_{}", self.name())
    }

    /// The exposure the estimate used (`u_<term>`: `x_<term>`, or its imputed prior where
    /// unknown), so `logit = b0 + Σ b_t·u_t` exactly; what `calibrate` fits on.
    pub fn u_col(self) -> String {
        format!("u_{}", self.name())
    }
}

/// The bands' lower bounds in %, anchored to the published incidences (docs/model.md):
/// moderate from 5 % (well above an ordinary training day), high from 20 % (the average
/// race-day incidence: 20.6 % of Ironman finishers, Schwellnus 2011), very high from 40 %
/// (twice that; only cohorts of prior crampers reach it, e.g. 50 % of a rugby league squad in
/// a season, Summers 2014).
pub const BAND_LOWER_PCT: [f64; 3] = [5.0, 20.0, 40.0];

/// A risk band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Band {
    Low,
    Moderate,
    High,
    VeryHigh,
}

impl Band {
    pub const ALL: [Band; 4] = [Band::Low, Band::Moderate, Band::High, Band::VeryHigh];

    /// The band of a probability in % (lower bounds inclusive).
    pub fn of_pct(pct: f64) -> Band {
        let [moderate, high, very_high] = BAND_LOWER_PCT;
        if pct >= very_high {
            Band::VeryHigh
        } else if pct >= high {
            Band::High
        } else if pct >= moderate {
            Band::Moderate
        } else {
            Band::Low
        }
    }

    /// The name written in `risk_band`.
    pub fn name(self) -> &'static str {
        match self {
            Band::Low => "low",
            Band::Moderate => "moderate",
            Band::High => "high",
            Band::VeryHigh => "very_high",
        }
    }

    /// The band's lowest probability in % (0 for low).
    pub fn lower_pct(self) -> f64 {
        match self {
            Band::Low => 0.0,
            Band::Moderate => BAND_LOWER_PCT[0],
            Band::High => BAND_LOWER_PCT[1],
            Band::VeryHigh => BAND_LOWER_PCT[2],
        }
    }

    pub fn parse(name: &str) -> Option<Band> {
        Band::ALL.into_iter().find(|b| b.name() == name)
    }
}

/// The band thresholds as a struct (`BAND_LOWER_PCT`), for code that draws them.
#[derive(Debug, Clone, PartialEq)]
pub struct Bands {
    pub moderate: f64,
    pub high: f64,
    pub very_high: f64,
}

impl Default for Bands {
    fn default() -> Self {
        let [moderate, high, very_high] = BAND_LOWER_PCT;
        Bands {
            moderate,
            high,
            very_high,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Intercept {
    pub training_day_pct: f64,
    pub rest_day_pct: f64,
    pub source: String,
}

/// The measures' breakpoints and windows (`[params]`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    pub duration_reference_min: f64,
    pub duration_floor_min: f64,
    pub intensity_step: f64,
    pub usual_window_days: u32,
    pub usual_min_days: u32,
    pub form_tsb_start: f64,
    pub form_tsb_span: f64,
    pub streak_start_days: f64,
    pub streak_span_days: f64,
    pub streak_min_intensity: f64,
    pub deficit_unit_pct: f64,
    pub sodium_unit_mg: f64,
    pub default_body_mass_kg: f64,
    pub wbgt_start_c: f64,
    pub wbgt_span_c: f64,
    pub heat_full_exposure_min: f64,
    pub hot_day_wbgt_c: f64,
    pub acclimatisation_window_days: u32,
    pub acclimatised_after_days: f64,
    pub acclimatisation_relief: f64,
    pub sessions_per_week_ok: f64,
    pub sessions_per_week_span: f64,
    pub conditioning_history_days: u32,
    pub unseen_days: u32,
    pub hard_intensity: f64,
    pub min_warmup_min: f64,
    pub stretch_window_days: u32,
    pub sedentary_start_min: f64,
    pub sedentary_span_min: f64,
    pub cold_start_c: f64,
    pub cold_span_c: f64,
    pub age_over: i32,
}

/// One term's coefficient and imputation (`[terms.NAME]`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    /// Odds multiplier per unit of exposure; b = ln(odds_ratio).
    pub odds_ratio: f64,
    /// The unit of the exposure, in words.
    pub per: String,
    pub prior: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
    pub source: String,
}

impl Term {
    /// The coefficient b = ln(odds ratio).
    pub fn coef(&self) -> f64 {
        self.odds_ratio.ln()
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ModelFile {
    intercept: Intercept,
    params: Params,
    terms: BTreeMap<String, Term>,
    /// `[athletes.NAME]`: an athlete's own coefficients (`calibrate --per-athlete`).
    #[serde(default)]
    athletes: BTreeMap<String, AthleteFile>,
}

/// `[athletes.NAME]` in a model file: the athlete's own intercepts and odds ratios, for the
/// terms named (the others are the model's).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct AthleteFile {
    training_day_pct: f64,
    rest_day_pct: f64,
    #[serde(default)]
    odds_ratios: BTreeMap<String, f64>,
    #[allow(dead_code)]
    source: String,
}

/// An athlete's own coefficients: the intercepts (log-odds) and, per term in `TermId::ALL`
/// order, its coefficient b = ln(odds ratio), None where the model's applies.
#[derive(Debug, Clone, PartialEq)]
pub struct AthleteCoefs {
    pub b_train: f64,
    pub b_rest: f64,
    pub terms: Vec<Option<f64>>,
}

/// The whole model: intercepts, parameters and every term's coefficient and prior.
#[derive(Debug, Clone)]
pub struct Model {
    pub intercept: Intercept,
    pub params: Params,
    terms: Vec<Term>,
    /// The band thresholds (fixed, `BAND_LOWER_PCT`; not part of the model file).
    pub bands: Bands,
    /// Athletes with their own coefficients (`[athletes.NAME]`), by name as in the outputs.
    pub athletes: BTreeMap<String, AthleteCoefs>,
}

/// The documented range of a term's odds ratio: ≥ 1 (a harmful exposure, so the estimate is
/// monotone), at most 20 (above every published figure: Summers 2014's upper CI is 54 but its
/// point estimate 10.85).
pub const ODDS_RATIO_RANGE: (f64, f64) = (1.0, 20.0);

fn logit(pct: f64) -> f64 {
    let p = pct / 100.0;
    (p / (1.0 - p)).ln()
}

impl Model {
    /// Parses and checks a model: every term present and no other, odds ratios within
    /// `ODDS_RATIO_RANGE`, priors within [low, high], intercepts within (0, 100) %, positive
    /// spans and windows.
    pub fn parse(text: &str) -> anyhow::Result<Model> {
        let file: ModelFile = toml::from_str(text)?;
        let mut terms = Vec::with_capacity(TermId::ALL.len());
        for id in TermId::ALL {
            let t = file
                .terms
                .get(id.name())
                .ok_or_else(|| anyhow::anyhow!("[terms.{}] is missing", id.name()))?;
            let (lo, hi) = ODDS_RATIO_RANGE;
            anyhow::ensure!(
                t.odds_ratio.is_finite() && (lo..=hi).contains(&t.odds_ratio),
                "terms.{}.odds_ratio must be within {lo}–{hi} (a harmful exposure), got {}",
                id.name(),
                t.odds_ratio
            );
            // History and medication exposures are relative to the term's own ratio
            // (ln OR_class / ln OR_term), so the term's ratio must be above 1.
            if matches!(id, TermId::History | TermId::Medication) {
                anyhow::ensure!(
                    t.odds_ratio > 1.0,
                    "terms.{}.odds_ratio must be above 1 (the other classes are measured against it), got {}",
                    id.name(),
                    t.odds_ratio
                );
            }
            if id.can_be_unknown() {
                let (Some(p), Some(l), Some(h)) = (t.prior, t.low, t.high) else {
                    anyhow::bail!(
                        "terms.{} needs prior, low and high (its inputs can be unknown)",
                        id.name()
                    );
                };
                anyhow::ensure!(
                    [p, l, h].iter().all(|v| v.is_finite()) && l <= p && p <= h,
                    "terms.{}: need low ≤ prior ≤ high, got {l}, {p}, {h}",
                    id.name()
                );
                if id.imputed_from_sweat() {
                    anyhow::ensure!(
                        l >= 0.0 && h <= 1.0,
                        "terms.{}: prior, low and high are shares not replaced, within 0–1",
                        id.name()
                    );
                }
            }
            terms.push(t.clone());
        }
        if let Some(extra) = file
            .terms
            .keys()
            .find(|k| !TermId::ALL.iter().any(|t| t.name() == k.as_str()))
        {
            anyhow::bail!("[terms.{extra}] is not a term of the model");
        }
        let i = &file.intercept;
        for (name, v) in [
            ("intercept.training_day_pct", i.training_day_pct),
            ("intercept.rest_day_pct", i.rest_day_pct),
        ] {
            anyhow::ensure!(
                v.is_finite() && v > 0.0 && v < 100.0,
                "{name} must be within 0–100 %, got {v}"
            );
        }
        let p = &file.params;
        let positive = [
            ("duration_reference_min", p.duration_reference_min),
            ("duration_floor_min", p.duration_floor_min),
            ("intensity_step", p.intensity_step),
            ("form_tsb_span", p.form_tsb_span),
            ("streak_span_days", p.streak_span_days),
            ("deficit_unit_pct", p.deficit_unit_pct),
            ("sodium_unit_mg", p.sodium_unit_mg),
            ("default_body_mass_kg", p.default_body_mass_kg),
            ("wbgt_span_c", p.wbgt_span_c),
            ("heat_full_exposure_min", p.heat_full_exposure_min),
            ("acclimatised_after_days", p.acclimatised_after_days),
            ("sessions_per_week_span", p.sessions_per_week_span),
            ("sedentary_span_min", p.sedentary_span_min),
            ("cold_span_c", p.cold_span_c),
        ];
        for (name, v) in positive {
            anyhow::ensure!(
                v.is_finite() && v > 0.0,
                "params.{name} must be > 0, got {v}"
            );
        }
        anyhow::ensure!(
            (0.0..=1.0).contains(&p.acclimatisation_relief),
            "params.acclimatisation_relief must be within 0–1"
        );
        anyhow::ensure!(
            p.usual_window_days > 0 && p.acclimatisation_window_days > 0,
            "params: windows must be at least one day"
        );
        let athletes = file
            .athletes
            .iter()
            .map(|(name, a)| Ok((name.clone(), athlete_coefs(name, a)?)))
            .collect::<anyhow::Result<_>>()?;
        Ok(Model {
            intercept: file.intercept,
            params: file.params,
            terms,
            bands: Bands::default(),
            athletes,
        })
    }

    /// Reads a model file.
    pub fn load(path: &std::path::Path) -> anyhow::Result<Model> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("reading model {}: {e}", path.display()))?;
        Model::parse(&text).map_err(|e| anyhow::anyhow!("in model {}: {e:#}", path.display()))
    }

    pub fn term(&self, id: TermId) -> &Term {
        // `parse` fills one term per `TermId::ALL` entry, in that order.
        &self.terms[TermId::ALL.iter().position(|&t| t == id).unwrap_or(0)]
    }

    /// The intercept b0 of a training day and of a rest day (log-odds).
    pub fn intercepts(&self) -> (f64, f64) {
        (
            logit(self.intercept.training_day_pct),
            logit(self.intercept.rest_day_pct),
        )
    }

    /// The model as it applies to one athlete: their own coefficients where the file has them
    /// (`[athletes.NAME]`), else the model's.
    pub fn for_athlete(&self, athlete: &str) -> Model {
        let mut m = self.clone();
        if let Some(a) = self.athletes.get(athlete) {
            let pct = |b: f64| 100.0 / (1.0 + (-b).exp());
            m.intercept.training_day_pct = pct(a.b_train);
            m.intercept.rest_day_pct = pct(a.b_rest);
            for (k, b) in a.terms.iter().enumerate() {
                if let Some(b) = b {
                    m.terms[k].odds_ratio = b.exp();
                }
            }
        }
        m.athletes.clear();
        m
    }

    /// An expression of a coefficient per row: the athlete's own where the file gives one,
    /// else the model's (`team`). A plain literal when no athlete has their own.
    fn per_athlete(&self, team: f64, own: impl Fn(&AthleteCoefs) -> Option<f64>) -> Expr {
        let mut e = lit(team);
        for (name, a) in &self.athletes {
            if let Some(v) = own(a) {
                e = when(col(s::ATHLETE).eq(lit(name.as_str())))
                    .then(lit(v))
                    .otherwise(e);
            }
        }
        e
    }

    /// The coefficient of a term, per row (`per_athlete`).
    fn coef_expr(&self, t: TermId) -> Expr {
        let k = TermId::ALL.iter().position(|&x| x == t).unwrap_or(0);
        self.per_athlete(self.term(t).coef(), |a| a.terms.get(k).copied().flatten())
    }
}

/// Checks an `[athletes.NAME]` section: intercepts within (0, 100) %, odds ratios of known
/// day-level terms within `ODDS_RATIO_RANGE`.
fn athlete_coefs(name: &str, a: &AthleteFile) -> anyhow::Result<AthleteCoefs> {
    for (what, v) in [
        ("training_day_pct", a.training_day_pct),
        ("rest_day_pct", a.rest_day_pct),
    ] {
        anyhow::ensure!(
            v.is_finite() && v > 0.0 && v < 100.0,
            "athletes.{name}.{what} must be within 0–100 %, got {v}"
        );
    }
    let mut terms = vec![None; TermId::ALL.len()];
    for (term, &or) in &a.odds_ratios {
        let Some(k) = TermId::ALL.iter().position(|t| t.name() == term) else {
            anyhow::bail!("athletes.{name}.odds_ratios.{term} is not a term of the model");
        };
        let (lo, hi) = ODDS_RATIO_RANGE;
        anyhow::ensure!(
            or.is_finite() && (lo..=hi).contains(&or),
            "athletes.{name}.odds_ratios.{term} must be within {lo}–{hi}, got {or}"
        );
        terms[k] = Some(or.ln());
    }
    Ok(AthleteCoefs {
        b_train: logit(a.training_day_pct),
        b_rest: logit(a.rest_day_pct),
        terms,
    })
}

impl Default for Model {
    fn default() -> Self {
        // The built-in file is checked by a test; should it ever fail, this is a build defect.
        Model::parse(DEFAULT_MODEL_TOML).expect("the built-in model parses")
    }
}

/// Medicines whose starts were followed by cramp treatment more often (Garrison et al. 2012),
/// by class with the class's sequence ratio.
const POTASSIUM_SPARING: [&str; 4] = ["spironolactone", "amiloride", "triamterene", "eplerenone"];
const DIURETICS: [&str; 10] = [
    "diuretic",
    "furosemide",
    "bumetanide",
    "torsemide",
    "hydrochlorothiazide",
    "chlorthalidone",
    "indapamide",
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
/// Garrison 2012's ratios: (class, ratio, words).
pub const MEDICATION_RATIOS: [(&str, f64); 4] = [
    ("long-acting β2-agonist", 2.42),
    ("potassium-sparing diuretic", 2.12),
    ("diuretic", 1.47),
    ("statin", 1.16),
];
/// Kona: an earlier cramp in the same race, OR 2.40 (occasional history).
pub const OCCASIONAL_HISTORY_OR: f64 = 2.40;
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

fn mentions(items: &[String], words: &[&str]) -> Option<String> {
    items.iter().find_map(|item| {
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

/// An athlete's profile exposures (None = the profile does not say) and the words behind them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProfileExposures {
    pub history: Option<f64>,
    pub medication: Option<f64>,
    pub nerve_circulation: Option<f64>,
    pub family: Option<f64>,
    pub tight_hamstrings: Option<f64>,
    pub male: Option<f64>,
    /// What the predisposition rests on, e.g. "frequent cramps, diuretic (furosemide)".
    pub detail: String,
}

/// The profile terms' exposures. Cramp history enters by its category's published odds ratio
/// relative to the term's (frequent = 1); medicines by the log of the product of their classes'
/// ratios relative to the term's (LABA = 1). A field the profile leaves out is unknown.
pub fn profile_exposures(v: &ProfileValues, m: &Model) -> ProfileExposures {
    let mut words = Vec::new();
    let history_or = m.term(TermId::History).odds_ratio;
    let history = v.cramp_history.map(|h| match h {
        CrampHistory::None => {
            words.push("no cramp history".to_string());
            0.0
        }
        CrampHistory::Occasional => {
            words.push("occasional cramps".to_string());
            OCCASIONAL_HISTORY_OR.ln() / history_or.ln()
        }
        CrampHistory::Frequent => {
            words.push("frequent cramps".to_string());
            1.0
        }
    });
    let medication = v.medications.as_ref().map(|meds| {
        let classes: [(&[&str], usize); 4] = [
            (&LONG_ACTING_BETA_AGONISTS, 0),
            (&POTASSIUM_SPARING, 1),
            (&DIURETICS, 2),
            (&STATINS, 3),
        ];
        let mut log_or = 0.0;
        for (list, k) in classes {
            if let Some(found) = mentions(meds, list) {
                let (class, ratio) = MEDICATION_RATIOS[k];
                log_or += ratio.ln();
                words.push(format!("{class} ({found})"));
            }
        }
        log_or / m.term(TermId::Medication).odds_ratio.ln()
    });
    let nerve_circulation =
        v.conditions
            .as_ref()
            .map(|c| match mentions(c, &NERVE_OR_CIRCULATION) {
                Some(found) => {
                    words.push(found);
                    1.0
                }
                None => 0.0,
            });
    let flag = |b: Option<bool>, text: &str, words: &mut Vec<String>| {
        b.map(|yes| {
            if yes {
                words.push(text.to_string());
                1.0
            } else {
                0.0
            }
        })
    };
    let family = flag(v.family_history, "family tendency", &mut words);
    let tight_hamstrings = flag(v.tight_hamstrings, "tight hamstrings", &mut words);
    let male = v.sex.map(|s| if s == Sex::Male { 1.0 } else { 0.0 });
    ProfileExposures {
        history,
        medication,
        nerve_circulation,
        family,
        tight_hamstrings,
        male,
        detail: words.join(", "),
    }
}

/// The athlete-frame columns of the profile exposures, one value per athlete.
pub fn profile_columns(values: &[&ProfileValues], m: &Model) -> Vec<Column> {
    let ex: Vec<ProfileExposures> = values.iter().map(|v| profile_exposures(v, m)).collect();
    let col_of = |name: String, f: fn(&ProfileExposures) -> Option<f64>| {
        Column::new(name.into(), ex.iter().map(f).collect::<Vec<_>>())
    };
    vec![
        col_of(TermId::History.x_col(), |e| e.history),
        col_of(TermId::Medication.x_col(), |e| e.medication),
        col_of(TermId::NerveCirculation.x_col(), |e| e.nerve_circulation),
        col_of(TermId::Family.x_col(), |e| e.family),
        col_of(TermId::TightHamstrings.x_col(), |e| e.tight_hamstrings),
        col_of("male_profile".to_string(), |e| e.male),
        Column::new(
            "predisposition_detail".into(),
            ex.iter().map(|e| e.detail.clone()).collect::<Vec<_>>(),
        ),
        Column::new(
            "birth_year".into(),
            values.iter().map(|v| v.birth_year).collect::<Vec<_>>(),
        ),
    ]
}

fn null_f64() -> Expr {
    lit(NULL).cast(DataType::Float64)
}

/// Whether the day has a session that is exercise (not stretching, yoga or mobility alone).
pub fn exercise_day() -> Expr {
    col("exercise_sessions").gt(lit(0))
}

/// The model's parameters the windows over earlier days use (`measures::history`).
fn history_params(m: &Model) -> HistoryParams {
    let p = &m.params;
    HistoryParams {
        streak_min_intensity: p.streak_min_intensity,
        hot_day_wbgt_c: p.hot_day_wbgt_c,
        acclimatisation_window_days: p.acclimatisation_window_days,
        stretch_window_days: p.stretch_window_days,
        usual_window_days: p.usual_window_days,
        usual_min_days: p.usual_min_days,
    }
}

/// Intermediate columns the exposures share besides the windows: the athlete's age and the
/// day's deficit as % of body mass (a measured mass loss overrides the estimate).
fn context_columns() -> Vec<Expr> {
    vec![
        (col(s::DATE).dt().year() - col("birth_year")).alias("age"),
        coalesce(&[
            col("mass_loss_pct"),
            (-col(s::FLUID_BALANCE_ML)).clip_min(lit(0.0)) / (lit(10.0) * col(s::BODY_MASS_KG)),
        ])
        .alias("deficit_pct"),
    ]
}

/// The deficit's exposure 2d/(d + u): 1 at the unit deficit u (ACSM's 2 %), rising ever more
/// slowly towards 2 — the studies found no body-mass difference between crampers and others,
/// so a large deficit must not outweigh the factors that were found (docs/model.md).
fn deficit_exposure(deficit_pct: Expr, unit_pct: f64) -> Expr {
    lit(2.0) * deficit_pct.clone() / (deficit_pct + lit(unit_pct))
}

fn log2_1p(x: Expr) -> Expr {
    x.log1p() / lit(std::f64::consts::LN_2)
}

/// A term's exposure on each day (null where its inputs are unknown). Exercise terms are a
/// known 0 on days without exercise.
fn exposure(id: TermId, m: &Model) -> Expr {
    let p = &m.params;
    let ex = exercise_day();
    let on_exercise = |e: Expr| when(ex.clone()).then(e).otherwise(lit(0.0));
    let flag = |b: Expr| b.cast(DataType::Float64);
    let hard = ex
        .clone()
        .and(col("hardest_intensity").gt_eq(lit(p.hard_intensity)));
    let outdoor = ex.clone().and(col("outdoor_sessions").gt(lit(0)));
    match id {
        TermId::Intensity => on_exercise(
            ((col("hardest_known_intensity") - col("usual_intensity")) / lit(p.intensity_step))
                .clip_min(lit(0.0)),
        ),
        TermId::Duration => on_exercise(
            (col("longest_session_min").clip_min(lit(p.duration_floor_min))
                / lit(p.duration_reference_min))
            .log(lit(2.0)),
        ),
        TermId::Form => on_exercise(
            ((lit(p.form_tsb_start) - col(s::TSB)) / lit(p.form_tsb_span)).clip_min(lit(0.0)),
        ),
        // Saturating: 0.5 after `streak_span_days` more days, approaching 1 — a habit of daily
        // training is not overuse without end (the load itself is in `form`).
        TermId::Streak => on_exercise(
            lit(1.0)
                - lit(2.0).pow(
                    -((col("streak_days").cast(DataType::Float64) - lit(p.streak_start_days))
                        / lit(p.streak_span_days))
                    .clip_min(lit(0.0)),
                ),
        ),
        TermId::Deficit => on_exercise(deficit_exposure(
            col("deficit_pct").clip_min(lit(0.0)),
            p.deficit_unit_pct,
        )),
        TermId::NetSodium => {
            // Intake is known only with a food log: food, not drink, is where most sodium comes
            // from, so a drinks-only intake is not a day's intake.
            let net = (col(s::SODIUM_LOSS_MG) - col(s::SODIUM_INTAKE_MG)).clip_min(lit(0.0));
            on_exercise(
                when(col("food_meals").is_not_null())
                    .then(log2_1p(net / lit(p.sodium_unit_mg)))
                    .otherwise(null_f64()),
            )
        }
        TermId::Wbgt => {
            let acclimatised =
                (col("hot_days_before") / lit(p.acclimatised_after_days)).clip(lit(0.0), lit(1.0));
            let time =
                (col("outdoor_min") / lit(p.heat_full_exposure_min)).clip(lit(0.0), lit(1.0));
            when(outdoor)
                .then(
                    ((col("outdoor_wbgt") - lit(p.wbgt_start_c)) / lit(p.wbgt_span_c))
                        .clip_min(lit(0.0))
                        * time
                        * (lit(1.0) - lit(p.acclimatisation_relief) * acclimatised),
                )
                .otherwise(lit(0.0))
        }
        TermId::Infrequent => on_exercise(
            when(col("history_days").gt_eq(lit(p.conditioning_history_days)))
                .then(
                    ((lit(p.sessions_per_week_ok) - col("sessions_per_week"))
                        / lit(p.sessions_per_week_span))
                    .clip_min(lit(0.0)),
                )
                .otherwise(null_f64()),
        ),
        TermId::NewSport => on_exercise(
            when(col("history_days").gt(lit(p.unseen_days)))
                .then(flag(col("sport_gap_days").gt(lit(p.unseen_days as i32))))
                .otherwise(null_f64()),
        ),
        TermId::ShortWarmup => when(hard)
            .then(flag(col("hardest_warmup_min").lt(lit(p.min_warmup_min))))
            .otherwise(lit(0.0)),
        TermId::NoStretching => when(hard)
            .then(flag(col("stretch_before").eq(lit(0.0))))
            .otherwise(lit(0.0)),
        TermId::Sedentary => ((col(s::SEDENTARY_MIN) - lit(p.sedentary_start_min))
            / lit(p.sedentary_span_min))
        .clip_min(lit(0.0)),
        TermId::Cold => when(outdoor)
            .then(
                ((lit(p.cold_start_c) - col("outdoor_apparent_c")) / lit(p.cold_span_c))
                    .clip_min(lit(0.0)),
            )
            .otherwise(lit(0.0)),
        TermId::History
        | TermId::Medication
        | TermId::NerveCirculation
        | TermId::Family
        | TermId::TightHamstrings => col(id.x_col()),
        TermId::Age => flag(col("age").gt(lit(p.age_over))),
        TermId::Male => on_exercise(col("male_profile")),
    }
}

/// Which value stands in for an unknown exposure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Imputed {
    Prior,
    Low,
    High,
}

/// The value an unknown exposure is taken at: the term's prior (or, for deficit and net
/// sodium, the exposure of the prior share of the day's fluid need or sweat sodium not
/// replaced — for the deficit the athlete's own typical share when known), low or high.
fn imputed(id: TermId, m: &Model, which: Imputed) -> Expr {
    let t = m.term(id);
    let p = &m.params;
    let v = match which {
        Imputed::Prior => t.prior,
        Imputed::Low => t.low,
        Imputed::High => t.high,
    }
    .unwrap_or(0.0);
    if !id.imputed_from_sweat() {
        return lit(v);
    }
    // The athlete's own typical share (deficit only) replaces the prior, and widens the
    // range when it lies outside it, so the estimate is always within [low, high].
    let own = if id == TermId::Deficit {
        col("own_unreplaced_share")
    } else {
        null_f64()
    };
    let share = match which {
        Imputed::Prior => own.fill_null(lit(v)),
        Imputed::Low => when(own.clone().lt(lit(v))).then(own).otherwise(lit(v)),
        Imputed::High => when(own.clone().gt(lit(v))).then(own).otherwise(lit(v)),
    };
    let need_ml = col(s::FLUID_NEED_ML).fill_null(lit(0.0));
    match id {
        TermId::Deficit => deficit_exposure(
            share * need_ml
                / (lit(10.0) * col(s::BODY_MASS_KG).fill_null(lit(p.default_body_mass_kg))),
            p.deficit_unit_pct,
        ),
        _ => log2_1p(share * col(s::SODIUM_LOSS_MG).fill_null(lit(0.0)) / lit(p.sodium_unit_mg)),
    }
}

/// Adds to the daily measures (each athlete's consecutive days in order, as `daily` makes
/// them) the windows over earlier days (`measures::history`), each term's exposure
/// `x_<term>`, each factor's `<factor>_or` (empty when any of its exposures is unknown) and
/// `<factor>_effect`, and `risk_pct`, `risk_low_pct`, `risk_high_pct`, `risk_band` and
/// `confidence`.
pub fn score(measures: DataFrame, m: &Model) -> PolarsResult<LazyFrame> {
    Ok(score_plan(with_history(measures, m)?.lazy(), m))
}

/// The daily measures with the windows over earlier days beside them (`measures::history`):
/// what the score's plan (`score_plan`) reads.
pub fn with_history(mut measures: DataFrame, m: &Model) -> PolarsResult<DataFrame> {
    let history = history_columns(&measures, &history_params(m))?;
    measures.hstack_mut(&history)?;
    Ok(measures)
}

/// The score's expressions on the measures with their history (`with_history`): the same for
/// every pass of a run, so `compute` makes the plan once (`reusable_plan`).
pub fn score_plan(measures: LazyFrame, m: &Model) -> LazyFrame {
    let exposures: Vec<Expr> = TermId::ALL
        .iter()
        .filter(|t| !matches!(t.factor(), FactorId::Predisposition) || *t == &TermId::Age)
        .map(|&t| exposure(t, m).alias(t.x_col()))
        .collect();
    let used = |t: TermId, which: Imputed| {
        // Exercise terms stay a known 0 on rest days, so only their own unknowns impute.
        let u = match which {
            // The exposure used, computed once (`u_<term>`, the same coalesce).
            Imputed::Prior => col(t.u_col()),
            Imputed::Low | Imputed::High => coalesce(&[col(t.x_col()), imputed(t, m, which)]),
        };
        m.coef_expr(t) * u
    };
    let sum = |es: Vec<Expr>| es.into_iter().reduce(|a, b| a + b).unwrap_or(lit(0.0));
    let (b_train, b_rest) = m.intercepts();
    let b0 = when(exercise_day())
        .then(m.per_athlete(b_train, |a| Some(a.b_train)))
        .otherwise(m.per_athlete(b_rest, |a| Some(a.b_rest)));
    let logit_of =
        |which: Imputed| b0.clone() + sum(TermId::ALL.iter().map(|&t| used(t, which)).collect());
    let mut factor_cols = Vec::new();
    for f in FactorId::ALL {
        let terms: Vec<TermId> = f.terms().collect();
        let all_known = terms
            .iter()
            .map(|t| col(t.x_col()).is_not_null())
            .reduce(|a, b| a.and(b))
            .unwrap_or(lit(true));
        let known_log_or = sum(terms
            .iter()
            .map(|&t| m.coef_expr(t) * col(t.x_col()))
            .collect());
        factor_cols.push(
            when(all_known)
                .then(known_log_or.exp())
                .otherwise(null_f64())
                .alias(f.or_col()),
        );
        factor_cols.push(
            sum(terms.iter().map(|&t| used(t, Imputed::Prior)).collect()).alias(f.effect_col()),
        );
    }
    let pct = |l: Expr| lit(100.0) / (lit(1.0) + (-l).exp());
    // Rounded once here, so the band always agrees with the printed probability.
    let round1 = |e: Expr| (e * lit(10.0)).round(0, RoundMode::HalfAwayFromZero) / lit(10.0);
    let [moderate, high, very_high] = BAND_LOWER_PCT;
    measures
        .with_columns(context_columns())
        .with_columns(exposures)
        .with_columns(
            TermId::ALL
                .iter()
                .map(|&t| {
                    coalesce(&[col(t.x_col()), imputed(t, m, Imputed::Prior)]).alias(t.u_col())
                })
                .collect::<Vec<_>>(),
        )
        .with_columns(factor_cols)
        .with_columns([
            logit_of(Imputed::Prior).alias("logit"),
            logit_of(Imputed::Low).alias("logit_low"),
            logit_of(Imputed::High).alias("logit_high"),
        ])
        .with_columns([
            round1(pct(col("logit"))).alias(s::RISK_PCT),
            round1(pct(col("logit_low"))).alias(s::RISK_LOW_PCT),
            round1(pct(col("logit_high"))).alias(s::RISK_HIGH_PCT),
            // 1 when nothing is unknown, ½ when the unknowns span 2 in log-odds (a ×7.4 odds
            // range), falling as the range widens.
            (lit(1.0) / (lit(1.0) + (col("logit_high") - col("logit_low")) / lit(2.0)))
                .alias("confidence"),
        ])
        .with_column(
            when(col(s::RISK_PCT).gt_eq(lit(very_high)))
                .then(lit(Band::VeryHigh.name()))
                .when(col(s::RISK_PCT).gt_eq(lit(high)))
                .then(lit(Band::High.name()))
                .when(col(s::RISK_PCT).gt_eq(lit(moderate)))
                .then(lit(Band::Moderate.name()))
                .otherwise(lit(Band::Low.name()))
                .alias(s::RISK_BAND),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn factor_terms_are_the_terms_of_that_factor() {
        for f in FactorId::ALL {
            let by_term: Vec<TermId> = TermId::ALL
                .into_iter()
                .filter(|t| t.factor() == f)
                .collect();
            assert_eq!(f.terms().collect::<Vec<_>>(), by_term, "{f:?}");
        }
    }

    #[test]
    fn indexes_are_places_in_all() {
        for (k, f) in FactorId::ALL.into_iter().enumerate() {
            assert_eq!(f.index(), k);
        }
        for (k, t) in TermId::ALL.into_iter().enumerate() {
            assert_eq!(t.index(), k);
        }
    }

    #[test]
    fn built_in_model_parses() {
        let m = Model::parse(DEFAULT_MODEL_TOML).unwrap();
        // logit(1 %) = ln(0.01/0.99) = −4.5951; logit(0.2 %) = ln(0.002/0.998) = −6.2126
        let (t, r) = m.intercepts();
        assert!((t - -4.5951).abs() < 1e-4, "{t}");
        assert!((r - -6.2126).abs() < 1e-4, "{r}");
    }

    /// Each coefficient is the published effect size it cites (or the documented judgement).
    #[test]
    fn coefficients_are_pinned_to_their_sources() {
        let m = Model::default();
        let or = |t: TermId| m.term(t).odds_ratio;
        // Summers 2014: history of cramping OR 10.85.
        assert_eq!(or(TermId::History), 10.85);
        // Kona medical records: dehydration OR 1.63.
        assert_eq!(or(TermId::Deficit), 1.63);
        // Garrison 2012: LABA 2.42 is the medication term's unit.
        assert_eq!(or(TermId::Medication), 2.42);
        // Kona: men 29 % vs women 22 %: (0.29/0.71)/(0.22/0.78) = 0.40845/0.28205 = 1.448.
        assert!((or(TermId::Male) - 1.448).abs() < 0.005);
        // The occasional history is Kona's OR 2.40: exposure ln 2.40/ln 10.85 = 0.8755/2.3842
        // = 0.3672, so its odds multiplier is 10.85^0.3672 = 2.40.
        let v = ProfileValues {
            cramp_history: Some(CrampHistory::Occasional),
            ..Default::default()
        };
        let x = profile_exposures(&v, &m).history.unwrap();
        assert!((x - 0.3672).abs() < 1e-4, "{x}");
        assert!((m.term(TermId::History).coef() * x - 2.40f64.ln()).abs() < 1e-12);
        // The history prior: 35 % occasional, 15 % frequent →
        // (0.35·0.8755 + 0.15·2.3842)/2.3842 = (0.3064 + 0.3576)/2.3842 = 0.2785.
        assert!((m.term(TermId::History).prior.unwrap() - 0.2785).abs() < 0.002);
        // Garrison 2012 ratios.
        assert_eq!(MEDICATION_RATIOS.map(|(_, r)| r), [2.42, 2.12, 1.47, 1.16]);
        // Judgement terms stay small (≤ 1.8) where no odds ratio exists.
        for t in [
            TermId::Intensity,
            TermId::Duration,
            TermId::Form,
            TermId::Streak,
            TermId::NetSodium,
            TermId::Wbgt,
            TermId::Infrequent,
            TermId::NewSport,
            TermId::ShortWarmup,
            TermId::NoStretching,
            TermId::Sedentary,
            TermId::Cold,
            TermId::NerveCirculation,
            TermId::Family,
            TermId::TightHamstrings,
            TermId::Age,
        ] {
            assert!(or(t) <= 1.8, "{}: {}", t.name(), or(t));
        }
    }

    /// docs/model.md's table of factors and terms lists every term in `TermId::ALL` order with
    /// the odds ratio of the built-in model file: the documentation and the model cannot drift.
    #[test]
    fn the_documented_odds_ratios_are_the_model_s() {
        let doc = include_str!("../docs/model.md");
        let table = doc
            .split("### Factors and terms")
            .nth(1)
            .and_then(|t| t.split("\n\n|").nth(1))
            .expect("the table of factors and terms");
        let rows: Vec<&str> = table
            .lines()
            .skip(2)
            .take_while(|l| l.starts_with('|'))
            .collect();
        assert_eq!(rows.len(), TermId::ALL.len());
        let m = Model::default();
        for (row, id) in rows.iter().zip(TermId::ALL) {
            let cells: Vec<&str> = row.split('|').map(str::trim).collect();
            let documented: f64 = cells[4]
                .split_whitespace()
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("no odds ratio in {row}"));
            assert!(
                cells[1].starts_with(&format!("`{}`", id.factor().name())),
                "{row}"
            );
            assert_eq!(documented, m.term(id).odds_ratio, "{}: {row}", id.name());
        }
    }

    #[test]
    fn medication_exposure_is_the_product_of_the_classes_ratios() {
        let m = Model::default();
        let v = ProfileValues {
            medications: Some(vec!["Furosemide 40 mg".into(), "salbutamol".into()]),
            ..Default::default()
        };
        let e = profile_exposures(&v, &m);
        // Furosemide is a diuretic (1.47); salbutamol is short-acting, not counted:
        // x = ln 1.47 / ln 2.42 = 0.3853/0.8838 = 0.4360, so the multiplier is 1.47.
        let x = e.medication.unwrap();
        assert!((x - 0.4360).abs() < 1e-3, "{x}");
        assert_eq!(e.detail, "diuretic (Furosemide 40 mg)");
        assert_eq!(e.history, None);
        assert_eq!(
            profile_exposures(&ProfileValues::default(), &m).medication,
            None
        );
    }

    #[test]
    fn bad_models_are_refused_with_the_field_named() {
        let bad = DEFAULT_MODEL_TOML.replace("odds_ratio = 1.63", "odds_ratio = 0.5");
        let err = format!("{:#}", Model::parse(&bad).unwrap_err());
        assert!(err.contains("terms.deficit.odds_ratio"), "{err}");
        let bad = DEFAULT_MODEL_TOML.replace("training_day_pct = 1.0", "training_day_pct = 100.0");
        let err = format!("{:#}", Model::parse(&bad).unwrap_err());
        assert!(err.contains("training_day_pct"), "{err}");
        let bad = DEFAULT_MODEL_TOML.replace("[terms.cold]", "[terms.draught]");
        let err = format!("{:#}", Model::parse(&bad).unwrap_err());
        assert!(err.contains("[terms.cold] is missing"), "{err}");
    }

    #[test]
    fn bands_follow_the_documented_incidences() {
        assert_eq!(Band::of_pct(0.0), Band::Low);
        assert_eq!(Band::of_pct(4.99), Band::Low);
        assert_eq!(Band::of_pct(5.0), Band::Moderate);
        assert_eq!(Band::of_pct(20.0), Band::High);
        assert_eq!(Band::of_pct(40.0), Band::VeryHigh);
        assert_eq!(Band::parse("very_high"), Some(Band::VeryHigh));
        assert_eq!(Band::VeryHigh.name(), "very_high");
    }
}
