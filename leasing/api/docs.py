"""The OpenAPI document turned into what the documentation page lists (no JavaScript needed)."""

from dataclasses import dataclass, field

METHOD_ORDER = ("get", "post", "put", "patch", "delete")


@dataclass
class Row:
    name: str
    kind: str
    required: bool = False
    description: str = ""
    where: str = ""


@dataclass
class Operation:
    method: str
    path: str
    summary: str
    description: str
    anchor: str
    parameters: list = field(default_factory=list)
    body: list = field(default_factory=list)
    body_name: str = ""
    responses: list = field(default_factory=list)


def _ref_name(ref):
    return ref.rsplit("/", 1)[-1]


def describe(schema, spec, depth=0):
    """A short type text: ``string (date)``, ``array of Space``, ``one of: a, b``, ``… or null``."""
    if not schema:
        return "any"
    if "$ref" in schema:
        return _ref_name(schema["$ref"])
    if "enum" in schema:
        return "one of: " + ", ".join(str(v) for v in schema["enum"] if v is not None)
    kinds = schema.get("type", "object")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    texts = []
    for kind in kinds:
        if kind == "null":
            continue
        if kind == "array":
            texts.append("array of " + describe(schema.get("items", {}), spec, depth + 1))
        elif schema.get("format"):
            texts.append(f"{kind} ({schema['format']})")
        else:
            texts.append(kind)
    text = " or ".join(texts) or "null"
    return text + (" or null" if "null" in kinds else "")


def _constraints(schema):
    parts = []
    for key, label in (("minimum", "≥"), ("maximum", "≤"), ("minLength", "length ≥"), ("maxLength", "length ≤")):
        if key in schema:
            parts.append(f"{label} {schema[key]}")
    if "pattern" in schema:
        parts.append(f"pattern {schema['pattern']}")
    if "default" in schema:
        parts.append(f"default {schema['default']!r}")
    return "; ".join(parts)


def _fields(schema, spec):
    if "$ref" in schema:
        schema = spec["components"]["schemas"].get(_ref_name(schema["$ref"]), {})
    required = set(schema.get("required", ()))
    rows = []
    for name, prop in schema.get("properties", {}).items():
        note = " ".join(filter(None, [prop.get("description", ""), _constraints(prop)]))
        rows.append(Row(name, describe(prop, spec), name in required, note))
    return rows


def operations(spec):
    """``[(tag, [Operation…])…]`` in the document's tag order, methods in a fixed order."""
    by_tag = {tag["name"]: [] for tag in spec.get("tags", [])}
    for path, item in spec.get("paths", {}).items():
        for method in METHOD_ORDER:
            op = item.get(method)
            if op is None:
                continue
            params = [
                Row(
                    p["name"],
                    describe(p.get("schema", {}), spec),
                    p.get("required", False),
                    p.get("description", ""),
                    p["in"],
                )
                for p in [*item.get("parameters", []), *op.get("parameters", [])]
            ]
            body_schema = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
            responses = []
            for status, answer in sorted(op.get("responses", {}).items()):
                if "$ref" in answer:
                    answer = spec["components"]["responses"][_ref_name(answer["$ref"])]
                content = answer.get("content", {}).get("application/json", {}).get("schema")
                responses.append(
                    Row(str(status), describe(content, spec) if content else "", False, answer.get("description", ""))
                )
            anchor = f"{method}-{path}".replace("/", "-").replace("{", "").replace("}", "").strip("-")
            operation = Operation(
                method.upper(),
                path,
                op.get("summary", ""),
                op.get("description", ""),
                anchor,
                params,
                _fields(body_schema, spec) if body_schema else [],
                _ref_name(body_schema["$ref"]) if "$ref" in body_schema else "",
                responses,
            )
            for tag in op.get("tags", ["other"]):
                by_tag.setdefault(tag, []).append(operation)
    return [(tag, ops) for tag, ops in by_tag.items() if ops]


def tag_descriptions(spec):
    return {tag["name"]: tag.get("description", "") for tag in spec.get("tags", [])}


def slug(tag):
    """The address part of an area's page: ``api_premises`` → ``premises``."""
    return tag.removeprefix("api_")
