//! Athletes: names, profiles (what goes into `athletes.toml`), the hidden habits that drive their
//! data, and the scripted demo roles.

use super::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Sex {
    Female,
    Male,
}

impl Sex {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Sex::Female => "female",
            Sex::Male => "male",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Sport {
    Run,
    Ride,
    Swim,
    Soccer,
    Strength,
    Yoga,
    Walk,
}

impl Sport {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Sport::Run => "run",
            Sport::Ride => "ride",
            Sport::Swim => "swim",
            Sport::Soccer => "soccer",
            Sport::Strength => "strength",
            Sport::Yoga => "yoga",
            Sport::Walk => "walk",
        }
    }

    pub(super) fn has_distance(self) -> bool {
        matches!(self, Sport::Run | Sport::Ride | Sport::Swim | Sport::Walk)
    }

    pub(super) fn endurance(self) -> bool {
        matches!(self, Sport::Run | Sport::Ride | Sport::Swim)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Easy,
    Recovery,
    Tempo,
    Intervals,
    Long,
    Training,
    Match,
    Gym,
    Mobility,
    Stroll,
    Camp,
    Novice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Slot {
    Morning,
    Evening,
    Mixed,
}

/// Short first names (a to z), their sex and a surname for the alias.
pub(super) const NAMES: [(&str, Sex, &str); 26] = [
    ("ana", Sex::Female, "Lopez"),
    ("ben", Sex::Male, "Carter"),
    ("chloe", Sex::Female, "Dubois"),
    ("dev", Sex::Male, "Patel"),
    ("emma", Sex::Female, "Novak"),
    ("femi", Sex::Male, "Adeyemi"),
    ("gus", Sex::Male, "Berg"),
    ("hana", Sex::Female, "Sato"),
    ("ivan", Sex::Male, "Petrov"),
    ("jo", Sex::Female, "Walsh"),
    ("kai", Sex::Male, "Kahale"),
    ("lena", Sex::Female, "Fischer"),
    ("milo", Sex::Male, "Rossi"),
    ("nora", Sex::Female, "Haugen"),
    ("omar", Sex::Male, "Haddad"),
    ("pia", Sex::Female, "Moreau"),
    ("quinn", Sex::Female, "Byrne"),
    ("rosa", Sex::Female, "Vidal"),
    ("sam", Sex::Male, "Okafor"),
    ("tara", Sex::Female, "Singh"),
    ("uma", Sex::Female, "Rahman"),
    ("vik", Sex::Male, "Kumar"),
    ("wes", Sex::Male, "Owens"),
    ("xiu", Sex::Female, "Li"),
    ("yara", Sex::Female, "Cohen"),
    ("zoe", Sex::Female, "Martin"),
];

/// Name of athlete `i`: the fixed list, then `athlete0027` style.
pub(super) fn athlete_name(i: usize) -> String {
    match NAMES.get(i) {
        Some((name, _, _)) => (*name).to_string(),
        None => format!("athlete{:04}", i + 1),
    }
}

/// A profile (what goes into athletes.toml) plus the hidden habits that drive the data.
#[derive(Debug, Clone)]
pub(super) struct Athlete {
    pub(super) index: usize,
    pub(super) name: String,
    pub(super) aliases: Vec<String>,
    pub(super) about: String,
    pub(super) sex: Sex,
    pub(super) birth_year: i32,
    pub(super) mass: f64,
    pub(super) hr_rest: u32,
    pub(super) hr_max: u32,
    pub(super) profile_hr: bool,
    pub(super) sweat_rate: f64,
    pub(super) profile_sweat_rate: bool,
    pub(super) sweat_sodium: u32,
    pub(super) profile_sodium: bool,
    pub(super) cramp: &'static str,
    /// `None`: the key is absent.
    pub(super) medications: Option<Vec<&'static str>>,
    pub(super) conditions: Option<Vec<&'static str>>,
    pub(super) family_history: bool,
    pub(super) tight_hamstrings: bool,
    pub(super) loc: Loc,
    // Training habits.
    pub(super) main: Sport,
    pub(super) per_week: u32,
    pub(super) slot: Slot,
    pub(super) fitness: f64,
    pub(super) has_hr: bool,
    pub(super) logs_rpe: bool,
    pub(super) logs_warmup: bool,
    pub(super) weigh_rate: f64,
    pub(super) load_rate: f64,
    pub(super) duration_decimal: bool,
    pub(super) yoga: bool,
    pub(super) walks: bool,
    pub(super) gym_extra: bool,
    pub(super) doubles: f64,
    pub(super) heat_early: bool,
    pub(super) camp: bool,
    pub(super) new_sport: Option<Sport>,
    // Watch and drinking habits.
    pub(super) has_watch: bool,
    pub(super) steps_base: f64,
    pub(super) sedentary_base: f64,
    pub(super) sleep_base: f64,
    pub(super) logs_fluids: bool,
    pub(super) under_drinker: bool,
    pub(super) sports_drink: bool,
    pub(super) electrolytes: bool,
    pub(super) electrolyte_mg_per_l: f64,
    pub(super) coffee: bool,
    pub(super) milk: bool,
}

impl Athlete {
    pub(super) fn new(index: usize, opts: &GenerateOptions) -> Self {
        let mut rng = sub_rng(opts.seed, STREAM_PROFILE, index as u64);
        let year = opts.start.year();
        let (sex, alias) = match NAMES.get(index) {
            Some((name, sex, surname)) => {
                let mut cap = name.to_string();
                if let Some(first) = cap.get_mut(0..1) {
                    first.make_ascii_uppercase();
                }
                (*sex, Some(format!("{cap} {surname}")))
            }
            None => (if rng.bool() { Sex::Female } else { Sex::Male }, None),
        };
        let age = rng.u32(20..=55);
        let mass = match sex {
            Sex::Female => uniform(&mut rng, 50.0, 72.0),
            Sex::Male => uniform(&mut rng, 62.0, 92.0),
        };
        let hr_rest = rng.u32(42..=64);
        let hr_max = (208.0 - 0.7 * f64::from(age) + 5.0 * normal(&mut rng)).clamp(165.0, 205.0);
        let (cramp, medications, conditions) = history(&mut rng);
        let (main, per_week, slot) = habits(&mut rng);
        let has_hr = chance(&mut rng, 0.85);
        let mut a = Athlete {
            index,
            name: athlete_name(index),
            aliases: alias.into_iter().collect(),
            about: String::new(),
            sex,
            birth_year: year - age as i32,
            mass: round1(mass),
            hr_rest,
            hr_max: hr_max.round() as u32,
            profile_hr: chance(&mut rng, 0.7),
            sweat_rate: round1(uniform(&mut rng, 0.6, 1.8)),
            profile_sweat_rate: chance(&mut rng, 0.35),
            sweat_sodium: rng.u32(10..=32) * 50,
            profile_sodium: chance(&mut rng, 0.25),
            cramp,
            medications,
            conditions,
            family_history: chance(&mut rng, 0.08),
            tight_hamstrings: chance(&mut rng, 0.12),
            loc: if index % 3 == 2 {
                Loc::Oslo
            } else {
                Loc::Valencia
            },
            main,
            per_week,
            slot,
            fitness: rng.f64(),
            has_hr,
            logs_rpe: !has_hr || chance(&mut rng, 0.2),
            logs_warmup: chance(&mut rng, 0.4),
            weigh_rate: if chance(&mut rng, 0.2) { 0.3 } else { 0.04 },
            load_rate: if chance(&mut rng, 0.25) { 0.12 } else { 0.02 },
            duration_decimal: chance(&mut rng, 0.3),
            yoga: chance(&mut rng, 0.25),
            walks: chance(&mut rng, 0.3),
            gym_extra: main.endurance() && chance(&mut rng, 0.35),
            doubles: uniform(&mut rng, 0.0, 0.08),
            heat_early: chance(&mut rng, 0.5),
            camp: false,
            new_sport: None,
            has_watch: chance(&mut rng, 2.0 / 3.0),
            steps_base: uniform(&mut rng, 4500.0, 10_000.0),
            sedentary_base: uniform(&mut rng, 420.0, 660.0),
            sleep_base: uniform(&mut rng, 400.0, 480.0),
            logs_fluids: true,
            under_drinker: chance(&mut rng, 0.25),
            sports_drink: chance(&mut rng, 0.6),
            electrolytes: chance(&mut rng, 0.3),
            electrolyte_mg_per_l: uniform(&mut rng, 500.0, 1500.0),
            coffee: chance(&mut rng, 0.75),
            milk: chance(&mut rng, 0.4),
        };
        apply_demo_role(&mut a, year);
        if a.about.is_empty() {
            a.about = format!(
                "{}, {} sessions/week{}{}{}",
                a.main.as_str(),
                a.per_week,
                if a.has_hr { "" } else { ", RPE only" },
                if a.has_watch { ", watch" } else { "" },
                if a.under_drinker {
                    ", under-drinks when hot"
                } else {
                    ""
                }
            );
        }
        a
    }
}

/// The first six athletes are scripted so the demo team shows every feature.
pub(super) fn apply_demo_role(a: &mut Athlete, year: i32) {
    let set_list = |v: &[&'static str]| Some(v.to_vec());
    match a.index {
        0 => {
            // ana: marathon runner in Valencia, cramps often, under-drinks in the heat.
            a.birth_year = 1994;
            a.mass = 58.0;
            (a.hr_rest, a.hr_max, a.profile_hr) = (48, 192, true);
            (a.sweat_rate, a.profile_sweat_rate) = (1.4, true);
            (a.sweat_sodium, a.profile_sodium) = (1100, true);
            a.cramp = "frequent";
            a.medications = set_list(&["salbutamol"]);
            a.conditions = set_list(&[]);
            (a.family_history, a.tight_hamstrings) = (false, true);
            a.loc = Loc::Valencia;
            (a.main, a.per_week, a.slot, a.fitness) = (Sport::Run, 6, Slot::Morning, 0.7);
            (a.has_hr, a.logs_rpe, a.logs_warmup) = (true, false, true);
            (a.weigh_rate, a.load_rate, a.duration_decimal) = (0.3, 0.02, false);
            (a.yoga, a.walks, a.gym_extra, a.doubles) = (true, false, true, 0.03);
            a.heat_early = false;
            (a.has_watch, a.logs_fluids, a.under_drinker) = (true, true, true);
            (a.sports_drink, a.electrolytes, a.coffee, a.milk) = (true, false, true, true);
            a.about = "runner (marathon build), 6 runs/week + gym + yoga, frequent cramps, \
                       under-drinks on hot days"
                .into();
        }
        1 => {
            // ben: cyclist on a statin, training camp week.
            a.birth_year = 1981;
            a.mass = 78.5;
            (a.hr_rest, a.hr_max, a.profile_hr) = (52, 181, true);
            (a.profile_sweat_rate, a.profile_sodium) = (false, false);
            a.sweat_rate = 1.2;
            a.cramp = "occasional";
            a.medications = set_list(&["atorvastatin"]);
            a.conditions = None;
            (a.family_history, a.tight_hamstrings) = (false, false);
            a.loc = Loc::Valencia;
            (a.main, a.per_week, a.slot, a.fitness) = (Sport::Ride, 5, Slot::Mixed, 0.6);
            (a.has_hr, a.logs_rpe, a.logs_warmup) = (true, false, false);
            (a.weigh_rate, a.load_rate, a.duration_decimal) = (0.05, 0.3, true);
            (a.yoga, a.walks, a.gym_extra, a.doubles) = (false, false, false, 0.02);
            a.heat_early = true;
            a.camp = true;
            (a.has_watch, a.logs_fluids, a.under_drinker) = (true, true, false);
            (a.sports_drink, a.electrolytes, a.coffee, a.milk) = (true, true, true, false);
            a.electrolyte_mg_per_l = 1000.0;
            a.about = "cyclist, 5 rides/week, long Saturday rides, training camp week, \
                       on atorvastatin"
                .into();
        }
        2 => {
            // chloe: soccer in Oslo, no heart-rate strap (RPE only), no watch, never logs fluids.
            a.birth_year = 1999;
            a.mass = 63.0;
            a.profile_hr = false;
            (a.profile_sweat_rate, a.profile_sodium) = (false, false);
            a.cramp = "none";
            a.medications = None;
            a.conditions = set_list(&[]);
            (a.family_history, a.tight_hamstrings) = (false, false);
            a.loc = Loc::Oslo;
            (a.main, a.per_week, a.slot, a.fitness) = (Sport::Soccer, 4, Slot::Evening, 0.5);
            (a.has_hr, a.logs_rpe, a.logs_warmup) = (false, true, true);
            (a.weigh_rate, a.load_rate, a.duration_decimal) = (0.0, 0.05, false);
            (a.yoga, a.walks, a.gym_extra, a.doubles) = (true, false, false, 0.0);
            a.heat_early = false;
            (a.has_watch, a.logs_fluids, a.under_drinker) = (false, false, false);
            a.about = "soccer, 4 sessions/week (Sunday match), RPE only, no watch, \
                       never logs fluids"
                .into();
        }
        3 => {
            // dev: masters swimmer on a diuretic; starts running in the second half.
            a.birth_year = 1972;
            a.mass = 84.0;
            (a.hr_rest, a.hr_max, a.profile_hr) = (58, 170, true);
            a.profile_sweat_rate = false;
            (a.sweat_sodium, a.profile_sodium) = (900, true);
            a.cramp = "occasional";
            a.medications = set_list(&["furosemide"]);
            a.conditions = set_list(&["varicose veins"]);
            (a.family_history, a.tight_hamstrings) = (false, false);
            a.loc = Loc::Valencia;
            (a.main, a.per_week, a.slot, a.fitness) = (Sport::Swim, 4, Slot::Morning, 0.4);
            (a.has_hr, a.logs_rpe, a.logs_warmup) = (true, false, false);
            (a.weigh_rate, a.load_rate, a.duration_decimal) = (0.05, 0.02, false);
            (a.yoga, a.walks, a.gym_extra, a.doubles) = (false, false, false, 0.0);
            a.heat_early = true;
            a.new_sport = Some(Sport::Run);
            (a.has_watch, a.logs_fluids, a.under_drinker) = (true, true, false);
            (a.sports_drink, a.electrolytes, a.coffee, a.milk) = (false, false, true, true);
            a.about = "masters swimmer, 4 swims/week, brand-new to running in the second \
                       half, on furosemide"
                .into();
        }
        4 => {
            // emma: gym and walks, sciatica, stretches; profile uses the default heart rates.
            a.birth_year = 1989;
            a.mass = 66.0;
            a.profile_hr = false;
            (a.profile_sweat_rate, a.profile_sodium) = (false, false);
            a.cramp = "occasional";
            a.medications = set_list(&[]);
            a.conditions = set_list(&["sciatica"]);
            (a.family_history, a.tight_hamstrings) = (false, false);
            a.loc = Loc::Valencia;
            (a.main, a.per_week, a.slot, a.fitness) = (Sport::Strength, 4, Slot::Evening, 0.4);
            (a.has_hr, a.logs_rpe, a.logs_warmup) = (true, true, true);
            (a.weigh_rate, a.load_rate, a.duration_decimal) = (0.03, 0.03, true);
            (a.yoga, a.walks, a.gym_extra, a.doubles) = (true, true, false, 0.02);
            a.heat_early = false;
            (a.has_watch, a.logs_fluids, a.under_drinker) = (false, true, false);
            (a.sports_drink, a.electrolytes, a.coffee, a.milk) = (false, false, false, true);
            a.about =
                "gym 3x/week + an easy Saturday run, walks and stretching, sciatica, no watch"
                    .into();
        }
        5 => {
            // femi: young track runner in Oslo, salty sweater, doubles, cramps often.
            a.birth_year = 2003;
            a.mass = 71.0;
            (a.hr_rest, a.hr_max, a.profile_hr) = (44, 201, true);
            (a.sweat_rate, a.profile_sweat_rate) = (1.8, true);
            (a.sweat_sodium, a.profile_sodium) = (1450, true);
            a.cramp = "frequent";
            a.medications = None;
            a.conditions = None;
            (a.family_history, a.tight_hamstrings) = (true, false);
            a.loc = Loc::Oslo;
            (a.main, a.per_week, a.slot, a.fitness) = (Sport::Run, 7, Slot::Mixed, 0.95);
            (a.has_hr, a.logs_rpe, a.logs_warmup) = (true, true, true);
            (a.weigh_rate, a.load_rate, a.duration_decimal) = (0.25, 0.05, false);
            (a.yoga, a.walks, a.gym_extra, a.doubles) = (false, false, true, 0.15);
            a.heat_early = false;
            (a.has_watch, a.logs_fluids, a.under_drinker) = (true, true, true);
            (a.sports_drink, a.electrolytes, a.coffee, a.milk) = (true, true, false, true);
            a.electrolyte_mg_per_l = 1500.0;
            a.about = "track runner, 7 runs/week with doubles, salty sweater, frequent \
                       cramps, under-drinks on hot days"
                .into();
        }
        _ => {}
    }
    // Keep scripted birth years in the 20-55 age band whatever the start year.
    let age = (year - a.birth_year).clamp(20, 55);
    a.birth_year = year - age;
}

/// TOML basic string with escapes.
pub(super) fn toml_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

pub(super) fn toml_list(items: &[impl AsRef<str>]) -> String {
    let inner: Vec<String> = items.iter().map(|s| toml_str(s.as_ref())).collect();
    format!("[{}]", inner.join(", "))
}

pub(super) fn write_profiles(
    out: &Path,
    opts: &GenerateOptions,
    athletes: &[Athlete],
) -> Result<FileSummary> {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(256 + athletes.len() * 320);
    writeln!(
        s,
        "# Demo team written by `cramprisk generate --athletes {} --days {} --start {} --seed {}`.\n\
         # Synthetic people and data, not medical records.\n\n\
         [defaults]\nhr_rest = 60\nhr_max = 190",
        opts.athletes, opts.days, opts.start, opts.seed
    )?;
    for a in athletes {
        writeln!(s, "\n# {}", a.about)?;
        writeln!(s, "[athletes.{}]", a.name)?;
        writeln!(s, "sex = \"{}\"", a.sex.as_str())?;
        writeln!(s, "birth_year = {}", a.birth_year)?;
        writeln!(s, "body_mass_kg = {}", f1(a.mass))?;
        if a.profile_hr {
            writeln!(s, "hr_rest = {}\nhr_max = {}", a.hr_rest, a.hr_max)?;
        }
        if a.profile_sweat_rate {
            writeln!(s, "sweat_rate_l_per_h = {}", f1(a.sweat_rate))?;
        }
        if a.profile_sodium {
            writeln!(s, "sweat_sodium_mg_per_l = {}", a.sweat_sodium)?;
        }
        writeln!(s, "cramp_history = \"{}\"", a.cramp)?;
        if let Some(m) = &a.medications {
            writeln!(s, "medications = {}", toml_list(m))?;
        }
        if let Some(c) = &a.conditions {
            writeln!(s, "conditions = {}", toml_list(c))?;
        }
        if a.family_history {
            writeln!(s, "family_history = true")?;
        }
        if a.tight_hamstrings {
            writeln!(s, "tight_hamstrings = true")?;
        }
        writeln!(s, "location = \"{}\"", a.loc.as_str())?;
        if !a.aliases.is_empty() {
            writeln!(s, "aliases = {}", toml_list(&a.aliases))?;
        }
    }
    let path = out.join("athletes.toml");
    fs::write(&path, &s).with_context(|| format!("writing {}", path.display()))?;
    Ok(FileSummary {
        name: "athletes.toml",
        rows: athletes.len() as u64,
        bytes: s.len() as u64,
    })
}

/// Cramp history, medications and conditions (the predisposition inputs), drawn in that order.
type History = (
    &'static str,
    Option<Vec<&'static str>>,
    Option<Vec<&'static str>>,
);

fn history(rng: &mut Rng) -> History {
    let r = rng.f64();
    let cramp = if r < 0.5 {
        "none"
    } else if r < 0.85 {
        "occasional"
    } else {
        "frequent"
    };
    let mut meds = Vec::new();
    let r = rng.f64();
    if r < 0.04 {
        meds.push("salbutamol");
    } else if r < 0.06 {
        meds.push("atorvastatin");
    } else if r < 0.07 {
        meds.push("furosemide");
    }
    let mut conds = Vec::new();
    let r = rng.f64();
    if r < 0.02 {
        conds.push("varicose veins");
    } else if r < 0.04 {
        conds.push("sciatica");
    }
    let list_style = rng.f64();
    let medications = (!meds.is_empty() || list_style < 0.4).then_some(meds);
    let conditions = (!conds.is_empty() || list_style < 0.3).then_some(conds);
    (cramp, medications, conditions)
}

/// The main sport, sessions per week and time of day, drawn in that order.
fn habits(rng: &mut Rng) -> (Sport, u32, Slot) {
    let r = rng.f64();
    let main = if r < 0.35 {
        Sport::Run
    } else if r < 0.55 {
        Sport::Ride
    } else if r < 0.65 {
        Sport::Swim
    } else if r < 0.85 {
        Sport::Soccer
    } else {
        Sport::Strength
    };
    let per_week = match main {
        Sport::Soccer | Sport::Strength => rng.u32(3..=5),
        _ => rng.u32(3..=7),
    };
    let r = rng.f64();
    let slot = if r < 0.4 {
        Slot::Morning
    } else if r < 0.75 {
        Slot::Evening
    } else {
        Slot::Mixed
    };
    (main, per_week, slot)
}
