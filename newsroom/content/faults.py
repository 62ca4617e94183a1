"""Text for the "faults" outlet: four well-behaved articles, and the story the faulty pages
carry when they deliver anything at all. Test data written for PolicyWatch, not reporting."""

ARTICLES = [
    {
        "slug": "brazil-supreme-court-orders-suspension-of-x",
        "title": "Brazil's Supreme Court orders suspension of X after Musk defies orders",
        "published": "2024-08-31T09:12:00-03:00",
        "authors": ["Rafael Monteiro"],
        "tags": ["X", "Brazil", "court ruling"],
        "paragraphs": [
            "A justice of Brazil's Supreme Court has ordered the suspension of X, formerly Twitter, across the country after the platform failed to name a legal representative in Brazil by a deadline he had set.",
            "Justice Alexandre de Moraes ordered the national telecommunications regulator, Anatel, to carry out the suspension and gave Apple and Google five days to remove the app from their stores in Brazil.",
            "He also set a daily fine of 50,000 reais for people or companies that use virtual private networks to access the platform.",
            "X had closed its office in Brazil earlier in the month, saying Moraes had threatened its legal representative with arrest over orders to block accounts accused of spreading disinformation.",
            "X owner Elon Musk called the justice a dictator in a series of posts. Brazil is one of X's largest markets, with tens of millions of users.",
        ],
    },
    {
        "slug": "eu-governments-delay-vote-on-chat-scanning-proposal",
        "title": "EU governments delay vote on chat scanning proposal",
        "published": "2024-06-20T16:40:00+02:00",
        "authors": ["Anna Jansen"],
        "tags": ["European Union", "encryption", "legislation", "Signal", "WhatsApp"],
        "paragraphs": [
            "European Union governments postponed a vote on a proposed regulation that would require messaging services to scan users' messages for child sexual abuse material, after it became clear the plan lacked enough support.",
            "The Belgian presidency of the Council of the EU removed the item from the agenda of a meeting of ambassadors, diplomats said.",
            "The proposal, which critics call chat control, would oblige services such as WhatsApp and Signal to detect known abuse images, including in end-to-end encrypted chats, if ordered to by a judicial authority.",
            "Signal president Meredith Whittaker said the company would leave the EU rather than undermine its encryption. Privacy groups and several member states argued the plan would amount to mass surveillance.",
            "Supporters, including child protection organizations, say platforms are failing to stop the spread of abuse material and that voluntary detection rules expire in 2026.",
        ],
    },
    {
        "slug": "nigeria-fines-meta-220-million",
        "title": "Nigeria fines Meta $220 million over data protection and consumer rules",
        "published": "2024-07-19T11:05:00+01:00",
        "authors": ["Chinedu Okafor"],
        "tags": ["Meta", "Nigeria", "fine", "WhatsApp"],
        "paragraphs": [
            "Nigeria's consumer protection regulator has fined Meta Platforms $220 million, saying the company's data-sharing practices on Facebook and WhatsApp violated the country's consumer and data protection laws.",
            "The Federal Competition and Consumer Protection Commission said a joint investigation found that Meta had shared Nigerian users' data without authorization, denied them the right to decide how their data is used and abused its market dominance.",
            "Meta said it disagrees with the decision and plans to appeal.",
            "The fine follows a 2021 update to WhatsApp's privacy policy that drew complaints from regulators in several countries.",
        ],
    },
    {
        "slug": "russia-blocks-discord-messaging-platform",
        "title": "Russia blocks Discord messaging platform",
        "published": "2024-10-08T19:30:00+03:00",
        "authors": ["Elena Novak"],
        "tags": ["Discord", "Russia", "censorship"],
        "paragraphs": [
            "Russia's communications regulator Roskomnadzor said it has blocked access to Discord, a messaging platform popular with gamers, for violating Russian law.",
            "The regulator said the platform had failed to remove content it deemed illegal, including material related to drugs and extremism, despite repeated requests, and had been fined several times.",
            "Users across Russia reported problems accessing the service, which is also used by the military and volunteers involved in the war in Ukraine to coordinate drone operations.",
            "Discord did not immediately respond to a request for comment. Russia has previously blocked Instagram, Facebook and X, and restricted access to YouTube.",
        ],
    },
]

# What the faulty pages say when they say anything (the same story each time). It carries
# curly quotes, an em dash and accented names so a wrong charset shows up as mojibake.
FAULT_STORY = {
    "title": "Regulators weigh tougher rules for messaging apps",
    "paragraphs": [
        "Regulators in Europe and Asia are weighing tougher rules for messaging apps after a year in which Telegram, Discord and other services were linked to the spread of deepfakes, scams and extremist content.",
        "\u201cThe era of self-regulation is over,\u201d said Ren\u00e9e Lef\u00e8vre, a researcher at a Paris think tank \u2014 adding that platforms had been warned for years.",
        "Officials in Seoul, Brussels and London have each said they will use existing laws more aggressively while new ones are drafted.",
        "Industry groups said they were \u2018open to dialogue\u2019 but warned that weakening encryption would put users at risk.",
    ],
}
