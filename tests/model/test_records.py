"""Records only where asked: per-returnee history is kept by runs whose tables are asked,
and written month by month when it goes to a file (issue 26, item 2)."""

import pandas as pd
import pyarrow as pa

from experiments.cli import main
from model.model import ReintegrationModel
from model.run import RunSpec, perform, run

SMALL = {"n_returnees": 150, "n_communities": 4}


def test_a_summary_run_keeps_no_history_and_reports_the_same():
    """Sweeps and calibration record summaries only: the same outcomes, no per-returnee rows."""
    tables = perform(RunSpec("default", "integrated", 4, 6, SMALL, record="tables"))
    summary = perform(RunSpec("default", "integrated", 4, 6, SMALL, record="summary"))
    assert summary.returnee_table is None and summary.community_table is None
    assert tables.returnee_table is not None and len(tables.returnee_table) > 0
    assert summary.summary == tables.summary
    pd.testing.assert_frame_equal(summary.model_table, tables.model_table)


def test_a_model_made_by_hand_keeps_no_record():
    """The trainer's page and ``mesa.batch_run`` read the DataCollector only."""
    m = ReintegrationModel(rng=1, months=2, create_agents=False, **SMALL)
    while m.running:
        m.step()
    assert m.record is None


def test_written_month_by_month_the_rows_are_the_kept_table():
    """Each month's rows go out as the month ends: one table a month, that month's returned
    returnees only, and together the very table a run kept in memory."""
    months: list[pa.Table] = []
    streamed = run("default", "integrated", 2, 7, overrides=SMALL, write_returnees=months.append)
    kept = run("default", "integrated", 2, 7, overrides=SMALL)
    assert streamed.returnee_table is None  # nothing of the history held by the result
    assert len(months) == 7
    assert [set(t.column("month").to_pylist()) for t in months] == [{m} for m in range(7)]
    assert [t.num_rows for t in months] == sorted(t.num_rows for t in months)  # arrivals add
    together = pa.concat_tables(months).to_pandas()
    pd.testing.assert_frame_equal(together, kept.returnee_table)
    pd.testing.assert_frame_equal(streamed.community_table, kept.community_table)


def test_reintegrate_run_writes_the_table_a_run_keeps(tmp_path):
    """The file ``reintegrate run`` writes month by month reads back as the kept table, with
    the statuses by name."""
    out = tmp_path / "run"
    argv = ["run", "--seed", "5", "--months", "5", "--set", "n_returnees=150", "--set",
            "n_communities=4", "--out", str(out)]  # fmt: skip
    assert main(argv) == 0
    written = pd.read_parquet(out / "returnees.parquet")
    kept = run("default", "integrated", 5, 5, overrides=SMALL).returnee_table
    pd.testing.assert_frame_equal(written, kept)
    assert set(written["status"].cat.categories) >= {"none", "wage", "own_account"}
