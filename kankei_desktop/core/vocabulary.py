"""The closed vocabularies of the domain: codes stored in the file and their labels.

Codes are English identifiers (stable in files and bundles); labels are translatable
source strings, Japanese in the ``ja`` catalog.
"""

from __future__ import annotations

from enum import StrEnum

from kankei_desktop.core.i18n import N_, _


class OrganizationKind(StrEnum):
    """団体の種別."""

    MUNICIPALITY = "municipality"
    PREFECTURE = "prefecture"
    COMPANY = "company"
    INTERMEDIARY = "intermediary"
    NPO = "npo"
    SCHOOL = "school"
    OTHER = "other"


class PersonCategory(StrEnum):
    """区分 of a participant."""

    COMPANY_STAFF = "company_staff"
    MUNICIPAL_STAFF = "municipal_staff"
    RESIDENT = "resident"
    STUDENT = "student"
    OTHER = "other"


class MeetingKind(StrEnum):
    """種別 of a session."""

    SESSION = "session"
    SEMINAR = "seminar"
    FIELDWORK = "fieldwork"
    EXCHANGE = "exchange"
    OTHER = "other"


class MeetingFormat(StrEnum):
    """形式: online and hybrid sessions count as online in the figures."""

    ONLINE = "online"
    ONSITE = "onsite"
    HYBRID = "hybrid"


class MeetingStatus(StrEnum):
    """状態 of a session."""

    PLANNED = "planned"
    HELD = "held"
    CANCELLED = "cancelled"


class AttendanceStatus(StrEnum):
    """出欠."""

    ATTENDED = "attended"
    ABSENT = "absent"
    EXCUSED = "excused"


class ClubStage(StrEnum):
    """The seven stages of the co-creation process, in order."""

    VISUALISE = "visualise"
    THEME = "theme"
    MATCHING = "matching"
    PLANNING = "planning"
    PILOT = "pilot"
    EVALUATION = "evaluation"
    INSTITUTIONALISE = "institutionalise"


class MembershipRole(StrEnum):
    """Role of a member in a club."""

    MEMBER = "member"
    LEADER = "leader"
    COORDINATOR = "coordinator"
    MUNICIPAL_CONTACT = "municipal_contact"
    ADVISOR = "advisor"


class InteractionChannel(StrEnum):
    """How a follow-up happened."""

    LINE = "line"
    SLACK = "slack"
    MAIL = "mail"
    ONLINE_MEETING = "online_meeting"
    VISIT = "visit"
    OTHER = "other"


class QuestionKind(StrEnum):
    """The kind of a survey question (issue 19)."""

    SCALE = "scale"
    SINGLE = "single"
    MULTIPLE = "multiple"
    TEXT = "text"


class ResponseSource(StrEnum):
    """Where a survey response came from (issue 19)."""

    PAPER = "paper"
    GOOGLE = "google"
    MICROSOFT = "microsoft"
    FORM = "form"
class MatchingKind(StrEnum):
    """種類 of a matching (issue 17)."""

    SIDE_JOB = "side_job"
    INTERNSHIP = "internship"
    COLLABORATION = "collaboration"
    AGREEMENT = "agreement"
    RELOCATION = "relocation"
    OTHER = "other"


class MatchingStatus(StrEnum):
    """状態 of a matching: 提案中 → 成立 → 継続中 → 終了, or 不成立."""

    PROPOSED = "proposed"
    MADE = "made"
    ONGOING = "ongoing"
    ENDED = "ended"
    DECLINED = "declined"


class KpiMeasure(StrEnum):
    """What a KPI measures (issue 17); the parameter names a session or matching kind."""

    MEETINGS_HELD = "meetings_held"
    PERSON_TIMES = "person_times"
    UNIQUE_PERSONS = "unique_persons"
    FIRST_TIME_PERSONS = "first_time_persons"
    SESSIONS_OF_KIND = "sessions_of_kind"
    ORGANIZATIONS_ATTENDING = "organizations_attending"
    MATCHINGS_MADE = "matchings_made"
    SURVEY_SCORE = "survey_score"
    MANUAL = "manual"


ONLINE_FORMATS = (MeetingFormat.ONLINE, MeetingFormat.HYBRID)
#: Statuses of a matching that was made (成立): it counts in マッチング成立件数.
MATCHING_MADE_STATUSES = (MatchingStatus.MADE, MatchingStatus.ONGOING, MatchingStatus.ENDED)

_LABELS: dict[tuple[type[StrEnum], str], str] = {
    (OrganizationKind, OrganizationKind.MUNICIPALITY): N_("Municipality"),
    (OrganizationKind, OrganizationKind.PREFECTURE): N_("Prefecture"),
    (OrganizationKind, OrganizationKind.COMPANY): N_("Company"),
    (OrganizationKind, OrganizationKind.INTERMEDIARY): N_("Intermediary organisation"),
    (OrganizationKind, OrganizationKind.NPO): N_("NPO"),
    (OrganizationKind, OrganizationKind.SCHOOL): N_("School"),
    (OrganizationKind, OrganizationKind.OTHER): N_("Other"),
    (PersonCategory, PersonCategory.COMPANY_STAFF): N_("Company staff"),
    (PersonCategory, PersonCategory.MUNICIPAL_STAFF): N_("Municipal staff"),
    (PersonCategory, PersonCategory.RESIDENT): N_("Local resident"),
    (PersonCategory, PersonCategory.STUDENT): N_("Student"),
    (PersonCategory, PersonCategory.OTHER): N_("Other"),
    (MeetingKind, MeetingKind.SESSION): N_("Session"),
    (MeetingKind, MeetingKind.SEMINAR): N_("Seminar / lecture"),
    (MeetingKind, MeetingKind.FIELDWORK): N_("Field visit"),
    (MeetingKind, MeetingKind.EXCHANGE): N_("Social exchange"),
    (MeetingKind, MeetingKind.OTHER): N_("Other"),
    (MeetingFormat, MeetingFormat.ONLINE): N_("Online"),
    (MeetingFormat, MeetingFormat.ONSITE): N_("On site"),
    (MeetingFormat, MeetingFormat.HYBRID): N_("Hybrid"),
    (MeetingStatus, MeetingStatus.PLANNED): N_("Planned"),
    (MeetingStatus, MeetingStatus.HELD): N_("Held"),
    (MeetingStatus, MeetingStatus.CANCELLED): N_("Cancelled"),
    (AttendanceStatus, AttendanceStatus.ATTENDED): N_("Attended"),
    (AttendanceStatus, AttendanceStatus.ABSENT): N_("Absent"),
    (AttendanceStatus, AttendanceStatus.EXCUSED): N_("Absent (notified)"),
    (ClubStage, ClubStage.VISUALISE): N_("Making issues visible"),
    (ClubStage, ClubStage.THEME): N_("Choosing a theme"),
    (ClubStage, ClubStage.MATCHING): N_("Company matching"),
    (ClubStage, ClubStage.PLANNING): N_("Designing measures"),
    (ClubStage, ClubStage.PILOT): N_("Pilot"),
    (ClubStage, ClubStage.EVALUATION): N_("KPI evaluation"),
    (ClubStage, ClubStage.INSTITUTIONALISE): N_("Business / institution"),
    (MembershipRole, MembershipRole.MEMBER): N_("Member"),
    (MembershipRole, MembershipRole.LEADER): N_("Leader"),
    (MembershipRole, MembershipRole.COORDINATOR): N_("Coordinator"),
    (MembershipRole, MembershipRole.MUNICIPAL_CONTACT): N_("Municipal contact"),
    (MembershipRole, MembershipRole.ADVISOR): N_("Advisor"),
    (InteractionChannel, InteractionChannel.LINE): N_("LINE"),
    (InteractionChannel, InteractionChannel.SLACK): N_("Slack"),
    (InteractionChannel, InteractionChannel.MAIL): N_("E-mail"),
    (InteractionChannel, InteractionChannel.ONLINE_MEETING): N_("Online meeting"),
    (InteractionChannel, InteractionChannel.VISIT): N_("Visit"),
    (InteractionChannel, InteractionChannel.OTHER): N_("Other"),
    (QuestionKind, QuestionKind.SCALE): N_("Scale"),
    (QuestionKind, QuestionKind.SINGLE): N_("Single choice"),
    (QuestionKind, QuestionKind.MULTIPLE): N_("Multiple choice"),
    (QuestionKind, QuestionKind.TEXT): N_("Free text"),
    (ResponseSource, ResponseSource.PAPER): N_("Paper"),
    (ResponseSource, ResponseSource.GOOGLE): N_("Google Forms"),
    (ResponseSource, ResponseSource.MICROSOFT): N_("Microsoft Forms"),
    (ResponseSource, ResponseSource.FORM): N_("Online form"),
    (MatchingKind, MatchingKind.SIDE_JOB): N_("Side job / second job"),
    (MatchingKind, MatchingKind.INTERNSHIP): N_("Internship"),
    (MatchingKind, MatchingKind.COLLABORATION): N_("Collaboration / joint business"),
    (MatchingKind, MatchingKind.AGREEMENT): N_("Partnership agreement"),
    (MatchingKind, MatchingKind.RELOCATION): N_("Relocation / two-region living"),
    (MatchingKind, MatchingKind.OTHER): N_("Other"),
    (MatchingStatus, MatchingStatus.PROPOSED): N_("Proposed"),
    (MatchingStatus, MatchingStatus.MADE): N_("Made"),
    (MatchingStatus, MatchingStatus.ONGOING): N_("Ongoing"),
    (MatchingStatus, MatchingStatus.ENDED): N_("Ended"),
    (MatchingStatus, MatchingStatus.DECLINED): N_("Declined"),
    (KpiMeasure, KpiMeasure.MEETINGS_HELD): N_("Sessions held"),
    (KpiMeasure, KpiMeasure.PERSON_TIMES): N_("Participants (person-times)"),
    (KpiMeasure, KpiMeasure.UNIQUE_PERSONS): N_("Participants (unique)"),
    (KpiMeasure, KpiMeasure.FIRST_TIME_PERSONS): N_("New participants"),
    (KpiMeasure, KpiMeasure.SESSIONS_OF_KIND): N_("Sessions held of one kind"),
    (KpiMeasure, KpiMeasure.ORGANIZATIONS_ATTENDING): N_("Organisations attending"),
    (KpiMeasure, KpiMeasure.MATCHINGS_MADE): N_("Matchings made"),
    (KpiMeasure, KpiMeasure.SURVEY_SCORE): N_("Survey score"),
    (KpiMeasure, KpiMeasure.MANUAL): N_("Value entered by hand"),
}


def label(value: StrEnum) -> str:
    """The translated label of a vocabulary value."""
    return _(_LABELS[(type(value), value.value)])


def choices(vocabulary: type[StrEnum]) -> list[tuple[str, str]]:
    """``(code, translated label)`` for every value, in declaration order."""
    return [(member.value, label(member)) for member in vocabulary]


def parse_code(vocabulary: type[StrEnum], text: str) -> StrEnum | None:
    """The member whose code, English label or translated label is ``text``; else None."""
    wanted = text.strip().casefold()
    for member in vocabulary:
        english = _LABELS[(vocabulary, member.value)]
        if wanted in (member.value, english.casefold(), _(english).casefold()):
            return member
    return None


# --- furusato (issue 20) ---------------------------------------------------------------------


class RegistrationTier(StrEnum):
    """ふるさと住民登録: ベーシック (light ties) or プレミアム (担い手)."""

    BASIC = "basic"
    PREMIUM = "premium"


class RegistrationStatus(StrEnum):
    """Where a registration stands: only an active one holds (see core/furusato)."""

    ACTIVE = "active"
    LAPSED = "lapsed"
    WITHDRAWN = "withdrawn"


_LABELS.update({
    (RegistrationTier, RegistrationTier.BASIC): N_("Basic"),
    (RegistrationTier, RegistrationTier.PREMIUM): N_("Premium"),
    (RegistrationStatus, RegistrationStatus.ACTIVE): N_("Registered"),
    (RegistrationStatus, RegistrationStatus.LAPSED): N_("Lapsed (not renewed)"),
    (RegistrationStatus, RegistrationStatus.WITHDRAWN): N_("Withdrawn"),
})
