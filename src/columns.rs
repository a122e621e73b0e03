//! Reading a polars column cell by cell: its arrow arrays, shared with the frame (not copied
//! into a `Vec` or into one piece), read by row index without the per-cell chunk walk of
//! `ChunkedArray::get`; and building a text column whose repeated cells share their bytes.
//! Below the model and the writers, which both read finished tables this way.

use std::ops::Range;

use polars::prelude::*;

/// The one array of a column made one chunk (`None` only for a column without rows).
pub fn one_array<T: PolarsDataType>(ca: &ChunkedArray<T>) -> Option<T::Array> {
    ca.rechunk().downcast_get(0).cloned()
}

/// A numeric column as floats, read by row index, chunk by chunk: the daily table keeps each
/// pass's rows as a chunk of its own (`compute::stack`), and a reader that made the column
/// one piece would copy it.
pub struct Floats {
    arrays: Vec<<Float64Type as PolarsDataType>::Array>,
    /// The row after each chunk's last (ascending).
    ends: Vec<usize>,
}

impl Floats {
    /// The column cast to floats (no copy when it is floats already).
    pub fn of(column: &Column) -> PolarsResult<Floats> {
        let ca = column.cast(&DataType::Float64)?;
        let arrays: Vec<_> = ca.f64()?.downcast_iter().cloned().collect();
        let ends = arrays
            .iter()
            .scan(0, |end, a| {
                *end += a.len();
                Some(*end)
            })
            .collect();
        Ok(Floats { arrays, ends })
    }

    /// `warm_values` for `rows` of a column in one chunk (a chunked one is read as it comes).
    pub fn warm(&self, rows: Range<usize>) -> u64 {
        match self.arrays.as_slice() {
            [one] => warm_array(one, rows, f64::to_bits),
            _ => 0,
        }
    }

    /// Row `i`'s value as stored (`None`: null, or a row past the end).
    pub fn get(&self, i: usize) -> Option<f64> {
        if let [one] = self.arrays.as_slice() {
            return one.get(i);
        }
        // The chunk holding row `i`: the first whose end is past it.
        let k = self.ends.partition_point(|&end| end <= i);
        let start = k.checked_sub(1).map_or(0, |p| self.ends[p]);
        self.arrays.get(k)?.get(i - start)
    }
}

/// Reads one value per cache line of `values[rows]` and returns them mixed (`bits`), for
/// the caller to pass to `std::hint::black_box` so the reads are kept. Why: a loop that reads
/// a row's cells from some fifty columns, row by row, asks for more streams of memory than
/// the processor follows, and a table computed a while ago is no longer in the cache, so the
/// loads wait one after another. Read a column at a time first, they run ahead of each other,
/// and the rows then find their cells in the cache (docs/performance.md, thirteenth session).
pub fn warm_values<T: Copy>(values: &[T], rows: Range<usize>, bits: impl Fn(T) -> u64) -> u64 {
    let per_line = (64 / std::mem::size_of::<T>()).max(1);
    values
        .get(rows)
        .unwrap_or_default()
        .iter()
        .step_by(per_line)
        .fold(0, |acc, &v| acc ^ bits(v))
}

/// Rows brought into the cache together (`warm_values`): 256 rows of some fifty columns
/// are about 100 KB.
pub const WARM_ROWS: usize = 256;

/// The tile of `WARM_ROWS` rows of `rows` that starts at row `i`, if one does (the last is
/// cut at `rows`' end): where a row-by-row loop warms the rows ahead of it.
pub fn tile_at(i: usize, rows: Range<usize>) -> Option<Range<usize>> {
    (i - rows.start)
        .is_multiple_of(WARM_ROWS)
        .then(|| i..(i + WARM_ROWS).min(rows.end))
}

/// `warm_values` for `rows` of an array's values and null flags.
pub fn warm_array<T: polars_arrow::types::NativeType>(
    array: &polars_arrow::array::PrimitiveArray<T>,
    rows: Range<usize>,
    bits: impl Fn(T) -> u64,
) -> u64 {
    warm_values(array.values(), rows.clone(), bits) ^ warm_validity(array.validity(), rows)
}

/// `warm_values` for the null flags of `rows` (one bit each).
pub fn warm_validity(bitmap: Option<&polars_arrow::bitmap::Bitmap>, rows: Range<usize>) -> u64 {
    bitmap.map_or(0, |b| {
        let (bytes, offset, _) = b.as_slice();
        let first = (offset + rows.start) / 8;
        let last = (offset + rows.end).div_ceil(8).min(bytes.len());
        bytes
            .get(first..last)
            .unwrap_or_default()
            .iter()
            .step_by(64)
            .fold(0, |acc, &b| acc ^ u64::from(b))
    })
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
    /// The last long text pushed and its view: a day's text is most often the day before's,
    /// and comparing it costs less than hashing it (a few hundred bytes).
    last: Option<(String, polars_arrow::array::View)>,
    /// The view of each key's cell (`push_keyed`).
    keyed: PlHashMap<u64, polars_arrow::array::View>,
}

impl SharedTexts {
    pub fn with_capacity(rows: usize) -> SharedTexts {
        SharedTexts {
            cells: polars_arrow::array::MutableBinaryViewArray::with_capacity(rows),
            seen: PlHashMap::default(),
            last: None,
            keyed: PlHashMap::default(),
        }
    }

    /// Appends a (non-null) cell.
    pub fn push(&mut self, text: &str) {
        self.push_and_view(text);
    }

    /// Appends the cell that `key` stands for: the view of its first copy when the key was
    /// pushed before, else `write`'s text (written into `scratch`). For a column whose cells
    /// are a function of a small key: a repeated cell costs neither writing nor comparing.
    pub fn push_keyed(&mut self, key: u64, scratch: &mut String, write: impl FnOnce(&mut String)) {
        if let Some(view) = self.keyed.get(&key) {
            self.push_view(*view);
            return;
        }
        scratch.clear();
        write(scratch);
        let view = self.push_and_view(scratch);
        self.keyed.insert(key, view);
    }

    /// Appends a (non-null) cell and returns its view.
    fn push_and_view(&mut self, text: &str) -> polars_arrow::array::View {
        use polars_arrow::array::View;
        if text.len() <= View::MAX_INLINE_SIZE as usize {
            self.cells.push_value(text);
            // An inline view holds its bytes: it stands for the text wherever it is pushed.
            return self.cells.views().last().copied().unwrap_or_default();
        }
        let view = match &self.last {
            Some((last, view)) if last == text => *view,
            _ => {
                let view = match self.seen.get(text) {
                    Some(view) => *view,
                    None => {
                        let view = self.cells.push_value_into_buffer(text.as_bytes());
                        self.seen.insert(text.to_string(), view);
                        view
                    }
                };
                let last = self.last.get_or_insert_with(|| (String::new(), view));
                last.0.clear();
                last.0.push_str(text);
                last.1 = view;
                view
            }
        };
        self.push_view(view);
        view
    }

    /// Appends a cell by a view this builder made.
    fn push_view(&mut self, view: polars_arrow::array::View) {
        // SAFETY: `view` was made by this builder (inline, or for bytes in its buffers), and
        // its buffer stays with it (a view's buffer index counts the finished buffers, and the
        // one in progress joins them under that index). The total length counts every cell's
        // bytes, as `push_value` would have; the validity, once a null made one, grows below.
        unsafe {
            self.cells.views_mut().push(view);
            let total = self.cells.total_bytes_len() + view.length as usize;
            self.cells.set_total_bytes_len(total);
        }
        if let Some(validity) = self.cells.validity() {
            validity.push(true);
        }
    }

    /// Appends a cell: a text, or null (unknown).
    pub fn push_opt(&mut self, text: Option<&str>) {
        match text {
            Some(text) => self.push(text),
            None => self.cells.push_null(),
        }
    }

    pub fn finish(self) -> StringChunked {
        StringChunked::with_chunk(PlSmallStr::EMPTY, self.cells.freeze())
    }

    /// A column of `cells` (nulls included), each distinct text stored once: how a text
    /// column is copied out of buffers it shares with rows no longer wanted.
    pub fn collect<'a>(cells: impl Iterator<Item = Option<&'a str>>) -> StringChunked {
        let mut texts = SharedTexts::with_capacity(cells.size_hint().0);
        for cell in cells {
            texts.push_opt(cell);
        }
        texts.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tiles start every 256 rows from the first of `rows`; the last is cut at the end.
    #[test]
    fn tiles_start_every_warm_rows_from_the_first_row() {
        assert_eq!(tile_at(0, 0..600), Some(0..256));
        assert_eq!(tile_at(5, 0..600), None);
        assert_eq!(tile_at(256, 0..600), Some(256..512));
        assert_eq!(tile_at(512, 0..600), Some(512..600));
        assert_eq!(tile_at(10, 10..300), Some(10..266));
        assert_eq!(tile_at(256, 10..300), None);
        assert_eq!(tile_at(266, 10..300), Some(266..300));
    }

    /// Texts seen before share their first copy's bytes, nulls stay null, and every cell
    /// reads back as pushed, before and after the first null.
    #[test]
    fn shared_texts_keep_each_cell_and_nulls() {
        let long = "drink 500 ml more, spread over the day and the session";
        let other = "warm up for at least 10 minutes before hard sessions";
        let cells = [
            Some(long),
            Some("short"),
            None,
            Some(long),
            Some(other),
            None,
            Some(long),
        ];
        let mut texts = SharedTexts::with_capacity(cells.len());
        for c in cells {
            texts.push_opt(c);
        }
        let column = texts.finish();
        let got: Vec<Option<&str>> = column.iter().collect();
        assert_eq!(got, cells);
        // The long texts' bytes are stored once each.
        let array = column.downcast_iter().next().unwrap();
        assert_eq!(array.total_buffer_len(), long.len() + other.len());
    }

    /// A column in chunks reads by row index across them: the first and last row of each
    /// chunk, nulls, and rows past the end; an integer column is cast.
    #[test]
    fn floats_read_across_chunks() {
        let mut ca = Float64Chunked::new("x".into(), &[Some(1.5), None, Some(3.0)]);
        ca.append_owned(Float64Chunked::new("x".into(), &[Some(-4.0)]))
            .unwrap();
        ca.append_owned(Float64Chunked::new("x".into(), &[None, Some(6.25)]))
            .unwrap();
        assert_eq!(ca.chunks().len(), 3);
        let floats = Floats::of(&ca.into_series().into_column()).unwrap();
        let got: Vec<Option<f64>> = (0..8).map(|i| floats.get(i)).collect();
        assert_eq!(
            got,
            [
                Some(1.5),
                None,
                Some(3.0),
                Some(-4.0),
                None,
                Some(6.25),
                None,
                None
            ]
        );
        let mut ints = Int32Chunked::new("n".into(), &[7, 8]);
        ints.append_owned(Int32Chunked::new("n".into(), &[9]))
            .unwrap();
        let floats = Floats::of(&ints.into_series().into_column()).unwrap();
        assert_eq!(floats.get(2), Some(9.0));
        assert_eq!(floats.get(0), Some(7.0));
    }

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
