import pytest
from django.urls import reverse


@pytest.mark.parametrize("name", ["profile", "engagement", "comments", "messages", "export"])
def test_each_profile_page_renders(signed_in, lab, name):
    response = signed_in.get(reverse(name, args=[lab.profile.pk]))
    assert response.status_code == 200, response.content[:2000]
