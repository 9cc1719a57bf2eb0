"""AI time horizons (METR's method) and their trend."""
from dlrev.horizons.fit import AgentHorizon, HorizonFit, fit_horizons
__all__ = ["AgentHorizon", "HorizonFit", "fit_horizons"]
