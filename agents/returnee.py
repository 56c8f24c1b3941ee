"""A person coming back: profile, support received, three dimensions and intentions."""

from agents.handle import Handle, Row
from agents.state import Returnees


class Returnee(Handle, table=Returnees):
    """One returnee; every field of the returnee table is an attribute (see model/state.py)."""

    table_name = "returnees"
    community_index = Row("community")
    household_index = Row("household")

    @property
    def vulnerable(self) -> bool:
        return bool(self.trauma or self.health_needs or self.trafficked or self.minor)

    @property
    def household(self):
        return self.model.households_list[self.household_index]

    @property
    def community(self):
        return self.model.communities_list[self.community_index]
