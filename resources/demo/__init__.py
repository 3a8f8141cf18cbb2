"""Demo content for the learning library: YAML files in this folder, read by ``loader``.

Called by the host's ``load_demo`` as ``load(site=..., home_page=..., users=..., stdout=...)``.
"""

from resources.demo.loader import load

__all__ = ["load"]
