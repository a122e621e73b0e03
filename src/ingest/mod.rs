//! Ingest: finds the input files, recognises each one's format, reads it with that format's
//! module into canonical columns, and accounts for every row (used, or rejected with a
//! reason). Nothing downstream knows about file formats.
//!
//! Layout: `types` (what ingest hands out), `discover` (which files), `load` (the one gate
//! every file goes through), `format` (what every reader shares), `formats` (the one list of
//! formats), one module per format, `canonical` (the builders), `checks` (plausible values),
//! `text` (decoding and CSV records), `names` (athlete names), `dedupe`, `mentions` (cramps named in session titles).

pub mod apple;
pub mod archive;
pub mod canonical;
pub mod checks;
pub mod conditions;
pub mod coverage;
pub mod cramplog;
pub mod dedupe;
pub mod discover;
pub mod fit;
pub mod fitbit;
pub mod fluidlog;
pub mod format;
pub mod formats;
pub mod fuzzing;
pub mod garmin;
pub mod load;
pub mod mentions;
pub mod meteostat;
pub mod myfitnesspal;
pub mod names;
pub mod native;
pub mod noaa;
pub mod openmeteo;
pub mod parquet;
pub mod plan;
pub mod polar;
pub mod strava;
pub mod text;
pub mod types;
pub mod whoop;

pub use canonical::{Canonical, Frames};
pub use discover::discover;
pub use format::ReadOptions;
pub use load::{load, read_file};
pub use names::Names;
pub use types::{FileReport, Ingested, InputFile, Kind, KindHint, Rejection};
