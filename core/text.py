"""How names are spelled on the wire: the API speaks camelCase, the code snake_case."""

from djangorestframework_camel_case.util import camelize_re, underscore_to_camel


def camel_key(name: str) -> str:
    """``credit_limit`` -> ``creditLimit``, exactly as the API's renderer spells the key."""
    return camelize_re.sub(underscore_to_camel, name)
