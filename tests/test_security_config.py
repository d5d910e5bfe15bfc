"""The shipped Streamlit configuration is the production one (issue 13): no error details or error
links for visitors, no built-in table download, loopback bind address; Streamlit accepts each value."""

from __future__ import annotations

import subprocess
import sys
import tomllib

from helpers import REPO

CONFIG = REPO / ".streamlit" / "config.toml"


def test_production_settings_are_shipped():
    config = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"
    assert config["client"]["showErrorLinks"] == "false"
    assert config["client"]["disableDataExport"] is True
    assert config["server"]["address"] == "127.0.0.1"
    assert config["server"]["enableXsrfProtection"] is True and config["server"]["enableCORS"] is True


def test_streamlit_reads_them():
    shown = subprocess.run(
        [sys.executable, "-m", "streamlit", "config", "show"], cwd=REPO, capture_output=True, text=True, timeout=60
    ).stdout
    for line in ('showErrorDetails = "none"', 'showErrorLinks = "false"', "disableDataExport = true",
                 'address = "127.0.0.1"'):  # fmt: skip
        assert f"\n{line}\n" in shown, line


def test_the_deployment_guide_documents_the_settings_and_the_proxy():
    """The README points to docs/deployment.md, which says what each setting guards and what the
    proxy must block."""
    assert "docs/deployment.md" in (REPO / "README.md").read_text(encoding="utf-8")
    guide = (REPO / "docs" / "deployment.md").read_text(encoding="utf-8")
    for needle in ("client.showErrorDetails", "client.showErrorLinks", "server.address", "frame-ancestors",
                   "X-Frame-Options", "disableDataExport", "allow-same-origin", "/_stcore/metrics"):  # fmt: skip
        assert needle in guide, needle
