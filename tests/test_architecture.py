"""The house rules of STYLE.md that code can check: authorization on every view, import direction."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "leasing"
#: Domains in dependency order: a domain may import only earlier ones.
DOMAINS = ["accounts", "premises", "documents", "leases", "sublets", "bookings", "calendars", "reports", "api"]
ROUTE_DECORATORS = {"get", "post", "route", "put", "patch", "delete"}
REQUEST_GLOBALS = {"request", "session", "g", "flash", "current_user", "render_template"}


def _modules(pattern):
    return sorted(ROOT.rglob(pattern))


def _imports(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def _is_route(decorator):
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return isinstance(target, ast.Attribute) and target.attr in ROUTE_DECORATORS


def _decorator_names(func):
    for d in func.decorator_list:
        target = d.func if isinstance(d, ast.Call) else d
        yield target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")


def _called_names(func):
    for node in ast.walk(func):
        if isinstance(node, ast.Call):
            target = node.func
            yield target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")


def _authorizing_helpers(tree):
    """Module-level functions that (directly or through each other) call ``authorize``."""
    funcs = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    found = {"authorize"}
    changed = True
    while changed:
        changed = False
        for name, func in funcs.items():
            if name not in found and found & set(_called_names(func)):
                found.add(name)
                changed = True
    return found


def _module_name(path):
    return ".".join(path.relative_to(ROOT.parent).with_suffix("").parts)


def _imported_authorizing_helpers(tree):
    """Names imported from other project modules whose own functions call ``authorize``."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("leasing."):
            source = ROOT.parent.joinpath(*node.module.split(".")).with_suffix(".py")
            if source.is_file() and source.name != "authz.py":
                helpers = _authorizing_helpers(ast.parse(source.read_text()))
                found |= {alias.asname or alias.name for alias in node.names if alias.name in helpers}
    return found


def _views():
    for path in _modules("*views*.py"):
        tree = ast.parse(path.read_text())
        helpers = _authorizing_helpers(tree) | _imported_authorizing_helpers(tree)
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and any(_is_route(d) for d in node.decorator_list):
                yield path, node, helpers


VIEWS = list(_views())


@pytest.mark.parametrize("path,view,helpers", VIEWS, ids=[f"{p.parent.name}.{v.name}" for p, v, _ in VIEWS])
def test_every_view_authorizes_or_is_marked_public(path, view, helpers):
    public = "public" in set(_decorator_names(view))
    authorizes = bool(helpers & set(_called_names(view)))
    assert public or authorizes, f"{path.name}:{view.name} neither calls authorize nor is @public"


@pytest.mark.parametrize("path,view,helpers", VIEWS, ids=[f"{p.parent.name}.{v.name}" for p, v, _ in VIEWS])
def test_every_view_has_a_docstring(path, view, helpers):
    assert ast.get_docstring(view), f"{path.name}:{view.name} has no docstring"


@pytest.mark.parametrize("path", _modules("rules.py"), ids=lambda p: p.parent.name)
def test_rules_are_pure(path):
    """rules.py: no Flask, no database, no request."""
    imported = set(_imports(ast.parse(path.read_text())))
    forbidden = {m for m in imported if m.split(".")[0] in {"flask", "sqlalchemy", "flask_sqlalchemy"}}
    forbidden |= {m for m in imported if m.startswith(("leasing.extensions", "leasing.db"))}
    assert not forbidden, f"{path} imports {forbidden}"


@pytest.mark.parametrize("path", _modules("services.py"), ids=lambda p: p.parent.name)
def test_services_take_plain_values_not_the_request(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in {"flask", "flask_login"}:
            names = {a.name for a in node.names} & REQUEST_GLOBALS
            assert not names, f"{path} imports {names} from {node.module}"


@pytest.mark.parametrize("path", [p for p in ROOT.rglob("*.py") if p.parent.name in DOMAINS], ids=str)
def test_domains_import_only_earlier_domains(path):
    own = DOMAINS.index(path.parent.name)
    for module in _imports(ast.parse(path.read_text())):
        parts = module.split(".")
        if len(parts) > 1 and parts[0] == "leasing" and parts[1] in DOMAINS:
            assert DOMAINS.index(parts[1]) <= own, f"{path} imports the later domain {module}"
        assert not (
            len(parts) > 2 and parts[0] == "leasing" and parts[2].startswith("views") and parts[1] != path.parent.name
        ), f"{path} imports a view module {module}"


def test_only_the_factory_imports_views():
    for path in ROOT.rglob("*.py"):
        if path.name.startswith("views") or path == ROOT / "__init__.py":
            continue
        for module in _imports(ast.parse(path.read_text())):
            assert ".views" not in module, f"{path} imports {module}"


def test_there_are_views_to_check():
    assert len(VIEWS) >= 5
