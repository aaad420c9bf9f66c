"""Two instances of the portal on one database, with one task worker, as a deployment on more
than one machine runs them (README, "More than one machine"): bin/two-instances, run as
`make two-instances` runs it, on a scratch database of the server the tests use (PostgreSQL
in CI, a scratch SQLite file without a PostgreSQL DATABASE_URL). It fails, never skips, when
something it needs is missing."""

import os
import subprocess
import sys

import pytest

from tests.test_settings import ROOT

pytestmark = pytest.mark.deploy


def test_a_login_on_one_instance_is_known_to_the_other_and_its_work_runs_on_the_worker():
    env = {
        name: value
        for name, value in os.environ.items()
        if name in {"PATH", "HOME", "LANG", "DATABASE_URL", "CACHE_URL", "REDIS_URL"}
    }
    done = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, str(ROOT / "bin" / "two-instances")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert "B: 200, the home page of Giulia (caseworker)" in out
    assert "task SUCCESSFUL; one e-mail to giulia.rota@example.org with the link" in out
    assert "Log out on B: the session is gone on A too" in out
    assert "A: 200, the home page of Marco (second factor passed on B)" in out
    assert "B: 429, the login is locked out" in out
    assert "two instances: OK" in out
