"""The production guide's own gunicorn command, run as the README gives it."""

import re
import shlex
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.test_settings import PRODUCTION, ROOT


def _documented_gunicorn() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"^(gunicorn focus\.wsgi .*?)(?<!\\)\n", readme, re.S | re.M).group(1)
    return shlex.split(block.replace("\\\n", " "))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_documented_gunicorn_runs_several_workers_and_logs_no_query_string(tmp_path: Path):
    command = _documented_gunicorn()
    workers = int(command[command.index("--workers") + 1])
    assert workers > 1
    port = _free_port()
    command[command.index("--bind") + 1] = f"127.0.0.1:{port}"
    command[0] = str(Path(sys.executable).with_name("gunicorn"))
    env = {
        **PRODUCTION,
        "LOCAL_HTTP": "1",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "PATH": "/usr/bin:/bin",
    }
    log = tmp_path / "gunicorn.log"
    with log.open("w") as out:
        server = subprocess.Popen(  # noqa: S603 - the README's own command
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
        try:
            url = f"http://127.0.0.1:{port}/healthz?q=RSSMRA85T10A562S"
            for _ in range(100):
                try:
                    with urllib.request.urlopen(url, timeout=5) as response:
                        assert response.status == 200
                    break
                except OSError:
                    time.sleep(0.2)
            else:
                raise AssertionError(log.read_text())
            time.sleep(0.5)  # the access log line is written after the response
        finally:
            server.terminate()
            server.wait(timeout=30)
    text = log.read_text()
    assert len(re.findall(r"Booting worker", text)) == workers
    assert '"GET /healthz" 200' in text
    assert "RSSMRA85T10A562S" not in text
