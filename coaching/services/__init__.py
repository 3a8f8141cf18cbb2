"""Writes. Every rule of the path lives in one function here; views, admin and tasks call them."""

from coaching.services.consent import consent_record, special_data_erase, special_data_save
from coaching.services.data import (
    erasure_request_open,
    participant_data,
    participant_erase,
    participant_erasure_plan,
    participant_export,
    participant_request_erasure,
    participant_withdraw_erasure,
)
from coaching.services.eligibility import entry_answers_correct, participant_decide
from coaching.services.exit import (
    followup_complete,
    followup_opening_message,
    participant_exit,
)
from coaching.services.followup import followup_send_reminder, followups_send_due
from coaching.services.handover import (
    HandoverError,
    handover_claim,
    handover_claim_attempt_allowed,
    handover_code_create,
)
from coaching.services.intake import (
    INTAKE_STEPS,
    intake_save_step,
    participant_enrol_assisted,
    participant_start,
    participant_submit,
)
from coaching.services.path import stage_change

__all__ = [
    "INTAKE_STEPS",
    "HandoverError",
    "consent_record",
    "entry_answers_correct",
    "erasure_request_open",
    "followup_complete",
    "followup_opening_message",
    "followup_send_reminder",
    "followups_send_due",
    "handover_claim",
    "handover_claim_attempt_allowed",
    "handover_code_create",
    "intake_save_step",
    "participant_data",
    "participant_decide",
    "participant_enrol_assisted",
    "participant_erase",
    "participant_erasure_plan",
    "participant_exit",
    "participant_export",
    "participant_request_erasure",
    "participant_start",
    "participant_submit",
    "participant_withdraw_erasure",
    "special_data_erase",
    "special_data_save",
    "stage_change",
]
