"""Livelihoods: jobs against the community's labour-market capacity, businesses, cash, debt.

Every arrived returnee and one worker per household compete for the community's jobs, so
many returns into a small labour market lower everyone's chance of work. A job seeker's
monthly chance of being hired is the product of the jobs open, their employability (skills,
sex, distress, acceptance, referrals from employed ties, employment services, follow-up):
training raises employability, but where no jobs are open it changes little.
"""

import numpy as np


def job_availability(c, structure, p) -> np.ndarray:
    """Share of the community's workers its jobs can employ (0-1)."""
    jobs = c.jobs_base + c.jobs_added + c.jobs_temporary
    jobs = jobs + p.structural_job_gain * structure.strength["employment"] * c.households
    workers = c.households + c.arrived_returnees
    return np.minimum(1.0, jobs / np.maximum(workers, 1.0))


def gate(distress: np.ndarray, p) -> np.ndarray:
    """Share of economic progress distress allows: unmet psychosocial needs hold it back."""
    return 1.0 - p.distress_gating * distress


def employability(r, acceptance_env, referrals, structure, p) -> np.ndarray:
    """How readily employers take a returnee on, relative to a typical local worker."""
    return (
        (0.3 + 0.7 * r.skill)
        * (1 - p.female_employment_gap * r.female)
        * gate(r.distress, p)
        * (0.5 + 0.5 * acceptance_env)
        * (1 + p.network_referral_gain * referrals)
        * (1 + p.structural_employability_gain * structure.strength["employment"])
        * (1 + p.case_management_gain * (r.case_left > 0))
    )


def hire_probability(availability, employability_, p) -> np.ndarray:
    return np.clip(p.hire_rate * availability * employability_, 0.0, 1.0)


def employed_neighbours(world) -> np.ndarray:
    """Per returnee: share of their household's ties with an employed returnee (job leads)."""
    r, h = world.returnees, world.households
    has_job = np.bincount(r.household, weights=r.employed & r.arrived, minlength=h.n) > 0
    return (world.ties @ has_job.astype(float))[r.household]


def work(world, p, rng) -> None:
    """Hiring and separations this month (draws are taken for everyone, every month)."""
    r, c = world.returnees, world.communities
    c.job_availability = job_availability(c, world.structure, p)
    draws = rng.random(r.n)
    e = employability(r, r.acceptance, employed_neighbours(world), world.structure, p)
    hired = ~r.employed & (draws < hire_probability(c.job_availability[r.community], e, p))
    lost = r.employed & (draws < p.separation_rate)
    r.employed = r.arrived & ((r.employed & ~lost) | hired)


def earn(world, p) -> None:
    """Income from work, business and cash this month; savings cover shortfalls; debt repaid."""
    r, c = world.returnees, world.communities
    demand = c.job_availability[r.community]  # local purchasing power buys from businesses
    business = (
        r.business_asset
        * p.business_return
        * demand
        * gate(r.distress, p)
        * (0.6 + 0.4 * r.acceptance)
        * (1 + p.case_management_gain * (r.case_left > 0))
    )
    cash_used = r.cash * p.cash_spend_rate
    r.cash -= cash_used
    r.business_asset *= 1 - p.asset_depreciation
    wage = r.employed * p.wage_usd * (0.7 + 0.6 * r.skill)
    r.income = np.where(r.arrived, wage + business + cash_used, 0.0)
    shortfall = np.maximum(0.0, p.monthly_need_usd - r.income)
    drawn = np.minimum(r.savings, shortfall) * r.arrived
    r.savings -= drawn
    surplus = np.maximum(0.0, r.income - p.monthly_need_usd)
    r.debt = np.maximum(0.0, r.debt - p.debt_repayment_share * surplus)
    r.income += drawn


def economic_conditions(r, p) -> np.ndarray:
    """The economic score the returnee's situation supports (0-1): income, buffer, debt."""
    need = p.monthly_need_usd
    adequacy = np.minimum(1.0, r.income / need)
    buffer = np.minimum(
        1.0, (r.savings + r.cash + 0.5 * r.business_asset) / (p.buffer_months * need)
    )
    debt_free = 1.0 - np.minimum(1.0, r.debt / (p.heavy_debt_months * need))
    total = p.econ_weight_income + p.econ_weight_buffer + p.econ_weight_debt
    return (
        p.econ_weight_income * adequacy
        + p.econ_weight_buffer * buffer
        + p.econ_weight_debt * debt_free
    ) / total


def household_income(world, p) -> np.ndarray:
    """Share of each household's need met: local work, remittances lost, returnees' earnings."""
    h, r, c = world.households, world.returnees, world.communities
    local = c.job_availability[h.community]
    returnee_share = np.bincount(r.household, weights=r.income / p.monthly_need_usd, minlength=h.n)
    own = np.where(h.returnees > 0, (1 - h.remittance_dependence) * local, local)
    return np.minimum(1.0, own + 0.5 * returnee_share / h.size)
