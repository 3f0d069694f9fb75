"""Renders contact roles, local slots and flows inside pages. Logic: safeguide.render.page_content via safeguide.build.integration."""

from safeguide.build import integration


def on_page_markdown(markdown, page, config, files):
    return integration.render_page(markdown, page, config, files)
