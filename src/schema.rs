//! Canonical column names shared by ingest, measures, scoring and the writers: the one place
//! they are spelled out.

pub const ATHLETE: &str = "athlete";
pub const DATE: &str = "date";
pub const TIME: &str = "time";
pub const START: &str = "start";
pub const HOUR: &str = "hour";
pub const LOCATION: &str = "location";
/// The weather location an athlete's days are joined with ("" = weather that names no place).
pub const WEATHER_KEY: &str = "weather_key";

// Sessions (activities).
pub const SPORT: &str = "sport";
pub const DURATION_MIN: &str = "duration_min";
pub const DISTANCE_KM: &str = "distance_km";
pub const AVG_HR: &str = "avg_hr";
pub const MAX_HR: &str = "max_hr";
pub const RPE: &str = "rpe";
pub const LOAD_GIVEN: &str = "load_given";
pub const CALORIES_KCAL: &str = "calories_kcal";
pub const MASS_BEFORE_KG: &str = "body_mass_before_kg";
pub const MASS_AFTER_KG: &str = "body_mass_after_kg";
pub const FLUID_DURING_ML: &str = "fluid_during_ml";
pub const WARMUP_MIN: &str = "warmup_min";
pub const TITLE: &str = "title";

// Daily summaries.
pub const STEPS: &str = "steps";
pub const SEDENTARY_MIN: &str = "sedentary_min";
pub const RESTING_HR: &str = "resting_hr";
pub const SLEEP_MIN: &str = "sleep_min";

// Weather.
pub const TEMP_C: &str = "temp_c";
pub const RH_PCT: &str = "rh_pct";
pub const WIND_KMH: &str = "wind_kmh";
pub const TMAX_C: &str = "tmax_c";
pub const TMIN_C: &str = "tmin_c";

// Fluids (the native log's columns; read into one row per athlete and day: `FLUID_INTAKE_ML`,
// `PLAIN_WATER_ML`, `SODIUM_INTAKE_MG` and `DRINKS`).
pub const VOLUME_ML: &str = "volume_ml";
pub const DRINK: &str = "drink";
pub const SODIUM_MG: &str = "sodium_mg";
pub const PLAIN_WATER_ML: &str = "plain_water_ml";
pub const DRINKS: &str = "drinks";

// Food (nutrition logs, one row per athlete, day and meal).
pub const MEAL: &str = "meal";
pub const POTASSIUM_MG: &str = "potassium_mg";

// Cramp logs (one row per cramp).
pub const MUSCLE: &str = "muscle";
pub const SEVERITY: &str = "severity";
pub const WHEN: &str = "when";
pub const NOTE: &str = "note";

// Profiles.
pub const FEMALE: &str = "female";
pub const HR_REST: &str = "hr_rest";
pub const HR_MAX_PROFILE: &str = "hr_max";
pub const BODY_MASS_KG: &str = "body_mass_kg";
pub const SWEAT_RATE_L_PER_H: &str = "sweat_rate_l_per_h";
pub const SWEAT_SODIUM_MG_PER_L: &str = "sweat_sodium_mg_per_l";
pub const PROFILE_LOCATION: &str = "profile_location";

// Daily output columns (daily_risk.csv).
pub const SESSIONS: &str = "sessions";
pub const LOAD: &str = "load";
pub const ATL: &str = "atl";
pub const CTL: &str = "ctl";
pub const TSB: &str = "tsb";
pub const ACWR: &str = "acwr";
pub const TEMP_MAX_C: &str = "temp_max_c";
pub const HEAT_INDEX_C: &str = "heat_index_c";
pub const WBGT_C: &str = "wbgt_c";
pub const FLUID_INTAKE_ML: &str = "fluid_intake_ml";
pub const SWEAT_LOSS_ML: &str = "sweat_loss_ml";
pub const FLUID_NEED_ML: &str = "fluid_need_ml";
pub const FLUID_BALANCE_ML: &str = "fluid_balance_ml";
pub const SODIUM_LOSS_MG: &str = "sodium_loss_mg";
pub const SODIUM_INTAKE_MG: &str = "sodium_intake_mg";
pub const FOOD_SODIUM_MG: &str = "food_sodium_mg";
pub const POTASSIUM_INTAKE_MG: &str = "potassium_intake_mg";
/// The estimated probability of a cramp that day, in % (docs/model.md).
pub const RISK_PCT: &str = "risk_pct";
/// The range the unknown inputs could move `risk_pct` over.
pub const RISK_LOW_PCT: &str = "risk_low_pct";
pub const RISK_HIGH_PCT: &str = "risk_high_pct";
pub const RISK_BAND: &str = "risk_band";

// The native CSV formats' columns (docs/formats.md), in the order the generator writes them.
// Only `load` is shared with the daily output: the native file's given load, read as
// `LOAD_GIVEN`.
pub const NATIVE_ACTIVITIES: [&str; 15] = [
    ATHLETE,
    START,
    SPORT,
    DURATION_MIN,
    DISTANCE_KM,
    AVG_HR,
    MAX_HR,
    RPE,
    LOAD,
    CALORIES_KCAL,
    MASS_BEFORE_KG,
    MASS_AFTER_KG,
    FLUID_DURING_ML,
    WARMUP_MIN,
    TITLE,
];
pub const NATIVE_DAILY: [&str; 6] = [ATHLETE, DATE, STEPS, SEDENTARY_MIN, RESTING_HR, SLEEP_MIN];
pub const NATIVE_WEATHER_HOURLY: [&str; 5] = [LOCATION, TIME, TEMP_C, RH_PCT, WIND_KMH];
pub const NATIVE_FLUIDS: [&str; 5] = [ATHLETE, TIME, VOLUME_ML, DRINK, SODIUM_MG];
pub const NATIVE_CRAMPS: [&str; 6] = [ATHLETE, DATE, MUSCLE, SEVERITY, WHEN, NOTE];

/// How a column of an output table is printed (CSV writers and their column lists).
#[derive(Debug, Clone, Copy)]
pub enum Format {
    Text,
    Date,
    Int,
    Decimals(usize),
}
