"""Chapter numbers, reviewed/follows lines, in-page contents and glossary tooltips. Logic: safeguide.build.integration."""

from safeguide.build import integration


def on_page_markdown(markdown, page, config, files):
    integration.expect_page(page, config)
    return markdown


def on_page_content(html, page, config, files):
    return integration.finish_page(html, page, config, files)
