"""Views of the learning library: thin wrappers around selectors and services."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from wagtail.models import Page

from resources import selectors, services
from resources.models import LessonPage
from resources.pdf import certificate_pdf
from resources.quiz import QuizAnswerError, clean_attempt
from resources.selectors.progress import quiz_next_step


def _live_page(page_id: int) -> Page:
    return get_object_or_404(selectors.visible(Page.objects), pk=page_id).specific


def _live_lesson(page_id: int) -> LessonPage:
    return get_object_or_404(selectors.visible(LessonPage.objects), pk=page_id)


def _next_url(request, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def _mark_lesson(request, page_id: int, service):
    """Mark a lesson done or not done. POST only: opening the address (GET) gets a page that
    says what to do, translated and with a link back to the lesson, not a blank 405."""
    lesson = _live_lesson(page_id)
    if request.method != "POST":
        html = render_to_string("resources/post_only.html", {"lesson": lesson}, request=request)
        return HttpResponseNotAllowed(["POST"], content=html)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    service(user=request.user, lesson=lesson)
    return redirect(_next_url(request, lesson.get_url(request)))


def lesson_done(request, page_id: int):
    return _mark_lesson(request, page_id, services.lesson_mark_done)


def lesson_undone(request, page_id: int):
    return _mark_lesson(request, page_id, services.lesson_mark_undone)


@require_GET
def lesson_print(request, page_id: int):
    lesson = _live_lesson(page_id)
    return TemplateResponse(request, "resources/lesson_print.html", {"page": lesson})


@require_GET
def video(request, page_id: int, block_id: str):
    page = _live_page(page_id)
    block = selectors.find_block(page, block_id, "video")
    if block is None:
        raise Http404
    embed_html = ""
    try:
        from wagtail.embeds import embeds

        embed_html = embeds.get_embed(block.value["video"].url).html
    except Exception:
        embed_html = ""
    return TemplateResponse(
        request,
        "resources/video.html",
        {"page": page, "value": block.value, "embed_html": embed_html, "back_url": page.url},
    )


@require_http_methods(["GET", "POST"])
def quiz(request, page_id: int, block_id: str):
    """Check a self-check quiz. The server scores; the browser only sends the chosen options."""
    page = _live_page(page_id)
    block = selectors.find_block(page, block_id, "quiz")
    if block is None:
        raise Http404
    context = {
        "page": page,
        "quiz_block": block,
        "quiz_block_id": block_id,
        "quiz_attempt": clean_attempt(request.POST.get("attempt")),
    }
    status = 200
    if request.method == "POST":
        try:
            outcome = services.quiz_submit(
                user=request.user, page=page, block_id=block_id, quiz=block.value, data=request.POST
            )
            context["outcome"] = outcome
            if outcome.passed:
                context["quiz_next_step"] = quiz_next_step(user=request.user, page=page)
        except QuizAnswerError as error:
            context["quiz_errors"] = error.errors
            status = 400
        context["submitted"] = {
            index: request.POST.getlist(f"q{index}")
            for index in range(len(block.value["questions"]))
        }
    return TemplateResponse(request, "resources/quiz.html", context, status=status)


@require_GET
@login_required
def my_progress(request):
    return TemplateResponse(
        request,
        "resources/my_progress.html",
        {
            "courses": selectors.course_progress_for_user(request.user),
            "certificates": selectors.courses_completed(request.user),
        },
    )


@require_GET
@login_required
def certificate_pdf_view(request, certificate_id):
    certificate = selectors.certificate_for_owner(user=request.user, certificate_id=certificate_id)
    if certificate is None:
        raise Http404
    verification_url = request.build_absolute_uri(
        reverse("resources:certificate_verify", kwargs={"certificate_id": certificate.pk})
    )
    pdf = certificate_pdf(certificate=certificate, verification_url=verification_url)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_("certificate")}.pdf"'
    return response


@require_GET
def certificate_verify(request, certificate_id):
    certificate = selectors.certificate_for_verification(certificate_id=certificate_id)
    if certificate is None:
        raise Http404
    response = TemplateResponse(
        request, "resources/certificate_verify.html", {"certificate": certificate}
    )
    response["X-Robots-Tag"] = "noindex"
    return response
