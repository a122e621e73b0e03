//! The canonical tables every format is read into: column builders filled row by row by the
//! format readers, then turned into polars frames with fixed names (`schema`) and dtypes.

use std::collections::HashMap;

use polars::prelude::*;

use crate::schema as s;

/// Sessions, one per activity row.
#[derive(Default)]
pub struct Activities {
    pub athlete: Vec<String>,
    pub start_ms: Vec<i64>,
    pub date: Vec<i32>,
    pub sport: Vec<String>,
    pub duration_min: Vec<f64>,
    pub distance_km: Vec<Option<f64>>,
    pub avg_hr: Vec<Option<f64>>,
    pub max_hr: Vec<Option<f64>>,
    pub rpe: Vec<Option<f64>>,
    pub load: Vec<Option<f64>>,
    pub calories_kcal: Vec<Option<f64>>,
    pub mass_before_kg: Vec<Option<f64>>,
    pub mass_after_kg: Vec<Option<f64>>,
    pub fluid_during_ml: Vec<Option<f64>>,
    pub warmup_min: Vec<Option<f64>>,
    pub title: Vec<Option<String>>,
}

/// Daily summaries, one per athlete and day.
#[derive(Default)]
pub struct Daily {
    pub athlete: Vec<String>,
    pub date: Vec<i32>,
    pub steps: Vec<Option<f64>>,
    pub sedentary_min: Vec<Option<f64>>,
    pub resting_hr: Vec<Option<f64>>,
    pub sleep_min: Vec<Option<f64>>,
}

/// Hourly weather, one per place and hour.
#[derive(Default)]
pub struct WeatherHourly {
    pub location: Vec<String>,
    pub time_ms: Vec<i64>,
    pub temp_c: Vec<f64>,
    pub rh_pct: Vec<Option<f64>>,
    pub wind_kmh: Vec<Option<f64>>,
}

/// Daily weather, one per place and day.
#[derive(Default)]
pub struct WeatherDaily {
    pub location: Vec<String>,
    pub date: Vec<i32>,
    pub tmax_c: Vec<f64>,
    pub tmin_c: Vec<Option<f64>>,
    pub rh_pct: Vec<Option<f64>>,
}

/// Fluid intake, one per drink.
#[derive(Default)]
pub struct Fluids {
    pub athlete: Vec<String>,
    pub date: Vec<i32>,
    pub time_ms: Vec<Option<i64>>,
    pub volume_ml: Vec<f64>,
    pub drink: Vec<Option<String>>,
    pub sodium_mg: Vec<Option<f64>>,
}

/// All builders, plus the keys already seen so an exact repeat is rejected as a duplicate
/// (naming where the first copy was) instead of being counted twice.
#[derive(Default)]
pub struct Canonical {
    pub activities: Activities,
    pub daily: Daily,
    pub weather_hourly: WeatherHourly,
    pub weather_daily: WeatherDaily,
    pub fluids: Fluids,
    pub seen_sessions: HashMap<(String, i64), String>,
    pub seen_days: HashMap<(String, i32), String>,
    pub seen_hours: HashMap<(String, i64), String>,
    pub seen_weather_days: HashMap<(String, i32), String>,
    /// The place of weather rows that name none, from the file's name (`weather-oslo.csv`).
    pub file_location: Option<String>,
}

/// The canonical frames handed to the measures.
#[derive(Clone)]
pub struct Frames {
    pub activities: DataFrame,
    pub daily: DataFrame,
    pub weather_hourly: DataFrame,
    pub weather_daily: DataFrame,
    pub fluids: DataFrame,
}

fn date_col(name: &str, days: Vec<i32>) -> PolarsResult<Column> {
    Ok(Series::new(name.into(), days).cast(&DataType::Date)?.into())
}

fn datetime_col<T>(name: &str, ms: Vec<T>) -> PolarsResult<Column>
where
    Series: NamedFrom<Vec<T>, [T]>,
{
    Ok(Series::new(name.into(), ms)
        .cast(&DataType::Datetime(TimeUnit::Milliseconds, None))?
        .into())
}

fn col_of<T>(name: &str, v: Vec<T>) -> Column
where
    Series: NamedFrom<Vec<T>, [T]>,
{
    Series::new(name.into(), v).into()
}

impl Canonical {
    /// The weather place of a row: its own `location` cell (as a name key), else the file's.
    pub fn weather_location(&self, cell: Option<&str>) -> String {
        cell.map(crate::profiles::name_key)
            .or_else(|| self.file_location.clone())
            .unwrap_or_default()
    }

    /// Turns the builders into frames.
    pub fn into_frames(self) -> PolarsResult<Frames> {
        let a = self.activities;
        let activities = DataFrame::new_infer_height(vec![
            col_of(s::ATHLETE, a.athlete),
            datetime_col(s::START, a.start_ms)?,
            date_col(s::DATE, a.date)?,
            col_of(s::SPORT, a.sport),
            col_of(s::DURATION_MIN, a.duration_min),
            col_of(s::DISTANCE_KM, a.distance_km),
            col_of(s::AVG_HR, a.avg_hr),
            col_of(s::MAX_HR, a.max_hr),
            col_of(s::RPE, a.rpe),
            col_of(s::LOAD_GIVEN, a.load),
            col_of(s::CALORIES_KCAL, a.calories_kcal),
            col_of(s::MASS_BEFORE_KG, a.mass_before_kg),
            col_of(s::MASS_AFTER_KG, a.mass_after_kg),
            col_of(s::FLUID_DURING_ML, a.fluid_during_ml),
            col_of(s::WARMUP_MIN, a.warmup_min),
            col_of(s::TITLE, a.title),
        ])?;
        let d = self.daily;
        let daily = DataFrame::new_infer_height(vec![
            col_of(s::ATHLETE, d.athlete),
            date_col(s::DATE, d.date)?,
            col_of(s::STEPS, d.steps),
            col_of(s::SEDENTARY_MIN, d.sedentary_min),
            col_of(s::RESTING_HR, d.resting_hr),
            col_of(s::SLEEP_MIN, d.sleep_min),
        ])?;
        let w = self.weather_hourly;
        let weather_hourly = DataFrame::new_infer_height(vec![
            col_of(s::LOCATION, w.location),
            datetime_col(s::TIME, w.time_ms)?,
            col_of(s::TEMP_C, w.temp_c),
            col_of(s::RH_PCT, w.rh_pct),
            col_of(s::WIND_KMH, w.wind_kmh),
        ])?;
        let w = self.weather_daily;
        let weather_daily = DataFrame::new_infer_height(vec![
            col_of(s::LOCATION, w.location),
            date_col(s::DATE, w.date)?,
            col_of(s::TMAX_C, w.tmax_c),
            col_of(s::TMIN_C, w.tmin_c),
            col_of(s::RH_PCT, w.rh_pct),
        ])?;
        let f = self.fluids;
        let fluids = DataFrame::new_infer_height(vec![
            col_of(s::ATHLETE, f.athlete),
            date_col(s::DATE, f.date)?,
            datetime_col(s::TIME, f.time_ms)?,
            col_of(s::VOLUME_ML, f.volume_ml),
            col_of(s::DRINK, f.drink),
            col_of(s::SODIUM_MG, f.sodium_mg),
        ])?;
        Ok(Frames {
            activities,
            daily,
            weather_hourly,
            weather_daily,
            fluids,
        })
    }
}
