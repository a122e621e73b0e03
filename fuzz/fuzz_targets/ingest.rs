//! Fuzz target: any bytes, under any of the file names that steer detection, through file
//! detection and reading (`ingest::load`). It must never panic, hang or exhaust memory; every
//! outcome is a used row, a rejected row or a skipped file.

#![no_main]

use std::path::PathBuf;

use cramprisk::ingest::{load, InputFile, ReadOptions};
use libfuzzer_sys::fuzz_target;

/// The first input byte picks the file name, since some formats are found by name.
const NAMES: [&str; 8] = [
    "input.csv",
    "Activities.csv",
    "activities.csv",
    "weather-oslo.csv",
    "export.xml",
    "HydrationLogFile_1.json",
    "DietaryWater.csv",
    "open-meteo.csv",
];

fuzz_target!(|data: &[u8]| {
    let Some((pick, body)) = data.split_first() else {
        return;
    };
    let dir = std::env::temp_dir().join(format!("cramprisk-fuzz-{}", std::process::id()));
    if std::fs::create_dir_all(&dir).is_err() {
        return;
    }
    let path: PathBuf = dir.join(NAMES[*pick as usize % NAMES.len()]);
    if std::fs::write(&path, body).is_err() {
        return;
    }
    let file = InputFile { path: path.clone(), hint: None };
    let _ = load(&[file], &[], &ReadOptions::default());
    let _ = std::fs::remove_file(&path);
});
