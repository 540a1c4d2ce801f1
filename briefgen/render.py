"""The Jinja environment and the pages of the site, rendered to bytes.

Autoescape is on and undefined variables are errors. A project's own
`templates/` overrides the default theme file by file. Rendering yields
`(output path, bytes, origin)` and never touches the disk.
"""

from __future__ import annotations

import functools
import traceback
from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any

import jinja2
from babel.dates import format_date
from markupsafe import Markup

from briefgen import i18n, markdown, search, typography, urls
from briefgen.bodies import Body, Damaged, summary_of
from briefgen.config import Config
from briefgen.coverage_render import coverage_globals
from briefgen.coverage_stage import Coverage
from briefgen.diagnostics import BriefgenError, Diagnostic, clip, error, quote
from briefgen.fragments import FragmentCache, forget
from briefgen.index import fixed_slugs, group_slug
from briefgen.model import Day, Entry
from briefgen.pages import Page, by_day
from briefgen.parallel import ordered_map
from briefgen.slugs import slugify
from briefgen.urls import route_of

Progress = Callable[[int, int], None]


def theme_dir() -> Path:
    """The default theme: inside the installed package, or `templates/` of a checkout."""
    packaged = Path(__file__).resolve().parent / "theme"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "templates"


def template_dirs(config: Config) -> list[Path]:
    dirs = [config.templates_path] if config.templates_path.is_dir() else []
    theme = theme_dir()
    if not dirs or dirs[0].resolve() != theme.resolve():
        dirs.append(theme)
    return dirs


class Shown:
    """What one build's templates show beyond the model: its bodies and its coverage.

    The theme's globals `body`, `summary`, `coverage_of` and
    `attention_chart` call through this object, which `show` points at each
    build's data. A compiled template keeps the functions it was first given
    (Jinja caches an imported macro module with its globals), so the
    functions must stay the same objects while what they read changes.
    """

    def __init__(self) -> None:
        self.bodies: Mapping[str, Body] = {}
        self.coverage: dict[str, Callable[..., Any]] = {}

    def body(self, entry: Entry) -> Body:
        return self.bodies[entry.path]

    def summary(self, entry: Entry) -> str:
        return summary_of(entry, self.bodies)

    def call(self, name: str, *args: Any, **values: Any) -> Any:
        return self.coverage[name](*args, **values)


class ThemeEnvironment(jinja2.Environment):
    """The theme's environment, with the `Shown` its templates read one build's data from.

    An entry's Markdown and its private attributes are hidden from templates:
    `body(entry)` is the one way to a body, so that the build can tell which
    pages show bodies (`deps.Templates.whole`) from the templates alone.
    """

    shown: Shown

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is Entry and (attribute == "body" or attribute[:1] == "_"):
            return self._hidden(obj, attribute)
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if type(obj) is Entry and isinstance(argument, str):
            return self.getattr(obj, argument)
        return super().getitem(obj, argument)

    def _hidden(self, obj: Entry, attribute: str) -> jinja2.Undefined:
        hint = (
            "an entry's body is shown with body(entry).html (its HTML) or summary(entry)"
            if attribute == "body"
            else f"an entry has no attribute {quote(attribute)} for templates"
        )
        return self.undefined(hint=hint, obj=obj, name=attribute)


def show(
    env: jinja2.Environment,
    config: Config,
    bodies: Mapping[str, Body] | None,
    coverage: Coverage | None,
) -> None:
    """Give the templates of `env` (made by `theme_environment`) one build's bodies and
    coverage: an environment and its compiled templates can serve build after build."""
    assert isinstance(env, ThemeEnvironment)
    linker = urls.Linker(config.base_url, config.base_path)
    env.shown.bodies = bodies if bodies is not None else {}
    env.shown.coverage = coverage_globals(config, linker.link, coverage)
    forget(env)  # fragments of the last build showed its data


def theme_environment(config: Config) -> jinja2.Environment:
    """The theme's templates, filters and globals; `show` gives it a build's bodies and
    coverage (none until then)."""
    env = ThemeEnvironment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs(config)]),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n", FragmentCache],
    )
    env.install_gettext_translations(  # type: ignore[attr-defined]
        i18n.translations(config.language), newstyle=True
    )
    linker = urls.Linker(config.base_url, config.base_path)
    md = markdown.make_parser(unsafe_html=config.unsafe_html)  # the editors' pages of stories
    ui_lang = i18n.ui_language(config.language)
    uncategorised = i18n.uncategorised(config.language)
    special = fixed_slugs(uncategorised, i18n.unknown_source(config.language))
    env.globals.update(
        config=config,
        lang=config.language,
        ui_lang=ui_lang,
        line_lang=lambda code: code if i18n.catalog_language(code) else ui_lang,
        translate=_translate,
        link=linker.link,
        absolute=linker.absolute,
        route_of=route_of,
        link_to=lambda item: linker.link(route_of(item)),
        link_group=lambda kind, name: linker.link(
            urls.group_route(kind, group_slug(kind, name, special))
        ),
        absolute_to=lambda item: linker.absolute(route_of(item)),
        uncategorised=uncategorised,
        unknown_source=i18n.unknown_source(config.language),
        result_counts=search.result_counts,
    )
    env.shown = Shown()
    env.globals.update(body=env.shown.body, summary=env.shown.summary)
    for name in coverage_globals(config, linker.link, None):
        env.globals[name] = functools.partial(env.shown.call, name)
    env.filters.update(
        long_date=lambda value, lang=ui_lang: _long_date(value, lang),
        full_date=lambda value, lang=ui_lang: _full_date(value, lang),
        month_name=lambda value, lang=ui_lang: i18n.month_name(
            _calendar_day(value, "month_name"), lang
        ),
        # times are shown in the site's zone, as its days are counted, in the page's language
        short_time=lambda entry, lang=ui_lang: i18n.short_time(
            entry.date.astimezone(config.zone), lang
        ),
        iso=_iso,
        atom_date=_atom_date,
        slug=slugify,
        by_day=by_day,
        date_time=lambda entry, lang=ui_lang: _date_time(entry, config.zone, lang),
        utc_offset=lambda entry: _utc_offset(entry, config.zone),
        zone=lambda entry: _zone_label(entry, config.zone),
        typo=typography.french_spacing,
        typo_html=typography.french_spacing_html,
        beyond_title=typography.summary_beyond_title,
        short_day=lambda value, lang=ui_lang: _short_day(value, lang),
        language_name=lambda code, lang=ui_lang: i18n.language_name(code, lang),
        markdown=lambda text: Markup(markdown.render(md, text).html),
    )
    return env


@jinja2.pass_context
def _translate(context: jinja2.runtime.Context, lang: str, message: str, **values: Any) -> str:
    """`translate(entry.lang, "Published on %(date)s", date=…)`: a UI string in another language.

    For the lines of a page written in the language of an entry rather than
    the site's; like Jinja's newstyle `_()`, values are escaped unless Markup.
    """
    text = i18n.translations(lang).gettext(message)
    if context.eval_ctx.autoescape:
        return Markup(text) % values
    return text % values if values else text


def _calendar_day(value: object, name: str) -> date:
    """The date a date filter was given; a template error naming the filter otherwise."""
    if isinstance(value, Day):
        return value.day
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raise TypeError(f"the {name} filter expects an entry, a day or a date, got {quote(value)}")


def _long_date(value: object, lang: str) -> str:
    if isinstance(value, Entry):
        return i18n.long_date(value.date.date(), lang)
    return i18n.long_date(_calendar_day(value, "long_date"), lang)


def _full_date(value: object, lang: str) -> str:
    return i18n.full_date(_calendar_day(value, "full_date"), lang)


def _iso(value: Entry | Day | date | datetime) -> str:
    if isinstance(value, Entry):
        return value.date.isoformat() if value.has_time else value.date.date().isoformat()
    if isinstance(value, Day):
        return value.day.isoformat()
    return value.isoformat()


def _atom_date(value: Entry) -> str:
    return value.date.isoformat(timespec="seconds")


def _date_time(entry: Entry, zone: tzinfo, lang: str) -> str:
    """'14 septembre 2023, 16:50' in the site's zone and `lang` (the page's); the date alone
    without a time."""
    if not entry.has_time:
        return i18n.long_date(entry.date.date(), lang)
    moment = entry.date.astimezone(zone)
    day = i18n.long_date(moment.date(), lang)
    pattern = str(i18n.locale(lang).datetime_formats["long"]).replace("'", "")
    return pattern.replace("{1}", day).replace("{0}", i18n.short_time(moment, lang))


def _zone_label(entry: Entry, zone: tzinfo) -> str:
    """'UTC+2': the offset of the site's zone at the entry's instant ('' without a time)."""
    if not entry.has_time:
        return ""
    offset = entry.date.astimezone(zone).utcoffset()
    minutes = int(offset.total_seconds()) // 60 if offset is not None else 0
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes >= 0 else "\u2212"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def _utc_offset(entry: Entry, zone: tzinfo) -> str:
    """'UTC−4' when the entry's own offset is not the site's at that instant, else ''."""
    own = entry.date.utcoffset()
    if not entry.has_time or own is None or own == entry.date.astimezone(zone).utcoffset():
        return ""
    minutes = int(own.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "\u2212"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def _short_day(value: object, lang: str) -> str:
    """'jeudi 14' / 'Thursday 14': a day inside a month that is already named."""
    day = _calendar_day(value, "short_day")
    return str(format_date(day, format="EEEE d", locale=i18n.locale(lang)))


def render_pages(
    pages: list[Page], env: jinja2.Environment, config: Config, progress: Progress | None = None
) -> Iterator[tuple[str, bytes, str]]:
    """Render each page: `(output path, bytes, origin)`; a template error stops with its place."""
    return ordered_map(lambda page: render_page(page, env, config), pages, progress)


def render_page(page: Page, env: jinja2.Environment, config: Config) -> tuple[str, bytes, str]:
    """One page: `(output path, bytes, origin)`, or `BriefgenError` naming the template's line."""
    try:
        text = env.get_template(page.template).render(page.context, route=page.route)
    except jinja2.TemplateSyntaxError as exc:
        where = template_origin(Path(exc.filename or page.template), config)
        message = exc.message or "syntax error"
        raise BriefgenError([error(where, exc.lineno, message, code="template")]) from None
    except Damaged:
        raise  # not the template's fault: `build()` starts again without the cache
    except jinja2.TemplateNotFound as exc:
        raise BriefgenError(
            [_template_failure(exc, page, config, f"template not found: {exc.name}")]
        ) from None
    except Exception as exc:
        raise BriefgenError(
            [_template_failure(exc, page, config, f"{type(exc).__name__}: {clip(str(exc))}")]
        ) from None
    return page.output, text.encode("utf-8"), f"template {page.template}"


def _template_failure(exc: Exception, page: Page, config: Config, message: str) -> Diagnostic:
    """Name the template file and line where rendering failed (the innermost template frame)."""
    roots = [folder.resolve() for folder in template_dirs(config)]
    frames = [
        frame
        for frame in traceback.extract_tb(exc.__traceback__)
        if any(Path(frame.filename).resolve().is_relative_to(root) for root in roots)
    ]
    if not frames:  # the template could not even be read or loaded
        return error(
            page.template, 0, f"{message} (while rendering {page.output})", code="template"
        )
    frame = frames[-1]
    return error(
        template_origin(Path(frame.filename), config),
        frame.lineno or 0,
        f"{message} (while rendering {page.output})",
        code="template",
    )


def template_origin(path: Path, config: Config) -> str:
    """A template file as messages name it: `templates/x.html` or `x.html (default theme)`."""
    shown = config.shown(path)
    theme = theme_dir()
    if Path(shown).is_absolute() and path.resolve().is_relative_to(theme.resolve()):
        return f"{path.resolve().relative_to(theme.resolve()).as_posix()} (default theme)"
    return shown
