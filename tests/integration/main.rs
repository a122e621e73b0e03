//! The single integration-test binary: each module runs the real `cramprisk` binary on small
//! fixtures and checks its outputs against values computed independently (by hand or from
//! ../shared/reference/science.md).

mod analyze;
mod attack;
mod bad_inputs;
mod charts;
mod cramps;
mod downloads;
mod fitenc;
mod food;
mod front;
mod golden;
mod hostile;
mod load_series;
mod mentions;
mod model_defects;
mod parquet;
mod plan;
mod properties;
mod real_exports;
mod safety;
mod scenario;
mod team;
mod util;
mod vendors;
