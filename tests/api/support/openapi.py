"""The contract, docs/openapi.yaml: finds the operation of a request and validates a response
against the schema documented for its status. An undocumented path, method, status or media
type is a failure: the document must describe everything the server answers."""
import datetime
import json
import re
from pathlib import Path

import yaml
from jsonschema import Draft202012Validator, FormatChecker, RefResolver

k_repo_root = Path(__file__).resolve().parents[3]
k_openapi_path = k_repo_root / "docs" / "openapi.yaml"
k_methods = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

_k_date_time = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def _format_checker():
    checker = FormatChecker()

    # jsonschema only checks date-time when an optional package is installed: check RFC 3339 here.
    @checker.checks("date-time", raises=ValueError)
    def _is_date_time(value):
        if not isinstance(value, str):
            return True
        if not _k_date_time.match(value):
            raise ValueError(f"not an RFC 3339 date-time: {value!r}")
        datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        return True

    return checker


class ContractViolation(AssertionError):
    pass


class OpenApi:

    def __init__(self, path=k_openapi_path):
        self.path = Path(path)
        self.doc = yaml.safe_load(self.path.read_text(encoding="utf-8"))
        self.resolver = RefResolver.from_schema(self.doc)
        self.format_checker = _format_checker()
        self._templates = []
        for template, item in (self.doc.get("paths") or {}).items():
            segments = template.strip("/").split("/")
            literal = sum(1 for s in segments if not s.startswith("{"))
            pattern = "^/" + "/".join(
                "[^/]+" if s.startswith("{") else re.escape(s) for s in segments) + "$"
            self._templates.append((literal, template, re.compile(pattern), item))
        # Most literal segments first, so /admin/audit/verify wins over /admin/audit/{id}.
        self._templates.sort(key=lambda t: -t[0])
        servers = self.doc.get("servers") or []
        self._base_paths = sorted(
            {re.sub(r"^[a-z]+://[^/]+", "", s.get("url", "")).rstrip("/") for s in servers} - {""},
            key=len, reverse=True)

    def deref(self, node):
        while isinstance(node, dict) and "$ref" in node:
            _, node = self.resolver.resolve(node["$ref"])
        return node

    def operations(self):
        """Every (METHOD, path template) the document describes."""
        out = []
        for _, template, _, item in self._templates:
            for method in k_methods:
                if method in item:
                    out.append((method.upper(), template))
        return sorted(out)

    def find(self, method, path):
        """(template, operation) for a concrete path, or (None, None)."""
        candidates = [path] + [path[len(b):] for b in self._base_paths if path.startswith(b + "/")]
        for candidate in candidates:
            for _, template, regex, item in self._templates:
                if regex.match(candidate):
                    op = item.get(method.lower())
                    if op is not None:
                        return template, op
        return None, None

    def response_spec(self, op, status):
        responses = op.get("responses") or {}
        spec = responses.get(str(status)) or responses.get(f"{status // 100}XX")
        return None if spec is None else self.deref(spec)

    def validator(self, schema):
        return Draft202012Validator(schema, resolver=self.resolver, format_checker=self.format_checker)

    def validate_instance(self, schema, instance, where):
        errors = sorted(self.validator(schema).iter_errors(instance), key=lambda e: list(e.path))
        if errors:
            lines = [f"- at /{'/'.join(map(str, e.path))}: {e.message}" for e in errors[:10]]
            raise ContractViolation(
                f"{where}: body does not match the documented schema:\n" + "\n".join(lines) +
                f"\nbody: {json.dumps(instance)[:2000]}")

    def problem_schema(self):
        schemas = (self.doc.get("components") or {}).get("schemas") or {}
        for name in ("Problem", "ProblemDetails", "Error"):
            if name in schemas:
                return {"$ref": f"#/components/schemas/{name}"}
        return None

    def check_headers(self, spec, headers, where):
        """Documented response headers: present when required, and of their schema when present."""
        for name, header in (spec.get("headers") or {}).items():
            header = self.deref(header)
            value = headers.get(name)
            if value is None:
                if header.get("required"):
                    raise ContractViolation(f"{where}: required header {name} missing")
                continue
            schema = self.deref(header.get("schema") or {})
            instance = value
            if schema.get("type") == "integer":
                try:
                    instance = int(value)
                except ValueError:
                    raise ContractViolation(f"{where}: header {name}: {value!r} is not an integer")
            errors = list(self.validator(schema).iter_errors(instance))
            if errors:
                raise ContractViolation(f"{where}: header {name}: {value!r}: {errors[0].message}")

    def check_response(self, method, path, status, content_type, body_bytes, documented=True, headers=None):
        """Raises ContractViolation unless the response is what the document describes."""
        where = f"{method} {path} -> {status}"
        media = (content_type or "").split(";")[0].strip().lower()
        if not documented:
            # A request the contract cannot describe (unknown path, transport-level refusal):
            # still an error document of the shared Problem shape.
            schema = self.problem_schema()
            if schema is not None and media.endswith("json") and body_bytes:
                self.validate_instance(schema, json.loads(body_bytes), where)
            return
        template, op = self.find(method, path)
        if op is None:
            raise ContractViolation(f"{where}: operation not documented in docs/openapi.yaml")
        spec = self.response_spec(op, status)
        if spec is None:
            raise ContractViolation(
                f"{where}: status {status} not documented for {method} {template} "
                f"(documented: {sorted((op.get('responses') or {}).keys())})")
        self.check_headers(spec, headers or {}, where)
        content = spec.get("content") or {}
        if not content:
            if body_bytes:
                raise ContractViolation(f"{where}: documented without a body, got {body_bytes[:200]!r}")
            return
        media_spec = content.get(media)
        if media_spec is None:
            media_spec = content.get(media.split("/")[0] + "/*") or content.get("*/*")
        if media_spec is None:
            raise ContractViolation(
                f"{where}: content type {content_type!r} not documented (documented: {sorted(content)})")
        schema = media_spec.get("schema")
        if schema is None or not (media.endswith("/json") or media.endswith("+json")):
            return
        try:
            instance = json.loads(body_bytes)
        except ValueError as e:
            raise ContractViolation(f"{where}: body is not JSON ({e}): {body_bytes[:200]!r}")
        self.validate_instance(schema, instance, where)
