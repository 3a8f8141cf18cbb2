"""Background tasks of the accounts (django-tasks).

Account e-mails leave from here, not from the request: the time a sign-up or a password
reset takes to answer must not tell whether the address is registered, and talking to the
mail server is the slowest, most variable part of either.
"""

from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def send_account_email(
    *,
    subject: str,
    body: str,
    from_email: str,
    to: list[str],
    html_body: str = "",
    headers: dict[str, str] | None = None,
) -> None:
    """Send a message already rendered in the request, in the recipient's language.

    Only text crosses to the worker (the arguments are stored as JSON), so the task needs no
    request, template or translation of its own.
    """
    message = EmailMultiAlternatives(subject, body, from_email, to, headers=headers)
    if html_body:
        message.attach_alternative(html_body, "text/html")
    message.send()
