//! Every real export in ../shared/real-exports (not in the repository: no licence) read with
//! the right kind, vendor and units, with totals pinned to values computed from the raw files
//! by the Python one-liners in the comments (run from /work/shared/real-exports), never from
//! what cramprisk printed. Under CI=true a missing folder fails; otherwise the tests skip.

use std::path::{Path, PathBuf};

use cramprisk::ingest::{self, InputFile, Kind, ReadOptions};
use polars::prelude::*;

fn real(file: &str) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/real-exports");
    if !dir.is_dir() {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("CI=true and {} is missing", dir.display());
        }
        eprintln!("note: {} missing, real-export test skipped", dir.display());
        return None;
    }
    Some(dir.join(file))
}

fn load(path: &Path, opts: &ReadOptions) -> ingest::Ingested {
    let files = [InputFile {
        path: path.to_path_buf(),
        hint: None,
    }];
    ingest::load(&files, &[], opts).unwrap()
}

fn sum(df: &DataFrame, col: &str) -> f64 {
    df.column(col).unwrap().f64().unwrap().sum().unwrap_or(0.0)
}

fn close(got: f64, want: f64, tol: f64, what: &str) {
    assert!(
        (got - want).abs() <= tol,
        "{what}: got {got}, want {want} ± {tol}"
    );
}

/// Kind, vendor, and every row used.
fn check_report(ing: &ingest::Ingested, kind: Kind, vendor: &str, rows: usize) {
    let r = &ing.files[0];
    assert_eq!(r.skipped, None);
    assert_eq!(r.kind, Some(kind));
    assert_eq!(r.vendor.as_deref(), Some(vendor));
    assert_eq!(r.rows_read, rows);
}

fn units(ing: &ingest::Ingested) -> String {
    ing.files[0].units.clone().unwrap_or_default()
}

#[test]
fn garmin_danish() {
    let Some(p) = real("garmin/Activities.da-DK.csv") else {
        return;
    };
    let ing = load(&p, &ReadOptions::default());
    check_report(&ing, Kind::Activities, "garmin", 41);
    assert!(
        units(&ing).starts_with("metric (detected"),
        "{}",
        units(&ing)
    );
    let a = &ing.frames.activities;
    // python3 -c "import csv;r=list(csv.reader(open('garmin/Activities.da-DK.csv')))[1:];print(len(r),sum(float(x[4]) for x in r),sum(sum(float(p)*60**(2-i) for i,p in enumerate(x[6].split(':'))) for x in r)/3600)"
    // → 41 220.79 23.873888…
    assert_eq!(a.height(), 41);
    close(sum(a, "distance_km"), 220.79, 0.005, "distance km");
    close(sum(a, "duration_min") / 60.0, 23.873_889, 0.000_01, "hours");
    let sports = a.column("sport").unwrap().str().unwrap().clone();
    assert!(sports.iter().all(|s| s == Some("run")), "Løb is running");
}

#[test]
fn garmin_us_imperial() {
    let Some(p) = real("garmin/Activities.en-US-imperial.csv") else {
        return;
    };
    let ing = load(&p, &ReadOptions::default());
    check_report(&ing, Kind::Activities, "garmin", 80);
    assert!(
        units(&ing).starts_with("imperial (detected"),
        "{}",
        units(&ing)
    );
    let a = &ing.frames.activities;
    // python3 -c "import csv;r=list(csv.reader(open('garmin/Activities.en-US-imperial.csv')))[1:];print(len(r),sum(float(x[4]) for x in r if x[4]!='--')*1.609344,sum(sum(float(p)*60**(2-i) for i,p in enumerate(x[6].split(':'))) for x in r)/3600)"
    // → 80 1092.84113664 151.763611…
    assert_eq!(a.height(), 80);
    close(
        sum(a, "distance_km"),
        1_092.841_137,
        0.000_01,
        "distance km",
    );
    close(
        sum(a, "duration_min") / 60.0,
        151.763_611,
        0.000_01,
        "hours",
    );
    // `--` distance (Indoor Rowing) is unknown, not 0:
    // python3 -c "import csv;r=list(csv.reader(open('garmin/Activities.en-US-imperial.csv')))[1:];print(sum(x[4]=='--' for x in r))"
    let missing = a.column("distance_km").unwrap().null_count();
    assert!(missing > 0, "rows with -- distance must stay unknown");
    // --units overrides the detection and is reported as such.
    let forced = load(
        &p,
        &ReadOptions {
            units: Some(cramprisk::ingest::format::Units::Metric),
            ..ReadOptions::default()
        },
    );
    assert!(units(&forced).contains("--units"));
    close(
        sum(&forced.frames.activities, "distance_km"),
        679.06,
        0.005,
        "miles read as km with --units metric",
    );
}

#[test]
fn garmin_decimal_comma() {
    let Some(p) = real("garmin/Activities.en-decimal-comma.csv") else {
        return;
    };
    let ing = load(&p, &ReadOptions::default());
    check_report(&ing, Kind::Activities, "garmin", 1131);
    assert!(ing.files[0]
        .notes
        .iter()
        .any(|n| n.starts_with("decimal comma")));
    let a = &ing.frames.activities;
    // python3 -c "import csv;r=list(csv.reader(open('garmin/Activities.en-decimal-comma.csv')))[1:];print(len(r),sum(float(x[4].replace('.','').replace(',','.')) for x in r if x[4]!='--'),sum(sum(float(p)*60**(2-i) for i,p in enumerate(x[6].replace(',','.').split(':'))) for x in r)/3600)"
    // → 1131 11564.32 1170.0853333…
    assert_eq!(a.height(), 1131);
    assert_eq!(ing.files[0].rows_rejected, 0);
    close(sum(a, "distance_km"), 11_564.32, 0.01, "distance km");
    close(
        sum(a, "duration_min") / 60.0,
        1_170.085_333,
        0.000_01,
        "hours",
    );
}

#[test]
fn strava_bulk_export() {
    let Some(p) = real("strava/activities.csv") else {
        return;
    };
    let ing = load(&p, &ReadOptions::default());
    check_report(&ing, Kind::Activities, "strava", 346);
    assert!(ing.files[0]
        .time_zone
        .as_deref()
        .unwrap_or("")
        .contains("UTC days"));
    let a = &ing.frames.activities;
    // Distance = the second `Distance` column (metres); duration = `Moving Time` (seconds):
    // python3 -c "import csv;r=list(csv.reader(open('strava/activities.csv')));h=r[0];d=[i for i,x in enumerate(h) if x=='Distance'][1];m=h.index('Moving Time');print(len(r)-1,sum(float(x[d]) for x in r[1:] if x[d])/1000,sum(float(x[m]) for x in r[1:])/3600)"
    // → 346 6897.6124 381.52027…
    assert_eq!(a.height(), 346);
    close(sum(a, "distance_km"), 6897.6124, 0.0001, "distance km");
    close(
        sum(a, "duration_min") / 60.0,
        381.520_278,
        0.000_01,
        "hours",
    );
    // --tz moves the first activity (May 13, 2026, 9:54:42 AM UTC) to 11:54:42 in Copenhagen
    // (CEST, UTC+2).
    let tz = load(
        &p,
        &ReadOptions {
            tz: Some(chrono_tz::Europe::Copenhagen),
            ..ReadOptions::default()
        },
    );
    let first = |ing: &ingest::Ingested| {
        ing.frames
            .activities
            .column("start")
            .unwrap()
            .datetime()
            .unwrap()
            .physical()
            .get(0)
            .unwrap()
    };
    assert_eq!(first(&tz) - first(&ing), 2 * 3_600_000);
}

#[test]
fn strava_alone_gives_weather_from_its_own_columns() {
    let Some(p) = real("strava/activities.csv") else {
        return;
    };
    let ing = load(&p, &ReadOptions::default());
    // Sessions sorted Strava-weather first, then by start; each fills the hours from its start
    // hour to the hour of its last minute that no earlier session filled (the Python below
    // does the same independently):
    // python3 -c "import csv,datetime as d;r=list(csv.reader(open('strava/activities.csv')));h=r[0];W=h.index('Weather Temperature');H=h.index('Humidity');A=h.index('Average Temperature');M=h.index('Moving Time');E=[i for i,x in enumerate(h) if x=='Elapsed Time'][1];I=sorted([(0 if x[W] else 1,d.datetime.strptime(x[1],'%b %d, %Y, %I:%M:%S %p'),float(x[M]) if x[M] and float(x[M])>0 else float(x[E]),bool(x[W] and x[H])) for x in r[1:] if x[W] or x[A]],key=lambda i:(i[0],i[1]));T={};U=[0,0]
    // for s,st,du,rh in I:
    //  h0=st.replace(minute=0,second=0);e=st+d.timedelta(seconds=du)-d.timedelta(milliseconds=1);a=0
    //  while h0<=e:
    //   if h0 not in T:T[h0]=rh;a=1
    //   h0+=d.timedelta(hours=1)
    //  U[s]+=a
    // print(U,len(T),sum(T.values()))"
    // → [51, 18] 174 117: 51 sessions with Strava's weather, 18 with only the device's
    // temperature; 174 hours, 117 of them with humidity (those can give a heat index).
    let w = &ing.frames.weather_hourly;
    assert_eq!(w.height(), 174);
    assert_eq!(
        w.column("rh_pct")
            .unwrap()
            .f64()
            .unwrap()
            .iter()
            .flatten()
            .count(),
        117
    );
    let notes = ing.files[0].notes.join(" | ");
    assert!(
        notes.contains("51 session(s) give the weather of their hours (strava-weather)"),
        "{notes}"
    );
    assert!(
        notes.contains("18 session(s) give the weather of their hours (device)"),
        "{notes}"
    );
}

#[test]
fn noaa_ghcn_death_valley() {
    let Some(p) = real("weather/death_valley_2018_full.csv") else {
        return;
    };
    let ing = load(&p, &ReadOptions::default());
    check_report(&ing, Kind::WeatherDaily, "noaa-ghcn", 364);
    assert!(units(&ing).starts_with("imperial"), "{}", units(&ing));
    let w = &ing.frames.weather_daily;
    // python3 -c "import csv;r=list(csv.DictReader(open('weather/death_valley_2018_full.csv')));print(len(r),[x['TMAX'] for x in r if x['DATE']=='2018-07-24'])"
    // → 364 ['127'] ; (127 − 32) × 5/9 = 52.7778 °C
    assert_eq!(w.height(), 364);
    let day = cramprisk::dates::to_days(chrono::NaiveDate::from_ymd_opt(2018, 7, 24).unwrap());
    let dates = w.column("date").unwrap().cast(&DataType::Int32).unwrap();
    let i = dates
        .i32()
        .unwrap()
        .iter()
        .position(|d| d == Some(day))
        .unwrap();
    close(
        w.column("tmax_c").unwrap().f64().unwrap().get(i).unwrap(),
        52.777_778,
        0.000_01,
        "TMAX 2018-07-24 °C",
    );
}

/// The highest hourly temperature of one day in the hourly weather frame.
fn hourly_max(w: &DataFrame, day: &str) -> f64 {
    let t = w
        .column("time")
        .unwrap()
        .datetime()
        .unwrap()
        .physical()
        .clone();
    let temp = w.column("temp_c").unwrap().f64().unwrap().clone();
    let d = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap();
    let lo = cramprisk::dates::to_millis(cramprisk::dates::midnight(d));
    t.iter()
        .zip(temp.iter())
        .filter(|(t, _)| t.is_some_and(|t| t >= lo && t < lo + 86_400_000))
        .filter_map(|(_, x)| x)
        .fold(f64::NEG_INFINITY, f64::max)
}

#[test]
fn open_meteo_hourly() {
    let Some(p) = real("weather/open-meteo-52.52N13.42E38m.hourly.csv") else {
        return;
    };
    let ing = load(&p, &ReadOptions::default());
    check_report(&ing, Kind::WeatherHourly, "open-meteo", 24);
    assert!(units(&ing).contains("°C"));
    // python3 -c "import csv;r=list(csv.reader(open('weather/open-meteo-52.52N13.42E38m.hourly.csv')))[4:];print(len(r),max(float(x[1]) for x in r))"
    // → 24 8.6
    assert_eq!(ing.frames.weather_hourly.height(), 24);
    close(
        hourly_max(&ing.frames.weather_hourly, "2024-11-14"),
        8.6,
        1e-9,
        "max °C",
    );
}

#[test]
fn open_meteo_multi_section() {
    let Some(p) = real("weather/open-meteo-52.52N13.42E38m.multi-section.csv") else {
        return;
    };
    let ing = load(&p, &ReadOptions::default());
    // 288 15-minutely + 168 hourly + 7 daily rows (blank-line-separated blocks at lines 4,
    // 294, 464): python3 -c "l=open('weather/open-meteo-52.52N13.42E38m.multi-section.csv').read().split('\n');print([i+1 for i,x in enumerate(l) if x.startswith('time')])"
    check_report(&ing, Kind::WeatherHourly, "open-meteo", 288 + 168 + 7);
    assert_eq!(
        ing.files[0].rows_rejected, 288,
        "15-minutely rows give way to the hourly block"
    );
    assert_eq!(ing.frames.weather_hourly.height(), 168);
    assert_eq!(ing.frames.weather_daily.height(), 7);
    // python3 -c "l=open('weather/open-meteo-52.52N13.42E38m.multi-section.csv').read().split('\n');print(max(float(x.split(',')[1]) for x in l[294:462] if x.startswith('2024-01-10')),[x for x in l if x.startswith('2024-01-13,')])"
    // → -2.7 ['2024-01-13,2.0,-1.4,…']
    close(
        hourly_max(&ing.frames.weather_hourly, "2024-01-10"),
        -2.7,
        1e-9,
        "hourly max 01-10",
    );
    let w = &ing.frames.weather_daily;
    let day = cramprisk::dates::to_days(chrono::NaiveDate::from_ymd_opt(2024, 1, 13).unwrap());
    let dates = w.column("date").unwrap().cast(&DataType::Int32).unwrap();
    let i = dates
        .i32()
        .unwrap()
        .iter()
        .position(|d| d == Some(day))
        .unwrap();
    close(
        w.column("tmax_c").unwrap().f64().unwrap().get(i).unwrap(),
        2.0,
        1e-9,
        "daily max",
    );
    close(
        w.column("tmin_c").unwrap().f64().unwrap().get(i).unwrap(),
        -1.4,
        1e-9,
        "daily min",
    );
}

#[test]
fn apple_health_dietary_water() {
    let Some(p) = real("fluid/DietaryWater.csv") else {
        return;
    };
    let ing = load(&p, &ReadOptions::default());
    check_report(&ing, Kind::Fluids, "apple-health-csv", 2);
    assert!(units(&ing).contains("mL"));
    // python3 -c "import csv;print(sum(float(x['value']) for x in csv.DictReader(open('fluid/DietaryWater.csv'))))"
    // → 1000.0 (750 on 2017-03-01, 250 on 2017-03-02, local dates as written)
    let f = &ing.frames.fluids;
    assert_eq!(f.height(), 2);
    close(sum(f, "fluid_intake_ml"), 1000.0, 1e-9, "water ml");
    let days = f.column("fluid_intake_ml").unwrap().f64().unwrap().clone();
    assert_eq!(days.get(0), Some(750.0));
    assert_eq!(days.get(1), Some(250.0));
    let first = f.column("date").unwrap().cast(&DataType::Int32).unwrap();
    let want = cramprisk::dates::to_days(chrono::NaiveDate::from_ymd_opt(2017, 3, 1).unwrap());
    assert_eq!(first.i32().unwrap().get(0), Some(want));
}
