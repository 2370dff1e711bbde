"""Feed files in: `run_import(kind, file)`; kinds are declared by each area's imports.py."""

from .engine import ImportResult, RowError, run_import
from .spec import REGISTRY, Column, ImportSpec, Reference, add_after_apply, get_spec, register

__all__ = ["REGISTRY", "Column", "ImportResult", "ImportSpec", "Reference", "RowError",
           "add_after_apply", "get_spec", "register", "run_import"]
