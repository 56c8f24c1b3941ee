"""What the page says in plain words: the meaning of each control and of each card.

Kept apart from the code that draws, so the words a room of programme staff reads can be
checked and changed in one place. The texts are HTML (``solara.HTML``): the page uses no
Markdown, which would fetch KaTeX and Mermaid from the internet.
"""

#: The page's name, in the app bar and the browser's tab (from the first byte the server sends).
TITLE = "Two strategies, one population"
PAGE_TITLE = f"{TITLE} — trainer's page"

#: What each control means in the field, shown beside the controls.
CONTROL_HELP = {
    "scenario_name": "the place people return to: its villages, jobs, services and attitudes "
    "(the files in scenarios/).",
    "strategy_a": "the first way to spend the budget. <i>your split</i> is the balance set by "
    "the three support sliders.",
    "strategy_b": "the second way, run on exactly the same people and villages.",
    "budget": "all the money the programme can spend, the same for both strategies.",
    "individual": "cash, business start-up, training, counselling, referral and case "
    "management, person by person.",
    "community": "joint income activities for returnees and neighbours, dialogue against "
    "stigma, small infrastructure.",
    "structural": "stronger public services and employment services that serve everyone.",
    "n_returnees": "how many people come back.",
    "arrival_months": "over how many months they arrive: a sudden wave or a trickle.",
    "job_capacity": "jobs per household before anyone returns; below 1, work is already scarce.",
    "initial_attitude": "how welcoming neighbours are at first (0 hostile, 1 welcoming).",
    "share_forced": "the share of returns that were forced rather than chosen.",
    "seed": "another draw of the same kind of population, always the same on both sides.",
    "colour_by": "what the returnees' colours show: whether each is settled, settling or may "
    "leave again, or one of the three scores, from red (very poor) to green (very good).",
}

#: Below the controls' meanings: how the controls take effect.
AFTER_CONTROLS = (
    "Type a value in a control's box or move its slider. A change to the place, the people or "
    "the strategies is marked <b>waits for Reset</b> until you press <b>Reset</b>, which starts "
    "the run again with it; <b>Colour returnees by</b> changes the pictures at once. The three "
    "support sliders are relative weights: 2/1/1 means half the budget on individual support."
)

#: A card's line of this month's numbers before the first month.
START_HINT = "Press Step or ▶ Play to start the clock: one step is one month."
#: Beside a changed setting that the model takes only on Reset.
PENDING = "waits for Reset"
#: The speed menu: seconds between months while playing, as a trainer would say them.
SPEEDS = {
    "slow: a month every 4 s": 4.0,
    "steady: a month every 2 s": 2.0,
    "brisk: a month a second": 1.0,
    "fast: as fast as it draws": 0.2,
}
DEFAULT_SPEED = "brisk: a month a second"


def end_of_run(horizon: int, programme: int) -> str:
    """What the page says when the run reaches its last month."""
    return (
        f"The run is over: month {horizon} of {horizon}, the programme's {programme} months "
        f"and {horizon - programme} months after. Compare the two sides now. To go again, "
        "press Reset (change a setting first to try something else)."
    )


SUSTAINABLE = (
    "Of the returnees who have come back, the share who are <b>sustainably reintegrated</b>: "
    "doing well enough economically, socially and in their mind that leaving again would be "
    "a choice, not a necessity. <b>Solid line A, dashed line B</b>: the same people, two ways "
    "of spending the same budget."
)
DIMENSIONS = (
    "The average returnee's three scores, from 0 (very poor) to the top of the scale (very "
    "good): "
    "<b>economic</b> (income, savings, debt), <b>social</b> (acceptance by neighbours, "
    "access to services, family) and <b>psychosocial</b> (distress, feeling at home). "
    "Solid A, dashed B. Money alone lifts the first; the others need people and services."
)
COMMUNITY = (
    "What the neighbours live through. <b>Community tension</b> rises when jobs and services "
    "are crowded or when aid seems to go only to returnees. <b>Non-migrant well-being</b> is "
    "how the families who never left are doing. Solid A, dashed B."
)
SPENDING = (
    "Money spent so far on each package either strategy buys, under its level of support: "
    "A's bar above B's. Individual packages are paid when a returnee receives them, "
    "community projects when they start, structural work month by month. Both strategies "
    "have the same budget."
)
#: Beside the budget per returnee, above the cards.
BUDGET_NOTE = "Which kind of support leads can depend on it: the scripted demonstration raises it."
#: Under the network's colour key.
NETWORK = (
    "Rings are villages, dots on them households, grey lines ties between neighbours; "
    "diamonds are returnees."
)
