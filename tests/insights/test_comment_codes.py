"""The comments page shows each comment's codes (sentiment, flags) and filters by them, first of
all to the questions the account has not answered yet."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from collector.models import Comment
from insights.moderation import PAGE_SIZE
from tests.insights.builders import Account, account, populate
from tests.insights.conftest import page_text

pytestmark = pytest.mark.sqlite  # make run's default database shows this page too

# Comments as a campus account gets them (tests/data has 600 more, labelled).
CAMPUS_COMMENTS = (
    "Quando abre a matrícula do integrado?",
    "gnt alguem sabe qnd sai o resultado",
    "O refeitório serviu comida fria de novo hoje 😡",
    "Até quando vamos ficar sem ar-condicionado no bloco B?",
    "Parabéns aos aprovados! 👏",
    "Sigam @promo_seguidores para ganhar seguidores grátis",
    "Fiz a prova ontem",
)


@pytest.fixture
def campus(db: None) -> Account:
    lab = account("ifma.codes")
    populate(lab.profile, media=30, comments_per_media=4, days=60, comment_texts=CAMPUS_COMMENTS)
    return lab


def _shown(client: Client, campus: Account, query: str) -> list[Comment]:
    client.force_login(campus.user)
    response = client.get(reverse("comments", args=[campus.profile.pk]) + query)
    assert response.status_code == 200
    return response.context["threads"].comments


def test_questions_not_yet_answered_are_the_questions_without_a_reply_from_the_account(
    client: Client, campus: Account
) -> None:
    shown = _shown(client, campus, "?status=questions")
    top = Comment.objects.filter(profile=campus.profile, parent=None)
    waiting = top.filter(is_question=True).exclude(replies__username=campus.profile.username)
    assert shown and all(c.is_question and not c.answered and not c.by_owner for c in shown)
    assert len(shown) == min(PAGE_SIZE, waiting.count())
    assert top.filter(is_question=True, replies__username=campus.profile.username).exists()  # some were answered


def test_sentiment_and_flag_filters_narrow_the_threads(client: Client, campus: Account) -> None:
    negative = _shown(client, campus, "?sentiment=negative")
    complaints = _shown(client, campus, "?flag=complaint&sentiment=negative")
    spam = _shown(client, campus, "?flag=spam")
    assert negative and all(c.sentiment == "negative" for c in negative)
    assert complaints and all(c.is_complaint for c in complaints)
    assert spam and all(c.is_spam and c.sentiment == "neutral" for c in spam)


def test_an_unknown_code_filters_nothing(client: Client, campus: Account) -> None:
    assert len(_shown(client, campus, "?flag=rumour&sentiment=angry")) == len(_shown(client, campus, ""))


def test_each_comment_shows_its_codes_and_the_classifier_that_coded_them(client: Client, campus: Account) -> None:
    client.force_login(campus.user)
    text = page_text(client.get(reverse("comments", args=[campus.profile.pk]) + "?status=questions"))
    assert "Questions not yet answered" in text
    assert '<span class="badge badge-code">Question</span>' in text
    assert "Coded automatically by lexico-ptbr" in text


def test_the_codes_speak_portuguese(client: Client, campus: Account) -> None:
    client.force_login(campus.user)
    url = reverse("comments", args=[campus.profile.pk]) + "?flag=complaint"
    text = page_text(client.get(url, HTTP_ACCEPT_LANGUAGE="pt-br"))
    assert "Perguntas ainda sem resposta" in text
    assert '<span class="badge badge-code">Reclamação</span>' in text and "Negativo" in text


@pytest.mark.parametrize("file_format", ["csv", "parquet"])
def test_the_comment_export_carries_the_codes_and_leaves_an_uncoded_comment_empty(
    client: Client, campus: Account, file_format: str
) -> None:
    import io

    import pandas as pd

    import classifier

    uncoded = Comment.objects.filter(profile=campus.profile).order_by("pk").first()
    Comment.objects.filter(pk=uncoded.pk).update(coded_by="")
    client.force_login(campus.user)
    url = reverse("export", args=[campus.profile.pk]) + f"?period=90&dataset=comments&format={file_format}"
    body = b"".join(client.get(url).streaming_content)
    frame = pd.read_csv(io.BytesIO(body)) if file_format == "csv" else pd.read_parquet(io.BytesIO(body))

    coded = ["sentiment", "sentiment_score", "is_question", "is_complaint", "is_praise", "is_spam", "coded_by"]
    assert set(coded) <= set(frame.columns)
    rows = frame.set_index(frame["comment_id"].astype(str))
    assert rows.loc[uncoded.meta_id, coded].isna().all()
    question = Comment.objects.filter(profile=campus.profile, text=CAMPUS_COMMENTS[0]).exclude(pk=uncoded.pk).first()
    row = rows.loc[question.meta_id]
    assert (row["sentiment"], bool(row["is_question"]), row["coded_by"]) == ("neutral", True, classifier.LABEL)
