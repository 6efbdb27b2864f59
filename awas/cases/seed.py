"""The referral bodies an office starts with (DOMAIN.md §2.3 routing; §3 KASN → BKN).

Seeded by migration 0003 and by ``referral_bodies_seed()``; after that the rows belong to the
administrator, who edits them in the Django admin (names, addresses, answer times, which
position words route a "lainnya" case to them). Seeding only adds the codes that are missing, so
it never overwrites the office's edits.

Answer times (``follow_up_days``) are the office's expectation for listing a follow-up as
overdue, not statutory deadlines, except where a source is named:

* KPU: 7 days — UU 1/2015 Pasal 140 ayat (1): KPU Kabupaten/Kota examines and decides an
  administrative violation within 7 days of receiving the recommendation (not in DOMAIN.md:
  **unverified** there).
* Sentra Gakkumdu: 14 hari kerja — the investigator sends the file to the prosecutor ≤ 14 hari
  kerja after the laporan (DOMAIN.md §2.3; which clock applies is unverified).
* BKN: 14 hari kerja — the PPK's 14 hari kerja under the SKB 2022 practice (DOMAIN.md Addendum C;
  whether it still applies after August 2024 is unverified).
* DKPP, Pemkab, Kemendagri: no figure found; 30, 14 and 14 days as a starting point.
"""

from __future__ import annotations

from typing import Any

# Words that route a "pelanggaran peraturan perundang-undangan lainnya" by the terlapor's position.
ASN_WORDS = [
    "ASN",
    "PNS",
    "PPPK",
    "aparatur sipil negara",
    "pegawai negeri",
    "pegawai pemerintah dengan perjanjian kerja",
    "lurah",
    "camat",
    "kepala dinas",
    "sekretaris daerah",
]
KADES_WORDS = ["kepala desa", "kades", "pj kepala desa", "perangkat desa", "sekretaris desa", "sekdes"]

REFERRAL_BODIES: list[dict[str, Any]] = [
    {
        "code": "kpu-kab-malang",
        "name": "KPU Kabupaten Malang",
        "addressee": "Ketua KPU Kabupaten Malang",
        "outcomes": ["administrasi"],
        "position_keywords": [],
        "follow_up_days": 7,
        "priority": 10,
    },
    {
        "code": "gakkumdu-kab-malang",
        "name": "Sentra Gakkumdu Kabupaten Malang",
        # A tindak pidana pemilihan is forwarded to the police investigator who sits in the Sentra
        # Gakkumdu (Peraturan Bersama 14/2016, 01/2016, 013/JA/11/2016; DOMAIN.md §2.3); the
        # Bawaslu chair coordinates the Sentra, so the letter goes to the head of the Polres.
        # Unverified against a Kabupaten Malang letter: the administrator can change it.
        "addressee": "Kepala Kepolisian Resor Malang",
        "outcomes": ["pidana"],
        "position_keywords": [],
        "follow_up_days": 14,
        "follow_up_day_type": "working",
        "priority": 10,
    },
    {
        "code": "dkpp",
        "name": "Dewan Kehormatan Penyelenggara Pemilu (DKPP)",
        "addressee": "Ketua Dewan Kehormatan Penyelenggara Pemilu",
        "address": "Jakarta",
        "outcomes": ["kode_etik"],
        "position_keywords": [],
        "follow_up_days": 30,
        "priority": 10,
    },
    {
        # KASN stopped on 24 August 2024; SE MenPAN-RB 4/2024 moved its supervision to BKN.
        "code": "bkn",
        "name": "Badan Kepegawaian Negara (BKN)",
        "addressee": "Kepala Badan Kepegawaian Negara",
        "address": "Jakarta",
        "outcomes": ["lainnya"],
        "position_keywords": ASN_WORDS,
        "follow_up_days": 14,
        "follow_up_day_type": "working",
        "priority": 10,
    },
    {
        # The Bupati sanctions a kepala desa (UU 6/2014 tentang Desa); Kab. Malang forwarded two
        # kades cases to the Pemkab and Kemendagri in October 2024 (DOMAIN.md §3).
        "code": "pemkab-malang",
        "name": "Pemerintah Kabupaten Malang (Bupati Malang)",
        "addressee": "Bupati Malang",
        "outcomes": ["lainnya"],
        "position_keywords": KADES_WORDS,
        "follow_up_days": 14,
        "priority": 20,
    },
    {
        "code": "kemendagri",
        "name": "Kementerian Dalam Negeri (Kemendagri)",
        "addressee": "Menteri Dalam Negeri",
        "address": "Jakarta",
        "outcomes": ["lainnya"],
        "position_keywords": KADES_WORDS,
        "follow_up_days": 14,
        "priority": 30,
    },
]


def referral_bodies_working_days_fill(model: Any) -> int:
    """Count the answer of the seeded bodies that work to hari kerja in working days, where the
    administrator has not changed their answer time from the seeded one. Returns how many."""
    changed = 0
    for spec in REFERRAL_BODIES:
        if spec.get("follow_up_day_type") != "working":
            continue
        changed += model.objects.filter(
            code=spec["code"], follow_up_days=spec["follow_up_days"], follow_up_day_type="calendar"
        ).update(follow_up_day_type="working")
    return changed


def referral_bodies_addressees_fill(model: Any) -> int:
    """Give the seeded bodies that have none the head a letter is addressed to, and the city of
    the national ones (a letter to a body in Jakarta is not "di Tempat"). Returns how many."""
    filled = 0
    for spec in REFERRAL_BODIES:
        body = model.objects.filter(code=spec["code"]).first()
        if body is None:
            continue
        changed = False
        if not body.addressee and spec.get("addressee"):
            body.addressee, changed = spec["addressee"], True
        if not body.address and spec.get("address"):
            body.address, changed = spec["address"], True
        if changed:
            body.save(update_fields=["addressee", "address"])
            filled += 1
    return filled


def referral_bodies_seed_into(model: Any) -> int:
    """Add the seed bodies whose codes are missing from ``model`` (the model or its historical
    version in a migration); never change or remove a row. Returns how many were added."""
    existing = set(model.objects.values_list("code", flat=True))
    # Only the fields the model has at that migration (the addressee came later).
    fields = {field.name for field in model._meta.get_fields()}
    missing = [
        model(**{key: value for key, value in spec.items() if key in fields})
        for spec in REFERRAL_BODIES
        if spec["code"] not in existing
    ]
    model.objects.bulk_create(missing)
    return len(missing)
