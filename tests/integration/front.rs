//! The front door (issues 18 and 19): results on stdout and messages on stderr, a closed pipe
//! ends quietly, mistakes on the command line are errors that say what is wrong, and no input
//! makes the tool panic, hang or grow without bound.

use std::process::{Command, Output, Stdio};

use crate::util::{fixture, stderr_of, stdout_of, Workdir};

/// Runs a command whose standard output is a pipe already closed by its reader: every write
/// fails with EPIPE (as with `cramprisk … | head -1` once head has exited).
fn with_closed_stdout(mut cmd: Command) -> Output {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    cmd.stdout(writer).stderr(Stdio::piped());
    cmd.output().unwrap()
}

/// `cramprisk SUBCOMMAND` as a plain process, run in the work folder.
fn process(wrk: &Workdir, subcommand: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cramprisk"));
    cmd.current_dir(wrk.root())
        .env_remove("CRAMPRISK_STAGE_TIMES")
        .arg(subcommand);
    cmd
}

fn assert_quiet_end(out: &Output, what: &str) {
    let err = stderr_of(out);
    assert!(!err.contains("panicked"), "{what}: {err}");
    assert_eq!(out.status.code(), Some(0), "{what}: {err}");
}

#[test]
fn a_closed_pipe_ends_quietly_with_exit_0() {
    let wrk = Workdir::new();
    let cmd = |sub: &str| process(&wrk, sub);
    assert_quiet_end(&with_closed_stdout(cmd("model")), "model");
    let mut inspect = cmd("inspect");
    inspect.arg(fixture("basic"));
    assert_quiet_end(&with_closed_stdout(inspect), "inspect");
    let mut explain = cmd("explain");
    explain
        .arg(fixture("basic"))
        .args(["--athlete", "ana", "--date", "2025-07-01"]);
    assert_quiet_end(&with_closed_stdout(explain), "explain");
    let mut analyze = cmd("analyze");
    analyze
        .arg(fixture("basic"))
        .args(["--out", "out", "--charts", "none"]);
    let out = with_closed_stdout(analyze);
    assert_quiet_end(&out, "analyze");
    // The outputs were written all the same.
    assert!(wrk.path("out/daily_risk.csv").is_file());
    // No error line either: the reader stopping is not the tool's failure.
    assert!(!stderr_of(&out).contains("error"), "{}", stderr_of(&out));
}

#[test]
fn the_summary_is_the_result_on_stdout_and_warnings_go_to_stderr() {
    let wrk = Workdir::new();
    let out = wrk
        .analyze(fixture("team"), "out")
        .args(["--charts", "none"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let (stdout, stderr) = (stdout_of(&out), stderr_of(&out));
    // `analyze … > summary.txt` keeps the summary.
    assert!(stdout.starts_with("Inputs:"), "{stdout}");
    assert!(stdout.contains("Highest-risk days"), "{stdout}");
    assert!(!stderr.contains("Inputs:"), "{stderr}");
    // The team fixture has a misspelt athlete: the warning is a message, on stderr.
    assert!(stderr.contains("warning: "), "{stderr}");
    assert!(!stdout.contains("warning: "), "{stdout}");
    // `generate` says what it wrote on stdout.
    let out = wrk
        .command("generate")
        .args(["--athletes", "1", "--days", "3", "--out", "gen"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(stdout_of(&out).contains("gen"), "{}", stdout_of(&out));
    assert_eq!(stderr_of(&out), "");
}

#[test]
fn a_missing_input_path_is_a_usage_error_before_any_work() {
    let wrk = Workdir::new();
    for (flag, path) in [
        (None, "typo"),
        (Some("--weather"), "wether.csv"),
        (Some("--profiles"), "athlets.toml"),
        (Some("--model"), "my-model.toml"),
    ] {
        let mut cmd = wrk.analyze(fixture("basic"), "out");
        cmd.args(flag).arg(path);
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{path}: {}", stderr_of(&out));
        assert_eq!(
            stderr_of(&out),
            format!("error: {path}: no such file or folder\n")
        );
        // Before any work: not even the output folder was made.
        assert!(!wrk.path("out").exists(), "{path}");
    }
    std::os::unix::fs::symlink(wrk.path("gone.csv"), wrk.path("link.csv")).unwrap();
    let out = wrk.command("inspect").arg("link.csv").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out).contains("link.csv: a link to a file or folder that does not exist"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn nothing_to_score_says_why() {
    let wrk = Workdir::new();
    let run = |args: &[&str]| {
        let out = wrk
            .analyze(fixture("basic"), "out")
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
        stderr_of(&out)
    };
    // The basic fixture's days: sessions and fluids on 2025-07-01 to 2025-07-03 (ana, ben).
    assert!(run(&["--from", "2025-08-01"]).contains(
        "error: nothing to score: the data covers 2025-07-01 to 2025-07-03, and --from 2025-08-01 is after it"
    ));
    assert!(run(&["--from", "2025-06-01", "--to", "2025-06-30"]).contains(
        "error: nothing to score: the data covers 2025-07-01 to 2025-07-03, and --to 2025-06-30 is before it"
    ));
    // Every row rejected: the first reasons are named.
    wrk.create(
        "bad/a.csv",
        "athlete,start,duration_min\nana,2025-06-01 08:00,-1\nana,2025-06-02 08:00,abc\n",
    );
    let out = wrk.analyze("bad", "out2").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    assert!(
        err.contains("nothing to score: none of the 2 rows read was usable (the first: bad/a.csv:2: duration_min -1 min is negative; bad/a.csv:3: "),
        "{err}"
    );
    // Weather alone: no athlete's day.
    wrk.create("wx/w.csv", "time,temp_c\n2025-07-01 07:00,30\n");
    let out = wrk.analyze("wx", "out3").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr_of(&out).contains("nothing to score: the 1 usable rows name no athlete's day"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn unknown_athletes_get_did_you_mean_and_explain_names_the_athlete_or_the_day() {
    let wrk = Workdir::new();
    let out = wrk
        .analyze(fixture("basic"), "out")
        .args(["--athlete", "anna"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).contains(
        "error: --athlete \"anna\": no such athlete in the inputs. Did you mean \"ana\"? (athletes: ana, ben)"
    ), "{}", stderr_of(&out));
    let explain = |athlete: &str, date: &str| {
        wrk.command("explain")
            .arg(fixture("basic"))
            .args(["--athlete", athlete, "--date", date])
            .output()
            .unwrap()
    };
    // Unknown athlete: the athlete is named as unknown, not the day.
    let out = explain("Anna", "2025-07-02");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out)
            .contains("--athlete \"Anna\": no such athlete in the inputs. Did you mean \"ana\"?"),
        "{}",
        stderr_of(&out)
    );
    // An alias (athletes.toml: aliases = ["Ana Lopez"]), in any case, is the athlete.
    let out = explain("ANA lopez", "2025-07-02");
    assert!(out.status.success(), "{}", stderr_of(&out));
    // A known athlete on a day before their data: the day is what is missing.
    let out = explain("ana", "2025-06-01");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr_of(&out),
        "error: no day 2025-06-01 for athlete \"ana\": their data covers 2025-07-01 to 2025-07-03\n"
    );
    // An impossible date is named as such (a usage error, from clap).
    let out = wrk
        .analyze(fixture("basic"), "out")
        .args(["--from", "2025-02-30"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out)
            .contains("invalid value '2025-02-30' for '--from <DATE>': 2025-02-30 is not a date"),
        "{}",
        stderr_of(&out)
    );
}

/// Open-Meteo's preamble and one hourly block (times local to the requested zone).
fn open_meteo(offset: &str, times: &[&str]) -> String {
    let mut t = format!(
        "latitude,longitude,elevation,utc_offset_seconds,timezone,timezone_abbreviation\n\
         52.52,13.42,38.0,{offset},GMT,GMT\n\ntime,temperature_2m (°C)\n"
    );
    for time in times {
        t.push_str(&format!("{time},30.0\n"));
    }
    t
}

/// `inspect` and `analyze` of a folder never panic (exit 101): they end 0 or 1.
fn inspect_and_analyze(wrk: &Workdir, dir: &str, extra: &[&str]) -> String {
    let out = wrk
        .command("inspect")
        .args(extra)
        .arg(dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let out2 = wrk
        .analyze(dir, &format!("out-{dir}"))
        .args(extra)
        .args(["--charts", "none"])
        .output()
        .unwrap();
    assert!(
        matches!(out2.status.code(), Some(0 | 1)),
        "{dir}: {}",
        stderr_of(&out2)
    );
    assert!(
        !stderr_of(&out2).contains("panicked"),
        "{}",
        stderr_of(&out2)
    );
    stdout_of(&out)
}

#[test]
fn huge_offsets_and_the_calendar_ends_are_rejected_rows_not_panics() {
    let wrk = Workdir::new();
    // An activity so the runs have a day to score beside the weather.
    let ana = "athlete,start,duration_min\nana,2025-07-01 08:00,60\n";
    for (dir, offset) in [("max", "9223372036854775807"), ("e15", "1000000000000000")] {
        wrk.create(&format!("{dir}/a.csv"), ana);
        wrk.create(
            &format!("{dir}/om.csv"),
            open_meteo(offset, &["2025-07-01T12:00"]),
        );
        let shown = inspect_and_analyze(&wrk, dir, &["--tz", "Europe/Berlin"]);
        assert!(
            shown.contains(&format!(
                "line 5: utc_offset_seconds: UTC offset {offset} s is not a time-zone offset (at most ±18 h); cannot convert to --tz"
            )),
            "{shown}"
        );
        // Without --tz the times are used as written: the offset is not needed.
        let shown = inspect_and_analyze(&wrk, dir, &[]);
        assert!(
            shown.contains("rows        1 read, 1 readable, 0 rejected"),
            "{shown}"
        );
    }
    // chrono's last second is +262142-12-31 23:59:59 UTC: 95,026,236 days after 1970-01-01
    // (ordinal 365·262142 + 65535 − 2621 + 655 = 95,745,399 minus 1970-01-01's 719,163), so
    // its last full hour is (95,026,237 · 86,400 − 1) − 3,599 = 8,210,266,873,200 s. Tokyo is
    // 9 h ahead: no Tokyo time. 1,751,371,200 s is 2025-07-01 12:00 UTC, 21:00 in Tokyo.
    wrk.create("unix/a.csv", ana);
    wrk.create(
        "unix/om.csv",
        open_meteo("0", &["8210266873200", "1751371200"]),
    );
    let shown = inspect_and_analyze(&wrk, "unix", &["--tz", "Asia/Tokyo"]);
    assert!(
        shown.contains("line 5: +262142-12-31 23:00:00 is too near the end of the calendar's range to convert between time zones"),
        "{shown}"
    );
    assert!(shown.contains("2 read, 1 readable, 1 rejected"), "{shown}");
    // The text readers (Strava, Meteostat, Apple Health, WHOOP) read signed years too: the
    // calendar's last hour, 9 h ahead in Tokyo, has no local time there (chrono panics).
    let far = "+262142-12-31 23:00:00";
    wrk.create(
        "text/strava/activities.csv",
        format!("Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance\n1,\"{far}\",Run,Run,3400,10.5\n"),
    );
    wrk.create(
        "text/meteostat/hourly.csv",
        format!("time,temp,dwpt,rhum,prcp,snow,wdir,wspd,wpgt,pres,tsun,coco\n{far},30.5,15.0,40,0.0,,250,10.8,,1015.0,60,1\n"),
    );
    wrk.create(
        "text/whoop/workouts.csv",
        format!("Cycle start time,Cycle end time,Cycle timezone,Workout start time,Workout end time,Duration (min),Activity name,Activity Strain,Energy burned (cal),Max HR (bpm),Average HR (bpm)\n{far},,UTC+00:00,{far},,21,Running,10.6,272.0,183,161\n"),
    );
    wrk.create(
        "text/apple/export.xml",
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<HealthData locale=\"en_US\">\n<Record type=\"HKQuantityTypeIdentifierDietaryWater\" sourceName=\"W\" unit=\"mL\" startDate=\"{far} +0000\" endDate=\"{far} +0000\" value=\"500\"/>\n</HealthData>\n"),
    );
    let shown = inspect_and_analyze(&wrk, "text", &["--tz", "Asia/Tokyo"]);
    let reason = "+262142-12-31 23:00:00 is too near the end of the calendar's range to convert between time zones";
    for (file, line) in [
        ("text/strava/activities.csv", 2),
        ("text/meteostat/hourly.csv", 2),
        ("text/whoop/workouts.csv", 2),
        ("text/apple/export.xml", 3),
    ] {
        let at = shown
            .find(file)
            .unwrap_or_else(|| panic!("{file}\n{shown}"));
        let part = &shown[at..];
        let end = part[1..].find("\ntext/").map_or(part.len(), |e| e + 1);
        assert!(
            part[..end].contains(&format!("line {line}: {reason}")),
            "{file}\n{shown}"
        );
    }
}

/// The files under a folder (relative path → bytes), hidden ones included.
fn snapshot(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect();
    out.sort();
    out
}

#[test]
fn a_users_files_in_the_output_folder_are_never_replaced() {
    let wrk = Workdir::new();
    for name in ["report.html", "daily_risk.csv", "pseudonym_key.csv"] {
        let dir = format!("mine-{name}");
        wrk.create(&format!("{dir}/{name}"), "my own file\n");
        let out = wrk.analyze(fixture("basic"), &dir).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{name}");
        assert_eq!(
            stderr_of(&out),
            format!("error: {dir}/{name} was not written by cramprisk and would be replaced: move it, or choose another --out folder\n")
        );
        // Before any work: nothing else appeared, the file is as it was.
        let left: Vec<String> = snapshot(&wrk.path(&dir))
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        assert_eq!(
            left,
            [".cramprisk-lock".to_string(), name.to_string()],
            "{name}"
        );
        assert_eq!(wrk.read(&format!("{dir}/{name}")), "my own file\n");
    }
    // A chart name is known only after the computation: checked before any file is moved.
    wrk.create("mine-chart/charts/ana-risk.png", "my own picture");
    let out = wrk
        .analyze(fixture("basic"), "mine-chart")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr_of(&out).contains("mine-chart/charts/ana-risk.png was not written by cramprisk"),
        "{}",
        stderr_of(&out)
    );
    assert_eq!(wrk.read("mine-chart/charts/ana-risk.png"), "my own picture");
    assert!(!wrk.path("mine-chart/daily_risk.csv").exists());
    assert!(!wrk.path("mine-chart/.cramprisk-staging").exists());
}

#[test]
fn the_output_set_is_one_unit() {
    let wrk = Workdir::new();
    wrk.copy_from_repo("tests/fixtures/basic");
    let input = "tests/fixtures/basic";
    // A user's CSV in charts/ of the input folder, which is also the output folder.
    wrk.create(
        &format!("{input}/charts/extra.csv"),
        "athlete,start,duration_min\nana,2025-07-02 18:00,30\n",
    );
    let first = wrk.analyze(input, input).output().unwrap();
    assert!(first.status.success(), "{}", stderr_of(&first));
    let marker = wrk.read(&format!("{input}/.cramprisk-output"));
    assert!(marker.contains("\ndaily_risk.csv\n"), "{marker}");
    assert!(marker.contains("\ncharts/ana-risk.png\n"), "{marker}");
    assert!(!marker.contains("extra.csv"), "{marker}");
    // The second run still reads the user's charts/extra.csv (3 activity files: the
    // fixture's two and extra.csv), and not the first run's outputs.
    let second = wrk.analyze(input, input).output().unwrap();
    assert!(second.status.success(), "{}", stderr_of(&second));
    assert!(
        stdout_of(&second).contains("charts/extra.csv  activities: 1 rows read, 1 used"),
        "{}",
        stdout_of(&second)
    );
    assert!(
        !stdout_of(&second).contains("daily_risk.csv  "),
        "{}",
        stdout_of(&second)
    );
    let before = snapshot(&wrk.path(input));
    // A run that fails (nothing to score) leaves every file as it was, and no staging.
    let out = wrk
        .analyze(input, input)
        .args(["--from", "2026-01-01"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(snapshot(&wrk.path(input)), before);
    // A killed run's incomplete staging folder is removed on the next start.
    wrk.create(
        &format!("{input}/.cramprisk-staging/.daily_risk.csv.tmp"),
        "half",
    );
    let out = wrk.analyze(input, input).output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(!wrk.path(&format!("{input}/.cramprisk-staging")).exists());
    assert_eq!(snapshot(&wrk.path(input)), before);
    // Reporting one athlete: ben's charts, of an earlier run, stay and stay listed (the tool
    // deletes none of its earlier files: another command's may share the folder).
    let out = wrk
        .analyze(input, input)
        .args(["--athlete", "ana"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(wrk.path(&format!("{input}/charts/ben-risk.png")).exists());
    let marker = wrk.read(&format!("{input}/.cramprisk-output"));
    assert!(marker.contains("\ncharts/ben-risk.png\n"), "{marker}");
    assert!(wrk.path(&format!("{input}/charts/extra.csv")).exists());
}

#[test]
fn a_second_run_into_a_locked_folder_fails_clearly() {
    let wrk = Workdir::new();
    std::fs::create_dir(wrk.path("out")).unwrap();
    // Another run holds the lock (an OS file lock, as the tool takes it).
    let held = std::fs::File::create(wrk.path("out/.cramprisk-lock")).unwrap();
    held.lock().unwrap();
    let out = wrk.analyze(fixture("basic"), "out").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr_of(&out),
        "error: another cramprisk run is writing to out: wait for it to finish, or choose another --out folder\n"
    );
    // Released (as when that run ends, however it ends): the next run goes ahead.
    drop(held);
    let out = wrk.analyze(fixture("basic"), "out").output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
}

#[test]
fn generate_refuses_a_folder_that_is_not_empty_or_its_own() {
    let wrk = Workdir::new();
    wrk.create("mine/activities.csv", "my own data\n");
    let gen = |dir: &str| {
        wrk.command("generate")
            .args(["--athletes", "1", "--days", "3", "--out", dir])
            .output()
            .unwrap()
    };
    let out = gen("mine");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr_of(&out),
        "error: mine is not empty and was not written by cramprisk generate: choose a new or empty folder\n"
    );
    assert_eq!(wrk.read("mine/activities.csv"), "my own data\n");
    // A new folder, then the same folder again (its own), are fine.
    assert!(gen("demo").status.success());
    assert!(gen("demo").status.success());
}

#[test]
fn far_dates_are_rejected_or_capped_not_built() {
    let wrk = Workdir::new();
    // A session dated 9999: rejected as in the future by the clock even with --as-of (the
    // days reported still end on --as-of).
    wrk.create(
        "far/a.csv",
        "athlete,start,duration_min\nana,2025-07-01 08:00,60\nana,9999-07-02 08:00,60\n",
    );
    let out = wrk
        .analyze("far", "out")
        .args(["--as-of", "2025-07-05", "--charts", "none"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let rejected = wrk.read("out/rejected_rows.csv");
    assert!(
        rejected.contains("far/a.csv,3,start 9999-07-02 08:00 is in the future (today is "),
        "{rejected}"
    );
    // --to far after the data: the days stop 366 days after the last record. The basic
    // fixture's last record is 2025-07-03; 2025-07-03 + 365 d = 2026-07-03, + 1 = 2026-07-04.
    let out = wrk
        .analyze(fixture("basic"), "out2")
        .args(["--to", "9999-12-31", "--charts", "none"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains(
        "note: days after 2026-07-04 are not computed: 9999-12-31 is more than 366 days after the last record (2025-07-03)"
    ), "{}", stderr_of(&out));
    let rows = wrk.read_csv("out2/daily_risk.csv");
    let last = rows.iter().map(|r| r["date"].clone()).max().unwrap();
    assert_eq!(last, "2026-07-04");
    let out = wrk
        .command("explain")
        .arg(fixture("basic"))
        .args(["--athlete", "ana", "--date", "9999-12-31"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr_of(&out),
        "error: no day 9999-12-31 for athlete \"ana\": days after 2026-07-04 are not computed: 9999-12-31 is more than 366 days after the last record (2025-07-03)\n"
    );
}

#[test]
fn pipes_and_devices_are_refused_before_any_read_whatever_their_name() {
    let wrk = Workdir::new();
    wrk.create(
        "in/ana/a.csv",
        "athlete,start,duration_min\nana,2025-07-01 08:00,60\n",
    );
    for name in ["export.xml", "HydrationLogFile_1.json"] {
        let made = Command::new("mkfifo")
            .arg(wrk.path(&format!("in/ana/{name}")))
            .status()
            .unwrap();
        assert!(made.success());
    }
    std::fs::create_dir(wrk.path("in/ben")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", wrk.path("in/ben/HydrationLogFile_2.json")).unwrap();
    let out = wrk.command("inspect").arg("in").output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let shown = stdout_of(&out);
    for file in [
        "in/ana/export.xml",
        "in/ana/HydrationLogFile_1.json",
        "in/ben/HydrationLogFile_2.json",
    ] {
        assert!(
            shown.contains(&format!(
                "{file}\n    NOT READ    is not a regular file (a pipe, socket or device)"
            )),
            "{file}\n{shown}"
        );
    }
}
