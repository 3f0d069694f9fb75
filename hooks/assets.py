"""Lighter pages: one stylesheet and one script of ours, nothing published that no page uses, pages without their
templates' indentation, and Material's stylesheet without the rules no page of the edition can use. Last: the pages
as the other hooks finished them. Logic: safeguide.build.assets."""

from pathlib import Path

from safeguide.build import assets


def on_config(config):
    return assets.configure(config)


def on_files(files, config):
    return assets.bundle(files, config)


def on_post_page(output, page, config):
    return assets.finish_page(output, page.file.abs_dest_path, config)


def on_post_build(config):
    assets.trim_theme_css(Path(config.site_dir), config)
    assets.drop_source_map_links(Path(config.site_dir))
