"""Reports of 2008–2018, under the first Regulations (version ``2008``).

They have no national table: a province's form, or none, and figures in
prose (``FORMAT-2008.md``). The stages are those of the 2019 forms: the
provincial forms as data (:mod:`.forms`), a form's table found and read
(:mod:`.table`), figures read from prose (:mod:`.prose`), the rules of §4
(:mod:`.rules`), and the cell model put together (:mod:`.parse`).
"""

from __future__ import annotations

from .parse import LAST_YEAR, parse_2008
from .prose import prose_check

__all__ = ["LAST_YEAR", "parse_2008", "prose_check"]
