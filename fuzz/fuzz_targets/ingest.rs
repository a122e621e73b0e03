//! Fuzz target: any bytes, under any of the file names that steer detection and with any of
//! the reading options that steer dates and readers, through file detection and reading
//! (`ingest::load`) — every reader, the JSON and XML ones included, `--tz` at the extreme
//! offsets, the future check, `--vendor` forcing each reader — and the profiles parser. It must
//! never panic, hang or exhaust memory; every outcome is a used row, a rejected row, a skipped
//! file or an error.
//!
//! Input layout: byte 0 picks the file name (`ingest::fuzzing::NAMES`), byte 1 the options
//! and byte 2 the vendor (`ingest::fuzzing::options`); the rest is the file.

#![no_main]

use cramprisk::ingest::fuzzing::{options, NAMES};
use cramprisk::ingest::{load, InputFile};
use cramprisk::profiles::ProfilesFile;
use libfuzzer_sys::fuzz_target;

static QUIET_HOOK: std::sync::Once = std::sync::Once::new();

fuzz_target!(|data: &[u8]| {
    // libFuzzer's panic hook aborts on any panic, even one the product catches on purpose (the
    // Parquet reader turns a panic inside polars' decoder into a skipped file). Put back the
    // default hook, which only prints: a panic that escapes still reaches libfuzzer-sys's own
    // catch_unwind around this closure, which aborts, so it is still a crash.
    QUIET_HOOK.call_once(|| drop(std::panic::take_hook()));
    let [pick, selector, vendor, body @ ..] = data else {
        return;
    };
    let dir = std::env::temp_dir().join(format!("cramprisk-fuzz-{}", std::process::id()));
    let name = NAMES[usize::from(*pick) % NAMES.len()];
    let path = dir.join(name);
    let Some(parent) = path.parent() else {
        return;
    };
    if std::fs::create_dir_all(parent).is_err() || std::fs::write(&path, body).is_err() {
        return;
    }
    let opts = options(*selector, *vendor);
    if name == "athletes.toml" {
        // The profiles: parsing, the value checks and the name-clash check.
        let _ = ProfilesFile::parse(&String::from_utf8_lossy(body));
        let _ = load(&[], &[path.clone()], &opts);
    } else {
        let file = InputFile {
            path: path.clone(),
            hint: None,
        };
        let _ = load(&[file], &[], &opts);
    }
    let _ = std::fs::remove_file(&path);
});
