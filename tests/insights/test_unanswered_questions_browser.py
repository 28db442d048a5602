"""A campus team opens the comments page and keeps only the questions the account has not answered:
every thread left is a question, badged Question and Unanswered, and the page stays accessible."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.insights.browser import axe_violations, serve_axe, sign_in
from tests.insights.builders import account, populate
from tests.insights.test_comment_codes import CAMPUS_COMMENTS

pytestmark = pytest.mark.browser


def test_the_comments_page_filtered_to_unanswered_questions(
    transactional_db: None, page: Any, live_server: Any, screenshot: Any
) -> None:
    lab = account("ifma.perguntas")
    populate(lab.profile, media=20, comments_per_media=4, days=30, comment_texts=CAMPUS_COMMENTS)
    sign_in(page, live_server, lab.user)
    serve_axe(page, live_server)
    page.goto(live_server.url + reverse("comments", args=[lab.profile.pk]))
    assert page.locator(".codes .badge-negative").count() > 0  # every kind of code is on the unfiltered page
    screenshot("all-comments-with-codes")

    page.select_option("#filter-status", "questions")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**status=questions**")

    threads = page.locator("#threads > li.thread")
    assert threads.count() > 0
    for index in range(threads.count()):
        head = threads.nth(index).locator("article.comment").first.locator(".comment-head")
        assert head.locator(".badge-code", has_text="Question").count() == 1
        assert head.locator(".badge", has_text="Unanswered").count() == 1
    assert page.locator("#filter-status").input_value() == "questions"
    screenshot("unanswered-questions")
    assert axe_violations(page, live_server) == []
