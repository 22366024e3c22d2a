"""The `newsrag` command's surface: help, the shared index options, one message and exit status for
a missing index, quiet library logs, sources first on a terminal, filters that match nothing."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from app_fakes import FakeAssistant

import cli
from index.cli_options import EXIT_NO_INDEX, index_settings_from
from index.logs import configure_logging

COMMANDS = ("ingest", "stats", "ask", "eval")


def test_top_level_help_says_what_each_command_does(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    out = capsys.readouterr().out
    for command in COMMANDS:
        assert f"newsrag {command}" in out
    assert "NEWSRAG_HOME" in out and "exit status" in out and "python app.py" in out


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_takes_the_same_index_options_with_their_defaults(command, capsys):
    with pytest.raises(SystemExit):
        cli.main([command, "--help"])
    out = " ".join(capsys.readouterr().out.split())
    for option in ("--index DIR", "--chroma-host HOST", "--chroma-port PORT", "--collection NAME"):
        assert option in out, (command, option)
    assert "$NEWSRAG_HOME/index" in out and "~/.local/share/newsrag" in out and "$NEWSRAG_CHROMA_PORT" in out


def test_the_command_line_wins_over_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("NEWSRAG_CHROMA_PORT", "9000")
    monkeypatch.setenv("NEWSRAG_COLLECTION", "from_env")
    args = cli.build_parser().parse_args(["ask", "q", "--chroma-host", "127.0.0.1", "--index", str(tmp_path)])
    settings = index_settings_from(args)
    assert (settings.chroma_host, settings.chroma_port, settings.collection) == (
        "127.0.0.1",
        9000,
        "from_env",
    )
    assert settings.index_dir == tmp_path.resolve()
    args = cli.build_parser().parse_args(["stats", "--chroma-port", "8111", "--collection", "mine"])
    assert (index_settings_from(args).chroma_port, index_settings_from(args).collection) == (8111, "mine")


@pytest.mark.parametrize("argv", [["stats"], ["ask", "When?"], ["eval", "--limit", "1", "--no-progress"]])
def test_a_missing_index_gets_one_message_and_one_exit_status_from_every_command(argv, tmp_path, capsys):
    missing = tmp_path / "nothing-here"
    assert cli.main([*argv, "--index", str(missing)]) == EXIT_NO_INDEX
    err = capsys.readouterr().err.strip().splitlines()
    assert (
        err[-1] == f"error: No index at {missing}. Build it with: newsrag ingest [PATH ...] --index {missing}"
    )


@pytest.fixture
def restore_logging():
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    logging.captureWarnings(False)


def test_library_logs_are_quiet_by_default_and_verbose_shows_them(restore_logging, capsys):
    def emit() -> str:
        noisy = logging.getLogger("bm25s")
        noisy.setLevel(logging.DEBUG)  # as bm25s does to itself
        noisy.debug("Building index from tokens")
        logging.getLogger("chromadb.telemetry").info("library info")
        logging.getLogger("rag.retrieval").info("newsrag info")
        logging.getLogger("rag.retrieval").warning("newsrag warning")
        return capsys.readouterr().err

    configure_logging(0)
    assert emit().strip() == "WARNING rag.retrieval: newsrag warning"
    configure_logging(1)
    err = emit()
    assert "library info" in err and "newsrag info" in err and "Building index" not in err
    configure_logging(2)
    assert "DEBUG bm25s: Building index from tokens" in emit()


@pytest.fixture
def fake_ask(monkeypatch):
    import rag.assistant

    fake = FakeAssistant()
    monkeypatch.setattr(
        rag.assistant.Assistant, "open", classmethod(lambda cls, index_dir=None, settings=None: fake)
    )
    return fake


def test_ask_on_a_terminal_lists_the_sources_before_the_answer(
    fake_ask, monkeypatch, capsys, restore_logging
):
    import sys

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert cli.main(["ask", "When did Aliyun open its first US data center?"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Reading 2 passages (0.0 s):\n  · Alibaba plans to set up more data centers")
    assert out.index("Cloud race") < out.index("Aliyun opened its first US data center in March 2015 [1].")
    assert '      "That followed the opening in March' in out


def test_ask_json_stays_one_object_per_question(fake_ask, tmp_path, capsys, restore_logging):
    questions = tmp_path / "q.jsonl"
    questions.write_text('{"id": "a", "query": "Aliyun?"}\n\n{"id": "b", "question": "Again?"}\n')
    assert cli.main(["ask", "--questions", str(questions), "--json"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["a", "b"]
    questions.write_text('{"id": "a", "query": "Aliyun?"}\n{broken\n')
    assert cli.main(["ask", "--questions", str(questions)]) == 2
    assert f"error: {questions}:2: not valid JSON" in capsys.readouterr().err


def test_ask_with_a_source_that_matches_nothing_names_the_closest(fake_ask, capsys, restore_logging):
    assert cli.main(["ask", "Aliyun?", "--source", "Nope Times"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Insufficient information.\n")
    assert (
        "No article matches the filter: no source is called 'Nope Times' (closest sources: China Daily)"
        in out
    )


def test_the_readme_documents_the_shared_options_and_the_article_schema():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert 'newsrag ask "QUESTION" [--index DIR]' in readme
    assert '"body"' in readme and "required" in readme  # newsrag's own JSON/JSONL article schema
