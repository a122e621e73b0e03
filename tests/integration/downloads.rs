//! Real downloads as they come (issue 16): archives and folders shaped like each vendor's
//! download, built here from small hand-made members (FIT files from the encoder in
//! `fitenc`), Strava's own weather, and each defect of the issue on a hand-made file of the
//! same shape. Expected values are worked out by hand in the comments.

use std::io::Write;
use std::path::{Path, PathBuf};

use cramprisk::ingest::{self, ReadOptions};
use polars::prelude::*;

use crate::fitenc::{self, Run};
use crate::util::{cramprisk, day, read_csv};

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
    assert_eq!(f64s(fluids, "volume_ml"), vec![Some(500.0)]);
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
    // 0.5 l = 500 ml.
    assert_eq!(
        f64s(&ing.frames.fluids, "volume_ml"),
        vec![Some(250.0), Some(500.0)]
    );
    let t = ing
        .frames
        .fluids
        .column("time")
        .unwrap()
        .datetime()
        .unwrap()
        .physical()
        .get(0);
    let want = chrono::NaiveDateTime::parse_from_str("2025-06-01 08:00:00", "%Y-%m-%d %H:%M:%S")
        .unwrap()
        .and_utc()
        .timestamp_millis();
    assert_eq!(t, Some(want));
}
