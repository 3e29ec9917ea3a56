"""Synthetic Kazakh- and Russian-style names from small built-in lists (no real personal data).

A name is surname + given name + patronymic, in a Kazakh form (`-ұлы` / `-қызы` patronymics for
Kazakh names) and a Russian form (`-ович` / `-овна`). Combinations are random; any resemblance to
a real person is a coincidence of common names.
"""

from __future__ import annotations

import random
from typing import Final, Literal

Sex = Literal["male", "female"]

# (kk, ru) pairs. Kazakh male given names all end in a consonant, so the Russian patronymic is
# the Russian form + "ович"/"овна".
_KK_MALE: Final = (
    ("Асқар", "Аскар"), ("Ерлан", "Ерлан"), ("Нұрлан", "Нурлан"), ("Серік", "Серик"),
    ("Бауыржан", "Бауыржан"), ("Дәурен", "Даурен"), ("Ержан", "Ержан"), ("Қайрат", "Кайрат"),
    ("Мұрат", "Мурат"), ("Талғат", "Талгат"), ("Арман", "Арман"), ("Ғалым", "Галым"),
    ("Жандос", "Жандос"), ("Марат", "Марат"), ("Азамат", "Азамат"), ("Болат", "Болат"),
    ("Дәулет", "Даулет"), ("Еркін", "Еркин"), ("Руслан", "Руслан"), ("Санжар", "Санжар"),
)  # fmt: skip
_KK_FEMALE: Final = (
    ("Айгүл", "Айгуль"), ("Гүлнар", "Гульнар"), ("Сәуле", "Сауле"), ("Динара", "Динара"),
    ("Жанар", "Жанар"), ("Әсел", "Асель"), ("Мәдина", "Мадина"), ("Ақмарал", "Акмарал"),
    ("Роза", "Роза"), ("Айжан", "Айжан"), ("Назым", "Назым"), ("Ләззат", "Ляззат"),
)  # fmt: skip
# Surnames in the male form; the female form adds "а" (all end in -ов, -ев or -ин).
_KK_SURNAMES: Final = (
    ("Әбенов", "Абенов"), ("Сейітов", "Сеитов"), ("Жұмабаев", "Жумабаев"), ("Оспанов", "Оспанов"),
    ("Қасымов", "Касымов"), ("Нұрпейісов", "Нурпеисов"), ("Төлеубаев", "Тулеубаев"),
    ("Бекқожин", "Беккожин"), ("Есенов", "Есенов"), ("Мұқанов", "Муканов"),
    ("Сәрсенбаев", "Сарсенбаев"), ("Ахметов", "Ахметов"), ("Ибраев", "Ибраев"),
    ("Байжанов", "Байжанов"), ("Омаров", "Омаров"), ("Смағұлов", "Смагулов"),
    ("Дүйсенов", "Дюсенов"), ("Құрманов", "Курманов"),
)  # fmt: skip
# Russian given names: (name, male patronymic, female patronymic).
_RU_MALE: Final = (
    ("Александр", "Александрович", "Александровна"), ("Сергей", "Сергеевич", "Сергеевна"),
    ("Андрей", "Андреевич", "Андреевна"), ("Дмитрий", "Дмитриевич", "Дмитриевна"),
    ("Николай", "Николаевич", "Николаевна"), ("Виктор", "Викторович", "Викторовна"),
    ("Игорь", "Игоревич", "Игоревна"), ("Владимир", "Владимирович", "Владимировна"),
    ("Павел", "Павлович", "Павловна"), ("Евгений", "Евгеньевич", "Евгеньевна"),
)  # fmt: skip
_RU_FEMALE: Final = (
    "Елена", "Ольга", "Наталья", "Татьяна", "Ирина", "Светлана", "Марина", "Анна",
)  # fmt: skip
_RU_SURNAMES: Final = (
    "Иванов", "Петров", "Смирнов", "Кузнецов", "Попов", "Васильев", "Соколов", "Новиков",
    "Морозов", "Волков", "Лебедев", "Козлов",
)  # fmt: skip

#: Share of Kazakh-style names (the rest Russian-style).
KAZAKH_SHARE: Final = 0.7


def synthetic_name(
    rng: random.Random, sex: Sex, *, surname: str | None = None, kazakh: bool = False
) -> tuple[str, str]:
    """A random (kk, ru) full name "Surname Given Patronymic"; `surname` keeps a family's (ru);
    `kazakh` always a Kazakh one (otherwise about 70 in 100 are)."""
    if rng.random() < KAZAKH_SHARE or kazakh:
        given_kk, given_ru = rng.choice(_KK_MALE if sex == "male" else _KK_FEMALE)
        father_kk, father_ru = rng.choice(_KK_MALE)
        if sex == "male":
            patr_kk, patr_ru = father_kk + "ұлы", father_ru + "ович"
        else:
            patr_kk, patr_ru = father_kk + "қызы", father_ru + "овна"
        sur_kk, sur_ru = rng.choice(_KK_SURNAMES)
    else:
        given_kk = given_ru = rng.choice(_RU_MALE)[0] if sex == "male" else rng.choice(_RU_FEMALE)
        _, patr_m, patr_f = rng.choice(_RU_MALE)
        patr_kk = patr_ru = patr_m if sex == "male" else patr_f
        sur_kk = sur_ru = rng.choice(_RU_SURNAMES)
    if surname is not None:
        sur_kk, sur_ru = _kk_surname(surname), surname
    if sex == "female":
        sur_kk, sur_ru = sur_kk + "а", sur_ru + "а"
    return f"{sur_kk} {given_kk} {patr_kk}", f"{sur_ru} {given_ru} {patr_ru}"


def surname_of(name_ru: str) -> str:
    """The male-form Russian surname of a generated (ru) name, to give relatives the same one."""
    surname = name_ru.split(" ", 1)[0]
    return surname[:-1] if surname.endswith(("ова", "ева", "ина")) else surname


def _kk_surname(ru: str) -> str:
    for kk, ru_form in _KK_SURNAMES:
        if ru_form == ru:
            return kk
    return ru
