from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal_site.accounts import services
from portal_site.accounts.forms import DeleteRequestForm, ProfileForm
from portal_site.accounts.selectors import user_has_mfa


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    user = request.user
    form = ProfileForm(
        request.POST or None,
        instance=user,
        initial={"preferred_language": user.preferred_language or translation.get_language()},
    )
    if request.method == "POST" and form.is_valid():
        language = form.cleaned_data["preferred_language"]
        services.user_update_profile(
            user=user,
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
            language=language,
        )
        translation.activate(language)
        messages.success(request, _("Your profile has been saved."))
        response = redirect("account_profile")
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
        return response
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "has_mfa": user_has_mfa(user), "delete_form": DeleteRequestForm()},
    )


@login_required
@require_http_methods(["POST"])
def delete_request(request):
    form = DeleteRequestForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "accounts/profile.html",
            {
                "form": ProfileForm(instance=request.user),
                "has_mfa": user_has_mfa(request.user),
                "delete_form": form,
            },
            status=400,
        )
    services.user_request_deletion(user=request.user)
    messages.success(
        request,
        _(
            "We have received your request. The programme staff will delete your data "
            "and write to you when it is done."
        ),
    )
    return redirect("account_profile")
