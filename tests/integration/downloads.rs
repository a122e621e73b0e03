//! Real downloads as they come (issue 16): archives and folders shaped like each vendor's
//! download, built here from small hand-made members (FIT files from the encoder in
//! `fitenc`), Strava's own weather, and each defect of the issue on a hand-made file of the
//! same shape. Expected values are worked out by hand in the comments.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use cramprisk::ingest::{self, ReadOptions};
use polars::prelude::*;

use crate::fitenc::{self, Run};
use crate::util::{cramprisk, day, read_csv, Workdir};

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

/// A zip archive of stored (uncompressed) members, written by hand from the ZIP format
/// (PKWARE APPNOTE: local headers, central directory, end record), independent of the reader.
fn zip_file(path: &Path, members: &[(&str, Vec<u8>)]) {
    let mut out: Vec<u8> = Vec::new();
    let mut central: Vec<u8> = Vec::new();
    for (name, bytes) in members {
        let mut crc = flate2::Crc::new();
        crc.update(bytes);
        let (crc, size, offset) = (crc.sum(), bytes.len() as u32, out.len() as u32);
        let common = |v: &mut Vec<u8>| {
            v.extend_from_slice(&20u16.to_le_bytes()); // version needed
            v.extend_from_slice(&0u16.to_le_bytes()); // flags
            v.extend_from_slice(&0u16.to_le_bytes()); // method: stored
            v.extend_from_slice(&0u16.to_le_bytes()); // time
            v.extend_from_slice(&0x21u16.to_le_bytes()); // date 1980-01-01
            v.extend_from_slice(&crc.to_le_bytes());
            v.extend_from_slice(&size.to_le_bytes());
            v.extend_from_slice(&size.to_le_bytes());
            v.extend_from_slice(&(name.len() as u16).to_le_bytes());
            v.extend_from_slice(&0u16.to_le_bytes()); // extra length
        };
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        common(&mut out);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(bytes);
        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&20u16.to_le_bytes()); // version made by
        common(&mut central);
        central.extend_from_slice(&[0; 6]); // comment length, disk, internal attributes
        central.extend_from_slice(&0u32.to_le_bytes()); // external attributes
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
    }
    let (cd_offset, cd_size) = (out.len() as u32, central.len() as u32);
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]); // disk numbers
    out.extend_from_slice(&(members.len() as u16).to_le_bytes());
    out.extend_from_slice(&(members.len() as u16).to_le_bytes());
    out.extend_from_slice(&cd_size.to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes()); // comment length
    std::fs::write(path, out).unwrap();
}

fn load(paths: &[PathBuf], opts: &ReadOptions) -> ingest::Ingested {
    let (files, profiles) = ingest::discover(paths).unwrap();
    ingest::load(&files, &profiles, opts).unwrap()
}

fn f64s(df: &DataFrame, col: &str) -> Vec<Option<f64>> {
    df.column(col).unwrap().f64().unwrap().iter().collect()
}

fn strs<'a>(df: &'a DataFrame, col: &str) -> Vec<Option<&'a str>> {
    df.column(col).unwrap().str().unwrap().iter().collect()
}

/// A 50-minute, 10 km treadmill-free run at 07:30 UTC on 2025-07-01, device 2 h ahead of UTC.
fn run_fit() -> Vec<u8> {
    fitenc::activity(&Run {
        start_utc: "2025-07-01 07:30:00",
        timer_s: 3000,
        distance_m: 10_000,
        sport: 1,
        sub_sport: 0,
        avg_hr: 150,
        max_hr: 172,
        avg_temp_c: 31,
        utc_offset_s: 7200,
    })
}

const STRAVA_HEADER: &str = "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,Filename,Elapsed Time,Moving Time,Distance,Average Heart Rate,Average Temperature,Weather Temperature,Humidity\n";

fn strava_csv() -> Vec<u8> {
    let mut t = STRAVA_HEADER.to_string();
    // The FIT run above, with Strava's weather: 28 °C, humidity 0.60.
    t.push_str("1,\"Jul 1, 2025, 7:30:00 AM\",Morning Run,Run,3000,10.0,activities/1.fit.gz,3000.0,3000.0,10000.0,150.0,31.0,28.0,0.6\n");
    // A ride whose file is a GPX (not read): no weather at all.
    t.push_str("2,\"Jul 3, 2025, 6:00:00 PM\",Evening Ride,Ride,3600,30.0,activities/2.gpx.gz,3600.0,3600.0,30000.0,140.0,,,\n");
    t.into_bytes()
}

#[test]
fn a_fit_file_reads_into_one_session() {
    let dir = tempfile::tempdir().unwrap();
    let ana = dir.path().join("ana");
    std::fs::create_dir(&ana).unwrap();
    std::fs::write(ana.join("run.fit"), run_fit()).unwrap();
    let ing = load(&[dir.path().to_path_buf()], &ReadOptions::default());
    let r = &ing.files[0];
    assert_eq!(r.vendor.as_deref(), Some("fit"), "{r:?}");
    assert_eq!((r.rows_read, r.rows_used), (1, 1));
    assert!(r.time_zone.as_deref().unwrap().contains("+2.0 h"), "{r:?}");
    let a = &ing.frames.activities;
    assert_eq!(a.height(), 1);
    // 3000 s timer = 50 min; 10 000 m = 10 km; heart rates as written.
    assert_eq!(f64s(a, "duration_min"), vec![Some(50.0)]);
    assert_eq!(f64s(a, "distance_km"), vec![Some(10.0)]);
    assert_eq!(f64s(a, "avg_hr"), vec![Some(150.0)]);
    assert_eq!(f64s(a, "max_hr"), vec![Some(172.0)]);
    let sport = a
        .column("sport")
        .unwrap()
        .str()
        .unwrap()
        .get(0)
        .map(str::to_string);
    assert_eq!(sport.as_deref(), Some("run"));
    // 07:30 UTC + 2 h device offset = 09:30 local.
    let start = a
        .column("start")
        .unwrap()
        .datetime()
        .unwrap()
        .physical()
        .get(0)
        .unwrap();
    let want = chrono::NaiveDateTime::parse_from_str("2025-07-01 09:30:00", "%Y-%m-%d %H:%M:%S")
        .unwrap()
        .and_utc()
        .timestamp_millis();
    assert_eq!(start, want);
    // The device's 31 °C is the temperature of the run's hours (09:00 and 10:00: 09:30 +
    // 50 min ends 10:19), without humidity.
    let w = &ing.frames.weather_hourly;
    assert_eq!(f64s(w, "temp_c"), vec![Some(31.0), Some(31.0)]);
    assert_eq!(f64s(w, "rh_pct"), vec![None, None]);
}

#[test]
fn a_damaged_fit_file_is_named_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = run_fit();
    let n = bytes.len();
    bytes[n - 5] ^= 0xFF; // breaks the checksum
    let p = dir.path().join("bad.fit");
    std::fs::write(&p, bytes).unwrap();
    let ing = load(&[p], &ReadOptions::default());
    let why = ing.files[0].skipped.as_deref().unwrap_or("");
    assert!(why.contains("not a readable FIT file"), "{why}");
    assert_eq!(ing.rejections.len(), 1);
}

#[test]
fn strava_export_zip_reads_end_to_end_with_every_member_accounted_for() {
    let dir = tempfile::tempdir().unwrap();
    let ana = dir.path().join("ana");
    std::fs::create_dir(&ana).unwrap();
    let zip = ana.join("export_1234.zip");
    zip_file(
        &zip,
        &[
            ("export_1234/activities.csv", strava_csv()),
            ("export_1234/activities/1.fit.gz", gz(&run_fit())),
            ("export_1234/activities/2.gpx.gz", gz(b"<gpx/>")),
            ("export_1234/media/photo.jpg", vec![0xFF, 0xD8, 0xFF]),
        ],
    );
    let ing = load(&[dir.path().to_path_buf()], &ReadOptions::default());
    // Two members read (the CSV and the FIT file), two counted as not ours in one line.
    let note = ing
        .warnings
        .iter()
        .find(|w| w.contains("export_1234.zip"))
        .expect("a one-line summary of the archive");
    assert!(note.contains("2 member(s) to read"), "{note}");
    assert!(note.contains("2 not read"), "{note}");
    assert!(
        note.contains("1 .gpx.gz") && note.contains("1 .jpg"),
        "{note}"
    );
    assert_eq!(ing.files.len(), 2, "{:?}", ing.files);
    // Names shown are the archive's, never the temporary folder's.
    for f in &ing.files {
        assert!(
            f.path.starts_with(&zip),
            "{} is not shown under the zip",
            f.path.display()
        );
    }
    for r in &ing.rejections {
        assert!(r.file.starts_with(&zip.display().to_string()), "{r:?}");
        assert!(!r.reason.contains("cramprisk-"), "{r:?}");
    }
    // Both CSV rows used; the FIT file is the CSV's first row (its Filename), counted once.
    let csv = ing
        .files
        .iter()
        .find(|f| f.vendor.as_deref() == Some("strava"))
        .unwrap();
    assert_eq!((csv.rows_read, csv.rows_used), (2, 2));
    let fit = ing
        .files
        .iter()
        .find(|f| f.vendor.as_deref() == Some("fit"))
        .unwrap();
    assert_eq!((fit.rows_read, fit.rows_used, fit.rows_rejected), (1, 0, 1));
    assert_eq!(ing.frames.activities.height(), 2);
    // One athlete, from the folder the download is in.
    let names = ing
        .frames
        .activities
        .column("athlete")
        .unwrap()
        .str()
        .unwrap()
        .clone();
    assert!(names.iter().all(|n| n == Some("ana")), "{names:?}");
    // Strava's weather (28 °C, 60 %) for the run's hours 07:00 and 08:00 (UTC days: no
    // --tz), not the device's 31 °C; the ride has none.
    let w = &ing.frames.weather_hourly;
    assert_eq!(f64s(w, "temp_c"), vec![Some(28.0), Some(28.0)]);
    assert_eq!(f64s(w, "rh_pct"), vec![Some(60.0), Some(60.0)]);
    assert!(csv
        .notes
        .iter()
        .any(|n| n.contains("1 session(s) give the weather of their hours (strava-weather)")));
}

#[test]
fn strava_weather_gives_heat_named_by_source() {
    let dir = tempfile::tempdir().unwrap();
    let ana = dir.path().join("ana");
    std::fs::create_dir(&ana).unwrap();
    std::fs::write(ana.join("activities.csv"), strava_csv()).unwrap();
    let out = dir.path().join("out");
    let assert = cramprisk()
        .args([
            "analyze",
            "--as-of",
            "2025-07-03",
            "--charts",
            "none",
            "--out",
        ])
        .arg(&out)
        .arg(&ana)
        .assert()
        .success();
    // The run's summary names the source of the weather.
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    assert!(
        stdout.contains("1 session(s) give the weather of their hours (strava-weather)"),
        "{stdout}"
    );
    let rows = read_csv(&out.join("daily_risk.csv"));
    // NWS heat index at 28 °C (82.4 °F) and 60 %: the Rothfusz regression gives 85.01 °F
    // = 29.4498 °C (computed by hand from the NWS formula), written with one decimal: 29.4.
    crate::util::assert_num(day(&rows, "ana", "2025-07-01"), "heat_index_c", 29.4, 1e-9);
    assert_eq!(day(&rows, "ana", "2025-07-03")["heat_index_c"], "");
}

#[test]
fn a_csv_gz_is_read_in_place_under_its_own_name() {
    let dir = tempfile::tempdir().unwrap();
    let ana = dir.path().join("ana");
    std::fs::create_dir(&ana).unwrap();
    let p = ana.join("activities.csv.gz");
    std::fs::write(&p, gz(&strava_csv())).unwrap();
    let ing = load(&[dir.path().to_path_buf()], &ReadOptions::default());
    assert_eq!(ing.files.len(), 1);
    assert_eq!(ing.files[0].path, p);
    assert_eq!(ing.files[0].rows_used, 2);
    assert_eq!(ing.frames.activities.height(), 2);
}

#[test]
fn garmin_export_zip_with_nested_fit_archive() {
    let dir = tempfile::tempdir().unwrap();
    let ben = dir.path().join("ben");
    std::fs::create_dir(&ben).unwrap();
    // Garmin keeps the original FIT files in zips inside its export.
    let elsewhere = tempfile::tempdir().unwrap();
    let inner = elsewhere.path().join("inner.zip");
    zip_file(&inner, &[("run_1.fit", run_fit())]);
    let zip = ben.join("garmin-export.zip");
    zip_file(
        &zip,
        &[
            (
                "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip",
                std::fs::read(&inner).unwrap(),
            ),
            (
                "DI_CONNECT/DI-Connect-Aggregator/HydrationLogFile_2025-07-01_2025-07-31.json",
                br#"[{"calendarDate":"2025-07-01","timestampLocal":"2025-07-01T12:00:00.0","valueInML":500.0}]"#.to_vec(),
            ),
            ("DI_CONNECT/DI-Connect-User/user_profile.json", b"{}".to_vec()),
        ],
    );
    let ing = load(&[dir.path().to_path_buf()], &ReadOptions::default());
    let fit = ing
        .files
        .iter()
        .find(|f| f.vendor.as_deref() == Some("fit"))
        .unwrap();
    assert_eq!(fit.rows_used, 1, "{fit:?}");
    let fluids = &ing.frames.fluids;
    assert_eq!(f64s(fluids, "fluid_intake_ml"), vec![Some(500.0)]);
    let names: Vec<_> = ing
        .frames
        .activities
        .column("athlete")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .map(|s| s.map(str::to_string))
        .collect();
    assert_eq!(names, vec![Some("ben".to_string())]);
    let note = ing
        .warnings
        .iter()
        .find(|w| w.contains("garmin-export.zip: "))
        .unwrap();
    assert!(note.contains("1 .json"), "{note}");
    // The nested archive is named as a member of the outer one.
    assert!(
        ing.warnings.iter().any(|w| w.ends_with(
            "garmin-export.zip/DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip: 1 member(s) to read"
        )),
        "{:?}",
        ing.warnings
    );
}

// ---------------------------------------------------------------------------------------
// The defects of issue 16, each on a hand-made file of the same shape as the one that
// showed it (failing before the fix, passing after).

/// A Garmin activities list of two sessions in ana's folder, read as Garmin with both rows used.
fn garmin_two_sessions(text: &str) -> (tempfile::TempDir, ingest::Ingested) {
    let (dir, ing) = one_file("Activities.csv", text);
    let r = &ing.files[0];
    assert_eq!(r.vendor.as_deref(), Some("garmin"), "{:?}", ing.rejections);
    assert_eq!((r.rows_read, r.rows_used), (2, 2), "{:?}", ing.rejections);
    (dir, ing)
}

fn one_file(name: &str, text: &str) -> (tempfile::TempDir, ingest::Ingested) {
    one_file_with(name, text, &ReadOptions::default())
}

fn one_file_with(
    name: &str,
    text: &str,
    opts: &ReadOptions,
) -> (tempfile::TempDir, ingest::Ingested) {
    let dir = tempfile::tempdir().unwrap();
    let ana = dir.path().join("ana");
    std::fs::create_dir(&ana).unwrap();
    let p = ana.join(name);
    std::fs::write(&p, text).unwrap();
    let ing = load(&[p], opts);
    (dir, ing)
}

const LCD_HEADER: &str = "STATION,DATE,LATITUDE,LONGITUDE,ELEVATION,NAME,REPORT_TYPE,SOURCE,HourlyDewPointTemperature,HourlyDryBulbTemperature,HourlyRelativeHumidity,HourlyWindSpeed\n";

#[test]
fn noaa_lcd_in_celsius_is_read_as_celsius() {
    // The newer layout writes °C: 16.7 °C with an 8.9 °C dew point is 60 % humidity
    // (Magnus: e(8.9)/e(16.7) = 11.38/18.97 hPa); read as °F it was −8.5 °C.
    // A later special report in the same hour, 18.3 °C (54 %), is kept too.
    let text = format!(
        "{LCD_HEADER}72530094846,2025-06-01T13:51:00,41.96,-87.93,201.8,\"CHICAGO OHARE, IL US\",FM-15,7,8.9,16.7,60,4.1\n\
         72530094846,2025-06-01T13:58:00,41.96,-87.93,201.8,\"CHICAGO OHARE, IL US\",FM-16,7,8.9,18.3,54,5.1\n"
    );
    let (_d, ing) = one_file("lcd.csv", &text);
    let r = &ing.files[0];
    assert_eq!(r.vendor.as_deref(), Some("noaa-lcd"));
    assert!(r.units.as_deref().unwrap().starts_with("metric"), "{r:?}");
    assert_eq!((r.rows_read, r.rows_used), (2, 2), "{:?}", ing.rejections);
    let w = &ing.frames.weather_hourly;
    assert_eq!(f64s(w, "temp_c"), vec![Some(16.7), Some(18.3)]);
    // 4.1 m/s × 3.6 = 14.76 km/h.
    let wind = f64s(w, "wind_kmh")[0].unwrap();
    assert!((wind - 14.76).abs() < 1e-9, "{wind}");
}

#[test]
fn noaa_lcd_in_fahrenheit_stays_fahrenheit_and_units_flag_decides() {
    // Classic layout: 62 °F with a 48 °F dew point is 60 % (the same check in °F);
    // 62 °F = (62 − 32) × 5/9 = 16.67 °C.
    let text = format!(
        "{LCD_HEADER}72530094846,2025-06-01T13:51:00,41.96,-87.93,201.8,\"CHICAGO OHARE, IL US\",FM-15,7,48,62,60,9\n"
    );
    let (_d, ing) = one_file("lcd.csv", &text);
    assert!(ing.files[0]
        .units
        .as_deref()
        .unwrap()
        .starts_with("imperial"));
    let t = f64s(&ing.frames.weather_hourly, "temp_c")[0].unwrap();
    assert!((t - 16.666_666_7).abs() < 1e-6, "{t}");
    // `--units metric` now applies to LCD: 62 is then °C, above nothing but plausible (62 >
    // 60 °C limit → rejected with a reason, never silently converted).
    let opts = ReadOptions {
        units: Some(cramprisk::ingest::format::Units::Metric),
        ..ReadOptions::default()
    };
    let (_d, ing) = one_file_with("lcd.csv", &text, &opts);
    assert!(ing.files[0].units.as_deref().unwrap().contains("--units"));
    assert_eq!(ing.files[0].rows_rejected, 1);
}

const GARMIN_HEADER: &str =
    "Activity Type,Date,Favorite,Title,Distance,Calories,Time,Avg HR,Max HR\n";

#[test]
fn garmin_re_saved_decimal_comma_cell_and_track_run() {
    let text = format!(
        "{GARMIN_HEADER}Running,2025-06-03 07:00:00,false,\"Short\",\"2,81\",\"150\",\"00:12:00\",\"150\",\"165\"\n\
         Running,2025-06-02 07:00:00,false,\"Easy\",\"10.50\",\"700\",\"00:55:00\",\"148\",\"170\"\n\
         Track Running,2025-06-01 18:00:00,false,\"Track\",\"2,810\",\"200\",\"00:12:00\",\"160\",\"180\"\n\
         Running,2025-05-31 07:00:00,false,\"Easy\",\"5.20\",\"350\",\"00:28:00\",\"145\",\"160\"\n"
    );
    let (_d, ing) = one_file("Activities.csv", &text);
    let r = &ing.files[0];
    assert_eq!((r.rows_read, r.rows_used), (4, 4), "{:?}", ing.rejections);
    // "2,81" is 2.81 km (a comma before two digits is no thousands separator), not 281 km;
    // "2,810" on the track run is 2810 m = 2.81 km (Garmin lists track runs in metres).
    assert_eq!(
        f64s(&ing.frames.activities, "distance_km"),
        vec![Some(2.81), Some(10.5), Some(2.81), Some(5.2)]
    );
    assert!(
        r.notes.iter().any(|n| n.contains("\"2,81\" on line 2")),
        "{:?}",
        r.notes
    );
}

#[test]
fn a_misread_distance_fails_the_speed_check() {
    // 281 km in 12 minutes is 1405 km/h: no run is that fast, the row is rejected naming it.
    let text = format!(
        "{GARMIN_HEADER}Running,2025-06-03 07:00:00,false,\"Short\",\"281\",\"150\",\"00:12:00\",\"150\",\"165\"\n"
    );
    let (_d, ing) = one_file("Activities.csv", &text);
    assert_eq!(ing.files[0].rows_rejected, 1);
    assert!(
        ing.rejections[0].reason.contains("1405.0 km/h"),
        "{:?}",
        ing.rejections
    );
}

#[test]
fn polar_session_with_dotted_date() {
    let text = "Name,Sport,Date,Start time,Duration,Total distance (km),Average heart rate (bpm),Average speed (km/h),Max speed (km/h),Average pace (min/km),Max pace (min/km),Calories,Fat percentage of calories(%),Average cadence (rpm),Average stride length (cm),Running index,Training load,Ascent (m),Descent (m),Notes,Height (cm),Weight (kg),HR max,HR sit,VO2max,\n\
Test Person,RUNNING,06.09.2015,18:02:11,00:45:30,8.12,152,10.7,15.1,05:36,03:58,610,25,82,,48,95,40,38,,180.0,75.0,190,55,50,\n\
Sample rate,Time,HR (bpm),Speed (km/h),Pace (min/km),Cadence,Altitude (m),Stride length (m),Distances (m),Temperatures (C),Power (W),\n\
1,00:00:00,95,3.7,16:13,0,116,,0.70,31.3,,\n";
    let (_d, ing) = one_file("polar.csv", text);
    let r = &ing.files[0];
    assert_eq!(r.vendor.as_deref(), Some("polar"));
    assert_eq!(r.rows_used, 1, "{:?}", ing.rejections);
    // 00:45:30 = 45.5 min.
    assert_eq!(
        f64s(&ing.frames.activities, "duration_min"),
        vec![Some(45.5)]
    );
}

#[test]
fn fluid_log_with_separate_date_and_time() {
    let text = "date,time,amount,unit,drink\n2025-06-01,08:00,250,ml,water\n2025-06-01,12:30,0.5,l,water\n";
    let (_d, ing) = one_file("drinks.csv", text);
    assert_eq!(ing.files[0].rows_used, 2, "{:?}", ing.rejections);
    // 250 ml + 0.5 l = 750 ml, on the day of the date column (the fluids are read as days'
    // totals: a drink's time of day only dates it).
    let fluids = &ing.frames.fluids;
    assert_eq!(f64s(fluids, "fluid_intake_ml"), vec![Some(750.0)]);
    let day = fluids
        .column("date")
        .unwrap()
        .cast(&DataType::Int32)
        .unwrap();
    let want = cramprisk::dates::to_days(NaiveDate::from_ymd_opt(2025, 6, 1).unwrap());
    assert_eq!(day.i32().unwrap().get(0), Some(want));
}

// Garmin exports from Spanish, Portuguese and Dutch accounts. The headers follow importers'
// code and user reports (docs/formats.md says which are not verified against a real file);
// the values are made up here.

#[test]
fn garmin_spanish_account() {
    let text = "Tipo de actividad,Fecha,Favorito,Título,Distancia,Calorías,Tiempo,FC media,FC máxima,TE aeróbico,Cadencia de carrera media,Longitud media de zancada,Training Stress Score®,Pasos,Tiempo en movimiento,Tiempo transcurrido\r\n\
Carrera,2025-06-02 07:00:00,false,\"Rodaje\",\"10.00\",\"650\",\"00:50:00\",\"150\",\"170\",\"3.0\",\"170\",\"1.18\",\"0.0\",\"8,500\",\"00:49:50\",\"00:51:00\"\r\n\
Natación en piscina,2025-06-03 18:00:00,false,\"Piscina\",\"1,500\",\"400\",\"00:40:00\",\"130\",\"150\",\"2.0\",\"--\",\"--\",\"0.0\",\"--\",\"00:38:00\",\"00:41:00\"\r\n";
    let (_d, ing) = garmin_two_sessions(text);
    let r = &ing.files[0];
    // Steps × stride / distance = 8500 × 1.18 / 10 = 1003 m per unit: kilometres.
    assert!(
        r.units.as_deref().unwrap().starts_with("metric (detected"),
        "{r:?}"
    );
    let a = &ing.frames.activities;
    let sports = strs(a, "sport");
    assert_eq!(sports, vec![Some("run"), Some("swim")]);
    // The pool swim is in metres: "1,500" = 1500 m = 1.5 km.
    assert_eq!(f64s(a, "distance_km"), vec![Some(10.0), Some(1.5)]);
    assert_eq!(f64s(a, "duration_min"), vec![Some(50.0), Some(40.0)]);
    assert_eq!(f64s(a, "avg_hr"), vec![Some(150.0), Some(130.0)]);
}

#[test]
fn garmin_portuguese_account() {
    let text = "Tipo de atividade,Data,Favorito,Título,Distância,Calorias,Tempo,FC Média,FC máxima,Training Stress Score®,Tempo em movimento,Tempo decorrido\r\n\
Corrida,2025-06-02 07:00:00,false,\"Treino\",\"8.00\",\"520\",\"00:42:00\",\"148\",\"168\",\"0.0\",\"00:41:30\",\"00:43:00\"\r\n\
Corrida na esteira,2025-06-04 19:00:00,false,\"Esteira\",\"6.00\",\"400\",\"00:33:00\",\"150\",\"166\",\"0.0\",\"00:33:00\",\"00:33:00\"\r\n";
    let (_d, ing) = garmin_two_sessions(text);
    let a = &ing.frames.activities;
    let sports = strs(a, "sport");
    // The treadmill run keeps its indoor marker (no outdoor heat).
    assert_eq!(sports, vec![Some("run"), Some("treadmill run")]);
    assert_eq!(f64s(a, "distance_km"), vec![Some(8.0), Some(6.0)]);
    assert_eq!(f64s(a, "max_hr"), vec![Some(168.0), Some(166.0)]);
}

#[test]
fn garmin_dutch_account_with_raw_type_keys_and_minute_durations() {
    let text = "Activiteittype,Datum,Favoriet,Titel,Afstand,Calorieën,Tijd,Gem. HS,Max. HS,Aeroob TE,Training Stress Score®,Tijd bewogen,Verstreken tijd\r\n\
running,2025-06-02 07:00:00,false,\"Ochtendloop\",\"8.00\",\"520\",\"42:30\",\"148\",\"168\",\"2.8\",\"0.0\",\"42:10\",\"43:05\"\r\n\
lap_swimming,2025-06-03 18:00:00,false,\"Zwemmen\",\"1,200\",\"300\",\"35:00\",\"125\",\"145\",\"1.9\",\"0.0\",\"30:00\",\"36:00\"\r\n";
    let (_d, ing) = garmin_two_sessions(text);
    let a = &ing.frames.activities;
    let sports = strs(a, "sport");
    assert_eq!(sports, vec![Some("run"), Some("swim")]);
    // "42:30" is 42 min 30 s = 42.5 min; "35:00" = 35 min.
    assert_eq!(f64s(a, "duration_min"), vec![Some(42.5), Some(35.0)]);
    // The lap swim's "1,200" is metres: 1.2 km.
    assert_eq!(f64s(a, "distance_km"), vec![Some(8.0), Some(1.2)]);
}

#[test]
fn a_garmin_export_in_an_unknown_language_is_refused_naming_garmin() {
    // An Italian account (not supported): the refusal says what the file looks like.
    let text = "Tipo di attività,Data,Preferito,Titolo,Distanza,Calorie,Tempo,FC Media,FC max,TE aerobico,Training Stress Score®\r\n\
Corsa,2025-06-02 07:00:00,false,\"Corsa\",\"8.00\",\"520\",\"00:42:00\",\"148\",\"168\",\"2.8\",\"0.0\"\r\n";
    let (_d, ing) = one_file("Activities.csv", text);
    assert!(ing.files[0].skipped.is_some());
    let reason = &ing.rejections[0].reason;
    assert!(
        reason.contains(
            "looks like a Garmin activities export in a language not yet supported: its columns (Tipo di attività, Data, Preferito, Titolo, Distanza, …)"
        ),
        "{reason}"
    );
    assert!(!reason.contains("no known column found"), "{reason}");
    // A small file of another shape is not taken for Garmin.
    let (_d, ing) = one_file(
        "mystery.csv",
        "Activity Type,Date,Distance,Calories\nRunning,2025-07-01 07:00:00,5.0,300\n",
    );
    assert!(
        !ing.rejections[0].reason.contains("Garmin"),
        "{:?}",
        ing.rejections
    );
}

// WHOOP's daily files and Apple Health's resting heart rate, read into the daily summaries
// and shown in daily_risk.csv (resting_hr, sleep_min: information, not scored).

const WHOOP_CYCLES: &str = "Cycle start time,Cycle end time,Cycle timezone,Recovery score %,Resting heart rate (bpm),Heart rate variability (ms),Skin temp (celsius),Blood oxygen %,Day Strain,Energy burned (cal),Max HR (bpm),Average HR (bpm),Sleep onset,Wake onset,Sleep performance %,Respiratory rate (rpm),Asleep duration (min),In bed duration (min),Light sleep duration (min),Deep (SWS) duration (min),REM duration (min),Awake duration (min),Sleep need (min),Sleep debt (min),Sleep efficiency %,Sleep consistency %\n\
2025-06-02 22:10:00,,UTC+02:00,,,,,,,,,,,,,,,,,,,,,,,\n\
2025-06-01 22:30:00,2025-06-02 22:10:00,UTC+02:00,66,52,71,33.9,96.1,12.3,2400,171,80,2025-06-01 22:30:00,2025-06-02 06:45:00,92,15.2,450,495,230,95,125,45,480,30,91,80\n\
2025-05-31 23:05:00,2025-06-01 22:30:00,UTC+02:00,40,58,45,34.1,95.8,8.1,2100,160,78,2025-05-31 23:05:00,2025-06-01 07:10:00,70,15.8,390,485,200,80,110,95,480,60,80,75\n";

/// The daily frame's (date, column) values, in date order.
fn daily_values(ing: &ingest::Ingested, col: &str) -> Vec<(String, Option<f64>)> {
    let d = ing.frames.daily.sort(["date"], Default::default()).unwrap();
    let dates: Vec<String> = d
        .column("date")
        .unwrap()
        .cast(&polars::prelude::DataType::String)
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .map(|s| s.unwrap().to_string())
        .collect();
    dates.into_iter().zip(f64s(&d, col)).collect()
}

#[test]
fn whoop_physiological_cycles_give_resting_hr_and_sleep_of_the_morning() {
    let (_d, ing) = one_file("physiological_cycles.csv", WHOOP_CYCLES);
    let r = &ing.files[0];
    assert_eq!(
        r.vendor.as_deref(),
        Some("whoop-cycles"),
        "{:?}",
        ing.rejections
    );
    // The open cycle (line 2) has no night recorded: rejected saying so; the two others used.
    assert_eq!((r.rows_read, r.rows_used, r.rows_rejected), (3, 2, 1));
    assert_eq!(ing.rejections[0].line, Some(2));
    assert!(
        ing.rejections[0]
            .reason
            .contains("no resting heart rate and no sleep"),
        "{:?}",
        ing.rejections
    );
    // The night of 31 May → 1 June (woke 07:10 on 1 June) is 1 June's: 58 bpm, 390 min; the
    // night ending 06:45 on 2 June is 2 June's: 52 bpm, 450 min.
    assert_eq!(
        daily_values(&ing, "resting_hr"),
        vec![
            ("2025-06-01".to_string(), Some(58.0)),
            ("2025-06-02".to_string(), Some(52.0))
        ]
    );
    assert_eq!(
        daily_values(&ing, "sleep_min"),
        vec![
            ("2025-06-01".to_string(), Some(390.0)),
            ("2025-06-02".to_string(), Some(450.0))
        ]
    );
    // Steps are not WHOOP's: unknown, not 0.
    assert_eq!(f64s(&ing.frames.daily, "steps"), vec![None, None]);
}

#[test]
fn whoop_sleeps_sum_a_split_night_and_reject_naps() {
    let text = "Cycle start time,Cycle end time,Cycle timezone,Sleep onset,Wake onset,Sleep performance %,Respiratory rate (rpm),Asleep duration (min),In bed duration (min),Light sleep duration (min),Deep (SWS) duration (min),REM duration (min),Awake duration (min),Sleep need (min),Sleep debt (min),Sleep efficiency %,Sleep consistency %,Nap\n\
2025-06-01 22:30:00,2025-06-02 22:10:00,UTC+02:00,2025-06-01 22:30:00,2025-06-02 06:45:00,92,15.2,450,495,230,95,125,45,480,30,91,80,false\n\
2025-06-01 22:30:00,2025-06-02 22:10:00,UTC+02:00,2025-06-02 14:00:00,2025-06-02 14:25:00,,,20,25,20,0,0,5,,,80,,true\n\
2025-05-31 23:05:00,2025-06-01 22:30:00,UTC+02:00,2025-05-31 23:05:00,2025-06-01 03:00:00,70,15.8,200,235,100,40,60,35,480,60,85,75,false\n\
2025-05-31 23:05:00,2025-06-01 22:30:00,UTC+02:00,2025-06-01 03:30:00,2025-06-01 07:10:00,70,15.8,190,220,100,40,50,30,480,60,86,75,false\n";
    let (_d, ing) = one_file("sleeps.csv", text);
    let r = &ing.files[0];
    assert_eq!(
        r.vendor.as_deref(),
        Some("whoop-sleeps"),
        "{:?}",
        ing.rejections
    );
    assert_eq!((r.rows_read, r.rows_used, r.rows_rejected), (4, 3, 1));
    assert!(
        ing.rejections[0].reason.contains("a nap"),
        "{:?}",
        ing.rejections
    );
    // 1 June: 200 + 190 = 390 min (a night split in two); 2 June: 450 min, the nap not added.
    assert_eq!(
        daily_values(&ing, "sleep_min"),
        vec![
            ("2025-06-01".to_string(), Some(390.0)),
            ("2025-06-02".to_string(), Some(450.0))
        ]
    );
}

#[test]
fn a_day_from_two_sources_keeps_both_measures_and_a_repeat_is_a_duplicate() {
    let dir = tempfile::tempdir().unwrap();
    let ana = dir.path().join("ana");
    std::fs::create_dir(&ana).unwrap();
    let daily = ana.join("daily.csv");
    std::fs::write(&daily, "athlete,date,steps\nana,2025-06-01,9000\n").unwrap();
    let cycles = ana.join("physiological_cycles.csv");
    std::fs::write(&cycles, WHOOP_CYCLES).unwrap();
    let again = ana.join("cycles-again.csv");
    std::fs::write(&again, WHOOP_CYCLES).unwrap();
    let ing = load(&[daily, cycles, again], &ReadOptions::default());
    // 1 June: 9000 steps from daily.csv and 58 bpm from WHOOP — one day, both measures.
    assert_eq!(
        daily_values(&ing, "steps"),
        vec![
            ("2025-06-01".to_string(), Some(9000.0)),
            ("2025-06-02".to_string(), None)
        ]
    );
    assert_eq!(daily_values(&ing, "resting_hr")[0].1, Some(58.0));
    // The same WHOOP file twice: its nights are duplicates of the first copy's.
    let again = ing
        .files
        .iter()
        .find(|f| f.path.ends_with("cycles-again.csv"))
        .unwrap();
    assert_eq!((again.rows_used, again.rows_rejected), (0, 3));
    assert!(ing
        .rejections
        .iter()
        .any(|r| r.file.ends_with("cycles-again.csv")
            && r.reason.starts_with("duplicate of ")
            && r.reason.ends_with("physiological_cycles.csv:3")));
}

#[test]
fn resting_hr_and_sleep_appear_in_daily_risk() {
    let wrk = Workdir::new();
    wrk.create("in/ana/physiological_cycles.csv", WHOOP_CYCLES);
    wrk.create(
        "in/ana/activities.csv",
        "start,sport,duration_min\n2025-06-01 18:00,run,40\n2025-06-02 18:00,run,40\n",
    );
    // Apple Health's resting heart rate, counted as used, now shows too (cara's days).
    wrk.create(
        "in/cara/export.xml",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<HealthData locale=\"en_GB\">\n\
 <Record type=\"HKQuantityTypeIdentifierRestingHeartRate\" sourceName=\"Watch\" unit=\"count/min\" creationDate=\"2025-06-01 08:00:00 +0200\" startDate=\"2025-06-01 07:00:00 +0200\" endDate=\"2025-06-01 07:00:00 +0200\" value=\"55\"/>\n\
 <Record type=\"HKQuantityTypeIdentifierRestingHeartRate\" sourceName=\"Watch\" unit=\"count/min\" creationDate=\"2025-06-01 20:00:00 +0200\" startDate=\"2025-06-01 19:00:00 +0200\" endDate=\"2025-06-01 19:00:00 +0200\" value=\"57\"/>\n\
 <Workout workoutActivityType=\"HKWorkoutActivityTypeRunning\" duration=\"30\" durationUnit=\"min\" sourceName=\"Watch\" creationDate=\"2025-06-01 19:00:00 +0200\" startDate=\"2025-06-01 18:20:00 +0200\" endDate=\"2025-06-01 18:50:00 +0200\"/>\n\
</HealthData>\n",
    );
    wrk.analyze("in", "out").assert().success();
    let rows = wrk.read_csv("out/daily_risk.csv");
    let ana1 = day(&rows, "ana", "2025-06-01");
    assert_eq!(
        (ana1["resting_hr"].as_str(), ana1["sleep_min"].as_str()),
        ("58", "390")
    );
    let ana2 = day(&rows, "ana", "2025-06-02");
    assert_eq!(
        (ana2["resting_hr"].as_str(), ana2["sleep_min"].as_str()),
        ("52", "450")
    );
    // Apple: the day's two resting readings, (55 + 57) / 2 = 56; no sleep given: empty.
    let cara = day(&rows, "cara", "2025-06-01");
    assert_eq!(
        (cara["resting_hr"].as_str(), cara["sleep_min"].as_str()),
        ("56", "")
    );
}

#[test]
fn fitbit_food_log_rows_are_each_rejected_under_their_section() {
    // A Food Log section has a title, a "Daily Totals" heading and rows without a header:
    // every row is accounted for (rejected naming "Food Log 20210801"), none skipped.
    let text = "Activities\n\
Date,Calories Burned,Steps,Distance,Floors,Minutes Sedentary,Minutes Lightly Active,Minutes Fairly Active,Minutes Very Active,Activity Calories\n\
\"2021-08-01\",\"2,383\",\"12,726\",\"9.04\",\"10\",\"612\",\"201\",\"30\",\"45\",\"1,200\"\n\
\n\
Food Log 20210801\n\
Daily Totals\n\
\"\",\"Calories\",\"1,850\"\n\
\"\",\"Sodium\",\"2,100 mg\"\n\
\"\",\"Water\",\"1,500 ml\"\n\
\n\
Sleep\n\
Start Time,End Time,Minutes Asleep,Minutes Awake,Number of Awakenings,Time in Bed,Minutes REM Sleep,Minutes Light Sleep,Minutes Deep Sleep\n\
\"2021-08-01 11:30PM\",\"2021-08-02 7:00AM\",\"420\",\"30\",\"3\",\"450\",\"90\",\"250\",\"80\"\n";
    let (_d, ing) = one_file("fitbit_export_20210801.csv", text);
    let r = &ing.files[0];
    assert_eq!(r.vendor.as_deref(), Some("fitbit"));
    // 1 Activities row used; 3 Food Log rows and 1 Sleep row rejected: 5 read.
    assert_eq!((r.rows_read, r.rows_used, r.rows_rejected), (5, 1, 4));
    let food: Vec<Option<u64>> = ing
        .rejections
        .iter()
        .filter(|x| x.reason.contains("\"Food Log 20210801\""))
        .map(|x| x.line)
        .collect();
    assert_eq!(
        food,
        vec![Some(7), Some(8), Some(9)],
        "{:?}",
        ing.rejections
    );
    assert!(ing
        .rejections
        .iter()
        .all(|x| !x.reason.contains("Daily Totals")));
}

#[test]
fn inspect_shows_the_open_meteo_blocks_mapping_not_the_preamble() {
    let wrk = Workdir::new();
    wrk.create(
        "open-meteo-52.52N13.42E38m.csv",
        "latitude,longitude,elevation,utc_offset_seconds,timezone,timezone_abbreviation\n\
52.52,13.419998,38.0,0,GMT,GMT\n\
\n\
time,temperature_2m (°C),relative_humidity_2m (%),wind_speed_10m (km/h)\n\
2025-06-01T00:00,14.0,80,5.0\n\
2025-06-01T01:00,13.5,82,4.0\n",
    );
    let out = wrk
        .command("inspect")
        .arg("open-meteo-52.52N13.42E38m.csv")
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&out.stdout).into_owned();
    let columns = shown
        .lines()
        .find(|l| l.trim_start().starts_with("columns"))
        .unwrap_or_else(|| panic!("{shown}"));
    assert!(
        columns.contains("temp (hourly) ← temperature_2m (°C)")
            && columns.contains("rh (hourly) ← relative_humidity_2m (%)")
            && columns.contains("wind (hourly) ← wind_speed_10m (km/h)"),
        "{columns}"
    );
    assert!(!columns.contains("latitude"), "{columns}");
}

#[test]
fn inspect_on_every_csv_fixture_maps_only_columns_the_file_has() {
    // The mapping inspect shows is the one used: every column it names is in the file (a
    // preamble's or another section's header would not be what the rows are read by).
    let root = crate::util::fixture("vendors");
    let mut checked = 0;
    for dir in std::fs::read_dir(&root).unwrap() {
        let dir = dir.unwrap().path();
        for f in std::fs::read_dir(&dir).unwrap() {
            let f = f.unwrap().path();
            if f.extension().and_then(|e| e.to_str()) != Some("csv") {
                continue;
            }
            let out = cramprisk().arg("inspect").arg(&f).output().unwrap();
            let shown = String::from_utf8_lossy(&out.stdout).into_owned();
            let Some(columns) = shown
                .lines()
                .find_map(|l| l.trim_start().strip_prefix("columns"))
            else {
                continue;
            };
            let bytes = std::fs::read(&f).unwrap();
            // Latin-1 files (a re-saved Garmin export) as the reader decodes them.
            let text = match String::from_utf8(bytes.clone()) {
                Ok(t) => t,
                Err(_) => bytes.iter().map(|&b| b as char).collect(),
            }
            .to_lowercase();
            for pair in columns.split("; ") {
                let col = pair.rsplit_once(" ← ").map_or(pair, |(_, c)| c).trim();
                if col.contains("no header row") {
                    // A bulk file without a header (Meteostat): read by position, and said.
                    assert!(col.starts_with("column "), "{col}");
                    continue;
                }
                let col = col.split(" (occurrence").next().unwrap().to_lowercase();
                assert!(
                    text.contains(&col),
                    "{}: inspect maps {col:?}, which the file does not have\n{shown}",
                    f.display()
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 15, "only {checked} fixtures had a mapping");
}

#[test]
fn noaa_lcd_keeps_the_hours_hottest_report() {
    // 13:51 routine report 16.7 °C, 13:58 special report 18.3 °C: the day's maximum is
    // 18.3 °C (averaged, it was (16.7 + 18.3) / 2 = 17.5 °C and the maximum was lost).
    let wrk = Workdir::new();
    wrk.create(
        "in/lcd.csv",
        format!(
            "{LCD_HEADER}72530094846,2025-06-01T13:51:00,41.96,-87.93,201.8,\"CHICAGO OHARE, IL US\",FM-15,7,8.9,16.7,60,4.1\n\
             72530094846,2025-06-01T13:58:00,41.96,-87.93,201.8,\"CHICAGO OHARE, IL US\",FM-16,7,8.9,18.3,54,5.1\n"
        ),
    );
    wrk.create(
        "in/ana/activities.csv",
        "start,sport,duration_min\n2025-06-01 13:00,run,60\n",
    );
    wrk.analyze("in", "out").assert().success();
    let rows = wrk.read_csv("out/daily_risk.csv");
    assert_eq!(day(&rows, "ana", "2025-06-01")["temp_max_c"], "18.3");
}

#[test]
fn weather_outside_the_training_days_and_without_humidity_is_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    let ana = dir.path().join("ana");
    std::fs::create_dir(&ana).unwrap();
    let acts = ana.join("activities.csv");
    std::fs::write(
        &acts,
        "start,sport,duration_min\n2025-06-01 08:00,run,40\n2025-06-03 08:00,run,40\n",
    )
    .unwrap();
    // NOAA daily (GHCN): temperatures only, for two days of 2024 — a year before the runs.
    let ghcn = dir.path().join("noaa.csv");
    std::fs::write(
        &ghcn,
        "\"STATION\",\"NAME\",\"DATE\",\"PRCP\",\"TMAX\",\"TMIN\"\n\
\"USC00042319\",\"DEATH VALLEY, CA US\",\"2024-06-01\",\"0.00\",\"101\",\"75\"\n\
\"USC00042319\",\"DEATH VALLEY, CA US\",\"2024-06-02\",\"0.00\",\"103\",\"77\"\n",
    )
    .unwrap();
    let ing = load(&[acts, ghcn], &ReadOptions::default());
    let w: Vec<&String> = ing
        .warnings
        .iter()
        .filter(|w| w.contains("noaa.csv"))
        .collect();
    assert_eq!(w.len(), 2, "{:?}", ing.warnings);
    assert!(
        w[0].contains(
            "its weather covers 2024-06-01 – 2024-06-02 (2 days), none of the athletes' training days (2025-06-01 – 2025-06-03 (2 days))"
        ),
        "{}",
        w[0]
    );
    assert!(
        w[1].contains("no humidity (it covers 2024-06-01 – 2024-06-02"),
        "{}",
        w[1]
    );
}

#[test]
fn two_peoples_exports_in_one_folder_are_warned_about() {
    // Two Garmin lists in ana's folder whose sessions overlap on two mornings: one person
    // cannot run two sessions at once.
    let dir = tempfile::tempdir().unwrap();
    let ana = dir.path().join("ana");
    std::fs::create_dir(&ana).unwrap();
    let a = ana.join("Activities.csv");
    std::fs::write(
        &a,
        format!(
            "{GARMIN_HEADER}Running,2025-06-01 07:00:00,false,\"Run\",\"10.00\",\"650\",\"00:50:00\",\"150\",\"170\"\n\
             Running,2025-06-02 07:00:00,false,\"Run\",\"10.00\",\"650\",\"00:50:00\",\"150\",\"170\"\n"
        ),
    )
    .unwrap();
    let b = ana.join("Activities (1).csv");
    std::fs::write(
        &b,
        format!(
            "{GARMIN_HEADER}Cycling,2025-06-01 07:20:00,false,\"Ride\",\"30.00\",\"800\",\"01:10:00\",\"140\",\"160\"\n\
             Cycling,2025-06-02 07:15:00,false,\"Ride\",\"30.00\",\"800\",\"01:10:00\",\"140\",\"160\"\n"
        ),
    )
    .unwrap();
    let ing = load(&[a, b], &ReadOptions::default());
    let w: Vec<&String> = ing
        .warnings
        .iter()
        .filter(|w| w.contains("overlap in time"))
        .collect();
    assert_eq!(w.len(), 1, "{:?}", ing.warnings);
    assert!(w[0].starts_with("ana: 2 sessions in "), "{}", w[0]);
    assert!(w[0].contains("--athlete-name"), "{}", w[0]);

    // Polar files naming two different people in one folder.
    let dir = tempfile::tempdir().unwrap();
    let ben = dir.path().join("ben");
    std::fs::create_dir(&ben).unwrap();
    let polar = |name: &str, date: &str| {
        format!(
            "Name,Sport,Date,Start time,Duration,Total distance (km),Average heart rate (bpm),Calories,\n\
{name},RUNNING,{date},18:02:11,00:45:30,8.12,152,610,\n"
        )
    };
    let p1 = ben.join("polar-1.csv");
    std::fs::write(&p1, polar("Ben Test", "06.09.2015")).unwrap();
    let p2 = ben.join("polar-2.csv");
    std::fs::write(&p2, polar("Other Person", "07.09.2015")).unwrap();
    let ing = load(&[p1, p2], &ReadOptions::default());
    let w: Vec<&String> = ing
        .warnings
        .iter()
        .filter(|w| w.contains("different people"))
        .collect();
    assert_eq!(w.len(), 1, "{:?} {:?}", ing.warnings, ing.rejections);
    assert!(
        w[0].starts_with("ben: the files name 2 different people ("),
        "{}",
        w[0]
    );
    // The names themselves are not printed.
    assert!(!w[0].contains("Other Person"), "{}", w[0]);
}

#[test]
fn garmin_min_and_max_temp_are_the_devices_temperature() {
    let header = "Activity Type,Date,Favorite,Title,Distance,Calories,Time,Avg HR,Max HR,Min Temp,Max Temp\n";
    let text = format!(
        "{header}Running,2025-06-03 07:00:00,false,\"Run\",\"10.00\",\"650\",\"00:50:00\",\"150\",\"170\",\"15.0\",\"26.0\"\n\
         Treadmill Running,2025-06-02 18:00:00,false,\"Mill\",\"8.00\",\"500\",\"00:40:00\",\"150\",\"170\",\"24.0\",\"27.0\"\n\
         Running,2025-06-01 07:00:00,false,\"Run\",\"10.00\",\"650\",\"00:50:00\",\"150\",\"170\",\"0.0\",\"0.0\"\n"
    );
    let (_d, ing) = one_file("Activities.csv", &text);
    let r = &ing.files[0];
    assert_eq!(r.rows_used, 3, "{:?}", ing.rejections);
    // The outdoor run: (15.0 + 26.0) / 2 = 20.5 °C over its one hour (07:00–07:50); the
    // treadmill's sensor reads the room (not used); "0.0"/"0.0" is Garmin's "no sensor".
    let w = &ing.frames.weather_hourly;
    assert_eq!(f64s(w, "temp_c"), vec![Some(20.5)]);
    assert_eq!(f64s(w, "rh_pct"), vec![None]);
    assert!(
        r.notes
            .iter()
            .any(|n| n.contains("1 session(s) give the weather of their hours (device)")),
        "{:?}",
        r.notes
    );
    // An imperial account's °F: (59 + 79) / 2 = 69 °F = (69 − 32) × 5/9 = 20.555… °C.
    let text = format!(
        "{header}Running,2025-06-03 07:00:00,false,\"Run\",\"6.20\",\"650\",\"00:50:00\",\"150\",\"170\",\"59.0\",\"79.0\"\n"
    );
    let opts = ReadOptions {
        units: Some(cramprisk::ingest::format::Units::Imperial),
        ..ReadOptions::default()
    };
    let (_d, ing) = one_file_with("Activities.csv", &text, &opts);
    let t = f64s(&ing.frames.weather_hourly, "temp_c")[0].unwrap();
    assert!((t - 20.555_555_6).abs() < 1e-6, "{t}");
}

#[test]
fn inspect_names_the_source_of_the_sessions_weather() {
    let wrk = Workdir::new();
    wrk.create(
        "Activities.csv",
        "Activity Type,Date,Favorite,Title,Distance,Calories,Time,Avg HR,Max HR,Min Temp,Max Temp\n\
Running,2025-06-03 07:00:00,false,\"Run\",\"10.00\",\"650\",\"00:50:00\",\"150\",\"170\",\"15.0\",\"26.0\"\n",
    );
    let out = wrk
        .command("inspect")
        .arg("Activities.csv")
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        shown.contains("note        1 session(s) give the weather of their hours (device)"),
        "{shown}"
    );
}
