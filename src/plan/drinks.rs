//! The drink and sodium plan of one planned session, from its predicted sweat loss (the
//! model's sweat rate in the forecast conditions) and the athlete's body mass and sweat
//! sodium. Pure arithmetic; the rules and their sources are in docs/planning.md.

use crate::measures::hydration::DEFAULT_SWEAT_SODIUM_MG_PER_L;

/// ACSM 2007 (Sawka et al.): drink about 5–7 ml per kg body mass at least 4 h before
/// exercise (and 3–5 ml/kg more about 2 h before if no urine is produced): the middle.
pub const BEFORE_ML_PER_KG: f64 = 6.0;
/// ACSM 2007: the goal during exercise is to keep the body-mass loss from sweating under 2 %;
/// drinking more than that is not needed, and more than sweat loss causes hyponatraemia
/// (Hew-Butler et al. 2015).
pub const ALLOWED_LOSS_FRACTION: f64 = 0.02;
/// With the body mass unknown, the allowance of a light (50 kg) athlete: the smaller
/// allowance, so the plan never leaves a heavier athlete further behind than 2 %.
pub const UNKNOWN_MASS_KG: f64 = 50.0;
/// ACSM 2007 (Shirreffs et al.): after exercise drink about 1.5 L per kg of body mass still
/// lost, with sodium.
pub const AFTER_ML_PER_ML_LOST: f64 = 1.5;

/// What the plan rests on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DrinkInputs {
    /// Predicted sweat loss of the session, ml.
    pub sweat_ml: f64,
    pub duration_min: f64,
    pub body_mass_kg: Option<f64>,
    /// The athlete's sweat-test sodium, mg/L (`None`: the default is used and said).
    pub sweat_sodium_mg_per_l: Option<f64>,
}

/// The plan.
#[derive(Debug, Clone, PartialEq)]
pub struct DrinkPlan {
    pub sweat_ml_per_h: f64,
    /// 2–4 h before the start; unknown without a body mass.
    pub before_ml: Option<f64>,
    pub during_ml_per_h: f64,
    pub sodium_during_mg_per_h: f64,
    pub after_ml: f64,
    pub sodium_after_mg: f64,
    /// "sweat test" or "default 825 mg/L (Baker et al. 2016)".
    pub sodium_source: String,
    pub note: String,
}

/// The drink plan of a session. During: the sweat loss beyond 2 % of body mass, spread over
/// the session, so the fluid per hour is never above the sweat loss per hour; sodium in the
/// same proportion as the sweat's. After: 1.5× the fluid still lost, with its sodium.
pub fn drink_plan(x: &DrinkInputs) -> DrinkPlan {
    let hours = (x.duration_min / 60.0).max(1.0 / 60.0);
    let sweat_ml = x.sweat_ml.max(0.0);
    let sweat_ml_per_h = sweat_ml / hours;
    let mass = x.body_mass_kg.unwrap_or(UNKNOWN_MASS_KG);
    let allowance_ml = ALLOWED_LOSS_FRACTION * mass * 1000.0;
    let during_total = (sweat_ml - allowance_ml).max(0.0);
    let during_ml_per_h = (during_total / hours).min(sweat_ml_per_h);
    let (sodium, sodium_source) = match x.sweat_sodium_mg_per_l {
        Some(na) => (na, "sweat test".to_string()),
        None => (
            DEFAULT_SWEAT_SODIUM_MG_PER_L,
            format!(
                "default {DEFAULT_SWEAT_SODIUM_MG_PER_L:.0} mg/L (Baker et al. 2016), no sweat test"
            ),
        ),
    };
    let still_lost = sweat_ml - during_ml_per_h * hours;
    let mut note = Vec::new();
    if during_ml_per_h == 0.0 {
        note.push("loss under 2 % of body mass: drink to thirst during".to_string());
    }
    if x.body_mass_kg.is_none() {
        note.push(format!(
            "body mass unknown: before {:.0}–{:.0} ml per kg, during with a {UNKNOWN_MASS_KG:.0} kg allowance",
            BEFORE_ML_PER_KG - 1.0,
            BEFORE_ML_PER_KG + 1.0
        ));
    }
    DrinkPlan {
        sweat_ml_per_h,
        before_ml: x.body_mass_kg.map(|m| BEFORE_ML_PER_KG * m),
        during_ml_per_h,
        sodium_during_mg_per_h: during_ml_per_h / 1000.0 * sodium,
        after_ml: AFTER_ML_PER_ML_LOST * still_lost,
        sodium_after_mg: still_lost / 1000.0 * sodium,
        sodium_source,
        note: note.join("; "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hot_long_run() {
        // 2 h at 1.4 L/h = 2800 ml; 58 kg → 2 % = 1160 ml may stay lost; 1640 ml over 2 h
        // = 820 ml/h (below the 1400 ml/h sweated); sodium 0.82 L/h × 1100 mg/L = 902 mg/h;
        // still lost 1160 ml → after 1740 ml and 1276 mg; before 6 × 58 = 348 ml.
        let p = drink_plan(&DrinkInputs {
            sweat_ml: 2800.0,
            duration_min: 120.0,
            body_mass_kg: Some(58.0),
            sweat_sodium_mg_per_l: Some(1100.0),
        });
        assert!((p.during_ml_per_h - 820.0).abs() < 1e-9);
        assert!((p.sodium_during_mg_per_h - 902.0).abs() < 1e-9);
        assert!((p.after_ml - 1740.0).abs() < 1e-9);
        assert!((p.sodium_after_mg - 1276.0).abs() < 1e-9);
        assert_eq!(p.before_ml, Some(348.0));
        assert_eq!(p.sodium_source, "sweat test");
    }

    #[test]
    fn never_more_than_sweat_loss_and_says_the_default() {
        for sweat in [0.0, 100.0, 900.0, 3000.0, 9000.0] {
            for minutes in [20.0, 60.0, 240.0] {
                for mass in [None, Some(45.0), Some(100.0)] {
                    let p = drink_plan(&DrinkInputs {
                        sweat_ml: sweat,
                        duration_min: minutes,
                        body_mass_kg: mass,
                        sweat_sodium_mg_per_l: None,
                    });
                    assert!(p.during_ml_per_h <= p.sweat_ml_per_h + 1e-9);
                    assert!(p.during_ml_per_h * minutes / 60.0 <= sweat + 1e-9);
                    assert!(p.sodium_source.starts_with("default 825"));
                }
            }
        }
    }
}
