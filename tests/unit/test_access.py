"""Who may read, run events in, and see contact emails for which district."""

from typing import Any

import pytest

from heard.domain.access import Caller, Role, district_list, group_list


@pytest.mark.parametrize(
    ("claim", "items"),
    [
        (["admin", "viewer"], ["admin", "viewer"]),
        ([" north ", "", "south"], ["north", "south"]),
        ("[admin viewer]", ["admin", "viewer"]),
        ("[organizer]", ["organizer"]),
        ("[]", []),
        ("north,south", ["north", "south"]),
        ("north, south ,", ["north", "south"]),
        ("north", ["north"]),
        ("", []),
        (None, []),
    ],
)
def test_the_groups_claim_is_read_in_every_shape_it_arrives_in(
    claim: Any, items: list[str]
) -> None:
    assert group_list(claim) == items


@pytest.mark.parametrize(
    ("claim", "items"),
    [
        ("North Precinct,South", ["North Precinct", "South"]),
        ("D1, D2 ,", ["D1", "D2"]),
        (["Ward 3"], ["Ward 3"]),
        ("", []),
        (None, []),
    ],
)
def test_district_names_may_hold_spaces(claim: Any, items: list[str]) -> None:
    assert district_list(claim) == items


def test_an_organizer_of_a_spaced_district_manages_only_that_one() -> None:
    organizer = caller("[organizer]", "North Precinct")
    assert organizer.can_manage("North Precinct")
    assert not organizer.can_manage("North")


def caller(groups: Any, districts: Any = "north") -> Caller:
    return Caller.from_claims(
        {"sub": "user-1", "cognito:groups": groups, "custom:districts": districts}
    )


def test_the_subject_and_districts_come_from_the_claims() -> None:
    organizer = caller("[organizer]", "north,south")
    assert organizer.subject == "user-1"
    assert organizer.districts == frozenset({"north", "south"})


@pytest.mark.parametrize(
    ("groups", "role"),
    [
        ("[viewer]", Role.VIEWER),
        ("[organizer]", Role.ORGANIZER),
        ("[admin]", Role.ADMIN),
        ("[viewer admin organizer]", Role.ADMIN),
        (["viewer", "organizer"], Role.ORGANIZER),
        ("[Organizer]", Role.ORGANIZER),
        ("[viewer superuser]", Role.VIEWER),
        ("[superuser]", None),
        (None, None),
    ],
)
def test_the_strongest_known_group_wins(groups: Any, role: Role | None) -> None:
    assert caller(groups).role is role


def test_a_caller_without_claims_has_no_role_and_no_districts() -> None:
    nobody = Caller.from_claims({})
    assert (nobody.subject, nobody.role, nobody.districts) == ("", None, frozenset())


def test_an_admin_reads_manages_and_sees_contacts_everywhere() -> None:
    admin = caller("[admin]", None)
    for district in ("north", "south"):
        assert admin.can_read(district)
        assert admin.can_manage(district)
        assert admin.can_see_contacts(district)


def test_an_organizer_runs_only_their_own_districts() -> None:
    organizer = caller("[organizer]", "north")
    assert organizer.can_read("north")
    assert organizer.can_manage("north")
    assert organizer.can_see_contacts("north")
    assert not organizer.can_read("south")
    assert not organizer.can_manage("south")
    assert not organizer.can_see_contacts("south")


def test_a_viewer_reads_their_own_districts_but_manages_nothing() -> None:
    viewer = caller("[viewer]", "north")
    assert viewer.can_read("north")
    assert not viewer.can_manage("north")
    assert not viewer.can_see_contacts("north")
    assert not viewer.can_read("south")


def test_districts_without_a_group_grant_nothing() -> None:
    stranger = caller(None, "north")
    assert not stranger.can_read("north")
    assert not stranger.can_manage("north")
    assert not stranger.can_see_contacts("north")


def test_district_names_match_exactly() -> None:
    organizer = caller("[organizer]", "north")
    assert not organizer.can_manage("North")
    assert not organizer.can_manage("north2")
    assert not organizer.can_manage("")
