"""Course's own short summaries of SIPRI's deal comments.

Key: the line number in data/raw/sipri_ru_cn_deals_1990_2024.csv.
"""

SUMMARY = {
    3: "Missiles for the Su-27SK fighters; SIPRI believes the R-27R and R-27ER variants.",
    4: "Missiles for the Su-27; contracted with the USSR, delivered by Russia after 1991.",
    5: (
        "Three of 24 Su-27s (four of them two-seat Su-27UBK) in a deal reported at US$700 m with 40% offsets;"
        " these three arrived before the USSR dissolved."
    ),
    6: "The other 21 aircraft of the same 24-aircraft deal, delivered by Russia.",
    9: "Radar for the S-300PMU air defence systems.",
    10: (
        "Deal reported at US$200 m, 60% offset through barter; three aircraft went to a military-run airline."
    ),
    12: "Radar for the S-300PMU air defence systems.",
    13: "Two-seat Su-27UBK; an initial order for 12 Su-27SK was cut to these two.",
    14: "Torpedoes for the Kilo-class (Project 877/636) submarines.",
    16: "Boats first built for Poland and Romania, whose orders fell through.",
    17: "Torpedoes for the Kilo-class submarines.",
    18: "Mi-171, possibly also Mi-17V-5 or V-7 variants.",
    19: "Missiles for the Su-27 and Su-30.",
    20: "Deal reported at US$2.2 bn; includes between 2 and 10 two-seat Su-27UBK.",
    21: "Export Ka-28PL variant.",
    22: (
        "Assembled in China from kits as the J-11; part of a US$1.5-2.5 bn deal for 200 aircraft, of which"
        " about 95 were cancelled."
    ),
    23: "Missiles for the Tor-M1 systems.",
    24: (
        "Kh-31A/P family for the Su-30, J-8M and/or JH-7; includes Chinese production of the Kh-31P (KR-1,"
        " YJ-9 or YJ-91)."
    ),
    25: "Guided shells; probably also made in China (as Red Soil) and used in developing the GP-1.",
    27: (
        "Gun-launched missiles for Type-98/99 tanks; possibly copied in China as the GP7 or used to"
        " develop it."
    ),
    28: "Missiles for the Tor-M1 systems; paid for by settling debt.",
    29: "9M38M1 variant for the Sovremenny-class destroyers.",
    30: "Export Ka-28PL variant.",
    31: "Ka-28PS search-and-rescue variant.",
    32: "Sonar for two Chinese-built Type-052B destroyers; possibly with local production.",
    33: "Fire-control radar for the Shtil-1 system on two Chinese-built Type-052B destroyers.",
    34: "Mi-171 variant.",
    35: "Anti-ship missiles for the Sovremenny-class destroyers.",
    36: (
        "Deal reported at US$667 m; two hulls begun for the Soviet/Russian navy, left unfinished and sold to"
        " China (Project 956E)."
    ),
    37: "Shtil-1 systems for two Chinese-built Type-052B destroyers.",
    38: "Paid for by settling debt.",
    39: "Including for the Su-27SK and Su-30MKK.",
    40: "Including for the Su-30.",
    41: "Radars for six Chinese-built destroyers (two each of Type-052B, 052C and 051C).",
    42: "Two-seat Su-27UBK; deal reported at US$1 bn, paid by settling debt.",
    43: "Su-30MKK; deal reported at US$1.5-2 bn.",
    44: "AL-31FN engines with spares for Chinese-built J-10 fighters; deal reported at US$160-200 m.",
    45: (
        "Airframe meant for conversion to an A-50I early-warning aircraft in Israel; after that order was"
        " cancelled it went to China without the radar system."
    ),
    46: "Missiles for the Su-27SK and Su-30MKK.",
    48: "9M38M2 missiles for the Shtil-1 system on Type-052B destroyers.",
    49: (
        "Radars for two Type-051C and two Type-052B destroyers; probably also made in China, possibly without"
        " a licence."
    ),
    50: "Mi-17V-5 variant.",
    51: "Deal reported at US$400 m, partly settled against debt.",
    52: "Su-30MKK; deal reported at US$2 bn.",
    53: "Zhuk-8 radars to upgrade J-8B (J-8-II) fighters to the J-8IIM standard.",
    54: "Missiles for upgraded Project-877 and new Project-636 (Kilo) submarines.",
    55: "Missiles for the Type-051C destroyers.",
    56: "Torpedoes for the Project-636 (Kilo) submarines.",
    57: "Missiles for the Kashtan air defence system on the Project-956EM destroyers.",
    58: "9M38M1 variant for the Project-956EM destroyers.",
    59: "Probably Mi-171 and/or Mi-17V-5 or V-7 variants.",
    60: "Anti-ship missiles for the Sovremenny-class destroyers.",
    62: "Deal reported at US$1.5-2 bn.",
    63: "Project-956EM variant; deal reported at US$1-1.5 bn; an option for two more was not taken up.",
    64: "Systems for two Chinese-built Type-051C destroyers.",
    65: "Torpedoes for the Project-636 (Kilo) submarines.",
    66: "Su-30MK2 naval strike version (SIPRI's comment writes Su-30MKK2); deal reported at US$1 bn.",
    68: "Guns for 40 Chinese-built Type-054A frigates; licence-produced as the H/PJ-26.",
    69: "For the Su-30; probably a Kh-59MK2 version developed with Chinese funding.",
    70: (
        "Radars for 50 Chinese-built Type-054A frigates, used with the HHQ-16 system; possibly"
        " licence-produced in China."
    ),
    71: (
        "Radars for 50 Chinese-built Type-054A frigates; probably also made in China, possibly without a"
        " licence."
    ),
    72: "Deal reported at US$980 m.",
    73: "Chinese-made H/PJ-26 guns for eight Type-071 amphibious ships.",
    74: "AL-31FN engines for Chinese-built J-10 fighters, probably with spares.",
    75: "Mi-171 or Mi-171E; possibly assembled in China from kits.",
    76: "Missiles for the S-300PMU-2 systems.",
    77: "Export Ka-28PL variant.",
    79: "Deal reported at US$200 m; probably Mi-171 and/or Mi-17V-5 or V-7.",
    81: "AL-31FN Series 2 engines for Chinese-built J-10 fighters, probably with spares.",
    82: "D-30KP-2 engines for Chinese-built H-6K bombers, perhaps also for Il-76 upgrades.",
    83: "Mi-171E; possibly partly for police or other non-military agencies.",
    84: "Chinese-made H/PJ-26 guns for 72 Type-056 ships (SIPRI: frigates).",
    85: (
        "AL-31FN Series 2 engines for Chinese-built J-10 fighters, probably with spares; deal reported at"
        " US$500 m."
    ),
    86: "AL-31F engines for Chinese-built J-15 fighters, plus spare engines for the Su-27 and J-11 fleets.",
    87: "D-30KP-2 engines for Chinese-built H-6K bombers and Y-20A transports and for Il-76 upgrades.",
    88: "Second-hand aircraft.",
    89: "AL-31FN Series 3 engines for Chinese-built J-10 fighters; deal reported at US$700 m.",
    90: "Mi-171E; possibly partly for police or other non-military agencies.",
    91: "AL-31F-M2 engines for Chinese-built J-20 fighters.",
    92: "Missiles for the S-400 systems.",
    93: "Missiles for the S-400 systems.",
    94: "Spare engines for the Su-35 fighters.",
    95: "D-30KP-2 engines for Chinese-built H-6K and Y-20A aircraft.",
    96: "Second-hand aircraft, probably upgraded before delivery.",
    97: "Missiles for the Su-35 fighters.",
    98: "Deal reported at US$3 bn.",
    99: "Deal reported at US$2 bn.",
    100: "Mi-17V-7 variant.",
    101: "Mi-171 and Mi-171E variants.",
    102: "Armed Mi-171Sh variant.",
}
CATEGORY = {
    "FGA aircraft": "aircraft",
    "transport aircraft": "aircraft",
    "heavy transport aircraft": "aircraft",
    "transport helicopter": "aircraft",
    "anti-submarine helicopter": "aircraft",
    "airborne early-warning helicopter": "aircraft",
    "SAM system": "air-defence-system",
    "mobile SAM system": "air-defence-system",
    "naval SAM system": "air-defence-system",
    "SAM": "missile-or-munition",
    "long-range air-to-air missile": "missile-or-munition",
    "air-to-surface missile": "missile-or-munition",
    "anti-ship missile": "missile-or-munition",
    "anti-ship/anti-radar missile": "missile-or-munition",
    "anti-ship/land-attack missile": "missile-or-munition",
    "anti-tank missile": "missile-or-munition",
    "guided shell": "missile-or-munition",
    "anti-ship torpedo": "missile-or-munition",
    "anti-ship/anti-submarine torpedo": "missile-or-munition",
    "naval mine/torpedo": "missile-or-munition",
    "submarine": "ship",
    "destroyer": "ship",
    "turbofan": "engine",
    "air search radar": "sensor",
    "sea search radar": "sensor",
    "fire control radar": "sensor",
    "combat aircraft radar": "sensor",
    "ASW sonar": "sensor",
    "naval gun": "naval-gun",
}
