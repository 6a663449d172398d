"""The phrases behind collaboration stance (bios) and collab kind (posts), in en, de, es, fr, it,
pt and nl, as RE2 patterns over ASCII-folded lower-case text (``transforms._text.fold``).

Each signal is a named family of general phrases, never a phrase lifted from one labelled row,
so `bench/eval_collab.py` can say what each family catches. Traps are neutralised first: a
spouse or a photographer named in a post, "unbezahlte Werbung" (unpaid), "not open to collabs".
"""

from __future__ import annotations

from transforms._text import words

MENTION = "@[a-z0-9_.]*[a-z0-9_]"
# Characters ASCII folding changes: Latin accents, curly quotes, full-width forms, "fancy font" letters.
FOLDABLE = "[\u00c0-\u024f\u1e00-\u1eff\u2018\u2019\uff01-\uff5e\U0001d400-\U0001d7ff]"
_THANKS = r"(?:thanks|thank you|thx|danke|vielen dank|gracias|obrigad[ao]|merci|grazie|bedankt|dank je)"
_SENT = (r"(?:for sending|for the gift|for gifting|fur das paket|fur das geschenk|por enviar|por el regalo"
         r"|pelo presente|por enviar|pelos mimos|pour l'envoi|pour le cadeau|per avermi inviato|per il regalo"
         r"|voor het opsturen|voor het cadeau)")
_SPOUSE = (r"(?:partner|husband|hubby|wife|boyfriend|girlfriend|fiance|fiancee|mann|frau|freund|freundin"
           r"|marido|esposa|novio|novia|mari|femme|copain|copine|marito|moglie|fidanzato|fidanzata"
           r"|namorado|namorada|vriend|vriendin|man|vrouw)")
_MY = r"(?:my|mein|meine|meinem|meinen|mi|mon|ma|mio|mia|meu|minha|mijn)"
_CREDIT = r"(?:photo|photos|pic|pics|picture|image|shot|credit|credits|foto|fotos|📷|📸)s?(?: by| credit)?:?"

# Rewritten to a space before a post's signals are read: each would otherwise pass for a brand.
POST_TRAPS = "|".join([
    _MY + " " + _SPOUSE + "(?: (?:and|&|und|y|e|et|en))? ?" + MENTION,  # "my partner @sam": a spouse
    _CREDIT + " ?(?:c/o )?" + MENTION,                                     # "📷 c/o @friend": a photo credit
    r"unbezahlte werbung|unbeauftragte werbung|werbung ohne auftrag|werbung (?:da|wegen|durch) "
    r"(?:marken ?nennung|markennennung|verlinkung|markierung)|#unbezahltewerbung|#werbungohneauftrag"
    r"|#unpaid|unpaid ad|not sponsored|#notsponsored|not an ad|#notanad|no es publi|nao e publi"
    r"|non sponsorise|non sponsorizzato|niet gesponsord|geen reclame",
])

# (signal, kind, pattern) in the order a post's kind is decided: paid, then gifted, then affiliate.
POST_SIGNALS: tuple[tuple[str, str, str], ...] = (
    ("disclosure tag", "paid", words([
        "#ad", "#ads", "#advert", "#advertisement", "#advertising", "#anzeige", "#werbung", "#sponsored",
        "#sponsoredpost", "#sponsor", "#spon", "#paid", "#paidpartnership", "#paidpost", "#publi",
        "#publicidad", "#publicidade", "#sponsorise", "#sponsorizzato", "#adv", "#advertentie",
        "#reclame", "#gesponsord", "#gesponsert", "#kooperation", "#collabpaid", "#paidcollab",
        r"\[ad\]", r"\(ad\)", r"\[werbung\]", "werbung", "anzeige", "publi", "publicidad", "publicidade"])),
    ("paid partnership", "paid", words([
        "paid partnership", "paid partner", "paid collab", "bezahlte partnerschaft", "bezahlte kooperation",
        "in kooperation mit", "in partnership with", "en partenariat avec", "partenariat remunere",
        "collaboration commerciale", "collaborazione retribuita", "colaboracion pagada", "parceria paga",
        "em parceria com", "betaalde samenwerking", "in samenwerking met"])),
    ("sponsored by", "paid", words([
        "sponsored by", "#sponsoredby", "gesponsert von", "gesponsert durch", "patrocinado por",
        "patrocinada por", "sponsorise par", "sponsorisee par", "sponsorizzato da", "gesponsord door"])),
    ("ambassador", "paid", words([
        "brand ambassador", "ambassador for", "ambassador of", "proud ambassador", "#ambassador",
        "#brandambassador", "markenbotschafter", "markenbotschafterin", "embajadora de", "embajador de",
        "embaixadora d[aoe]", "embaixador d[aoe]", "ambassadrice", "ambassadeur de", "ambasciatrice",
        "ambasciatore"])),
    ("gifted", "gifted", words([
        "#gifted", "gifted by", "gifted from", r"\(gifted\)", r"\[gifted\]", r"\*gifted", "pr gifted",
        "gifted product", "gifted item", "pr sample", "pr samples", "pr package", "pr gift", "#prsample",
        "#prgift", "press sample", "pr-sample", "pr-paket", "geschenkt bekommen", "zur verfugung gestellt",
        "#geschenkt", "me lo regalo", "me enviaron", "regalo de " + MENTION, "enviado por " + MENTION,
        "#recebidos", "recebidos", "recebido d[aoe] " + MENTION, "ganhei d[aoe] " + MENTION,
        "presente d[aoe] " + MENTION, "offert par", "cadeau de " + MENTION, "regalo di " + MENTION,
        "in omaggio", "ricevuto in regalo", "gekregen van", "opgestuurd door"])),
    ("c/o a brand", "gifted", words(["c/o " + MENTION])),
    ("thanks for sending", "gifted", words([_THANKS + r"[^.!?\n]{0,40}" + _SENT])),
    ("discount code", "affiliate", words([
        "discount code", "promo code", "promocode", "coupon code", "voucher code", "use code", "use my code",
        "with code", "with my code", r"code [a-z0-9]+ for [0-9]+ ?% off", r"[0-9]+ ?% off with",
        "rabattcode", "gutscheincode", "rabatt-code", "mit dem code", "mit meinem code", "codigo de descuento",
        "codigo promocional", "con el codigo", "con mi codigo", "cupom", "cupom de desconto",
        "com o codigo", "com meu codigo", "code promo", "code de reduction", "avec le code", "codice sconto",
        "con il codice", "con il mio codice", "kortingscode", "met code", "actiecode"])),
    ("affiliate link", "affiliate", words([
        "affiliate link", "affiliate links", "#affiliate", "#affiliatelink", "affiliatelink", r"\*affiliate",
        "affiliate-link", "i earn a commission", "i may earn a commission", "provisionslink", "#provisionslink",
        "enlace de afiliado", "lien affilie", "link di affiliazione", "link afiliado", "affiliate-links",
        "liketk.it", "#liketkit", "liketoknow.it", "@liketoknow.it", "rstyle.me", "amzn.to", "shopstyle.it",
        "shopmy.us", "howl.me"])),
    ("shop link", "affiliate", words([
        "shop my look", "shop the look", "shop this look", "shop my outfit", "shop my feed", "shop my closet",
        "shop my favorites", "shop my favourites", "shop my picks", "swipe up to shop", "tap to shop",
        "link to shop", "shoppable link", "shop it here"])),
)

# Rewritten before a bio is read: a refusal is not an invitation ("not open to collabs").
BIO_TRAPS = (r"(?:not|no longer|currently not|nicht|nicht mehr|no estoy|no estamos|pas|nao estou) "
             r"(?:currently |mehr )?(?:open|offen|abiert[ao]s?|ouverte?s?|apert[ao]|abert[ao]) "
             r"(?:to|for|fur|a|aux|para|voor)")

# (signal, stance, pattern); paid_only is read first: "DM for collabs, paid only" is paid only.
BIO_SIGNALS: tuple[tuple[str, str, str], ...] = (
    ("paid only", "paid_only", words([
        r"paid (?:collabs?|collaborations?|partnerships?|work|promos?)? ?only", r"only (?:do )?paid (?:collabs?|"
        r"collaborations?|partnerships?|work|promos?)", r"no free (?:collabs?|collaborations?|promos?|"
        r"promotions?|work|products?|shoutouts?)", "no gifting", "no gifted collabs", r"no pr (?:packages|gifts)",
        "rates on request", "rates in dm", "rate card", "nur bezahlte kooperationen",
        r"keine (?:unbezahlten|kostenlosen|gratis) kooperationen", "preise auf anfrage",
        r"solo colaboraciones (?:pagadas|remuneradas)", "colaboraciones remuneradas",
        r"tarifas (?:bajo|a) (?:peticion|consulta)", "collaborations remunerees uniquement",
        r"uniquement (?:remunerees?|payantes?)", r"pas de collab(?:oration)?s? (?:gratuites?|non remunerees?)",
        "tarifs sur demande", r"solo collaborazioni (?:retribuite|pagate|a pagamento)",
        "no collaborazioni gratuite", "tariffe su richiesta", r"apenas parcerias (?:pagas|remuneradas)",
        r"somente parcerias (?:pagas|remuneradas)", r"nao (?:faco|aceito) permuta", "sem permuta",
        "valores sob consulta", "alleen betaalde samenwerkingen", "geen gratis samenwerkingen",
        "tarieven op aanvraag"])),
    ("management or booking contact", "paid_only", words([
        r"management ?[:|]", "management@", "mgmt", r"bookings? ?[:|]", "bookings?@", "for bookings",
        "booking inquiries", "booking enquiries", "managed by", "represented by", r"agent ?:", r"agency ?:",
        r"agentur ?:", "representada por", "representado por", r"agencia ?:", r"agence ?:", r"agenzia ?:",
        r"boekingen ?:"])),
    ("open to gifting", "open_to_gifting", words([
        "pr friendly", "pr-friendly", "pr/gifting friendly", "gifting friendly", "pr/gifting welcome",
        r"open (?:to|for) (?:gifted |paid or gifted )?(?:collabs?|collaborations?|gifting|gifts|pr|"
        r"partnerships?)", r"(?:dm|message me|email me|e-mail me|mail me|dm me) for (?:collabs?|collaborations?|"
        r"pr|partnerships?)", r"(?:collabs?|collaborations?|pr) (?:via|in|through|by) dm",
        r"(?:gifting|gifts|collabs|pr) (?:&|and) (?:gifting|gifts|collabs?|collaborations) welcome",
        r"(?:gifting|collabs?|pr|pr packages?) welcome", "happy to try products", "offen fur kooperationen",
        r"pr[- ]pakete willkommen", r"kooperationen (?:per|via|uber) (?:dm|mail)", "kooperationsanfragen willkommen",
        "pr-freundlich", r"abiert[ao] a colaboraciones", r"colaboraciones (?:por|via) (?:dm|md|mensaje)",
        "acepto regalos", r"ouverte? aux collab(?:oration)?s", r"collab(?:oration)?s en (?:dm|mp)",
        r"apert[ao] a(?:lle)? collaborazioni", r"collaborazioni (?:in|via) (?:dm|direct)",
        r"abert[ao] a parcerias", r"parcerias (?:via|por|no) (?:dm|direct)", "aceito permuta",
        r"recebidos (?:bem-vindos|bem vindos)", r"open voor samenwerkingen?", "samenwerkingen via dm",
        "pr vriendelijk"])),
)
