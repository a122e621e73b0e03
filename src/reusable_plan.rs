//! A polars plan made once and run on many frames of one schema: the sessions, food days, day
//! measures and score of the daily table's passes, and the team summary's rows of each pass, whose
//! expressions polars would otherwise convert, check, optimise and plan anew for every pass.
//! Ground floor: it knows polars, nothing of the domain.

use std::sync::{Arc, Mutex};

use polars::prelude::*;

/// The plan's source: the frame of the next run, taken by the run.
struct NextFrame {
    schema: SchemaRef,
    frame: Mutex<Option<DataFrame>>,
}

impl AnonymousScan for NextFrame {
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }

    fn scan(&self, _: AnonymousScanArgs) -> PolarsResult<DataFrame> {
        self.frame
            .lock()
            .map_err(|_| polars_err!(ComputeError: "a run of a reusable plan panicked"))?
            .take()
            .ok_or_else(|| polars_err!(ComputeError: "a reusable plan was run without a frame"))
    }

    fn schema(&self, _: Option<usize>) -> PolarsResult<SchemaRef> {
        Ok(self.schema.clone())
    }
}

/// A plan over frames of `schema`, converted, optimised and made physical once: `run` gives
/// what `plan(frame.lazy()).collect()` gives, without making the plan again.
///
/// Why: the passes' score plan is the same for every pass of a run (its expressions depend on
/// the model, not on the rows), yet it was made for each of some sixty passes at 1,000
/// athletes; made once per thread, a run executes about 1 % fewer instructions
/// (docs/performance.md, seventeenth session). Polars' executor reads the frame from an
/// anonymous scan, which it calls on every run, so one physical plan serves them all.
pub struct ReusablePlan {
    source: Arc<NextFrame>,
    executor: Box<dyn polars_mem_engine::Executor>,
}

impl ReusablePlan {
    /// Makes the plan `plan` builds on frames of `schema`.
    pub fn new(
        schema: SchemaRef,
        plan: impl FnOnce(LazyFrame) -> LazyFrame,
    ) -> PolarsResult<ReusablePlan> {
        let source = Arc::new(NextFrame {
            schema: schema.clone(),
            frame: Mutex::new(None),
        });
        let scan = LazyFrame::anonymous_scan(
            source.clone(),
            ScanArgsAnonymous {
                schema: Some(schema),
                ..Default::default()
            },
        )?;
        let mut ir = plan(scan).to_alp_optimized()?;
        let executor = polars_mem_engine::create_physical_plan(
            ir.lp_top,
            &mut ir.lp_arena,
            &mut ir.expr_arena,
            None,
        )?;
        Ok(ReusablePlan { source, executor })
    }

    /// Whether the plan was made for frames of this schema.
    pub fn fits(&self, frame: &DataFrame) -> bool {
        frame.schema() == &self.source.schema
    }

    /// The plan's result on `frame` (which must fit: `fits`).
    pub fn run(&mut self, frame: DataFrame) -> PolarsResult<DataFrame> {
        polars_ensure!(
            self.fits(&frame),
            SchemaMismatch: "a reusable plan was given a frame of another schema"
        );
        *self
            .source
            .frame
            .lock()
            .map_err(|_| polars_err!(ComputeError: "a run of a reusable plan panicked"))? =
            Some(frame);
        self.executor
            .execute(&mut polars_expr::state::ExecutionState::new())
    }
}

/// Plans made as they are first needed and reused, one per thread at a time: the passes run
/// side by side, and an executor runs one frame at a time.
#[derive(Default)]
pub struct ReusablePlans {
    idle: Mutex<Vec<ReusablePlan>>,
}

impl ReusablePlans {
    /// `plan(frame.lazy()).collect()`, through an idle plan made for the frame's schema, or a
    /// new one (kept for the next frames). `plan` must build the same plan every time.
    pub fn run(
        &self,
        frame: DataFrame,
        plan: impl FnOnce(LazyFrame) -> LazyFrame,
    ) -> PolarsResult<DataFrame> {
        let lock_failed = || polars_err!(ComputeError: "a run of a reusable plan panicked");
        let idle = {
            let mut idle = self.idle.lock().map_err(|_| lock_failed())?;
            let k = idle.iter().position(|p| p.fits(&frame));
            k.map(|k| idle.swap_remove(k))
        };
        let mut reusable = match idle {
            Some(p) => p,
            None => ReusablePlan::new(frame.schema().clone(), plan)?,
        };
        let out = reusable.run(frame)?;
        self.idle.lock().map_err(|_| lock_failed())?.push(reusable);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(lf: LazyFrame) -> LazyFrame {
        lf.with_columns([
            (col("x") * lit(2.0) + col("y")).alias("z"),
            when(col("x").is_null())
                .then(lit("none"))
                .otherwise(lit("some"))
                .alias("t"),
        ])
        .with_column((col("z").exp() - col("x")).alias("w"))
    }

    fn frame(xs: &[Option<f64>], ys: &[Option<f64>]) -> DataFrame {
        df!("x" => xs, "y" => ys).unwrap()
    }

    /// Each run gives what collecting the plan on its frame gives, frame after frame (of
    /// other lengths, with unknowns, empty), and a frame of another schema gets a plan of its
    /// own.
    #[test]
    fn runs_give_the_collected_plan_frame_after_frame() {
        let plans = ReusablePlans::default();
        let frames = [
            frame(
                &[Some(1.0), None, Some(-3.5)],
                &[Some(0.5), Some(2.0), None],
            ),
            frame(&[Some(0.1)], &[Some(0.2)]),
            frame(&[], &[]),
            frame(&[None, None, Some(7.25), Some(1e-9)], &[Some(1.0); 4]),
        ];
        for f in &frames {
            let want = plan(f.clone().lazy()).collect().unwrap();
            let got = plans.run(f.clone(), plan).unwrap();
            assert!(got.equals_missing(&want), "{got} vs {want}");
            assert_eq!(got.schema(), want.schema());
        }
        assert_eq!(plans.idle.lock().unwrap().len(), 1);
        let ints = df!("x" => [1i64, 2], "y" => [3i64, 4]).unwrap();
        let want = plan(ints.clone().lazy()).collect().unwrap();
        assert!(plans.run(ints, plan).unwrap().equals_missing(&want));
        assert_eq!(plans.idle.lock().unwrap().len(), 2);
    }
}
