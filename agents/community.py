"""A place of return: capacity, services, cohesion, tension and attitude to returnees."""

from agents.handle import Handle, Row


class Community(Handle):
    """One community; attributes read and write the model's community arrays."""

    table_name = "communities"
    households = Row()
    residents = Row()
    jobs_base = Row()
    service_capacity = Row()
    arrived_returnees = Row()
    job_availability = Row()
    service_access = Row()
    contact = Row()
    dialogue = Row()
    resentment = Row()
    tension = Row()
    cohesion = Row()
    stigma = Row()
    nonmigrant_wellbeing = Row()

    @property
    def attitude(self) -> float:
        """Prevailing attitude towards returnees: the mean acceptance of its households."""
        h = self.model.world.households
        return float(h.acceptance[h.community == self.index].mean())
