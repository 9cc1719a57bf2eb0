"""Modules imported on first use, so `dlrev --help` and `dlrev serve` start without pandas.

    pd = lazy("pandas")        # nothing imported yet
    pd.DataFrame(...)          # imports pandas now
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class LazyModule(ModuleType):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.__dict__["_lazy_name"] = name

    def __getattr__(self, attr: str) -> Any:
        module = importlib.import_module(self.__dict__["_lazy_name"])
        value = getattr(module, attr)
        return value


def lazy(name: str) -> Any:
    return LazyModule(name)
