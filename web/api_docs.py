"""The API page a person reads (/api-docs): every endpoint of the app's OpenAPI schema with its
parameters, rendered on the server. FastAPI's /docs loads Swagger UI from a CDN, which does not
work offline or behind a strict proxy; the raw schema stays at /openapi.json."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Param:
    name: str
    where: str            # query, path, header
    required: bool
    kind: str             # string, integer, boolean, array of string…
    description: str = ""


@dataclass
class Endpoint:
    method: str
    path: str
    summary: str
    description: str = ""
    params: list[Param] = field(default_factory=list)


def _kind(schema: dict) -> str:
    if "anyOf" in schema:
        return " or ".join(_kind(s) for s in schema["anyOf"] if s.get("type") != "null")
    if schema.get("type") == "array":
        return f"list of {_kind(schema.get('items', {}))}"
    if "enum" in schema:
        return " | ".join(str(v) for v in schema["enum"])
    if "const" in schema:
        return str(schema["const"])
    return schema.get("type", "any")


def endpoints(openapi: dict) -> list[Endpoint]:
    """The schema's operations, in path order."""
    found = []
    for path, operations in sorted(openapi.get("paths", {}).items()):
        for method, op in operations.items():
            params = [Param(p["name"], p.get("in", ""), bool(p.get("required")), _kind(p.get("schema", {})),
                            p.get("description") or p.get("schema", {}).get("description", ""))
                      for p in op.get("parameters", [])]
            found.append(Endpoint(method.upper(), path, op.get("summary", ""), (op.get("description") or "").strip(),
                                  params))
    return found
