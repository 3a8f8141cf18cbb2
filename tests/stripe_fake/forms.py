"""Decode Stripe's v1 form encoding (``a[b]=c``, ``a[0]=x``) into nested dicts and lists.

stripe-python sends v1 bodies and every GET query this way, so the fake needs the same
structure the real API reads before it can check parameters or compare idempotent requests.
"""

import re
from urllib.parse import parse_qsl

BRACKETED = re.compile(r"\[([^\]]*)\]")


def decode_form(text: str) -> dict:
    """Turn ``metadata[k]=v&items[0]=x`` into ``{"metadata": {"k": "v"}, "items": ["x"]}``."""
    result: dict = {}
    for key, value in parse_qsl(text, keep_blank_values=True):
        _insert(result, _key_parts(key), value)
    return _lists_from_indices(result)


def _key_parts(key: str) -> list[str]:
    """Split ``a[b][0]`` into ``["a", "b", "0"]``; an empty ``[]`` means "append"."""
    head, bracket, rest = key.partition("[")
    return [head, *BRACKETED.findall(bracket + rest)]


def _insert(node: dict, parts: list[str], value: str) -> None:
    for part in parts[:-1]:
        node = node.setdefault(part or str(len(node)), {})
    node[parts[-1] or str(len(node))] = value


def _lists_from_indices(value):
    """Dicts keyed only by ``0, 1, 2…`` were arrays on the client's side: make them lists."""
    if not isinstance(value, dict):
        return value
    converted = {key: _lists_from_indices(item) for key, item in value.items()}
    if converted and all(key.isdigit() for key in converted):
        return [converted[key] for key in sorted(converted, key=int)]
    return converted
