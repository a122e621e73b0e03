//! Properties of the score (proptest): raising any factor's input never lowers the score, and
//! an input made unknown removes exactly its factor's points, lowers the confidence by its
//! weight, and leaves every other factor as it was.

use cramprisk::scoring::{score, FactorId, Model};
use polars::prelude::*;
use proptest::prelude::*;

const DAYS: usize = 30;

/// One day's measure values; the frame repeats it for 30 days so that history-based factors
/// are known on the last day, which is the one checked.
#[derive(Debug, Clone)]
struct Day {
    load: f64,
    ctl: f64,
    tsb: f64,
    acwr: f64,
    heat_index_c: f64,
    duration_min: f64,
    fluid_balance_ml: f64,
    sodium_loss_mg: f64,
    sodium_intake_mg: f64,
    plain_water_ml: f64,
    fluid_intake_ml: f64,
    sweat_loss_ml: f64,
    sedentary_min: f64,
    outdoor_apparent_c: f64,
    predisposition_base: f64,
}

/// The three groups of drawn values.
type Draw = (
    (f64, f64, f64, f64, f64),
    (f64, f64, f64, f64, f64),
    (f64, f64, f64, f64),
);

fn day_strategy() -> impl Strategy<Value = Day> {
    (
        (0.0..400.0, 1.0..150.0, -80.0..30.0, 0.3..3.0, 10.0..50.0),
        (
            1.0..300.0,
            -6000.0..2000.0,
            0.0..6000.0,
            0.0..6000.0,
            0.0..4000.0,
        ),
        (0.0..6000.0, 0.0..1200.0, -15.0..30.0, 0.0..1.0),
    )
        .prop_map(
            |(
                (load, ctl, tsb, acwr, hi),
                (dur, bal, na_loss, na_in, plain),
                (sweat, sed, at, pre),
            ): Draw| Day {
                load,
                ctl,
                tsb,
                acwr,
                heat_index_c: hi,
                duration_min: dur,
                fluid_balance_ml: bal,
                sodium_loss_mg: na_loss,
                sodium_intake_mg: na_in,
                plain_water_ml: plain.min(4000.0),
                fluid_intake_ml: 4000.0,
                sweat_loss_ml: sweat,
                sedentary_min: sed,
                outdoor_apparent_c: at,
                predisposition_base: pre,
            },
        )
}

/// The scored last day for `d`, with column `null_col` (if any) unknown on that day.
fn scored(d: &Day, null_cols: &[&str]) -> DataFrame {
    let n = DAYS;
    let last = |name: &str, v: f64| -> Column {
        let mut vals: Vec<Option<f64>> = vec![Some(v); n];
        if null_cols.contains(&name) {
            vals[n - 1] = None;
        }
        Column::new(name.into(), vals)
    };
    let dates: Vec<i32> = (0..n as i32).map(|i| 20000 + i).collect();
    let df = DataFrame::new_infer_height(vec![
        Column::new("athlete".into(), vec!["x"; n]),
        Series::new("date".into(), dates)
            .cast(&DataType::Date)
            .unwrap()
            .into(),
        Column::new("sessions".into(), vec![1i32; n]),
        Column::new("stretch_sessions".into(), vec![0i32; n]),
        Column::new("outdoor_sessions".into(), vec![1i32; n]),
        Column::new("birth_year".into(), vec![Some(1990i32); n]),
        Column::new("mass_loss_pct".into(), vec![None::<f64>; n]),
        Column::new("body_mass_kg".into(), vec![70.0; n]),
        Column::new("longest_session_min".into(), vec![d.duration_min; n]),
        Column::new("hardest_intensity".into(), vec![0.8; n]),
        Column::new("hardest_warmup_min".into(), vec![5.0; n]),
        Column::new("sport_gap_days".into(), vec![3i32; n]),
        last("load", d.load),
        last("ctl", d.ctl),
        last("tsb", d.tsb),
        last("acwr", d.acwr),
        last("heat_index_c", d.heat_index_c),
        last("duration_min", d.duration_min),
        last("fluid_balance_ml", d.fluid_balance_ml),
        last("sodium_loss_mg", d.sodium_loss_mg),
        last("sodium_intake_mg", d.sodium_intake_mg),
        last("plain_water_ml", d.plain_water_ml),
        last("fluid_intake_ml", d.fluid_intake_ml),
        last("sweat_loss_ml", d.sweat_loss_ml),
        last("sedentary_min", d.sedentary_min),
        last("outdoor_apparent_c", d.outdoor_apparent_c),
        last("predisposition_base", d.predisposition_base),
    ])
    .unwrap();
    score(df.lazy(), &Model::default())
        .unwrap()
        .collect()
        .unwrap()
        .tail(Some(1))
}

fn num(df: &DataFrame, c: &str) -> Option<f64> {
    df.column(c)
        .unwrap()
        .cast(&DataType::Float64)
        .unwrap()
        .f64()
        .unwrap()
        .get(0)
}

/// Each input, the direction that adds risk, and the factor it feeds.
const RAISES: [(&str, f64, FactorId); 8] = [
    ("acwr", 0.3, FactorId::Exertion),
    ("tsb", -10.0, FactorId::Fatigue),
    ("fluid_balance_ml", -500.0, FactorId::Dehydration),
    ("sodium_loss_mg", 400.0, FactorId::Electrolytes),
    ("heat_index_c", 3.0, FactorId::Heat),
    ("sedentary_min", 60.0, FactorId::StaticPosture),
    ("outdoor_apparent_c", -4.0, FactorId::Cold),
    ("predisposition_base", 0.1, FactorId::Predisposition),
];

/// The inputs that, made unknown, leave a factor with nothing to go on. (Fatigue and warm-up
/// are always known from the training log itself.)
const UNKNOWNS: [(&[&str], FactorId); 7] = [
    (&["acwr", "load"], FactorId::Exertion),
    (&["fluid_balance_ml"], FactorId::Dehydration),
    (
        &["sodium_intake_mg", "fluid_intake_ml"],
        FactorId::Electrolytes,
    ),
    (&["heat_index_c"], FactorId::Heat),
    (&["sedentary_min"], FactorId::StaticPosture),
    (&["outdoor_apparent_c"], FactorId::Cold),
    (&["predisposition_base"], FactorId::Predisposition),
];

fn raised(d: &Day, input: &str, by: f64) -> Day {
    let mut r = d.clone();
    match input {
        "acwr" => r.acwr += by,
        "tsb" => r.tsb += by,
        "fluid_balance_ml" => r.fluid_balance_ml += by,
        "sodium_loss_mg" => r.sodium_loss_mg += by,
        "heat_index_c" => r.heat_index_c += by,
        "sedentary_min" => r.sedentary_min += by,
        "outdoor_apparent_c" => r.outdoor_apparent_c += by,
        "predisposition_base" => r.predisposition_base = (r.predisposition_base + by).min(1.0),
        other => panic!("{other}"),
    }
    r
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn raising_a_factor_never_lowers_the_score(d in day_strategy(), which in 0usize..RAISES.len()) {
        let (input, by, factor) = RAISES[which];
        let before = scored(&d, &[]);
        let after = scored(&raised(&d, input, by), &[]);
        let (s0, s1) = (num(&before, "risk_score").unwrap(), num(&after, "risk_score").unwrap());
        prop_assert!(s1 >= s0, "{input} +{by}: {s0} → {s1}");
        let (f0, f1) = (num(&before, &factor.score_col()).unwrap(), num(&after, &factor.score_col()).unwrap());
        prop_assert!(f1 >= f0, "{}: {f0} → {f1}", factor.name());
        let total: f64 = FactorId::ALL.iter().map(|id| num(&after, &id.pts_col()).unwrap_or(0.0)).sum();
        prop_assert!((total - s1).abs() <= 0.05 + 1e-9, "points {total} vs score {s1}");
        prop_assert!((0.0..=100.0).contains(&s1));
    }

    #[test]
    fn an_unknown_input_removes_only_its_factor(d in day_strategy(), which in 0usize..UNKNOWNS.len()) {
        let (inputs, factor) = UNKNOWNS[which];
        let known = scored(&d, &[]);
        let unknown = scored(&d, inputs);
        prop_assert_eq!(num(&unknown, &factor.score_col()), None, "{} should be unknown", factor.name());
        let w = Model::default().weight(factor);
        let c0 = num(&known, "confidence").unwrap();
        let c1 = num(&unknown, "confidence").unwrap();
        prop_assert!((c0 - c1 - w / 100.0).abs() < 1e-9, "confidence {c0} → {c1}");
        for id in FactorId::ALL.iter().filter(|id| **id != factor) {
            prop_assert_eq!(num(&known, &id.pts_col()), num(&unknown, &id.pts_col()), "{}", id.name());
        }
        let lost = num(&known, &factor.pts_col()).unwrap();
        let s0 = num(&known, "risk_score").unwrap();
        let s1 = num(&unknown, "risk_score").unwrap();
        prop_assert!((s0 - lost - s1).abs() <= 0.1 + 1e-9, "{s0} − {lost} ≠ {s1}");
    }
}

#[test]
fn acsm_two_percent_line_is_the_middle_of_the_dehydration_ramp() {
    // 70 kg: a 1400 ml deficit is 2.0 % of body mass (ACSM 2007's "> 2 %" line) → 0.5;
    // 700 ml (1 %) → 0; 2100 ml (3 %) → 1.
    let base = Day {
        load: 100.0,
        ctl: 50.0,
        tsb: 0.0,
        acwr: 1.0,
        heat_index_c: 20.0,
        duration_min: 60.0,
        fluid_balance_ml: 0.0,
        sodium_loss_mg: 0.0,
        sodium_intake_mg: 0.0,
        plain_water_ml: 0.0,
        fluid_intake_ml: 4000.0,
        sweat_loss_ml: 0.0,
        sedentary_min: 0.0,
        outdoor_apparent_c: 20.0,
        predisposition_base: 0.0,
    };
    for (balance, want) in [(-700.0, 0.0), (-1400.0, 0.5), (-2100.0, 1.0), (500.0, 0.0)] {
        let d = Day {
            fluid_balance_ml: balance,
            ..base.clone()
        };
        let got = num(&scored(&d, &[]), "dehydration_score").unwrap();
        assert!((got - want).abs() < 1e-9, "{balance} ml: {got} ≠ {want}");
    }
}
