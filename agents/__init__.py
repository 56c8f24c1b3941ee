"""The model's agents: Mesa handles onto rows of the model's state arrays."""

from agents.community import Community
from agents.household import Household
from agents.returnee import Returnee

__all__ = ["Community", "Household", "Returnee"]
