"""The thread of messages of a match, on the public site: only its mentor and its participant
see it or write in it (``mentors.selectors.match_for_person_or_404``); anyone else gets 404.
The rules, the one-time form key and the e-mail are ``mentors.services.messages``."""

import uuid

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mentors import selectors
from mentors.forms.messages import MessageForm
from mentors.services.messages import message_send, messages_mark_read


@login_required
@require_http_methods(["GET", "POST"])
def thread(request, pk):
    """The messages, newest at the bottom, and a plain form to write. Opening the thread marks
    the other side's messages read. A refused message comes back in the form, as typed."""
    match = selectors.match_for_person_or_404(request.user, pk)
    status = 200
    if request.method == "POST":
        form = MessageForm(request.POST)
        if form.is_valid():
            try:
                _message, created = message_send(
                    match=match,
                    by=request.user,
                    body=form.cleaned_data["body"],
                    form_key=form.cleaned_data["form_key"],
                )
            except ValidationError as error:
                form.add_error("body", error)
            else:
                if not created:
                    flash.info(request, _("Your message was already sent."))
                return redirect(reverse("mentors:messages", args=[match.pk]) + "#latest")
        if "form_key" in form.errors:
            # A form without a valid key (an old page): keep the text, give it a new key.
            data = request.POST.copy()
            data["form_key"] = str(uuid.uuid4())
            form = MessageForm(data)
            form.is_valid()
        status = 400
    else:
        form = MessageForm()
    messages_mark_read(match=match, reader=request.user)
    is_mentor = match.mentor.user_id == request.user.pk
    return render(
        request,
        "mentors/messages/thread.html",
        {
            "match": match,
            "is_mentor": is_mentor,
            "other": match.participant.greeting_name if is_mentor else str(match.mentor),
            "thread": list(selectors.thread_of(match)),
            "form": form,
        },
        status=status,
    )


urlpatterns = [
    path("matches/<int:pk>/messages/", thread, name="messages"),
]
