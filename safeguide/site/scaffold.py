"""`safeguide new`: a partnership folder whose partnership.yml lists every contact role to fill in."""

from __future__ import annotations

import json
from pathlib import Path

from safeguide.core.models import PARTNERSHIP_ID
from safeguide.core.problems import Problem, SafeguideError
from safeguide.core.variants import Project, roles_in_use


def scaffold(project: Project, partnership_id: str, name: str) -> Path:
    folder = project.partnerships_dir / partnership_id
    if not PARTNERSHIP_ID.fullmatch(partnership_id):
        # repr(): an id with a newline or other invisible character must show it, not print it.
        raise SafeguideError(
            Problem(
                project.show(project.partnerships_dir),
                f"{partnership_id!r} cannot be a partnership id: it becomes a folder name and part of web addresses.",
                "Use up to 40 lower-case letters, digits and dashes, starting with a letter or digit, for example 'north-vale'.",
            )
        )
    if folder.exists():
        raise SafeguideError(Problem(project.show(folder), "this folder already exists.", "Choose another id, or edit the existing partnership.yml."))
    if not name.strip():
        raise SafeguideError(Problem("--name", "the partnership needs a name.", 'Give it with --name "Example Safeguarding Partnership".'))
    descriptions = project.load_baseline().roles
    lines = [
        "# Settings for this partnership's site. Fill in every contact below, then run `safeguide check "
        + partnership_id + "`.",
        f"name: {json.dumps(name.strip(), ensure_ascii=False)}",
        "# short_name: \"\"              # optional shorter name used in sentences",
        'version: "1.0"                 # the edition the working copy is',
        "brand:",
        "  # logo: logo.svg             # optional, an .svg, .png, .jpg or .webp in this folder",
        '  primary: "#1d4f91"           # header colour; white text on it needs contrast of 4.5:1 or more',
        "contacts:                      # each needs a name and a phone, email or url (leave an unused one empty)",
    ]
    for role, pages in roles_in_use(project).items():
        about = descriptions.get(role, "")
        used = f" Used on: {', '.join(pages)}." if pages else ""
        lines += [f"  # {about}{used}".rstrip(), f"  {role}:", '    name: ""', '    phone: ""']
    lines += [
        "links: []                      # optional local web pages: - title: ..., url: https://...",
        "exclude: []                    # baseline pages to leave out, e.g. [disclosure-schemes.md]",
        "",
    ]
    (folder / "docs").mkdir(parents=True)
    (folder / "slots").mkdir()
    (folder / "partnership.yml").write_text("\n".join(lines), encoding="utf-8")
    (folder / "docs" / ".keep").write_text("", encoding="utf-8")
    (folder / "slots" / ".keep").write_text("", encoding="utf-8")
    return folder
