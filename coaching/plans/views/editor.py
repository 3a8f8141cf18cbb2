"""The editor: a section, the lean canvas, a conflict's comparison, and the autosave endpoint.

Every page works as a plain form without JavaScript; ``frontend/js/autosave.js`` adds saving
as one types through ``section_autosave``. Every save goes through ``section_save``, which
never overwrites newer text: a save from an older copy is kept as a conflict, and the person
compares and chooses here (``conflict_resolve``).

Reading needs READ access (the mentor the plan is shared with, the site's coordinators),
writing EDIT (the owner); anything else is a 404 (``selectors.plan_or_404``).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.models import Site

from coaching.plans import canvas, selectors
from coaching.plans.forms.editor import (
    KEEP_MERGED,
    CanvasBoxForm,
    ConflictForm,
    SectionForm,
)
from coaching.plans.models import PlanSection
from coaching.plans.selectors import Access
from coaching.plans.services.editing import conflict_resolve, section_save
from coaching.plans.views.plans import plan_context

KINDS = tuple(PlanSection.Kind.values)


def _site(request):
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    return site


def saved_at(moment) -> str:
    """ "Saved at 10:42", in the site's time zone (Europe/Rome) and the reader's format."""
    return _("Saved at %(time)s") % {"time": date_format(timezone.localtime(moment), "TIME_FORMAT")}


def word_count(text: str) -> int:
    return len(text.split())


def _page_url(section) -> str:
    if section.kind == PlanSection.Kind.CANVAS:
        return reverse("plans:canvas", args=[section.plan_id]) + f"#box-{section.key}"
    return reverse("plans:section", args=[section.plan_id, section.key])


def _conflict_url(section) -> str:
    return reverse("plans:conflict", args=[section.plan_id, section.kind, section.key])


def _text_error(form, error: ValidationError) -> None:
    """A refused text is the text field's error (too long); a refused plan the form's."""
    form.add_error("text" if error.code == "max_length" else None, error)


def _canvas_start(plan, template_section) -> str:
    """The answers of the canvas boxes the template names for this section, each under its
    box title in the plan's language: a start the person edits before saving."""
    codes = [code for code in template_section.canvas_boxes if code in canvas.TITLES]
    if not codes:
        return ""
    texts = dict(
        plan.sections.filter(kind=PlanSection.Kind.CANVAS, key__in=codes).values_list("key", "text")
    )
    with translation.override(plan.language):
        parts = [
            f"{canvas.TITLES[code]}\n{texts[code].strip()}"
            for code in codes
            if texts.get(code, "").strip()
        ]
    return "\n\n".join(parts)


def _lessons(template_section, site) -> list:
    """The lessons that help, each in the reader's language where a translation exists; only
    the site's own pages (the admin allows no other, and an old link is not followed)."""
    if template_section is None:
        return []
    trees = selectors.site_tree_paths([site])
    shown = [lesson.localized for lesson in template_section.lessons.all()]
    return [lesson for lesson in shown if lesson.live and selectors.in_trees(lesson, trees)]


def _autosaved(form, *, url: str, status_id: str):
    """Marks the text box for ``autosave.js``: where to post, which hidden input holds the
    revision it was written on, and which live region speaks the result."""
    form.fields["text"].widget.attrs.update(
        {
            "data-autosave-url": url,
            "data-revision-input": form["revision"].auto_id,
            "data-status": status_id,
        }
    )
    return form


# --- A section -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def section(request, pk, key):
    site = _site(request)
    at_least = Access.EDIT if request.method == "POST" else Access.READ
    plan, access = selectors.plan_or_404(request.user, pk, site=site, at_least=at_least)
    current = selectors.section_or_404(plan, key)
    template_section = current.template_section
    initial = {"text": current.text, "done": current.done, "revision": current.revision}
    status = 200
    from_canvas = False
    if request.method == "POST" and request.POST.get("action") == "canvas":
        # Fills the box with the canvas answers; nothing is saved until the person saves.
        start = _canvas_start(plan, template_section) if template_section else ""
        if start and not current.text.strip():
            initial["text"] = start
            from_canvas = True
        form = SectionForm(initial=initial)
    elif request.method == "POST":
        form = SectionForm(request.POST)
        if form.is_valid():
            try:
                result = section_save(
                    section=current,
                    text=form.cleaned_data["text"],
                    base_revision=form.cleaned_data["revision"],
                    done=form.cleaned_data["done"],
                    by=request.user,
                )
            except ValidationError as error:
                _text_error(form, error)
            else:
                if not result.saved:
                    messages.warning(
                        request,
                        _(
                            "This section was saved meanwhile from another tab or device. "
                            "Your text is kept: compare the two and choose."
                        ),
                    )
                    return redirect(_conflict_url(current))
                messages.success(request, saved_at(result.section.updated_at))
                return redirect(_page_url(current))
        status = 400
    else:
        form = SectionForm(initial=initial)
    siblings = list(
        plan.sections.filter(kind=PlanSection.Kind.SECTION)
        .order_by("position", "pk")
        .only("plan", "key", "title", "position")
    )
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == current.pk)
    context = plan_context(plan, access)
    text = form["text"].value() or ""
    autosave_url = reverse(
        "plans:section_autosave", args=[plan.pk, PlanSection.Kind.SECTION, current.key]
    )
    _autosaved(form, url=autosave_url, status_id="autosave-status")
    context.update(
        section=current,
        template_section=template_section,
        form=form,
        from_canvas=from_canvas,
        words=word_count(text),
        lessons=_lessons(template_section, site),
        canvas_titles=template_section.canvas_box_titles if template_section else [],
        offer_canvas=bool(
            context["editable"]
            and template_section
            and not current.text.strip()
            and not from_canvas
            and _canvas_start(plan, template_section)
        ),
        previous=siblings[index - 1] if index > 0 else None,
        next=siblings[index + 1] if index + 1 < len(siblings) else None,
        position=index + 1,
        count=len(siblings),
        open_conflicts=current.conflicts.filter(resolved_at__isnull=True).count()
        if context["can_edit"]
        else 0,
        conflict_url=_conflict_url(current),
    )
    return render(request, "plans/section.html", context, status=status)


# --- The lean canvas ---------------------------------------------------------------------


def _box_form(box, data=None):
    code = box.key
    return CanvasBoxForm(
        data,
        prefix=code,
        title=canvas.TITLES.get(code, code),
        hint=canvas.HINTS.get(code, ""),
        initial={"text": box.text, "revision": box.revision},
    )


@login_required
@require_http_methods(["GET", "POST"])
def canvas_page(request, pk):
    site = _site(request)
    at_least = Access.EDIT if request.method == "POST" else Access.READ
    plan, access = selectors.plan_or_404(request.user, pk, site=site, at_least=at_least)
    boxes = {box.key: box for box in selectors.sections_of(plan, kind=PlanSection.Kind.CANVAS)}
    ordered = [boxes[code] for code in canvas.CODES if code in boxes]
    rows = []
    status = 200
    if request.method == "POST":
        saved, conflicts, refused = 0, [], []
        for box in ordered:
            form = _box_form(box, request.POST)
            conflict = bool(box.open_conflicts)
            if form.is_valid():
                try:
                    result = section_save(
                        section=box,
                        text=form.cleaned_data["text"],
                        base_revision=form.cleaned_data["revision"],
                        done=None,
                        by=request.user,
                    )
                except ValidationError as error:
                    _text_error(form, error)
                    refused.append(box)
                else:
                    if result.saved:
                        saved += 1
                        # Shown afresh, on the new revision, so the next save does not conflict.
                        form = _box_form(result.section)
                        box = result.section
                    else:
                        conflict = True
                        conflicts.append(box)
            else:
                refused.append(box)
            rows.append((box, form, conflict))
        if not conflicts and not refused:
            messages.success(request, saved_at(timezone.now()))
            return redirect("plans:canvas", plan.pk)
        status = 400 if refused else 200
    else:
        rows = [(box, _box_form(box), bool(box.open_conflicts)) for box in ordered]
        conflicts, refused = [box for box, _form, conflict in rows if conflict], []
    context = plan_context(plan, access)
    context.update(
        rows=[
            {
                "box": box,
                "form": _autosaved(
                    form,
                    url=reverse(
                        "plans:section_autosave", args=[plan.pk, PlanSection.Kind.CANVAS, box.key]
                    ),
                    status_id=f"{box.key}-status",
                ),
                "conflict": conflict and context["can_edit"],
                "conflict_url": _conflict_url(box),
            }
            for box, form, conflict in rows
        ],
        posted=request.method == "POST",
        conflicts=conflicts if context["can_edit"] else [],
        refused=refused,
    )
    return render(request, "plans/canvas.html", context, status=status)


# --- Conflicts -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def conflict(request, pk, kind, key):
    """The kept text beside the newer saved one, oldest conflict first: keep yours, keep the
    newer, or put the two together. Nothing is deleted: a text let go stays on record."""
    if kind not in KINDS:
        raise Http404
    plan, access = selectors.plan_or_404(
        request.user, pk, site=_site(request), at_least=Access.EDIT
    )
    current = selectors.section_or_404(plan, key, kind)
    open_conflicts = list(
        current.conflicts.filter(resolved_at__isnull=True).order_by("created_at", "pk")
    )
    status = 200
    form = None
    if request.method == "POST":
        chosen = next(
            (c for c in open_conflicts if str(c.pk) == request.POST.get("conflict", "")), None
        )
        if chosen is None:
            messages.info(request, _("This conflict was already settled."))
            return redirect(_conflict_url(current) if open_conflicts else _page_url(current))
        form = ConflictForm(request.POST)
        if form.is_valid():
            keep = form.cleaned_data["keep"]
            try:
                conflict_resolve(
                    conflict=chosen,
                    by=request.user,
                    keep=keep,
                    text=form.cleaned_data["merged"] if keep == KEEP_MERGED else None,
                )
            except ValidationError as error:
                form.add_error("merged" if error.code == "max_length" else None, error)
            else:
                messages.success(request, _("Done: the text you chose is the section's text."))
                if len(open_conflicts) > 1:
                    return redirect(_conflict_url(current))
                return redirect(_page_url(current))
        status = 400
        first = chosen
    elif not open_conflicts:
        messages.info(request, _("There is nothing to compare: no text is waiting."))
        return redirect(_page_url(current))
    else:
        first = open_conflicts[0]
    if form is None:
        form = ConflictForm(initial={"merged": first.text})
    context = plan_context(plan, access)
    context.update(
        section=current,
        title=canvas.TITLES.get(current.key, current.key)
        if kind == PlanSection.Kind.CANVAS
        else str(current),
        kept=first,
        waiting=len(open_conflicts),
        form=form,
        back_url=_page_url(current),
    )
    return render(request, "plans/conflict.html", context, status=status)


# --- Autosave --------------------------------------------------------------------------------


@require_POST
def section_autosave(request, pk, kind, key):
    """What ``autosave.js`` posts as one types: ``text`` and the ``revision`` it was written
    on. JSON: ``saved`` (new revision, "Saved at …"), ``conflict`` (both texts, the page to
    compare them on) or ``error`` (a message to show), never a silent overwrite."""
    if not request.user.is_authenticated:
        return JsonResponse(
            {
                "status": "error",
                "message": _("You are signed out. Sign in again: your text is still here."),
            },
            status=403,
        )
    if kind not in KINDS:
        raise Http404
    plan, _access = selectors.plan_or_404(
        request.user, pk, site=_site(request), at_least=Access.EDIT
    )
    current = selectors.section_or_404(plan, key, kind)
    form = SectionForm(request.POST, with_done="done" in request.POST)
    if not form.is_valid():
        return JsonResponse(
            {"status": "error", "message": " ".join(m for ms in form.errors.values() for m in ms)},
            status=400,
        )
    try:
        result = section_save(
            section=current,
            text=form.cleaned_data["text"],
            base_revision=form.cleaned_data["revision"],
            done=form.cleaned_data.get("done"),
            by=request.user,
        )
    except ValidationError as error:
        return JsonResponse({"status": "error", "message": " ".join(error.messages)}, status=400)
    section_now = result.section
    if not result.saved:
        return JsonResponse(
            {
                "status": "conflict",
                "message": _("Another device saved newer text: compare"),
                "revision": section_now.revision,
                "mine": result.conflict.text,
                "theirs": section_now.text,
                "compare_url": _conflict_url(section_now),
            },
            status=409,
        )
    return JsonResponse(
        {
            "status": "saved",
            "revision": section_now.revision,
            "message": saved_at(section_now.updated_at),
        }
    )


urlpatterns = [
    path("<int:pk>/sections/<slug:key>/", section, name="section"),
    path("<int:pk>/canvas/", canvas_page, name="canvas"),
    path("<int:pk>/<slug:kind>/<slug:key>/conflict/", conflict, name="conflict"),
    path("<int:pk>/<slug:kind>/<slug:key>/autosave/", section_autosave, name="section_autosave"),
]
