#!/usr/bin/python3
"""Converts docs/openapi.yaml to compact JSON at build time: openapi_to_json.py IN.yaml OUT.json.

YAML 1.1 quirks are refused rather than guessed: the document must load into plain JSON types
with string keys (status codes such as `200:` are turned into the strings OpenAPI means).
"""
import json
import sys

import yaml


def to_json(node, where="$"):
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if isinstance(key, bool) or not isinstance(key, (str, int)):
                raise SystemExit(f"openapi_to_json: {where}: key {key!r} is not a string")
            out[str(key)] = to_json(value, f"{where}.{key}")
        return out
    if isinstance(node, list):
        return [to_json(item, f"{where}[{i}]") for i, item in enumerate(node)]
    if node is None or isinstance(node, (str, bool, int, float)):
        return node
    raise SystemExit(f"openapi_to_json: {where}: {type(node).__name__} is not a JSON value (quote it)")


def main(argv):
    if len(argv) != 3:
        raise SystemExit("usage: openapi_to_json.py IN.yaml OUT.json")
    with open(argv[1], encoding="utf-8") as f:
        document = to_json(yaml.safe_load(f))
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    with open(argv[2], "w", encoding="utf-8") as f:
        f.write(text)


if __name__ == "__main__":
    main(sys.argv)
