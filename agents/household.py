"""A family: a returnee household or a non-migrant one."""

from agents.handle import Handle, Row
from agents.state import Households


class Household(Handle, table=Households):
    """One household; every field of the household table is an attribute."""

    table_name = "households"
    community_index = Row("community")

    @property
    def is_returnee_household(self) -> bool:
        return self.returnees > 0

    @property
    def repayment_expected(self) -> float:
        """USD its returned members still owe to those who financed their journeys."""
        r = self.model.world.returnees
        return float(r.debt[(r.household == self.index) & r.arrived].sum())

    @property
    def community(self):
        return self.model.communities_list[self.community_index]
