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
from adaldyq.law.rules.visits import Entitlement

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

#: Each condition code's sentence per language, whole, with placeholders. Dates are written as each
#: language's readers write them (`date_text`: "21.05.2026", "21 May 2026"); in Kazakh a date before a
#: postposition comes from `kk_date` ({since_abl} бастап: "21.05.2026 ж. бастап"); Russian counts agree with their noun
#: ({months_ru}: "3 месяца", "6 месяцев"); conditions come in the case the sentence needs
#: ({condition_prep}: "обычных", {condition_loc}: "қарапайым"). Terms are those of docs/glossary.md.
T: dict[str, dict[str, str]] = {
    "degree.has_incentive": {
        "en": "at least one incentive (the latest on {incentive})",
        "ru": "не менее одного поощрения (последнее — {incentive})",
        "kk": "кемінде бір көтермелеу (соңғысы — {incentive})",
    },
    "degree.no_incentive": {
        "en": "at least one incentive",
        "ru": "не менее одного поощрения",
        "kk": "кемінде бір көтермелеу",
    },
    "no_penalty_since": {
        "en": "no penalty imposed after {since}",
        "ru": "после {since} взысканий не налагалось",
        "kk": "{since_abl} кейін жазалау шарасы қолданылмаған",
    },
    "no_penalty_since.penalty": {
        "en": "no penalty imposed after {since} (a penalty was imposed on {penalty})",
        "ru": "после {since} взысканий не налагалось (взыскание наложено {penalty})",
        "kk": "{since_abl} кейін жазалау шарасы қолданылмаған ({penalty} жазалау шарасы қолданылған)",
    },
    # A penalty on the day of the incentive (or award): the file's order of that day's facts decides
    # (the project's reading, issue 13), and the sentence says which way it went.
    "no_penalty_since.same_day_after": {
        "en": "no penalty imposed after {since} (a penalty of the same day is recorded after it, and a penalty of that day counts unless the file records it before)",
        "ru": "после {since} взысканий не налагалось (взыскание того же дня записано в деле после него, а взыскание того же дня учитывается, если оно не записано раньше)",
        "kk": "{since_abl} кейін жазалау шарасы қолданылмаған (сол күнгі жазалау шарасы істе одан кейін жазылған, ал сол күнгі жазалау шарасы істе одан бұрын жазылмаса, есепке алынады)",
    },
    "no_penalty_since.same_day_before": {
        "en": "no penalty imposed after {since} (the penalty of {since} is recorded before it in the file, so it does not count)",
        "ru": "после {since} взысканий не налагалось (взыскание от {since} записано в деле раньше него, поэтому не учитывается)",
        "kk": "{since_abl} кейін жазалау шарасы қолданылмаған ({since} жазалау шарасы істе одан бұрын жазылған, сондықтан есепке алынбайды)",
    },
    "months_elapsed": {
        "en": "{months} months have passed since {since}",
        "ru": "с {since} прошло {months_ru}",
        "kk": "{since_abl} бастап {months} ай өтті",
    },
    "degree.holds_previous": {
        "en": "holds the {degree_en} positive degree of behaviour",
        "ru": "имеет {degree_ru} положительную степень поведения",
        "kk": "{degree_kk} оң мінез-құлық дәрежесі белгіленген",
    },
    "degree.member": {
        "en": "is a member of the voluntary organisation of convicts",
        "ru": "состоит в самодеятельной организации осуждённых",
        "kk": "сотталғандардың өзін-өзі басқару ұйымының мүшесі",
    },
    "transfer.months_in_condition": {
        "en": "{months} months in {condition} conditions (since {since})",
        "ru": "не менее {months_ru} в {condition_prep} условиях (с {since})",
        "kk": "{condition_loc} жағдайда кемінде {months} ай ({since_abl} бастап)",
    },
    "transfer.counted_from_sentence_start": {
        "en": "no arrival at the institution is recorded, so the months are counted from the start of the sentence ({start})",
        "ru": "прибытие в учреждение в деле не отмечено, поэтому месяцы отсчитываются от начала срока наказания ({start})",
        "kk": "мекемеге келгені істе көрсетілмеген, сондықтан айлар жаза мерзімінің басталған күнінен ({start}) бастап есептеледі",
    },
    "transfer.holds_degree_at_least": {
        "en": "holds the {degree_en} positive degree of behaviour or a higher one",
        "ru": "имеет {degree_ru} положительную степень поведения или более высокую",
        "kk": "{degree_kk} оң мінез-құлық дәрежесі немесе одан жоғары дәреже белгіленген",
    },
    "transfer.holds_degree": {
        "en": "recognised as a malicious offender of the established order of serving the sentence",
        "ru": "признан злостным нарушителем установленного порядка отбывания наказания",
        "kk": "жазаны өтеудің белгіленген тәртібін қасақана бұзушы деп танылған",
    },
    "transfer.strict_ground_used": {
        "en": "the recognition as a malicious offender of {recognised_on} has already led to strict conditions from {used_on}; only a new recognition is a ground again",
        "ru": "признание злостным нарушителем от {recognised_on} уже повлекло перевод в строгие условия с {used_on}; основанием вновь может быть только новое признание",
        "kk": "{recognised_on} қасақана бұзушы деп тану {used_on_abl} бастап қатаң жағдайға ауыстыруға негіз болды; қайта негіз тек жаңа тану бола алады",
    },
    "transfer.diligent_work": {
        "en": "the latest assessment of the attitude to work is diligent (the expert report criticises this requirement: few prisoners have work)",
        "ru": "последняя оценка отношения к труду — добросовестное (экспертный доклад критикует это требование: работа есть лишь у немногих осуждённых)",
        "kk": "еңбекке қатынасының соңғы бағасы — адал (сараптамалық баяндама бұл талапты сынайды: жұмыс сотталғандардың аз бөлігінде ғана бар)",
    },
    "transfer.work_never_assessed": {
        "en": "no assessment of the attitude to work is recorded, which counts as not diligent (the expert report criticises the requirement: few prisoners have work)",
        "ru": "оценка отношения к труду в деле отсутствует и считается недобросовестной (экспертный доклад критикует это требование: работа есть лишь у немногих осуждённых)",
        "kk": "еңбекке қатынасының бағасы істе жоқ, ол адал емес деп есептеледі (сараптамалық баяндама бұл талапты сынайды: жұмыс сотталғандардың аз бөлігінде ғана бар)",
    },
    "transfer.within_months_of_release": {
        "en": "no more than {months} months remain before release",
        "ru": "до освобождения осталось не более {months_ru}",
        "kk": "босатылуға {months} айдан аспайтын мерзім қалды",
    },
    "transfer.within_months_of_release.life": {
        "en": "a life sentence has no date of release",
        "ru": "при пожизненном лишении свободы даты освобождения нет",
        "kk": "өмір бойы бас бостандығынан айыру кезінде босату күні жоқ",
    },
    "transfer.no_penalty_in_last_months": {
        "en": "no penalty imposed in the last {months} months",
        "ru": "за последние {months_ru} взысканий не налагалось",
        "kk": "соңғы {months} айда жазалау шарасы қолданылмаған",
    },
    "transfer.months_of_sentence_served": {
        "en": "{months} months of the sentence served",
        "ru": "отбыто не менее {months_ru} срока наказания",
        "kk": "жаза мерзімінің кемінде {months} айы өтелді",
    },
    "release.term_end": {
        "en": "the term ends on the day before the anniversary of its start",
        "ru": "срок оканчивается в день, предшествующий годовщине его начала",
        "kk": "мерзім оның басталған күнінің мерейлі күнінің алдындағы күні аяқталады",
    },
    "release.fraction_served": {
        "en": "{fraction} of the term served",
        "ru": "отбыто не менее {fraction} срока наказания",
        "kk": "жаза мерзімінің кемінде {fraction} бөлігі өтелді",
    },
    "release.minimum_months": {
        "en": "at least {months} months actually served",
        "ru": "фактически отбыто не менее {months_ru}",
        "kk": "іс жүзінде кемінде {months} ай өтелді",
    },
    "release.life_years": {
        "en": "at least {years} years actually served (life imprisonment)",
        "ru": "фактически отбыто не менее {years_ru} (пожизненное лишение свободы)",
        "kk": "іс жүзінде кемінде {years} жыл өтелді (өмір бойы бас бостандығынан айыру)",
    },
    "release.life_agreement": {
        "en": "at least {years} years actually served, with a procedural agreement (life imprisonment)",
        "ru": "фактически отбыто не менее {years_ru} при процессуальном соглашении (пожизненное лишение свободы)",
        "kk": "процестік келісім болған кезде іс жүзінде кемінде {years} жыл өтелді (өмір бойы бас бостандығынан айыру)",
    },
    "release.life_agreement_unknown": {
        "en": "with a procedural agreement {years} years suffice; the file does not say whether there is one",
        "ru": "при процессуальном соглашении достаточно {years_ru}; в деле не указано, заключалось ли оно",
        "kk": "процестік келісім болса, {years} жыл жеткілікті; істе ол жасалғаны көрсетілмеген",
    },
    "release.corruption_unknown": {
        "en": "the crime is not a grave or especially grave corruption crime (the file does not say whether it is a corruption crime)",
        "ru": "преступление не является тяжким или особо тяжким коррупционным преступлением (в деле не указано, является ли оно коррупционным)",
        "kk": "қылмыс ауыр немесе аса ауыр сыбайлас жемқорлық қылмысы емес (істе оның сыбайлас жемқорлық қылмысы екені туралы мәлімет жоқ)",
    },
    "release.corruption_exception_age": {
        "en": "a grave corruption crime, but the person is {age} or older and the exclusion does not apply",
        "ru": "тяжкое коррупционное преступление, но осуждённый достиг {age} лет, и запрет не применяется",
        "kk": "ауыр сыбайлас жемқорлық қылмысы, бірақ сотталған {age} жасқа толған, сондықтан тыйым қолданылмайды",
    },
    "release.corruption_exception_unknown": {
        "en": "a grave corruption crime: parole only for a pregnant woman, a parent raising a minor child alone, a woman of {women} or older, a man of {men} or older, or a person with a disability of group I or II, and the file does not say whether the person is one",
        "ru": "тяжкое коррупционное преступление: условно-досрочное освобождение возможно только для беременной женщины, лица, одного воспитывающего несовершеннолетнего ребёнка, женщины от {women} лет, мужчины от {men} лет или инвалида I или II группы, а в деле не указано, относится ли осуждённый к ним",
        "kk": "ауыр сыбайлас жемқорлық қылмысы: шартты түрде мерзімінен бұрын босату тек жүкті әйелге, кәмелетке толмаған баланы жалғыз тәрбиелеп отырған адамға, {women} жастан асқан әйелге, {men} жастан асқан ер адамға немесе I не II топтағы мүгедектігі бар адамға мүмкін, ал істе сотталғанның солардың бірі екені көрсетілмеген",
    },
    "release.part_served": {
        "en": "the part of the term for parole is served ({date})",
        "ru": "отбыта часть срока, необходимая для условно-досрочного освобождения ({date})",
        "kk": "шартты түрде мерзімінен бұрын босату үшін қажетті мерзім бөлігі өтелді ({date})",
    },
    "release.damage_compensated": {
        "en": "the damage caused by the crime is fully compensated",
        "ru": "причинённый преступлением ущерб возмещён полностью",
        "kk": "қылмыспен келтірілген залал толық өтелген",
    },
    "release.damage_unknown": {
        "en": "the damage caused by the crime is fully compensated (the file does not say whether it is)",
        "ru": "причинённый преступлением ущерб возмещён полностью (в деле не указано, возмещён ли он)",
        "kk": "қылмыспен келтірілген залал толық өтелген (істе оның өтелгені көрсетілмеген)",
    },
    "release.no_malicious_violations": {
        "en": "no malicious violation of the established order of serving the sentence is recorded",
        "ru": "злостных нарушений установленного порядка отбывания наказания не отмечено",
        "kk": "жазаны өтеудің белгіленген тәртібін қасақана бұзу тіркелмеген",
    },
    "release.damage_paid": {
        "en": "the damage caused by the crime is fully compensated: {paid} of {awarded} tenge paid ({by_person} by the person, {by_relatives} by relatives)",
        "ru": "причинённый преступлением ущерб возмещён полностью: выплачено {paid} из {awarded} тенге ({by_person} — самим осуждённым, {by_relatives} — родственниками)",
        "kk": "қылмыспен келтірілген залал толық өтелді: {awarded} теңгенің {paid} теңгесі төленді (сотталғанның өзі {by_person}, туыстары {by_relatives} төледі)",
    },
    "release.damage_outstanding": {
        "en": "the damage caused by the crime is fully compensated (not yet: {paid} of {awarded} tenge paid, {by_person} by the person, {by_relatives} by relatives)",
        "ru": "причинённый преступлением ущерб возмещён полностью (ещё нет: выплачено {paid} из {awarded} тенге, {by_person} — самим осуждённым, {by_relatives} — родственниками)",
        "kk": "қылмыспен келтірілген залал толық өтелген (әлі өтелмеген: {awarded} теңгенің {paid} теңгесі төленді, сотталғанның өзі {by_person}, туыстары {by_relatives} төледі)",
    },
    "release.substitution_no_malicious": {
        "en": "the damage is fully compensated or no malicious violation is recorded: none is recorded",
        "ru": "ущерб возмещён полностью или злостных нарушений не отмечено: злостных нарушений не отмечено",
        "kk": "залал толық өтелген немесе қасақана бұзушылық тіркелмеген: қасақана бұзушылық тіркелмеген",
    },
    "release.substitution_damage_paid": {
        "en": "a malicious violation is recorded ({malicious}), and the damage is fully compensated",
        "ru": "отмечено злостное нарушение ({malicious}), и ущерб возмещён полностью",
        "kk": "қасақана бұзушылық тіркелген ({malicious}), және залал толық өтелген",
    },
    "release.substitution_excluded": {
        "en": "the damage is fully compensated or no malicious violation is recorded: a malicious violation is recorded ({malicious}) and the damage is not fully compensated",
        "ru": "ущерб возмещён полностью или злостных нарушений не отмечено: отмечено злостное нарушение ({malicious}), а ущерб возмещён не полностью",
        "kk": "залал толық өтелген немесе қасақана бұзушылық тіркелмеген: қасақана бұзушылық тіркелген ({malicious}), ал залал толық өтелмеген",
    },
    "release.substitution_damage_unknown": {
        "en": "a malicious violation is recorded ({malicious}), so the damage must be fully compensated, and the file does not say whether it is",
        "ru": "отмечено злостное нарушение ({malicious}), поэтому ущерб должен быть возмещён полностью, а в деле не указано, возмещён ли он",
        "kk": "қасақана бұзушылық тіркелген ({malicious}), сондықтан залал толық өтелуі керек, ал істе оның өтелгені көрсетілмеген",
    },
    "release.gravity_missing": {
        "en": "the file does not say the gravity of the crime",
        "ru": "в деле не указана тяжесть преступления",
        "kk": "істе қылмыстың ауырлығы көрсетілмеген",
    },
    "release.substitution_not_available": {
        "en": "applies only to crimes of minor or medium gravity and to grave crimes",
        "ru": "применяется только к преступлениям небольшой и средней тяжести и к тяжким преступлениям",
        "kk": "тек онша ауыр емес, орташа ауырлықтағы және ауыр қылмыстарға қолданылады",
    },
    "release.rounding": {
        "en": "the part of the term is counted in whole days, rounded up, and release is possible from the day after it is served",
        "ru": "часть срока исчисляется в целых днях с округлением в большую сторону, освобождение возможно со дня, следующего за днём её отбытия",
        "kk": "мерзімнің бөлігі толық күнмен жоғары қарай дөңгелектеп есептеледі, босату ол өтелген күннің келесі күнінен бастап мүмкін",
    },
}

UI: dict[str, dict[str, str]] = {
    "title": {
        "en": "Rights and next steps on {on}",
        "ru": "Права и дальнейшие шаги на {on}",
        "kk": "{on_loc} құқықтар мен келесі қадамдар",
    },
    "degree": {
        "en": "Degree of behaviour held: {held}; the facts qualify for: {qualifies}",
        "ru": "Установленная степень поведения: {held}; по фактам положена: {qualifies}",
        "kk": "Белгіленген мінез-құлық дәрежесі: {held}; фактілер бойынша тиесілі дәреже: {qualifies}",
    },
    "unsupported": {
        "en": "Warning: the facts no longer support the degree held",
        "ru": "Внимание: факты больше не подтверждают установленную степень поведения",
        "kk": "Назар аударыңыз: фактілер белгіленген мінез-құлық дәрежесін енді растамайды",
    },
    "waiting": {
        "en": "Warning: qualified for a higher degree since {since} ({days} days without a decision)",
        "ru": "Внимание: право на более высокую степень имеется с {since} ({days_ru} без решения)",
        "kk": "Назар аударыңыз: {since_abl} бастап жоғары дәрежеге құқық бар ({days} күн бойы шешім жоқ)",
    },
    "no_arrival": {
        "en": "Warning: the file records no arrival at the institution",
        "ru": "Внимание: в деле не отмечено прибытие в учреждение",
        "kk": "Назар аударыңыз: мекемеге келгені істе көрсетілмеген",
    },
    "latest_incentive": {
        "en": "The months run from the latest incentive, as art. 95 says; counted from the incentive of {first} they would have ended earlier.",
        "ru": "Месяцы отсчитываются от последнего поощрения, как сказано в ст. 95; при отсчёте от поощрения {first} они истекли бы раньше.",
        "kk": "Айлар 95-бапта айтылғандай соңғы көтермелеуден бастап есептеледі; {first} көтермелеуден бастап есептегенде олар ертерек аяқталар еді.",
    },
    "condition": {
        "en": "Serving the sentence in {condition} conditions since {since}",
        "ru": "Отбывает наказание в {condition_prep} условиях с {since}",
        "kk": "Жазасын {since_abl} бастап {condition_loc} жағдайда өтеуде",
    },
    "degree_next": {
        "en": "The {k_en} positive degree: {state}",
        "ru": "{k_ru} положительная степень: {state}",
        "kk": "{k_kk} оң дәреже: {state}",
    },
    "open": {
        "en": "Transfer to {target} conditions possible now",
        "ru": "Перевод в {target_acc} условия возможен сейчас",
        "kk": "{target_dat} жағдайға ауыстыру қазір мүмкін",
    },
    "closed_on": {
        "en": "Transfer to {target} conditions possible from {date}; not yet met: {missing}",
        "ru": "Перевод в {target_acc} условия возможен с {date}; пока не выполнено: {missing}",
        "kk": "{target_dat} жағдайға ауыстыру {date_abl} бастап мүмкін; әзірге орындалмаған талап: {missing}",
    },
    "closed": {
        "en": "Transfer to {target} conditions not yet possible; not met: {missing}",
        "ru": "Перевод в {target_acc} условия пока невозможен; не выполнено: {missing}",
        "kk": "{target_dat} жағдайға ауыстыру әзірге мүмкін емес; орындалмаған талап: {missing}",
    },
    "transfer_not_available": {
        "en": "Transfer to {target} conditions not available, as a life sentence has no date of release",
        "ru": "Перевод в {target_acc} условия не предусмотрен, так как при пожизненном лишении свободы нет даты освобождения",
        "kk": "{target_dat} жағдайға ауыстыру қарастырылмаған, өйткені өмір бойы бас бостандығынан айыру кезінде босату күні жоқ",
    },
    "strict_none": {
        "en": "Grounds for strict conditions: none",
        "ru": "Оснований для перевода в строгие условия нет",
        "kk": "Қатаң жағдайға ауыстыруға негіз жоқ",
    },
    "strict_since": {
        "en": "Grounds for strict conditions: exist since {date}",
        "ru": "Основание для перевода в строгие условия имеется с {date}",
        "kk": "Қатаң жағдайға ауыстыруға {date_abl} бастап негіз бар",
    },
    "strict_unknown": {
        "en": "Grounds for strict conditions — not determinable: figure missing from the law pack",
        "ru": "Основание для перевода в строгие условия — невозможно определить: показателя нет в пакете законов",
        "kk": "Қатаң жағдайға ауыстыруға негіз — анықтау мүмкін емес: заң пакетінде көрсеткіш жоқ",
    },
    "met": {"en": "met", "ru": "выполнено", "kk": "орындалды"},
    "degree_met": {"en": "met", "ru": "условия выполнены", "kk": "шарттары орындалды"},
    "degree_not_met": {"en": "not met", "ru": "условия не выполнены", "kk": "шарттары орындалмады"},
    "due": {"en": "from {date}", "ru": "с {date}", "kk": "{date_abl} бастап"},
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
    "release": {
        "en": "Release: {date}, the last day of the term",
        "ru": "Освобождение: {date}, последний день срока",
        "kk": "Босату: {date}, мерзімнің соңғы күні",
    },
    "life": {
        "en": "Release: none, life imprisonment",
        "ru": "Освобождение: не предусмотрено, пожизненное лишение свободы",
        "kk": "Босату: қарастырылмаған, өмір бойы бас бостандығынан айыру",
    },
    "parole": {
        "en": "Parole possible from {date}",
        "ru": "Условно-досрочное освобождение возможно с {date}",
        "kk": "Шартты түрде мерзімінен бұрын босату {date_abl} бастап мүмкін",
    },
    "parole_unless": {
        "en": "Parole possible from {date}, unless the crime is a grave or especially grave corruption crime, which the file does not say",
        "ru": "Условно-досрочное освобождение возможно с {date}, если преступление не является тяжким или особо тяжким коррупционным (в деле это не указано)",
        "kk": "Шартты түрде мерзімінен бұрын босату {date_abl} бастап мүмкін, егер қылмыс ауыр немесе аса ауыр сыбайлас жемқорлық қылмысы болмаса (істе бұл көрсетілмеген)",
    },
    "parole_mandatory": {
        "en": "Parole is mandatory from {date}",
        "ru": "Условно-досрочное освобождение обязательно с {date}",
        "kk": "Шартты түрде мерзімінен бұрын босату {date_abl} бастап міндетті",
    },
    "parole_mandatory_state": {
        "en": "Mandatory parole — {state}",
        "ru": "Обязательное условно-досрочное освобождение — {state}",
        "kk": "Міндетті шартты түрде мерзімінен бұрын босату — {state}",
    },
    "not_mandatory": {
        "en": "not applicable",
        "ru": "не применяется",
        "kk": "қолданылмайды",
    },
    "parole_state": {
        "en": "Parole — {state}",
        "ru": "Условно-досрочное освобождение — {state}",
        "kk": "Шартты түрде мерзімінен бұрын босату — {state}",
    },
    "substitution": {
        "en": "Substitution of the unserved part with a milder punishment possible from {date}",
        "ru": "Замена неотбытой части наказания более мягким видом наказания возможна с {date}",
        "kk": "Жазаның өтелмеген бөлігін жеңілірек жаза түрімен ауыстыру {date_abl} бастап мүмкін",
    },
    "substitution_state": {
        "en": "Substitution of the unserved part with a milder punishment — {state}",
        "ru": "Замена неотбытой части наказания более мягким видом наказания — {state}",
        "kk": "Жазаның өтелмеген бөлігін жеңілірек жаза түрімен ауыстыру — {state}",
    },
    "entitlements": {
        "en": "Entitlements in {condition} conditions:",
        "ru": "Положено в {condition_prep} условиях:",
        "kk": "{condition_loc} жағдайда тиесілі:",
    },
    "planned": {
        "en": "not determinable: {value} planned from {year}, not known to be in force",
        "ru": "невозможно определить: {value} запланировано с {year} г., вступление в силу не подтверждено",
        "kk": "анықтау мүмкін емес: {year} жылдан бастап {value} жоспарланған, күшіне енгені белгісіз",
    },
    "unlimited": {"en": "unlimited", "ru": "без ограничений", "kk": "шектеусіз"},
    "exceptional personal circumstances only": {
        "en": "only in exceptional personal circumstances",
        "ru": "только при исключительных личных обстоятельствах",
        "kk": "тек ерекше жеке жағдайларда",
    },
    "none": {"en": "none", "ru": "нет", "kk": "жоқ"},
    "not_available": {"en": "not available", "ru": "не применяется", "kk": "қолданылмайды"},
    "and": {"en": "; ", "ru": "; ", "kk": "; "},
    "footnote": {
        "en": "Periods are counted in calendar months, and the degree the facts qualify for is compared with the degree held; both are the project's rules [P, the project's interpretation].",
        "ru": "Сроки исчисляются календарными месяцами, а положенная по фактам степень сравнивается с установленной; это правила проекта [P, толкование проекта].",
        "kk": "Мерзімдер күнтізбелік айлармен есептеледі, ал фактілер бойынша тиесілі дәреже белгіленген дәрежемен салыстырылады; бұл жобаның ережелері [P, жобаның түсіндірмесі].",
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
        "en": "money that may be spent a month, MRP",
        "ru": "расходование денег в месяц, МРП",
        "kk": "айына жұмсауға болатын ақша, АЕК",
    },
    "money_transfers": {
        "en": "money transfers received",
        "ru": "получение денежных переводов",
        "kk": "ақша аударымдарын алу",
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
    "phone_calls_in_strict": {
        "en": "phone calls in strict conditions",
        "ru": "телефонные разговоры в строгих условиях",
        "kk": "қатаң жағдайда телефон арқылы сөйлесу",
    },
    "phone_call_minutes": {
        "en": "phone call, minutes",
        "ru": "телефонный разговор, минут",
        "kk": "телефон арқылы сөйлесу, минут",
    },
}

#: Conditions in the case a sentence needs: Russian prepositional ("в обычных условиях") and
#: accusative ("перевод в облегчённые условия"), Kazakh locative stem ("қарапайым жағдайда") and
#: dative ("жеңілдетілген жағдайға").
CONDITION_FORMS: dict[str, dict[str, dict[str, str]]] = {
    "prep": {
        "ru": {
            "regular": "обычных",
            "light": "облегчённых",
            "preferential": "льготных",
            "strict": "строгих",
        },
    },
    "acc": {
        "ru": {
            "regular": "обычные",
            "light": "облегчённые",
            "preferential": "льготные",
            "strict": "строгие",
        },
    },
}

_ORDINALS = {
    "en": {1: "first", 2: "second", 3: "third"},
    # accusative feminine, agreeing with "степень"
    "ru": {1: "первую", 2: "вторую", 3: "третью"},
    "ru_nom": {1: "Первая", 2: "Вторая", 3: "Третья"},
    "kk": {1: "бірінші", 2: "екінші", 3: "үшінші"},
}

#: The codes as their readers cite them: the Penal Enforcement Code (УИК РК / ҚР ҚАК) and the
#: Criminal Code (УК РК / ҚР ҚК) of the Republic of Kazakhstan; "Code" in placement rules is the PEC.
_CODES = {
    "PEC": {"ru": "УИК РК", "kk": "ҚР ҚАК"},
    "Code": {"ru": "УИК РК", "kk": "ҚР ҚАК"},
    "CC": {"ru": "УК РК", "kk": "ҚР ҚК"},
}
_ARTICLES = re.compile(
    r"\b(PEC|CC|Code) (arts?\.) (\d+(?:-\d+)?(?:, \d+(?:-\d+)?)*)(?: \((\d+)\))?"
)
_BARE_CODE = re.compile(r"^(PEC|CC|Code)$")
_MANDELA = re.compile(r"\bMandela Rules? (\d+(?:\(\w\))?(?:(?:, |-)\d+)*)")
#: What is not an article: the project's own rules ("project rule", "LAW.md §6", the design seed's
#: "seed 003 section 4").
_PROJECT = re.compile(
    r"project rule|LAW\.md §[\d.\-–]+|project rule \(LAW\.md §[\d.\-–]+\)|seed \d+ section \d+"
)
_PROJECT_NAMES = {"en": "the project's rule", "ru": "правило проекта", "kk": "жобаның ережесі"}


def article_name(text: str, lang: str) -> str:
    """A law pack's article reference, or a text citing some ("PEC art. 95", "PEC arts. 136, 138, 140",
    "Code art. 88 (3); Mandela Rule 59"), with each reference written as a reader of `lang` cites it:
    "ст. 95 УИК РК", "ҚР ҚАК 136, 138, 140-баптары", "п. 3 ст. 88 УИК РК"; ranges take an en dash
    in every language. The project's own rules ("project rule", "LAW.md §6") are not articles and are
    named as such ("the project's rule"). The rest of the text is kept as given.
    """
    if _PROJECT.fullmatch(text):
        return _PROJECT_NAMES.get(lang, _PROJECT_NAMES["en"])

    def one(m: re.Match[str]) -> str:
        numbers = m.group(3).replace("-", "–")
        part = m.group(4)
        if lang not in ("ru", "kk"):
            return f"{m.group(1)} {m.group(2)} {numbers}" + (f" ({part})" if part else "")
        code = _CODES[m.group(1)][lang]
        if lang == "ru":
            return (f"п. {part} " if part else "") + f"ст. {numbers} {code}"
        many = "," in numbers or "–" in numbers
        cited = f"{code} {numbers}-{'баптары' if many else 'бабы'}"
        return cited + (f"ның {part}-тармағы" if part else "")

    def rule(m: re.Match[str]) -> str:
        numbers = m.group(1)
        if lang == "ru":
            return f"правило {numbers} Правил Нельсона Манделы"
        if lang == "kk":
            return f"Нельсон Мандела ережелерінің {numbers}-ережесі"
        return m.group(0)

    text = _MANDELA.sub(rule, _ARTICLES.sub(one, text))
    if lang in ("ru", "kk"):
        text = _BARE_CODE.sub(lambda m: _CODES[m.group(1)][lang], text)
    return text


#: English month names as the site's English pages write them ("5 Dec 2026", ADR 0021).
_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def date_text(on: date, lang: str) -> str:
    """A date as readers of `lang` write it, the web's formats (ADR 0021): kk and ru "21.05.2026",
    en "21 May 2026" (day first, the month named: never misread). Called only when text is rendered."""
    if lang in ("kk", "ru"):
        return f"{on.day:02d}.{on.month:02d}.{on.year}"
    return f"{on.day} {_EN_MONTHS[on.month - 1]} {on.year}"


def kk_date(on: date, case: str) -> str:
    """A date in a Kazakh sentence in the case the next word governs, as Kazakh documents write a date
    in figures: the year's word abbreviated, its case carried by the postposition that follows:
    "abl" before "бастап"/"кейін" ("21.05.2026 ж. бастап": "2026 жылдан бастап"), "loc" for "as of"
    ("21.05.2026 ж. жағдай бойынша"). No case ending is glued to the figures."""
    shown = date_text(on, "kk")
    return f"{shown} ж. жағдай бойынша" if case == "loc" else f"{shown} ж."


def _ru_count(n: Any, one: str, few: str, many: str) -> str:
    """A number with its noun in Russian agreement: 1 месяц, 3 месяца, 6 месяцев."""
    try:
        k = int(n)
    except (TypeError, ValueError):
        return f"{n} {many}"
    if k % 10 == 1 and k % 100 != 11:
        word = one
    elif 2 <= k % 10 <= 4 and not 12 <= k % 100 <= 14:
        word = few
    else:
        word = many
    return f"{k} {word}"


def _dates(key: str, on: Any, lang: str, out: dict[str, Any]) -> None:
    """A date parameter as the sentence needs it (`date_text`): `key` and, in Kazakh, `key_abl`,
    `key_loc` (`kk_date`); "—" for none."""
    if isinstance(on, date):
        shown = date_text(on, lang)
        out[key] = shown
        out[f"{key}_abl"] = kk_date(on, "abl") if lang == "kk" else shown
        out[f"{key}_loc"] = kk_date(on, "loc") if lang == "kk" else shown
    else:
        out[key] = out[f"{key}_abl"] = out[f"{key}_loc"] = "—"


def _condition_forms(cond: str, lang: str, key: str, out: dict[str, Any]) -> None:
    name = CONDITION_NAMES[lang].get(cond, cond)
    out[key] = name
    out[f"{key}_prep"] = CONDITION_FORMS["prep"].get(lang, {}).get(cond, name)
    out[f"{key}_acc"] = CONDITION_FORMS["acc"].get(lang, {}).get(cond, name)
    out[f"{key}_loc"] = name
    out[f"{key}_dat"] = name[:1].upper() + name[1:] if lang == "kk" else name


def _degree_name(k: int | None, lang: str) -> str:
    if k is None:
        return UI["unknown"][lang]
    if k == 0:
        return UI["none"][lang]
    return f"{'+' if k > 0 else '−'}{abs(k)}"


def _params(c: Condition, lang: str) -> dict[str, Any]:
    p: dict[str, Any] = {}
    for k, v in c.params.items():
        if isinstance(v, date):
            _dates(k, v, lang, p)
        else:
            p[k] = v
    if "condition" in p:
        _condition_forms(str(p["condition"]), lang, "condition", p)
    if "months" in p:
        # after "не менее" / "не более" the genitive (6 месяцев, 1 месяца); after "прошло" and "за
        # последние" the count as a subject (3 месяца, 6 месяцев, 1 месяц)
        if c.code.endswith("months_elapsed") or c.code == "transfer.no_penalty_in_last_months":
            p["months_ru"] = _ru_count(p["months"], "месяц", "месяца", "месяцев")
        else:
            p["months_ru"] = _ru_count(p["months"], "месяца", "месяцев", "месяцев")
    if "years" in p:
        p["years_ru"] = _ru_count(p["years"], "года", "лет", "лет")
    if "degree" in p and isinstance(p["degree"], int) and p["degree"] in (1, 2, 3):
        for lg in ("en", "ru", "kk"):
            p[f"degree_{lg}"] = _ORDINALS[lg][p["degree"]]
    return p


def _template(c: Condition) -> str:
    """The message id of a condition: its code, or the variant its parameters call for."""
    code = c.code
    if code == "degree.has_incentive" and "incentive" not in c.params:
        return "degree.no_incentive"
    if code == "transfer.within_months_of_release" and c.params.get("life"):
        return "transfer.within_months_of_release.life"
    key = code if code in T else code.split(".", 2)[-1]
    if key == "no_penalty_since":
        same_day = c.params.get("same_day")
        if isinstance(c.params.get("penalty"), date):
            return (
                "no_penalty_since.same_day_after"
                if same_day == "after"
                else "no_penalty_since.penalty"
            )
        if same_day == "before":
            return "no_penalty_since.same_day_before"
    return key


def condition_phrase(c: Condition, lang: str) -> str:
    """One condition as a phrase in plain words, without its article or confidence (pages show those
    apart: `c.ref.article`, `c.ref.confidence`)."""
    template = T.get(_template(c), {}).get(lang, c.code)
    try:
        return template.format(**_params(c, lang))
    except (KeyError, IndexError, ValueError):
        return template


def condition_text(c: Condition, lang: str) -> str:
    """One condition as a phrase, with its article and the confidence of its source."""
    text = condition_phrase(c, lang)
    if c.ref is not None:
        text += " " + cite(c.ref, lang)
    return text


def cite(ref: Ref, lang: str) -> str:
    """The bracket an explanation ends with: the article as readers cite it, the confidence code and
    its name ("[ст. 95 УИК РК; S: вторичный источник]", "[the project's rule; P: …]")."""
    return f"[{article_name(ref.article, lang)}; {ref.confidence}, {_confidence_name(ref, lang)}]"


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


def _due(on: date, lang: str) -> str:
    p: dict[str, Any] = {}
    _dates("date", on, lang, p)
    return UI["due"][lang].format(**p)


def _state(c: Condition, on: date, lang: str) -> str:
    if c.met is None:
        return _unknown((c,), lang)
    if c.met:
        return UI["met"][lang]
    if c.met_on and c.met_on > on:
        return _due(c.met_on, lang)
    return UI["not_met"][lang]


def finding_lines(f: Finding, on: date, lang: str) -> list[str]:
    """Every condition of a finding, one line each, with its state."""
    return [f"    - {condition_text(c, lang)} — {_state(c, on, lang)}" for c in f.conditions]


def _ui(key: str, lang: str, **params: Any) -> str:
    p: dict[str, Any] = {}
    for k, v in params.items():
        if isinstance(v, date):
            _dates(k, v, lang, p)
        else:
            p[k] = v
    return UI[key][lang].format(**p)


def _strict_lines(f: Finding, on: date, lang: str) -> list[str]:
    """Strict conditions are a sanction, not a step to work towards: their grounds, none or since when."""
    if f.met is None:
        return ["  " + UI["strict_unknown"][lang], *finding_lines(f, on, lang)]
    if f.met:
        return ["  " + _ui("strict_since", lang, date=f.met_on), *finding_lines(f, on, lang)]
    used = [c for c in f.conditions if c.code == "transfer.strict_ground_used"]
    line = "  " + UI["strict_none"][lang]
    return [line, *finding_lines(f, on, lang)] if used else [line]


def _transfer_lines(f: Finding, on: date, lang: str) -> list[str]:
    forms: dict[str, Any] = {}
    _condition_forms(str(f.value), lang, "target", forms)
    missing = [c for c in f.conditions if not c.met]
    if f.met:
        head = UI["open"][lang].format(**forms)
    elif any(c.params.get("life") for c in f.conditions):
        return ["  " + UI["transfer_not_available"][lang].format(**forms)]
    else:
        what = UI["and"][lang].join(condition_text(c, lang) for c in missing)
        if f.met_on:
            _dates("date", f.met_on, lang, forms)
            head = UI["closed_on"][lang].format(missing=what, **forms)
        else:
            head = UI["closed"][lang].format(missing=what, **forms)
    return ["  " + head, *finding_lines(f, on, lang)]


_STEP_HEADINGS = {
    "transfer": {
        "en": "Transfer to {target} conditions",
        "ru": "Перевод в {target_acc} условия",
        "kk": "{target_dat} жағдайға ауыстыру",
    },
    "strict": {
        "en": "Grounds for strict conditions",
        "ru": "Основания для перевода в строгие условия",
        "kk": "Қатаң жағдайға ауыстыруға негіздер",
    },
}


def step_heading(f: Finding, lang: str) -> str:
    """A transfer finding's heading as a whole phrase of the language ("Перевод в облегчённые
    условия"); for strict conditions, a sanction, the heading names its grounds instead."""
    lang = lang if lang in LANGUAGES else "en"
    if f.value == "strict":
        return _STEP_HEADINGS["strict"][lang]
    forms: dict[str, Any] = {}
    _condition_forms(str(f.value), lang, "target", forms)
    return _STEP_HEADINGS["transfer"][lang].format(**forms)


def _entitlement_value(e: Entitlement, lang: str) -> str:
    if e.determinable:
        words = UI.get(str(e.value))  # a figure that is words ("unlimited"), said in the language
        return words[lang] if words is not None and isinstance(e.value, str) else str(e.value)
    planned = e.planned
    if isinstance(planned, dict) and "value" in planned:
        return UI["planned"][lang].format(value=planned["value"], year=planned.get("year", "—"))
    return UI["unknown"][lang]


def render_lines(result: Result, lang: str = "en") -> list[str]:
    """A result in plain words, for the person it is about (warnings start with "  ! ")."""
    if lang not in LANGUAGES:
        lang = "en"
    on = result.as_of
    out = [_ui("title", lang, on=on)]
    out.append(
        UI["degree"][lang].format(
            held=_degree_name(result.degree, lang),
            qualifies=_degree_name(result.qualifies_for_degree, lang),
        )
    )
    if result.gap.unsupported:
        out.append("  ! " + UI["unsupported"][lang])
    if result.gap.waiting_since and result.gap.waiting_days is not None:
        days = result.gap.waiting_days
        out.append(
            "  ! "
            + _ui(
                "waiting",
                lang,
                since=result.gap.waiting_since,
                days=days,
                days_ru=_ru_count(days, "день", "дня", "дней"),
            )
        )
    transfers = [f for f in result.findings if f.id.startswith("transfer.")]
    if any(
        c.code == "transfer.counted_from_sentence_start" for f in transfers for c in f.conditions
    ):
        out.append("  ! " + UI["no_arrival"][lang])
    for f in result.findings:
        if (
            f.id.startswith("degree.")
            and f.value is not None
            and int(f.value) > max(result.degree, 0)
        ):
            k = int(f.value)
            if f.met is None:
                state = UI["unknown"][lang]
            elif f.met:
                state = UI["degree_met"][lang]
            else:
                state = _due(f.met_on, lang) if f.met_on else UI["degree_not_met"][lang]
            out.append(
                UI["degree_next"][lang].format(
                    k_en=_ORDINALS["en"][k],
                    k_ru=_ORDINALS["ru_nom"][k],
                    k_kk=_ORDINALS["kk"][k].capitalize(),
                    state=state,
                )
            )
            out.extend(finding_lines(f, on, lang))
            first = f.conditions[0].params.get("first_incentive") if f.conditions else None
            if isinstance(first, date) and not f.met:
                out.append("    " + _ui("latest_incentive", lang, first=first))
    forms: dict[str, Any] = {}
    _condition_forms(result.condition, lang, "condition", forms)
    _dates("since", result.condition_since, lang, forms)
    out.append(UI["condition"][lang].format(**forms))
    strict = [f for f in transfers if f.value == "strict"]
    for f in transfers:
        if f.value != "strict":
            out.extend(_transfer_lines(f, on, lang))
    for f in strict:
        out.extend(_strict_lines(f, on, lang))
    release = result.finding("release")
    if result.release_on:
        out.append(_ui("release", lang, date=result.release_on))
        if release is not None:  # the rules the date rests on, which have no state of their own
            out.extend(f"    - {condition_text(c, lang)}" for c in release.conditions)
    else:
        out.append(UI["life"][lang])
    for key in ("parole", "parole_mandatory", "substitution"):
        rf = result.finding(key)
        if rf is None:
            continue
        if key == "parole_mandatory":
            if not rf.conditions:
                continue  # no date of parole to make mandatory
            if isinstance(rf.value, date):
                out.append(_ui(key, lang, date=rf.value))
            else:
                state = (
                    UI["not_mandatory"][lang] if rf.met is False else _unknown(rf.conditions, lang)
                )
                out.append(UI["parole_mandatory_state"][lang].format(state=state))
            out.extend(finding_lines(rf, on, lang))
            continue
        if isinstance(rf.value, date) and rf.met is None and key == "parole":
            out.append(_ui("parole_unless", lang, date=rf.value))
        elif isinstance(rf.value, date):
            out.append(_ui(key, lang, date=rf.value))
        elif rf.met is False:
            out.append(UI[f"{key}_state"][lang].format(state=UI["not_available"][lang]))
        else:
            out.append(UI[f"{key}_state"][lang].format(state=_unknown(rf.conditions, lang)))
        out.extend(finding_lines(rf, on, lang))
    heading = UI["entitlements"][lang].format(**forms)
    out.append(heading[:1].upper() + heading[1:])
    for e in result.entitlements:
        name = ENTITLEMENT_NAMES[e.name][lang]
        out.append(f"  - {name} — {_entitlement_value(e, lang)} {cite(e.ref, lang)}")
    out.append(UI["footnote"][lang])
    return out
