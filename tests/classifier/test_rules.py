"""The rules one at a time: each comment is one the lexicon alone would get wrong."""

from __future__ import annotations

import pytest

from classifier import LABEL, NAME, VERSION, classify


def test_it_names_its_version_for_the_coded_comments() -> None:
    assert LABEL == f"{NAME} {VERSION}" and NAME and VERSION


@pytest.mark.parametrize(
    ("text", "sentiment"),
    [
        ("não gostei da palestra", "negative"),  # a praise word denied
        ("a palestra não foi ruim não", "positive"),  # a complaint denied, with the trailing "não"
        ("não tem como não amar esse campus", "positive"),  # two negations
        ("O curso é bom mas a estrutura é horrível", "negative"),  # what follows "mas" decides
        ("Apesar dos problemas, amo estudar aqui", "positive"),  # what "apesar" opens counts little
        ("Que ótimo, mais uma semana sem ônibus 🙃", "negative"),  # an irony emoji
        ("Que lindo, o ar-condicionado novo já quebrou", "negative"),  # praise beside a complaint, no "mas"
        ("MUITO BOMMM 😍", "positive"),  # capitals, repeated letters, an emoji
        ("Bom dia! O edital já saiu?", "neutral"),  # a greeting is no praise
    ],
)
def test_it_reads_negation_contrast_and_irony(text: str, sentiment: str) -> None:
    assert classify(text).sentiment == sentiment


def test_a_question_needs_no_question_mark() -> None:
    assert classify("gnt alguem sabe qnd começa as aula").question
    assert classify("a taxa de inscrição é quanto").question
    assert not classify("A palestra começa às 19h no auditório").question


def test_lacking_a_service_is_a_complaint_and_grief_is_not() -> None:
    lacking = classify("o banheiro do bloco A tá sem água desde segunda")
    grief = classify("Lamento muito o falecimento do professor")
    assert (lacking.sentiment, lacking.complaint) == ("negative", True)
    assert (grief.sentiment, grief.complaint) == ("negative", False)


def test_spam_is_neutral_with_no_other_flag() -> None:
    coded = classify("Quer aumentar seus seguidores? Acesse www.seguidoresbr.com 😍")
    assert coded.spam and coded.sentiment == "neutral" and coded.flags == ("spam",)
    assert not classify("Segue o link do edital na bio do perfil").spam  # the account's own pointers
    assert not classify("Obrigado! Veja o link na bio.").spam


def test_it_codes_empty_and_odd_text_without_failing() -> None:
    for text in ("", "   ", "\x00", "🙃", "?" * 5000, "k" * 10_000):
        assert classify(text).sentiment in ("negative", "neutral", "positive")


def test_it_needs_nothing_but_the_standard_library() -> None:
    """Plain Python like meta/: no Django, none of our apps, no model file, nothing to download."""
    import subprocess
    import sys

    script = (
        "import sys, classifier, classifier.evaluation; classifier.classify('Quando abre a matrícula?');"
        "ours = {'django', 'collector', 'accounts', 'insights', 'webhooks', 'publishing', 'meta', 'numpy', 'pandas'};"
        "print(sorted(name for name in sys.modules if name.split('.')[0] in ours))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
