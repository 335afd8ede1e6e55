"""What Discord refuses, as the emulator enforces it: size limits of messages, modals, commands and threads.

Each check raises :class:`Refusal` with Discord's status, code and message, so the bot sees the
same ``discord.HTTPException`` it would get from Discord (and the emulator records a violation).
The numbers are Discord's documented limits.
"""

from __future__ import annotations

import re
from typing import Any

CONTENT = 2000
EMBEDS, EMBED_TOTAL = 10, 6000
TITLE, DESCRIPTION, FIELDS, FIELD_NAME, FIELD_VALUE, FOOTER, AUTHOR = 256, 4096, 25, 256, 1024, 2048, 256
ROWS, ROW_ITEMS, CUSTOM_ID, BUTTON_LABEL = 5, 5, 100, 80
MODAL_TITLE, MODAL_ITEMS, LABEL_TEXT, LABEL_DESCRIPTION = 45, 5, 45, 100
TEXT_INPUT_MAX, PLACEHOLDER, SELECT_OPTIONS, OPTION_TEXT = 4000, 100, 25, 100
THREAD_NAME = 100
COMMAND_NAME = re.compile(r"^[-_\w]{1,32}$")
COMMAND_DESCRIPTION, COMMAND_OPTIONS, STRING_OPTION_MAX = 100, 25, 6000

#: Discord's error codes the emulator answers with.
INVALID_FORM_BODY = 50035
EMPTY_MESSAGE = 50006
UNKNOWN_INTERACTION = 10062
ALREADY_ACKNOWLEDGED = 40060
THREAD_ALREADY_CREATED = 160004
WRONG_CHANNEL_TYPE = 50024
UNKNOWN_MESSAGE = 10008
UNKNOWN_WEBHOOK = 10015


class Refusal(Exception):  # noqa: N818 - Discord's word for it
    """A request Discord would refuse: answered with ``status`` and ``{"code": code, "message": message}``."""

    def __init__(self, status: int, code: int, message: str, errors: list[str] | None = None, *,
                 violation: bool = False) -> None:
        """``violation``: a rule only a buggy client breaks (a size limit, a late or second acknowledgement),
        recorded in ``emu.violations``; a thread that already exists or an unknown message is not one."""
        super().__init__(f"{status} {code} {message}" + (f": {'; '.join(errors)}" if errors else ""))
        self.status, self.code, self.message, self.errors = status, code, message, errors or []
        self.violation = violation

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {"message": self.message, "code": self.code}
        if self.errors:
            body["errors"] = {str(i): {"_errors": [{"code": "BASE_TYPE_MAX_LENGTH", "message": e}]}
                              for i, e in enumerate(self.errors)}
        return body


def _too_long(errors: list[str], what: str, value: Any, limit: int, *, minimum: int = 0) -> None:
    if value is None:
        return
    size = len(value)
    if size > limit or size < minimum:
        errors.append(f"{what} must be {minimum}-{limit} long (is {size})")


def _form(errors: list[str]) -> None:
    if errors:
        raise Refusal(400, INVALID_FORM_BODY, "Invalid Form Body", errors, violation=True)


def embed_size(embed: dict[str, Any]) -> int:
    """The characters Discord counts towards the 6000 of a message's embeds."""
    size = len(embed.get("title") or "") + len(embed.get("description") or "")
    size += len((embed.get("footer") or {}).get("text") or "") + len((embed.get("author") or {}).get("name") or "")
    return size + sum(len(f.get("name") or "") + len(f.get("value") or "") for f in embed.get("fields") or [])


def check_message(body: dict[str, Any], *, creating: bool) -> None:
    """A message to send or edit: content, embeds and components within Discord's limits."""
    errors: list[str] = []
    _too_long(errors, "content", body.get("content"), CONTENT)
    embeds = body.get("embeds") or []
    if len(embeds) > EMBEDS:
        errors.append(f"at most {EMBEDS} embeds (has {len(embeds)})")
    for n, e in enumerate(embeds):
        _too_long(errors, f"embeds.{n}.title", e.get("title"), TITLE)
        _too_long(errors, f"embeds.{n}.description", e.get("description"), DESCRIPTION)
        _too_long(errors, f"embeds.{n}.footer.text", (e.get("footer") or {}).get("text"), FOOTER)
        _too_long(errors, f"embeds.{n}.author.name", (e.get("author") or {}).get("name"), AUTHOR)
        fields = e.get("fields") or []
        if len(fields) > FIELDS:
            errors.append(f"embeds.{n}: at most {FIELDS} fields (has {len(fields)})")
        for i, f in enumerate(fields):
            _too_long(errors, f"embeds.{n}.fields.{i}.name", f.get("name") or "", FIELD_NAME, minimum=1)
            _too_long(errors, f"embeds.{n}.fields.{i}.value", f.get("value") or "", FIELD_VALUE, minimum=1)
    total = sum(embed_size(e) for e in embeds)
    if total > EMBED_TOTAL:
        errors.append(f"embeds: {total} characters in all, more than {EMBED_TOTAL}")
    _check_components(errors, body.get("components") or [])
    _form(errors)
    if creating and not (body.get("content") or embeds or body.get("components") or body.get("attachments")
                         or body.get("sticker_ids") or body.get("poll")):
        raise Refusal(400, EMPTY_MESSAGE, "Cannot send an empty message", violation=True)


def _check_components(errors: list[str], rows: list[dict[str, Any]]) -> None:
    if len(rows) > ROWS:
        errors.append(f"components: at most {ROWS} action rows (has {len(rows)})")
    seen: set[str] = set()
    for r, row in enumerate(rows):
        items = row.get("components") or []
        if row.get("type") != 1 or not 1 <= len(items) <= ROW_ITEMS:
            errors.append(f"components.{r}: an action row holds 1-{ROW_ITEMS} components")
        for c in items:
            custom_id = c.get("custom_id")
            if c.get("type") == 2 and c.get("style") == 5:
                if not c.get("url"):
                    errors.append(f"components.{r}: a link button needs a url")
            else:
                _too_long(errors, f"components.{r}.custom_id", custom_id or "", CUSTOM_ID, minimum=1)
                if custom_id in seen:
                    errors.append(f"components.{r}: custom_id {custom_id!r} is used twice")
                seen.add(custom_id or "")
            _too_long(errors, f"components.{r}.label", c.get("label"), BUTTON_LABEL)


def check_modal(data: dict[str, Any]) -> None:
    """A modal: title, custom id, 1-5 labelled inputs (text inputs or string selects)."""
    errors: list[str] = []
    _too_long(errors, "title", data.get("title") or "", MODAL_TITLE, minimum=1)
    _too_long(errors, "custom_id", data.get("custom_id") or "", CUSTOM_ID, minimum=1)
    items = data.get("components") or []
    if not 1 <= len(items) <= MODAL_ITEMS:
        errors.append(f"components: a modal holds 1-{MODAL_ITEMS} components (has {len(items)})")
    for n, item in enumerate(items):
        if item.get("type") == 18:  # label
            _too_long(errors, f"components.{n}.label", item.get("label") or "", LABEL_TEXT, minimum=1)
            _too_long(errors, f"components.{n}.description", item.get("description"), LABEL_DESCRIPTION)
            inner = [item.get("component") or {}]
        elif item.get("type") == 1:  # the older action row holding one text input
            inner = item.get("components") or []
        elif item.get("type") == 10:  # text display
            _too_long(errors, f"components.{n}.content", item.get("content") or "", TEXT_INPUT_MAX, minimum=1)
            continue
        else:
            errors.append(f"components.{n}: type {item.get('type')} cannot be in a modal")
            continue
        for c in inner:
            _check_modal_input(errors, n, c)
    _form(errors)


def _check_modal_input(errors: list[str], n: int, c: dict[str, Any]) -> None:
    _too_long(errors, f"components.{n}.custom_id", c.get("custom_id") or "", CUSTOM_ID, minimum=1)
    _too_long(errors, f"components.{n}.placeholder", c.get("placeholder"), PLACEHOLDER if c.get("type") == 4 else 150)
    if c.get("type") == 4:
        for key in ("min_length", "max_length"):
            if key in c and not 0 <= int(c[key]) <= TEXT_INPUT_MAX:
                errors.append(f"components.{n}.{key} must be 0-{TEXT_INPUT_MAX}")
        _too_long(errors, f"components.{n}.value", c.get("value"), TEXT_INPUT_MAX)
    elif c.get("type") == 3:
        options = c.get("options") or []
        if not 1 <= len(options) <= SELECT_OPTIONS:
            errors.append(f"components.{n}: a select holds 1-{SELECT_OPTIONS} options")
        for o in options:
            _too_long(errors, f"components.{n}.options.label", o.get("label") or "", OPTION_TEXT, minimum=1)
            _too_long(errors, f"components.{n}.options.value", o.get("value") or "", OPTION_TEXT, minimum=1)
            _too_long(errors, f"components.{n}.options.description", o.get("description"), OPTION_TEXT)
    else:
        errors.append(f"components.{n}: type {c.get('type')} cannot be in a modal label")


def check_commands(commands: list[dict[str, Any]]) -> None:
    """A bulk command overwrite: names, descriptions and options as Discord validates them."""
    errors: list[str] = []
    for cmd in commands:
        name = cmd.get("name") or ""
        if not COMMAND_NAME.match(name) or name != name.lower():
            errors.append(f"command name {name!r} is not 1-32 lowercase characters")
        if cmd.get("type", 1) == 1:
            _too_long(errors, f"{name}.description", cmd.get("description") or "", COMMAND_DESCRIPTION, minimum=1)
        options = cmd.get("options") or []
        if len(options) > COMMAND_OPTIONS:
            errors.append(f"{name}: at most {COMMAND_OPTIONS} options")
        optional_seen = False
        for o in options:
            _too_long(errors, f"{name}.{o.get('name')}.description", o.get("description") or "", COMMAND_DESCRIPTION,
                      minimum=1)
            if o.get("required"):
                if optional_seen:
                    errors.append(f"{name}: required option {o.get('name')!r} after an optional one")
            else:
                optional_seen = True
            if "max_length" in o and not 1 <= int(o["max_length"]) <= STRING_OPTION_MAX:
                errors.append(f"{name}.{o.get('name')}.max_length must be 1-{STRING_OPTION_MAX}")
    _form(errors)


def check_thread_name(name: str | None) -> None:
    errors: list[str] = []
    _too_long(errors, "name", name or "", THREAD_NAME, minimum=1)
    _form(errors)
