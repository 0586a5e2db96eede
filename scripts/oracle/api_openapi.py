#!/usr/bin/env python3
"""Validates docs/openapi.yaml with openapi-spec-validator and prints its routes as JSON ["METHOD /path", ...]."""
import json, sys
import yaml
from openapi_spec_validator import validate

doc = yaml.safe_load(open(sys.argv[1]))
validate(doc)
routes = sorted(f"{m.upper()} {p}" for p, item in doc["paths"].items() for m in item
                if m in ("get", "post", "put", "delete", "patch", "head", "options"))
json.dump(routes, sys.stdout)
