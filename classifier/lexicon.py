"""The Portuguese (Brazil) lexicon: words, phrases and emojis with a weight and a kind.

Every entry is written without accents and in lower case (rules.normalise does the same to the
comment), so "matrícula", "matricula" and "MATRÍCULA" are one word. Kinds say what a polar word
is evidence of, which is what turns a sentiment into a flag:

- PRAISE: approval of the institution, its people or the post (flag `praise` when it dominates);
- HAPPY: the writer's own good news (positive, but no praise: "passei!");
- COMPLAINT: a problem with a service or a decision (flag `complaint` when it dominates);
- SAD: the writer's own bad news or grief (negative, but no complaint: "fiquei de fora").

Weights are on one scale: 1 a mild word, 2 a strong one. Changing any entry changes the
classifier's behaviour: bump classifier.VERSION.
"""

from __future__ import annotations

PRAISE, HAPPY, COMPLAINT, SAD = "praise", "happy", "complaint", "sad"


def _entries(words: str, weight: float, kind: str) -> dict[str, tuple[float, str]]:
    return {word: (weight, kind) for word in words.split()}


WORDS: dict[str, tuple[float, str]] = {
    **_entries(
        "parabens parabenss orgulho excelente excelentes incrivel incriveis maravilhoso maravilhosa maravilhosos "
        "sensacional sensacionais fantastico fantastica perfeito perfeita impecavel top brabo braba fera feras "
        "arrasou arrasaram arrasam arrasa arrasando amei amo amar adorei adoro lindo linda lindos lindas otimo otima "
        "otimos otimas obrigado obrigada obrigados obg obgd valeu gratidao grato grata merecido merecida "
        "merecidissimo merecidissima massa show tmj sucesso talentosos talentosas inspiradora inspirador "
        "encantada encantado emocionante fantasticos espetacular maravilha",
        2,
        PRAISE,
    ),
    **_entries(
        "bom boa bons boas legal legais bacana util uteis melhor melhores gostei gosto curti curto bonito bonita "
        "atenciosa atencioso atenciosos eficiente organizado organizada organizados caprichado qualidade brilhando "
        "ajudou ajudam ajudaram ajuda esclareceu resolveram rapido rapida facil melhorou informativo explicado "
        "explicada sorte lindeza acolhedor acolhedora justo justa",
        1,
        PRAISE,
    ),
    **_entries("feliz felizes alegria passei consegui confiante ansiosa ansioso aliviada aliviado", 1.5, HAPPY),
    **_entries("vibe bora uhul ferias", 1, HAPPY),
    **_entries(
        "pessimo pessima pessimos horrivel horriveis horroroso horrorosa absurdo absurda descaso vergonha "
        "vergonhoso desrespeito ridiculo ridicula lixo desorganizado desorganizada desorganizacao decepcionado "
        "decepcionada decepcao abandonado abandonada abandono insuportavel sacanagem raiva odeio aff pqp "
        "lamentavel injusto injusta inadmissivel caos bagunca grossa grosso grosseiro humilhante",
        2,
        COMPLAINT,
    ),
    **_entries(
        "ruim ruins pior piores quebrado quebrada quebrados quebradas quebrou travou trava travando cortado cortada "
        "cortaram cortarem atrasou atrasaram atraso atrasada atrasadas faltando faltou falta perigoso perigosa "
        "interditada interditado erro errado errada erros azedo azeda desisti impossivel confuso confusa "
        "esqueceram esquecer esqueceu esquecem roubaram roubo assalto demora demorou demorando",
        1.5,
        COMPLAINT,
    ),
    **_entries(
        "fraca fraco fria frio cru lotada lotado problema problemas prometeram promessa promessas barulho pingando "
        "vazando goteira mofo fome calor dificil deveriam deveria podiam bolada bolado atolou atrasado",
        1,
        COMPLAINT,
    ),
    **_entries(
        "triste tristeza lamento lamentamos sentimentos luto chorando chorei arrasado arrasada falecimento "
        "alagado alagada medo preocupada preocupado deprimido deprimida",
        1.5,
        SAD,
    ),
    **_entries("cansativo cansada cansado nervosa nervoso", 1, SAD),
}
# Negative words carry a minus sign in use; the table above keeps magnitudes. Which are negative:
NEGATIVE_KINDS = {COMPLAINT, SAD}

# Service verbs: nothing on their own, a complaint when negated ("o link não abre").
SERVICE_VERBS = set(
    "funciona funcionam funcionando funcionou abre abriu abrem carrega carregou liga ligam gerou veio vieram chegou "
    "caiu pagaram pagou recebi recebemos responde respondem respondeu atende atendem atendeu resolve resolvem "
    "resolveram resolveu avisaram avisou consigo consegui conseguimos aparece apareceu termina terminam acaba".split()
)
# What "sem …" / "não tem …" / "falta …" lacks, to be a complaint ("sem água", "não tem professor").
LACKING = set(
    "agua internet wifi aula aulas professor professores onibus ar ventilador papel luz iluminacao seguranca "
    "cadeira cadeiras resposta explicacao merenda comida avisar aviso notas energia transporte retorno "
    "satisfacao informacao".split()
)

# Phrases, matched on the normalised text before words; each becomes one token. A weight of 0
# takes the words out of play ("bom dia" is a greeting, "sem dúvidas" no lack).
PHRASES: dict[str, tuple[float, str]] = {
    r"bom dia|boa tarde|boa noite|bom fim de semana": (0, PRAISE),
    r"sem duvidas?|ta bom|tudo bem|como sempre|quanto tempo demora": (0, PRAISE),
    r"show de bola|nota (?:10|dez|mil)|mandaram bem|mandou bem|muito bem|faz(?:em)? a diferenca": (2, PRAISE),
    r"mudou minha vida|vale(?:u)? (?:muito )?a pena|bem recebid[ao]|que venham": (2, PRAISE),
    r"nao tenho do que reclamar|nada melhor": (2, PRAISE),
    r"fora do ar|falta de respeito|ninguem merece|sem condicoes|ta osso|que fila e essa": (2, COMPLAINT),
    r"nao aguento mais|nao da mais|assim nao da|nao e possivel|fingir que acredito": (2, COMPLAINT),
    r"ninguem (?:me |nos )?(?:responde|atende|resolve|avisou|avisa|explica|sabe dizer|da satisfacao)": (2, COMPLAINT),
    r"ninguem (?:foi|e) (?:avisado|informado)s?|realidade (?:do campus )?e outra": (2, COMPLAINT),
    r"(?:site|sistema|suap|wifi|internet|portal|link)(?: \w+)? (?:cai|caiu|travou|trava|cair)": (2, COMPLAINT),
    r"(?:ate hoje|ate agora|e) nada$|(?:ate hoje|ate agora) nada|nenhuma? (?:resposta|retificacao|explicacao)": (
        1.5,
        COMPLAINT,
    ),
    r"(?:ja )?era pra ter|nao tinha como|desse tamanho|como assim|e serio que": (1.5, COMPLAINT),
    r"perd(?:i|emos|eram) o prazo": (1.5, COMPLAINT),
    r"vao (?:pagar|consertar|resolver|responder|fazer alguma coisa)": (1.5, COMPLAINT),
    r"(?:cedo|tarde|caro|cara|longe|pouco|pouca|lento|lenta|demorado) demais": (1.5, COMPLAINT),
    r"\d+ (?:horas|meses|semanas|minutos)": (1, COMPLAINT),
    r"de novo|novamente|mais uma vez|mais um semestre|continua": (0.5, COMPLAINT),
    r"fiquei de fora|perdi (?:meu|minha)": (1.5, SAD),
    r"boa sorte": (2, PRAISE),
}
# Phrases that turn a negator into something else: "não tem como não amar" is love, "nunca vi
# um evento tão bem organizado" is emphasis, "não poderia estar mais feliz" is joy.
UNNEGATED = [r"nao tem como nao", r"nunca vi", r"nao poderia estar mais", r"nao (?:foi|e|era) (?:nada )?mal"]

NEGATORS = set("nao nunca nem jamais nada nenhum nenhuma ninguem nn".split())
INTENSIFIERS = set("muito muita muitos muitas mto mt super mega tao extremamente totalmente cada bem mais".split())
AFTER_INTENSIFIERS = set("demais dms bastante".split())
# "…, mas …": the clause after the contrast decides; "apesar de …," the clause it opens counts little.
CONTRASTS = set("mas porem contudo entretanto pena".split())
CONCESSIONS = set("apesar embora".split())

EMOJIS: dict[str, tuple[float, str]] = {
    **{e: (2, PRAISE) for e in "😍🥰❤💚💙💛💜🧡🤍👏🔥🙌🏆🥇🎓🤩😘💯✨👍🙏🎖💪"},
    **{e: (1.5, HAPPY) for e in "😊😁😀😃😄🎉🥳🍀☺"},
    **{e: (2, COMPLAINT) for e in "😡😠😤👎🤬🤦😒"},
    **{e: (1.5, SAD) for e in "😢😞😔💔😥"},
    **{e: (0.5, SAD) for e in "😭😵"},
}
# Irony markers: with them, words of praise mean their opposite ("que ótimo, sem ônibus de novo 🙃").
IRONY_EMOJIS = set("🙃🙄🤡")
IRONY_PHRASES = r"so que nao|#?sqn|so q nao"

# Questions: an interrogative (or a question opener) starting a clause, maybe after a greeting.
INTERROGATIVES = set(
    "quando qnd qndo qdo onde ondi aonde como qual quais quanto quanta quantos quantas quem cade kd "
    "porque pq oq sera existe precisa pode posso".split()
)
QUESTION_OPENERS = (
    r"por que|o que|alguem (?:sabe|ai|mais)|vcs? sabem?|voces? sabem?|sabem? me dizer|tem como|da pra|vai ter|"
    r"vai rolar|tem vaga|e pra quem|e quem|a gente pode"
)
# Interrogatives at the end of a clause: "a taxa é quanto", "o edital sai quando".
TRAILING_INTERROGATIVES = set("quando qual quais quanto quanta quantos quantas onde".split())
GREETINGS = set(
    "oi oii ola ei mds nossa ue gente gnt mano pessoal galera pfv por favor me ajudem professor professora prof bom "
    "boa dia tarde noite ifma".split()
)

# Spam: a link, a phone number or a call to follow is strong; promotion words are weak alone.
SPAM_STRONG = (
    r"https?://|www\.|(?<=\w)\.(?:com|net|org|br|ly|me|io)\b|\(?\d{2}\)? ?9?\d{4}-?\d{4}|"
    r"\b(?:sigam|siga|segue la|sigo (?:todos )?de volta|clica no meu perfil|"
    r"chama(?:m)? no (?:direct|pv|zap|whats|privado)|chamem no privado|renda extra|"
    r"ganhe dinheiro|pix premiado|compre seguidores|seguidores (?:gratis|reais)|me sigam)"
)
SPAM_WEAK = (
    r"r\$|\b(?:promocao|promocional|desconto|cupom|off|sorteio|seguidores|ganhe|ganhei|gratis|preco|vendo|loja|"
    r"parceria|bitcoin|invista|emagrecer|home office|vaga garantida|faco trabalhos|divulgue|peca pelo|imperdivel|"
    # The account's own "veja o link na bio" is no spam: a pointer to a profile counts only beside another cue.
    r"link (?:na|da) bio|link no perfil|no meu perfil)\b|\bapostila"
)
