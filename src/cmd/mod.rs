//! One module per command: each takes its checked configuration (`config.rs`), runs the
//! shared computation (`compute.rs`) where it needs it, and hands finished data to the
//! writers. Nothing here parses flags or reads files itself.

pub mod analyze;
pub mod explain;
pub mod generate;
pub mod inspect;
pub mod model;
