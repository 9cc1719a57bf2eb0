"""dlrev: measure and show the deep learning revolution.

The public API, re-exported here:

    dlrev.load(data=None) -> Catalog       the curated tables (or an Epoch export) as DataFrames
    Catalog.sql(query)                      read-only SQL through DuckDB
    dlrev.read_epoch(path)                  an Epoch AI export mapped onto the systems table
"""

from typing import TYPE_CHECKING, Any

from dlrev.errors import DataError, DlrevError

if TYPE_CHECKING:
    from dlrev.catalog import Catalog, load
    from dlrev.epoch import ATTRIBUTION as EPOCH_ATTRIBUTION
    from dlrev.epoch import read_epoch

# Imported on first use: the command line starts without pandas.
_LAZY = {"Catalog": ("dlrev.catalog", "Catalog"), "load": ("dlrev.catalog", "load"),
         "read_epoch": ("dlrev.epoch", "read_epoch"),
         "EPOCH_ATTRIBUTION": ("dlrev.epoch", "ATTRIBUTION")}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'dlrev' has no attribute {name!r}")

__version__ = "0.1.0"

__all__ = ["Catalog", "load", "read_epoch", "EPOCH_ATTRIBUTION", "DataError", "DlrevError",
           "__version__"]
