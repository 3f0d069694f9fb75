"""Renders contact roles, local slots and flows inside pages. Logic: safeguide.content via safeguide.integration."""

from safeguide import integration


def on_page_markdown(markdown, page, config, files):
    return integration.render_page(markdown, page, config, files)
