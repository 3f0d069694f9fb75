"""Search finds "Clares" as well as "Clare's" and "Clare’s", and not chapter numbers. Logic: safeguide.build.search."""

from pathlib import Path

from safeguide.build import search


def on_post_build(config):
    search.add_spellings(Path(config.site_dir))
