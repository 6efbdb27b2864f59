from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from awas.conftest import GONDANGLEGI, KAB_MALANG, PUTAT_KIDUL
from awas.core.models import User
from awas.core.roles import Role

PUTAT_LOR = "35.07.10.2009"
UREK_UREK = "35.07.10.2010"


@pytest.fixture
def pkd(malang: Any, make_user: Callable[..., User]) -> User:
    return make_user(Role.PKD, PUTAT_KIDUL, username="pkd-putat-kidul")


@pytest.fixture
def pkd_lor(malang: Any, make_user: Callable[..., User]) -> User:
    return make_user(Role.PKD, PUTAT_LOR, username="pkd-putat-lor")


@pytest.fixture
def ptps(malang: Any, make_user: Callable[..., User]) -> User:
    return make_user(Role.PTPS, PUTAT_KIDUL, username="ptps-putat-kidul-1", tps_number=1)


@pytest.fixture
def panwascam(malang: Any, make_user: Callable[..., User]) -> User:
    return make_user(Role.PANWASCAM, GONDANGLEGI, username="panwascam-gondanglegi")


@pytest.fixture
def staf_pp(malang: Any, make_user: Callable[..., User]) -> User:
    return make_user(Role.STAF_PP, KAB_MALANG, username="staf-pp")


@pytest.fixture
def staf_pencegahan(malang: Any, make_user: Callable[..., User]) -> User:
    return make_user(Role.STAF_PENCEGAHAN, KAB_MALANG, username="staf-pencegahan")


@pytest.fixture
def admin_user(malang: Any, make_user: Callable[..., User]) -> User:
    return make_user(Role.ADMIN, KAB_MALANG, username="admin-kab")
