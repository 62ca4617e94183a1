"""Synthetic articles for ``scale=N``: wire-style tech-policy stories built from templates.

Article ``i`` of an outlet is a pure function of (outlet, i): the same scale gives the same
pages on every run and machine, nothing is written to disk, and a page is generated only
when requested. The head (title, date, section, lead) and the body come from two separately
seeded generators so listings can be built from heads alone.

Dates spread over 2024: for each block of 366 consecutive indexes every day of the year is
used exactly once, so (date, block) identifies an article (Yonhap ids rely on it).
"""
from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone

from .model import KST, Article, new_york, slugify, texturize

YEAR_START = date(2024, 1, 1)
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
KOREAN_SURNAMES = ["Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim", "Han", "Oh",
                   "Seo", "Shin", "Kwon", "Hwang", "Ahn", "Song", "Yoo", "Hong"]
KOREAN_GIVEN = ["Min-ho", "Ji-woo", "Seo-yeon", "Hyun-woo", "Ji-hoon", "Soo-jin", "Dong-hyun", "Eun-ji",
                "Jae-sung", "Ha-na", "Sung-min", "Young-hee", "Tae-yang", "Yu-na", "Joon-young", "Mi-kyung"]
WESTERN_FIRST = ["Anna", "Lukas", "Sophie", "Marco", "Claire", "Jonas", "Elena", "Pieter", "Maria", "Tomasz",
                 "James", "Sarah", "Oliver", "Emma", "Daniel", "Laura"]
WESTERN_LAST = ["Schmidt", "Dubois", "Rossi", "Jansen", "Kowalski", "Novak", "Moreau", "Fischer", "Bianchi",
                "Hughes", "Walsh", "Patel", "Bennett", "Larsen", "Costa", "Murphy"]
AUTHORS = {
    "yonhap": ["Park Hyun-jin", "Kang Min-jae", "Lee Seo-yeon", "Choi Yoon-ah", "Oh Jae-won", "Shin Ha-eun",
               "Yoon Tae-hoon", "Han Ji-min"],
    "dmr": ["Dana Whitfield", "Marcus Reyes", "Priya Nair", "Tom Keller", "Alicia Moreno"],
}

PLATFORMS = ["Telegram", "Discord", "X", "Instagram", "Facebook", "YouTube", "TikTok", "KakaoTalk", "Line",
             "WhatsApp", "Signal", "Naver Band", "Threads", "Snapchat"]
CHAT_PLATFORMS = ["Telegram", "Discord", "KakaoTalk open chat", "Line", "WhatsApp", "Signal"]
POLICE = ["the Korean National Police Agency", "the Seoul Metropolitan Police Agency",
          "the Gyeonggi Nambu Provincial Police Agency", "the Busan Metropolitan Police Agency",
          "the Incheon Metropolitan Police Agency", "the National Office of Investigation"]
CITIES = ["Seoul", "Incheon", "Busan", "Daegu", "Daejeon", "Gwangju", "Suwon", "Ulsan", "Changwon"]
KR_COMPANIES = ["Kakao Corp.", "Naver Corp.", "Coupang Inc.", "LG Uplus Corp.", "KT Corp.", "SK Telecom Co.",
                "Yanolja Co.", "Danggeun Market Inc."]
GLOBAL_COMPANIES = ["Meta Platforms Inc.", "Google LLC", "Apple Inc.", "Microsoft Corp.", "TikTok",
                    "AliExpress", "Temu", "X Corp.", "Amazon.com Inc.", "Netflix Inc.", "Shein"]
EU_TARGETS = ["X", "TikTok", "Meta", "AliExpress", "Temu", "Snapchat", "YouTube", "Pinterest", "Shein", "LinkedIn"]

# (long form for the lead, short form for a headline)
PRIVACY_VIOLATIONS = [
    ("failing to prevent the leak of personal information of {n} users", "data leak"),
    ("collecting users' location data without their consent", "location data collection"),
    ("transferring customer data to overseas servers without proper notice", "overseas data transfers"),
    ("failing to encrypt users' passwords and resident registration numbers", "lax data security"),
    ("using browsing histories for targeted advertising without consent", "ad targeting"),
    ("keeping the data of dormant accounts for years after users left the service", "data retention"),
]
CRIMES = [
    ("producing and distributing sexually explicit deepfake images of women", "deepfake sexual images"),
    ("selling illegally filmed videos", "sale of illegally filmed videos"),
    ("trading stolen personal information", "personal data trading"),
    ("running illegal online gambling advertisements", "illegal gambling ads"),
    ("luring investors into fraudulent stock-tip chatrooms", "investment fraud chatrooms"),
    ("advertising and selling drugs", "online drug sales"),
    ("sexually exploiting minors they met online", "online grooming of minors"),
]
MEASURES = [
    ("require messenger operators with more than 1 million users in South Korea to appoint a local representative", "require overseas platforms to appoint local representatives"),
    ("oblige AI service providers to label content created by generative AI", "mandate labels on AI-generated content"),
    ("hold platform operators liable when they fail to remove illegal content after being notified", "hold platforms liable for illegal content"),
    ("require social media services to verify the age of users under 14", "require age checks on social media"),
    ("raise the maximum penalty for distributing illegally filmed videos to 10 years in prison", "toughen penalties for illegal filming"),
    ("allow regulators to fine platforms up to 3 percent of their sales for failing to protect minors", "fine platforms that fail to protect minors"),
]
EU_TOPICS = [
    ("the protection of minors", "child safety"), ("the integrity of elections", "election risks"),
    ("the sale of illegal products", "illegal products"), ("the transparency of advertising", "ad transparency"),
    ("its recommender systems", "recommender systems"), ("data access for researchers", "researcher data access"),
]
CONTEXT = {
    "deepfake": [
        "Deepfake sex crimes have surged in South Korea, with most of the material shared in closed chatrooms on foreign messaging services that rarely respond to requests from investigators.",
        "Under the revised Act on Special Cases Concerning the Punishment of Sexual Crimes, possessing or viewing sexually explicit deepfakes is punishable by up to three years in prison, while producing them carries a sentence of up to seven years.",
        "Victims' groups say material removed from one platform often reappears on another within hours, and have called for platforms to be held responsible for the spread.",
        "Police have said teenagers account for a large share of suspects, prompting the education ministry to expand classes on digital ethics in schools.",
    ],
    "privacy": [
        "The Personal Information Protection Commission has stepped up scrutiny of large platforms this year, imposing its biggest fines to date on both domestic and overseas operators.",
        "Under the Personal Information Protection Act, the commission can impose fines of up to 3 percent of a company's total revenue, excluding sales unrelated to the violation.",
        "Privacy experts say regulators are struggling to keep up with the volume of data collected by apps, much of which is processed on servers outside South Korea.",
    ],
    "platform": [
        "Regulators around the world have moved to tighten rules on online platforms, from the European Union's Digital Services Act to Britain's Online Safety Act.",
        "Critics say overseas platforms have long ignored requests from South Korean authorities because they have no local office and face few penalties for failing to cooperate.",
        "The Korea Communications Standards Commission can ask overseas operators to remove illegal content, but for sites that do not comply it can only order domestic internet service providers to block access.",
        "Industry groups have warned that overly broad rules could burden smaller domestic companies more than the global tech giants they are aimed at.",
    ],
    "eu": [
        "The Digital Services Act, which has applied in full since February, requires the largest online platforms to assess and reduce systemic risks and allows fines of up to 6% of global annual turnover.",
        "The Commission has opened formal proceedings against several very large online platforms this year, including X, TikTok, Meta and AliExpress.",
        "Opening proceedings does not prejudge the outcome but allows the Commission to take further enforcement steps, such as interim measures and non-compliance decisions.",
    ],
    "uk": [
        "The Online Safety Act, which became law in October 2023, gives Ofcom powers to fine companies up to 18 million pounds or 10% of global revenue, whichever is greater.",
        "Ofcom has said it expects to begin enforcing the first duties under the act, covering illegal harms, early next year.",
        "Campaigners for children's online safety have urged the regulator to move faster, while tech companies say parts of the law remain unclear.",
    ],
}


def _name(rng: random.Random, western: bool = False) -> tuple[str, str]:
    if western:
        first, last = rng.choice(WESTERN_FIRST), rng.choice(WESTERN_LAST)
        return f"{first} {last}", last
    surname = rng.choice(KOREAN_SURNAMES)
    return f"{surname} {rng.choice(KOREAN_GIVEN)}", surname


def _won(rng: random.Random, low: float, high: float) -> tuple[str, str, str]:
    """(long '2.3 billion won (US$1.7 million)', short '2.3 bln won', plain number)."""
    amount = round(rng.uniform(low, high), 1)
    usd = amount * 1000 / 1350
    usd_text = f"{usd:.1f} million" if usd < 1000 else f"{usd / 1000:.2f} billion"
    return f"{amount} billion won (US${usd_text})", f"{amount} bln won", f"{amount} billion won"


def _family_fine(rng, s):
    company = rng.choice(KR_COMPANIES + GLOBAL_COMPANIES)
    violation, short = rng.choice(PRIVACY_VIOLATIONS)
    violation = violation.format(n=f"{rng.randint(3, 900) * 1000:,}")
    amount_long, amount_short, amount_plain = _won(rng, 0.2, 24.0)
    if s["outlet"] == "dmr":      # "bln" is wire-service headline shorthand
        amount_long, amount_short = amount_long.replace("(US$", "($"), amount_plain
    plain_company = company.replace(" Inc.", "").replace(" Corp.", "").replace(" Co.", "").replace(" LLC", "")
    s.update(section="economy", category="policy", theme="privacy", company=company, plain=plain_company)
    s["titles"] = [f"Privacy watchdog fines {plain_company} {amount_short} over {short}",
                   f"{plain_company} fined {amount_short} for {short}",
                   f"PIPC slaps {amount_short} fine on {plain_company} over {short}"]
    s["lead"] = (f"The Personal Information Protection Commission (PIPC) said {s['weekday']} it has fined "
                 f"{company} {amount_long} for {violation}.")
    s["body"] = [
        f"According to the PIPC, the violations came to light after {rng.choice(['a report by a whistleblower', 'complaints from users', 'a routine inspection', 'the company reported a breach'])}, and {plain_company} failed to take required safety measures for about {rng.randint(3, 30)} months.",
        f"The commission also ordered {plain_company} to {rng.choice(['overhaul its internal data protection system', 'publicly disclose the violation on its website', 'appoint a dedicated privacy officer', 'delete the data it collected unlawfully'])} and to report back within {rng.choice([30, 60, 90])} days.",
        f"{plain_company} said it {rng.choice(['respects the decision and has already fixed the problem', 'regrets the decision and is reviewing legal options', 'will carefully review the decision', 'will cooperate fully with the commission'])}.",
    ]
    s["quote"] = (rng.choice(["Companies that handle the data of millions of people must meet their responsibilities.",
                              "Overseas and domestic operators will be held to the same standard.",
                              "We will continue to respond strictly to violations that threaten users' trust."]),
                  "a director at the PIPC", False)


def _family_police(rng, s):
    crime, short = rng.choice(CRIMES)
    platform = rng.choice(CHAT_PLATFORMS)
    police = rng.choice(POLICE)
    n = rng.randint(3, 120)
    verb = rng.choice(["booked", "arrested", "referred to prosecutors"])
    s.update(section="national", category="tech", theme="deepfake" if "deepfake" in crime else "platform")
    headline_verb = {"booked": "book", "arrested": "arrest", "referred to prosecutors": "refer"}[verb]
    s["titles"] = [f"Police {headline_verb} {n} over {short} on {platform}",
                   f"{n} {'booked' if verb == 'booked' else 'caught'} for {short} via {platform}",
                   f"Police bust {platform} ring behind {short}"]
    s["lead"] = (f"{police[0].upper()}{police[1:]} said {s['weekday']} it has {verb} {n} people on charges of "
                 f"{crime} through chatrooms on {platform}.")
    teens = rng.randint(0, n)
    s["body"] = [
        f"The suspects allegedly operated the chatrooms between {rng.choice(['January', 'February', 'March', 'April'])} and {rng.choice(['June', 'July', 'August', 'September'])} this year, attracting about {rng.randint(2, 90) * 100:,} members, police said.",
        f"Of those {verb}, {teens} were teenagers, according to police." if teens else "All of the suspects were adults, according to police.",
        f"Police said they identified the main suspects by tracing {rng.choice(['cryptocurrency payments', 'the bank accounts used', 'their online aliases', 'IP addresses left on other websites'])}, as {platform} {rng.choice(['did not respond to requests for user information', 'provided only limited information', 'responded to some of the requests'])}.",
        f"Police have asked the Korea Communications Standards Commission (KCSC) to block the chatrooms and delete the remaining material.",
    ]
    s["quote"] = (rng.choice(["We will track down not only those who produce the material but also those who share it.",
                              "Anonymity on overseas platforms is not a shield from prosecution.",
                              "Victims should report to police without hesitation."]), "an investigator", False)


def _family_court(rng, s):
    crime, short = rng.choice(CRIMES)
    city = rng.choice(CITIES)
    years = rng.choice([1, 2, 3, 4, 5, 6, 7])
    term = f"{years} year{'s' if years > 1 else ''}"
    age = rng.choice(["his teens", "his 20s", "his 30s", "his 40s"])
    s.update(section="national", category="policy", theme="deepfake" if "deepfake" in crime else "platform")
    s["titles"] = [f"Court sentences man to {term} in prison for {short}",
                   f"Man in {age} gets {years}-year term for {short}"]
    s["lead"] = (f"The {city} District Court on {s['weekday']} sentenced a man in {age} to {term} in "
                 f"prison for {crime} on {rng.choice(CHAT_PLATFORMS)}.")
    s["body"] = [
        f"Prosecutors had sought {years + rng.randint(1, 3)} years in prison, citing the number of victims and the fact that the material remains online.",
        f"The court also ordered him to complete {rng.choice([40, 80, 120])} hours of a sexual violence treatment program and barred him from working at institutions related to children for {rng.choice([5, 7, 10])} years.",
        "\"The defendant caused serious harm to the victims, who live in fear that the material could spread further,\" the court said in its ruling.",
        f"The defendant {rng.choice(['admitted to the charges', 'denied some of the charges', 'has seven days to appeal'])}.",
    ]
    s["quote"] = None


def _family_takedown(rng, s):
    platform = rng.choice(PLATFORMS)
    n = rng.randint(20, 3000)
    content = rng.choice(["sexually explicit deepfake", "illegally filmed", "drug advertisement",
                          "illegal gambling", "investment scam"])
    s.update(section="national", category="social-media",
             theme="deepfake" if "deepfake" in content else "platform")
    s["titles"] = [f"KCSC asks {platform} to remove {n:,} {content} posts",
                   f"Regulator flags {n:,} {content} posts on {platform}"]
    s["lead"] = (f"The Korea Communications Standards Commission (KCSC) said {s['weekday']} it has asked {platform} "
                 f"to delete {n:,} posts containing {content} material identified through its monitoring.")
    rate = rng.randint(35, 99)
    s["body"] = [
        f"The KCSC said {platform} had removed about {rate} percent of the posts it flagged so far this year, "
        f"{'up' if rate > 60 else 'down'} from last year.",
        f"For material the operator does not remove, the commission said it will order domestic internet service providers to block access, as {platform} is operated from overseas." if platform not in ("KakaoTalk", "Naver Band") else f"The commission said it has a direct channel with the operator and expects the posts to be removed within 24 hours.",
        "The commission added that it plans to expand its monitoring staff and use AI tools to detect illegal content faster.",
    ]
    s["quote"] = (rng.choice(["Rapid removal is the most effective way to protect victims.",
                              "We will keep working with overseas operators through our hotline.",
                              "Platforms must take responsibility for the content they distribute."]),
                  "a KCSC official", False)


def _family_bill(rng, s):
    measure, short = rng.choice(MEASURES)
    party = rng.choice(["the ruling People Power Party", "the main opposition Democratic Party"])
    s.update(section="politics", category="policy", theme="platform")
    s["titles"] = [f"Lawmakers propose bill to {short}", f"Bill to {short} clears parliamentary committee",
                   f"Parties push bill to {short}"]
    s["lead"] = (f"Lawmakers from {party} said {s['weekday']} they have submitted a bill to the National Assembly "
                 f"that would {measure}.")
    s["body"] = [
        f"The bill, co-sponsored by {rng.randint(10, 40)} lawmakers, is an amendment to the {rng.choice(['Telecommunications Business Act', 'Act on Promotion of Information and Communications Network Utilization and Information Protection', 'Personal Information Protection Act'])}.",
        f"Supporters said the change is needed because overseas platforms such as {rng.choice(['Telegram', 'X', 'Discord'])} have repeatedly ignored requests from South Korean authorities.",
        "The Ministry of Science and ICT said it supports the aim of the bill but that details, including how to enforce it against companies without a local office, need further review.",
    ]
    s["quote"] = (rng.choice(["Platforms that profit from Korean users must follow Korean law.",
                              "We cannot leave victims waiting while overseas companies ignore our requests."]),
                  "a lawmaker who proposed the bill", False)


def _family_eu(rng, s):
    target = rng.choice(EU_TARGETS)
    topic, short = rng.choice(EU_TOPICS)
    action = rng.choice([("sends request for information to", "sent a request for information to"),
                         ("opens proceedings against", "opened formal proceedings against"),
                         ("questions", "sent questions to")])
    s.update(section="economy", category="policy", theme="eu", western=True)
    s["titles"] = [f"EU {action[0]} {target} over {short}", f"Brussels presses {target} on {short} under DSA"]
    s["lead"] = (f"The European Commission said on {s['weekday']} it has {action[1]} {target} under the Digital "
                 f"Services Act, focusing on {topic}.")
    s["body"] = [
        f"{target} has until {rng.choice(['the end of the month', 'early next month', 'mid-December', 'next week'])} to respond, after which the Commission will decide on next steps.",
        f"A spokesperson for {target} said the company {rng.choice(['shares the goal of keeping users safe', 'has invested heavily in compliance', 'will respond to the Commission in due course'])}.",
    ]
    s["quote"] = (rng.choice(["Very large platforms must take their obligations seriously.",
                              "We will use every tool the DSA gives us."]), "a Commission official", True)


def _family_ofcom(rng, s):
    service = rng.choice(["a file-sharing service", "an online forum", "a video-sharing platform",
                          "an image board", "a livestreaming service"])
    s.update(section="economy", category="policy", theme="uk", western=True)
    action = rng.choice(["opens investigation into", "warns", "demands answers from"])
    s["titles"] = [f"Ofcom {action} {service} under Online Safety Act",
                   f"UK regulator {action} {service} over child safety"]
    s["lead"] = (f"Britain's media regulator Ofcom said on {s['weekday']} it has {rng.choice(['opened an investigation into', 'issued a formal warning to', 'sent a legally binding information request to'])} "
                 f"{service} over {rng.choice(['its failure to protect children', 'the spread of illegal content', 'its risk assessment'])}.")
    s["body"] = [
        "The regulator did not name the company, saying it would do so if it finds a breach.",
        f"Ofcom said it has contacted more than {rng.randint(2, 15) * 10} services about their duties under the law in recent weeks.",
    ]
    s["quote"] = (rng.choice(["Services that fail to protect children from harm will face enforcement action.",
                              "The time for talk is over."]), "an Ofcom director", True)


def _family_cooperation(rng, s):
    platform = rng.choice(["Telegram", "Discord", "X", "TikTok", "Line", "Snapchat"])
    agency = rng.choice(["the Korean National Police Agency", "the Korea Communications Standards Commission",
                         "the Korea Communications Commission", "the Supreme Prosecutors' Office"])
    coop = rng.choice([("set up a hotline with", "hotline"), ("share data on illegal content with", "data sharing"),
                       ("speed up takedown requests from", "faster takedowns"),
                       ("hold regular meetings with", "regular talks")])
    s.update(section="national", category="social-media", theme="platform")
    s["titles"] = [f"{platform} agrees to {coop[0]} {agency.replace('the ', '', 1)}",
                   f"{platform}, Korean authorities agree on {coop[1]}"]
    s["lead"] = f"{platform} has agreed to {coop[0]} {agency}, the agency said {s['weekday']}."
    s["body"] = [
        f"Under the arrangement, {platform} will {rng.choice(['respond to requests within 24 hours', 'designate a contact person for South Korea', 'review flagged content in Korean', 'preserve data needed for investigations'])}, the agency said.",
        f"{platform} had been criticized for failing to respond to South Korean requests, and several lawmakers have proposed bills to force overseas platforms to cooperate.",
    ]
    s["quote"] = (rng.choice(["This is a meaningful first step, but what matters is how it works in practice.",
                              "We expect the company to keep its promises."]), "an official", False)


FAMILIES = {
    "yonhap": [(_family_police, 5), (_family_fine, 4), (_family_takedown, 3), (_family_court, 3),
               (_family_bill, 3), (_family_cooperation, 2), (_family_eu, 1)],
    "dmr": [(_family_eu, 5), (_family_ofcom, 3), (_family_fine, 2), (_family_police, 2),
            (_family_cooperation, 2), (_family_bill, 1), (_family_takedown, 1)],
}


def _moment(outlet: str, index: int, rng: random.Random) -> datetime:
    day = YEAR_START + timedelta(days=(index * 37) % 366)
    local = datetime(day.year, day.month, day.day, rng.randint(6, 22), rng.randint(0, 59), rng.randint(0, 59))
    if outlet == "yonhap":
        return local.replace(tzinfo=KST)
    # Pick the Eastern offset for that date (noon UTC is a safe probe for the day).
    probe = new_york(datetime(day.year, day.month, day.day, 12, tzinfo=timezone.utc))
    return local.replace(tzinfo=probe.tzinfo)


def _head(outlet: str, index: int) -> dict:
    rng = random.Random(f"{outlet}:{index}")
    published = _moment(outlet, index, rng)
    families, weights = zip(*FAMILIES[outlet])
    family = rng.choices(families, weights)[0]
    slots = {"weekday": WEEKDAYS[published.weekday()], "western": False, "outlet": outlet}
    family(rng, slots)
    title = rng.choice(slots["titles"])
    if outlet == "dmr":
        title = " ".join(w[:1].upper() + w[1:] if w.islower() or w[:1].islower() else w for w in title.split())
    slots.update(title=title, published=published, authors=(rng.choice(AUTHORS[outlet]),))
    return slots


def _section(outlet: str, head: dict) -> str:
    return head["section"] if outlet == "yonhap" else head["category"]


def head(outlet: str, index: int) -> tuple[str, str, datetime, str, tuple[str, ...]]:
    """(title, section, published, lead, authors) without generating the body."""
    h = _head(outlet, index)
    lead = texturize(h["lead"]) if outlet == "dmr" else h["lead"]
    return h["title"], _section(outlet, h), h["published"], lead, h["authors"]


def make(outlet: str, index: int) -> Article:
    """The full synthetic article; ``key``/``path`` are provisional (the catalog fixes them)."""
    h = _head(outlet, index)
    rng = random.Random(f"{outlet}:{index}:body")
    body = list(h["body"])
    rng.shuffle(body)
    paragraphs = [h["lead"]] + body[:rng.randint(2, len(body))]
    if h.get("quote"):
        quote, role, western = h["quote"]
        full, surname = _name(rng, western)
        paragraphs.insert(2, f"\"{quote[:-1]},\" said {full}, {role}.")
        paragraphs.append(f"{surname} added that {rng.choice(['further measures are under review', 'the agency will announce more details later this year', 'cooperation with overseas authorities is essential'])}.")
    context = CONTEXT[h["theme"]]
    paragraphs += rng.sample(context, k=min(len(context), rng.randint(1, 2)))
    if outlet == "dmr":
        paragraphs = [texturize(p) for p in paragraphs]
    published = h["published"]
    modified = published + timedelta(minutes=rng.randint(20, 300)) if rng.random() < 0.3 else None
    return Article(outlet=outlet, key=slugify(h["title"]), path="", title=h["title"],
                   section=_section(outlet, h), paragraphs=tuple(paragraphs), published=published,
                   modified=modified, authors=h["authors"], tags=(h["theme"],), synthetic=True)
