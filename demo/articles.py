"""The demo corpus's articles: fictional events, outlets, people and places.

Everything here is invented for storytrace's demo and end-to-end tests; any likeness to
real outlets, people or events is accidental. make_corpus.py writes these articles out
in mixed formats (HTML pages, a WARC, an RSS feed, JSONL, plain text).
"""

FERRY_WIRE = """PORT ELLERY, June 14 (MPA) - At least 12 people were killed when a blaze broke out aboard the passenger ferry Corran Star late on Friday, port officials said.

The ferry had more than 200 passengers and 31 crew aboard for the night sailing to Skerra Island when the fire broke out on its vehicle deck shortly after 10 p.m.

"We got every lifeboat in the water within eleven minutes. The crew did everything right," harbour master Elena Marsh told reporters at the quayside.

Coastguard vessels and fishing boats pulled survivors from the water for more than four hours. About 40 people were taken to hospital, some with serious burns.

The cause of the fire was not yet known. The ferry's operator, Corran Lines, said in a statement that it was cooperating fully with investigators.

The Corran Star, built in 1998, was inspected in March and passed, according to the maritime safety agency."""

ARTICLES = [
    # ---- Story 1: the Corran Star ferry fire (fictional) ----
    {
        "id": "cc-ferry-fire-1", "format": "html", "file": "coastline-courier-ferry-fire.html",
        "source": "Coastline Courier", "url": "https://www.coastline-courier.example/news/ferry-fire-port-ellery",
        "published": "2025-06-14T06:10:00+00:00", "author": "Mairi Dunlop",
        "title": "Twelve dead as fire sweeps through Corran Star ferry off Port Ellery",
        "text": """Twelve people died and about 40 were injured when fire swept through the ferry Corran Star off Port Ellery on Friday night, the Coastline Courier has learned.

The ferry left Port Ellery at 9.40 p.m. with 214 passengers and 31 crew for the overnight crossing to Skerra Island. Witnesses on the quayside said they saw smoke rising from the vehicle deck about twenty minutes later.

Harbour master Captain Elena Marsh, who coordinated the rescue from the port control room, said: "We got every lifeboat in the water within eleven minutes. The crew did everything right."

Fishing boats from Port Ellery joined three coastguard vessels in the rescue, which lasted more than four hours. One skipper, Tomas Reid, said he pulled nine people from the water. "They were freezing and some were badly burned," he said.

Survivors told the Courier that the fire alarm sounded only after passengers on the upper deck smelled smoke. One passenger said the crew handed out life jackets "calmly and quickly".

The ferry's operator, Corran Lines, said it carried 190 passengers on the crossing, a figure the port authority disputed.

Subscribe to the Coastline Courier newsletter for daily updates."""
    },
    {
        "id": "mpa-ferry-fire-1", "format": "jsonl", "file": "newswire-export.jsonl",
        "source": "Meridian Press Agency", "url": "https://wire.meridian-press.example/2025/06/14/ferry-fire",
        "published": "2025-06-14T09:00:00+00:00",
        "title": "At least 12 killed in ferry fire off Port Ellery",
        "text": FERRY_WIRE,
    },
    {
        "id": "vg-ferry-fire-1", "format": "warc", "file": "valley-gazette-crawl.warc",
        "source": "Valley Gazette", "url": "https://valleygazette.example/world/ferry-fire-kills-12",
        "published": "2025-06-14T10:30:00+00:00",
        "title": "Ferry fire kills 12 on Skerra crossing",
        # A syndicated copy: the wire story with its last paragraph trimmed.
        "text": FERRY_WIRE.rsplit("\n\n", 1)[0],
    },
    {
        "id": "nl-ferry-fire-1", "format": "rss", "file": "northern-ledger-feed.rss",
        "source": "Northern Ledger", "url": "https://northernledger.example/2025/06/14/corran-star-fire",
        "published": "2025-06-14T11:00:00+00:00",
        "title": "Corran Star: twelve die in ferry blaze",
        # A syndicated copy with a local paragraph added.
        "text": FERRY_WIRE + """

In Dunmore, where several of the passengers lived, the town council opened its hall to families waiting for news.""",
    },
    {
        "id": "db-ferry-fire-1", "format": "html", "file": "daily-beacon-ferry.html",
        "source": "The Daily Beacon", "url": "https://www.dailybeacon.example/news/corran-star-ferry-fire",
        "published": "2025-06-14T14:00:00+00:00", "author": "Priya Anand",
        "title": "Ferry blaze: harbour master says lifeboats launched 'within minutes'",
        # A re-report that credits the Coastline Courier and alters the harbour master's quote.
        "text": """Twelve people died when the Corran Star ferry caught fire off Port Ellery on Friday, the Coastline Courier reported.

The vessel was carrying around 200 passengers and 31 crew to Skerra Island. The fire started on the vehicle deck, according to the Courier.

"We got every lifeboat in the water within minutes," said Captain Marsh, the harbour master.

Survivors described a calm evacuation. About 40 people were injured.

Corran Lines has not explained why the fire alarm sounded late."""
    },
    {
        "id": "cc-ferry-fire-2", "format": "html", "file": "coastline-courier-ferry-toll.html",
        "source": "Coastline Courier", "url": "https://www.coastline-courier.example/news/ferry-fire-toll-rises",
        "published": "2025-06-15T08:00:00+00:00", "author": "Mairi Dunlop",
        "title": "Corran Star death toll rises to 17 as divers search vehicle deck",
        "text": """The number of people killed in the Corran Star ferry fire has risen to 17, the coastguard said on Saturday, after divers recovered five more bodies from the vehicle deck.

Thirty-eight people remain in hospital in Port Ellery and Dunmore, six of them in intensive care.

Captain Elena Marsh said the harbour would stay closed to passenger traffic for at least three days. "The crew did everything right, and they are grieving too," she said.

The maritime safety agency has opened an investigation. Its chief inspector, Rowan Fell, said investigators would examine the fire alarm system first.

Subscribe to the Coastline Courier newsletter for daily updates."""
    },
    {
        "id": "hr-ferry-opinion", "format": "text", "file": "harbourside-review-corran-star.txt",
        "source": "Harbourside Review", "published": "2025-06-16T07:30:00+00:00",
        "title": "The Corran Star was a disaster waiting to happen",
        "text": """The Corran Star was a disaster waiting to happen

Seventeen people are now known to have died on the Corran Star, the coastguard said on Saturday.

The ferry passed its safety inspection in March, the maritime safety agency said.

We must ask how a ferry built in 1998 was still carrying more than 200 people a night across open water. I have sailed on the Corran Star many times, and the state of its vehicle deck was shameful.

Who signed off that inspection, and what did they actually look at? The families deserve an answer, and frankly the agency's silence is an insult to them.

It is a bitter truth that it takes a tragedy for anyone to care about the ferries the islands depend on."""
    },
    # ---- Story 2: the Kessick earthquake (fictional) ----
    {
        "id": "mpa-kessick-quake", "format": "jsonl", "file": "newswire-export.jsonl",
        "source": "Meridian Press Agency", "url": "https://wire.meridian-press.example/2025/03/03/kessick-quake",
        "published": "2025-03-03T05:20:00+00:00",
        "title": "Magnitude 6.1 earthquake strikes Kessick in northern Velmora",
        "text": """KESSICK, March 3 (MPA) - A magnitude 6.1 earthquake struck the northern Velmoran town of Kessick before dawn on Monday, killing at least 23 people and collapsing dozens of homes, officials said.

The quake hit at 4.12 a.m. at a depth of ten kilometres, the Velmora Seismic Institute said. It was felt as far away as the capital, Ostrin, 180 kilometres to the south.

"The old quarter took the worst of it. Whole streets of stone houses came down," said Kessick mayor Juris Varga.

Rescue teams were searching the rubble for survivors, and more than 300 people were being treated for injuries. The government sent 40 army trucks with tents and water."""
    },
    {
        "id": "vg-kessick-quake", "format": "rss", "file": "valley-gazette-feed.rss",
        "source": "Valley Gazette", "url": "https://valleygazette.example/world/kessick-earthquake",
        "published": "2025-03-03T07:45:00+00:00",
        "title": "Velmora earthquake: 23 dead in Kessick",
        "text": """KESSICK, March 3 (MPA) - A magnitude 6.1 earthquake struck the northern Velmoran town of Kessick before dawn on Monday, killing at least 23 people and collapsing dozens of homes, officials said.

The quake hit at 4.12 a.m. at a depth of ten kilometres, the Velmora Seismic Institute said. It was felt as far away as the capital, Ostrin, 180 kilometres to the south.

"The old quarter took the worst of it. Whole streets of stone houses came down," said Kessick mayor Juris Varga."""
    },
    {
        "id": "vt-kessick-quake", "format": "warc", "file": "valley-gazette-crawl.warc",
        "source": "Velmora Times", "url": "https://www.velmoratimes.example/national/kessick-earthquake-rescue",
        "published": "2025-03-03T12:00:00+00:00", "author": "Dana Petrov",
        "title": "Kessick rescuers dig through the night as quake toll climbs",
        "text": """Rescuers in Kessick were digging by hand through collapsed stone houses on Monday evening as the death toll from the morning's earthquake rose to 31, regional officials told the Velmora Times.

Seismologist Dr Ana Ruiz of the Velmora Seismic Institute said the magnitude 6.1 quake was the strongest to hit the north in forty years. "We recorded more than 60 aftershocks in the first six hours," she said.

Mayor Juris Varga said the old quarter had been the worst hit. "Whole streets of stone houses came down," he told the Times.

About 1,200 residents spent the night in tents set up on the football ground."""
    },
    {
        "id": "db-kessick-quake", "format": "html", "file": "daily-beacon-kessick.html",
        "source": "The Daily Beacon", "url": "https://www.dailybeacon.example/world/velmora-earthquake",
        "published": "2025-03-03T16:30:00+00:00", "author": "Priya Anand",
        "title": "Deadly earthquake hits northern Velmora",
        "text": """At least 23 people were killed when a magnitude 6.1 earthquake hit the town of Kessick in northern Velmora on Monday, according to Meridian Press Agency.

The Velmora Times later reported that the toll had risen to 31.

Kessick's mayor, Juris Varga, said whole streets in the old quarter had collapsed."""
    },
    # ---- Story 3: the Alder Falls earthquake, sixteen days later (fictional) ----
    {
        "id": "vt-alder-falls-quake", "format": "html", "file": "velmora-times-alder-falls.html",
        "source": "Velmora Times", "url": "https://www.velmoratimes.example/national/alder-falls-earthquake",
        "published": "2025-03-19T09:15:00+00:00", "author": "Dana Petrov",
        "title": "Magnitude 5.4 earthquake shakes Alder Falls",
        "text": """A magnitude 5.4 earthquake shook the southern Velmoran town of Alder Falls on Wednesday morning, killing three people and damaging the old railway bridge, the Velmora Seismic Institute said.

The quake struck at 8.05 a.m. at a depth of 15 kilometres. It was not related to the Kessick earthquake in the north earlier this month, the institute said.

"This is a separate fault system, more than 300 kilometres from Kessick," said seismologist Dr Ana Ruiz.

Mayor Lena Oduya said 14 people had been injured and the town's school would stay closed until engineers had inspected it."""
    },
    {
        "id": "nl-alder-falls-quake", "format": "rss", "file": "northern-ledger-feed.rss",
        "source": "Northern Ledger", "url": "https://northernledger.example/2025/03/19/alder-falls-quake",
        "published": "2025-03-19T11:40:00+00:00",
        "title": "Three dead in Alder Falls earthquake",
        "text": """Three people died and 14 were injured when a magnitude 5.4 earthquake struck Alder Falls in southern Velmora on Wednesday, the town's mayor said.

Mayor Lena Oduya said the old railway bridge had been closed after cracks appeared in its main arch. "We are lucky it happened after the morning trains had passed," she said.

The Velmora Seismic Institute said the quake was not linked to the one that struck Kessick on March 3."""
    },
    {
        "id": "mpa-alder-falls-quake", "format": "jsonl", "file": "newswire-export.jsonl",
        "source": "Meridian Press Agency", "url": "https://wire.meridian-press.example/2025/03/19/alder-falls-quake",
        "published": "2025-03-19T10:05:00+00:00",
        "title": "Earthquake kills three in southern Velmora",
        "text": """ALDER FALLS, March 19 (MPA) - An earthquake of magnitude 5.4 killed three people in the southern Velmoran town of Alder Falls on Wednesday and damaged a railway bridge, officials said.

Mayor Lena Oduya said 14 people were injured, two of them seriously. The school was closed for inspection.

The Velmora Seismic Institute said the quake, at a depth of 15 kilometres, was on a different fault from the one behind the Kessick earthquake sixteen days earlier."""
    },
]
