//! Vendor quirks on small fixtures of our own (tests/fixtures/vendors): delimiter, BOM,
//! decimal comma, Latin-1, units, time zones, duplicate column names, older layouts,
//! cross-export duplicates, `inspect`. Expected values are worked out by hand in comments.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use cramprisk::ingest::format::Units;
use cramprisk::ingest::{self, InputFile, Kind, ReadOptions};
use polars::prelude::*;

use crate::util::{cramprisk, fixture, read_csv};

fn vendors(name: &str) -> PathBuf {
    fixture("vendors").join(name)
}

fn load_with(dir: &Path, opts: &ReadOptions) -> ingest::Ingested {
    let (files, _) = ingest::discover(&[dir.to_path_buf()]).unwrap();
    ingest::load(&files, &[], opts).unwrap()
}

fn load(name: &str) -> ingest::Ingested {
    load_with(&vendors(name), &ReadOptions::default())
}

fn f64s(df: &DataFrame, col: &str) -> Vec<Option<f64>> {
    df.column(col).unwrap().f64().unwrap().iter().collect()
}

fn strs(df: &DataFrame, col: &str) -> Vec<Option<String>> {
    df.column(col)
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .map(|s| s.map(str::to_string))
        .collect()
}

fn dates(df: &DataFrame) -> Vec<String> {
    let d = df.column("date").unwrap().cast(&DataType::Int32).unwrap();
    d.i32()
        .unwrap()
        .iter()
        .map(|x| cramprisk::dates::from_days(x.unwrap()).to_string())
        .collect()
}

fn close(got: Option<f64>, want: f64) {
    let got = got.unwrap_or(f64::NAN);
    assert!((got - want).abs() < 1e-6, "got {got}, want {want}");
}

#[test]
fn garmin_german_semicolon_bom_decimal_comma() {
    let ing = load("garmin-de-semicolon");
    let r = &ing.files[0];
    assert_eq!(r.vendor.as_deref(), Some("garmin"));
    assert_eq!((r.rows_read, r.rows_used, r.rows_rejected), (4, 3, 1));
    for note in ["byte-order mark", "semicolon", "decimal comma"] {
        assert!(
            r.notes.iter().any(|n| n.contains(note)),
            "{note}: {:?}",
            r.notes
        );
    }
    let a = &ing.frames.activities;
    // "10,50" km, "42,02" km, "--" unknown; "1.234" kcal is a thousands dot.
    assert_eq!(f64s(a, "distance_km"), vec![Some(10.5), Some(42.02), None]);
    assert_eq!(
        f64s(a, "calories_kcal"),
        vec![Some(1234.0), Some(2336.0), Some(300.0)]
    );
    // 00:55:30 = 55.5 min; HR "--" and the "0" placeholder are unknown, not 0.
    assert_eq!(
        f64s(a, "duration_min"),
        vec![Some(55.5), Some(90.0), Some(45.0)]
    );
    assert_eq!(f64s(a, "avg_hr"), vec![Some(150.0), None, None]);
    assert_eq!(
        strs(a, "sport"),
        vec![
            Some("run".into()),
            Some("ride".into()),
            Some("strength".into())
        ]
    );
    assert_eq!(strs(a, "title")[0].as_deref(), Some("Morgenlauf; locker"));
    // Line 5 ("kein Timer") has Zeit 0:00 and no other duration column.
    let rej = &ing.rejections[0];
    assert_eq!(rej.line, Some(5));
    assert!(
        rej.reason.contains("Time is not recorded"),
        "{}",
        rej.reason
    );
    assert!(r.units.as_deref().unwrap_or("").contains("ASSUMED"));
}

#[test]
fn latin1_file_is_read_and_the_fallback_reported() {
    let ing = load("garmin-latin1");
    let r = &ing.files[0];
    assert!(
        r.notes.iter().any(|n| n.contains("Latin-1")),
        "{:?}",
        r.notes
    );
    let a = &ing.frames.activities;
    assert_eq!(strs(a, "title")[0].as_deref(), Some("Løb i skoven"));
    assert_eq!(strs(a, "sport")[1].as_deref(), Some("run"));
    // 171 spm × 36.43 min × 1.01 m / 6.29 ≈ 1000 m per unit: km.
    assert!(r
        .units
        .as_deref()
        .unwrap_or("")
        .starts_with("metric (detected"));
}

#[test]
fn imperial_account_without_runs_needs_units_flag() {
    let ing = load("garmin-imperial-rides");
    assert!(ing.files[0]
        .units
        .as_deref()
        .unwrap_or("")
        .contains("ASSUMED"));
    assert_eq!(f64s(&ing.frames.activities, "distance_km")[0], Some(53.07));
    let ing = load_with(
        &vendors("garmin-imperial-rides"),
        &ReadOptions {
            units: Some(Units::Imperial),
            ..ReadOptions::default()
        },
    );
    assert!(ing.files[0]
        .units
        .as_deref()
        .unwrap_or("")
        .contains("--units"));
    // 53.07 mi × 1.609344 km/mi = 85.40788608 km; "2,552" kcal has a thousands comma.
    let a = &ing.frames.activities;
    close(f64s(a, "distance_km")[0], 85.407_886_08);
    assert_eq!(f64s(a, "calories_kcal")[0], Some(2552.0));
    // Indoor Rowing's "--" distance stays unknown.
    assert_eq!(f64s(a, "distance_km")[1], None);
}

#[test]
fn strava_duplicate_columns_multiline_fields_and_utc() {
    let ing = load("strava-current");
    let r = &ing.files[0];
    assert_eq!((r.rows_read, r.rows_used), (3, 3));
    let a = &ing.frames.activities;
    // Second `Distance` (metres) / 1000; `Moving Time` seconds / 60.
    assert_eq!(
        f64s(a, "distance_km"),
        vec![Some(10.5), Some(42.02), Some(5.0)]
    );
    assert_eq!(
        f64s(a, "duration_min"),
        vec![Some(55.5), Some(90.0), Some(30.0)]
    );
    assert_eq!(f64s(a, "avg_hr")[0], Some(150.0));
    // 22:30 UTC on Jul 3 is Jul 3 in UTC but 00:30 on Jul 4 in Copenhagen (UTC+2).
    assert_eq!(dates(a)[2], "2025-07-03");
    assert!(r.time_zone.as_deref().unwrap_or("").contains("UTC days"));
    let ing = load_with(
        &vendors("strava-current"),
        &ReadOptions {
            tz: Some(chrono_tz::Europe::Copenhagen),
            ..ReadOptions::default()
        },
    );
    assert_eq!(dates(&ing.frames.activities)[2], "2025-07-04");
    assert!(ing.files[0]
        .time_zone
        .as_deref()
        .unwrap_or("")
        .contains("Europe/Copenhagen"));
}

#[test]
fn older_strava_layouts() {
    // 2019, 10 columns: display distance in km, Elapsed Time 2700 s = 45 min.
    let ing = load("strava-2019");
    assert_eq!(ing.files[0].vendor.as_deref(), Some("strava"));
    let a = &ing.frames.activities;
    assert_eq!(f64s(a, "distance_km"), vec![Some(7.5)]);
    assert_eq!(f64s(a, "duration_min"), vec![Some(45.0)]);
    // Before June 2019: lowercase names, distance 25000 m = 25 km, 3600 s = 60 min.
    let ing = load("strava-legacy");
    assert_eq!(ing.files[0].vendor.as_deref(), Some("strava-legacy"));
    let a = &ing.frames.activities;
    assert_eq!(f64s(a, "distance_km"), vec![Some(25.0)]);
    assert_eq!(f64s(a, "duration_min"), vec![Some(60.0)]);
    assert_eq!(dates(a), vec!["2018-09-12"]);
}

/// Daily `load` by date from a run of the binary.
fn loads(dir: &Path, extra: &[&str]) -> (BTreeMap<String, String>, Vec<String>) {
    let out = tempfile::tempdir().unwrap();
    cramprisk()
        .arg("analyze")
        .arg(dir)
        .args(extra)
        .arg("--out")
        .arg(out.path())
        .assert()
        .success();
    let rows = read_csv(&out.path().join("daily_risk.csv"));
    let loads = rows
        .iter()
        .map(|r| (r["date"].clone(), r["load"].clone()))
        .collect();
    let rejected = read_csv(&out.path().join("rejected_rows.csv"))
        .iter()
        .map(|r| format!("{}:{} {}", r["file"], r["line"], r["reason"]))
        .collect();
    (loads, rejected)
}

#[test]
fn garmin_and_strava_of_the_same_sessions_count_once() {
    let tz = ["--tz", "Europe/Copenhagen"];
    let (garmin, _) = loads(&vendors("dup/garmin"), &tz);
    let (strava, _) = loads(&vendors("dup/strava"), &tz);
    let (both, rejected) = loads(&vendors("dup/both"), &tz);
    assert_eq!(garmin.len(), 4, "07-01 … 07-04");
    assert_eq!(garmin, strava);
    assert_eq!(both, garmin);
    // Garmin's file sorts first ("Activities.csv" < "strava_activities.csv"), so each Strava
    // row is the duplicate of the Garmin row of the same session (lines 2, 3, 4).
    assert_eq!(rejected.len(), 3, "{rejected:?}");
    for (i, r) in rejected.iter().enumerate() {
        assert!(
            r.contains(&format!("strava_activities.csv:{}", i + 2)),
            "{r}"
        );
        assert!(r.contains("duplicate of "), "{r}");
        assert!(r.contains(&format!("Activities.csv:{}", i + 2)), "{r}");
    }
    // Without --tz the Strava starts stay UTC, two hours off: nothing is merged, and the
    // summary says the days are UTC days.
    let (unmerged, rejected) = loads(&vendors("dup/both"), &[]);
    assert!(rejected.is_empty(), "{rejected:?}");
    assert_ne!(unmerged, garmin);
}

#[test]
fn fluid_logs_with_units_in_header_or_column() {
    // 16 + 8 US fl oz × 29.5735295625 ml = 709.7647095 ml.
    let ing = load("fluids-floz");
    let total: f64 = f64s(&ing.frames.fluids, "fluid_intake_ml")
        .iter()
        .flatten()
        .sum();
    assert!((total - 709.764_709_5).abs() < 1e-6, "{total}");
    // 0,5 l = 500 ml (decimal comma, semicolons) + 2 US cups = 473.176473 ml on one day;
    // pints rejected.
    let ing = load("fluids-unitcol");
    let v = f64s(&ing.frames.fluids, "fluid_intake_ml");
    assert_eq!(v.len(), 1);
    close(v[0], 973.176_473);
    assert_eq!(ing.files[0].rows_rejected, 1);
    assert!(ing.rejections[0].reason.contains("pints"));
    // A volume with no unit anywhere is rejected, never guessed.
    let ing = load("fluids-nounit");
    assert_eq!(ing.files[0].rows_used, 0);
    assert!(ing.rejections[0].reason.contains("unit is not stated"));
    // Tab-delimited.
    let ing = load("fluids-tab");
    assert_eq!(
        f64s(&ing.frames.fluids, "fluid_intake_ml"),
        vec![Some(330.0)]
    );
}

#[test]
fn whoop_workouts_with_cycle_timezone() {
    let ing = load("whoop");
    assert_eq!(ing.files[0].vendor.as_deref(), Some("whoop"));
    let a = &ing.frames.activities;
    assert_eq!(f64s(a, "duration_min"), vec![Some(21.0), Some(14.0)]);
    close(f64s(a, "distance_km")[0], 4.068_88);
    assert_eq!(f64s(a, "distance_km")[1], None);
    assert_eq!(f64s(a, "calories_kcal")[0], Some(272.0));
    // 08:08:18 at UTC-04:00 is 12:08:18 UTC.
    let ing = load_with(
        &vendors("whoop"),
        &ReadOptions {
            tz: Some(chrono_tz::UTC),
            ..ReadOptions::default()
        },
    );
    let start = ing
        .frames
        .activities
        .column("start")
        .unwrap()
        .datetime()
        .unwrap()
        .physical()
        .get(0);
    let want = cramprisk::dates::to_millis(
        cramprisk::dates::parse_datetime("2024-06-24 12:08:18").unwrap(),
    );
    assert_eq!(start, Some(want));
}

#[test]
fn meteostat_without_header_and_noaa_lcd() {
    let ing = load("meteostat-daily");
    assert_eq!(ing.files[0].vendor.as_deref(), Some("meteostat"));
    assert_eq!(ing.files[0].kind, Some(Kind::WeatherDaily));
    let w = &ing.frames.weather_daily;
    assert_eq!(f64s(w, "tmax_c"), vec![Some(31.5)]);
    assert_eq!(f64s(w, "tmin_c"), vec![Some(17.2)]);
    assert_eq!(ing.files[0].rows_rejected, 1, "2025-07-02 has no tmax");

    let ing = load("noaa-lcd");
    let w = &ing.frames.weather_hourly;
    // 104 °F = 40 °C; "106s" (flagged) = 41.111 °C; the 14:58 special (105 °F = 40.556 °C)
    // shares hour 14 and is kept at its own time (issue 16: it was rejected, losing a later,
    // hotter report); "*" is missing. No dew point and whole numbers: °F, said to be assumed.
    let t = f64s(w, "temp_c");
    close(t[0], 40.0);
    close(t[1], (106.0 - 32.0) * 5.0 / 9.0);
    close(t[2], (105.0 - 32.0) * 5.0 / 9.0);
    assert_eq!(ing.files[0].rows_rejected, 1);
    assert!(ing.files[0]
        .units
        .as_deref()
        .unwrap()
        .starts_with("imperial (whole °F, mph; ASSUMED"));
}

#[test]
fn apple_export_xml_and_garmin_hydration_json() {
    let ing = load("apple-xml");
    let r = &ing.files[0];
    // 2 water + 2 step records + 1 workout + 1 water in an unknown unit; the heart-rate
    // record is not an input row.
    assert_eq!((r.rows_read, r.rows_used, r.rows_rejected), (6, 5, 1));
    assert_eq!(ing.rejections[0].line, Some(13));
    // 500 ml + 10 US fl oz (295.735295625 ml).
    let total: f64 = f64s(&ing.frames.fluids, "fluid_intake_ml")
        .iter()
        .flatten()
        .sum();
    assert!((total - 795.735_295_625).abs() < 1e-6, "{total}");
    assert_eq!(f64s(&ing.frames.daily, "steps"), vec![Some(2000.0)]);
    let a = &ing.frames.activities;
    assert_eq!(f64s(a, "duration_min"), vec![Some(31.5)]);
    assert_eq!(f64s(a, "distance_km"), vec![Some(5.2)]);
    assert_eq!(strs(a, "sport"), vec![Some("run".into())]);

    let ing = load("garmin-json");
    assert_eq!(
        f64s(&ing.frames.fluids, "fluid_intake_ml"),
        vec![Some(500.0)]
    );
    assert_eq!(ing.files[0].rows_rejected, 2);
}

#[test]
fn vendor_flag_overrides_detection() {
    let ing = load_with(
        &vendors("strava-current"),
        &ReadOptions {
            vendor: Some(&cramprisk::ingest::garmin::ACTIVITIES),
            ..ReadOptions::default()
        },
    );
    let why = ing.files[0].skipped.clone().unwrap_or_default();
    assert!(why.contains("--vendor garmin: the header lacks"), "{why}");
    let files = [InputFile {
        path: vendors("garmin-latin1/Activities.csv"),
        hint: None,
    }];
    let ing = ingest::load(
        &files,
        &[],
        &ReadOptions {
            vendor: Some(&cramprisk::ingest::garmin::ACTIVITIES),
            ..ReadOptions::default()
        },
    )
    .unwrap();
    assert!(ing.files[0]
        .confidence
        .as_deref()
        .unwrap_or("")
        .contains("--vendor"));
    assert_eq!(ing.frames.activities.height(), 2);
}

#[test]
fn inspect_reports_mapping_and_closest_formats() {
    let out = cramprisk()
        .arg("inspect")
        .arg(vendors("unknown/mystery.csv"))
        .arg(vendors("garmin-de-semicolon/Activities.csv"))
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(
        text.contains("NOT READ") && text.contains("garmin (missing Favorite, Title, Time)"),
        "{text}"
    );
    for want in [
        "vendor      garmin",
        "distance ← Distanz",
        "4 read, 3 readable, 1 rejected",
        "line 5: Time is not recorded",
        "semicolon delimited",
    ] {
        assert!(text.contains(want), "{want} not in:\n{text}");
    }
}

#[test]
fn polar_fitbit_apple_resting_hr_and_german_strava() {
    // Polar: the session on line 2 (DD-MM-YYYY), 00:30:08 = 30.1333 min, 4.48 km; the
    // per-second samples below the second header are not rows.
    let ing = load("polar");
    assert_eq!(ing.files[0].vendor.as_deref(), Some("polar"));
    assert_eq!(ing.files[0].rows_read, 1);
    let a = &ing.frames.activities;
    close(f64s(a, "duration_min")[0], 30.0 + 8.0 / 60.0);
    assert_eq!(f64s(a, "distance_km"), vec![Some(4.48)]);
    assert_eq!(dates(a), vec!["2018-06-20"]);
    assert_eq!(
        strs(a, "title"),
        vec![None],
        "the Name column is a person's name"
    );

    // Fitbit: only the Activities section; "12,726" steps, "1,440" sedentary minutes.
    let ing = load("fitbit");
    assert_eq!(ing.files[0].kind, Some(Kind::Daily));
    let d = &ing.frames.daily;
    assert_eq!(f64s(d, "steps"), vec![Some(12726.0), Some(4020.0)]);
    assert_eq!(f64s(d, "sedentary_min"), vec![Some(612.0), Some(1440.0)]);
    let reasons: Vec<&str> = ing.rejections.iter().map(|r| r.reason.as_str()).collect();
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert!(reasons[0].contains("\"Body\"") && reasons[1].contains("\"Sleep\""));

    // Apple resting heart rate: the day's mean of 52 and 56 = 54; heart-rate samples are not
    // an input and say so.
    let ing = load("apple-csv-hr");
    assert_eq!(f64s(&ing.frames.daily, "resting_hr"), vec![Some(54.0)]);
    assert!(ing.rejections[0].reason.contains("HeartRate is not used"));

    // Strava with German headers and a decimal comma: "2,81" km, 3000 s = 50 min.
    let ing = load("strava-german");
    let a = &ing.frames.activities;
    assert_eq!(f64s(a, "distance_km"), vec![Some(2.81)]);
    assert_eq!(f64s(a, "duration_min"), vec![Some(50.0)]);
    assert_eq!(dates(a), vec!["2026-07-21"]);
}

#[test]
fn native_files_keep_the_native_reader() {
    // A native activities file with a BOM is still native; a semicolon-separated one (a
    // spreadsheet re-save) is read with a note; a tab-separated one is not read, and the
    // message says why.
    let dir = tempfile::tempdir().unwrap();
    let ana = dir.path().join("ana");
    std::fs::create_dir(&ana).unwrap();
    std::fs::write(
        ana.join("a.csv"),
        "\u{feff}athlete,start,duration_min\nana,2025-07-01 07:00,60\n",
    )
    .unwrap();
    std::fs::write(
        ana.join("b.csv"),
        "athlete;start;duration_min;distance_km\nana;2025-07-02 07:00;60;10,5\n",
    )
    .unwrap();
    std::fs::write(
        ana.join("c.csv"),
        "athlete\tstart\tduration_min\nana\t2025-07-03 07:00\t60\n",
    )
    .unwrap();
    let ing = load_with(dir.path(), &ReadOptions::default());
    assert_eq!(ing.files[0].vendor, None);
    assert_eq!(ing.files[0].rows_used, 1);
    assert_eq!(ing.files[1].vendor, None);
    assert_eq!(ing.files[1].rows_used, 1);
    assert!(ing.files[1].notes.iter().any(|n| n.contains("semicolon")));
    let km = ing.frames.activities.column("distance_km").unwrap();
    assert_eq!(km.f64().unwrap().get(1), Some(10.5));
    let why = ing.files[2].skipped.clone().unwrap_or_default();
    assert!(
        why.contains("native files must be comma- or semicolon-separated"),
        "{why}"
    );
}

#[test]
fn a_long_break_gives_no_nan_risk() {
    // Real exports have months without sessions. 31 daily runs in January, then nothing
    // until 15 March: from 1 March no training day lies in the previous 28 days, so the
    // "usual day load" is unknown (it was 0/0 = NaN, printed as an empty risk with band
    // very_high). Every day must have a numeric risk score.
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("athlete,start,sport,duration_min\n");
    for d in 1..=31 {
        csv.push_str(&format!("ana,2025-01-{d:02} 07:00,run,45\n"));
    }
    csv.push_str("ana,2025-03-15 07:00,run,45\n");
    std::fs::write(dir.path().join("activities.csv"), csv).unwrap();
    let out = tempfile::tempdir().unwrap();
    cramprisk()
        .arg("analyze")
        .arg(dir.path())
        .arg("--out")
        .arg(out.path())
        .assert()
        .success();
    let rows = read_csv(&out.path().join("daily_risk.csv"));
    assert_eq!(rows.len(), 31 + 28 + 15, "2025-01-01 … 2025-03-15");
    for r in &rows {
        let score: f64 = r["risk_pct"]
            .parse()
            .unwrap_or_else(|_| panic!("{}: risk_pct {:?}", r["date"], r["risk_pct"]));
        assert!(score.is_finite(), "{}", r["date"]);
    }
}

#[test]
fn garmin_unescaped_quotes_and_short_rows() {
    // Garmin does not escape quotes inside titles (`"8km + 10x20"/40" + 2km"`): the lenient
    // reader keeps the columns in place. A row with a field missing is rejected, not shifted.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Activities.csv"),
        "Activity Type,Date,Favorite,Title,Distance,Calories,Time\r\n\
         Running,2025-11-06 16:16:43,false,\"8km + 10x20\"/40\" + 2km\",\"12.19\",\"541\",\"00:59:49\"\r\n\
         Running,2025-11-07 16:16:43,false,\"short\",\"5.00\",\"00:30:00\"\r\n",
    )
    .unwrap();
    let ing = load_with(dir.path(), &ReadOptions::default());
    let a = &ing.frames.activities;
    assert_eq!(f64s(a, "distance_km"), vec![Some(12.19)]);
    close(f64s(a, "duration_min")[0], 59.0 + 49.0 / 60.0);
    assert_eq!(ing.rejections.len(), 1);
    assert_eq!(ing.rejections[0].line, Some(3));
    assert!(ing.rejections[0]
        .reason
        .contains("has 6 fields, the header has 7"));
}

#[test]
fn apple_workout_csv() {
    // 31.7368 min, 3.2 mi × 1.609344 = 5.1499008 km, 139.317 kcal; a 0-minute workout is
    // rejected.
    let ing = load("apple-workout-csv");
    assert_eq!(
        ing.files[0].vendor.as_deref(),
        Some("apple-health-workout-csv")
    );
    let a = &ing.frames.activities;
    close(f64s(a, "duration_min")[0], 31.736_802_517_374_36);
    close(f64s(a, "distance_km")[0], 5.149_900_8);
    close(f64s(a, "calories_kcal")[0], 139.317);
    assert_eq!(dates(a), vec!["2016-04-14"]);
    assert_eq!(ing.files[0].rows_rejected, 1);
}

#[test]
fn open_meteo_times_move_to_the_athletes_zone() {
    // A GMT download (utc_offset_seconds 0): 12:00 GMT on 1 July is 14:00 in Copenhagen
    // (CEST, UTC+2); without --tz the time stays as written. A NaN temperature rejects its row.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("open-meteo.csv"),
        "latitude,longitude,elevation,utc_offset_seconds,timezone,timezone_abbreviation\n\
         52.52,13.419998,38.0,0,GMT,GMT\n\
         \n\
         time,temperature_2m (°F),wind_speed_10m (mph)\n\
         2025-07-01T12:00,86.0,10\n\
         2025-07-01T13:00,NaN,10\n",
    )
    .unwrap();
    let hour = |opts: &ReadOptions| {
        let ing = load_with(dir.path(), opts);
        let w = ing.frames.weather_hourly.clone();
        let t = w
            .column("time")
            .unwrap()
            .datetime()
            .unwrap()
            .physical()
            .get(0);
        (
            t,
            f64s(&w, "temp_c")[0],
            f64s(&w, "wind_kmh")[0],
            ing.files[0].rows_rejected,
        )
    };
    let at = |s: &str| {
        Some(cramprisk::dates::to_millis(
            cramprisk::dates::parse_datetime(s).unwrap(),
        ))
    };
    let (t, temp, wind, rejected) = hour(&ReadOptions::default());
    assert_eq!(t, at("2025-07-01 12:00"));
    // 86 °F = 30 °C; 10 mph = 16.09344 km/h.
    close(temp, 30.0);
    close(wind, 16.093_44);
    assert_eq!(rejected, 1);
    let (t, ..) = hour(&ReadOptions {
        tz: Some(chrono_tz::Europe::Copenhagen),
        ..ReadOptions::default()
    });
    assert_eq!(t, at("2025-07-01 14:00"));
}

#[test]
fn noaa_ghcn_metric_order() {
    // PRCP with one decimal is mm: a metric order, temperatures already °C. 2025-07-02 is
    // absent and stays absent; an empty TMAX rejects its day.
    let ing = load("noaa-ghcn-metric");
    assert!(ing.files[0]
        .units
        .as_deref()
        .unwrap_or("")
        .starts_with("metric"));
    let w = &ing.frames.weather_daily;
    assert_eq!(dates(w), vec!["2025-07-01", "2025-07-03"]);
    assert_eq!(f64s(w, "tmax_c"), vec![Some(34.2), Some(28.0)]);
    assert_eq!(ing.files[0].rows_rejected, 1);
}
