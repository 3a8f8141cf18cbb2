"""The shared StreamField block library: the host site and the learning library use the same blocks.

Every block sets an icon, a template, a preview (value and template) and a description written
for editors. Blocks that would cost a participant bandwidth (video, audio) load nothing heavy
until the person asks for it.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from resources.quiz import (
    Reveal,
    clean_attempt,
    is_multiple_choice,
    option_order,
    shows_explanations,
    shows_right_answers,
)

PREVIEW_TEMPLATE = "resources/blocks/preview.html"
INLINE_FEATURES = ["bold", "italic", "link"]


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
        preview_template = PREVIEW_TEMPLATE
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
                    "alt_text": ValidationError(
                        _("Write an alternative text, or mark the image as decorative.")
                    )
                }
            )
        return value

    def get_preview_value(self):
        # A preview needs a real image: use the most recent one in the library, if any.
        from wagtail.images import get_image_model

        image = get_image_model().objects.order_by("-pk").first()
        return self.normalize(
            {"image": image, "alt_text": "Una persona al lavoro nel suo laboratorio"}
        )

    class Meta:
        icon = "image"
        template = "resources/blocks/image.html"
        preview_template = PREVIEW_TEMPLATE
        label = _("Image")
        description = _("An image with its alternative text and an optional caption.")


class CalloutBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=120)
    text = blocks.RichTextBlock(label=_("Text"), features=["bold", "italic", "link", "ul"])
    tone = blocks.ChoiceBlock(
        label=_("Tone"),
        choices=[("info", _("Information")), ("success", _("Tip")), ("warning", _("Warning"))],
        default="info",
        help_text=_("The tone is also written in words, so it does not rely on colour alone."),
    )

    class Meta:
        icon = "help"
        template = "resources/blocks/callout.html"
        preview_template = PREVIEW_TEMPLATE
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
                block_errors={"page": ValidationError(_("Choose a page or enter a link."))}
            )
        return value

    class Meta:
        icon = "link"
        template = "resources/blocks/call_to_action.html"
        preview_template = PREVIEW_TEMPLATE
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
        preview_template = PREVIEW_TEMPLATE
        label = _("Steps")
        description = _("A numbered sequence of steps, for a procedure or a path.")
        preview_value = {
            "steps": [
                {"title": "Iscriviti", "text": "Crea il tuo account."},
                {"title": "Incontra un mentore", "text": "Scegli un orario."},
            ]
        }


class VideoBlock(blocks.StructBlock):
    """A video that loads only when the person asks for it (no player on page view)."""

    title = blocks.CharBlock(label=_("Title"), max_length=120)
    video = EmbedBlock(
        label=_("Video address"),
        help_text=_("The address of the video on YouTube or Vimeo."),
    )
    duration_minutes = blocks.IntegerBlock(
        label=_("Length in minutes"),
        required=False,
        min_value=1,
        help_text=_("Shown next to the link so people know how much data it uses."),
    )
    transcript = blocks.RichTextBlock(
        label=_("Transcript"),
        features=["bold", "italic", "link", "ol", "ul"],
        help_text=_(
            "Everything said and shown in the video, in writing. Required: many people "
            "cannot listen, or have little data."
        ),
    )

    class Meta:
        icon = "media"
        template = "resources/blocks/video.html"
        preview_template = PREVIEW_TEMPLATE
        label = _("Video")
        description = _("A video with its transcript. The video loads only when asked for.")
        preview_value = {
            "title": "Che cos'è la partita IVA",
            "video": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "duration_minutes": 4,
            "transcript": "<p>In questo video spieghiamo cos'è la partita IVA.</p>",
        }


class AudioBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=120)
    audio = DocumentChooserBlock(
        label=_("Audio file"),
        help_text=_("Upload an MP3 file in Documents, then choose it here."),
    )
    transcript = blocks.RichTextBlock(
        label=_("Transcript"),
        features=["bold", "italic", "link", "ol", "ul"],
        help_text=_("Everything said in the recording, in writing."),
    )

    def get_preview_value(self):
        from wagtail.documents import get_document_model

        document = get_document_model().objects.order_by("-pk").first()
        return self.normalize(
            {
                "title": "Intervista a una sarta",
                "audio": document,
                "transcript": "<p>Ho aperto la mia sartoria nel 2021.</p>",
            }
        )

    class Meta:
        icon = "media"
        template = "resources/blocks/audio.html"
        preview_template = PREVIEW_TEMPLATE
        label = _("Audio")
        description = _("A recording people can play, with its transcript.")


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(
        label=_("Link text"),
        required=False,
        max_length=120,
        help_text=_("Leave empty to use the document's title."),
    )
    description = blocks.CharBlock(
        label=_("What it is for"),
        required=False,
        max_length=250,
        help_text=_("One sentence: what people will find in the document."),
    )

    def get_preview_value(self):
        from wagtail.documents import get_document_model

        document = get_document_model().objects.order_by("-pk").first()
        return self.normalize(
            {"document": document, "title": "", "description": "Il modulo da compilare."}
        )

    class Meta:
        icon = "doc-full"
        template = "resources/blocks/document.html"
        preview_template = PREVIEW_TEMPLATE
        label = _("Downloadable document")
        description = _("A file to download. Its type and size are shown automatically.")


class ChecklistBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=120)
    items = blocks.ListBlock(
        blocks.CharBlock(label=_("Item"), max_length=250),
        label=_("Items"),
        help_text=_("One thing to have or to do on each line."),
    )

    class Meta:
        icon = "tasks"
        template = "resources/blocks/checklist.html"
        preview_template = PREVIEW_TEMPLATE
        label = _("Checklist")
        description = _("A list of things to prepare or check, e.g. documents to bring.")
        preview_value = {
            "title": "Cosa portare",
            "items": ["Documento d'identità", "Codice fiscale", "Permesso di soggiorno"],
        }


class GlossaryTermBlock(blocks.StructBlock):
    term = blocks.CharBlock(label=_("Term"), max_length=120)
    definition = blocks.TextBlock(
        label=_("Plain-language definition"),
        help_text=_("Explain the word in one or two short sentences, without other jargon."),
    )

    class Meta:
        icon = "openquote"
        template = "resources/blocks/glossary_term.html"
        preview_template = PREVIEW_TEMPLATE
        label = _("Glossary term")
        description = _("A difficult word with its meaning in plain language.")
        preview_value = {
            "term": "Partita IVA",
            "definition": "Un numero che ti identifica quando lavori in proprio.",
        }


class TestimonialBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("What they said"))
    name = blocks.CharBlock(label=_("Name"), max_length=120)
    role = blocks.CharBlock(
        label=_("Who they are"),
        required=False,
        max_length=120,
        help_text=_("E.g. 'tailor, Naples'. Ask the person's consent before publishing."),
    )

    class Meta:
        icon = "user"
        template = "resources/blocks/testimonial.html"
        preview_template = PREVIEW_TEMPLATE
        label = _("Testimonial")
        description = _("A short story in someone's own words.")
        preview_value = {
            "quote": "Il percorso mi ha aiutato a capire i conti prima di aprire.",
            "name": "Amina",
            "role": "sarta, Napoli",
        }


class QuizOptionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Answer"), max_length=250)
    correct = blocks.BooleanBlock(label=_("This answer is correct"), required=False)
    feedback = blocks.CharBlock(
        label=_("Feedback"),
        required=False,
        max_length=400,
        help_text=_(
            "Shown after checking when this answer was chosen, if the quiz shows feedback: say why."
        ),
    )

    class Meta:
        icon = "radio-empty"
        label = _("Answer")


class QuizQuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Question"), max_length=400)
    options = blocks.ListBlock(
        QuizOptionBlock(),
        label=_("Answers"),
        min_num=2,
        help_text=_("At least two answers; tick every correct one."),
    )

    def clean(self, value):
        value = super().clean(value)
        if not any(option["correct"] for option in value["options"]):
            raise blocks.StructBlockValidationError(
                block_errors={"options": ValidationError(_("Tick at least one correct answer."))}
            )
        return value

    class Meta:
        icon = "help"
        label = _("Question")


def _option_verdict(result, *, explain: bool, show_right: bool) -> tuple[str, str]:
    """What a checked quiz says under one option: ``("right" | "wrong" | "missed" | "",
    feedback)``. "missed" is a right answer the person did not choose."""
    if result is None:
        return "", ""
    if result.chosen and explain:
        return ("right" if result.correct else "wrong"), result.feedback
    if result.correct and not result.chosen and show_right:
        return "missed", result.feedback
    return "", ""


class QuizBlock(blocks.StructBlock):
    """A self-check quiz. Answers are checked and scored on the server, never in the browser.

    The form posts to the library's quiz view, which needs the page and the block's id: pages
    that render their body with ``resources/includes/body.html`` pass both.
    """

    title = blocks.CharBlock(label=_("Title"), max_length=120, default=_("Check what you know"))
    questions = blocks.ListBlock(QuizQuestionBlock(), label=_("Questions"), min_num=1)
    pass_mark = blocks.IntegerBlock(
        label=_("Pass mark (%)"),
        min_value=1,
        max_value=100,
        default=70,
        help_text=_("The share of questions to answer right to pass, e.g. 70."),
    )
    reveal = blocks.ChoiceBlock(
        label=_("Show the feedback and the right answers"),
        choices=Reveal.choices,
        default=Reveal.AFTER_ANSWERING,
        help_text=_(
            "After every check, people read the feedback on the answers they chose. The right "
            "answers they missed are shown only once they pass, so a wrong try does not give "
            "them away."
        ),
    )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        parent_context = parent_context or {}
        block_id = context.get("block_id")
        own = block_id and parent_context.get("quiz_block_id") == block_id
        outcome = parent_context.get("outcome") if own else None
        submitted = parent_context.get("submitted", {}) if own else {}
        errors = parent_context.get("quiz_errors", {}) if own else {}
        # One attempt keeps its option order through errors and the check; a new page view
        # is a new attempt with a new order.
        attempt = clean_attempt(parent_context.get("quiz_attempt") if own else None)
        reveal = value.get("reveal") or Reveal.AFTER_ANSWERING
        explain = bool(outcome) and shows_explanations(reveal, outcome)
        show_right = bool(outcome) and shows_right_answers(reveal, outcome)
        context["saved_result"] = parent_context.get("quiz_results", {}).get(block_id)
        context["outcome"] = outcome
        context["attempt"] = attempt
        context["next_step"] = parent_context.get("quiz_next_step") if own else None
        questions = []
        for q_index, question in enumerate(value["questions"]):
            result = outcome.questions[q_index] if outcome else None
            options = []
            for o_index in option_order(
                len(question["options"]), attempt=attempt, question_index=q_index
            ):
                option = question["options"][o_index]
                verdict, feedback = _option_verdict(
                    result.options[o_index] if result else None,
                    explain=explain,
                    show_right=show_right,
                )
                options.append(
                    {
                        "index": o_index,
                        "text": option["text"],
                        "checked": str(o_index) in submitted.get(q_index, []),
                        "verdict": verdict,
                        "feedback": feedback,
                    }
                )
            questions.append(
                {
                    "index": q_index,
                    "question": question["question"],
                    "multiple": is_multiple_choice(question),
                    "error": errors.get(q_index),
                    "options": options,
                    "result": result,
                }
            )
        context["questions"] = questions
        return context

    class Meta:
        icon = "tasks"
        template = "resources/blocks/quiz.html"
        preview_template = PREVIEW_TEMPLATE
        label = _("Self-check quiz")
        description = _(
            "Questions with answers to choose, shown in a new order at every try. People see "
            "whether they passed and, as you choose, the feedback and the right answers."
        )
        preview_value = {
            "title": "Verifica",
            "pass_mark": 50,
            "reveal": "answered",
            "questions": [
                {
                    "question": "Chi rilascia la partita IVA?",
                    "options": [
                        {
                            "text": "L'Agenzia delle Entrate",
                            "correct": True,
                            "feedback": "Giusto: si chiede all'Agenzia delle Entrate.",
                        },
                        {
                            "text": "Il Comune",
                            "correct": False,
                            "feedback": "No: il Comune riceve la SCIA.",
                        },
                    ],
                }
            ],
        }


class SharedStreamBlock(blocks.StreamBlock):
    """The body of the host site's pages and of the library's pages: the same blocks everywhere."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Text"),
        icon="pilcrow",
        template="resources/blocks/paragraph.html",
        preview_template=PREVIEW_TEMPLATE,
        features=["h3", "bold", "italic", "link", "ol", "ul", "document-link"],
        description=_("Paragraphs of text with links and lists."),
        help_text=_("Keep paragraphs short: two or three sentences each."),
        preview_value="<p>Il percorso è gratuito e dura sei mesi.</p>",
    )
    image = ImageBlock()
    callout = CalloutBlock()
    steps = StepsBlock()
    call_to_action = CallToActionBlock()
    video = VideoBlock()
    audio = AudioBlock()
    document = DocumentBlock()
    checklist = ChecklistBlock()
    glossary_term = GlossaryTermBlock()
    testimonial = TestimonialBlock()
    quiz = QuizBlock()

    class Meta:
        block_counts = {}
