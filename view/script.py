"""A scripted demonstration: settings, pause points and the sentence to say at each.

A trainer prepares a workshop as a TOML file (``view/scripts/demo.toml`` is the one in
docs/trainers.md) and replays it on the page with **Next**: the page applies the pause point's
settings (and starts again if there are any), plays until its month and shows its sentence.
A script is checked in full when it is loaded, against the page's own controls, so a typo is
one line naming the pause point, the field, the value and what is allowed, before the room
sees anything.

.. code-block:: toml

    title = "Individual against integrated"
    [settings]                  # applied when the script is loaded
    strategy_a = "individual"
    strategy_b = "your split"
    [[pause]]
    month = 12                  # play until month 12, then pause
    say = "Which card moved first?"
    [[pause]]
    settings = { initial_attitude = 0.3 }   # changed, so the run starts again
    month = 12
    say = "A harder place."
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from mesa.visualization import Slider

#: The scripts shipped with the page (listed in its script menu).
SCRIPTS = Path(__file__).with_name("scripts")


class ScriptError(ValueError):
    """A script that cannot be played: one line saying where, what and what is allowed."""


@dataclass(frozen=True)
class Pause:
    """One pause point: settings to change first, the month to play until, what to say."""

    say: str
    month: int | None = None
    settings: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Script:
    title: str
    settings: dict
    pauses: list[Pause]


def shipped() -> dict[str, Path]:
    """The shipped scripts by file name (without ``.toml``)."""
    return {path.stem: path for path in sorted(SCRIPTS.glob("*.toml"))}


def load_script(text: str | bytes, params: dict, where: str = "script") -> Script:
    """The script in ``text`` (TOML, or its bytes as a dropped file gives them), checked
    against the page's controls ``params``."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise ScriptError(f"{where}: not UTF-8 text; allowed: a TOML file saved as "
                              "UTF-8") from None  # fmt: skip
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ScriptError(f"{where}: not a TOML file ({err})") from None
    _known(data, {"title", "settings", "pause"}, where)
    pauses = data.get("pause", [])
    if not isinstance(pauses, list) or not pauses:
        raise ScriptError(f"{where}: no [[pause]] points; a script needs at least one")
    return Script(
        title=str(data.get("title", "A scripted demonstration")),
        settings=check_settings(data.get("settings", {}), params, f"{where} [settings]"),
        pauses=[_pause(p, params, f"{where} pause {i}") for i, p in enumerate(pauses, 1)],
    )


def _pause(data, params: dict, where: str) -> Pause:
    if not isinstance(data, dict):
        raise ScriptError(f"{where}: must be a table with say, and maybe month and settings")
    _known(data, {"say", "month", "settings"}, where)
    say = data.get("say")
    if not isinstance(say, str) or not say.strip():
        raise ScriptError(f"{where}: say = {say!r}; give the sentence to say, as text")
    month = data.get("month")
    if month is not None and (isinstance(month, bool) or not isinstance(month, int) or month < 0):
        raise ScriptError(
            f"{where}: month = {month!r}; allowed: a whole number of months, 0 or more"
        )
    return Pause(say.strip(), month, check_settings(data.get("settings", {}), params, where))


def _known(data: dict, allowed: set[str], where: str) -> None:
    for key in data:
        if key not in allowed:
            raise ScriptError(
                f"{where}: unknown field {key!r}; allowed: {', '.join(sorted(allowed))}"
            )


def check_settings(settings, params: dict, where: str) -> dict:
    """``settings`` as the controls hold them, each checked against its control."""
    if not isinstance(settings, dict):
        raise ScriptError(f"{where}: settings must be a table of control = value")
    return {name: check_value(name, value, params, where) for name, value in settings.items()}


def _as_typed(value) -> str:
    """A value as a person would type it: ``90000``, not ``90000.0``; ``0.3``; ``'lots'``."""
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if number and math.isfinite(value) and float(value).is_integer():
        return str(int(value))
    return f"{value:g}" if number else repr(value)


def check_value(name: str, value, params: dict, where: str = "setting"):
    """``value`` for control ``name`` if the control allows it, else a :class:`ScriptError`."""
    if name not in params:
        raise ScriptError(f"{where}: unknown setting {name!r}; allowed: {', '.join(params)}")
    option = params[name]
    if isinstance(option, Slider):
        whole = not option.is_float_slider
        number = isinstance(value, int | float) and not isinstance(value, bool)
        number = number and math.isfinite(value)  # inf, nan and 1e400 are no setting
        if not number or (whole and value != int(value)) or not option.min <= value <= option.max:
            kind = "a whole number" if whole else "a number"
            raise ScriptError(
                f"{where}: {name} = {_as_typed(value)}; allowed: {kind} from "
                f"{_as_typed(option.min)} to {_as_typed(option.max)}"
            )
        return int(value) if whole else float(value)
    if value not in option["values"]:
        allowed = ", ".join(map(str, option["values"]))
        raise ScriptError(f"{where}: {name} = {value!r}; allowed: {allowed}")
    return value
