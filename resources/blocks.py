"""The shared StreamField block library: the host site and the learning library use the same blocks.

Every block sets an icon, a template, a preview value and a description written for editors.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Text"), max_length=120)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("h2", _("Section heading")), ("h3", _("Sub-heading"))],
        default="h2",
        help_text=_("Use section headings for main parts and sub-headings inside them."),
    )

    class Meta:
        icon = "title"
        template = "resources/blocks/heading.html"
        label = _("Heading")
        description = _("A heading that divides the page into sections.")
        preview_value = {"text": "Come funziona il percorso", "level": "h2"}


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        required=False,
        max_length=250,
        help_text=_(
            "Describe what the image shows for people who cannot see it. "
            "Leave empty only if the image is decorative and tick the box below."
        ),
    )
    decorative = blocks.BooleanBlock(
        label=_("Decorative image"),
        required=False,
        help_text=_("Tick only if the image adds nothing to the text (screen readers skip it)."),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)

    def clean(self, value):
        value = super().clean(value)
        if not value.get("alt_text") and not value.get("decorative"):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "alt_text": blocks.BlockValidationError(
                        _("Write an alternative text, or mark the image as decorative.")
                    )
                }
            )
        return value

    class Meta:
        icon = "image"
        template = "resources/blocks/image.html"
        label = _("Image")
        description = _("An image with its alternative text and an optional caption.")


class CalloutBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=120)
    text = blocks.RichTextBlock(label=_("Text"), features=["bold", "italic", "link", "ul"])
    tone = blocks.ChoiceBlock(
        label=_("Tone"),
        choices=[("info", _("Information")), ("success", _("Tip")), ("warning", _("Warning"))],
        default="info",
    )

    class Meta:
        icon = "help"
        template = "resources/blocks/callout.html"
        label = _("Callout")
        description = _("A highlighted box for a tip, a piece of information or a warning.")
        preview_value = {
            "title": "Suggerimento",
            "text": "<p>Porta con te un documento d'identità al primo incontro.</p>",
            "tone": "success",
        }


class CallToActionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Button text"), max_length=60)
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    url = blocks.URLBlock(label=_("Or an external link"), required=False)

    def clean(self, value):
        value = super().clean(value)
        if not value.get("page") and not value.get("url"):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "page": blocks.BlockValidationError(_("Choose a page or enter a link."))
                }
            )
        return value

    class Meta:
        icon = "link"
        template = "resources/blocks/call_to_action.html"
        label = _("Call to action")
        description = _("A button that takes people to the next step.")
        preview_value = {"text": "Iscriviti al percorso", "url": "https://example.org"}


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Step title"), max_length=120)
    text = blocks.TextBlock(label=_("What happens in this step"), required=False)

    class Meta:
        icon = "list-ol"
        label = _("Step")


class StepsBlock(blocks.StructBlock):
    steps = blocks.ListBlock(StepBlock(), label=_("Steps"))

    class Meta:
        icon = "list-ol"
        template = "resources/blocks/steps.html"
        label = _("Steps")
        description = _("A numbered sequence of steps, for a procedure or a path.")
        preview_value = {
            "steps": [
                {"title": "Iscriviti", "text": "Crea il tuo account."},
                {"title": "Incontra un mentore", "text": "Scegli un orario."},
            ]
        }


class SharedStreamBlock(blocks.StreamBlock):
    """The body of the host site's pages: the same blocks everywhere."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Text"),
        icon="pilcrow",
        template="resources/blocks/paragraph.html",
        features=["h3", "bold", "italic", "link", "ol", "ul", "document-link"],
        description=_("Paragraphs of text with links and lists."),
        preview_value="<p>Il percorso è gratuito e dura sei mesi.</p>",
    )
    image = ImageBlock()
    callout = CalloutBlock()
    steps = StepsBlock()
    call_to_action = CallToActionBlock()

    class Meta:
        block_counts = {}
