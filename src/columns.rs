//! Reading a polars column cell by cell: its one arrow array, shared with the frame (not
//! copied into a `Vec`), read by row index without the chunk lookup of `ChunkedArray::get`.
//! Below the model and the writers, which both read finished tables this way.

use polars::prelude::*;

/// The one array of a column made one chunk (`None` only for a column without rows).
pub fn one_array<T: PolarsDataType>(ca: &ChunkedArray<T>) -> Option<T::Array> {
    ca.rechunk().downcast_get(0).cloned()
}

/// A numeric column as floats, read by row index.
pub struct Floats(Option<<Float64Type as PolarsDataType>::Array>);

impl Floats {
    /// The column cast to floats (no copy when it is floats in one chunk already).
    pub fn of(column: &Column) -> PolarsResult<Floats> {
        Ok(Floats(one_array(column.cast(&DataType::Float64)?.f64()?)))
    }

    /// Row `i`'s value as stored (`None`: null, or a row past the end).
    pub fn get(&self, i: usize) -> Option<f64> {
        self.0.as_ref().and_then(|a| a.get(i))
    }
}
