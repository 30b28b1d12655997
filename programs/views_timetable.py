"""The timetable page (per school, teacher, venue or class), its print view, its .xlsx export
and the 5+2 check of every class's week. The grid is built by programs.timetable."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from people.actor import Actor
from programs import timetable as tt
from programs.exports import timetable_workbook
from programs.forms import school_staff, school_venues
from programs.selectors import plan_document_for
from programs.views_common import chosen_term, reader, school_terms
from schools.models import SchoolClass, Term

VIEWS = ("school", "teacher", "venue", "class")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Selection:
    """The timetable asked for: whose slots, and the heading that names them."""

    view: str = "school"
    chosen_id: int | None = None
    heading: str = ""
    rows: list[tt.SlotRow] = field(default_factory=list)
    school_class: SchoolClass | None = None


def _select(request, term: Term, rows: list[tt.SlotRow], staff, venues, classes) -> Selection:
    """Narrow the term's slots to the teacher, venue or class named in the query string."""
    view = request.GET.get("view", "school")
    if view not in VIEWS:
        view = "school"
    if view == "school":
        return Selection(heading=term.school.name, rows=rows)
    raw = request.GET.get("id", "")
    options = {"teacher": staff, "venue": venues, "class": classes}[view]
    chosen = next((o for o in options if raw.isdigit() and o.pk == int(raw)), None)
    if chosen is None:
        if raw:
            raise Http404
        return Selection(view=view, heading="", rows=[])
    if view == "teacher":
        picked = tt.for_teacher(rows, chosen.pk)
    elif view == "venue":
        picked = tt.for_venue(rows, chosen.pk)
    else:
        picked = tt.for_class(rows, chosen)
    return Selection(
        view=view,
        chosen_id=chosen.pk,
        heading=str(chosen),
        rows=picked,
        school_class=chosen if view == "class" else None,
    )


def _week_problems(term: Term, selection: Selection, classes, all_rows) -> dict:
    """Return the 5+2 check for the page: every class on the school view, or the chosen class."""
    doc = plan_document_for(term)
    if doc is None:
        return {"no_plan": True}
    if selection.view == "class" and selection.school_class is not None:
        classes = [selection.school_class]
    elif selection.view != "school":
        return {}
    rule = tt.rule_for(doc, term)
    weeks = tt.class_weeks(doc=doc, rule=rule, classes=classes, rows=all_rows)
    return {
        "rule": rule,
        "short_weeks": [w for w in weeks if not w.meets],
        "checked": len(weeks),
    }


def _load(request, actor: Actor):
    """Return the term, the term's slots, the selection and the choices of the page.

    A fixed number of queries: the term, its slots, the staff, venues and classes.
    """
    term = chosen_term(request, actor)
    if term is None:
        return None, [], None, {}
    rows = tt.slot_rows(term)
    staff = list(school_staff(actor.school_id))
    venues = list(school_venues(actor.school_id))
    classes = list(
        SchoolClass.objects.filter(school_id=actor.school_id).order_by("grade", "number")
    )
    selection = _select(request, term, rows, staff, venues, classes)
    return term, rows, selection, {"staff": staff, "venues": venues, "classes": classes}


@login_required
def timetable(request):
    """Show the weekly grid; ``?print=1`` gives the same page without navigation."""
    actor = reader(request)
    term, all_rows, selection, options = _load(request, actor)
    context = {
        "title": _("Timetable"),
        "term": term,
        "terms": school_terms(actor),
        "printing": request.GET.get("print") == "1",
        **options,
    }
    if term is not None:
        context |= {
            "pickers": [
                ("teacher", _("Teacher"), options["staff"]),
                ("venue", _("Venue"), options["venues"]),
                ("class", _("Class"), options["classes"]),
            ],
            "selection": selection,
            "grid": tt.build_grid(selection.rows),
            **_week_problems(term, selection, options["classes"], all_rows),
        }
    return render(request, "programs/timetable.html", context)


@login_required
def timetable_xlsx(request):
    """Return the timetable asked for as the 课后服务样表 workbook."""
    actor = reader(request)
    term, _rows, selection, _options = _load(request, actor)
    if term is None:
        raise Http404
    title = f"{term.school.name}{term.name}课后服务安排表"
    if selection.view != "school" and selection.heading:
        title += f"（{selection.heading}）"
    content = timetable_workbook(
        title=title, rows=selection.rows, grid=tt.build_grid(selection.rows)
    )
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="timetable-{term.pk}.xlsx"'
    return response
