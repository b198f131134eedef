"""The French of the page's own words, keyed by their English (ui.words renders them)."""
from __future__ import annotations

FRENCH_UI: dict[str, str] = {
}
