"""The post lists, per profile and across profiles: every post, sorted by any stored metric,
filtered by type, period and caption, paginated, with thumbnails and a hashtag table."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from collector.models import Media, MediaProductType, MediaType
from insights import posts
from tests.insights.builders import account, populate

pytestmark = pytest.mark.django_db
EVERYTHING = "period=custom&start=2000-01-01&end=2100-01-01"


def test_it_pages_through_every_post_sorted_by_a_metric(signed_in, lab):
    url = reverse("profile_posts", args=[lab.profile.pk])
    first = signed_in.get(f"{url}?{EVERYTHING}&sort=reach&order=desc")
    page = first.context["page"]
    assert page.paginator.count == Media.objects.filter(profile=lab.profile, is_deleted=False).count() == 200
    reaches = [post["reach"] for post in page.object_list]
    assert len(reaches) == posts.PAGE_SIZE and reaches == sorted(reaches, reverse=True)
    assert reaches[0] == max(Media.objects.filter(profile=lab.profile).values_list("reach", flat=True))
    last = signed_in.get(f"{url}?{EVERYTHING}&sort=reach&order=desc&page=4").context["page"]
    seen = {
        post["id"]
        for number in (1, 2, 3)
        for post in signed_in.get(f"{url}?{EVERYTHING}&sort=reach&page={number}").context["page"].object_list
    }
    assert len(seen | {post["id"] for post in last.object_list}) == 200
    ascending = signed_in.get(f"{url}?{EVERYTHING}&sort=er_reach&order=asc").context["page"].object_list
    rates = [post["er_reach"] for post in ascending]
    assert rates == sorted(rates)


def test_it_filters_by_type_and_caption_text(signed_in, lab):
    url = reverse("profile_posts", args=[lab.profile.pk])
    reels = signed_in.get(f"{url}?{EVERYTHING}&kind=reel").context["page"]
    expected = Media.objects.filter(profile=lab.profile, media_product_type=MediaProductType.REELS).count()
    assert reels.paginator.count == expected and {post["kind"] for post in reels.object_list} == {"reel"}
    worded = signed_in.get(f"{url}?{EVERYTHING}&q=monte castelo").context["page"]
    assert (
        worded.paginator.count == Media.objects.filter(profile=lab.profile, caption__icontains="Monte Castelo").count()
    )
    assert all("Monte Castelo" in post["caption"] for post in worded.object_list)
    body = signed_in.get(f"{url}?{EVERYTHING}&q=nothing-like-this").content.decode()
    assert 'id="no-posts"' in body


def test_the_hashtag_table_comes_from_the_captions(signed_in, lab):
    response = signed_in.get(reverse("profile_posts", args=[lab.profile.pk]) + f"?{EVERYTHING}")
    tags = {row["hashtag"]: row for row in response.context["hashtags"]}
    tagged = Media.objects.filter(profile=lab.profile, is_deleted=False, caption__icontains="#ifma")
    assert tags["ifma"]["posts"] == tagged.count() == tags["educação"]["posts"]
    assert 'id="hashtags"' in response.content.decode()


def test_thumbnails_are_metas_urls_while_they_are_valid():
    now = timezone.now().timestamp()
    fresh = f"https://scontent.cdninstagram.com/v/t51/1.jpg?oe={int(now + 3600):X}&oh=00"
    stale = f"https://scontent.cdninstagram.com/v/t51/2.jpg?oe={int(now - 60):X}&oh=00"
    assert posts.thumbnail({"media_url": fresh}, now) == fresh
    assert posts.thumbnail({"media_url": stale}, now) == ""
    assert posts.thumbnail({"thumbnail_url": fresh, "media_url": "https://x/video.mp4"}, now) == fresh
    assert posts.thumbnail({"children": [{"media_url": fresh}]}, now) == fresh
    assert posts.thumbnail({"media_url": "javascript:alert(1)"}, now) == ""


def test_the_list_across_profiles_shows_only_the_persons_profiles(client):
    ours, theirs = account("ifma.caxias"), account("ifma.imperatriz")
    second = account("ifma.timon", user=ours.user)
    for created in (ours, theirs, second):
        populate(created.profile, media=30, comments_per_media=0, days=60)
    Media.objects.create(
        profile=second.profile, meta_id="179999", timestamp=timezone.now() - timedelta(days=1),
        media_type=MediaType.IMAGE, media_product_type=MediaProductType.FEED, reach=10, like_count=1,
        media_url="https://scontent.cdninstagram.com/v/t51/x.jpg",
    )  # fmt: skip
    client.force_login(ours.user)
    response = client.get(reverse("posts") + "?period=90")
    accounts = {post["account"] for post in response.context["page"].object_list}
    assert accounts == {"@ifma.caxias", "@ifma.timon"}
    assert response.context["page"].paginator.count == 61
    assert 'src="https://scontent.cdninstagram.com/v/t51/x.jpg"' in response.content.decode()
    assert client.get(reverse("profile_posts", args=[theirs.profile.pk])).status_code == 404


@pytest.mark.sqlite  # a generated column: each database computes it
def test_the_stored_engagement_rate_by_reach_follows_every_write_of_the_counters(signed_in, lab):
    media = list(Media.objects.filter(profile=lab.profile, is_deleted=False).order_by("id")[:3])
    first, second, third = media
    first.reach, first.total_interactions = 400, 50  # save(), as the collector stores a media it reads
    first.save()
    Media.objects.filter(pk=second.pk).update(reach=1000, total_interactions=None, like_count=7, comments_count=3,
                                              saved=None, shares=0)  # fmt: skip
    third.reach = 0
    Media.objects.bulk_update([third], ["reach"])
    rates = dict(Media.objects.filter(pk__in=[m.pk for m in media]).values_list("pk", "er_reach"))
    assert rates[first.pk] == pytest.approx(12.5)  # Meta's total_interactions when known: 50 / 400
    assert rates[second.pk] == pytest.approx(1.0)  # else the four counters, missing ones as 0: 10 / 1,000
    assert rates[third.pk] is None  # no reach, no rate: never 0

    Media.objects.filter(pk=second.pk).update(total_interactions=990)  # fresh insights: 99 %, the highest
    url = reverse("profile_posts", args=[lab.profile.pk]) + f"?{EVERYTHING}&sort=er_reach"
    top = signed_in.get(url).context["page"].object_list[0]
    assert top["id"] == second.pk and top["er_reach"] == pytest.approx(99.0)
    last = signed_in.get(url + "&page=4").context["page"].object_list
    assert last[-1]["er_reach"] is None, "posts without a rate come last"
