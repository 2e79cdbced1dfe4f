"""The 2024 report's published numbers the demo data is built to reproduce (transcribed from the
report's vedlegg 2, 5, 8-10 and tabell 1-4, 13; checked against shared/referansedata in the tests).

Only construct.py reads this module; the model never does.
"""

from __future__ import annotations

VEDLEGG_2 = (  # kommunenummer, navn, N (korrigert antall i målgruppen), total utgift (kr)
    ("0301", "Oslo", 6197.5, 490335241),
    ("1103", "Stavanger", 2520.0, 263778739),
    ("1833", "Rana", 282.5, 37497428),
    ("3103", "Moss", 796.0, 54548533),
    ("3105", "Sarpsborg", 442.5, 53594516),
    ("3107", "Fredrikstad", 837.0, 85686031),
    ("3118", "Indre Østfold", 626.5, 38365013),
    ("3201", "Bærum", 1274.5, 180889435),
    ("3203", "Asker", 1001.0, 107422327),
    ("3205", "Lillestrøm", 1105.0, 94746542),
    ("3301", "Drammen", 1147.5, 72306255),
    ("3403", "Hamar", 680.0, 51846731),
    ("3907", "Sandefjord", 723.0, 57045417),
    ("3909", "Larvik", 547.0, 49738375),
    ("4014", "Kragerø", 251.0, 17464731),
    ("4204", "Kristiansand", 1767.0, 139798148),
    ("4601", "Bergen", 3165.0, 383504170),
    ("4602", "Kinn", 658.0, 60010561),
    ("4631", "Alver", 514.5, 28259144),
    ("4650", "Gloppen", 211.0, 15651840),
    ("5001", "Trondheim", 2910.5, 217330127),
    ("5028", "Melhus", 323.0, 33596925),
    ("5503", "Harstad", 574.0, 48730058),
    ("5605", "Sør-Varanger", 326.0, 18981069),
)

VEDLEGG_8_10 = (  # kommunenummer, samlede utgifter, samlede inntekter, undervisningstimer, deltakere
    ("0301", 326586567, 292449629, 129839, 7309),
    ("1103", 72186532, 74145392, 42054, 2536),
    ("1833", 7942744, 6598204, 4394, 174),
    ("3103", 24734047, 26774841, 14935, 1001),
    ("3105", 17273891, 16381404, 9391, 375),
    ("3107", 18899081, 20007911, 11470, 291),
    ("3118", 20266828, 22437230, 12645, 506),
    ("3201", 40158278, 41150975, 19847, 1151),
    ("3205", 28213500, 35660023, 16771, 760),
    ("3301", 37723291, 34276973, 17514, 788),
    ("3403", 14564526, 13881040, 7142, 415),
    ("3907", 18570893, 16456569, 9072, 497),
    ("3909", 17785158, 12747636, 9622, 554),
    ("4014", 7025984, 5299786, 3858, 163),
    ("4204", 80353297, 50281457, 33592, 1267),
    ("4601", 167461091, 91508507, 80999, 2649),
    ("4602", 14595489, 10640887, 8416, 272),
    ("4631", 13417700, 10965205, 7752, 394),
    ("4650", 5996110, 3653562, 3784, 96),
    ("5001", 88280633, 70057968, 49236, 1768),
    ("5028", 10973017, 5782098, 6711, 219),
    ("5503", 12913189, 10953315, 6878, 359),
    ("5605", 10243323, 5289646, 4660, 142),
)

# vedlegg 5: area key -> (snitt 2024, median 2024), kroner per person per year
VEDLEGG_5 = {
    "sosial": (22113, 22702),
    "intro": (23008, 19080),
    "fov": (5316, 5298),
    "kvp": (0, 0),
    "syss": (1074, 126),
    "bolig": (17446, 10164),
    "pleie": (688, 447),
    "barnevern": (23208, 16935),
    "skole": (12482, 12909),
    "kultur": (1715, 1715),
    "barnehage": (1170, 1002),
    "felles": (4426, 5119),
    "sarskilt_em": (-22580, -15647),
}

FORSTEGANGSBOSATTE_UTVALG = 7737      # tabell 13: førstegangsbosatte i utvalgskommunene (kommunenes tall)
VENTESTONAD_PER_PERSON = 26639        # tabell 1
EM_I_BEREGNINGEN = 745                # tabell 13
EM_UTGIFT_PER_AAR = 751467            # tabell 3 (3 757 335 / 5)
EM_SARSKILT_FEM_AAR = 3425285         # tabell 4 (4 199 185 - 773 900)
EM_I_MALGRUPPEN_UTVALG = 970          # tabell 13 (SSB): guides the EM outside the sub-sample
