"""Who and whether, read from the Russian dependency tree (dossier/events/syntax.py), on
sentences written for these tests: the clause's patient or agent, not the nearest name."""

from __future__ import annotations

from test_events import make_doc, person

from dossier.events.detect import find_events
from dossier.events.syntax import parse, subjects
from dossier.model import EventMention


def events_of(text: str, names: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """(type, status, subject base) of every event found, for names given as (surface, base)."""
    doc = make_doc(text, "ru")
    mentions = [person(doc, surface, base) for surface, base in names]
    bases = {m.id: m.base for m in mentions}
    found: list[EventMention] = find_events(doc, mentions, [])
    return sorted((e.type, e.status, bases.get(e.subject or "", "")) for e in found)


def test_the_patient_not_the_speaker_or_the_nearest_name() -> None:
    got = events_of("Адвокат Игорь Котов заявил, что полиция задержала его подзащитного "
                    "Олега Смирнова.", [("Игорь Котов", "Игорь Котов"),
                                        ("Олега Смирнова", "Олег Смирнов")])
    assert got == [("detention", "occurred", "Олег Смирнов")]


def test_a_relative_applies_not_the_person_named_beside_him() -> None:
    got = events_of("Муж активистки Анны Ивановой попросил убежища в Германии.",
                    [("Анны Ивановой", "Анна Иванова")])
    assert got == []


def test_dative_of_an_overturned_sentence_and_a_list_of_names() -> None:
    got = events_of("Верховный суд отменил приговор Ивану Петрову и Сергею Орлову.",
                    [("Ивану Петрову", "Иван Петров"), ("Сергею Орлову", "Сергей Орлов")])
    assert got == [("sentence", "blocked", "Иван Петров"), ("sentence", "blocked", "Сергей Орлов")]


def test_acquittal_is_a_blocked_sentence() -> None:
    got = events_of("Суд оправдал Марину Козлову.", [("Марину Козлову", "Марина Козлова")])
    assert got == [("sentence", "blocked", "Марина Козлова")]


def test_dismissal_from_a_post_and_a_charge_denied_after_it_are_no_events() -> None:
    assert events_of("Президент освободил Сергея Орлова от должности министра.",
                     [("Сергея Орлова", "Сергей Орлов")]) == []
    assert events_of("Обвинений Сергею Орлову предъявлено не было.",
                     [("Сергею Орлову", "Сергей Орлов")]) == []


def test_future_and_infinitive_are_not_facts() -> None:
    got = events_of("Сергей Орлов будет освобождён через неделю.",
                    [("Сергей Орлов", "Сергей Орлов")])
    assert got == [("release", "possible", "Сергей Орлов")]
    got = events_of("Марина Козлова собирается бежать из страны.",
                    [("Марина Козлова", "Марина Козлова")])
    assert got == [("flight", "possible", "Марина Козлова")]
    got = events_of("Марине Козловой удалось бежать из страны.",
                    [("Марине Козловой", "Марина Козлова")])
    assert got == [("flight", "occurred", "Марина Козлова")]


def test_subjects_through_a_relative_pronoun_and_a_shared_verb() -> None:
    text = "Суд вынес приговор Ольге Беловой, которая в 2020 году была задержана и выслана."
    doc = make_doc(text, "ru")
    belova = person(doc, "Ольге Беловой", "Ольга Белова")
    words = parse(text, 0)
    for trigger in ("задержана", "выслана"):
        at = text.find(trigger)
        result = subjects(words, (at, at + len(trigger)), [belova], "patient")
        assert (result.verdict, [m.base for m in result.names]) == ("named", ["Ольга Белова"])


def _events_all(text: str, names: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """As events_of, with every occurrence of each name as a mention."""
    doc = make_doc(text, "ru")
    mentions = [person(doc, surface, base, nth=k) for surface, base in names
                for k in range(text.count(surface))]
    bases = {m.id: m.base for m in mentions}
    return sorted((e.type, e.status, bases.get(e.subject or "", ""))
                  for e in find_events(doc, mentions, []))


def test_a_role_noun_names_the_person_introduced_with_it() -> None:
    got = _events_all("Полиция задержала журналиста Ивана Петрова в Москве. Олег Смирнов "
                      "выступил на митинге. Спустя неделю суд освободил журналиста.",
                      [("Ивана Петрова", "Иван Петров"), ("Олег Смирнов", "Олег Смирнов")])
    assert got == [("detention", "occurred", "Иван Петров"), ("release", "occurred", "Иван Петров")]


def test_a_role_noun_names_the_only_person_of_the_sentence_before() -> None:
    got = _events_all("Сергей Орлов вернулся в Россию в мае. В аэропорту полиция задержала "
                      "бизнесмена.", [("Сергей Орлов", "Сергей Орлов")])
    assert got == [("detention", "occurred", "Сергей Орлов")]


def test_a_role_noun_with_two_candidates_a_plural_or_a_lawyer_names_no_one() -> None:
    two = [("Сергей Орлов", "Сергей Орлов"), ("Олег Смирнов", "Олег Смирнов")]
    assert _events_all("Сергей Орлов и Олег Смирнов вернулись в Россию. В аэропорту полиция "
                       "задержала бизнесмена.", two) == []
    one = [("Сергей Орлов", "Сергей Орлов")]
    assert _events_all("Сергей Орлов вернулся в Россию. В аэропорту полиция задержала двух "
                       "журналистов.", one) == []
    assert _events_all("Сергей Орлов вернулся в Россию. В аэропорту полиция задержала "
                       "адвоката.", one) == []


def test_the_words_inside_a_trigger_gap_are_its_arguments() -> None:
    got = _events_all("Сергей Орлов предстал перед судом в мае. Суд признал его виновным в "
                      "мошенничестве.", [("Сергей Орлов", "Сергей Орлов")])
    assert got == [("sentence", "occurred", "Сергей Орлов")]
    got = _events_all("Олега Смирнова доставили в отдел. Следователи предъявили ему обвинение "
                      "в краже.", [("Олега Смирнова", "Олег Смирнов")])
    assert got == [("charge", "occurred", "Олег Смирнов")]


def test_the_press_accusing_someone_is_no_charge() -> None:
    assert _events_all("Британские СМИ обвинили Анну Петрову в шпионаже.",
                       [("Анну Петрову", "Анна Петрова")]) == []


def test_a_lead_role_noun_is_named_by_the_next_sentence_only_name() -> None:
    got = _events_all("В аэропорту Казани задержан российский программист.\n\nПо данным "
                      "полиции, 30-летний Олег Смирнов летел в Стамбул.",
                      [("Олег Смирнов", "Олег Смирнов")])
    assert got == [("detention", "occurred", "Олег Смирнов")]
    got = _events_all("В аэропорту Казани задержан российский программист. Олег Смирнов и "
                      "Сергей Орлов летели в Стамбул.",
                      [("Олег Смирнов", "Олег Смирнов"), ("Сергей Орлов", "Сергей Орлов")])
    assert got == []


def test_a_feminine_role_noun_never_names_a_man() -> None:
    got = _events_all("Сергей Орлов вернулся в Россию в мае. В аэропорту полиция задержала "
                      "женщину.", [("Сергей Орлов", "Сергей Орлов")])
    assert got == []


def test_a_demanded_release_is_possible_and_those_who_carry_no_one() -> None:
    got = _events_all("Сергей Орлов провёл в плену год. Для освобождения Сергея Орлова "
                      "похитители выдвинули ряд условий.", [("Сергей Орлов", "Сергей Орлов"),
                                                            ("Сергея Орлова", "Сергей Орлов")])
    assert got == [("release", "possible", "Сергей Орлов")]
    got = _events_all("Сергей Орлов провёл в плену год. Боевики потребовали денег, а также "
                      "освобождение тех, кто сидит в тюрьме.", [("Сергей Орлов", "Сергей Орлов")])
    assert ("release", "occurred", "Сергей Орлов") not in got


FAR_FILLER = ("Следствие собрало доказательства. Дело направлено в суд. Свидетели дали "
              "показания. Экспертиза завершена. Материалы переданы прокурору. ")


def test_he_far_after_the_only_name_of_the_text_is_that_person() -> None:
    got = events_of("Полиция установила личность Ильи Кузина. " + FAR_FILLER
                    + "Ему грозит до 20 лет лишения свободы.", [("Ильи Кузина", "Илья Кузин")])
    assert got == [("sentence", "possible", "Илья Кузин")]


def test_he_far_after_two_names_is_no_one_and_she_is_not_the_only_man() -> None:
    two = events_of("Полиция установила личность Ильи Кузина. Его сосед Олег Смирнов молчал. "
                    + FAR_FILLER + "Ему грозит до 20 лет лишения свободы.",
                    [("Ильи Кузина", "Илья Кузин"), ("Олег Смирнов", "Олег Смирнов")])
    assert two == []
    she = events_of("Полиция установила личность Ильи Кузина. " + FAR_FILLER
                    + "Ей грозит до 20 лет лишения свободы.", [("Ильи Кузина", "Илья Кузин")])
    assert she == []


def test_a_trip_a_house_arrest_and_a_pundits_accusation() -> None:
    trip = events_of("Затем Олег Смирнов уехал в аэропорт.", [("Олег Смирнов", "Олег Смирнов")])
    assert trip == []
    fled = events_of("Олег Смирнов уехал за границу.", [("Олег Смирнов", "Олег Смирнов")])
    assert fled == [("flight", "occurred", "Олег Смирнов")]
    held = events_of("Суд поместил Олега Смирнова под домашний арест.",
                     [("Олега Смирнова", "Олег Смирнов")])
    assert [kind for kind, _, _ in held] == ["detention"]
    pundits = events_of("Некоторые политологи обвиняли Олега Смирнова в популизме.",
                        [("Олега Смирнова", "Олег Смирнов")])
    assert pundits == []


def test_the_accused_before_the_verb_is_no_accuser_and_the_prosecution_is_no_charge() -> None:
    got = events_of("В России против Олега Смирнова возбудили уголовное дело о мошенничестве.",
                    [("Олега Смирнова", "Олег Смирнов")])
    assert got == [("charge", "occurred", "Олег Смирнов")]
    accuser = events_of("Иван Петров обвинил Олега Смирнова в клевете.",
                        [("Иван Петров", "Иван Петров"), ("Олега Смирнова", "Олег Смирнов")])
    assert accuser == []
    side = events_of("Суд оправдал Марину Козлову, заявив, что обвинению не удалось доказать вину.",
                     [("Марину Козлову", "Марина Козлова")])
    assert side == [("sentence", "blocked", "Марина Козлова")]


def test_denied_accusations_and_contested_election_results_are_no_events() -> None:
    denial = events_of("Олег Смирнов отвергает все обвинения.", [("Олег Смирнов", "Олег Смирнов")])
    assert denial == []
    vote = events_of("Олег Смирнов намерен обжаловать итоги голосования.",
                     [("Олег Смирнов", "Олег Смирнов")])
    assert vote == []


def test_a_lead_role_noun_waits_for_the_sentence_that_names_it() -> None:
    got = events_of("ФБР арестовало бывшего морского пехотинца. 26-летний американец был "
                    "сторонником радикалов. Подозреваемый Джон Смит привлёк внимание "
                    "спецслужб.", [("Джон Смит", "Джон Смит")])
    assert got == [("arrest", "occurred", "Джон Смит")]
    far = events_of("ФБР арестовало бывшего морского пехотинца. " + FAR_FILLER
                    + "Джон Смит привлёк внимание.", [("Джон Смит", "Джон Смит")])
    assert far == []


def test_a_state_demanding_extradition_is_a_request() -> None:
    got = events_of("Турция потребовала, чтобы США экстрадировали Фетхуллу Гюлена.",
                    [("Фетхуллу Гюлена", "Фетхулла Гюлен")])
    assert got == [("extradition_request", "occurred", "Фетхулла Гюлен")]


def test_a_relative_named_through_a_possessor_noun_is_not_the_person() -> None:
    got = events_of("Ранее муж 50-летней христианки Асии Биби попросил убежища в Канаде.",
                    [("Асии Биби", "Асия Биби")])
    assert got == []
    soloist = events_of("Солист Большого театра Павел Дмитриченко был задержан.",
                        [("Павел Дмитриченко", "Павел Дмитриченко")])
    assert soloist == [("detention", "occurred", "Павел Дмитриченко")]


def test_what_they_cannot_or_failed_to_do_is_no_event() -> None:
    never = events_of("Олег Смирнов был агентом. Допросить его британцы не смогут никогда.",
                      [("Олег Смирнов", "Олег Смирнов")])
    assert never == []
