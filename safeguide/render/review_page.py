"""The review report (safeguide.core.review) as a page of the draft build (review/)."""

from __future__ import annotations

import datetime as dt
from html import escape

from safeguide.core.releases import Edition
from safeguide.core.review import KINDS, Finding
from safeguide.core.variants import Variant


def report_html(variant: Variant, edition: Edition, findings: list[Finding]) -> str:
    out = [
        f"<p>What the {escape(variant.partnership.name)} policy group should look at before approving version "
        f"{escape(edition.version)}, as of {dt.date.today():%-d %B %Y}. This page is part of the draft only.</p>",
        "<p>Broken links and missing sections are checked whenever the site is built, so a draft with any would not have been published.</p>",
    ]
    if not findings:
        return "\n".join(out + ["<p>Nothing needs attention.</p>"])
    out.append(f"<p>{len(findings)} finding{'s' if len(findings) != 1 else ''}:</p>")
    for kind, title in KINDS.items():
        group = [f for f in findings if f.kind == kind]
        if not group:
            continue
        items = []
        for f in group:
            # A file and line is a name to look up, not prose: in code type, and left out of the reading grade.
            where = f'<code class="sg-finding__where">{escape(f.where())}</code>: ' if f.file else ""
            fix = f'<br><span class="sg-finding__fix">What to do: {escape(f.fix)}</span>' if f.fix else ""
            items.append(f"<li>{where}{escape(f.message)}{fix}</li>")
        out.append(f'<h2 id="{kind}">{escape(title)}</h2><ul class="sg-findings">{"".join(items)}</ul>')
    return "\n".join(out)
