"""dlrev: measure and show the deep learning revolution.

The public API, re-exported here:

    dlrev.load(data=None) -> Catalog       the curated tables (or an Epoch export) as DataFrames
    Catalog.sql(query)                      read-only SQL through DuckDB
    dlrev.read_epoch(path)                  an Epoch AI export mapped onto the systems table
"""

from dlrev.catalog import Catalog, load
from dlrev.epoch import ATTRIBUTION as EPOCH_ATTRIBUTION
from dlrev.epoch import read_epoch
from dlrev.errors import DataError, DlrevError

__version__ = "0.1.0"

__all__ = ["Catalog", "load", "read_epoch", "EPOCH_ATTRIBUTION", "DataError", "DlrevError",
           "__version__"]
