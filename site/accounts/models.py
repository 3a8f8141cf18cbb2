"""People who sign in: identified by e-mail, never by a username."""

from django.contrib.auth.models import AbstractUser, BaseUserManager, Group
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal_site.accounts.roles import Role


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """An account. Participants, mentors and staff are all users; roles are groups."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=10,
        blank=True,
        help_text=_("The language of the e-mails we send you."),
    )
    deletion_requested_at = models.DateTimeField(
        _("account deletion requested at"), null=True, blank=True
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class SiteRoleGroup(models.Model):
    """The group through which one role holds its page permissions on one municipality's pages.

    Wagtail grants page permissions to groups, not people, and a role's own group (say
    "Coordinator") is shared by every municipality: page permissions given to it would let a
    coordinator of one municipality publish or unpublish another's pages. So each site and role
    has a group of its own, holding page permissions on that site's home page and its
    translations only; its members are the role's members assigned to the site. Kept in step by
    ``services.site_roles_sync`` and ``services.user_site_groups_sync``; nobody edits it by hand.
    """

    site = models.ForeignKey(
        "wagtailcore.Site", verbose_name=_("site"), on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField(_("role"), max_length=40, choices=Role.choices)
    group = models.OneToOneField(
        Group, verbose_name=_("group"), on_delete=models.CASCADE, related_name="site_role"
    )
    approval_task = models.OneToOneField(
        "wagtailcore.GroupApprovalTask",
        verbose_name=_("approval task"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("site role group")
        verbose_name_plural = _("site role groups")
        constraints = [
            models.UniqueConstraint(fields=["site", "role"], name="accounts_site_role_unique")
        ]

    def __str__(self) -> str:
        return self.group.name
