"""axe-core (bundled with axe-playwright-python) against a Playwright page, WCAG 2.1 A and AA rules."""

from axe_playwright_python.sync_playwright import Axe

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
_axe = Axe()


def violations(page):
    """The axe-core violations of the page as it is now."""
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    return results.response["violations"]


def describe(found):
    """Each violation's id, impact, help and the nodes it hit, for a failure message."""
    lines = []
    for v in found:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v.get('helpUrl', '')}>")
        for node in v["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    at {target}: {node.get('html', '')[:200]}")
            if summary:
                lines.append(f"      {summary}")
    return "\n".join(lines)


def assert_accessible(page):
    """Fail with a readable report when axe-core finds any WCAG 2.1 A/AA violation."""
    found = violations(page)
    assert not found, f"axe-core found {len(found)} violation(s) on {page.url}:\n{describe(found)}"
