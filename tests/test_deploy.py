"""The deployment smoke test (docs/deploy.md): `python deploy.py --smoke` starts a Chroma server, the
generator server and two app replicas on loopback, and every replica answers through both servers."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import deploy

REPO = Path(__file__).resolve().parents[1]
CHINA_DAILY = REPO / "index" / "demo" / "chinadaily-2015-07-23-aliyun-data-centers.txt"


@pytest.mark.slow
def test_deploy_smoke_starts_all_three_and_each_replica_answers(tmp_path: Path) -> None:
    command = [sys.executable, str(REPO / "deploy.py"), "--smoke", "--replicas", "2",
               "--corpus", str(CHINA_DAILY), "--workdir", str(tmp_path)]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=900, cwd=REPO)
    assert done.returncode == 0, done.stdout + done.stderr
    for replica in ("app1", "app2"):  # passages from the Chroma server, text from the generator server
        line = rf"^{replica}: '.*' in .* s \((\d+) passages retrieved, (\d+) generator requests\)$"
        said = re.search(line, done.stdout, re.MULTILINE)
        assert said and int(said.group(1)) > 0 and int(said.group(2)) > 0, done.stdout
    # The memory table: one row per process, each on loopback, each with a resident size.
    rows = [
        [c.strip() for c in line.strip("|").split("|")]
        for line in done.stdout.splitlines()
        if line.startswith("| ")
    ]
    assert [row[0] for row in rows[1:]] == ["chroma", "generator", "app1", "app2"], done.stdout
    assert all(row[1].startswith("http://127.0.0.1:") and float(row[2]) > 0 for row in rows[1:]), rows

    # Each replica keeps its own BM25 files, built from the server's chunks; none made a local Chroma.
    for n in (1, 2):
        assert list((tmp_path / f"replica{n}" / "bm25").glob("*/COMPLETE")), f"replica{n} has no BM25 index"
        assert not (tmp_path / f"replica{n}" / "chroma").exists()
    assert "Lost" not in done.stderr and "Traceback" not in done.stderr


def test_memory_is_read_from_proc_for_a_live_process() -> None:
    memory = deploy.memory_mib(deploy.os.getpid())
    assert memory["rss"] > 10 and memory["rss"] >= memory["anon"]
