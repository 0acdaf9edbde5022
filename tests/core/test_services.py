"""Services: what a coordinator does with organisations, people, clubs, sessions and attendance."""

from __future__ import annotations

import uuid
from datetime import date, time

import pytest
from sqlalchemy import func, select

from kankei_desktop.core.errors import NotFoundError, ValidationError
from kankei_desktop.core.models import Attendance, Kpi, Membership, Organization
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.clubs import ClubDraft, KpiValues
from kankei_desktop.core.services.meetings import MeetingDraft
from kankei_desktop.core.services.organizations import OrganizationDraft
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.core.writes.natural_ids import (
    attendance_uuid,
    membership_uuid,
    municipality_uuid,
)

BOTH_ENGINES = True

SENTENCE_ENDINGS = tuple(".。!！?？)）」")
VALID_CORPORATE_NUMBER = "7000012050002"  # 国税庁
TAKASU = "014524"  # 北海道鷹栖町


def assert_rejected(caught: pytest.ExceptionInfo[ValidationError], *fields: str) -> None:
    """Every field is named in the error, each with a non-empty sentence."""
    error = caught.value
    named = [name for name, _message in error.errors]
    for field in fields:
        assert field in named, f"{field} not in {error.errors}"
        message = error.for_field(field)
        assert message is not None
        assert len(message.strip()) >= 5, message
        assert message.rstrip().endswith(SENTENCE_ENDINGS), message
    assert str(error).strip()


def row_count(services: Services, model: type, **where: object) -> int:
    """Rows in the file, tombstoned ones included."""
    query = select(func.count()).select_from(model)
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    with services.database.read() as session:
        return int(session.scalar(query) or 0)


def new_club(services: Services, name: str = "放課後企業クラブ", **values: object) -> uuid.UUID:
    return services.clubs.create(ClubDraft(name=name, **values)).id  # type: ignore[arg-type]


def new_person(services: Services, family: str = "山田", **values: object) -> uuid.UUID:
    return services.people.create(PersonDraft(family_name=family, **values)).id  # type: ignore[arg-type]


def new_meeting(services: Services, club_id: uuid.UUID, **values: object) -> uuid.UUID:
    fields: dict[str, object] = {"title": "第1回 定例会", "date": date(2021, 6, 1)}
    fields.update(values)
    return services.meetings.create(MeetingDraft(club_id=club_id, **fields)).id  # type: ignore[arg-type]


# --- organisations ------------------------------------------------------------------------------


def test_organization_create_get_list_count(services: Services) -> None:
    created = services.organizations.create(
        OrganizationDraft(
            kind="company",
            name="株式会社　ＡＢＣ商事 ",
            reading="えーびーしーしょうじ",
            corporate_number="７０００－０１２０５－０００２",
            postal_code="〒071-1292",
            email="ｉｎｆｏ＠ａｂｃ．ｃｏ．ｊｐ",
        )
    )
    services.organizations.create(OrganizationDraft(kind="npo", name="あおぞらNPO"))

    row = services.organizations.get(created.id)
    assert row.name == "株式会社 ABC商事"
    assert row.corporate_number == VALID_CORPORATE_NUMBER
    assert row.postal_code == "071-1292"
    assert row.email == "info@abc.co.jp"
    assert services.organizations.count() == 2
    names = {org.name for org in services.organizations.find()}
    assert names == {"株式会社 ABC商事", "あおぞらNPO"}
    assert services.organizations.count(kind="npo") == 1


def test_organization_update(services: Services) -> None:
    org = services.organizations.create(OrganizationDraft(kind="company", name="旧社名"))
    draft = OrganizationDraft.of(org)
    draft.name = "新社名"
    draft.address = "東京都千代田区"
    services.organizations.update(org.id, draft)

    row = services.organizations.get(org.id)
    assert (row.name, row.address) == ("新社名", "東京都千代田区")
    assert row.updated_at >= org.updated_at
    assert services.organizations.count("新社名") == 1
    assert services.organizations.count("旧社名") == 0


def test_organization_delete_and_restore(services: Services) -> None:
    org = services.organizations.create(OrganizationDraft(kind="company", name="消える会社"))
    services.organizations.delete(org.id)

    assert services.organizations.find() == []
    assert services.organizations.count() == 0
    assert [row.id for row in services.organizations.find(deleted=True)] == [org.id]
    assert services.organizations.count(deleted=True) == 1
    with pytest.raises(NotFoundError):
        services.organizations.get(org.id)
    assert services.organizations.get(org.id, include_deleted=True).is_deleted
    assert row_count(services, Organization) == 1  # a tombstone, not a hard delete

    services.organizations.restore(org.id)
    assert [row.id for row in services.organizations.find()] == [org.id]
    assert services.organizations.find(deleted=True) == []


def test_unknown_organization_raises_not_found(services: Services) -> None:
    with pytest.raises(NotFoundError) as caught:
        services.organizations.get(uuid.uuid4())
    assert str(caught.value).strip()
    with pytest.raises(NotFoundError):
        services.organizations.delete(uuid.uuid4())


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "　 "}, "name"),
        ({"kind": "bank"}, "kind"),
        ({"email": "info@abc"}, "email"),
        ({"email": "info abc@example.jp"}, "email"),
        ({"lgcode": "014525"}, "lgcode"),
        ({"lgcode": "12"}, "lgcode"),
        ({"corporate_number": "8000012050002"}, "corporate_number"),
        ({"corporate_number": "700001205000"}, "corporate_number"),
        ({"postal_code": "071-129"}, "postal_code"),
        ({"municipality_id": uuid.uuid4()}, "municipality_id"),
    ],
)
def test_organization_validation_names_the_field_and_saves_nothing(
    services: Services, changes: dict[str, object], field: str
) -> None:
    values: dict[str, object] = {"kind": "municipality", "name": "鷹栖町"}
    values.update(changes)
    with pytest.raises(ValidationError) as caught:
        services.organizations.create(OrganizationDraft(**values))  # type: ignore[arg-type]

    assert_rejected(caught, field)
    assert services.organizations.count() == 0
    assert row_count(services, Organization) == 0


def test_organization_validation_reports_every_problem_at_once(services: Services) -> None:
    with pytest.raises(ValidationError) as caught:
        services.organizations.create(
            OrganizationDraft(kind="bank", name="", email="x@", lgcode="014525")
        )
    assert_rejected(caught, "name", "kind", "email", "lgcode")


def test_organization_update_with_one_bad_field_changes_nothing(services: Services) -> None:
    org = services.organizations.create(
        OrganizationDraft(kind="company", name="元の名前", address="元の住所", email="a@b.jp")
    )
    draft = OrganizationDraft.of(org)
    draft.name = "新しい名前"
    draft.address = "新しい住所"
    draft.email = "壊れたアドレス"

    with pytest.raises(ValidationError) as caught:
        services.organizations.update(org.id, draft)

    assert_rejected(caught, "email")
    row = services.organizations.get(org.id)
    assert (row.name, row.address, row.email) == ("元の名前", "元の住所", "a@b.jp")
    assert row.updated_at == org.updated_at
    assert row.hlc == org.hlc


def test_lgcode_is_normalised_and_unique(services: Services) -> None:
    town = services.organizations.create(
        OrganizationDraft(kind="municipality", name="鷹栖町", lgcode="０１４５２４")
    )
    assert town.lgcode == TAKASU
    assert town.id == municipality_uuid(TAKASU)

    with pytest.raises(ValidationError) as caught:
        services.organizations.create(
            OrganizationDraft(kind="company", name="別の団体", lgcode=TAKASU)
        )
    assert_rejected(caught, "lgcode")
    assert services.organizations.count() == 1


def test_lgcode_search(services: Services) -> None:
    services.organizations.create(
        OrganizationDraft(kind="municipality", name="鷹栖町", reading="たかすちょう", lgcode=TAKASU)
    )
    services.organizations.create(OrganizationDraft(kind="company", name="札幌商事"))
    assert [row.name for row in services.organizations.find(TAKASU)] == ["鷹栖町"]
    assert [row.name for row in services.organizations.find("ﾀｶｽ")] == ["鷹栖町"]


def test_ensure_municipality_creates_the_body_once(services: Services) -> None:
    first = services.organizations.ensure_municipality(TAKASU)
    second = services.organizations.ensure_municipality(TAKASU)

    assert first.id == second.id == municipality_uuid(TAKASU)
    assert first.name == "北海道鷹栖町"
    assert first.kind == "municipality"
    assert first.lgcode == TAKASU
    assert services.organizations.count() == 1
    assert row_count(services, Organization) == 1
    assert services.organizations.find_by_lgcode(TAKASU) is not None


def test_ensure_municipality_brings_a_deleted_body_back(services: Services) -> None:
    town = services.organizations.ensure_municipality(TAKASU)
    services.organizations.delete(town.id)

    again = services.organizations.ensure_municipality(TAKASU)

    assert again.id == town.id
    assert not again.is_deleted
    assert row_count(services, Organization) == 1


def test_ensure_municipality_finds_a_body_whose_code_was_typed_in_later(
    services: Services,
) -> None:
    town = services.organizations.create(OrganizationDraft(kind="municipality", name="鷹栖町"))
    draft = OrganizationDraft.of(town)
    draft.lgcode = TAKASU
    services.organizations.update(town.id, draft)

    found = services.organizations.find_by_lgcode(TAKASU)
    assert found is not None
    assert found.id == town.id
    assert services.organizations.ensure_municipality(TAKASU).id == town.id
    assert services.organizations.count() == 1


@pytest.mark.parametrize(
    ("code", "kind", "name"),
    [
        ("130001", "prefecture", "東京都"),
        ("011011", "municipality", "北海道札幌市中央区"),
        ("01452", "municipality", "北海道鷹栖町"),  # five digits: the check digit is added
    ],
)
def test_ensure_municipality_kinds_and_names(
    services: Services, code: str, kind: str, name: str
) -> None:
    body = services.organizations.ensure_municipality(code)
    assert (body.kind, body.name) == (kind, name)
    assert body.lgcode is not None
    assert body.id == municipality_uuid(body.lgcode)
    assert [row.id for row in services.organizations.find(name)] == [body.id]


def test_ensure_municipality_rejects_an_unknown_code(services: Services) -> None:
    with pytest.raises(ValidationError) as caught:
        services.organizations.ensure_municipality("999997")
    assert_rejected(caught, "lgcode")
    assert services.organizations.count() == 0


# --- people ---------------------------------------------------------------------------------------


def test_person_text_is_normalised_on_save(services: Services) -> None:
    person = services.people.create(
        PersonDraft(
            family_name="　山田　",
            given_name=" 太郎\u3000",
            family_reading="ﾔﾏﾀﾞ",
            given_reading="ﾀﾛｳ",
            email="ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ",
            job_title="主任　　研究員",
            category="company_staff",
        )
    )
    row = services.people.get(person.id)
    assert row.family_name == "山田"
    assert row.given_name == "太郎"
    assert row.family_reading == "ヤマダ"
    assert row.given_reading == "タロウ"
    assert row.email == "taro@example.jp"
    assert row.job_title == "主任 研究員"


def test_person_create_update_delete_restore(services: Services) -> None:
    person_id = new_person(services, "山田", given_name="太郎", category="resident")
    assert services.people.count() == 1

    draft = PersonDraft.of(services.people.get(person_id))
    draft.given_name = "花子"
    draft.category = "student"
    services.people.update(person_id, draft)
    row = services.people.get(person_id)
    assert (row.given_name, row.category) == ("花子", "student")

    services.people.delete(person_id)
    assert services.people.find() == []
    assert services.people.count() == 0
    assert [p.id for p in services.people.find(deleted=True)] == [person_id]
    assert services.people.count(deleted=True) == 1
    with pytest.raises(NotFoundError):
        services.people.get(person_id)
    with pytest.raises(NotFoundError):
        services.people.update(person_id, draft)

    services.people.restore(person_id)
    assert [p.id for p in services.people.find()] == [person_id]
    assert services.people.count(deleted=True) == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"family_name": " \u3000 "}, "family_name"),
        ({"category": "vip"}, "category"),
        ({"email": "taro@example"}, "email"),
        ({"email": "taro@@example.jp"}, "email"),
        ({"family_name": "長" * 101}, "family_name"),
        ({"organization_id": uuid.uuid4()}, "organization_id"),
    ],
)
def test_person_validation_names_the_field_and_saves_nothing(
    services: Services, changes: dict[str, object], field: str
) -> None:
    values: dict[str, object] = {"family_name": "山田"}
    values.update(changes)
    with pytest.raises(ValidationError) as caught:
        services.people.create(PersonDraft(**values))  # type: ignore[arg-type]

    assert_rejected(caught, field)
    assert services.people.count() == 0


def test_person_with_a_deleted_organization_is_refused(services: Services) -> None:
    org = services.organizations.create(OrganizationDraft(kind="company", name="ABC商事"))
    services.organizations.delete(org.id)
    with pytest.raises(ValidationError) as caught:
        services.people.create(PersonDraft(family_name="山田", organization_id=org.id))
    assert_rejected(caught, "organization_id")
    assert services.people.count() == 0


def test_person_update_with_one_bad_field_changes_nothing(services: Services) -> None:
    person = services.people.create(
        PersonDraft(family_name="山田", given_name="太郎", email="taro@example.jp",
                    category="resident")
    )
    draft = PersonDraft.of(person)
    draft.given_name = "次郎"
    draft.job_title = "課長"
    draft.category = "nobody"

    with pytest.raises(ValidationError) as caught:
        services.people.update(person.id, draft)

    assert_rejected(caught, "category")
    row = services.people.get(person.id)
    assert (row.given_name, row.job_title, row.category) == ("太郎", "", "resident")
    assert row.updated_at == person.updated_at
    assert services.people.find("次郎") == []


@pytest.mark.parametrize("query", ["ｻﾄｳ", "さとう", "サトウ", "佐藤", "さ　とう", "ｻ ﾄ"])
def test_person_search_is_width_and_kana_insensitive(services: Services, query: str) -> None:
    sato = new_person(services, "佐藤", family_reading="さとう")
    new_person(services, "鈴木", family_reading="すずき")

    assert [p.id for p in services.people.find(query)] == [sato]
    assert services.people.count(query) == 1


def test_person_search_finds_given_names_and_email(services: Services) -> None:
    yamada = new_person(services, "山田", given_name="花子", given_reading="はなこ",
                        email="HANAKO@example.jp")
    new_person(services, "佐藤", given_name="太郎", given_reading="たろう")

    assert [p.id for p in services.people.find("ハナコ")] == [yamada]
    assert [p.id for p in services.people.find("山田花子")] == [yamada]
    assert [p.id for p in services.people.find("hanako@")] == [yamada]
    assert services.people.find("存在しない") == []


def test_like_wildcards_in_a_search_match_literally(services: Services) -> None:
    percent = new_person(services, "百%")
    new_person(services, "百点")
    underscore = new_person(services, "A_B")
    new_person(services, "AXB")

    assert [p.id for p in services.people.find("%")] == [percent]
    assert [p.id for p in services.people.find("百%")] == [percent]
    assert [p.id for p in services.people.find("_")] == [underscore]
    assert [p.id for p in services.people.find("a_b")] == [underscore]
    assert services.people.count("%") == 1
    assert services.people.find("\\") == []


def test_people_are_listed_in_gojuon_order(services: Services) -> None:
    # code-point order would put かわい before がっこう
    kawai = new_person(services, "河合", family_reading="かわい")
    gakko = new_person(services, "学校", family_reading="がっこう")
    assert [p.id for p in services.people.find()] == [gakko, kawai]


def test_people_sort_by_family_reading_then_given_reading(services: Services) -> None:
    yamane = new_person(services, "山根", given_name="愛", family_reading="やまね",
                        given_reading="あい")
    hanako = new_person(services, "山田", given_name="花子", family_reading="やまだ",
                        given_reading="はなこ")
    yu = new_person(services, "山", given_name="優", family_reading="やま", given_reading="ゆう")
    taro = new_person(services, "山田", given_name="太郎", family_reading="やまだ",
                      given_reading="たろう")

    # やま ゆう < やまだ たろう < やまだ はなこ < やまね あい (not "やまだたろう" < "やまゆう")
    assert [p.id for p in services.people.find()] == [yu, taro, hanako, yamane]


def test_same_family_reading_in_katakana_and_hiragana_sorts_by_given_reading(
    services: Services,
) -> None:
    # フリガナ from an Excel import (katakana) mixed with readings typed in hiragana
    hanako = new_person(services, "山田", given_name="花子", family_reading="やまだ",
                        given_reading="はなこ")
    taro = new_person(services, "山田", given_name="太郎", family_reading="ヤマダ",
                      given_reading="タロウ")
    ai = new_person(services, "山田", given_name="愛", family_reading="ヤマダ",
                    given_reading="アイ")

    assert [p.id for p in services.people.find()] == [ai, taro, hanako]


def test_people_filter_by_club_membership(services: Services) -> None:
    club = new_club(services)
    member = new_person(services, "山田")
    new_person(services, "佐藤")
    services.clubs.add_member(club, member)

    assert [p.id for p in services.people.find(club_id=club)] == [member]
    services.clubs.remove_member(club, member)
    assert services.people.find(club_id=club) == []


# --- clubs ----------------------------------------------------------------------------------------


def test_club_create_get_update_delete_restore(services: Services) -> None:
    town = services.organizations.ensure_municipality(TAKASU)
    partner = services.organizations.create(OrganizationDraft(kind="company", name="ABC商事"))
    club = services.clubs.create(
        ClubDraft(
            name="　放課後企業クラブ　鷹栖 ",
            reading="ほうかごきぎょうくらぶ",
            host_municipality_id=town.id,
            start_date=date(2021, 4, 1),
            partner_ids=[partner.id],
        )
    )
    row = services.clubs.get(club.id)
    assert row.name == "放課後企業クラブ 鷹栖"
    assert row.host_municipality_id == town.id
    assert services.clubs.partner_ids(club.id) == [partner.id]
    assert services.clubs.count() == 1
    assert [c.id for c in services.clubs.find(host_municipality_id=town.id)] == [club.id]

    draft = ClubDraft.of(row, services.clubs.partner_ids(club.id))
    draft.theme = "地域の課題を見える化する"
    draft.stage = "theme"
    draft.partner_ids = []
    services.clubs.update(club.id, draft)  # same name as itself: not a duplicate
    row = services.clubs.get(club.id)
    assert (row.theme, row.stage) == ("地域の課題を見える化する", "theme")
    assert services.clubs.partner_ids(club.id) == []

    services.clubs.delete(club.id)
    assert services.clubs.find() == []
    assert services.clubs.count() == 0
    assert [c.id for c in services.clubs.find(deleted=True)] == [club.id]
    with pytest.raises(NotFoundError):
        services.clubs.get(club.id)

    services.clubs.restore(club.id)
    assert [c.id for c in services.clubs.find()] == [club.id]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "  "}, "name"),
        ({"stage": "finished"}, "stage"),
        ({"start_date": date(2022, 4, 1), "end_date": date(2022, 3, 31)}, "end_date"),
        ({"host_municipality_id": uuid.uuid4()}, "host_municipality_id"),
        ({"coordinator_id": uuid.uuid4()}, "coordinator_id"),
        ({"partner_ids": [uuid.uuid4()]}, "partner_ids"),
    ],
)
def test_club_validation_names_the_field_and_saves_nothing(
    services: Services, changes: dict[str, object], field: str
) -> None:
    values: dict[str, object] = {"name": "放課後企業クラブ"}
    values.update(changes)
    with pytest.raises(ValidationError) as caught:
        services.clubs.create(ClubDraft(**values))  # type: ignore[arg-type]

    assert_rejected(caught, field)
    assert services.clubs.count() == 0


def test_club_end_date_equal_to_start_date_is_allowed(services: Services) -> None:
    club = services.clubs.create(
        ClubDraft(name="一日クラブ", start_date=date(2021, 8, 1), end_date=date(2021, 8, 1))
    )
    assert services.clubs.get(club.id).end_date == date(2021, 8, 1)


@pytest.mark.parametrize("duplicate", ["ＡＢＣクラブ", "abcクラブ", "ABCくらぶ", " ABC クラブ"])
def test_duplicate_club_name_is_refused(services: Services, duplicate: str) -> None:
    new_club(services, "ABCクラブ")
    with pytest.raises(ValidationError) as caught:
        services.clubs.create(ClubDraft(name=duplicate))
    assert_rejected(caught, "name")
    assert services.clubs.count() == 1


def test_duplicate_club_name_by_rename_is_refused(services: Services) -> None:
    new_club(services, "ＡＢＣクラブ")
    other = services.clubs.create(ClubDraft(name="XYZクラブ"))
    draft = ClubDraft.of(other, [])
    draft.name = "ABCクラブ"
    draft.theme = "変わらないはず"
    with pytest.raises(ValidationError) as caught:
        services.clubs.update(other.id, draft)
    assert_rejected(caught, "name")
    row = services.clubs.get(other.id)
    assert (row.name, row.theme) == ("XYZクラブ", "")


def test_deleted_club_frees_its_name_and_restore_is_refused_if_taken(services: Services) -> None:
    old = new_club(services, "ABCクラブ")
    services.clubs.delete(old)
    new = new_club(services, "ＡＢＣクラブ")  # allowed: the old one is deleted

    with pytest.raises(ValidationError) as caught:
        services.clubs.restore(old)
    assert_rejected(caught, "name")
    assert services.clubs.get(old, include_deleted=True).is_deleted
    assert [c.id for c in services.clubs.find()] == [new]


def test_add_member_twice_keeps_one_membership(services: Services) -> None:
    club = new_club(services)
    person = new_person(services)
    services.clubs.add_member(club, person)
    services.clubs.add_member(club, person, role="leader")

    members = services.clubs.members(club)
    assert len(members) == 1
    membership, member = members[0]
    assert member.id == person
    assert membership.role == "leader"
    assert membership.id == membership_uuid(club, person)
    assert row_count(services, Membership) == 1
    assert [c.id for _m, c in services.clubs.clubs_of_person(person)] == [club]


def test_member_removed_and_added_again_is_one_row(services: Services) -> None:
    club = new_club(services)
    person = new_person(services)
    services.clubs.add_member(club, person)
    services.clubs.remove_member(club, person)
    assert services.clubs.members(club) == []

    services.clubs.add_member(club, person)
    assert len(services.clubs.members(club)) == 1
    assert row_count(services, Membership) == 1


def test_add_member_validation(services: Services) -> None:
    club = new_club(services)
    person = new_person(services)
    with pytest.raises(ValidationError) as caught:
        services.clubs.add_member(club, person, role="king")
    assert_rejected(caught, "role")
    with pytest.raises(NotFoundError):
        services.clubs.add_member(club, uuid.uuid4())
    with pytest.raises(NotFoundError):
        services.clubs.add_member(uuid.uuid4(), person)
    assert row_count(services, Membership) == 0


def test_set_targets_twice_keeps_one_row_per_club_and_year(services: Services) -> None:
    club = new_club(services)
    services.clubs.set_targets(club, 2021, KpiValues(meetings=10, person_times=100))
    services.clubs.set_targets(club, 2021, KpiValues(meetings=12, unique_persons=30))
    services.clubs.set_targets(club, 2022, KpiValues(meetings=20))

    targets = services.clubs.targets(club)
    assert [t.fiscal_year for t in targets] == [2021, 2022]
    fy2021 = services.clubs.targets(club, 2021)
    assert len(fy2021) == 1
    assert (fy2021[0].target_meetings, fy2021[0].target_person_times,
            fy2021[0].target_unique_persons) == (12, None, 30)
    # one KPI row per club, year and measure (issue 17); the dropped target is a tombstone
    assert row_count(services, Kpi, fiscal_year=2021) == 3
    assert row_count(services, Kpi, fiscal_year=2022) == 1


def test_negative_or_implausible_targets_are_refused(services: Services) -> None:
    club = new_club(services)
    with pytest.raises(ValidationError) as caught:
        services.clubs.set_targets(club, 2021, KpiValues(meetings=-1, person_times=-5))
    assert_rejected(caught, "target_meetings", "target_person_times")
    with pytest.raises(ValidationError) as caught:
        services.clubs.set_targets(club, 21, KpiValues(meetings=1))
    assert_rejected(caught, "fiscal_year")
    assert row_count(services, Kpi) == 0


# --- meetings -------------------------------------------------------------------------------------


def test_meeting_create_update_delete_restore_list(services: Services) -> None:
    club = new_club(services)
    late = new_meeting(services, club, title="第2回", date=date(2021, 7, 1))
    early = new_meeting(services, club, title="　第1回　キックオフ ", date=date(2021, 5, 1),
                        start_time=time(10), end_time=time(12), format="hybrid")

    row = services.meetings.get(early)
    assert row.title == "第1回 キックオフ"
    assert (row.format, row.status) == ("hybrid", "planned")
    assert [m.id for m in services.meetings.find()] == [early, late]
    assert [m.id for m in services.meetings.find(newest_first=True)] == [late, early]
    assert services.meetings.count(club_id=club) == 2
    assert [m.id for m in services.meetings.find(date_from=date(2021, 6, 1))] == [late]
    assert [m.id for m in services.meetings.find("ｷｯｸｵﾌ")] == [early]

    draft = MeetingDraft.of(row)
    draft.status = "held"
    draft.place = "鷹栖町役場"
    services.meetings.update(early, draft)
    assert services.meetings.get(early).status == "held"
    assert services.meetings.count(status="held") == 1
    services.meetings.set_status(late, "cancelled")
    assert services.meetings.get(late).status == "cancelled"

    services.meetings.delete(early)
    assert [m.id for m in services.meetings.find()] == [late]
    assert [m.id for m in services.meetings.find(deleted=True)] == [early]
    assert services.meetings.count(deleted=True) == 1
    with pytest.raises(NotFoundError):
        services.meetings.get(early)

    services.meetings.restore(early)
    assert services.meetings.count() == 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "  "}, "title"),
        ({"date": None}, "date"),
        ({"kind": "party"}, "kind"),
        ({"format": "telepathy"}, "format"),
        ({"status": "postponed"}, "status"),
        ({"start_time": time(14), "end_time": time(13)}, "end_time"),
        ({"start_time": time(14), "end_time": time(14)}, "end_time"),
        ({"club_id": None}, "club_id"),
        ({"club_id": uuid.uuid4()}, "club_id"),
    ],
)
def test_meeting_validation_names_the_field_and_saves_nothing(
    services: Services, changes: dict[str, object], field: str
) -> None:
    club = new_club(services)
    values: dict[str, object] = {"club_id": club, "title": "定例会", "date": date(2021, 6, 1)}
    values.update(changes)
    with pytest.raises(ValidationError) as caught:
        services.meetings.create(MeetingDraft(**values))  # type: ignore[arg-type]

    assert_rejected(caught, field)
    assert services.meetings.count() == 0


def test_meeting_of_a_deleted_club_is_refused(services: Services) -> None:
    club = new_club(services)
    services.clubs.delete(club)
    with pytest.raises(ValidationError) as caught:
        new_meeting(services, club)
    assert_rejected(caught, "club_id")
    assert services.meetings.count() == 0


def test_meeting_update_with_one_bad_field_changes_nothing(services: Services) -> None:
    club = new_club(services)
    meeting = services.meetings.get(new_meeting(services, club, start_time=time(10)))
    draft = MeetingDraft.of(meeting)
    draft.title = "変更後"
    draft.place = "公民館"
    draft.end_time = time(9)

    with pytest.raises(ValidationError) as caught:
        services.meetings.update(meeting.id, draft)

    assert_rejected(caught, "end_time")
    row = services.meetings.get(meeting.id)
    assert (row.title, row.place, row.end_time) == ("第1回 定例会", "", None)
    assert row.updated_at == meeting.updated_at


def test_set_status_rejects_unknown_status(services: Services) -> None:
    meeting = new_meeting(services, new_club(services))
    with pytest.raises(ValidationError) as caught:
        services.meetings.set_status(meeting, "done")
    assert_rejected(caught, "status")
    assert services.meetings.get(meeting).status == "planned"


# --- attendance -----------------------------------------------------------------------------------


def test_attendance_set_twice_stays_one_row(services: Services) -> None:
    meeting = new_meeting(services, new_club(services))
    person = new_person(services)
    services.attendance.set(meeting, person, "absent")
    row = services.attendance.set(meeting, person, "attended", note="遅刻 \u3000")

    assert row.id == attendance_uuid(meeting, person)
    rows = services.attendance.of_meeting(meeting)
    assert len(rows) == 1
    assert (rows[0][0].status, rows[0][0].note, rows[0][1].id) == ("attended", "遅刻", person)
    assert row_count(services, Attendance) == 1
    assert [m.id for _a, m in services.attendance.history(person)] == [meeting]


def test_attendance_set_after_remove_is_revived(services: Services) -> None:
    meeting = new_meeting(services, new_club(services))
    person = new_person(services)
    first = services.attendance.set(meeting, person)
    services.attendance.remove(meeting, person)
    assert services.attendance.of_meeting(meeting) == []
    assert services.attendance.history(person) == []

    again = services.attendance.set(meeting, person, "excused")

    assert again.id == first.id
    assert not again.is_deleted
    assert [a.status for a, _p in services.attendance.of_meeting(meeting)] == ["excused"]
    assert row_count(services, Attendance) == 1


def test_attendance_for_deleted_or_missing_meeting_is_not_found(services: Services) -> None:
    club = new_club(services)
    person = new_person(services)
    deleted = new_meeting(services, club)
    services.meetings.delete(deleted)

    with pytest.raises(NotFoundError) as caught:
        services.attendance.set(deleted, person)
    assert str(caught.value).strip()
    with pytest.raises(NotFoundError):
        services.attendance.set(uuid.uuid4(), person)
    assert row_count(services, Attendance) == 0


def test_attendance_for_deleted_or_missing_person_is_not_found(services: Services) -> None:
    meeting = new_meeting(services, new_club(services))
    deleted = new_person(services, "削除")
    services.people.delete(deleted)

    with pytest.raises(NotFoundError):
        services.attendance.set(meeting, deleted)
    with pytest.raises(NotFoundError):
        services.attendance.set(meeting, uuid.uuid4())
    assert row_count(services, Attendance) == 0


def test_attendance_with_unknown_status_is_refused(services: Services) -> None:
    meeting = new_meeting(services, new_club(services))
    person = new_person(services)
    with pytest.raises(ValidationError) as caught:
        services.attendance.set(meeting, person, "late")
    assert_rejected(caught, "status")
    assert row_count(services, Attendance) == 0


def test_attendance_of_a_deleted_person_is_hidden(services: Services) -> None:
    meeting = new_meeting(services, new_club(services))
    kept = new_person(services, "佐藤")
    gone = new_person(services, "鈴木")
    services.attendance.set(meeting, kept)
    services.attendance.set(meeting, gone)
    services.people.delete(gone)

    assert [p.id for _a, p in services.attendance.of_meeting(meeting)] == [kept]
