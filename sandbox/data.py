"""Deterministic data generator.

Nothing big is stored: an account is a handful of numbers, and every media item, story, child
and comment is rebuilt on demand from (seed, account number, index). Ids encode where an item
comes from, so any id can be turned back into its item:

    180 AAA IIIIIIIIIIII        feed media (index 0 = newest)
    181 AAA IIIIIIIII CCC       carousel child
    182 AAA IIIIIIIIIIII        live story
    179 AAA IIIIIII TTT RR      generated comment (RR = 00 top-level, else reply number)

Direct-message threads are small and built eagerly at reset (seeded_conversations).
"""

from __future__ import annotations

import base64
import math
import random
from dataclasses import dataclass
from typing import Any

DAY = 86400
HISTORY = 730 * DAY

SEEDED = [
    ("ifma.saoluis", "IFMA Campus São Luís - Monte Castelo", "São Luís", "saoluis"),
    ("ifma.imperatriz", "IFMA Campus Imperatriz", "Imperatriz", "imperatriz"),
    ("ifma.caxias", "IFMA Campus Caxias", "Caxias", "caxias"),
]

COURSES = [
    "Informática",
    "Edificações",
    "Eletrotécnica",
    "Mecânica",
    "Química",
    "Meio Ambiente",
    "Administração",
    "Agropecuária",
    "Alimentos",
    "Logística",
    "Design de Interiores",
]
TEMPLATES = [
    "Estão abertas as inscrições do processo seletivo para os cursos técnicos! 📚 Confira o edital no nosso site.",
    "Nossos estudantes de {course} apresentaram seus projetos na Semana de Ciência e Tecnologia. Que orgulho! 🔬",
    "Aula prática do curso técnico em {course} no laboratório do campus {city}.",
    "Hoje tem palestra sobre empreendedorismo e inovação no auditório, às 14h. Participe!",
    "Parabéns aos aprovados no Enem! A educação pública transforma vidas. 🎓",
    "Visita técnica dos alunos de {course} a empresas da região. Teoria e prática caminham juntas.",
    "Resultado final do edital de assistência estudantil publicado. Acesse o portal do IFMA.",
    "Jogos dos Institutos Federais: nossa delegação está pronta! 🏐⚽",
    "Formatura dos cursos técnicos integrados. Parabéns, formandos de {course}! 🎉",
    "Projeto de extensão leva oficinas de robótica para escolas públicas de {city}. 🤖",
    "Mostra de iniciação científica: mais de 80 trabalhos apresentados pelos nossos estudantes.",
    "Biblioteca do campus com horário estendido durante o período de provas. Bons estudos! 📖",
    "Dia do Servidor Público: nosso agradecimento a todos os servidores do IFMA. 💚",
    "Semana do Meio Ambiente: plantio de mudas nativas no campus {city}. 🌱",
    "Seleção de bolsistas para projeto de pesquisa em {course}. Inscrições até sexta!",
]
HASHTAGS = [
    "#IFMA",
    "#EducaçãoProfissional",
    "#InstitutoFederal",
    "#Maranhão",
    "#EnsinoTécnico",
    "#Ciência",
    "#Extensão",
    "#Pesquisa",
    "#EducaçãoPública",
    "#OrgulhoDeSerIF",
]
FIRST = [
    "ana",
    "joao",
    "maria",
    "pedro",
    "lucas",
    "juliana",
    "rafael",
    "camila",
    "gabriel",
    "larissa",
    "mateus",
    "beatriz",
    "thiago",
    "fernanda",
    "diego",
    "leticia",
    "bruno",
    "vitoria",
]
LAST = ["souza", "silva", "costa", "pereira", "lima", "araujo", "ribeiro", "carvalho", "gomes"]
COMMENTS = [
    "Parabéns ao IFMA! 👏👏",
    "Quando abrem as inscrições?",
    "Que orgulho desse campus! 💚",
    "Alguém sabe o horário da secretaria?",
    "Muito bom! Sucesso a todos.",
    "Saudades dessa época 😍",
    "Onde encontro o edital?",
    "Esse curso é integrado ou subsequente?",
    "Incrível! 🔥",
    "Meu filho estuda aí e adora!",
    "Vai ter transmissão ao vivo?",
    "Top demais!",
    "Tem vagas para o noturno?",
    "Parabéns aos estudantes e professores!",
    "Que projeto lindo.",
]
REPLIES_OWNER = [
    "Olá! As informações estão no portal do IFMA. 😉",
    "Obrigado pelo carinho! 💚",
    "Oi! Chama a gente no direct que explicamos direitinho.",
    "Sim! Fique de olho no nosso perfil.",
]
REPLIES_OTHER = ["Verdade!", "Também quero saber.", "Concordo 👏", "Eu estudei lá, recomendo!"]

FEED_KINDS = [
    ("IMAGE", "FEED", 0.40),
    ("CAROUSEL_ALBUM", "FEED", 0.25),
    ("VIDEO", "REELS", 0.28),
    ("VIDEO", "FEED", 0.07),
]


@dataclass
class Account:
    no: int
    id: str
    app_scoped_id: str
    username: str
    name: str
    city: str
    followers: int
    follows: int
    generated: int  # number of generated feed media
    stories: int  # number of generated live stories
    seed: int
    anchor: int  # "now" at generation time (unix seconds)
    newest_offset: int  # age in seconds of the newest media
    comments_per_media: int | None = None

    @property
    def gap(self) -> float:
        return (HISTORY - self.newest_offset) / max(self.generated, 1)

    @property
    def biography(self) -> str:
        return f"Instituto Federal do Maranhão - {self.name}. Educação pública, gratuita e de qualidade. 💚"

    @property
    def website(self) -> str:
        return f"https://portal.ifma.edu.br/{self.username.split('.')[-1]}"


def rng(*parts: object) -> random.Random:
    return random.Random(":".join(str(p) for p in parts))


def make_account(
    no: int,
    username: str,
    name: str,
    city: str,
    media: int | None,
    seed: int,
    anchor: int,
    comments_per_media: int | None = None,
) -> Account:
    r = rng(seed, no, "account")
    count = media if media is not None else r.randint(300, 1500)
    newest = 30 * 60 if no == 1 else r.randint(3, 30) * 3600
    return Account(
        no=no,
        id=f"178414{no:011d}",
        app_scoped_id=f"{26000000000000000 + no * 7919}",
        username=username,
        name=name,
        city=city,
        followers=r.randint(5000, 40000),
        follows=r.randint(80, 600),
        generated=count,
        stories=r.randint(3, 5),
        seed=seed,
        anchor=anchor,
        newest_offset=newest,
        comments_per_media=comments_per_media,
    )


def seeded_accounts(seed: int, anchor: int) -> list[Account]:
    return [make_account(i + 1, u, n, c, None, seed, anchor) for i, (u, n, c, _) in enumerate(SEEDED)]


# ---------------------------------------------------------------- ids


def media_id(no: int, idx: int) -> str:
    return f"180{no:03d}{idx:012d}"


def child_id(no: int, idx: int, child: int) -> str:
    return f"181{no:03d}{idx:09d}{child:03d}"


def story_id(no: int, idx: int) -> str:
    return f"182{no:03d}{idx:012d}"


def comment_id(no: int, idx: int, top: int, rep: int) -> str:
    return f"179{no:03d}{idx:07d}{top:03d}{rep:02d}"


def parse_generated(obj_id: str) -> tuple[str, int, int, int, int] | None:
    """(kind, account no, index, sub, sub2) for a generated id, else None."""
    if len(obj_id) != 18 or not obj_id.isdigit():
        return None
    prefix, no = obj_id[:3], int(obj_id[3:6])
    if prefix == "180":
        return ("media", no, int(obj_id[6:]), 0, 0)
    if prefix == "181":
        return ("child", no, int(obj_id[6:15]), int(obj_id[15:]), 0)
    if prefix == "182":
        return ("story", no, int(obj_id[6:]), 0, 0)
    if prefix == "179":
        return ("comment", no, int(obj_id[6:13]), int(obj_id[13:16]), int(obj_id[16:]))
    return None


def shortcode(r: random.Random) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
    return "".join(r.choice(alphabet) for _ in range(11))


# ---------------------------------------------------------------- media


def media_age(acct: Account, idx: int) -> int:
    """Age in seconds (relative to the anchor) of feed media `idx`; strictly increasing."""
    jitter = rng(acct.seed, acct.no, "t", idx).random() * 0.8 if idx else 0.0
    return int(acct.newest_offset + (idx + jitter) * acct.gap)


def media_timestamp(acct: Account, idx: int) -> int:
    return acct.anchor - media_age(acct, idx)


def _lognormal(r: random.Random, median: float, sigma: float) -> float:
    return median * math.exp(r.gauss(0, sigma))


def _metrics(r: random.Random, followers: int, product: str) -> dict[str, int]:
    if product == "REELS":
        reach = int(_lognormal(r, followers * 0.55, 0.9))
        views = int(reach * r.uniform(1.6, 3.2))
    elif product == "STORY":
        reach = int(_lognormal(r, followers * 0.05, 0.5))
        views = int(reach * r.uniform(1.05, 1.4))
    else:
        reach = int(_lognormal(r, followers * 0.2, 0.6))
        views = int(reach * r.uniform(1.2, 2.0))
    likes = int(reach * _lognormal(r, 0.07, 0.5))
    m = {
        "reach": reach,
        "views": views,
        "likes": likes,
        "saved": int(likes * r.uniform(0.03, 0.18)),
        "shares": int(likes * r.uniform(0.02, 0.12)),
        "reposts": int(likes * r.uniform(0.0, 0.02)),
        "follows": int(reach * r.uniform(0.0, 0.004)),
        "profile_visits": int(reach * r.uniform(0.005, 0.03)),
    }
    if product == "REELS":
        avg = r.randint(2500, 16000)
        m["ig_reels_avg_watch_time"] = avg
        m["ig_reels_video_view_total_time"] = avg * views
        m["reels_skip_rate"] = round(r.uniform(20, 70), 2)
    return m


def _comment_plan(r: random.Random, total: int) -> list[int]:
    """Replies per top-level comment, totalling `total` comments."""
    if total <= 0:
        return []
    replies = round(total * r.uniform(0.1, 0.35)) if total >= 2 else 0
    tops = min(total - replies, 999)
    plan = [0] * tops
    for _ in range(total - tops):
        plan[r.randrange(min(tops, 6))] += 1
    return plan


def caption(r: random.Random, acct: Account) -> str:
    text = r.choice(TEMPLATES).format(course=r.choice(COURSES), city=acct.city)
    tags = ["#IFMA", "#EducaçãoProfissional", *r.sample(HASHTAGS[2:], r.randint(0, 3))]
    return f"{text}\n\n{' '.join(tags)}"


def feed_media(acct: Account, idx: int) -> dict[str, Any]:
    r = rng(acct.seed, acct.no, "m", idx)
    x, acc = r.random(), 0.0
    media_type, product = FEED_KINDS[-1][:2]
    for mt, pt, p in FEED_KINDS:
        acc += p
        if x < acc:
            media_type, product = mt, pt
            break
    m = _metrics(r, acct.followers, product)
    if acct.comments_per_media is not None:
        total = acct.comments_per_media
    else:
        total = min(60, int(m["likes"] * r.uniform(0.01, 0.05)))
    plan = _comment_plan(rng(acct.seed, acct.no, "c", idx), total) if idx < 10**7 else []
    children: list[tuple[str, str]] = []
    if media_type == "CAROUSEL_ALBUM":
        for c in range(r.randint(2, 10)):
            children.append((child_id(acct.no, idx, c), "VIDEO" if r.random() < 0.2 else "IMAGE"))
    return {
        "id": media_id(acct.no, idx),
        "account": acct.no,
        "index": idx,
        "source": "feed",
        "media_type": media_type,
        "media_product_type": product,
        "timestamp": media_timestamp(acct, idx),
        "caption": caption(r, acct),
        "shortcode": shortcode(r),
        "metrics": m,
        "comment_plan": plan,
        "children": children,
        "is_shared_to_feed": product == "REELS" and r.random() < 0.8,
    }


def story(acct: Account, idx: int) -> dict[str, Any]:
    r = rng(acct.seed, acct.no, "s", idx)
    m = _metrics(r, acct.followers, "STORY")
    if idx == acct.stories - 1:  # the oldest live story: too few viewers for insights
        m.update(reach=3, views=4, shares=0, follows=0, profile_visits=0)
    m["replies"] = r.randint(0, 5)
    span = 23 * 3600 - 600
    age = 600 + int(span * (idx + r.random() * 0.8) / max(acct.stories, 1))
    return {
        "id": story_id(acct.no, idx),
        "account": acct.no,
        "index": idx,
        "source": "story",
        "media_type": "VIDEO" if r.random() < 0.4 else "IMAGE",
        "media_product_type": "STORY",
        "timestamp": acct.anchor - age,
        "caption": None,
        "shortcode": shortcode(r),
        "metrics": m,
        "comment_plan": [],
        "children": [],
        "is_shared_to_feed": False,
    }


def child(acct: Account, idx: int, c: int) -> dict[str, Any] | None:
    parent = feed_media(acct, idx)
    for cid, mt in parent["children"]:
        if cid == child_id(acct.no, idx, c):
            return {
                "id": cid,
                "account": acct.no,
                "index": idx,
                "source": "child",
                "media_type": mt,
                "media_product_type": "FEED",
                "timestamp": parent["timestamp"],
                "caption": None,
                "shortcode": shortcode(rng(acct.seed, acct.no, "ch", idx, c)),
                "metrics": {},
                "comment_plan": [],
                "children": [],
                "is_shared_to_feed": False,
                "parent": parent["id"],
            }
    return None


# ---------------------------------------------------------------- comments


def commenter(r: random.Random) -> tuple[str, str]:
    username = f"{r.choice(FIRST)}{r.choice(['.', '_', ''])}{r.choice(LAST)}{r.choice(['', str(r.randint(1, 99))])}"
    return str(r.randint(10**15, 10**16 - 1)), username


def generated_comments(acct: Account, media: dict[str, Any]) -> list[dict[str, Any]]:
    """All generated comments of a media item (top-level and replies), unsorted."""
    out: list[dict[str, Any]] = []
    idx, start = media["index"], media["timestamp"]
    window = max(min(acct.anchor - start, 21 * DAY), 60)
    for top, n_replies in enumerate(media["comment_plan"]):
        r = rng(acct.seed, acct.no, "cm", idx, top)
        ts = start + int(window * (1 - 0.8 ** (top + 1)) * r.uniform(0.5, 1.0))
        uid, uname = commenter(r)
        cid = comment_id(acct.no, idx, top, 0)
        out.append(
            {
                "id": cid,
                "text": r.choice(COMMENTS),
                "timestamp": ts,
                "from_id": uid,
                "username": uname,
                "like_count": int(r.paretovariate(1.5)) - 1,
                "parent_id": None,
                "media_id": media["id"],
                "hidden": False,
            }
        )
        for rep in range(1, n_replies + 1):
            rr = rng(acct.seed, acct.no, "cr", idx, top, rep)
            if rr.random() < 0.5:
                uid2, uname2, text = acct.id, acct.username, rr.choice(REPLIES_OWNER)
            else:
                (uid2, uname2), text = commenter(rr), rr.choice(REPLIES_OTHER)
            rts = min(ts + rep * rr.randint(60, 7200), acct.anchor - 1)
            out.append(
                {
                    "id": comment_id(acct.no, idx, top, rep),
                    "text": text,
                    "timestamp": rts,
                    "from_id": uid2,
                    "username": uname2,
                    "like_count": rr.randint(0, 3),
                    "parent_id": cid,
                    "media_id": media["id"],
                    "hidden": False,
                }
            )
    return out


# ---------------------------------------------------------------- direct messages

CONVERSATION_PREFIX = "aWdfZAG06MTpJR01lc3NhZA2VUaHJlYWQ6"  # base64 of "ig_d:1:IGMessageThread:" (Meta's ids)
MESSAGE_PREFIX = "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQx"  # base64 of "ig_item:1:IGMessage:…" (Meta's ids)
DM_FROM_USER = [
    "Olá! Quando abrem as inscrições do processo seletivo?",
    "Bom dia! O campus funciona no sábado?",
    "Qual o horário de atendimento da secretaria?",
    "Oi, vocês têm curso técnico de {course} no noturno?",
    "Como faço para pedir a declaração de matrícula?",
    "Boa tarde! Onde encontro o edital da assistência estudantil?",
    "O resultado da seleção de bolsistas já saiu?",
    "Vai ter transmissão ao vivo da formatura?",
    "Obrigado pela resposta! 😊",
    "Perfeito, muito obrigada!",
]
DM_FROM_ACCOUNT = [
    "Olá! As inscrições abrem na próxima semana. Fique de olho no portal do IFMA. 💚",
    "Bom dia! A secretaria atende de segunda a sexta, das 8h às 21h.",
    "Oi! Sim, temos o curso técnico subsequente em {course} no período noturno.",
    "Você pode solicitar pelo SUAP ou presencialmente na secretaria do campus.",
    "O edital está publicado no portal, na seção de assistência estudantil.",
    "Por nada! Estamos à disposição. 💚",
]
# Age (hours) of each seeded conversation's last message from the user: three inside the
# 24-hour messaging window, five outside it.
DM_AGES_HOURS = [0.25, 3.0, 18.0, 30.0, 52.0, 120.0, 400.0, 1500.0]


def conversation_id(acct: Account, igsid: str) -> str:
    raw = base64.urlsafe_b64encode(f"{acct.id}:{igsid}".encode()).decode().rstrip("=")
    return CONVERSATION_PREFIX + raw


def seeded_conversations(acct: Account) -> list[dict[str, Any]]:
    """Deterministic DM threads: [{"igsid","username","messages":[(unix ts, from_account, text)]}]."""
    out: list[dict[str, Any]] = []
    for k, hours in enumerate(DM_AGES_HOURS):
        r = rng(acct.seed, acct.no, "dm", k)
        igsid, username = commenter(r)
        age = hours * 3600 * r.uniform(0.9, 1.1)
        n = r.randint(2, 6)
        senders = [False]
        for _ in range(n - 1):
            senders.append(not senders[-1] if r.random() < 0.75 else senders[-1])
        last_user = max(i for i, s in enumerate(senders) if not s)
        ages = [age] * n
        for i in range(last_user - 1, -1, -1):  # earlier messages: minutes to hours before
            ages[i] = ages[i + 1] + r.randint(120, 5400)
        for i in range(last_user + 1, n):  # the account's replies after it
            ages[i] = max(ages[i - 1] - min(r.randint(60, 900), age / (n + 1)), 1.0)
        course = r.choice(COURSES)
        msgs = []
        for i, (from_account, a) in enumerate(zip(senders, ages, strict=True)):
            pool = DM_FROM_ACCOUNT if from_account else DM_FROM_USER[: 8 if i == 0 else len(DM_FROM_USER)]
            msgs.append((round(acct.anchor - a, 3), from_account, r.choice(pool).format(course=course)))
        out.append({"igsid": igsid, "username": username, "messages": msgs})
    return out
