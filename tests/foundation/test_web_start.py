"""What the web process (gunicorn, or runserver through WSGI_APPLICATION) has done before its first
request: every view is loaded, and what was loaded is out of the garbage collector's walks."""

import subprocess
import sys

from tests.foundation.test_check_deploy import PRODUCTION, ROOT

REPORT = (
    "import gc, sys; import socialdatalab.wsgi; "
    "print(gc.get_freeze_count(), 'insights.research' in sys.modules, 'pandas' in sys.modules)"
)


def test_the_web_process_loads_every_view_and_freezes_them_before_its_first_request():
    result = subprocess.run(
        [sys.executable, "-c", REPORT], cwd=ROOT, env=PRODUCTION, capture_output=True, text=True, check=False
    )

    assert result.returncode == 0, result.stderr
    frozen, research_loaded, pandas_loaded = result.stdout.split()
    assert research_loaded == pandas_loaded == "True"  # the analysis page's code, before any request
    # The code and its libraries: left in the collector's view, a full collection walked them all.
    assert int(frozen) > 100_000
