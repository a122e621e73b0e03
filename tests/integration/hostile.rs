//! Hostile text in the inputs (issue 19, parts 4–7): cells that become spreadsheet formulas
//! under any list separator, names that act on the terminal or reorder a page, names that print
//! alike but are other bytes, `--pseudonymize` leaks, clashing profiles, and the misspelling
//! check at scale. Every case runs the real binary and asserts the message.

use std::collections::BTreeSet;

use crate::util::{stderr_of, Workdir};

const HEADER: &str = "athlete,start,sport,duration_min,avg_hr,title\n";

/// A session row of the native activities file.
fn session(athlete: &str, start: &str) -> String {
    format!("{athlete},{start},run,45,150,easy\n")
}

/// Whether a piece of a CSV line (split naively on a separator, as a spreadsheet with another
/// list separator would) is a live formula: after blanks, a formula sign — unless the piece is
/// a plain number (`-5.3` is read as a number, not run).
fn is_live_formula(piece: &str) -> bool {
    let blank = |c: char| c.is_whitespace() || matches!(c, '\u{200b}' | '\u{feff}' | '"');
    let t = piece.trim_start_matches(blank);
    let signs = ['=', '+', '-', '@', '＝', '＋', '－', '＠'];
    t.starts_with(signs) && t.trim_end_matches('"').parse::<f64>().is_err()
}

fn assert_no_live_formula(text: &str, file: &str) {
    for line in text.lines() {
        for sep in [',', ';', '\t'] {
            for piece in line.split(sep) {
                assert!(
                    !is_live_formula(piece),
                    "{file}: {piece:?} of line {line:?} (split on {sep:?}) is a live formula"
                );
            }
        }
    }
}

#[test]
fn cells_cannot_become_formulas_under_any_separator() {
    let wd = Workdir::new();
    let mut csv = HEADER.to_string();
    // Names: a `;`-separated formula, NBSP, tab and full-width signs before it.
    for (i, name) in [
        "x;=HYPERLINK(\"http://e.invalid\";\"go\")",
        "\u{a0}=1+1",
        " @SUM(A1)",
        "＝1+2",
        "y;\u{a0}-2+3",
    ]
    .iter()
    .enumerate()
    {
        let quoted = format!("\"{}\"", name.replace('"', "\"\""));
        csv.push_str(&session(&quoted, &format!("2025-05-0{} 07:00", i + 1)));
    }
    // A rejected row whose reason quotes the cell.
    csv.push_str("ana,2025-05-01 07:00,run,\"5;=2+5\",150,x\n");
    wd.create("in/activities.csv", csv);
    wd.analyze("in", "out").assert().success();
    for file in [
        "out/daily_risk.csv",
        "out/team_summary.csv",
        "out/rejected_rows.csv",
    ] {
        assert_no_live_formula(&wd.read(file), file);
    }
    // The reason is still there, marked as text (`;` followed by an apostrophe).
    let rejected = wd.read("out/rejected_rows.csv");
    assert!(rejected.contains("5;'=2+5"), "{rejected}");
    let daily = wd.read("out/daily_risk.csv");
    assert!(daily.contains("x;'=HYPERLINK"), "{daily}");
    assert!(daily.contains("'＝1+2"), "{daily}");
}

#[test]
fn names_cannot_drive_the_terminal_or_reverse_the_report() {
    let wd = Workdir::new();
    let mut csv = HEADER.to_string();
    // Clear screen + window title + bell; a carriage return to overwrite the line; an RTL
    // override.
    csv.push_str(&session(
        "\"ana\u{1b}[2J\u{1b}]0;pwned\u{7}\"",
        "2025-05-01 07:00",
    ));
    csv.push_str(&session("\"ben\rfake: all clear\"", "2025-05-02 07:00"));
    csv.push_str(&session("\"cara\u{202e}gnp.exe\"", "2025-05-03 07:00"));
    wd.create("in/activities.csv", csv);
    // A file that names no athlete, in a folder whose name holds an RTL override.
    wd.create(
        "in/x\u{202e}y/activities.csv",
        "start,sport,duration_min\n2025-05-01 07:00,run,30\n",
    );
    let out = wd.analyze("in", "out").output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    for (what, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        for bad in [0x1b_u8, 0x07, b'\r'] {
            assert!(!bytes.contains(&bad), "{what} holds byte {bad:#x}");
        }
        assert!(!String::from_utf8_lossy(bytes).contains('\u{202e}'));
    }
    // The summary (stdout) and the messages (stderr).
    let err = String::from_utf8_lossy(&out.stdout).into_owned() + &stderr_of(&out);
    assert!(err.contains("ana\\u{1b}[2J\\u{1b}]0;pwned\\u{7}"), "{err}");
    // The carriage return is spacing in a name: `ben fake: all clear`, one line.
    assert!(err.contains("ben fake: all clear"), "{err}");
    // Bidi controls are invisible in a name and dropped from it (`cara\u{202e}gnp.exe` is
    // `caragnp.exe`); in other text (a folder name here) they are shown escaped.
    assert!(err.contains("caragnp.exe"), "{err}");
    let html = wd.read("out/report.html");
    assert!(
        !html.contains('\u{202e}'),
        "raw RTL override in report.html"
    );
    assert!(!html.contains('\u{1b}'), "raw ESC in report.html");
    assert!(html.contains("x\\u{202e}y"), "the folder name, escaped");
}

/// The distinct athletes of daily_risk.csv.
fn athletes(wd: &Workdir, out: &str) -> BTreeSet<String> {
    wd.read_csv(&format!("{out}/daily_risk.csv"))
        .into_iter()
        .map(|r| r["athlete"].clone())
        .collect()
}

#[test]
fn spellings_that_print_alike_are_one_athlete_with_a_warning() {
    let wd = Workdir::new();
    let mut csv = HEADER.to_string();
    csv.push_str(&session("Jos\u{e9}", "2025-05-01 07:00")); // NFC é
    csv.push_str(&session("Jose\u{301}", "2025-05-02 07:00")); // NFD e + combining acute
    csv.push_str(&session("Ana Lopez", "2025-05-01 07:00"));
    csv.push_str(&session("Ana\u{a0}Lopez", "2025-05-02 07:00")); // NBSP
    csv.push_str(&session("Ana\u{200b} Lopez", "2025-05-03 07:00")); // zero-width space
    csv.push_str(&session("Ａｎａ Lopez", "2025-05-04 07:00")); // full-width letters
                                                                // Blank-looking names: zero-width space, BOM, word joiner, NBSP.
    csv.push_str(&session("\u{200b}", "2025-05-05 07:00"));
    csv.push_str(&session("\u{feff}", "2025-05-05 08:00"));
    csv.push_str(&session("\u{2060}\u{200b}", "2025-05-05 09:00"));
    csv.push_str(&session("\u{a0}", "2025-05-05 10:00"));
    wd.create("in/activities.csv", csv);
    let out = wd.analyze("in", "out").output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let want: BTreeSet<String> = ["Ana Lopez", "Jos\u{e9}"].map(String::from).into();
    assert_eq!(athletes(&wd, "out"), want);
    let err = String::from_utf8_lossy(&out.stdout).into_owned() + &stderr_of(&out);
    // One warning per merged spelling: NFD José, ZWSP and full-width Ana Lopez (NBSP is
    // spacing, merged like two spaces, as before).
    assert_eq!(
        err.matches("differ only in Unicode form").count(),
        3,
        "{err}"
    );
    // The warning shows how they differ.
    assert!(err.contains("the spelling \"Jose\\u{301}\""), "{err}");
    assert!(err.contains("\"Ana\\u{200b} Lopez\""), "{err}");
    assert!(
        err.contains("\"\\u{ff21}\\u{ff4e}\\u{ff41} Lopez\""),
        "{err}"
    );
    let rejected = wd.read_csv("out/rejected_rows.csv");
    // The NBSP-only name is emptied by the reader's trim ("athlete is empty"); the invisible
    // ones reach the name check.
    let blank: Vec<_> = rejected
        .iter()
        .filter(|r| r["reason"].contains("is blank") || r["reason"].contains("athlete is empty"))
        .collect();
    assert_eq!(blank.len(), 4, "{rejected:?}");
    assert!(
        rejected.iter().any(|r| r["reason"].contains("\\u{200b}")),
        "{rejected:?}"
    );
}

#[test]
fn clashing_profiles_are_an_error_naming_both() {
    let wd = Workdir::new();
    wd.create(
        "in/activities.csv",
        HEADER.to_string() + &session("ana", "2025-05-01 07:00"),
    );
    wd.create(
        "in/athletes.toml",
        "[athletes.Ana]\nhr_max = 190\n[athletes.ana]\n",
    );
    let out = wd.analyze("in", "out").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    assert!(err.contains("\"Ana\"") && err.contains("\"ana\""), "{err}");
    wd.create(
        "in/athletes.toml",
        "[athletes.ana]\naliases = [\"AL\"]\n[athletes.ben]\naliases = [\"al\"]\n",
    );
    let out = wd.analyze("in", "out").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    assert!(
        err.contains("\"AL\" (athlete \"ana\") and \"al\" (athlete \"ben\")"),
        "{err}"
    );
}

/// Every file under `dir` (recursively) with its bytes.
fn files_under(dir: &std::path::Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            let bytes = std::fs::read(&p).unwrap();
            out.push((p, bytes));
        }
    }
    out
}

#[test]
fn pseudonymize_leaks_no_spelling_and_keeps_codes_and_words() {
    let wd = Workdir::new();
    let mut csv = HEADER.to_string();
    for (i, name) in [
        "Wojciechowska",
        "Bartholomew",
        "=Eve",
        "-Max",
        "@Zed",
        "low",
        "heat",
        "Jos\u{e9}",
    ]
    .iter()
    .enumerate()
    {
        csv.push_str(&session(name, &format!("2025-05-0{} 07:00", i % 3 + 1)));
    }
    wd.create("team/activities.csv", csv);
    // A folder named after an athlete holding a rejected row and a skipped (binary) file.
    wd.create(
        "team/wojciechowska/a.csv",
        "athlete,start,sport,duration_min\nWojciechowska,2025-05-02 07:00,run,abc\n",
    );
    wd.create("team/wojciechowska/b.csv", b"\x00\x01\x02binary".as_slice());
    // A folder in NFD (as macOS writes it) for the NFC athlete of the table.
    wd.create(
        "team/Jose\u{301}/activities.csv",
        "start,sport,duration_min\n2025-05-03 07:00,run,30\n2025-05-04 07:00,run,xx\n",
    );
    let run = |out: &str, extra: &[&str]| {
        let o = wd
            .analyze("team", out)
            .arg("--pseudonymize")
            .args(extra)
            .output()
            .unwrap();
        (
            o.status.code(),
            format!("{}{}", String::from_utf8_lossy(&o.stdout), stderr_of(&o)),
        )
    };
    let (code, term1) = run("out", &[]);
    assert_eq!(code, Some(0), "{term1}");
    let key1 = wd.read("out/pseudonym_key.csv");
    let (code, term2) = run("out", &[]);
    assert_eq!(code, Some(0), "{term2}");
    // Codes stable across runs, names starting with = - @ included (8 athletes, 8 codes).
    assert_eq!(wd.read("out/pseudonym_key.csv"), key1);
    assert_eq!(key1.lines().count(), 9, "{key1}");
    assert!(key1.contains("P002,'=Eve"), "{key1}");
    // `--athlete` with an unknown code: the error lists codes, not names; a code selects.
    let (code, term3) = run("out2", &["--athlete", "P009"]);
    assert_eq!(code, Some(1), "{term3}");
    assert!(term3.contains("codes: P001, P002"), "{term3}");
    let (code, term4) = run("out3", &["--athlete", "P004"]);
    assert_eq!(code, Some(0), "{term4}");
    let picked: BTreeSet<String> = athletes(&wd, "out3");
    assert_eq!(picked, BTreeSet::from(["P004".to_string()]));

    let spellings = [
        "Wojciechowska",
        "wojciechowska",
        "Bartholomew",
        "Jos\u{e9}",
        "Jose\u{301}",
        "Jose\\u{301}",
        "=Eve",
        "-Max",
        "@Zed",
    ];
    let mut texts: Vec<(String, String)> = vec![
        ("terminal 1".into(), term1),
        ("terminal 2".into(), term2),
        ("terminal 3".into(), term3),
        ("terminal 4".into(), term4),
    ];
    for out in ["out", "out3"] {
        for (path, bytes) in files_under(&wd.path(out)) {
            if path.ends_with("pseudonym_key.csv") {
                continue; // the key is the one file that holds the names
            }
            texts.push((
                path.display().to_string(),
                String::from_utf8_lossy(&bytes).into_owned(),
            ));
            // File names too.
            texts.push((path.display().to_string(), path.display().to_string()));
        }
    }
    for (what, text) in &texts {
        for s in spellings {
            assert!(!text.contains(s), "{what} holds {s:?}");
        }
    }
    // Scrubbing touched names only: bands and factor words stay words.
    let daily = wd.read_csv("out/daily_risk.csv");
    assert!(daily.iter().all(|r| !r["risk_band"].starts_with('P')));
    assert!(daily.iter().any(|r| r["risk_band"] == "low"));
    assert!(texts[0].1.contains("heat not assessed"), "{}", texts[0].1);
    let rejected = wd.read("out/rejected_rows.csv");
    assert!(
        rejected.contains("team/P006/b.csv,,\"file skipped"),
        "{rejected}"
    );
    assert!(
        rejected.contains("team/P005/activities.csv,3,"),
        "{rejected}"
    );
}

#[test]
fn numbered_ids_print_no_misspelling_warning() {
    let wd = Workdir::new();
    let mut csv = HEADER.to_string();
    for i in 1..=40 {
        csv.push_str(&session(&format!("Player {i:02}"), "2025-05-01 07:00"));
    }
    // And one real near miss, reported once.
    csv.push_str(&session("Ana Lopez", "2025-05-01 07:00"));
    csv.push_str(&session("Ana Lopes", "2025-05-02 07:00"));
    wd.create("in/activities.csv", csv);
    let out = wd.analyze("in", "out").output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let text = String::from_utf8_lossy(&out.stdout).into_owned() + &stderr_of(&out);
    // Before: 39 warnings for the numbered IDs.
    assert_eq!(text.matches("looks like").count(), 1, "{text}");
    assert!(
        text.contains("athlete \"Ana Lopes\" is not in athletes.toml and looks like \"Ana Lopez\"")
    );
}

#[test]
fn a_session_shorter_than_a_second_is_rejected() {
    let wd = Workdir::new();
    let mut csv = HEADER.to_string();
    csv.push_str("ana,2025-05-01 07:00,run,1e-320,150,x\n");
    csv.push_str("ana,2025-05-02 07:00,run,0.01,150,x\n"); // 0.6 s
    csv.push_str(&session("ana", "2025-05-03 07:00"));
    wd.create("in/activities.csv", csv);
    wd.analyze("in", "out").assert().success();
    let rejected = wd.read_csv("out/rejected_rows.csv");
    let lines: Vec<(&str, &str)> = rejected
        .iter()
        .map(|r| (r["line"].as_str(), r["reason"].as_str()))
        .collect();
    assert_eq!(
        lines,
        [
            (
                "2",
                "duration_min 1e-320 min is under one second: no session is that short"
            ),
            (
                "3",
                "duration_min 0.01 min is under one second: no session is that short"
            ),
        ]
    );
}
