"""Plain-language explanations of results in Kazakh, Russian and English.

Each condition code of the rules has a sentence per language; `render_lines` turns a `Result` into
the lines a person reads (`adaldyq law explain`, the web's personal file, the prisoner's own page).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from adaldyq.law.engine import Result
from adaldyq.law.explain import Condition, Finding, Ref

LANGUAGES = ("kk", "ru", "en")

CONDITION_NAMES = {
    "en": {
        "regular": "regular",
        "light": "light",
        "preferential": "preferential",
        "strict": "strict",
    },
    "ru": {
        "regular": "обычные",
        "light": "облегчённые",
        "preferential": "льготные",
        "strict": "строгие",
    },
    "kk": {
        "regular": "қарапайым",
        "light": "жеңілдетілген",
        "preferential": "жеңілдікті",
        "strict": "қатаң",
    },
}

CONFIDENCE_NAMES = {
    "en": {
        "L": "text of the law",
        "L-old": "older edition of the law",
        "S": "secondary source",
        "P": "project's interpretation",
        "?": "figure missing from the law pack",
        "D": "demo figure, not law",
    },
    "ru": {
        "L": "текст закона",
        "L-old": "прежняя редакция закона",
        "S": "вторичный источник",
        "P": "толкование проекта",
        "?": "показателя нет в пакете законов",
        "D": "демо-показатель, не закон",
    },
    "kk": {
        "L": "заң мәтіні",
        "L-old": "заңның бұрынғы редакциясы",
        "S": "қосалқы дереккөз",
        "P": "жобаның түсіндірмесі",
        "?": "заң пакетінде көрсеткіш жоқ",
        "D": "демо көрсеткіш, заң емес",
    },
}

T: dict[str, dict[str, str]] = {
    "degree.has_incentive": {
        "en": "at least one incentive{incentive_part}",
        "ru": "хотя бы одно поощрение{incentive_part}",
        "kk": "кемінде бір көтермелеу{incentive_part}",
    },
    "no_penalty_since": {
        "en": "no penalty since {since}{penalty_part}",
        "ru": "нет взысканий с {since}{penalty_part}",
        "kk": "{since} бастап жаза жоқ{penalty_part}",
    },
    "months_elapsed": {
        "en": "{months} months from {since}",
        "ru": "{months} мес. с {since}",
        "kk": "{since} бастап {months} ай",
    },
    "degree.holds_previous": {
        "en": "holds positive degree +{degree}",
        "ru": "имеет положительную степень +{degree}",
        "kk": "+{degree} оң дәрежесі бар",
    },
    "degree.member": {
        "en": "member of the voluntary organisation of convicts",
        "ru": "член самодеятельной организации осуждённых",
        "kk": "сотталғандардың өзін-өзі басқару ұйымының мүшесі",
    },
    "transfer.months_in_condition": {
        "en": "{months} months in {condition} conditions (since {since})",
        "ru": "{months} мес. в условиях «{condition}» (с {since})",
        "kk": "«{condition}» жағдайында {months} ай ({since} бастап)",
    },
    "transfer.holds_degree_at_least": {
        "en": "holds positive degree +{degree} or higher",
        "ru": "имеет положительную степень +{degree} или выше",
        "kk": "+{degree} немесе жоғары оң дәрежесі бар",
    },
    "transfer.holds_degree": {
        "en": "recognised as a malicious offender (degree {degree})",
        "ru": "признан злостным нарушителем (степень {degree})",
        "kk": "қасақана бұзушы деп танылған ({degree} дәреже)",
    },
    "transfer.diligent_work": {
        "en": "the latest assessment of work is diligent",
        "ru": "последняя оценка отношения к труду: добросовестное",
        "kk": "еңбекке соңғы бағасы: адал",
    },
    "transfer.within_months_of_release": {
        "en": "no more than {months} months before release",
        "ru": "не более {months} мес. до освобождения",
        "kk": "босатылуға {months} айдан көп қалмаған",
    },
    "transfer.no_penalty_in_last_months": {
        "en": "no penalty in the last {months} months",
        "ru": "нет взысканий за последние {months} мес.",
        "kk": "соңғы {months} айда жаза жоқ",
    },
    "transfer.months_of_sentence_served": {
        "en": "{months} months of the sentence served",
        "ru": "отбыто {months} мес. срока",
        "kk": "жаза мерзімінің {months} айы өтелді",
    },
    "release.fraction_served": {
        "en": "{fraction} of the term served",
        "ru": "отбыто {fraction} срока",
        "kk": "мерзімнің {fraction} бөлігі өтелді",
    },
    "release.minimum_months": {
        "en": "at least {months} months served",
        "ru": "отбыто не менее {months} мес.",
        "kk": "кемінде {months} ай өтелді",
    },
    "release.life_years": {
        "en": "{years} years served (life sentence)",
        "ru": "отбыто {years} лет (пожизненное лишение свободы)",
        "kk": "{years} жыл өтелді (өмір бойы бас бостандығынан айыру)",
    },
    "release.gravity_missing": {
        "en": "the gravity of the offence is not recorded",
        "ru": "тяжесть преступления не указана",
        "kk": "қылмыстың ауырлығы көрсетілмеген",
    },
    "release.substitution_not_available": {
        "en": "not available for this sentence (only minor, medium or grave crimes)",
        "ru": "не применяется к этому приговору (только небольшой, средней тяжести и тяжкие)",
        "kk": "бұл үкімге қолданылмайды (тек онша ауыр емес, орташа және ауыр қылмыстар)",
    },
    "release.rounding": {
        "en": "the share is taken in whole days, rounded up",
        "ru": "доля считается в целых днях с округлением вверх",
        "kk": "үлес толық күнмен жоғары дөңгелектеп есептеледі",
    },
}

UI: dict[str, dict[str, str]] = {
    "title": {
        "en": "Rights and next steps on {on}",
        "ru": "Права и следующие шаги на {on}",
        "kk": "{on} күнгі құқықтар мен келесі қадамдар",
    },
    "degree": {
        "en": "Degree of behaviour held: {held}; the facts qualify for: {qualifies}",
        "ru": "Степень поведения: {held}; по фактам положена: {qualifies}",
        "kk": "Мінез-құлық дәрежесі: {held}; фактілер бойынша тиесілі: {qualifies}",
    },
    "unsupported": {
        "en": "Warning: the facts no longer support the held degree",
        "ru": "Внимание: факты больше не подтверждают имеющуюся степень",
        "kk": "Назар аударыңыз: фактілер қазіргі дәрежені енді растамайды",
    },
    "waiting": {
        "en": "Warning: qualified for a higher degree since {since} ({days} days without a decision)",
        "ru": "Внимание: право на более высокую степень с {since} ({days} дн. без решения)",
        "kk": "Назар аударыңыз: {since} бастап жоғары дәрежеге құқық бар ({days} күн шешімсіз)",
    },
    "condition": {
        "en": "Conditions: {condition} (since {since})",
        "ru": "Условия: {condition} (с {since})",
        "kk": "Жағдайы: {condition} ({since} бастап)",
    },
    "degree_next": {
        "en": "Degree {k}: {state}",
        "ru": "Степень {k}: {state}",
        "kk": "{k}-дәреже: {state}",
    },
    "open": {
        "en": "{target} conditions: open now",
        "ru": "Условия «{target}»: можно сейчас",
        "kk": "«{target}» жағдайы: қазір ашық",
    },
    "closed_on": {
        "en": "{target} conditions: from {date}, when {missing}",
        "ru": "Условия «{target}»: с {date}, когда {missing}",
        "kk": "«{target}» жағдайы: {date} бастап, {missing} кезде",
    },
    "closed": {
        "en": "{target} conditions: not yet; missing: {missing}",
        "ru": "Условия «{target}»: пока нет; не хватает: {missing}",
        "kk": "«{target}» жағдайы: әзірге жоқ; жетіспейді: {missing}",
    },
    "met": {"en": "met", "ru": "выполнено", "kk": "орындалды"},
    "met_from": {
        "en": "met from {date}",
        "ru": "выполнено с {date}",
        "kk": "{date} бастап орындалды",
    },
    "due": {"en": "from {date}", "ru": "с {date}", "kk": "{date} бастап"},
    "not_met": {"en": "not met", "ru": "не выполнено", "kk": "орындалмады"},
    "unknown": {
        "en": "not determinable: figure missing from the law pack",
        "ru": "невозможно определить: показателя нет в пакете законов",
        "kk": "анықтау мүмкін емес: заң пакетінде көрсеткіш жоқ",
    },
    # when what is missing is a fact of the file (the gravity of the offence), not a figure of the law
    "unknown_fact": {
        "en": "not determinable: the file does not give it",
        "ru": "невозможно определить: в деле нет этих сведений",
        "kk": "анықтау мүмкін емес: істе бұл мәлімет жоқ",
    },
    "fact_missing": {
        "en": "not in the file",
        "ru": "нет в деле",
        "kk": "істе жоқ",
    },
    "release": {"en": "Release: {date}", "ru": "Освобождение: {date}", "kk": "Босату: {date}"},
    "life": {
        "en": "Release: life sentence",
        "ru": "Освобождение: пожизненное лишение свободы",
        "kk": "Босату: өмір бойы бас бостандығынан айыру",
    },
    "parole": {
        "en": "Parole possible from: {date}",
        "ru": "УДО возможно с: {date}",
        "kk": "Шартты түрде мерзімінен бұрын босату мүмкін күні: {date}",
    },
    "substitution": {
        "en": "Milder punishment possible from: {date}",
        "ru": "Замена более мягким наказанием возможна с: {date}",
        "kk": "Жазаны жеңілірек жазамен ауыстыру мүмкін күні: {date}",
    },
    "entitlements": {
        "en": "Entitlements ({condition} conditions):",
        "ru": "Положено (условия «{condition}»):",
        "kk": "Тиесілі («{condition}» жағдайы):",
    },
    "none": {"en": "none", "ru": "нет", "kk": "жоқ"},
    "not_available": {"en": "not available", "ru": "не применяется", "kk": "қолданылмайды"},
    "and": {"en": " and ", "ru": " и ", "kk": " және "},
    "footnote": {
        "en": "Periods count calendar months, and the degree the facts qualify for compares the facts with the held degree, as LAW.md §0 and §2 set out [P: project's interpretation].",
        "ru": "Сроки считаются календарными месяцами, а положенная по фактам степень сравнивается с имеющейся по LAW.md §0 и §2 [P: толкование проекта].",
        "kk": "Мерзімдер күнтізбелік айлармен есептеледі, ал фактілер бойынша тиесілі дәреже қазіргі дәрежемен LAW.md §0 және §2 бойынша салыстырылады [P: жобаның түсіндірмесі].",
    },
}

ENTITLEMENT_NAMES = {
    "short_visits_per_year": {
        "en": "short visits a year",
        "ru": "краткосрочных свиданий в год",
        "kk": "жылына қысқа мерзімді кездесу",
    },
    "long_visits_per_year": {
        "en": "long visits a year",
        "ru": "длительных свиданий в год",
        "kk": "жылына ұзақ мерзімді кездесу",
    },
    "parcels_per_year": {"en": "parcels a year", "ru": "посылок в год", "kk": "жылына сәлемдеме"},
    "small_parcels_per_year": {
        "en": "small parcels a year",
        "ru": "бандеролей в год",
        "kk": "жылына бандероль",
    },
    "money_mrp_per_month": {
        "en": "money a month, MRP",
        "ru": "денег в месяц, МРП",
        "kk": "айына ақша, АЕК",
    },
    "short_visit_hours": {
        "en": "short visit, hours",
        "ru": "краткосрочное свидание, часов",
        "kk": "қысқа мерзімді кездесу, сағат",
    },
    "long_visit_days": {
        "en": "long visit, days",
        "ru": "длительное свидание, дней",
        "kk": "ұзақ мерзімді кездесу, күн",
    },
    "phone_call_minutes": {
        "en": "phone call, minutes",
        "ru": "телефонный разговор, минут",
        "kk": "телефон арқылы сөйлесу, минут",
    },
}


#: The codes as their readers cite them: the Penal Enforcement Code (УИК / ҚАК) and the Criminal Code
#: (УК / ҚК) of the Republic of Kazakhstan.
_CODES = {
    "PEC": {"ru": "УИК", "kk": "ҚАК"},
    "CC": {"ru": "УК", "kk": "ҚК"},
}
_ARTICLES = re.compile(r"\b(PEC|CC) (arts?\.) (\d+(?:-\d+)?(?:, \d+(?:-\d+)?)*)")


def article_name(text: str, lang: str) -> str:
    """A law pack's article reference, or a text citing some ("PEC art. 95", "PEC arts. 134-145",
    "PEC arts. 95, 103 (LAW.md §2-3)"), with each reference written as a reader of `lang` cites it:
    "ст. 95 УИК", "ҚАК 134–145-баптар", "ст. 95, 103 УИК (LAW.md §2-3)"; ranges take an en dash in
    English too. The rest of the text is kept as given.
    """

    def one(m: re.Match[str]) -> str:
        numbers = m.group(3).replace("-", "–")
        if lang not in ("ru", "kk"):
            return f"{m.group(1)} {m.group(2)} {numbers}"
        code = _CODES[m.group(1)][lang]
        if lang == "ru":
            return f"ст. {numbers} {code}"
        return f"{code} {numbers}-{'баптар' if ',' in numbers or '–' in numbers else 'бап'}"

    return _ARTICLES.sub(one, text)


def _fmt(on: date | None) -> str:
    return on.isoformat() if on else "—"


def _degree_name(k: int | None, lang: str) -> str:
    if k is None:
        return UI["unknown"][lang]
    if k == 0:
        return UI["none"][lang]
    return f"{'+' if k > 0 else '−'}{abs(k)}"


def _params(c: Condition, lang: str) -> dict[str, Any]:
    p: dict[str, Any] = {k: (_fmt(v) if isinstance(v, date) else v) for k, v in c.params.items()}
    if "condition" in p:
        p["condition"] = CONDITION_NAMES[lang].get(str(p["condition"]), p["condition"])
    inc = c.params.get("incentive")
    p["incentive_part"] = f" ({_fmt(inc)})" if isinstance(inc, date) else ""
    pen = c.params.get("penalty")
    same_day = c.params.get("same_day")
    if isinstance(pen, date) and same_day == "after":
        # A penalty on the day of the incentive (or award) recorded after it: the rule said in words.
        p["penalty_part"] = {
            "en": f" (penalty on {_fmt(pen)}, the same day, recorded after it: a penalty of that day"
            " counts unless the file records it before)",
            "ru": f" (взыскание {_fmt(pen)}, в тот же день, записано после него: взыскание того же дня"
            " учитывается, если в деле оно не записано раньше)",
            "kk": f" ({_fmt(pen)} жаза, сол күні одан кейін жазылған: сол күнгі жаза, егер істе одан"
            " бұрын жазылмаса, есепке алынады)",
        }[lang]
    elif isinstance(pen, date):
        p["penalty_part"] = {
            "en": f" (penalty on {_fmt(pen)})",
            "ru": f" (взыскание {_fmt(pen)})",
            "kk": f" ({_fmt(pen)} жаза)",
        }[lang]
    elif same_day == "before":
        since = _fmt(c.params.get("since"))
        p["penalty_part"] = {
            "en": f" (the penalty of {since} is recorded before it in the file, so it does not count)",
            "ru": f" (взыскание от {since} записано в деле раньше него, поэтому не учитывается)",
            "kk": f" ({since} жазасы істе одан бұрын жазылған, сондықтан есепке алынбайды)",
        }[lang]
    else:
        p["penalty_part"] = ""
    return p


def condition_phrase(c: Condition, lang: str) -> str:
    """One condition as a phrase in plain words, without its article or confidence (pages show those
    apart: `c.ref.article`, `c.ref.confidence`)."""
    code = c.code
    key = code if code in T else code.split(".", 2)[-1]
    template = T.get(key, {}).get(lang, code)
    try:
        return template.format(**_params(c, lang))
    except (KeyError, IndexError):
        return template


def condition_text(c: Condition, lang: str) -> str:
    """One condition as a phrase, with its article and the confidence of its source."""
    text = condition_phrase(c, lang)
    if c.ref is not None:
        conf = _confidence_name(c.ref, lang)
        text += f" [{article_name(c.ref.article, lang)}; {c.ref.confidence}: {conf}]"
    return text


def _from_file(ref: Ref | None) -> bool:
    """The reference names a fact of the person's file (`person.*`), not a figure of the law pack."""
    return ref is not None and ref.key.startswith("person.")


def _confidence_name(ref: Ref, lang: str) -> str:
    if ref.confidence == "?" and _from_file(ref):
        return UI["fact_missing"][lang]
    return CONFIDENCE_NAMES[lang].get(ref.confidence, ref.confidence)


def _unknown(conditions: Iterable[Condition], lang: str) -> str:
    """Why an answer is not determinable: a missing fact of the file, else a missing figure."""
    missing_fact = any(c.met is None and _from_file(c.ref) for c in conditions)
    return UI["unknown_fact" if missing_fact else "unknown"][lang]


def _state(c: Condition, on: date, lang: str) -> str:
    if c.met is None:
        return _unknown((c,), lang)
    if c.met:
        return UI["met"][lang]
    if c.met_on and c.met_on > on:
        return UI["due"][lang].format(date=_fmt(c.met_on))
    return UI["not_met"][lang]


def finding_lines(f: Finding, on: date, lang: str) -> list[str]:
    """Every condition of a finding, one line each, with its state."""
    return [f"    - {condition_text(c, lang)}: {_state(c, on, lang)}" for c in f.conditions]


def render_lines(result: Result, lang: str = "en") -> list[str]:
    """A result in plain words, for the person it is about."""
    if lang not in LANGUAGES:
        lang = "en"
    on = result.as_of
    names = CONDITION_NAMES[lang]
    out = [UI["title"][lang].format(on=_fmt(on))]
    out.append(
        UI["degree"][lang].format(
            held=_degree_name(result.degree, lang),
            qualifies=_degree_name(result.qualifies_for_degree, lang),
        )
    )
    if result.gap.unsupported:
        out.append("  ! " + UI["unsupported"][lang])
    if result.gap.waiting_since and result.gap.waiting_days is not None:
        out.append(
            "  ! "
            + UI["waiting"][lang].format(
                since=_fmt(result.gap.waiting_since), days=result.gap.waiting_days
            )
        )
    for f in result.findings:
        if (
            f.id.startswith("degree.")
            and f.value is not None
            and int(f.value) > max(result.degree, 0)
        ):
            state = (
                UI["met"][lang]
                if f.met
                else (
                    UI["due"][lang].format(date=_fmt(f.met_on)) if f.met_on else UI["not_met"][lang]
                )
            )
            if f.met is None:
                state = UI["unknown"][lang]
            out.append(UI["degree_next"][lang].format(k=f"+{f.value}", state=state))
            out.extend(finding_lines(f, on, lang))
    out.append(
        UI["condition"][lang].format(
            condition=names.get(result.condition, result.condition),
            since=_fmt(result.condition_since),
        )
    )
    for f in result.findings:
        if not f.id.startswith("transfer."):
            continue
        target = names.get(str(f.value), str(f.value))
        target = target[:1].upper() + target[1:]
        missing = [c for c in f.conditions if not c.met]
        if f.met:
            out.append("  " + UI["open"][lang].format(target=target))
        elif f.met_on:
            out.append(
                "  "
                + UI["closed_on"][lang].format(
                    target=target,
                    date=_fmt(f.met_on),
                    missing=UI["and"][lang].join(condition_text(c, lang) for c in missing),
                )
            )
        else:
            out.append(
                "  "
                + UI["closed"][lang].format(
                    target=target,
                    missing=UI["and"][lang].join(condition_text(c, lang) for c in missing),
                )
            )
        out.extend(finding_lines(f, on, lang))
    out.append(
        UI["release"][lang].format(date=_fmt(result.release_on))
        if result.release_on
        else UI["life"][lang]
    )
    for key in ("parole", "substitution"):
        rf = result.finding(key)
        if rf is None:
            continue
        f = rf
        if f.met is False and f.value is None:
            value = UI["not_available"][lang]
        else:
            value = _fmt(f.value) if f.value else _unknown(f.conditions, lang)
        out.append(UI[key][lang].format(date=value))
        out.extend(finding_lines(f, on, lang))
    out.append(
        UI["entitlements"][lang].format(condition=names.get(result.condition, result.condition))
    )
    for e in result.entitlements:
        name = ENTITLEMENT_NAMES[e.name][lang]
        conf = _confidence_name(e.ref, lang)
        value = e.value if e.determinable else UI["unknown"][lang]
        article = article_name(e.ref.article, lang)
        out.append(f"  - {name}: {value} [{article}; {e.ref.confidence}: {conf}]")
    out.append(UI["footnote"][lang])
    return out
