"""A place of return: capacity, services, cohesion, tension and attitude to returnees."""

from agents.handle import Handle
from agents.state import Communities


class Community(Handle, table=Communities):
    """One community; every field of the community table is an attribute."""

    table_name = "communities"

    @property
    def attitude(self) -> float:
        """Prevailing attitude towards returnees: the mean acceptance of its households."""
        h = self.model.world.households
        return float(h.acceptance[h.community == self.index].mean())
