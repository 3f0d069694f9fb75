"""Includes (pymdown-extensions' snippets) set up for one build: what they may read. The checks on
what pages include are safeguide.core.page_rules."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

from safeguide.core.page_rules import SNIPPETS


def configure_snippets(config: MkDocsConfig, docs_dir: Path, folder: Path) -> None:
    """Let snippets read only the baseline's docs folder and the partnership's folder (for a release: its
    frozen copies), never download, and fail on a missing file. Changes `config.mdx_configs` in place;
    a build whose mkdocs.yml does not list snippets is left alone.
    """
    if SNIPPETS not in config.markdown_extensions:
        return
    mdx_configs = config.mdx_configs
    settings = mdx_configs.get(SNIPPETS)
    mdx_configs[SNIPPETS] = {
        **(settings or {}),
        "base_path": [str(docs_dir.resolve()), str(folder.resolve())],
        "restrict_base_path": True,
        "url_download": False,
        "check_paths": True,
        "auto_append": [],
    }
