"""Help text that reads like the rest of the command line: ``FILE``, ``TEXT``, ``N`` for option values
and nothing after a flag, instead of the Python types (``<bool>``, ``<str>``) Typer shows by default."""

from __future__ import annotations

from typing import Any

from typer.core import TyperGroup

_FILES = {"output", "out", "errors", "plot", "db", "list_errors"}


# Typer carries its own copy of click: parameters are recognised by their attributes, not their class.
def _metavar(param: Any) -> str:
    desc = getattr(param, "type_descriptor", None)
    if desc is None:
        return "TEXT"
    if desc.is_choice:
        return "|".join(str(c) for c in desc.choices or ())
    if desc.is_path:
        return "FILE" if param.name in _FILES else "PATH"
    if desc.annotation is int:
        return "N"
    if desc.annotation is float:
        return "NUMBER"
    return "TEXT"


def _no_type(ctx: Any = None) -> None:
    return None


def _plain(params: list[Any]) -> list[Any]:
    for param in params:
        kind = getattr(param, "param_type_name", "")
        if kind == "option":
            if param.is_flag or param.count:
                param.metavar = ""
            elif param.metavar is None:
                param.metavar = _metavar(param)
        elif kind == "argument":
            # the argument's name already says what it is ("INPUTS...")
            param.display_type_rich = _no_type
    return params


def plain_help(command: Any) -> Any:
    """``command`` with plain metavars on every option, ``--help`` included (it is made per call)."""
    if not getattr(command, "_plain_help", False):
        original = command.get_params

        def get_params(ctx: Any) -> list[Any]:
            return _plain(original(ctx))

        command.get_params = get_params
        command._plain_help = True
    return command


class Group(TyperGroup):
    """The ``kronika`` group: its own and its commands' help without Python type names."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _plain(super().get_params(ctx))

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        return plain_help(command) if command is not None else None
