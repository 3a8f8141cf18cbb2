"""The roles the library needs and what each may do, as data.

``wagtail_hooks`` registers ``roles`` through the ``register_avvio_roles`` hook; the host site
turns every app's declarations into Django groups (see ``coaching.roles`` for the format).
Page permissions and the moderation workflow are the host's: they belong to each municipality's
pages, not to the library.
"""

EDITOR = "Editor"

#: Editors keep the library's topic taxonomy and the search synonyms (snippets).
EDITOR_PERMISSIONS = (
    "resources.add_topic",
    "resources.change_topic",
    "resources.delete_topic",
    "resources.add_searchsynonym",
    "resources.change_searchsynonym",
    "resources.delete_searchsynonym",
)


def roles() -> dict[str, dict]:
    return {EDITOR: {"permissions": EDITOR_PERMISSIONS}}
