"""One error hierarchy (common/errors.py), turned into exit codes in one place (policywatch/cli.py::main)."""
import subprocess
import sys
from pathlib import Path

import pytest

from common.errors import BadUsage, PolicyWatchError, WorkFailed
from crawler.fetch import FetchError
from ingest.sources import SourcesError
from index import IndexConfigError, IndexMissing, IndexUnavailable, QueryError
from nlp import GazetteerError

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("kind, root", [(QueryError, BadUsage), (SourcesError, BadUsage), (GazetteerError, BadUsage),
                                        (IndexConfigError, BadUsage), (IndexMissing, WorkFailed),
                                        (IndexUnavailable, WorkFailed), (FetchError, WorkFailed)])
def test_every_stage_error_is_a_policywatch_error_that_says_bad_usage_or_work_failed(kind, root):
    assert issubclass(kind, root) and issubclass(kind, PolicyWatchError)
    assert (kind.exit_code, kind.http_status) == ((2, 400) if root is BadUsage else (1, 503))


def test_a_malformed_gazetteer_file_is_one_line_and_exit_2_not_a_traceback(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("entries:\n  - name: X\n    type: NOPE\n", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "policywatch.cli", "timeline", "Telegram", "--gazetteer", str(bad),
                        "--index", f"sqlite:///{tmp_path}/none.db"], cwd=tmp_path, capture_output=True, text=True,
                       env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert r.returncode == 2
    assert r.stderr == f"policywatch: {bad}: entries[0]: type 'NOPE' of 'X' is not one of PERSON, AGENCY, " \
                       "PLATFORM, ORG, GPE, LAW\n"
