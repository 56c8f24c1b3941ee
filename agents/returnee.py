"""A person coming back: profile, support received, three dimensions and intentions."""

from agents.handle import Handle, Row


class Returnee(Handle):
    """One returnee; every attribute reads and writes the model's returnee arrays."""

    table_name = "returnees"
    community_index = Row("community")
    household_index = Row("household")
    arrival_month = Row()
    arrived = Row()
    female = Row()
    age = Row()
    skill = Row()
    months_abroad = Row()
    savings = Row()
    debt = Row()
    forced = Row()
    empty_handed = Row()
    prepared = Row()
    trauma = Row()
    health_needs = Row()
    trafficked = Row()
    minor = Row()
    diaspora_ties = Row()
    employed = Row()
    income = Row()
    cash = Row()
    business_asset = Row()
    referred = Row()
    distress = Row()
    acceptance = Row()
    stigma = Row()
    service_access = Row()
    economic = Row()
    social = Row()
    psychosocial = Row()
    composite = Row()
    sustainable = Row()
    necessity = Row()
    choice = Row()

    @property
    def vulnerable(self) -> bool:
        return bool(self.trauma or self.health_needs or self.trafficked or self.minor)

    @property
    def household(self):
        return self.model.households_list[self.table.household[self.index]]

    @property
    def community(self):
        return self.model.communities_list[self.table.community[self.index]]
