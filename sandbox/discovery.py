"""Business Discovery and the tags edge: other accounts' public data, and media others tag us in.

- `GET /{ig-user-id}?fields=business_discovery.username(NAME){…}` (graph.facebook.com only, a
  Facebook Login token of a professional account) answers NAME's public fields and its media
  (public media fields only: no insights, no stories, no comments edge). The nested media edge
  pages with `media.after(CURSOR).limit(N)`; its `paging` carries only `cursors.after`, as in the
  response recorded in kedar-hargude/instagram-engagement-calculator (src/data.js), default 25.
- NAME not a professional account (personal, private), age-gated, renamed away or unknown: Meta
  answers the same error for all of them (code 110, subcode 2207013, "Cannot find User"), as
  public client code that met them records (docs/sandbox.md, "Business Discovery").
- `GET /{ig-user-id}/tags`: media other people posted with the account tagged, newest first,
  cursor paging like `/media`.

Besides the seeded accounts, the sandbox generates public accounts nobody connects: IFMA
campuses (professional), and one personal, one private and one age-gated account.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import data
from .errors import GraphError, no_field
from .fields import Field

if TYPE_CHECKING:  # context imports state, which seeds the public accounts from here
    from .context import Ctx

PUBLIC_NO = 100  # generated public accounts are numbered from here (ids 178414000000001NN)
CAMPUSES = [
    ("ifma.timon", "IFMA Campus Timon", "Timon"),
    ("ifma.bacabal", "IFMA Campus Bacabal", "Bacabal"),
    ("ifma.codo", "IFMA Campus Codó", "Codó"),
    ("ifma.barradocorda", "IFMA Campus Barra do Corda", "Barra do Corda"),
    ("ifma.pinheiro", "IFMA Campus Pinheiro", "Pinheiro"),
    ("ifma.santaines", "IFMA Campus Santa Inês", "Santa Inês"),
    ("ifma.acailandia", "IFMA Campus Açailândia", "Açailândia"),
    ("ifma.zedoca", "IFMA Campus Zé Doca", "Zé Doca"),
    ("ifma.grajau", "IFMA Campus Grajaú", "Grajaú"),
    ("ifma.pedreiras", "IFMA Campus Pedreiras", "Pedreiras"),
    ("ifma.rosario", "IFMA Campus Rosário", "Rosário"),
    ("ifma.viana", "IFMA Campus Viana", "Viana"),
    ("ifma.alcantara", "IFMA Campus Alcântara", "Alcântara"),
    ("ifma.araioses", "IFMA Campus Araioses", "Araioses"),
    ("ifma.barreirinhas", "IFMA Campus Barreirinhas", "Barreirinhas"),
    ("ifma.buriticupu", "IFMA Campus Buriticupu", "Buriticupu"),
    ("ifma.carolina", "IFMA Campus Carolina", "Carolina"),
    ("ifma.coelhoneto", "IFMA Campus Coelho Neto", "Coelho Neto"),
    ("ifma.itapecuru", "IFMA Campus Itapecuru-Mirim", "Itapecuru-Mirim"),
    ("ifma.portofranco", "IFMA Campus Porto Franco", "Porto Franco"),
    ("ifma.presidentedutra", "IFMA Campus Presidente Dutra", "Presidente Dutra"),
    ("ifma.saojoaodospatos", "IFMA Campus São João dos Patos", "São João dos Patos"),
    ("ifma.ribamar", "IFMA Campus São José de Ribamar", "São José de Ribamar"),
    ("ifma.centrohistorico", "IFMA Campus São Luís - Centro Histórico", "São Luís"),
    ("ifma.maracana", "IFMA Campus São Luís - Maracanã", "São Luís"),
    ("ifma.mangabeiras", "IFMA Campus São Raimundo das Mangabeiras", "São Raimundo das Mangabeiras"),
    ("ifma.itaquibacanga", "IFMA Campus São Luís - Itaqui-Bacanga", "São Luís"),
    ("ifma.axixa", "IFMA Campus Axixá", "Axixá"),
    ("ifma.vianense", "IFMA Núcleo Avançado Viana", "Viana"),
]
# Accounts Business Discovery refuses, and why (the answer is the same error for each).
UNDISCOVERABLE = [
    ("joana.estudante", "Joana (conta pessoal)", "personal"),
    ("perfil.fechado", "Perfil privado", "private"),
    ("cervejaria.maranhense", "Cervejaria Maranhense (+18)", "age_gated"),
]
PUBLIC_PROFILE_FIELDS = {
    "id",
    "ig_id",
    "username",
    "name",
    "biography",
    "website",
    "followers_count",
    "follows_count",
    "media_count",
    "profile_picture_url",
    "media",
}
PUBLIC_MEDIA_FIELDS = {
    "id",
    "caption",
    "comments_count",
    "like_count",
    "media_type",
    "media_product_type",
    "media_url",
    "permalink",
    "thumbnail_url",
    "timestamp",
    "username",
    "children",
}
TAG_FIELDS = {
    "id",
    "caption",
    "comments_count",
    "like_count",
    "media_type",
    "media_product_type",
    "media_url",
    "permalink",
    "timestamp",
    "username",
}
SEEDED_TAGS = 8


def seed(state: Any) -> None:
    """Add the public accounts (after the seeded ones' conversations: nobody messages them)."""
    state.discovery = {}  # account no -> "business" | "personal" | "private" | "age_gated"
    state.added_tags = {}  # account no -> tagged media added by the control API, oldest first
    rows = [(u, n, c, "business") for u, n, c in CAMPUSES] + [(u, n, "São Luís", k) for u, n, k in UNDISCOVERABLE]
    for offset, (username, name, city, kind) in enumerate(rows):
        no = PUBLIC_NO + offset
        state.accounts[no] = data.make_account(no, username, name, city, None, state.seed, state.anchor)
        state.discovery[no] = kind


def cannot_find(username: str) -> GraphError:
    return GraphError(
        110,
        "Invalid user id",
        subcode=2207013,
        is_transient=False,
        error_user_title="Cannot find User",
        error_user_msg=f"The user with username: {username} cannot be found.",
    )


def target(ctx: Ctx, f: Field) -> data.Account:
    """The account named by `business_discovery.username(…)`, if Meta would show it."""
    if ctx.ig_host:
        raise no_field("business_discovery", "User")
    ctx.require_scope("", "instagram_basic")
    username = (f.modifiers.get("username") or "").strip().lstrip("@")
    if not username:
        raise GraphError(100, "(#100) The parameter username is required")
    st = ctx.state
    found = next((a for a in st.accounts.values() if a.username.lower() == username.lower()), None)
    if found is None or st.discovery.get(found.no, "business") != "business":
        raise cannot_find(username)
    return found


def check_public(fields: list[Field], allowed: set[str], node_type: str) -> None:
    for f in fields:
        if f.name not in allowed:
            raise no_field(f.name, node_type)


def media_paging(paging: dict[str, Any]) -> dict[str, Any]:
    """The nested media edge of business_discovery: only the `after` cursor (recorded shape)."""
    after = (paging.get("cursors") or {}).get("after")
    return {"cursors": {"after": after}} if after else {}


# ---------------------------------------------------------------- tags


def tagged(state: Any, acct: data.Account) -> list[dict[str, Any]]:
    """Media others posted with the account tagged, newest first."""
    items = [_seeded_tag(acct, i) for i in range(SEEDED_TAGS)]
    items += state.added_tags.get(acct.no, [])
    return sorted(items, key=lambda m: -m["timestamp"])


def _seeded_tag(acct: data.Account, i: int) -> dict[str, Any]:
    r = data.rng(acct.seed, acct.no, "tag", i)
    _uid, poster = data.commenter(r)
    product = "REELS" if r.random() < 0.3 else "FEED"
    return {
        "id": f"185{acct.no:03d}{i:012d}",
        "username": poster,
        "caption": r.choice(TAG_CAPTIONS).format(at=f"@{acct.username}"),
        "media_type": "VIDEO" if product == "REELS" else "IMAGE",
        "media_product_type": product,
        "timestamp": acct.anchor - int((i + r.random()) * 6 * data.DAY) - 3600,
        "like_count": r.randint(5, 400),
        "comments_count": r.randint(0, 30),
        "shortcode": data.shortcode(r),
    }


TAG_CAPTIONS = [
    "Primeiro dia de aula no {at}! 🎒",
    "Feira de ciências com a turma, valeu {at} 🔬",
    "Formatura chegando! Obrigada {at} por tudo 🎓",
    "Visita técnica incrível organizada pelo {at}",
    "Jogos dos Institutos Federais com a delegação do {at} 🏐",
]


def add_tag(state: Any, body: dict[str, Any]) -> dict[str, Any]:
    acct = state.account(body.get("account") or "ifma.saoluis")
    if acct is None:
        raise ValueError(f"unknown account {body.get('account')!r}")
    mid = state.new_id("186")
    item = {
        "id": mid,
        "username": str(body.get("username") or "visitante.ifma"),
        "caption": str(body.get("caption") or f"Marcando o @{acct.username} nesta foto! 📸"),
        "media_type": "IMAGE",
        "media_product_type": "FEED",
        "timestamp": int(state.now() - float(body.get("age_minutes") or 0) * 60),
        "like_count": int(body.get("like_count") or 0),
        "comments_count": 0,
        "shortcode": "T" + mid[-10:],
    }
    state.added_tags.setdefault(acct.no, []).append(item)
    return item


def render_tag(ctx: Ctx, m: dict[str, Any], fields: list[Field] | None) -> dict[str, Any]:
    if fields is None:
        return {"id": m["id"]}
    check_public(fields, TAG_FIELDS, "IGMedia" if not ctx.ig_host else "Media")
    kind = "reel" if m["media_product_type"] == "REELS" else "p"
    values = {
        **m,
        "timestamp": _iso(m["timestamp"]),
        "permalink": f"{ctx.req.base}/www.instagram.com/{kind}/{m['shortcode']}/",
        "media_url": f"{ctx.req.base}/scontent.cdninstagram.com/v/{m['id']}.jpg",
    }
    out = {f.name: values[f.name] for f in fields if f.name in values}
    out.setdefault("id", m["id"])
    return out


def _iso(ts: int) -> str:
    from .insights import iso

    return iso(ts)


def control(state: Any, path: str, body: dict[str, Any]) -> dict[str, Any]:
    """`/_sandbox/discovery/…`: list the public accounts, rename one, make one post or grow."""
    if path == "/discovery":
        return {
            "accounts": [
                dict(state.account_summary(a), discovery=state.discovery.get(a.no, "business"))
                for a in state.accounts.values()
            ]
        }
    acct = state.account(body.get("account"))
    if acct is None:
        raise ValueError(f"unknown account {body.get('account')!r}")
    if path == "/discovery/rename":
        new = str(body.get("username") or "")
        if not new or state.account(new):
            raise ValueError("username is required and must be new")
        acct.username = new
    elif path == "/discovery/grow":
        acct.followers = max(0, acct.followers + int(body.get("followers") or 0))
        for _ in range(int(body.get("media") or 0)):
            _new_post(state, acct)
    else:
        raise ValueError(f"unknown control call /_sandbox{path}")
    return dict(state.account_summary(acct), discovery=state.discovery.get(acct.no, "business"))


def _new_post(state: Any, acct: data.Account) -> None:
    """A new feed post, newest first, as if the account had just published it in the app."""
    from .publishing import _media

    mid = state.new_id("183")
    r = data.rng(acct.seed, mid)
    m = _media(mid, acct, "IMAGE", "FEED", int(state.now()), data.caption(r, acct), "published")
    m["metrics"]["likes"] = r.randint(20, 300)
    m["published_via_api"] = False
    state.published[mid] = m
    state.published_feed.setdefault(acct.no, []).append(mid)
