"""A family: a returnee household or a non-migrant one."""

from agents.handle import Handle, Row


class Household(Handle):
    """One household; attributes read and write the model's household arrays."""

    table_name = "households"
    community_index = Row("community")
    size = Row()
    remittance_dependence = Row()
    returnees = Row()
    disposition = Row()
    acceptance = Row()
    income = Row()
    wellbeing = Row()

    @property
    def is_returnee_household(self) -> bool:
        return self.returnees > 0
