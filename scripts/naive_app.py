"""The dashboard on the benchmark's naive path (scripts/naive.py): `streamlit run scripts/naive_app.py`."""

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from scripts import naive  # noqa: E402

naive.install()
exec(compile((REPO / "streamlit_app.py").read_text(encoding="utf-8"), str(REPO / "streamlit_app.py"), "exec"))
