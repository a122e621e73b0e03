//! Reading a polars column cell by cell: its one arrow array, shared with the frame (not
//! copied into a `Vec`), read by row index without the chunk lookup of `ChunkedArray::get`;
//! and building a text column whose repeated cells share their bytes. Below the model and the
//! writers, which both read finished tables this way.

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

/// A text column built cell by cell in which a cell seen before points at the bytes of its
/// first copy instead of storing them again (an arrow string view may point anywhere in the
/// column's buffers). For columns with few distinct cells: at 1,000 athletes × 730 days the
/// advice has about 12,000 distinct texts and the missing inputs about 400, yet they held
/// 290 MB of a 475 MB table.
pub struct SharedTexts {
    cells: polars_arrow::array::MutableBinaryViewArray<str>,
    /// Each distinct text longer than a view holds inline, and its view.
    seen: PlHashMap<String, polars_arrow::array::View>,
}

impl SharedTexts {
    pub fn with_capacity(rows: usize) -> SharedTexts {
        SharedTexts {
            cells: polars_arrow::array::MutableBinaryViewArray::with_capacity(rows),
            seen: PlHashMap::default(),
        }
    }

    /// Appends a (non-null) cell.
    pub fn push(&mut self, text: &str) {
        use polars_arrow::array::View;
        if text.len() <= View::MAX_INLINE_SIZE as usize {
            self.cells.push_value(text);
            return;
        }
        let view = match self.seen.get(text) {
            Some(view) => *view,
            None => {
                let view = self.cells.push_value_into_buffer(text.as_bytes());
                self.seen.insert(text.to_string(), view);
                view
            }
        };
        // SAFETY: `view` was made by this builder for these bytes, and its buffer stays with
        // it (a view's buffer index counts the finished buffers, and the one in progress joins
        // them under that index). No null was ever pushed, so there is no validity to extend.
        // The total length counts every cell's bytes, as `push_value` would have.
        unsafe {
            self.cells.views_mut().push(view);
            let total = self.cells.total_bytes_len() + text.len();
            self.cells.set_total_bytes_len(total);
        }
    }

    pub fn finish(self) -> StringChunked {
        StringChunked::with_chunk(PlSmallStr::EMPTY, self.cells.freeze())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Repeated cells read back as written (inline, long, repeated, interleaved), and the
    /// long ones are stored once: the buffers hold each distinct long text's bytes once.
    #[test]
    fn shared_texts_read_back_and_store_repeats_once() {
        let long_a = "Drink about 500 ml more today, spread over the day.";
        let long_b = "fluids: no fluids log; weather: no weather for this place";
        let cells = [
            "", "short", long_a, long_b, long_a, long_a, "short", long_b, "",
        ];
        let mut b = SharedTexts::with_capacity(cells.len());
        for c in cells {
            b.push(c);
        }
        let ca = b.finish();
        let got: Vec<Option<&str>> = ca.iter().collect();
        let want: Vec<Option<&str>> = cells.iter().map(|c| Some(*c)).collect();
        assert_eq!(got, want);
        assert_eq!(ca.null_count(), 0);
        let arr = ca.downcast_get(0).unwrap();
        assert_eq!(arr.total_buffer_len(), long_a.len() + long_b.len());
        let logical: usize = cells.iter().map(|c| c.len()).sum();
        assert_eq!(arr.total_bytes_len(), logical);
        // The column survives what the passes do to it: appended, filtered, made one chunk.
        let mut twice = ca.clone();
        twice.append(&ca).unwrap();
        let keep: Vec<bool> = (0..2 * cells.len()).map(|i| i % 3 != 1).collect();
        let kept = twice
            .filter(&BooleanChunked::from_slice("keep".into(), &keep))
            .unwrap()
            .rechunk()
            .into_owned();
        let got: Vec<Option<&str>> = kept.iter().collect();
        let want: Vec<Option<&str>> = cells
            .iter()
            .chain(cells.iter())
            .zip(&keep)
            .filter(|(_, k)| **k)
            .map(|(c, _)| Some(*c))
            .collect();
        assert_eq!(got, want);
    }
}
