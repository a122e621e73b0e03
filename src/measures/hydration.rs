//! Hydration and sodium: sweat rate per session (measured, from body mass, or a per-sport
//! default raised in heat), the daily drinking need, and the sodium in sweat and drinks.
//! Figures and sources: ../shared/reference/science.md §D.

use polars::prelude::*;

use super::lookup;

/// Whole-body sweat rate by sport in L/h: Barnes et al. 2019 (J Sports Sci 37:2356) where the
/// sport was studied; swimming from Cox et al. 2002 (about 0.40–0.55 L/h in swimmers: the
/// midpoint); Baker et al. 2016's all-athlete mean (1.21 L/h) otherwise; low-intensity
/// sessions get a heuristic 0.5 L/h (no study found).
pub const SWEAT_RATE_L_PER_H: [(&str, f64); 13] = [
    ("swim", 0.48),
    ("run", 1.28),
    ("ride", 1.28),
    ("triathlon", 1.28),
    ("rowing", 1.28),
    ("american football", 1.51),
    ("soccer", 0.94),
    ("basketball", 0.95),
    ("baseball", 0.83),
    ("yoga", 0.5),
    ("stretching", 0.5),
    ("mobility", 0.5),
    ("walk", 0.5),
];
/// A drink with at most this much sodium (mg/L) counts as plain water for the electrolyte factor.
pub const PLAIN_WATER_MAX_MG_PER_L: f64 = 50.0;
/// Baker et al. 2016 whole-body mean, for sports not in the table.
pub const DEFAULT_SWEAT_RATE_L_PER_H: f64 = 1.21;
/// Baker et al. 2016 predicted whole-body sweat sodium, 35.9 mmol/L × 22.99 mg/mmol.
pub const DEFAULT_SWEAT_SODIUM_MG_PER_L: f64 = 825.0;
/// EFSA 2010 adequate intake of water from drinks (80 % of total): men 2.0 L, women 1.6 L; the
/// mean of the two when sex is unknown.
pub const BASELINE_DRINKS_ML: (f64, f64, f64) = (2000.0, 1600.0, 1800.0);
/// Heat rule for default sweat rates (a documented heuristic, no source): +5 % per °C of heat
/// index above 25 °C, at most +50 %.
pub const HEAT_RAISE: (f64, f64, f64) = (25.0, 0.05, 1.5);

/// Sodium in common drinks, mg per litre, from product labels and food tables; a drink whose
/// name matches none of these has unknown sodium.
pub const DRINK_SODIUM_MG_PER_L: [(&str, f64); 12] = [
    ("oral rehydration", 1725.0), // WHO ORS, 75 mmol/L
    ("electrolyte", 1000.0),
    ("sports drink", 450.0), // e.g. Gatorade: 160 mg per 355 ml
    ("isotonic", 450.0),
    ("milk", 430.0),
    ("beer", 40.0),
    ("juice", 10.0),
    ("coffee", 5.0),
    ("tea", 5.0),
    ("soda", 100.0),
    ("sparkling water", 50.0),
    ("water", 10.0),
];

/// The sodium default of a drink name (lowercase), by the first table entry it contains.
pub fn drink_sodium_mg_per_l(drink: &str) -> Option<f64> {
    let d = drink.to_lowercase();
    DRINK_SODIUM_MG_PER_L
        .iter()
        .find(|(name, _)| d.contains(name))
        .map(|&(_, mg)| mg)
}

/// Default sweat rate of a sport, before the heat rule.
pub fn sport_sweat_rate(sport: Expr) -> Expr {
    lookup(sport, &SWEAT_RATE_L_PER_H, DEFAULT_SWEAT_RATE_L_PER_H)
}

/// Multiplier of the heat rule; 1 when the session's heat index is unknown.
pub fn heat_multiplier(heat_index_c: Expr) -> Expr {
    let (base, per_degree, cap) = HEAT_RAISE;
    (lit(1.0) + lit(per_degree) * (heat_index_c - lit(base)).clip_min(lit(0.0)))
        .clip_max(lit(cap))
        .fill_null(lit(1.0))
}

/// Sweat rate measured by weighing: (mass before − mass after) + fluid drunk, over the session's
/// hours (urine is not logged and taken as 0). Null unless all three are known.
pub fn measured_sweat_rate(before_kg: Expr, after_kg: Expr, fluid_ml: Expr, minutes: Expr) -> Expr {
    let litres = (before_kg - after_kg) + fluid_ml / lit(1000.0);
    (litres / (minutes / lit(60.0))).clip_min(lit(0.0))
}

/// A session's sweat rate (L/h): the session weighed before and after (ACSM's method: this
/// session, these conditions); else the profile's rate (a typical figure); else the sport
/// default raised by the heat rule (`heat_index_c` null for indoor sessions).
pub fn sweat_rate(profile_rate: Expr, weighed_rate: Expr, sport: Expr, heat_index_c: Expr) -> Expr {
    let default = sport_sweat_rate(sport) * heat_multiplier(heat_index_c);
    coalesce(&[weighed_rate, profile_rate, default])
}

/// The baseline drinking need of a day without exercise, by sex (`female` may be null).
pub fn baseline_need_ml(female: Expr) -> Expr {
    let (men, women, unknown) = BASELINE_DRINKS_ML;
    when(female.clone().is_null())
        .then(lit(unknown))
        .when(female)
        .then(lit(women))
        .otherwise(lit(men))
}

/// A day's sodium intake (mg) from its drinks and its food log. A log that exists is taken
/// as complete: drinks + food when both were logged, the one logged otherwise, unknown when
/// neither was. A logged part whose sodium is unknown (a drink of unknown sodium, a meal with
/// an empty sodium cell) makes the sum unknown — never a smaller known number.
pub fn day_sodium_intake(
    drinks_logged: Expr,
    drinks_mg: Expr,
    food_logged: Expr,
    food_mg: Expr,
) -> Expr {
    when(drinks_logged.clone().and(food_logged.clone()))
        .then(drinks_mg.clone() + food_mg.clone())
        .when(food_logged)
        .then(food_mg)
        .when(drinks_logged)
        .then(drinks_mg)
        .otherwise(lit(NULL).cast(DataType::Float64))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measures::testing::{close, eval};

    #[test]
    fn drink_names_map_to_sodium() {
        assert_eq!(drink_sodium_mg_per_l("Sports drink"), Some(450.0));
        assert_eq!(drink_sodium_mg_per_l("electrolyte tabs"), Some(1000.0));
        assert_eq!(drink_sodium_mg_per_l("sparkling water"), Some(50.0));
        assert_eq!(drink_sodium_mg_per_l("kombucha"), None);
    }

    #[test]
    fn sweat_rate_prefers_weighing_then_profile_then_sport() {
        let df = df!(
            "profile" => [Some(1.4), None, None, None],
            "before" => [Some(70.0), Some(70.0), None, None],
            "after" => [Some(69.0), Some(69.0), None, None],
            "fluid" => [Some(500.0), Some(500.0), None, None],
            "min" => [90.0, 90.0, 60.0, 60.0],
            "sport" => ["run", "run", "soccer", "run"],
            "hi" => [Some(35.0), Some(35.0), None, Some(35.0)],
        )
        .unwrap();
        let weighed = measured_sweat_rate(col("before"), col("after"), col("fluid"), col("min"));
        let rate = sweat_rate(col("profile"), weighed, col("sport"), col("hi"));
        let got = eval(df, rate);
        close(got[0], 1.0, 1e-9); // weighed: 1 kg + 0.5 L over 1.5 h, the profile's 1.4 loses
        close(got[1], 1.0, 1e-9); // 1 kg + 0.5 L over 1.5 h
        close(got[2], 0.94, 1e-9); // soccer, heat unknown → no raise
        close(got[3], 1.28 * 1.5, 1e-9); // HI 35 °C: +50 % (cap)
    }

    #[test]
    fn baseline_need_by_sex() {
        let df = df!("f" => [Some(false), Some(true), None]).unwrap();
        assert_eq!(
            eval(df, baseline_need_ml(col("f"))),
            vec![Some(2000.0), Some(1600.0), Some(1800.0)]
        );
    }

    #[test]
    fn sodium_intake_adds_food_only_where_logged() {
        // Rows: both logged; drinks only; food only; neither; food logged with an unknown
        // meal; drinks logged with an unknown drink.
        let df = df!(
            "drinks" => [true, true, false, false, true, true],
            "drinks_mg" => [Some(230.0), Some(230.0), None, None, Some(230.0), None],
            "food" => [true, false, true, false, true, true],
            "food_mg" => [Some(1930.0), None, Some(1200.0), None, None, Some(1930.0)],
        )
        .unwrap();
        let got = eval(
            df,
            day_sodium_intake(col("drinks"), col("drinks_mg"), col("food"), col("food_mg")),
        );
        assert_eq!(
            got,
            vec![Some(2160.0), Some(230.0), Some(1200.0), None, None, None]
        );
    }
}
