"""Hand-written articles of the sample "yonhap_ko" outlet (Korean, in the style of Yonhap's
Korean service, www.yna.co.kr).

Written for PolicyWatch tests. The stories follow public events of August-September 2024 (the
police investigation of Telegram over sexual deepfakes, the Korea Communications Standards
Commission's takedown requests, the National Assembly's bill punishing the viewing of
deepfakes), but the wording, quotes, figures and bylines are ours: test data, not Yonhap
reporting. Reporter names are invented.

``paragraphs`` are the body as an extractor should return it: the page adds the wire lead
"(서울=연합뉴스) 홍길동 기자 = " before the first paragraph, the reporter's e-mail line, the
copyright line and a related-news box, none of which is body text. ``date_style`` says how the
page prints its date: "meta" (article:published_time with +09:00), "input" (only the visible
"입력 2024.09.02. 오전 10:30") or "long" (only "2024년 9월 2일 15시 20분"). ``entities`` and
``actions`` are the ground truth for nlp/korean.py (canonical names as in nlp/gazetteer.yaml).
"""

ARTICLES = [
    {
        "id": "AKR20240902051200004",
        "title": "경찰, '딥페이크 방조' 텔레그램 법인 내사 착수",
        "section": "society",
        "published": "2024-09-02T10:30:00+09:00",
        "date_style": "meta",
        "city": "서울",
        "authors": ["김하늘"],
        "paragraphs": [
            "경찰청 국가수사본부가 딥페이크 성착취물 유포를 방조한 혐의로 메신저 텔레그램 법인에 대한 입건 전 조사(내사)에 착수했다.",
            "우종수 국가수사본부장은 2일 서울 서대문구 경찰청에서 열린 기자간담회에서 \"텔레그램이 딥페이크 성범죄를 방조한 것으로 볼 수 있는지 법리를 검토하고 있다\"고 밝혔다.",
            "경찰이 해외 메신저 법인 자체를 수사 대상으로 삼은 것은 이번이 처음이다. 그동안 텔레그램은 수사기관의 자료 요청에 거의 응하지 않아 가해자를 특정하기 어려웠다는 지적이 나왔다.",
            "경찰은 텔레그램 최고경영자 파벨 두로프를 기소한 프랑스 수사당국과 공조하는 방안도 추진하기로 했다. 국제형사경찰기구(인터폴)를 통한 협력도 검토 대상이다.",
            "경찰은 최근 학교와 대학가를 중심으로 딥페이크 피해 신고가 잇따르자 이달부터 7개월간 집중 단속을 벌인다고 설명했다.",
        ],
        "entities": ["Korean National Police Agency", "National Office of Investigation", "Telegram", "Woo Jong-soo",
                     "Seoul", "Pavel Durov", "France", "Interpol"],
        "actions": ["investigation", "prosecution", "cooperation"],
        "related": ["방심위, 텔레그램에 딥페이크 삭제 요청", "딥페이크 소지·시청도 처벌…국회 본회의 통과"],
    },
    {
        "id": "AKR20240903112300017",
        "title": "방심위 \"텔레그램, 딥페이크 성착취물 25건 삭제…핫라인 구축\"",
        "section": "society",
        "published": "2024-09-03T15:20:00+09:00",
        "date_style": "input",
        "city": "서울",
        "authors": ["이서준"],
        "paragraphs": [
            "방송통신심의위원회는 텔레그램이 방심위의 요청에 따라 딥페이크 성착취물 영상 25건을 삭제했다고 3일 밝혔다.",
            "방심위는 지난달 28일 텔레그램 측에 전자우편을 보내 성착취물 삭제를 요청하고 상시 소통 창구를 마련해 달라고 제안했다. 텔레그램은 이에 답신을 보내 전담 연락처를 알려왔다.",
            "방심위는 앞으로 텔레그램과 핫라인을 유지하며 딥페이크 성범죄 영상물이 발견되는 즉시 삭제를 요청할 계획이다. 방심위 관계자는 \"텔레그램과의 협력 체계가 처음으로 만들어졌다\"고 말했다.",
            "방심위는 올해 들어 딥페이크 성적 허위영상물에 대한 시정요구가 지난해보다 크게 늘었다며 플랫폼 사업자들의 적극적인 대응을 당부했다.",
        ],
        "entities": ["Korea Communications Standards Commission", "Telegram"],
        "actions": ["takedown", "cooperation"],
        "related": ["경찰, '딥페이크 방조' 텔레그램 법인 내사 착수"],
    },
    {
        "id": "AKR20240910087600004",
        "title": "텔레그램, 경찰 요청에 딥페이크 자료 회신…\"수사 협조 늘린다\"",
        "section": "society",
        "published": "2024-09-10T09:15:00+09:00",
        "date_style": "meta",
        "charset": "euc-kr",
        "city": "서울",
        "authors": ["박지원"],
        "paragraphs": [
            "텔레그램이 딥페이크 성범죄 수사와 관련한 경찰의 자료 요청에 처음으로 회신한 것으로 확인됐다.",
            "우종수 국가수사본부장은 10일 정례 기자간담회에서 \"텔레그램이 경찰이 요청한 자료 일부를 보내왔다\"며 \"앞으로 수사기관과 협조를 늘리겠다는 뜻을 밝혔다\"고 말했다.",
            "경찰은 텔레그램 측과 이메일로 소통할 수 있는 창구를 마련했으며, 국가수사본부 안에 전담 인력을 두고 공조 체계를 운영할 계획이다.",
            "경찰청은 텔레그램을 통해 유포된 딥페이크 영상물 사건 가운데 피해가 큰 사건부터 우선 수사하겠다고 덧붙였다.",
        ],
        "entities": ["Telegram", "Woo Jong-soo", "National Office of Investigation", "Korean National Police Agency"],
        "actions": ["investigation", "cooperation"],
        "related": [],
    },
    {
        "id": "AKR20240926140500001",
        "title": "딥페이크 성착취물 소지·시청도 처벌…국회 본회의 통과",
        "section": "politics",
        "published": "2024-09-26T16:40:00+09:00",
        "date_style": "long",
        "city": "서울",
        "authors": ["최민서", "정우진"],
        "paragraphs": [
            "딥페이크 성착취물을 소지하거나 시청한 사람도 처벌하는 내용의 성폭력처벌법 개정안이 26일 국회 본회의를 통과했다.",
            "개정안은 허위영상물을 소지하거나 구입, 저장, 시청한 사람을 3년 이하의 징역 또는 3천만원 이하의 벌금에 처하도록 했다. 지금까지는 유포할 목적이 있어야만 처벌할 수 있었다.",
            "국회는 이날 딥페이크 성범죄 영상물을 이용한 협박과 강요에 대한 처벌을 강화하는 법안들도 함께 처리했다.",
            "여야 의원들은 텔레그램 등 해외 메신저를 통해 딥페이크 영상이 퍼지는 상황에서 처벌의 공백을 메우기 위한 조치라고 설명했다.",
        ],
        "entities": ["Act on Special Cases Concerning the Punishment of Sexual Crimes", "National Assembly", "Telegram"],
        "actions": ["legislation", "penalty"],
        "related": ["경찰, '딥페이크 방조' 텔레그램 법인 내사 착수"],
    },
    {
        "id": "AKR20240829093100061",
        "title": "경기남부경찰청, 텔레그램 딥페이크 대화방 운영자 검거",
        "section": "society",
        "published": "2024-08-29T14:05:00+09:00",
        "date_style": "input",
        "city": "수원",
        "authors": ["한도윤"],
        "paragraphs": [
            "경기남부경찰청은 텔레그램 대화방에서 지인들의 얼굴을 합성한 딥페이크 성착취물을 유포한 혐의로 대화방 운영자인 20대 남성을 검거했다고 29일 밝혔다.",
            "경찰에 따르면 이 남성은 올해 초부터 대화방 여러 개를 만들어 합성물을 올리고 참여자들에게 피해자의 신상 정보를 공유한 혐의를 받는다.",
            "경찰은 대화방 참여자들에 대해서도 수사를 확대하고 있으며, 방송통신심의위원회에 해당 영상물의 삭제와 차단을 요청했다.",
            "경찰 관계자는 \"텔레그램이라고 해서 추적이 불가능한 것은 아니다\"라며 \"끝까지 추적해 엄정하게 대응하겠다\"고 말했다.",
        ],
        "entities": ["경기남부경찰청", "Telegram", "Korea Communications Standards Commission"],
        "actions": ["arrest", "investigation", "takedown"],
        "related": [],
    },
]
